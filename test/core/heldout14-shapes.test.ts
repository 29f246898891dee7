import { describe, expect, it } from 'vitest';
import { assistantOn } from './support.js';

/**
 * Question shapes from heldout-14's failures (retired to tuning in the eleventh round), each on a synthetic text
 * (桐溪县, 柳湾镇 and 柳湾社区 do not exist): a share asked of the noun after it (多大比例的党员), deadlines asked with
 * 几号前/哪天前, a duration asked as 多长时间 with a modal glued to a verb (能带), a share that “became” another (从多少变成了
 * 多少), a price asked per piece (一盆卖多少钱) and the name of a role a table row does not name.
 */
const on = assistantOn({
  'tanhua.txt': [
    '桐溪县党内谈心谈话制度实施规定（虚构）',
    '',
    '第五条 党支部书记每年与本支部每名党员至少谈话1次。党员人数超过50名的党支部，书记每年谈话覆盖面不低于党员总数的60%。',
    '第九条 每次谈话一般由2名支部委员参加，谈话记录保存不少于3年。',
  ].join('\n'),
  'baodao.txt': [
    '关于在职党员到社区报到的通知（虚构）',
    '',
    '三、时间安排。2027年6月15日前，各社区将报到党员服务台账报街道党工委汇总，街道党工委于6月20日前报县委组织部。',
    '',
    '附件 报到安排表',
    '',
    '| 联系社区 | 所属街道 | 报到单位党组织 |',
    '| --- | --- | --- |',
    '| 柳湾社区 | 城关街道 | 县委办机关党支部 |',
    '',
    '附件2 任务分解表',
    '',
    '| 序号 | 任务 | 牵头单位 | 完成时限 |',
    '| --- | --- | --- | --- |',
    '| 1 | 制定报到工作考核细则 | 县委组织部 | 2027年6月30日 |',
    '| 2 | 开展报到情况督导检查 | 县委组织部 | 2027年9月30日 |',
    '| 3 | 评选报到服务先进单位 | 县直机关工委 | 2027年12月10日 |',
    '',
    '中共桐溪县委组织部',
    '2027年5月10日',
  ].join('\n'),
  'tongbao.txt': [
    '桐溪县2026年度村务监督委员会履职情况通报（虚构）',
    '',
    '一、主要成效',
    '全年村监委共收集群众意见建议1200条，督促整改问题300个。',
    '二、存在问题',
    '（一）部分村监委“不敢监督”。检查发现，有9个村的村监委全年未提出一条监督意见。',
    '（二）部分村监委“不会监督”。有20名村监委成员未参加业务培训。',
    '（三）履职保障不够到位。有6个村未按规定落实村监委主任工作补贴。',
  ].join('\n'),
  'daishi.txt': [
    '柳湾镇青年党员导师帮带工作简报（虚构）',
    '',
    '柳湾镇是桐溪县的一个镇。镇党委选聘导师20名。每名导师帮带青年党员一般不超过3名，帮带期限为2年。',
    '实施帮带以来，青年党员在村“两委”成员中的占比由2024年的7.5%提高到2026年的16.2%。',
    '柳湾镇合作社种植盆栽花卉2万盆，年销售收入80万元。',
  ].join('\n'),
});

describe('question shapes of heldout-14', () => {
  it('reads 谈到多大比例的党员 as the share of 党员 and answers it', async () => {
    const a = await on.assistant.ask('桐溪县支部党员六十多个，书记一年下来谈话最少要谈到多大比例的党员');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('60%');
  });

  it('answers 几号前交街道，哪天前报县委组织部 with both dates, not refused for 前交 and 天前, nor taken for a table row led by 县委组织部', async () => {
    const a = await on.assistant.ask('社区的报到党员服务台账几号前交街道？街道又得哪天前报到县委组织部');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('6月15日');
    expect(a.answer).toContain('6月20日');
  });

  it('answers 一个导师最多能带几个，要带多长时间, not refused for 多长时间 or 能带', async () => {
    const a = await on.assistant.ask('柳湾镇一个导师最多能带几个青年党员，要带多长时间');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('3名');
    expect(a.answer).toContain('2年');
  });

  it('answers a share that went 从多少变成了多少 with both sides', async () => {
    const a = await on.assistant.ask('柳湾镇搞导师帮带前后，青年党员在村两委里的占比从多少变成了多少');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('7.5%');
    expect(a.answer).toContain('16.2%');
  });

  it('lists the sub-headings of 存在问题 for 主要有哪几方面问题 (方面 is the kind of the items, 问题 what is listed)', async () => {
    const a = await on.assistant.ask('桐溪县这次检查发现村监委主要有哪几方面问题');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('不敢监督');
    expect(a.answer).toContain('不会监督');
    expect(a.answer).toContain('履职保障不够到位');
  });

  it('refuses a price per piece (一盆卖多少钱) when the text states only a year’s sales', async () => {
    const a = await on.assistant.ask('柳湾镇合作社种的盆栽花一盆卖多少钱');
    expect(a.grounded).toBe(false);
  });

  it('refuses the name of a 书记 a table row does not name (its 报到单位党组织)', async () => {
    const a = await on.assistant.ask('柳湾社区的党组织书记叫啥名字');
    expect(a.grounded).toBe(false);
  });
});
