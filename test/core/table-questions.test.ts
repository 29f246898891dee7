import { describe, expect, it } from 'vitest';
import { inRange } from '../../src/answer/figures.js';
import { askedAmount, placeNames, readExtreme, readRowFilter, understand } from '../../src/answer/query.js';
import { assistantOn } from './support.js';

/** Questions about a table, on a small synthetic report (one rule per test). */
const REPORT = `# 戊县各乡镇党建工作情况（虚构）

## 一、基本情况

表1 各乡镇党组织建设情况

| 乡镇 | 党组织数（个） | 党员数（名） | 组织覆盖率 |
|---|---|---|---|
| 东坪镇 | 42 | 960 | 81.5% |
| 西林乡 | 18 | 310 | 64.2% |
| 南湾镇 | 35 | 720 | 92.0% |
| 北岭乡 | 21 | 405 | 70.3% |
| 合计 | 116 | 2395 | 60.1% |

## 二、下步打算

继续推进党组织覆盖，力争覆盖率达到95%。
`;

const on = assistantOn({ '戊县各乡镇党建工作情况.md': REPORT });

describe('reading a superlative question', () => {
  it('reads 哪个…最低 as a comparison of the quantity after the set, and 最多 without 哪 as a bound', () => {
    expect(readExtreme('哪个乡镇的组织覆盖率最低？')).toEqual({ direction: 'min', of: '组织覆盖率' });
    expect(readExtreme('哪个乡镇党员最多？')).toMatchObject({ direction: 'max' });
    expect(readExtreme('最多能推迟几天？')).toBeUndefined();
  });

  it('does not read 哪个乡 or 这个县 as a place name', () => {
    expect(placeNames('哪个乡镇的党员最多？')).toEqual([]);
    expect(placeNames('这个县有多少党员？')).toEqual([]);
    expect(placeNames('桐屿县有多少党员？')).toEqual(['桐屿县']);
  });
});

describe('table answers', () => {
  it('names the row with the lowest value of the asked column, comparing every row but the 合计 row', async () => {
    const a = await on.assistant.ask('哪个乡镇的组织覆盖率最低？');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('西林乡');
    expect(a.answer).toContain('64.2%');
    expect(a.answer).not.toContain('合计');
  });

  it('names the row with the highest value, from rows retrieval did not rank first', async () => {
    const a = await on.assistant.ask('哪个乡镇的党员数最多？');
    expect(a.answer).toContain('东坪镇');
    expect(a.answer).toContain('960');
  });

  it('does not answer an age asked of a row that holds only counts and shares', async () => {
    const a = await on.assistant.ask('南湾镇党员的平均年龄是多少？');
    expect(a.grounded).toBe(false);
    expect(a.answer).not.toContain('720');
  });
});

describe('a table of ranges', () => {
  it('reads the amount a question gives and whether a range cell holds it', () => {
    expect(askedAmount('月工资8000元的党员交多少？')).toBe(8000);
    expect(askedAmount('年满65岁的党员可以吗？')).toBe(65);
    expect(inRange('5000元以上至10000元（含10000元）', 8000)).toBe(true);
    expect(inRange('3000元以下（含3000元）', 8000)).toBe(false);
    expect(inRange('3000元以下（含3000元）', 2500)).toBe(true);
    expect(inRange('10000元以上', 12000)).toBe(true);
    expect(inRange('1万元以上', 8000)).toBe(false);
    expect(inRange('湖东镇', 8000)).toBe(false);
  });

  const FEES = assistantOn({
    '子县党费通知.txt': '关于党费交纳的通知（虚构）\n\n一、交纳标准\n\n在职党员以每月工资收入为计算基数，按下表比例交纳党费。\n\n表1 在职党员党费交纳比例\n月工资收入（税后） | 交纳比例\n3000元以下（含3000元） | 0.5%\n3000元以上至5000元（含5000元） | 1%\n5000元以上至10000元（含10000元） | 1.5%\n10000元以上 | 2%\n\n二、工作要求\n\n各支部按月收缴党费。\n',
  });

  it('answers 月工资8000元…按什么比例 from the row whose range holds 8000', async () => {
    const a = await FEES.assistant.ask('月工资8000元的在职党员按什么比例交党费？');
    expect(a.answer).toContain('1.5%');
    expect(a.answer).not.toMatch(/交纳比例为(?:0\.5|1|2)%/);
  });
});

/** Lists asked of a Markdown 工作方案 with 一、（一）1. outline and 附件 (one rule per test). */
const PLAN = assistantOn({
  '卯县驿站建设方案.md': `# 卯县党群服务驿站建设工作方案（虚构）

## 一、总体要求

以服务群众为导向，到2027年底建成党群服务驿站30个。

## 二、主要任务

### （一）科学布局站点

1. 在商圈、园区、交通枢纽优先布点。
2. 每个乡镇至少建成1个驿站。

### （二）完善服务功能

1. 配备饮水、休息、充电、应急药箱等基本设施。
2. 提供政策咨询、代办服务。

### （三）健全运行机制

实行“站长负责制”，每个驿站明确1名站长。

## 三、保障措施

（一）加强组织领导。成立工作专班。
（二）强化经费保障。县财政每个驿站补助2万元。

附件：1. 驿站建设标准
2. 驿站名单
`,
});

describe('lists of a policy outline', () => {
  it('lists the sub-headings of the section the question names (主要任务有哪些), not the annexes', async () => {
    const a = await PLAN.assistant.ask('驿站建设的主要任务有哪些？');
    for (const h of ['科学布局站点', '完善服务功能', '健全运行机制']) expect(a.answer).toContain(h);
    expect(a.answer).not.toContain('驿站名单');
  });

  it('keeps a Markdown heading written “### （一）…” as a section, and a one-sentence item as findable text', async () => {
    const a = await PLAN.assistant.ask('驿站要配备哪些基本设施？');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('应急药箱');
  });

  it('lists the annexes when they are asked for', async () => {
    const a = await PLAN.assistant.ask('方案有哪几个附件？');
    expect(a.answer).toContain('驿站建设标准');
    expect(a.answer).toContain('驿站名单');
  });
});

const LIST = assistantOn({
  '己县红旗党支部名单.md': [
    '# 己县2026年度“红旗党支部”名单（虚构）',
    '',
    '表1 2026年度“红旗党支部”名单',
    '',
    '| 序号 | 乡镇 | 党支部名称 | 支部书记 | 党员人数 |',
    '|---|---|---|---|---|',
    '| 1 | 青石镇 | 青石镇河口村党支部 | 赵明远 | 46 |',
    '| 2 | 青石镇 | 青石镇柳湾社区党支部 | 周晓梅 | 38 |',
    '',
    '## 考核评分',
    '',
    '表2 村党组织书记年度考核评分表',
    '',
    '| 考核项目 | 分值 | 评分办法 |',
    '|---|---|---|',
    '| 发展党员 | 10 | 未完成年度计划的扣5分 |',
    '| 集体经济 | 30 | 年收入低于10万元的扣10分 |',
    '',
    '截至9月底，全县完成发展党员25名，完成年度计划的83.3%。',
  ].join('\n'),
});

describe('table rows named by a cell other than the first', () => {
  it('finds the row by the 党支部名称 a question gives in part (柳湾社区党支部 → 青石镇柳湾社区党支部), not by its 序号', async () => {
    const a = await LIST.assistant.ask('柳湾社区党支部有多少名党员？');
    expect(a.answer).toContain('38');
    expect(a.answer).not.toContain('46');
  });

  it('answers a figure asked with words the table does not use from prose, not with a row of the table (全县发展党员完成了多少)', async () => {
    const a = await LIST.assistant.ask('全县发展党员完成了多少？');
    expect(a.answer).toContain('25名');
    expect(a.answer).not.toContain('分值');
  });
});

const CENTRES = assistantOn({
  '庚县党群服务中心一览表.md': [
    '# 庚县村级党群服务中心建设情况一览表（虚构）',
    '',
    '| 序号 | 所在乡镇 | 村名 | 建筑面积（平方米） | 建成年份 |',
    '|---|---|---|---|---|',
    '| 1 | 青石镇 | 河口村 | 320 | 2021 |',
    '| 2 | 白沙乡 | 石门村 | 260 | 2022 |',
    '| 3 | 梅岭镇 | 茶园村 | 410 | 2023 |',
  ].join('\n'),
});

describe('a table numbered in its first column (序号)', () => {
  it('names the row by a short name cell the question holds whole (石门村) and reads the asked column', async () => {
    const a = await CENTRES.assistant.ask('石门村党群服务中心面积多大？');
    expect(a.answer).toContain('260');
    expect(a.answer).not.toContain('410');
  });

  it('answers which row is highest by the column the question asks by (哪个村 → 村名), not by the 序号', async () => {
    const a = await CENTRES.assistant.ask('哪个村的服务中心面积最大？');
    expect(a.answer).toContain('茶园村');
    expect(a.answer).not.toMatch(/最高的是3/);
  });

  it('reads a 年份 column for a when-question (哪年建成的)', async () => {
    const a = await CENTRES.assistant.ask('茶园村的党群服务中心哪年建成的？');
    expect(a.answer).toContain('2023');
  });
});

describe('a summary of a table', () => {
  it('writes a row as its name and its other cells (河口村：所在乡镇青石镇…), not as the indexed “序号：1 · …” line', async () => {
    const s = await CENTRES.assistant.summarize('总结 庚县村级党群服务中心建设情况一览表');
    expect(s.summary).toMatch(/(河口村|石门村|茶园村)：/);
    expect(s.summary).not.toContain('序号：');
  });
});

const HOURS = assistantOn({
  '辛县党群服务中心开放时间一览表.md': [
    '# 辛县主要党群服务中心开放时间和服务事项一览表（虚构）',
    '',
    '| 序号 | 名称 | 地址 | 开放时间 | 特色服务 |',
    '|---|---|---|---|---|',
    '| 1 | 县党群服务中心 | 县城文化路8号 | 周一至周日 8:30—20:30 | 党员教育培训、红色书屋 |',
    '| 2 | 甲镇党群服务中心 | 甲镇新街12号 | 周一至周六 8:30—18:00 | 就业信息发布、法律咨询 |',
    '| 3 | 乙乡党群服务中心 | 乙乡村委会旁 | 周一至周五 8:00—17:00 | 茶叶种植培训、纠纷调解 |',
  ].join('\n'),
});

const NOTICE = assistantOn({
  '辛县党群服务中心开放时间通知.md': [
    '# 关于公布全县党群服务中心开放时间的通知（虚构）',
    '',
    '各乡镇党委要在2027年3月15日前，将本辖区党群服务中心的开放时间在中心门口显著位置公示。',
    '',
    '附件：全县党群服务中心开放时间一览表',
    '',
    '| 序号 | 名称 | 开放时间 |',
    '|---|---|---|',
    '| 1 | 甲镇党群服务中心 | 周一至周六 8:30—18:00 |',
    '| 2 | 乙乡党群服务中心 | 周一至周五 8:00—17:00 |',
  ].join('\n'),
});

describe('rows named alike (…党群服务中心) and a time of day asked', () => {
  it('names the row whose name the question holds whole (乙乡党群服务中心), not the first row sharing its common part', async () => {
    const a = await HOURS.assistant.ask('乙乡党群服务中心几点开门几点关门');
    expect(a.answer).toContain('8:00—17:00');
    expect(a.answer).not.toContain('18:00');
  });

  it('names no row by the part every row’s name shares (党群服务中心): a deadline asked of all centres comes from the notice', async () => {
    const a = await NOTICE.assistant.ask('党群服务中心开放时间最晚什么时候要公示出来？');
    expect(a.answer).toContain('3月15日');
    expect(a.answer).not.toContain('8:30—18:00');
  });

  it('reads 几点开门 as a when-question about the time of day, not a count of 点', () => {
    const q = understand('乙乡党群服务中心几点开门', { lexicon: HOURS.assistant.lexicon, glossary: HOURS.assistant.glossary, documents: [] });
    expect(q.when).toBe(true);
    expect(q.figure).toBeUndefined();
  });
});

describe('a row named by a cell other than its first (reverse lookup)', () => {
  const plan = assistantOn({
    '己县主题党日安排.md': [
      '# 己县主题党日活动安排（虚构）',
      '',
      '| 月份 | 活动主题 | 主要内容 | 牵头单位 |',
      '|---|---|---|---|',
      '| 3月 | 学雷锋志愿服务 | 组织党员进社区开展志愿服务 | 县文明办 |',
      '| 4月 | 清明祭英烈 | 瞻仰烈士陵园 | 县退役军人事务局 |',
      '| 5月 | 青春建功 | 组织青年党员开展技能比武 | 团县委 |',
    ].join('\n'),
    '己县发展党员总结.md': [
      '# 己县2025年发展党员工作总结（虚构）',
      '',
      '全年共确定入党积极分子191名，列为发展对象79名，发展党员69名。',
      '',
      '向致富能手和返乡青年倾斜，从中发展党员27名。',
    ].join('\n'),
  });

  it('answers the first column of the row another cell names (县文明办牵头的是几月份 → 3月)', async () => {
    const a = await plan.assistant.ask('县文明办牵头的是几月份的活动');
    expect(a.answer).toContain('3月');
    expect(a.answer).not.toContain('4月');
  });

  it('reads the noun right before 多少名 as counted, and answers a total with the whole, not a part opened by 从中', async () => {
    const a = await plan.assistant.ask('全县一共发展党员多少名');
    expect(a.answer).toContain('69名');
    expect(a.answer).not.toContain('27名');
  });
});

describe('rows asked by a bound (哪几个…超过50)', () => {
  it('reads the bound and the compared quantity (超过50人, 在10名以上, 低于70%)', () => {
    expect(readRowFilter('党员数超过500人的是哪几个乡镇')).toMatchObject({ op: 'gt', value: 500, of: expect.stringContaining('党员') });
    expect(readRowFilter('哪些乡镇党组织数在30个以上')).toMatchObject({ op: 'ge', value: 30 });
    expect(readRowFilter('海西州有多少党员超过50岁')).toBeUndefined();
  });

  it('lists every row passing the bound, in table order, and not the 合计 row', async () => {
    const a = await on.assistant.ask('党员数超过500人的是哪几个乡镇？');
    expect(a.answer).toContain('东坪镇');
    expect(a.answer).toContain('南湾镇');
    expect(a.answer).not.toMatch(/西林乡|北岭乡|合计/);
  });

  it('says none passes when none does, naming the nearest row', async () => {
    const a = await on.assistant.ask('哪些乡镇组织覆盖率低于50%？');
    expect(a.answer).toContain('没有');
    expect(a.answer).toContain('西林乡');
  });
});

describe('a list asked of a table column or of a report section', () => {
  const docs = assistantOn({
    '癸县主题党日安排.md': [
      '# 癸县主题党日活动安排（虚构）',
      '',
      '| 月份 | 活动主题 | 牵头单位 |',
      '|---|---|---|',
      '| 1月 | 新春关怀 | 县委组织部 |',
      '| 2月 | 组织换届 | 各乡镇党委 |',
      '| 3月 | 学雷锋志愿服务 | 县文明办 |',
      '| 4月 | 清明缅怀 | 县退役军人事务局 |',
    ].join('\n'),
    '癸县关怀帮扶办法.txt': [
      '癸县党内关怀帮扶工作办法（虚构）',
      '',
      '第一章 总则',
      '第一条 为做好党内关怀帮扶工作，制定本办法。',
      '第二章 帮扶程序',
      '第二条 关怀帮扶按照下列程序进行：本人申请，党支部审核，县委组织部审批。',
      '第三条 关怀帮扶对象名单每年核定一次，并在党支部范围内公示5个工作日。',
      '',
      '中共癸县委组织部',
      '2026年11月20日',
      '',
      '公示期间有不同意见的，可向县委组织部反映。受理电话：8806177（工作日8:30—12:00）。',
    ].join('\n'),
    '癸县党群服务中心一览.md': [
      '# 关于公布癸县党群服务中心服务事项的通知（虚构）',
      '',
      '各中心统一提供党员组织关系转接、党费交纳、入党咨询、代办帮办等4项基本服务，并结合实际提供特色服务。',
      '',
      '| 序号 | 名称 | 地址 | 特色服务 |',
      '|---|---|---|---|',
      '| 1 | 癸县党群服务中心 | 县城文昌路18号 | 法律咨询 |',
      '| 2 | 白沙镇党群服务中心 | 白沙镇新街42号 | 就业招聘 |',
      '| 3 | 石塘镇党群服务中心 | 石塘镇政府院内 | 电商直播 |',
    ].join('\n'),
    '癸县后备力量调研报告.txt': [
      '关于癸县村级后备力量队伍建设情况的调研报告（虚构）',
      '',
      '一、基本情况',
      '',
      '    全县共储备村级后备力量436名，村均4名。',
      '',
      '二、存在的问题',
      '',
      '    一是分布不够均衡。两个镇的后备力量占全县的41%。二是队伍稳定性不强。2025年流失后备力量37名。三是培养针对性不强。培训以集中授课为主。',
      '',
      '三、对策建议',
      '',
      '    （一）扩大储备总量。每个行政村后备力量不少于5名。',
    ].join('\n'),
  });

  it('lists every row’s cell of the column the question names (有哪些主题 ← 活动主题), in table order', async () => {
    const a = await docs.assistant.ask('全年主题党日有哪些主题');
    for (const theme of ['新春关怀', '组织换届', '学雷锋志愿服务', '清明缅怀']) expect(a.answer).toContain(theme);
    expect(a.answer.indexOf('新春关怀')).toBeLessThan(a.answer.indexOf('清明缅怀'));
  });

  it('lists the 一是/二是 items under the heading that names what is asked (存在哪些问题 ← 二、存在的问题)', async () => {
    const a = await docs.assistant.ask('后备力量队伍存在哪些问题');
    expect(a.grounded).toBe(true);
    for (const item of ['分布不够均衡', '队伍稳定性不强', '培养针对性不强']) expect(a.answer).toContain(item);
  });

  it('lists articles without headings by their number and first clause (第二条 关怀帮扶按照下列程序进行), not by the number alone', async () => {
    const a = await docs.assistant.ask('帮扶程序有哪些');
    expect(a.answer).toContain('第二条 关怀帮扶按照下列程序进行');
    expect(a.answer).toContain('第三条 关怀帮扶对象名单每年核定一次');
  });

  it('reads a telephone number asked with 多少 as a field to quote (受理电话：8806177), not as a quantity', async () => {
    const a = await docs.assistant.ask('受理电话是多少');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('8806177');
  });

  it('does not refuse a question framed by 什么情况下 for the framing word (情况 is no topic)', async () => {
    const a = await docs.assistant.ask('什么情况下要在党支部范围内公示');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('公示5个工作日');
  });

  it('answers a where-question about a row from its 地址 column (白沙镇党群服务中心在哪)', async () => {
    const a = await docs.assistant.ask('白沙镇党群服务中心在哪');
    expect(a.answer).toContain('白沙镇新街42号');
    expect(a.answer).not.toContain('就业招聘');
  });

  it('lists the items a sentence counts under the noun asked (基本服务有哪几项 ← A、B、C、D等4项基本服务), without the subject and verb', async () => {
    const a = await docs.assistant.ask('基本服务有哪几项');
    for (const item of ['党员组织关系转接', '党费交纳', '入党咨询', '代办帮办']) expect(a.answer).toContain(item);
    expect(a.answer).not.toMatch(/\d\. 各中心/);
  });
});
