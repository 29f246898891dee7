import { describe, expect, it } from 'vitest';
import { findFigures, matchFigure } from '../../src/answer/figures.js';
import { readFigureAsk, understand } from '../../src/answer/query.js';
import { Lexicon } from '../../src/ingest/lexicon.js';
import { Glossary } from '../../src/retrieval/glossary.js';

/** What a figure counts, on synthetic sentences (one rule per test). */
const counted = (text: string) => findFigures(text).map((f) => `${f.text}:${f.counted}`);

describe('reading what a figure counts', () => {
  it('does not take a verb phrase after a figure as its noun (12个村|设立党员中心户), nor inherit it across a noun', () => {
    expect(counted('某镇在全镇12个村设立党员中心户86户。')).toEqual(['12个村:全镇', '86户:党员中心户']);
  });

  it('keeps a noun closed by a one-character measure word (党员中心户) and answers 多少户党员中心户 from it', () => {
    const ask = readFigureAsk('某镇设立了多少户党员中心户？')!;
    expect(matchFigure('某镇在全镇12个村设立党员中心户86户。', ask).figure?.text).toBe('86户');
  });

  it('counts the members of a body of people (红色代办员队伍46人 answers 红色代办员有多少人)', () => {
    expect(counted('某乡组建红色代办员队伍46人。')).toEqual(['46人:红色代办员队伍']);
    expect(matchFigure('某乡组建红色代办员队伍46人。', readFigureAsk('红色代办员有多少人？')!).strength).toBe(2);
    // a body counted in its own measure word is not its members
    expect(matchFigure('某乡组建代办员队伍3支。', readFigureAsk('红色代办员有多少人？')!).strength).toBe(0);
  });

  it('cuts a township the lexicon does not know off the counted noun (西林乡红色代办员 → 红色代办员)', () => {
    const ctx = { lexicon: Lexicon.load('data'), glossary: Glossary.load('data'), documents: [] };
    expect(understand('西林乡红色代办员有多少人？', ctx).figure?.noun).toBe('红色代办员');
  });

  it('reads a Chinese-numeral duration where a rule text states one (一个月内, 为一年。, 一年以上), not inside a phrase (一年来, 三年行动)', () => {
    const times = (text: string) => findFigures(text).filter((f) => f.cls === 'time').map((f) => f.text);
    expect(times('党组织收到入党申请书后，应当在一个月内派人谈话。')).toEqual(['一个月']);
    expect(times('预备党员的预备期为一年。')).toEqual(['一年']);
    expect(times('一般要经过一年以上的培养教育。')).toEqual(['一年']);
    expect(times('应当在三个工作日内办结。')).toEqual(['三个工作日']);
    expect(times('一年来，全县实施三年行动计划，一年一度开展评比。')).toEqual([]);
    // a question asking how long is answered by it
    expect(matchFigure('党组织收到入党申请书后，应当在一个月内派人同入党申请人谈话。', readFigureAsk('多长时间内要找申请人谈话？')!).figure?.text).toBe('一个月');
  });
});
