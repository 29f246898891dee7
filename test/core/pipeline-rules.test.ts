import { describe, expect, it } from 'vitest';
import { findFigures, matchFigure } from '../../src/answer/figures.js';
import { checkGenerated, focusWord, isEverydayWord, topWords } from '../../src/answer/ground.js';
import { articleOf, isElliptical, readFigureAsk, readListAsk, understand, type UnderstandContext } from '../../src/answer/query.js';
import { Lexicon } from '../../src/ingest/lexicon.js';
import { Glossary } from '../../src/retrieval/glossary.js';

/** One rule per test, each on a small synthetic input (not sentences copied from the reports). */
const ctx: UnderstandContext = { lexicon: Lexicon.load('data'), glossary: Glossary.load('data'), documents: [] };

describe('understand: the asked figure', () => {
  it('reads the measure word 份 and the whole counted noun, not a 6-character slice', () => {
    const f = readFigureAsk('某县建立了多少份党建责任清单？')!;
    expect(f).toMatchObject({ unit: '份', cls: 'count', noun: '党建责任清单', head: '清单' });
  });

  it('reads 几个党员 like 多少名党员: a count of people', () => {
    expect(readFigureAsk('这个支部有几个党员？')).toMatchObject({ unit: '个', cls: 'count', noun: '党员' });
  });

  it('reads money (多少钱) and percentages (占比多少) as their own classes', () => {
    expect(readFigureAsk('村干部一年能拿多少钱？')!.cls).toBe('money');
    expect(readFigureAsk('大专以上学历占比多少？')!.cls).toBe('percent');
  });

  it('takes the noun before a verb of amount when nothing follows 多少', () => {
    expect(readFigureAsk('年度人才资金增至多少？')).toMatchObject({ noun: '年度人才资金', head: '资金' });
  });

  it('does not count a place: “海西有多少？” names no counted noun', () => {
    const q = understand('毕业的年轻人去村里，海西有多少？', ctx);
    expect(q.figure?.noun).toBeUndefined();
  });
});

describe('understand: lists, parts, articles, intents', () => {
  it('reads an announced set: 哪“六种关系” → 6 items whose head is 关系', () => {
    expect(readListAsk('需要把握好哪“六种关系”？')).toMatchObject({ count: 6, head: '关系', phrase: '六种关系' });
    expect(readListAsk('“四个课堂”分别是什么？')).toMatchObject({ count: 4, head: '课堂' });
    expect(readListAsk('有哪些服务阵地？')).toMatchObject({ noun: '服务阵地' });
    expect(readListAsk('支部有多少名党员？')).toBeUndefined();
  });

  it('splits a two-part question and carries the counted noun into the elliptical part', () => {
    const q = understand('申报事项以前有多少项，现在剩几项？', ctx);
    expect(q.parts.map((p) => p.text)).toEqual(['申报事项以前有多少项', '现在剩几项']);
    expect(q.parts[1]!.figure?.noun).toBe('申报事项');
  });

  it('normalises an article number to Chinese numerals', () => {
    expect(articleOf('第18条是怎么规定的？')).toBe('第十八条');
    expect(articleOf('第二十一条')).toBe('第二十一条');
    expect(articleOf('第一百零五条')).toBe('第一百零五条');
    expect(articleOf('第三批试点')).toBeUndefined();
  });

  it('greets and helps instead of refusing', () => {
    expect(understand('你好', ctx).intent).toBe('greeting');
    expect(understand('你能做什么？', ctx).intent).toBe('help');
    expect(understand('请总结某县党员教育的做法', ctx)).toMatchObject({ intent: 'summary', topic: '某县党员教育的做法' });
    expect(understand('三会一课是什么意思？', ctx).intent).toBe('glossary');
  });

  it('uses the previous turn only for an elliptical question, never because a question is short', () => {
    const history = [{ question: '海西州吸引了多少名大学生到村任职？', answer: '467名' }];
    expect(understand('社区工作者工资怎么定的？', { ...ctx, history }).searchText).toBe('社区工作者工资怎么定的？');
    expect(understand('其中担任村党支部书记的有多少名？', { ...ctx, history }).searchText).toContain('大学生');
    expect(isElliptical('那西宁市呢？')).toBe(true);
    expect(isElliptical('这些措施的效果怎样？')).toBe(true);
    expect(isElliptical('党费怎么交？')).toBe(false);
  });

  it('caps a very long question and says it did', () => {
    const q = understand('党员'.repeat(3000), ctx);
    expect(q.text.length).toBe(2000);
    expect(q.truncated).toBe(true);
  });
});

describe('figures in evidence', () => {
  it('finds figures with what they count, and skips dates, years and ordinals', () => {
    const f = findFigures('全县共有基层党组织86个，2025年12月15日前完成第三批，发展党员42名。');
    expect(f.map((x) => [x.text, x.counted])).toEqual([
      ['86个', '基层党组织'],
      ['42名', '发展党员'],
    ]);
  });

  it('a figure counting a different noun does not answer: 党员群众76名 is not a count of 党员', () => {
    const ask = readFigureAsk('全县有多少名党员？')!;
    expect(matchFigure('参与积分兑换的党员群众76名', ask).strength).toBe(0);
    expect(matchFigure('全县现有党员1203名', ask).strength).toBe(2);
    expect(matchFigure('全县党员总数达到1203人', ask).strength).toBe(2);
  });

  it('a more general noun does not answer for a more specific one (党员 for 新党员)', () => {
    expect(matchFigure('从业党员32人', readFigureAsk('今年发展了多少名新党员？')!).strength).toBe(0);
  });

  it('a chain “由原来的56项压减至21项” counts the same thing twice', () => {
    const f = findFigures('申报事项由原来的56项压减至21项');
    expect(f.map((x) => x.counted)).toEqual(['申报事项', '申报事项']);
  });

  it('figures in Chinese numerals (评选出的十个党组织) never beat a statistic', () => {
    const ask = readFigureAsk('有多少个基层党组织？')!;
    expect(matchFigure('评选出十个基层党组织', ask).strength).toBeLessThan(2);
    expect(matchFigure('推动各领域1680个基层党组织全面进步', ask).strength).toBe(2);
  });
});

describe('grounding helpers', () => {
  it('everyday words (钱, 工资, 明天) are not specific; names and Latin words are', () => {
    expect(isEverydayWord('工资')).toBe(true);
    expect(isEverydayWord('明天')).toBe(true);
    expect(isEverydayWord('python')).toBe(false);
    expect(isEverydayWord('浦东新区')).toBe(false);
  });

  it('finds the focus of a general question', () => {
    expect(focusWord('明天西宁天气怎么样？')).toBe('天气');
    expect(focusWord('唐古拉山镇探索了什么经营模式？')).toBe('经营');
  });

  it('drops sub-words of longer question words', () => {
    expect(topWords(['海西州', '海西', '党组织', '组织', '组'])).toEqual(['海西州', '党组织']);
  });

  it('rejects a generated answer with a figure no cited passage holds, or a citation to no passage', () => {
    const passages = new Map([[1, '全县发展党员42名。']]);
    expect(checkGenerated('全县发展党员42名[1]。', passages).ok).toBe(true);
    expect(checkGenerated('全县发展党员420名[1]。', passages)).toMatchObject({ ok: false, unsupportedFigures: ['420名'] });
    expect(checkGenerated('全县发展党员42名[2]。', passages)).toMatchObject({ ok: false, danglingCitations: [2] });
    expect(checkGenerated('全县发展党员42名。', passages).ok).toBe(false);
  });
});
