import { describe, expect, it } from 'vitest';
import { findFigures, matchFigure } from '../../src/answer/figures.js';
import { checkGenerated, focusWord, isEverydayWord, topWords } from '../../src/answer/ground.js';
import { articleOf, isElliptical, placeNames, readFigureAsk, readListAsk, understand, type UnderstandContext } from '../../src/answer/query.js';
import { eventWords, itemsBefore } from '../../src/answer/synthesize.js';
import { numberedItems } from '../../src/answer/items.js';
import type { IndexRecord } from '../../src/types.js';
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
    // 占到多少 asks a share, of the noun before it
    expect(readFigureAsk('理论学习学时要占到多少？')).toMatchObject({ cls: 'percent', noun: '理论学习学时' });
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

describe('figures in rules and notices (a 条例, a 通知, a table row)', () => {
  it('a condition (3人以上的村, 满3年) does not answer 有多少; a stipulated amount (不少于10万元的标准) does', () => {
    const count = readFigureAsk('某乡有多少个党支部？')!;
    expect(matchFigure('有正式党员3人以上的村，应当成立党支部', count).strength).toBe(0);
    expect(findFigures('任职满3年的书记')[0]!.condition).toBe(true);
    const money = readFigureAsk('每个村一年的办公经费有多少？')!;
    expect(matchFigure('县财政按照每个村每年不少于8万元的标准安排村级办公经费', money).strength).toBeGreaterThan(0);
  });

  it('a threshold question (多少人以上的村) is answered by a condition; a target (计划发展多少名) is not', () => {
    expect(matchFigure('有正式党员3人以上的村，应当成立党支部', readFigureAsk('正式党员多少人以上的村要成立党支部？')!).strength).toBeGreaterThan(0);
    expect(matchFigure('流动党员3名以上的，应当成立流动党员党支部', readFigureAsk('今年计划发展多少名党员？')!).strength).toBe(0);
  });

  it('a bound question (最多能推迟几天) is answered by the bound, not by another figure of the unit', () => {
    const ask = readFigureAsk('述职最多能推迟几天？')!;
    expect(ask.bound).toBe(true);
    expect(matchFigure('每年固定2天集中述职。', ask).strength).toBe(1);
    expect(matchFigure('确需推迟的，推迟时间不得超过7天。', ask).strength).toBe(2);
  });

  it('what follows 的 belongs to the counted thing: 9个乡镇的全部社区 is not a count of 社区', () => {
    expect(matchFigure('本办法适用于全区9个乡镇的全部社区党组织。', readFigureAsk('全区有多少个社区？')!).strength).toBe(0);
  });

  it('a modifier stated once for a run of figures counts: 新业态企业40家，从业党员12人 for 新业态从业党员', () => {
    const ask = readFigureAsk('新业态从业党员有几个？')!;
    expect(matchFigure('全区有新业态企业40家，从业人员900余人，从业党员12人。', ask).strength).toBe(2);
    expect(matchFigure('全区有企业40家，党员12人。', ask).strength).toBe(0);
  });

  it('counts actions with 次: 考核几次 is not answered by 6项指标 or by 1次测评', () => {
    const ask = readFigureAsk('站长一年考核几次？')!;
    expect(ask).toMatchObject({ unit: '次', noun: '考核' });
    expect(matchFigure('将6项指标作为平时考核指标', ask).strength).toBe(0);
    expect(matchFigure('每季度开展1次满意度测评', ask).strength).toBe(0);
    expect(matchFigure('站长每半年考核1次', ask).strength).toBeGreaterThan(0);
  });

  it('reads an age (多大年纪) and counts people in general (当地人) by any figure of people', () => {
    expect(readFigureAsk('社区书记平均多大年纪？')).toMatchObject({ unit: '岁', cls: 'age' });
    expect(matchFigure('书记平均年龄42岁', readFigureAsk('书记多大年纪？')!).strength).toBe(2);
    expect(matchFigure('吸纳周边牧民就业35名', readFigureAsk('景区招了多少个当地人？')!).strength).toBe(2);
  });
});

describe('understand: durations, periods and several articles', () => {
  it('外出多久 asks for a duration (a threshold when followed by 要/应当); 多长时间……一次 asks for a period', () => {
    const ask = understand('流动党员外出多久要转接组织关系？', ctx);
    expect(ask.figure).toMatchObject({ cls: 'time', bound: true });
    expect(matchFigure('外出3个月以上的党员，应当转接组织关系', ask.figure!).strength).toBeGreaterThan(0);
    expect(understand('党小组多长时间向支部汇报一次？', ctx).when).toBe(true);
  });

  it('reads every article of “第4条和第五条” in the order asked', () => {
    expect(understand('第4条和第五条分别规定了什么？', ctx)).toMatchObject({ article: '第四条', articles: ['第四条', '第五条'] });
    expect(understand('第六条规定了什么？', ctx).articles).toBeUndefined();
  });
});

describe('understand: a document named by a short name', () => {
  const docs = [
    { source: 'a.txt', title: '某县村级党组织工作规则（试行）', sections: [] },
    { source: 'b.md', title: '某县流动党员管理办法', sections: [] },
    { source: 'c.md', title: '某县党员积分管理办法', sections: [] },
    { source: 'd.txt', title: '关于开展党费收缴专项检查的通知', sections: [] },
  ] as unknown as UnderstandContext['documents'];
  const named = (q: string) => understand(q, { ...ctx, documents: docs }).source;

  it('names a document by its kind and the words before it, contiguous in the title or not', () => {
    expect(named('工作规则第十一条讲的是什么？')).toBe('a.txt');
    expect(named('积分管理办法什么时候施行？')).toBe('c.md');
    expect(named('党费检查通知要求哪天前自查？')).toBe('d.txt');
  });

  it('copies of one document in several formats (.docx and .pdf of one 办法) are one document', () => {
    const copies = [...docs, { source: 'b.pdf', title: '某县流动党员管理办法', sections: [] }] as unknown as UnderstandContext['documents'];
    expect(understand('流动党员管理办法第五条讲的是什么？', { ...ctx, documents: copies }).source).toBe('b.md');
  });

  it('names none when the short name fits several titles, or when a kind word is only a noun in the sentence', () => {
    expect(named('管理办法第三条怎么规定？')).toBeUndefined();
    expect(named('述职报告不超过多少字？')).toBeUndefined();
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

describe('figures as other documents print them (a PDF copy, a score table, a short form)', () => {
  it('reads a figure set apart by spaces, as PDF and print extractions give it (“58 个观摩点”)', () => {
    const [f] = findFigures('走过机关、学校等领域 58 个观摩点，通过现场测评');
    expect(f).toMatchObject({ text: '58 个', unit: '个', counted: '观摩点' });
  });

  it('reads points (90分) and characters (3000字) after digits only: 十分重要 is no figure and 三分之一 is a share, not points', () => {
    expect(findFigures('年度积分90分以上的评为优秀').map((f) => f.text)).toEqual(['90分']);
    expect(findFigures('述职报告一般不超过3000字').map((f) => f.text)).toEqual(['3000字']);
    expect(findFigures('这项工作十分重要，占三分之一').map((f) => [f.text, f.cls])).toEqual([['三分之一', 'percent']]);
  });

  it('a question with no measure word accepts a figure of any class that counts its noun (多少党费 ← 党费0.2元)', () => {
    const ask = readFigureAsk('农民党员每个月交多少党费？')!;
    expect(ask).toMatchObject({ noun: '党费', anyClass: true });
    expect(matchFigure('农民党员每月交纳党费0.2元至1元', ask).strength).toBe(2);
    // but a figure of another class counting something else does not
    expect(matchFigure('全年收缴党费的支部有12个', { ...ask, noun: '党费', head: '党费' }).strength).toBe(0);
  });

  it('a short form counts as its full form (村支书 ← 村党支部书记, 远程教育站点 ← 远程教育终端站点)', () => {
    expect(matchFigure('对全县120个远程教育终端站点实施改造', readFigureAsk('有多少个远程教育站点？')!).strength).toBe(2);
    const pay = understand('村支书一年大概能拿多少钱？', ctx).figure!;
    expect(pay.noun).toBe('村支书');
    expect(matchFigure('村党支部书记年均报酬达到4.6万元', pay).strength).toBeGreaterThan(0);
  });

  it('an age that qualifies people (多大年纪的党员可以……) is a threshold, answered by a condition (年满70周岁以上的)', () => {
    const ask = readFigureAsk('多大年纪的党员可以不参加积分管理？')!;
    expect(ask).toMatchObject({ cls: 'age', threshold: true });
    expect(matchFigure('年满65周岁以上的党员，可以不参加积分管理。', ask).strength).toBe(2);
  });
});

describe('items written before the phrase that names them', () => {
  const rec = (text: string) => ({ id: 'x#c0', source: 'x.txt', title: 'x', section: '', text, type: 'chunk', places: [], domains: [] }) as unknown as IndexRecord;
  it('reads a quoted set opening with a number whatever follows it (“五型服务模式”, “三百活动”)', () => {
    expect(readListAsk('某县的“五型服务模式”包括哪些？')).toMatchObject({ count: 5, phrase: '五型服务模式' });
    expect(readListAsk('“三百活动”指的是哪三个？')).toMatchObject({ count: 3, phrase: '三百活动' });
  });

  it('takes the 、-run before 等 and the phrase, without the verb opening it, and a run of quoted names', () => {
    expect(itemsBefore(rec('全县探索建立帮扶机制，打造助老服务、托幼服务、文化服务等“五型服务模式”，成效明显。'), '五型服务模式')).toEqual(['助老服务', '托幼服务', '文化服务']);
    expect(itemsBefore(rec('开展“百名书记领学”“百名党员示范”“百名青年跟学”三百活动。'), '三百活动')).toEqual(['百名书记领学', '百名党员示范', '百名青年跟学']);
    // a phrase with nothing listed before it gives nothing
    expect(itemsBefore(rec('全县深入推进“五型服务模式”。'), '五型服务模式')).toEqual([]);
  });
});

describe('numbered items in running text', () => {
  it('reads 一是……；二是……；三是…… as items, and not 统一是 or 第一是 inside a clause', () => {
    const found = numberedItems('存在的问题：一是学习不够深入，流于形式；二是台账记录简单化；三是少数支部督促不够。');
    expect(found?.items).toEqual(['学习不够深入，流于形式', '台账记录简单化', '少数支部督促不够']);
    expect(numberedItems('思想统一是前提，行动一致是关键。')).toBeUndefined();
  });
});

describe('place names the lexicon does not know', () => {
  it('reads a county or township name (石湾县, 新城镇), not a word of scope or an everyday word (全县, 各乡镇, 超市, 自治州)', () => {
    expect(placeNames('石湾县发展了多少名党员？')).toEqual(['石湾县']);
    expect(placeNames('新城镇有几个村？')).toEqual(['新城镇']);
    for (const q of ['全县有多少个党支部？', '各乡镇要在什么时候前完成？', '能换东西的超市在哪个社区？', '某自治州有多少社区？', '县委组织部什么时候印发？']) expect(placeNames(q)).toEqual([]);
  });
});

describe('totals and quoted names', () => {
  it('a total of a bare noun (一共有多少名党员) is not answered by a part of it (一线党员41名, 发展党员69名), but by the noun with a word of scope', () => {
    const ask = readFigureAsk('某县一共有多少名党员？')!;
    expect(ask).toMatchObject({ noun: '党员', total: true });
    expect(matchFigure('生产工作一线党员41名，占59.4%。', ask).strength).toBe(0);
    expect(matchFigure('全年发展党员69名。', ask).strength).toBe(0);
    expect(matchFigure('全县共有党支部412个、党员9860名。', ask).strength).toBe(2);
    // without 一共 a part still answers as before
    expect(matchFigure('生产工作一线党员41名。', readFigureAsk('有多少名党员？')!).strength).toBe(2);
  });

  it('a quoted name right after the measure word is the counted noun (以464个“全科网格”为基石)', () => {
    const [f] = findFigures('以120个“红色网格”为基石，提升治理效能。');
    expect(f).toMatchObject({ counted: '红色网格', side: 'after' });
  });
});

describe('measure words of one kind', () => {
  it('a figure in a measure word of another kind does not answer (办了几期 ← 培训班4期, not 积极分子50名)', () => {
    const ask = understand('积极分子培训班办了几期？', ctx).figure!;
    expect(ask).toMatchObject({ unit: '期' });
    expect(matchFigure('每年培养积极分子培训班学员不少于50名', ask).strength).toBe(0);
    expect(matchFigure('举办积极分子培训班4期', ask).strength).toBe(2);
    // people, list items and sessions each go with their own kind, and 个 with any
    expect(matchFigure('制定整改措施58项', readFigureAsk('制定了多少条整改措施？')!).strength).toBe(2);
    expect(matchFigure('举办轮训班2批', readFigureAsk('举办了几期轮训班？')!).strength).toBe(2);
    expect(matchFigure('建成党群服务站12个', readFigureAsk('建成了几座党群服务站？')!).strength).toBe(2);
  });
});

describe('understand: a change asked as one question', () => {
  it('“从多少条减到了多少条” asks two figures of one thing, before and after, each with the counted noun', () => {
    const q = understand('精简以后，考核指标从多少条减到了多少条？', ctx);
    expect(q.parts.map((p) => p.text)).toEqual(['精简以后，考核指标原来有多少条', '精简以后，考核指标减到多少条']);
    for (const p of q.parts) expect(p.figure).toMatchObject({ unit: '条', noun: '考核指标' });
  });
});

describe('understand: document facts and dated events', () => {
  it('reads a question about a document (文号, 哪个单位印发, 什么时候印发) as a metadata ask, not a figure', () => {
    expect(understand('这个通知的文号是什么？', ctx)).toMatchObject({ meta: 'docNumber', figure: undefined });
    expect(understand('这个办法是哪个单位印发的？', ctx).meta).toBe('issuer');
    expect(understand('这个方案是什么时候印发的？', ctx).meta).toBe('date');
    expect(understand('这个方案有几项任务？', ctx).meta).toBeUndefined();
  });

  it('哪一年 asks when, not for a list; the event asked is its verb (废止), not the nouns’ (管理办法)', () => {
    const q = understand('某县流动党员管理办法是哪一年废止的？', ctx);
    expect(q).toMatchObject({ when: true, list: undefined });
    expect(eventWords(q.text)).toEqual(['废止']);
    // a verb with a complement of time (放在) asks for the time itself
    expect(eventWords('主题党日一般放在哪天？')).toEqual([]);
  });
});
