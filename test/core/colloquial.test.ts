import { describe, expect, it } from 'vitest';
import { placeNames, readFigureAsk } from '../../src/answer/query.js';
import { Glossary } from '../../src/retrieval/glossary.js';
import { assistantOn } from './support.js';

/** Colloquial wording read as the documents write it (one rule per test, synthetic questions). */
const glossary = Glossary.load('data');

const on = assistantOn({
  '辛县村干部报酬情况.txt': [
    '辛县村干部报酬落实情况（虚构）',
    '',
    '排查整顿软弱涣散村党组织8个，党组织政治功能进一步增强。',
    '严格落实村干部报酬体系，“一肩挑”的村党支部书记年均报酬达到4.2万元、村“两委”其他成员达到2.6万元。',
  ].join('\n'),
});

describe('colloquial questions', () => {
  it('reads a period served before a right (干满几年能考, 任职满几年可以) as a rule’s threshold', () => {
    expect(readFigureAsk('村支书干满几年能考事业编？')).toMatchObject({ cls: 'time', threshold: true });
    expect(readFigureAsk('党员人数满多少名就要成立支部？')).toMatchObject({ threshold: true });
    expect(readFigureAsk('村支书一届干几年？')?.threshold).toBeUndefined();
  });

  it('adds the X均 form for an average per unit asked in words (平均每个村 → 村均, 每户平均 → 户均)', () => {
    expect(glossary.expand('村集体收入平均每个村有多少？').terms.get('村均')).toBeGreaterThan(0);
    expect(glossary.expand('每户平均增收多少？').terms.get('户均')).toBeGreaterThan(0);
    expect(glossary.expand('平均分数是多少？').terms.has('分均')).toBe(false);
  });

  it('does not read 乡镇 or 县市 after two characters as a place name (能考乡镇事业编)', () => {
    expect(placeNames('干满几年能考乡镇事业编？')).toEqual([]);
    expect(placeNames('去年各县市有多少党员？')).toEqual([]);
    expect(placeNames('青屏县有多少党员？')).toEqual(['青屏县']);
  });

  it('counts a glossary term inside a longer noun by its official words in place (村支书年均报酬 ← 村党支部书记年均报酬), never by a word of them alone (党组织8个)', async () => {
    const a = await on.assistant.ask('村支书年均报酬是多少？');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('4.2万元');
    expect(a.answer).not.toContain('党组织8个');
  });
});
