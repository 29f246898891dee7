import { describe, expect, it } from 'vitest';
import { assistantOn } from './support.js';

/**
 * A rule text states its conditions in tiers and bounds (请假3天以内……；3天以上……, 不少于20天, 60分至74分的评为“一般”).
 * A question is answered by the tier or bound it asks for (synthetic documents; 癸县 does not exist).
 */
const on = assistantOn({
  '癸县驻村干部管理办法.txt': [
    '癸县驻村干部管理办法（虚构）',
    '',
    '第一章 总则',
    '第一条 为加强驻村干部管理，制定本办法。',
    '第二章 日常管理',
    '第五条 驻村干部请假3天以内（含3天）的，由乡镇党委书记审批；3天以上的，由乡镇党委和派出单位共同审批。',
    '第六条 驻村干部每月在村工作时间不少于20天，不得长期脱岗。',
    '第七条 驻村干部年度考核按百分制计分，90分以上的评为“好”；75分至89分的评为“较好”；60分至74分的评为“一般”；60分以下的评为“差”。',
    '第八条 驻村干部有下列情形之一的，予以召回：',
    '（一）连续2个月在村工作时间达不到规定天数的；',
    '（二）年度考核评为“差”的；',
    '（三）违反工作纪律造成不良影响的。',
    '第十条 驻村干部工作日志、考勤记录等材料由乡镇党委归档，保存期限不少于5年。',
    '第十一条 召开驻村干部述职会议，须有三分之二以上的村“两委”成员到会。',
    '第十二条 驻村干部应当于2027年3月10日前签订驻村工作承诺书，报乡镇党委备案。',
    '第十三条 驻村干部年度考核结果在乡镇范围内公示5个工作日。',
    '第三章 附则',
    '第九条 本办法自2027年1月1日起施行。',
  ].join('\n'),
});

describe('a rule asked by its bound or its tier', () => {
  it('answers a floor asked (最少) with the floor, not with a ceiling of the same unit (3天以内)', async () => {
    const a = await on.assistant.ask('驻村干部每个月最少要在村里待多少天');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('20天');
    expect(a.answer).not.toContain('3天以内');
  });

  it('answers a case by the tier its amount meets (请5天假 ← “3天以上的”), not by another tier or a date of the same number', async () => {
    const a = await on.assistant.ask('驻村干部要请5天假，谁来批');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('派出单位共同审批');
    expect(a.answer).not.toContain('由乡镇党委书记审批');
  });

  it('answers a score by the grade whose range holds it (70分 ← “60分至74分的评为“一般””)', async () => {
    const a = await on.assistant.ask('驻村干部年度考核只得了70分，算哪一档');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('一般');
    expect(a.answer).not.toContain('较好');
  });

  it('answers 在什么情况下 with the cases a rule lists (有下列情形之一的：（一）…（三）)', async () => {
    const a = await on.assistant.ask('驻村干部在什么情况下会被召回');
    expect(a.grounded).toBe(true);
    for (const item of ['达不到规定天数', '评为“差”', '违反工作纪律']) expect(a.answer).toContain(item);
  });

  it('quotes a sentence announcing items with its items, not alone up to its colon', async () => {
    const a = await on.assistant.ask('驻村干部被召回的情形');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('予以召回');
    for (const item of ['达不到规定天数', '违反工作纪律']) expect(a.answer).toContain(item);
  });

  it('reads a length of time asked right after a verb (材料要留存几年) as the length of that action', async () => {
    const a = await on.assistant.ask('驻村干部的工作日志、考勤记录这些材料要留存几年');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('5年');
    // (and a time in another measure word right after the verb answers too: 公示几天 ← “公示5个工作日”)
    const b = await on.assistant.ask('驻村干部考核结果要公示几天');
    expect(b.grounded).toBe(true);
    expect(b.answer).toContain('5个工作日');
  });

  it('answers 至少得来多少X with a share of X modified by 的 (三分之二以上的村“两委”成员)', async () => {
    const a = await on.assistant.ask('开驻村干部述职会议，至少得来多少两委成员');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('三分之二');
  });

  it('dates an event asked with a complement of result (签好 ← 签订)', async () => {
    const a = await on.assistant.ask('驻村工作承诺书最晚哪天前要签好');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('3月10日');
  });
});
