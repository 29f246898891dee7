import { describe, expect, it } from 'vitest';
import { matchFigure } from '../../src/answer/figures.js';
import { readFigureAsk } from '../../src/answer/query.js';
import { foldOptionalChars } from '../../src/ingest/normalize.js';
import { assistantOn } from './support.js';

/** Which sentence answers a figure question, on small synthetic documents (one rule per test). */
const REPORT = [
  '某县党建工作情况（虚构）',
  '',
  '一、加强教育培训',
  '全县举办党务干部培训班12期，覆盖800余人次。围绕乡村振兴举办专题培训班，累计培训460余人(次)。',
  '',
  '二、夯实基层基础',
  '全县共有村党组织86个，社区党组织14个。',
].join('\n');

const on = assistantOn({ '某县党建工作情况.txt': REPORT });

describe('figure answers: the sentence that names the asked thing', () => {
  it('folds a bracketed optional character for matching: 人（次） matches 人次, the quote keeps the source', () => {
    expect(foldOptionalChars('累计培训460余人（次）')).toBe('累计培训460余人次');
    expect(foldOptionalChars('党员（干部）')).toBe('党员（干部）');
  });

  it('answers a total (一共…多少人次) with one figure, from the sentence naming 专题培训, not a second 人次 figure beside it', async () => {
    const a = await on.assistant.ask('专题培训一共培训了多少人次？');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('460');
    expect(a.answer).not.toContain('800');
  });
});

describe('figure answers: a figure near the question is not its answer', () => {
  it('counts any sum of money only as weak when the question names nothing priced (多少钱)', () => {
    expect(matchFigure('县财政每年安排专项经费360万元，用于激励奖励。', readFigureAsk('每个能奖励多少钱？')!).strength).toBe(1);
    // the asked measure word itself still answers: 多少学时 ← 30学时
    expect(matchFigure('党员每年集中培训不少于30学时。', readFigureAsk('每年培训多少学时？')!).strength).toBe(2);
  });
});

const TWO_PLACES = assistantOn({
  '甲州党建工作报道.txt': ['甲州抓党建促发展（虚构）', '', '甲州评定五星党组织45个，推动各级党组织晋位升级。全州党员教育培训覆盖1.2万人次。'].join('\n'),
  '乙县书记队伍建设方案.txt': ['乙县书记队伍建设方案（虚构）', '', '一、经费保障', '县财政每年安排书记队伍建设专项经费360万元，主要用于培训、外出学习和激励奖励。'].join('\n'),
});

describe('grounding: another place’s document does not ground an answer', () => {
  it('refuses 五星党组织…奖励多少钱 when only one place names 五星党组织 and another place’s text has the money', async () => {
    const a = await TWO_PLACES.assistant.ask('五星党组织每个能奖励多少钱？');
    expect(a.grounded).toBe(false);
    expect(a.answer).not.toContain('360');
  });
});

const TOWN = assistantOn({
  '己镇文旅工作报道.txt': ['己镇文旅发展见闻（虚构）', '', '己镇坚持党建引领文旅发展，整合资金199.2万元，购买摆渡车32辆，设置8个摊位销售特色产品。', '己镇观日景区由4个村联合成立的旅游公司运营，带动200余名群众就业。', '', '二、强化收益分配', '景区门票收入按比例纳入村集体经济，由村党组织统一管理。'].join('\n'),
});

describe('grounding: a weak figure needs a sentence about the question', () => {
  it('refuses 景区门票多少钱一张 when the only sum of money is the town’s fund, not a ticket price', async () => {
    const a = await TOWN.assistant.ask('己镇观日景区门票多少钱一张？');
    expect(a.grounded).toBe(false);
    expect(a.answer).not.toContain('199.2');
  });

  it('still answers a money question whose sentence names what was paid for', async () => {
    const a = await TOWN.assistant.ask('己镇买摆渡车花了多少钱？');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('199.2万元');
  });
});

const WORKPLAN = assistantOn({
  '辛县排查工作通知.txt': [
    '关于开展党员排查工作的通知（虚构）',
    '',
    '一、工作要求',
    '各机关党组书记每年专题研究排查工作不少于4次，年底书面总结述职情况。',
    '各党委于2027年1月15日前报送书面总结。',
  ].join('\n'),
});

describe('when questions: a day before a period', () => {
  it('answers 最晚什么时候交 with the day (1月15日前), not a period (年底) in a sentence sharing its words', async () => {
    const a = await WORKPLAN.assistant.ask('排查工作的书面总结最晚什么时候交？');
    expect(a.answer).toContain('1月15日');
  });
});

const TWO_YEARS = assistantOn({
  '壬州2024年党建工作报道.txt': ['壬州2024年党建工作综述（虚构）', '', '壬州坚持动态清零机制，整顿软弱涣散村党组织10个。'].join('\n'),
  '癸县党建工作报道.txt': ['癸县抓党建促乡村振兴（虚构）', '', '癸县深化常态排查，先后整顿软弱涣散村党组织11个。'].join('\n'),
});

describe('figure answers from several documents', () => {
  it('gives the figure of each document, with its own provenance, when the question names no place', async () => {
    const a = await TWO_YEARS.assistant.ask('软弱涣散的村党组织整顿了几个？');
    expect(a.answer).toContain('10个');
    expect(a.answer).toContain('11个');
    expect(a.answer).toMatch(/10个。”\[\d\]（《壬州/);
    expect(a.answer).toMatch(/11个。”\[\d\]（《癸县/);
  });

  it('gives one document’s figure when the question names the place', async () => {
    const a = await TWO_YEARS.assistant.ask('癸县软弱涣散的村党组织整顿了几个？');
    expect(a.answer).toContain('11个');
    expect(a.answer).not.toContain('10个');
  });
});

const MINUTES = assistantOn({
  '丑县部务会会议纪要.txt': '丑县委组织部部务会会议纪要（虚构）\n\n时间：2026年11月20日（星期五）上午9:00\n地点：县委组织部三楼会议室\n主持：李明（县委常委、组织部部长）\n\n会议听取了村级后备力量储备情况的汇报。会议要求各乡镇党委于12月15日前完成信息核查。\n',
});

describe('a record with a head of fields (会议纪要)', () => {
  it('answers 什么时候开的 from the 时间： field and 谁主持的 from the 主持： field', async () => {
    expect((await MINUTES.assistant.ask('部务会什么时候开的？')).answer).toContain('2026年11月20日');
    const who = await MINUTES.assistant.ask('部务会是谁主持的？');
    expect(who.answer).toContain('李明');
    expect(who.answer).not.toContain('地点');
  });
});

const TWO_REPORTS = assistantOn({
  '寅州2022年报道.txt': ['寅州党建工作综述（2022年）（虚构）', '', '寅州共有社区80个，其中75个社区已实现书记“一肩挑”。'].join('\n'),
  '寅州2025年报道.txt': ['寅州基层党建工作综述（2025年）（虚构）', '', '对全州300个村及95个社区“两委”班子开展中期评估。'].join('\n'),
});

describe('a follow-up asking a part of the previous answer (其中)', () => {
  it('is asked of the document the previous answer quoted, not of another year’s report', async () => {
    const q1 = '寅州有多少个社区“两委”班子开展了中期评估？';
    const first = await TWO_REPORTS.assistant.ask(q1);
    expect(first.answer).toContain('95个社区');
    const history = [{ question: q1, answer: first.answer, sources: first.citations.map((c) => c.source) }];
    const next = await TWO_REPORTS.assistant.ask('其中有多少个社区实现了“一肩挑”？', { history });
    expect(next.answer).not.toContain('75个');
  });
});
