import { describe, expect, it } from 'vitest';
import { readListAsk } from '../../src/answer/query.js';
import { assistantOn } from './support.js';

/**
 * Sets a question announces by their count (“那四个严禁都是啥”, “哪三个‘员’”): every item is listed, and a heading that
 * announces the set is not one of its items. Synthetic documents: a 问答 in Markdown whose question heading names the
 * set, and a report whose items are quoted names ending in the head.
 */
const on = assistantOn({
  '丙县党员发展问答.md': [
    '# 丙县党员发展工作问答（虚构）',
    '',
    '### 一问：入党申请书交上去后多久谈话？',
    '',
    '答：党组织收到入党申请书后，应当在一个月内派人谈话。',
    '',
    '### 二问：发展党员有哪些“四个严禁”？',
    '',
    '答：本县在发展党员工作中明确“四个严禁”：',
    '',
    '1. 严禁突击发展党员；',
    '2. 严禁违规压缩培养考察期；',
    '3. 严禁收取任何费用；',
    '4. 严禁跨地区发展党员。',
    '',
    '### 三问：党员档案由谁保管？',
    '',
    '答：由乡镇党委统一保管，党支部不得自行保存原件。',
  ].join('\n'),
  '丁县新就业群体党建报告.txt': [
    '丁县推进新就业群体党建工作（虚构）',
    '',
    '丁县引导快递员、外卖送餐员参与基层治理，当好社会治理“安全巡查员”“政策宣传员”“民情信息员”，为基层治理贡献力量。',
    '',
    '丁县党员教育培训覆盖全县党员，组织党员参加集中轮训3期。',
  ].join('\n'),
  // a report that mentions the “六个一” without listing them, beside the 安排 that lists them
  '丁县基层党建述职.txt': ['丁县基层党建述职情况（虚构）', '', '丁县主题党日落实“六个一”工作要求情况如何？各支部主题党日整体效能好不好？述职会上逐一点评。'].join('\n'),
  '丁县主题党日安排.md': [
    '# 丁县主题党日活动安排（虚构）',
    '',
    '## 一、基本要求',
    '',
    '每次主题党日按“六个一”的基本流程开展：',
    '',
    '1. 重温一次入党誓词；',
    '2. 集中学习一次党的创新理论；',
    '3. 交纳一次党费；',
    '4. 开展一次民主议事；',
    '5. 进行一次志愿服务；',
    '6. 做好一次活动记录。',
  ].join('\n'),
  // a set named by a heading and listed, one item per 、, in the sentence after it
  '丁县软弱涣散村整顿通报.txt': [
    '丁县软弱涣散村党组织整顿情况通报（虚构）',
    '',
    '一、主要做法',
    '',
    '（一）实行“三个一”包联。对每个整顿村，落实1名县级领导联系、1个县直部门结对、1名第一书记驻村，整顿期间县级领导到村调研不少于4次。',
    '',
    '（二）选优配强带头人。调整不胜任的书记6名。',
  ].join('\n'),
});

describe('sets announced by their count', () => {
  it('reads an unquoted set asked with 个 (那四个严禁都是啥), but not a count of places (三个村有多少党员)', () => {
    expect(readListAsk('发展党员那四个严禁都是啥')).toMatchObject({ count: 4, head: '严禁', phrase: '四个严禁' });
    expect(readListAsk('三个村有多少党员？')).toBeUndefined();
  });

  it('reads a quote opening after the measure word as the head of the items (哪三个“员”), not as a name in the text', () => {
    const ask = readListAsk('丁县让新就业群体当好哪三个“员”？');
    expect(ask).toMatchObject({ count: 3, head: '员' });
    expect(ask?.phrase).toBeUndefined();
  });

  it('lists all four items under the announcing sentence, and not the heading that asks for them', async () => {
    const a = await on.assistant.ask('发展党员那四个严禁都是啥');
    for (const item of ['严禁突击发展党员', '严禁违规压缩培养考察期', '严禁收取任何费用', '严禁跨地区发展党员']) expect(a.answer).toContain(item);
    expect(a.answer).toContain('共4项');
    expect(a.answer).not.toMatch(/\d\. 二问/);
  });

  it('lists the quoted names ending in the asked head (安全巡查员, 政策宣传员, 民情信息员), not words merely containing it (党员)', async () => {
    const a = await on.assistant.ask('丁县让新就业群体当好哪三个“员”？');
    for (const item of ['安全巡查员', '政策宣传员', '民情信息员']) expect(a.answer).toContain(item);
    expect(a.answer).toContain('共3项');
  });

  it('reads a count and its head quoted together after 哪 (哪“三员”) as the set of three names ending in 员', async () => {
    expect(readListAsk('要当好哪“三员”')).toMatchObject({ count: 3, head: '员' });
    const a = await on.assistant.ask('快递员外卖送餐员在基层治理里要当好哪“三员”');
    for (const item of ['安全巡查员', '政策宣传员', '民情信息员']) expect(a.answer).toContain(item);
  });

  it('lists the set from the passage that lists it, not from a report that only names it (主题党日的“六个一”)', async () => {
    const a = await on.assistant.ask('主题党日的“六个一”流程是哪六个');
    for (const item of ['入党誓词', '创新理论', '交纳一次党费', '民主议事', '志愿服务', '活动记录']) expect(a.answer).toContain(item);
  });

  it('lists a set from the series the sentence after its name writes, one item per 、 (“三个一”包联 ← 1名…联系、1个…结对、1名…驻村)', async () => {
    const a = await on.assistant.ask('整顿村搞的“三个一”包联，具体是哪三个一');
    for (const [k, item] of ['1名县级领导联系', '1个县直部门结对', '1名第一书记驻村'].entries()) expect(a.answer).toContain(`${k + 1}. ${item}`);
  });
});
