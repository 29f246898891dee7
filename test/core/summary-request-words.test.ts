import { describe, expect, it } from 'vitest';
import { draftTopic } from '../../src/answer/summarize.js';
import { informativeness, isApparatus, quantities } from '../../src/answer/summary/text.js';
import { assistantOn } from './support.js';

/** Request words around a summary's topic (synthetic requests, one rule per case). */
describe('draftTopic', () => {
  it('drops a pointer after a title (那篇, 这篇报道, 那份通知)', () => {
    expect(draftTopic('“数字+”赋能党员管理那篇')).toBe('“数字+”赋能党员管理');
    // (a kind that names documents stays: 通知 narrows the title words to the notices)
    expect(draftTopic('红色驿站建设的那份通知')).toBe('红色驿站建设通知');
    expect(draftTopic('那个书记考核评分细则')).toBe('书记考核评分细则');
    // a request that is nothing but the pointer stays as it came (the thread resolves it)
    expect(draftTopic('这篇报道')).toBe('这篇报道');
  });

  it('drops a colloquial “matter” closing the topic (…的事儿) and a pointer inside it (天峻那个社区…)', () => {
    expect(draftTopic('青禾那个社区积分兑换的事儿')).toBe('青禾社区积分兑换');
    // (a pointer before a kind that names documents keeps the kind)
    expect(draftTopic('后备力量那个调研报告')).toBe('后备力量调研报告');
  });

  it('drops a summary request put after the topic (，总结一下)', () => {
    expect(draftTopic('青禾县在人才引进上是怎么做的，总结一下')).toBe('青禾县在人才引进上的做法');
    expect(draftTopic('青禾县人才引进 归纳下')).toBe('青禾县人才引进');
  });

  it('reads a question of what was done (有啥做法, 有哪些经验) as a request for that kind of summary of the work', () => {
    expect(draftTopic('柳湾镇抓基层党建有啥做法，总结下')).toBe('柳湾镇抓基层党建的做法');
    expect(draftTopic('柳湾镇党员教育都有哪些经验')).toBe('柳湾镇党员教育的经验');
    expect(draftTopic('柳湾镇党员教育经验')).toBe('柳湾镇党员教育经验');
  });

  it('reads a colloquial question of manner (是怎么搞的, 是如何开展的) as a request for the 做法', () => {
    expect(draftTopic('柳湾镇党员联户是怎么搞的')).toBe('柳湾镇党员联户的做法');
    expect(draftTopic('柳湾镇党员联户是如何开展的')).toBe('柳湾镇党员联户的做法');
    expect(draftTopic('柳湾镇党员联户工作')).toBe('柳湾镇党员联户工作');
  });
});

describe('what a sentence of a rule text tells', () => {
  it('counts no quantity in a reference to a table or an annex (见表1, 附件2)', () => {
    expect(quantities('各项目的分值和评分标准见表1。')).toBe(0);
    expect(quantities('报名表见附件2，每村推荐3人。')).toBe(1);
  });

  it('reads 实行 as an action like 实施 and 推行 (考核实行百分制)', () => {
    expect(informativeness('考核实行百分制，由基础工作、重点任务、群众评议三部分组成。')).toBeGreaterThanOrEqual(1);
  });
});

describe('isApparatus', () => {
  it('marks a 简报 masthead, its contents and its 版记', () => {
    expect(isApparatus('党建简报2027年第5期（总第61期）中共青禾县委组织部编2027年4月2日')).toBe(true);
    expect(isApparatus('本期目录◎全县党建工作推进会召开◎柳湾镇“党员联户”织密服务网')).toBe(true);
    expect(isApparatus('报：市委组织部送：县人大常委会发：各乡镇党委（共印50份）')).toBe(true);
  });

  it('leaves content alone: a count of 期, an ordinal of a class, 编印 of teaching material', () => {
    expect(isApparatus('推送“初心故事”等音频52期，制播视频36部。')).toBe(false);
    expect(isApparatus('举办第3期村党组织书记培训班，由县委组织部编印培训教材。')).toBe(false);
    expect(isApparatus('发放宣传资料2000余份。')).toBe(false);
  });
});

/**
 * A synthetic 简报 (fictional county 青禾县): a masthead with its issue line, a contents list, three items under
 * their headlines and a 版记, as a county's 组工简报 prints them.
 */
const BULLETIN = [
  '党 建 简 报',
  '2027年第5期（总第61期）',
  '中共青禾县委组织部编　　　　　　　　2027年4月2日',
  '本期目录',
  '◎全县党建工作推进会召开',
  '◎柳湾镇“党员联户”织密服务网',
  '◎县委组织部开展“走村入户”调研',
  '--------------------------------------------------',
  '全县党建工作推进会召开',
  '3月28日，全县党建工作推进会召开。会议总结了一季度党建工作，2027年一季度全县新发展党员36名，整顿软弱涣散村党组织3个。',
  '柳湾镇“党员联户”织密服务网',
  '今年以来，柳湾镇在全镇11个村推行“党员联户”工作法，从农村党员中选出联户党员52名，每名党员联系8至15户群众，共联系群众640户。联户党员门口统一悬挂“党员联户”标牌，承担政策宣传、民情收集、矛盾调解3项职责。',
  '一季度，全镇联户党员共收集群众诉求205件，办结196件，办结率95.6%。镇党委书记表示，下一步将把党员联户与“积分制”管理结合起来，年底评选“十佳联户党员”。',
  '县委组织部开展“走村入户”调研',
  '3月中旬，县委组织部组成6个调研组，深入6个乡镇开展“走村入户”调研，共走访村（社区）38个，收集意见建议52条。',
  '--------------------------------------------------',
  '报：市委组织部',
  '发：各乡镇党委，县直各党（工）委',
  '（共印50份）',
].join('\n\n');

const PAGE = [
  '# 青禾县党员教育工作扫描',
  '今年以来，青禾县各级党组织把党员教育作为基础工程，推动教育培训全面覆盖。',
  '## “数字+”赋能党员管理提质增效',
  '青禾县对全县312个远程教育站点实施改造升级，创新搭建“一网一端”党员教育线上平台，推送“微党课”音频48期。',
  '## 阵地建设夯实基础',
  '青禾县新建党员活动室26个，改造提升村级阵地41个。',
].join('\n\n');

/** A synthetic 细则 with a 一、 outline: its purpose sentence opens it, and its scoring part refers to a table. */
const XIZE = [
  '桐岭县2027年度村党组织书记履职考核细则',
  '为客观评价村党组织书记履职实绩，根据有关规定，结合本县实际，制定本细则。',
  '一、考核对象',
  '全县7个乡镇所辖98个村的党组织书记。',
  '二、考核内容',
  '考核实行百分制，由日常工作、重点任务、群众评议三部分组成。各项目的分值见表1。',
  '三、结果运用',
  '考核为“好”的，年度绩效报酬按基本报酬的25%发放。',
  '中共桐岭县委组织部',
  '2027年1月5日',
].join('\n\n');

const corpus = assistantOn({ 'jianbao.txt': BULLETIN, 'page.txt': PAGE, 'xize.txt': XIZE });

describe('summaries asked for colloquially', () => {
  it('drafts the 简报 item a colloquial question names, never quoting the masthead, the contents or the 版记', async () => {
    const s = await corpus.assistant.summarize('总结一下柳湾镇党员联户是怎么搞的');
    expect(s.grounded).toBe(true);
    for (const fact of ['52名', '640户', '3项职责', '95.6%', '十佳联户党员']) expect(s.summary).toContain(fact);
    // (the 导语 may name the issue the item is printed in; its headline figures and the bullets never quote the masthead)
    const bullets = s.summary.split('\n').filter((l) => l.startsWith('- ')).join('\n');
    const figures = s.summary.split('主要数据：')[1]?.split('\n')[0] ?? '';
    for (const apparatus of ['总第61期', '本期目录', '共印50份', '◎']) expect(`${bullets}\n${figures}`).not.toContain(apparatus);
    for (const apparatus of ['本期目录', '共印50份', '◎']) expect(s.summary).not.toContain(apparatus);
    // the other items of the issue are not this item's draft
    expect(s.summary).not.toContain('走访村（社区）38个');
  });

  it('resolves a quoted part of a headline followed by 那篇 to the article under that headline', async () => {
    const s = await corpus.assistant.summarize('总结一下“数字+”赋能党员管理那篇');
    expect(s.grounded).toBe(true);
    expect(s.summary.split('\n')[0]).toBe('## “数字+”赋能党员管理提质增效');
    for (const fact of ['312个', '48期']) expect(s.summary).toContain(fact);
    expect(s.summary).not.toContain('26个');
  });

  it('resolves “那个…细则” by its short name to the document, drafted under its own title without its purpose sentence', async () => {
    const s = await corpus.assistant.summarize('帮我概括一下那个书记履职考核细则');
    expect(s.grounded).toBe(true);
    expect(s.summary.split('\n')[0]).toBe('## 桐岭县2027年度村党组织书记履职考核细则');
    expect(s.summary).toContain('百分制');
    expect(s.summary).not.toContain('制定本细则');
  });
});
