import { describe, expect, it } from 'vitest';
import { placeNames, readFigureAsk } from '../../src/answer/query.js';
import { Glossary } from '../../src/retrieval/glossary.js';

/** Colloquial wording read as the documents write it (one rule per test, synthetic questions). */
const glossary = Glossary.load('data');

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
});
