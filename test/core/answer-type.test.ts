import { describe, expect, it } from 'vitest';
import { answerType, figureMatch } from '../../src/retrieval/answer-type.js';
import { Glossary } from '../../src/retrieval/glossary.js';
import { reciprocalRankFusion } from '../../src/retrieval/fusion.js';

const glossary = Glossary.load('data');

describe('answer type of a question', () => {
  it('reads the measure word and the counted noun after 多少/几', () => {
    expect(answerType('黑马河镇整合资金购买了多少辆摆渡车？')).toMatchObject({ wantsFigure: true, unit: '辆', noun: '摆渡车', nounFrom: 'after' });
    expect(answerType('给村里支部书记办的培训班有几期？')).toMatchObject({ wantsFigure: true, unit: '期' });
  });

  it('reads the noun before a verb of amount, and a percentage for 占比', () => {
    expect(answerType('海西州年度人才资金增至多少？')).toMatchObject({ noun: '年度人才资金', nounFrom: 'before' });
    expect(answerType('社区“两委”中大专以上学历占比多少？')).toMatchObject({ unit: '%', noun: '大专以上学历' });
    expect(answerType('毕业不久的年轻人去村里当干部，海西有多少？').noun).toBeUndefined();
  });

  it('matches the asked figure only in the same clause as the asked noun', () => {
    const t = answerType('海西州各领域有多少个基层党组织？');
    expect(figureMatch('推动各领域1680个基层党组织全面进步', t)).toBe(2);
    expect(figureMatch('清洁能源突破1000万千瓦，推出15条生态旅游线路', t)).toBe(0);
    expect(figureMatch('基层党组织全面进步，推出15个线路', t)).toBe(1);
  });

  it('reads 人次 also in its printed form 人（次）', () => {
    const t = answerType('县级以上领导干部登台授课有多少人次？');
    expect(figureMatch('316人（次）县级以上领导干部登台授课', t)).toBe(1);
    expect(figureMatch('县级以上领导干部登台授课', t)).toBe(0);
  });

  it('lets a colloquial noun match its official wording through the glossary', () => {
    const q = '西宁给外卖骑手建了多少个歇脚点？';
    const t = answerType(q, glossary.expand(q));
    expect(t.nouns).toContain('驿站');
    expect(figureMatch('培育打造131个“夏都红骑手”爱心驿站', t)).toBe(2);
  });
});

describe('reciprocal rank fusion', () => {
  it('ranks an item found high in both lists above one found first in a single list', () => {
    const fused = reciprocalRankFusion([{ ids: ['a', 'b', 'c'] }, { ids: ['b', 'd', 'a'] }]);
    expect(fused.map((f) => f.id).slice(0, 2)).toEqual(['b', 'a']);
    expect(fused[0]!.score).toBeCloseTo(1 / 62 + 1 / 61);
  });
});
