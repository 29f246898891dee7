import { describe, expect, it } from 'vitest';
import { draftTopic } from '../../src/answer/summarize.js';
import { inReadingOrder, issuingVerb, readingOrder } from '../../src/answer/summary/draft.js';
import { compoundParts, weightIn, type TopicWeights } from '../../src/answer/summary/relevance.js';
import { informativeness, isDateline, isLayoutLine, withoutAddressees } from '../../src/answer/summary/text.js';
import type { IndexRecord, Summary } from '../../src/types.js';
import { assistantOn } from './support.js';

/** The bullet lines of a draft. */
const bullets = (s: Summary) => s.summary.split('\n').filter((l) => l.startsWith('- '));
/** The bullet led by a heading that contains `heading`. */
const bulletOf = (s: Summary, heading: string) => bullets(s).find((b) => b.startsWith('- **') && b.split('**')[1]!.includes(heading)) ?? '';

describe('request words that frame a document (synthetic)', () => {
  it('reads 把…总结一下 as a request about its object', () => {
    expect(draftTopic('把青禾县人才工作总结一下')).toBe('青禾县人才工作');
    expect(draftTopic('请把柳湾镇党员联户归纳一下')).toBe('柳湾镇党员联户');
  });

  it('keeps a kind that names documents after a pointer in the middle (那个调研报告, 那份通知), drops a generic one (那篇报道)', () => {
    expect(draftTopic('把社区后备干部那个调研报告总结一下')).toBe('社区后备干部调研报告');
    expect(draftTopic('党费检查的那份通知')).toBe('党费检查通知');
    expect(draftTopic('柳湾镇党员联户那篇报道')).toBe('柳湾镇党员联户');
  });

  it('reads “…有哪些要求” as a request for the 要求 of what it names', () => {
    expect(draftTopic('社区两委换届准备工作有哪些要求')).toBe('社区两委换届准备工作的要求');
    expect(draftTopic('流动党员管理有什么具体规定')).toBe('流动党员管理的规定');
    // (in a field, 在…方面, and where to look, 这几份文件里, frame the topic: neither is part of it)
    expect(draftTopic('松岙县这几份文件里，在给基层减负方面都提了哪些要求')).toBe('松岙县给基层减负的要求');
  });
});

describe('sentence rules of official documents (synthetic)', () => {
  it('drops the 主送机关 that opens a 通知, never a sentence whose subject opens with 各', () => {
    expect(withoutAddressees('各街道党工委，县委各部委办，县直各单位党组（党委）：根据上级部署，换届定于6月进行。')).toBe('根据上级部署，换届定于6月进行。');
    expect(withoutAddressees('各乡镇党委、各村党支部：现将有关事项通知如下。')).toBe('现将有关事项通知如下。');
    expect(withoutAddressees('各乡镇党委，县直机关工委，县委各部门党组织：为进一步规范党费管理，现通知如下。')).toBe('为进一步规范党费管理，现通知如下。');
    expect(withoutAddressees('各街道党工委要逐社区分析研判，于4月30日前完成。')).toBe('各街道党工委要逐社区分析研判，于4月30日前完成。');
    expect(withoutAddressees('各社区要做到三个明确：明确责任人、明确时限、明确标准。')).toBe('各社区要做到三个明确：明确责任人、明确时限、明确标准。');
  });

  it('reads naming who answers for a task (第一责任人, 负总责) as a requirement that tells something', () => {
    expect(informativeness('各街道党工委书记是换届准备工作的第一责任人。')).toBeGreaterThanOrEqual(1);
    expect(informativeness('县委组织部对数据的真实性负总责。')).toBeGreaterThanOrEqual(1);
    expect(informativeness('换届工作意义重大。')).toBeLessThan(1);
  });

  it('reads a date standing alone as a dateline, a date inside a sentence as content', () => {
    expect(isDateline('2027年3月')).toBe(true);
    expect(isDateline('2027年3月15日')).toBe(true);
    expect(isDateline('2027年3月15日前完成摸底排查。')).toBe(false);
  });

  it('reads words parted by spaces without a closing mark as layout (a print table row), quoted titles and prose as text', () => {
    expect(isLayoutLine('集中选举2027年6月1日—6月30 社区党组织换届选举 各街道党工委')).toBe(true);
    expect(isLayoutLine('本报记者 王某 通讯员 李某')).toBe(true);
    expect(isLayoutLine('开展“抗洪一线党旗红 闻讯而动显担当”主题活动。')).toBe(false);
    expect(isLayoutLine('换届后社区“两委”班子中女性成员比例不低于30%')).toBe(false);
  });

  it('puts a quote of a passage where it stands in the passage', () => {
    const text = '共储备后备干部215名。从年龄看，35周岁以下的132名。从来源看，退役军人41名。2026年以来，12名进入班子。';
    const once = inReadingOrder('共储备后备干部215名。', '2026年以来，12名进入班子。', text);
    expect(inReadingOrder(once, '从年龄看，35周岁以下的132名。', text)).toBe('共储备后备干部215名。从年龄看，35周岁以下的132名。2026年以来，12名进入班子。');
  });

  it('quotes other passages of one document in the order it prints them, those of several documents as taken', () => {
    const at = (source: string, start: number) => ({ record: { source, start } as IndexRecord, text: `${source}@${start}` });
    expect(readingOrder([at('banfa.md', 900), at('banfa.md', 400)], 'banfa.md').map((a) => a.text)).toEqual(['banfa.md@400', 'banfa.md@900']);
    expect(readingOrder([at('a.txt', 900), at('b.txt', 400)], 'a.txt').map((a) => a.text)).toEqual(['a.txt@900', 'b.txt@400']);
  });

  it('says a report is 形成 and a 通知 or 办法 is 印发', () => {
    expect(issuingVerb('关于桐岭县社区后备干部队伍建设情况的调研报告')).toBe('形成');
    expect(issuingVerb('桐岭县2026年党建工作总结（草稿）')).toBe('形成');
    expect(issuingVerb('关于做好2027年社区“两委”换届准备工作的通知')).toBe('印发');
    expect(issuingVerb('桐岭县党员志愿服务管理办法（试行）')).toBe('印发');
  });
});

describe('how much a passage is about a compound topic word (synthetic)', () => {
  it('splits a compound into the words it is written with, not its overlapping sub-words', () => {
    expect(compoundParts('干部队伍')).toEqual(['干部', '队伍']);
    expect(compoundParts('减负')).toEqual([]);
  });

  it('counts a compound in part for a passage that keeps naming one of its parts, not for one naming it in passing', () => {
    const weights: TopicWeights = new Map([
      ['干部队伍', { weight: 0.7, alts: [], parts: ['干部', '队伍'] }],
      ['建设', { weight: 0.3, alts: [], parts: [] }],
    ]);
    const onCadres = '选派45名机关干部到基层挂职，调整不适宜担任现职干部6名，对12名干部优先晋升职级。';
    const inPassing = '联动领导干部、专家学者等资源，建设党员教育师资库。';
    expect(weightIn(onCadres, weights)).toBe(0);
    expect(weightIn(onCadres, weights, true)).toBeCloseTo(0.35);
    expect(weightIn(inPassing, weights, true)).toBeCloseTo(0.3);
    expect(weightIn('干部队伍建设', weights, true)).toBeCloseTo(1);
  });
});

/** A synthetic 调研报告 (fictional 桐岭县): a byline and its date, then 一、基本情况 / 二、存在的问题 / 三、对策建议 with figures. */
const REPORT = [
  '关于桐岭县社区后备干部队伍建设情况的调研报告',
  // (the reader takes a title's next lines into it when nothing parts them: reported to the integrator)
  '（虚构示例，仅用于测试）',
  '县委组织部调研组',
  '2027年3月',
  '为摸清全县社区后备干部底数，2027年1月至2月，县委组织部调研组深入6个街道开展专题调研，发放问卷300份。现将有关情况报告如下。',
  '一、基本情况',
  '截至2027年2月底，全县48个社区共储备后备干部215名。从年龄看，35周岁以下的132名，占61.4%；从学历看，大专以上学历的150名，占69.8%。从来源看，退役军人41名，返乡大学生77名。',
  '综上，全县共储备后备干部215名，35周岁以下的占61.4%。',
  '二、主要做法',
  '（一）严格选苗。通过群众推荐、党员推荐等方式，把优秀人选纳入后备干部库，2026年新纳入43名。',
  '（二）导师帮带。为每名后备干部明确1名导师，帮带期2年。',
  '（三）实践锻炼。安排后备干部到网格员岗位锻炼，累计锻炼186人次。',
  '（四）跟踪考核。每年考核1次，考核不合格的调整出库，2026年调整出库9名。',
  '三、存在的问题',
  '一是结构不够合理。城区社区后备干部占全县的58%。二是流失较多。2026年全县流失后备干部26名，每月生活补贴仅400元，难以留住年轻人。',
  '四、对策建议',
  '（一）提高补贴标准。将生活补贴由每月400元提高到每月700元。',
  '（二）加强实践锻炼。安排后备干部到社区网格员等岗位锻炼，每人每年轮岗不少于2个岗位。',
  '县委组织部调研组',
  '2027年3月15日',
].join('\n\n');

/** A synthetic 通知 with its 主送机关, four 要求 each with its figure, and a 落款. */
const NOTICE = [
  '# 关于做好2027年社区（居委会）“两委”换届准备工作的通知',
  '桐组通〔2027〕12号',
  '各街道党工委，县委各部委办，县直各单位党组（党委）：',
  '根据上级部署，全县社区“两委”换届定于2027年6月集中进行。社区后备干部是换届人选的重要来源。为做好准备工作，现通知如下。',
  '## 一、开展摸底排查',
  '各街道党工委要逐社区分析研判，建立工作台账，于2027年4月30日前完成摸底排查。',
  '## 二、严把人选条件',
  '社区党组织书记人选年龄一般不超过50周岁，应具有大专以上学历。',
  '## 三、优化班子结构',
  '换届后社区“两委”班子中女性成员比例不低于30%，至少有1名35周岁以下的年轻成员。',
  '## 四、做好离任审计',
  '对社区党组织书记开展离任审计，审计结果公示时间不少于5天。',
  '## 五、工作要求',
  '各街道党工委书记是换届准备工作第一责任人。各街道党工委于每月25日前报送工作进展情况。',
  '中共桐岭县委组织部',
  '2027年3月20日',
].join('\n\n');

/** A synthetic 条例 of articles, about another subject (志愿服务): it shares the words 社区 and 工作 with the others. */
const RULES = [
  '# 桐岭县社区党员志愿服务工作条例',
  '第一条 为规范社区党员志愿服务工作，制定本条例。',
  '第二条 社区党员每年参加志愿服务不少于24小时。',
  '第三条 志愿服务情况每半年公示1次，纳入党员积分管理。',
].join('\n\n');

const meta = (title: string, date: string) => `title: ${title}\nplace: 桐岭县\ndate: "${date}"\n`;

const corpus = assistantOn({
  'diaoyan.txt': REPORT,
  'tongzhi.md': NOTICE,
  'tongzhi.meta.yaml': meta('关于做好2027年社区（居委会）“两委”换届准备工作的通知', '2027-03-20'),
  'tiaoli.md': RULES,
  'tiaoli.meta.yaml': meta('桐岭县社区党员志愿服务工作条例', '2027-01-10'),
});

describe('summaries of a document named loosely (synthetic corpus)', () => {
  it('drafts the whole 调研报告 a request names by a part of its title and its kind (把…那个调研报告总结一下)', async () => {
    const s = await corpus.assistant.summarize('把社区后备干部那个调研报告总结一下');
    expect(s.grounded).toBe(true);
    expect(s.summary.split('\n')[0]).toBe('## 关于桐岭县社区后备干部队伍建设情况的调研报告');
    // each part with its figures: the situation, the problems, the proposals
    for (const fact of ['215名', '61.4%', '26名', '400元', '700元']) expect(s.summary).toContain(fact);
    // the byline's date is no bullet's content
    for (const b of bullets(s)) expect(b).not.toMatch(/2027年3月\s*\[/);
    // the situation is quoted in the report's order
    const situation = bulletOf(s, '基本情况');
    expect(situation.indexOf('215名')).toBeGreaterThan(-1);
    expect(situation.indexOf('215名')).toBeLessThan(situation.indexOf('61.4%'));
    expect(s.summary.length).toBeLessThan(1200);
    // the sub-parts of 主要做法 in the report's order; a sentence restating figures already quoted is left out
    const measures = bulletOf(s, '主要做法');
    const seen = ['43名', '1名导师', '186人次', '9名'].map((f) => measures.indexOf(f)).filter((k) => k >= 0);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(s.summary).not.toContain('综上');
    // and each once
    for (const f of ['43名', '1名导师', '186人次', '9名']) expect(measures.split(f).length).toBeLessThanOrEqual(2);
  });

  it('quotes the sub-parts of a section in the order of the report when the length allows only some of them', async () => {
    for (const maxChars of [700, 800, 900]) {
      const s = await corpus.assistant.summarize('把社区后备干部那个调研报告总结一下', { maxChars });
      const measures = bulletOf(s, '主要做法');
      const quoted = ['43名', '1名导师', '186人次', '9名'].map((f) => measures.includes(f));
      // (a later sub-part only after every earlier one)
      expect(quoted, `${maxChars}: ${measures}`).toEqual([...quoted].sort((a, b) => Number(b) - Number(a)));
    }
  });

  it('drafts the 通知 whose title holds the words of a question of its 要求, each 要求 with its figure, without its 主送机关', async () => {
    const s = await corpus.assistant.summarize('桐岭县社区两委换届准备工作有哪些要求');
    expect(s.grounded).toBe(true);
    expect(s.summary.split('\n')[0]).toBe('## 关于做好2027年社区（居委会）“两委”换届准备工作的通知');
    for (const fact of ['4月30日', '50周岁', '30%', '5天', '第一责任人']) expect(s.summary).toContain(fact);
    expect(s.summary).not.toContain('县委各部委办');
    expect(s.summary).toContain('印发');
  });

  it('drafts the 通知 named by a part of its title before “的那份通知”', async () => {
    const s = await corpus.assistant.summarize('总结一下换届准备工作的那份通知');
    expect(s.summary.split('\n')[0]).toBe('## 关于做好2027年社区（居委会）“两委”换届准备工作的通知');
  });

  it('drafts a 条例 asked of its 规定 by its articles', async () => {
    const s = await corpus.assistant.summarize('社区党员志愿服务工作条例有哪些规定');
    expect(s.summary.split('\n')[0]).toBe('## 桐岭县社区党员志愿服务工作条例');
    for (const fact of ['24小时', '每半年公示1次']) expect(s.summary).toContain(fact);
  });

  it('keeps a subject whose words several titles hold a topic across them', async () => {
    // (社区 and 工作 are in the 通知's title and the 条例's: neither is named)
    const s = await corpus.assistant.summarize('总结桐岭县社区工作');
    expect(s.summary.split('\n')[0]).toBe('## 桐岭县社区工作');
  });
});

describe('a summary requested in chat after its topic', () => {
  it('routes 把…那个调研报告总结一下 asked as a chat question to the summary draft, not to a question answer', async () => {
    const a = await corpus.assistant.ask('把社区后备干部那个调研报告总结一下');
    expect(a.answer.split('\n')[0]).toBe('## 关于桐岭县社区后备干部队伍建设情况的调研报告');
  });

  it('routes a content request in chat words (…讲了啥, 说说…, 帮我写个…的简报) to the summary draft of the document it names', async () => {
    for (const q of ['社区后备干部调研报告讲了啥', '说说社区后备干部那个调研报告', '帮我写个社区后备干部调研报告的简报', '社区后备干部调研报告的主要内容是什么', '社区后备干部那个调研报告都有啥内容', '社区后备干部那个调研报告讲的啥']) {
      const a = await corpus.assistant.ask(q);
      expect(a.answer.split('\n')[0]).toBe('## 关于桐岭县社区后备干部队伍建设情况的调研报告');
    }
  });

  it('still answers a plain figure question, or an article asked with 讲的是什么, as a question, not as a summary draft', async () => {
    const a = await corpus.assistant.ask('社区后备干部一共储备了多少名');
    expect(a.answer.startsWith('## ')).toBe(false);
    const b = await corpus.assistant.ask('志愿服务工作条例第三条讲的是什么');
    expect(b.answer.startsWith('## ')).toBe(false);
    // (the contents of a part, not of a document named by its kind)
    const c = await corpus.assistant.ask('志愿服务的内容是什么');
    expect(c.answer.startsWith('## ')).toBe(false);
  });
});

/** A synthetic 办法 of chapters, one of which is headed by words of the title (积分管理 in 积分制管理办法). */
const SCORES = [
  '# 桐岭县农村党员积分制管理办法（虚构）',
  '## 第一章 总则',
  '第一条 为加强农村党员日常管理，制定本办法。',
  '## 第二章 积分构成',
  '第二条 每名党员年初基础分为100分，全年加分累计不超过30分。',
  '## 第三章 积分管理',
  '第三条 村党组织明确1名支部委员担任积分管理员。',
  '## 第四章 结果运用',
  '第四条 年度积分110分以上为优秀，70分以下为不合格。',
].join('\n\n');
/** Another county's 办法 on the same subject, so that the title words alone name no one document. */
const OTHER_SCORES = ['# 柏川县农村党员积分管理办法（虚构）', '第一条 为加强党员管理，制定本办法。', '第二条 党员积分每季度公示一次。'].join('\n\n');
const scores = assistantOn({
  'jifen.md': SCORES,
  'jifen.meta.yaml': meta('桐岭县农村党员积分制管理办法（虚构）', '2027-02-01'),
  'jifen-other.md': OTHER_SCORES,
  'jifen-other.meta.yaml': 'title: 柏川县农村党员积分管理办法（虚构）\nplace: 柏川县\ndate: "2026-05-01"\n',
});

describe('a topic naming a document by its title words', () => {
  it('drafts the whole 办法, not its chapter whose heading is made of the title’s words (积分管理)', async () => {
    const s = await scores.assistant.summarize('桐岭县农村党员积分管理都有哪些规定');
    for (const fact of ['100分', '积分管理员', '110分']) expect(s.summary).toContain(fact);
  });
});
