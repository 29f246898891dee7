import { describe, expect, it } from 'vitest';
import { standardInterrogatives } from '../../src/answer/wording.js';
import { assistantOn } from './support.js';

/** Colloquial question words (啥时候, 搞啥, 搞完) asked of a 解读 and a table (synthetic documents). */
const on = assistantOn({
  '辛县评议解读.md': [
    '# 《辛县民主评议党员工作实施办法》政策解读（虚构）',
    '',
    '## 一、民主评议多长时间开展一次？',
    '',
    '民主评议党员每年开展一次，一般在年底或者次年年初结合组织生活会进行，原则上于次年1月31日前完成。',
    '',
    '## 二、《实施办法》什么时候开始执行？',
    '',
    '《实施办法》自2026年12月1日起施行，2026年度民主评议党员工作即按《实施办法》执行。',
  ].join('\n'),
  '辛县关怀帮扶办法.md': [
    '# 辛县党内关怀帮扶办法（虚构）',
    '',
    '**第五条** 党员患重大疾病，个人自付医疗费用超过3万元的，可以申请一次性救助。每次救助1万元。',
    '',
    '**第六条** 生活困难党员每年春节前慰问一次，慰问金每户1000元。',
  ].join('\n'),
  '辛县机关党建要点.txt': [
    '辛县2027年机关党建工作要点（虚构）',
    '',
    '一、组织生活',
    '1.各机关党支部严格执行“三会一课”制度，3月底前完成2026年度组织生活会。',
    '2.支部委员会每月召开1次，支部党员大会每季度召开1次。',
    '二、台账管理',
    '3.支部委员会应当于2027年6月30日前将党员信息台账报县委组织部。',
  ].join('\n'),
  '辛县主题党日安排.md': [
    '# 辛县2027年主题党日活动安排（虚构）',
    '',
    '| 月份 | 活动主题 | 主要内容 | 牵头单位 |',
    '|---|---|---|---|',
    '| 7月 | 建党纪念 | 重温入党誓词 | 县委组织部 |',
    '| 8月 | 生态护河 | 沿河开展巡河护河 | 县生态环境局 |',
    '| 9月 | 助学兴教 | 结对资助困难学生 | 县教育局 |',
  ].join('\n'),
});

describe('colloquial question words', () => {
  it('reads 啥时候, 啥, 咋 and 干啥 as 什么时候, 什么, 怎么 and 做什么', () => {
    expect(standardInterrogatives('最晚啥时候要搞完')).toBe('最晚什么时候要搞完');
    expect(standardInterrogatives('搞啥主题，咋报名，去干啥')).toBe('搞什么主题，怎么报名，去做什么');
  });

  it('answers “最晚啥时候要搞完” with the deadline (1月31日前完成), not the day the rules take effect', async () => {
    const a = await on.assistant.ask('民主评议党员最晚啥时候要搞完');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('1月31日前');
    expect(a.answer).not.toContain('12月1日起施行');
  });

  it('answers both columns a table question asks in colloquial words (搞啥主题，哪个单位牵头)', async () => {
    const a = await on.assistant.ask('8月份主题党日搞啥主题，哪个单位牵头');
    expect(a.answer).toContain('生态护河');
    expect(a.answer).toContain('县生态环境局');
  });

  it('answers a question told as a story (得了大病自己掏了好几万，组织上能救助多少): 好几万 asks nothing, 救助 is what the amount follows', async () => {
    const a = await on.assistant.ask('党员得了大病自己掏了好几万，组织上能救助多少');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('1万元');
    expect(a.answer).not.toContain('3万元');
  });

  it('answers how often (支部委员会多久开一次) with the period (每月), not a sentence with a day', async () => {
    const a = await on.assistant.ask('支部委员会多久开一次');
    expect(a.answer).toContain('每月召开1次');
    expect(a.answer).not.toContain('6月30日');
  });

  it('reads 啥时候前要开完 as a deadline asked (3月底前完成), and its words ask nothing of the evidence', async () => {
    const a = await on.assistant.ask('机关党支部的组织生活会啥时候前要开完');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('3月底前');
  });
});
