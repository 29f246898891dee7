import { describe, expect, it } from 'vitest';
import { understand } from '../../src/answer/query.js';
import { eventWords } from '../../src/answer/synthesize.js';
import { readQuestion } from '../../src/answer/ask.js';
import { retrieve } from '../../src/answer/retrieve.js';
import { assistantOn } from './support.js';

/**
 * What a chat question asks, read from its own words (synthetic documents; 壬县 does not exist): a counted noun after a
 * relative clause, a length of time, a month, a deadline of finished work, a list asked by no noun, a firm asked by name.
 */
const on = assistantOn({
  '壬县志愿服务办法.txt': [
    '壬县党员志愿服务管理办法（虚构）',
    '',
    '第一章 总则',
    '第一条 为规范党员志愿服务，制定本办法。',
    '第二章 服务内容',
    '第五条 党员志愿服务主要包括以下内容：',
    '（一）政策宣讲，向群众宣传党的方针政策；',
    '（二）邻里互助，为独居老人提供日常帮扶；',
    '（三）环境整治，参与人居环境整治；',
    '（四）平安建设，参与治安巡逻。',
    '第六条 志愿服务队由村党组织负责组建，队员以本村党员为主。',
    '第三章 时长与激励',
    '第八条 在职党员每年参加志愿服务时长一般不少于24小时。',
    '第九条 党员年度志愿服务时长累计达到60小时的，授予“壬县优秀党员志愿者”称号。',
    '第十条 各乡镇应当为党员志愿者购买意外伤害保险，每人每年标准不低于30元。',
  ].join('\n'),
  '壬县后备干部通知.txt': [
    '关于加强壬县村级后备干部队伍建设的通知（虚构）',
    '',
    '一、每个村按照不少于3名的标准储备后备干部，全县储备总数不少于200名。',
    '二、对督查发现的问题，各乡镇党委要逐项建立整改台账，于12月20日前整改到位，并将整改报告报送县委组织部。',
    '三、县委组织部要求9月30日前实现全县村级后备干部储备全覆盖。',
  ].join('\n'),
  '壬县书记项目安排.md': [
    '# 壬县书记项目工作安排（虚构）',
    '',
    '表1 书记项目时间安排',
    '',
    '| 阶段 | 时间 | 主要任务 |',
    '|---|---|---|',
    '| 项目申报 | 2027年1月 | 报送项目申报书 |',
    '| 中期评估 | 2027年7月 | 对照年度目标开展中期评估 |',
    '| 年终考评 | 2027年12月 | 组织现场考评 |',
  ].join('\n'),
});

describe('a chat question read by its own words', () => {
  it('counts the noun after a relative clause (几个|接班的|后备干部), not the clause', async () => {
    const a = await on.assistant.ask('壬县一个村最少要储备几个接班的后备干部');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('3名');
  });

  it('asks in the measure a counted noun stands for (多少个钟头 = 多少小时)', async () => {
    const a = await on.assistant.ask('在职党员一年得干满多少个钟头的志愿服务');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('24小时');
  });

  it('measures a noun that is a length of time in time (志愿时长攒到多少)', async () => {
    const a = await on.assistant.ask('志愿时长攒到多少能评优秀党员志愿者');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('60小时');
  });

  it('reads 几月份 as asking when, answered by a month', async () => {
    expect(understand('中期评估排在几月份', { lexicon: { places: () => [] }, glossary: { definitionAsked: () => undefined, expand: () => ({ substitutes: [] }) }, documents: [] } as never).when).toBe(true);
    const a = await on.assistant.ask('书记项目的中期评估排在几月份');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('7月');
  });

  it('dates the finishing of work asked with a complement of result (哪天之前改完), not the verb of the work named before', async () => {
    expect(eventWords('督查查出来的问题，要在哪天之前改完')).toEqual([]);
    expect(eventWords('材料什么时候报上去')).toEqual(['报']);
    const a = await on.assistant.ask('督查查出来的问题，要在哪天之前改完');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('12月20日');
  });

  it('dates the work named before a bare 完成 (哪天之前完成) by the day the document sets, whatever its verb (前实现)', async () => {
    expect(eventWords('县里要求后备干部储备全覆盖，得在哪天之前完成')).toEqual([]);
    const a = await on.assistant.ask('县里要求后备干部储备全覆盖，得在哪天之前完成');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('9月30日');
  });

  it('lists the items a passage announces for a list asked by no noun (具体都干哪些事)', async () => {
    const a = await on.assistant.ask('党员志愿服务具体都干哪些事');
    expect(a.grounded).toBe(true);
    for (const item of ['政策宣讲', '邻里互助', '环境整治', '平安建设']) expect(a.answer).toContain(item);
  });

  it('refuses which firm (哪家保险公司) when the evidence names none, though it shares the firm’s words (保险)', async () => {
    const a = await on.assistant.ask('党员志愿者的意外伤害险定的是哪家保险公司');
    expect(a.grounded).toBe(false);
  });
});

/** A synthetic 通知 with an outline, a scoring table and a schedule table, and a 通报 with 一是/二是 (壬县 does not exist). */
const lists = assistantOn({
  '壬县书记项目通知.md': [
    '# 关于开展壬县书记项目申报工作的通知（虚构）',
    '',
    '一、申报对象',
    '',
    '村（社区）党组织书记。主要从致富带头人、退役军人、高校毕业生中选拔项目联络员。',
    '',
    '二、申报要求',
    '',
    '（一）选题要小而实。项目名称一般不超过20个字。',
    '',
    '（二）目标要可量化。年度目标原则上不少于3项可量化指标。',
    '',
    '（三）经费要节约。村（社区）书记项目所需经费原则上不超过2万元。',
    '',
    '三、评审立项',
    '',
    '评审得分80分以上的确定为重点书记项目，每个给予6000元工作经费补助。',
    '',
    '表1 书记项目评审计分表',
    '',
    '| 评审指标 | 分值 | 评分要点 |',
    '|---|---|---|',
    '| 问题导向 | 30 | 选题针对突出问题 |',
    '| 目标设定 | 20 | 可量化指标不少于3项 |',
    '| 群众参与 | 50 | 发动党员群众共同参与 |',
    '',
    '表2 工作时间安排表',
    '',
    '| 阶段 | 时间 | 主要任务 |',
    '|---|---|---|',
    '| 项目申报 | 2027年1月15日前 | 报送项目申报书 |',
    '| 年终验收 | 2027年12月 | 组织验收 |',
  ].join('\n'),
  '壬县阵地督查通报.txt': [
    '关于壬县村级活动场所督查情况的通报（虚构）',
    '',
    '一、总体情况',
    '全县村级活动场所总体运行平稳，共查看场所60个。',
    '二、存在的问题',
    '一是功能发挥不够充分。有5个场所大门紧锁。二是场所挪作他用。有3个场所被出租用作仓库。三是台账不够规范。有9个场所台账记录简单。',
    '三、整改要求',
    '对督查发现的问题，各乡镇于12月20日前整改到位。',
  ].join('\n'),
});

describe('lists asked in chat words', () => {
  it('lists the sub-headings of the section a list names (申报有啥要求 ← 二、申报要求), not a table row naming 项目申报', async () => {
    const a = await lists.assistant.ask('书记项目申报有啥要求');
    expect(a.grounded).toBe(true);
    for (const item of ['选题要小而实', '目标要可量化', '经费要节约']) expect(a.answer).toContain(item);
    expect(a.answer).not.toContain('报送项目申报书');
  });

  it('lists the 一是/二是 items under the heading that names what is listed (发现了哪些问题 ← 二、存在的问题)', async () => {
    const a = await lists.assistant.ask('活动场所督查发现了哪些问题');
    expect(a.grounded).toBe(true);
    for (const item of ['功能发挥不够充分', '场所挪作他用', '台账不够规范']) expect(a.answer).toContain(item);
    // (the listing passage is the best hit, above the sentence that shares the question's words: 对督查发现的问题…)
    const { hits } = await retrieve(readQuestion('活动场所督查发现了哪些问题', lists.assistant), lists.assistant.index, lists.assistant.retriever);
    expect(hits[0]!.record.text).toContain('一是功能发挥不够充分');
  });

  it('lists the rows of the table about the thing whose parts are asked (评审看哪几个方面)', async () => {
    const a = await lists.assistant.ask('书记项目评审看哪几个方面');
    expect(a.grounded).toBe(true);
    for (const item of ['问题导向', '目标设定', '群众参与']) expect(a.answer).toContain(item);
  });

  it('lists the sources a sentence names after 从 for 从哪些人里选', async () => {
    const a = await lists.assistant.ask('项目联络员从哪些人里选');
    expect(a.grounded).toBe(true);
    // (the items themselves, not the sentence quoted whole)
    expect(a.answer).toMatch(/共3项/);
    for (const item of ['致富带头人', '退役军人', '高校毕业生']) expect(a.answer).toContain(item);
  });

  it('reads 多少补助 as money, and lets a framing word the corpus never uses (村里) ask nothing', async () => {
    const aid = await lists.assistant.ask('重点书记项目给多少补助');
    expect(aid.grounded).toBe(true);
    expect(aid.answer).toContain('6000元');
    const cap = await lists.assistant.ask('村里书记项目最多能花多少钱');
    expect(cap.grounded).toBe(true);
    expect(cap.answer).toContain('2万元');
  });
});

/** A synthetic 决定 naming posts, with their list as a table, and a rule with a period for a review (壬县 does not exist). */
const posts = assistantOn({
  '壬县先锋岗命名决定.md': [
    '# 中共壬县委组织部关于命名2026年度“党员先锋岗”的决定（虚构）',
    '',
    '经基层党组织推荐和实地考察，决定命名溪头村茶叶技术服务岗等4个岗位为2026年度“党员先锋岗”。',
    '',
    '党员对命名有异议的，可以在公示期满之日起7日内向县委组织部提出复核申请。',
    '',
    '| 序号 | 所在党组织 | 岗位名称 | 类别 |',
    '|---|---|---|---|',
    '| 1 | 溪头村党支部 | 茶叶技术服务岗 | 产业发展 |',
    '| 2 | 县人民医院党委 | 急诊绿色通道岗 | 窗口服务 |',
    '| 3 | 县政务服务中心党支部 | 企业开办通办岗 | 窗口服务 |',
    '| 4 | 菱湖村党支部 | 防汛巡堤岗 | 应急处突 |',
  ].join('\n'),
});

describe('counts and kinds asked of a named set', () => {
  it('counts a set a count names as what it becomes (等4个岗位为“党员先锋岗”) for a total of 先锋岗', async () => {
    const a = await posts.assistant.ask('一共命名了多少个先锋岗');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('4个岗位');
  });

  it('lists a kind of the set named before 里 by the set’s own column (先锋岗里窗口服务类的有哪些 → 岗位名称)', async () => {
    const a = await posts.assistant.ask('先锋岗里窗口服务类的有哪些');
    expect(a.grounded).toBe(true);
    for (const post of ['急诊绿色通道岗', '企业开办通办岗']) expect(a.answer).toContain(post);
    expect(a.answer).not.toContain('茶叶技术服务岗');
  });

  it('reads 几天内 as a number of days, 内 no part of a noun', async () => {
    const a = await posts.assistant.ask('对命名有意见几天内能申请复核');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('7日');
  });
});

/** A synthetic report with a change stated before and after, and figures of villages by income (癸州 does not exist). */
const report = assistantOn({
  '癸州减负报道.txt': [
    '癸州精简优化基层考核 为基层干部减负（虚构）',
    '',
    '优化考核方式。将班子建设等5项指标作为平时考核指标，将信访工作等12项指标作为扣分指标。',
    '统筹考核事项。清理规范前，州级层面共有考核事项88项，考核指标1900条；清理规范后，州级层面仅有考核事项2项，考核指标180条。',
    '壮大村集体经济。全州实现村集体经济空壳村全面清零，村集体收入过5万元的村有260个；深化村集体经济“强村”工程，30万元以上强村达41个，占比15.8%。',
  ].join('\n'),
});

describe('what a question states of the answer', () => {
  it('gives each of two parts asking before and after a change its own side (还剩多少 / 原来是多少), whatever their order', async () => {
    const a = await report.assistant.ask('癸州精简考核以后考核指标还剩多少条，原来是多少条');
    const [after, before] = a.answer.split('②');
    expect(after).toContain('180条');
    expect(before).toContain('1900条');
  });

  it('prefers the sentence repeating an amount the question states (收入过30万的村 ← 30万元以上强村达41个)', async () => {
    const a = await report.assistant.ask('癸州集体收入过30万的村有多少个');
    expect(a.grounded).toBe(true);
    // (quoted first, before the other villages' count)
    expect(a.answer.split('[1]')[0]).toContain('41个');
  });
});

/** A synthetic 冬训 通知: stages numbered 1. 2. 3. under a heading that does not name them, and an attendance rule. */
const winter = assistantOn({
  '壬县冬训通知.md': [
    '# 关于开展壬县党员冬训工作的通知（虚构）',
    '',
    '一、时间安排',
    '',
    '冬训分三个阶段进行。',
    '',
    '1. 动员部署阶段：12月1日至12月15日，各乡镇制定冬训方案。',
    '',
    '2. 集中培训阶段：12月16日至次年1月31日，每名党员参加集中培训不少于24学时。',
    '',
    '3. 总结评估阶段：次年2月1日至2月20日，各乡镇形成书面总结。',
    '',
    '二、工作要求',
    '',
    '（一）严格考勤管理。各乡镇实行签到制度，党员缺课超过6学时的，须参加补训。',
    '',
    '三、培训内容',
    '',
    '（一）学习党的创新理论。',
    '',
    '（二）学习党章党规。',
    '',
    '（三）学习农村实用技术，每个乡镇至少开设1门技能课。',
  ].join('\n'),
  // (a table whose every row reads “主要内容：A、B”: no list of the 冬训's 内容)
  '壬县机关考评细则.md': [
    '# 壬县机关党支部考评细则（虚构）',
    '',
    '| 考评项目 | 分值 | 主要内容 |',
    '|---|---|---|',
    '| 组织生活 | 25 | 落实三会一课、主题党日、组织生活会 |',
    '| 党员管理 | 20 | 党员教育、发展党员、党费收缴 |',
    '| 作风建设 | 15 | 联系服务群众、落实双报到 |',
  ].join('\n'),
});

describe('a rule’s threshold and a section’s parts asked in chat words', () => {
  it('lists the parts every one of which the listed noun names (分哪几个阶段 ← 1.动员部署阶段 …), numbered once', async () => {
    const a = await winter.assistant.ask('冬训分哪几个阶段');
    for (const stage of ['动员部署阶段', '集中培训阶段', '总结评估阶段']) expect(a.answer).toContain(stage);
    expect(a.answer).not.toMatch(/1\.\s*1\./);
  });

  it('lists the section a list names (冬训都学哪些内容 ← 三、培训内容), not the rows of a table whose cells are “主要内容：…、…”', async () => {
    const a = await winter.assistant.ask('冬训都学哪些内容');
    expect(a.grounded).toBe(true);
    for (const item of ['学习党的创新理论', '学习党章党规', '学习农村实用技术']) expect(a.answer).toContain(item);
    expect(a.answer).not.toContain('党费收缴');
  });

  it('reads 多少要补训 as a threshold, answered by the rule’s condition in any measure (超过6学时的)', async () => {
    const a = await winter.assistant.ask('缺课多少要补训');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('6学时');
  });
});
