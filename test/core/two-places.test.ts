import { describe, expect, it } from 'vitest';
import { assistantOn } from './support.js';

/**
 * Two counties' rules on one subject (synthetic; 甲川县 and 乙川县 do not exist): a rule asked with no place named is
 * given as each county's document states it; asked of one county, only that county's.
 */
const rule = (county: string, good: number, bad: number) =>
  [`${county}党员积分管理办法（虚构）`, '', `第一条 为加强${county}党员日常管理，制定本办法。`, `第八条 年度积分${good}分以上为优秀，${bad}分以下为不合格。`].join('\n');
const on = assistantOn({
  '甲川县积分办法.txt': rule('甲川县', 90, 60),
  '甲川县积分办法.meta.yaml': 'title: 甲川县党员积分管理办法（虚构）\nplace: 甲川县\ndate: "2026-03-01"\n',
  '乙川县积分办法.txt': rule('乙川县', 110, 70),
  '乙川县积分办法.meta.yaml': 'title: 乙川县党员积分管理办法（虚构）\nplace: 乙川县\ndate: "2026-09-01"\n',
  '甲川县述职通知.txt': '关于开展甲川县村党组织书记述职评议的通知（虚构）\n\n各乡镇党委于12月20日前召开述职评议大会，每名书记述职时间不超过8分钟。',
  '甲川县述职通知.meta.yaml': 'title: 关于开展甲川县村党组织书记述职评议的通知（虚构）\nplace: 甲川县\ndate: "2026-11-01"\n',
  '乙川县会议纪要.txt': '乙川县基层党建工作领导小组会议纪要（虚构）\n\n年度述职评议大会定于2027年1月中旬召开，全县乡镇党委书记全部现场述职。剩余3个软弱涣散村党组织于12月10日前完成整顿验收。',
  '乙川县会议纪要.meta.yaml': 'title: 乙川县基层党建工作领导小组会议纪要（虚构）\nplace: 乙川县\ndate: "2026-10-20"\n',
});

describe('a rule asked with no place named, where two places have one', () => {
  it('gives each county’s thresholds, each with its document, for a two-part question', async () => {
    const a = await on.assistant.ask('积分到多少算优秀？低于多少就不合格了');
    for (const f of ['90分', '60分', '110分', '70分', '甲川县', '乙川县']) expect(a.answer).toContain(f);
  });

  it('gives one county’s when the question names it', async () => {
    const a = await on.assistant.ask('乙川县积分到多少算优秀？低于多少就不合格了');
    expect(a.answer).toContain('110分');
    expect(a.answer).not.toContain('90分以上');
  });

  it('dates an event as each county’s document dates it, when no place is named', async () => {
    const a = await on.assistant.ask('述职评议大会什么时候开');
    expect(a.answer).toContain('12月20日');
    expect(a.answer).toContain('1月中旬');
  });

  it('reads 整顿 (a numeral in jieba’s dictionary) as the event of 什么时候要整顿完', async () => {
    const a = await on.assistant.ask('剩下的软弱涣散村什么时候要整顿完');
    expect(a.answer).toContain('12月10日');
  });
});

/**
 * A township the lexicon does not know, named by the form of its name (柳汀镇), restricts the passages to the documents
 * that write it: another county's text counting the same noun exactly is not that township's answer.
 */
const townOn = assistantOn({
  'other-county.txt': ['澄岚县“红色头雁”行动方案（虚构）', '', '从乡镇领导班子成员和优秀老书记中选聘40名“帮带导师”，每名导师结对帮带新任书记不超过3名。'].join('\n'),
  'town.txt': ['柳汀镇青年党员导师帮带工作简报（虚构）', '', '柳汀镇党委从村党组织书记、退休村干部中选聘导师23名，每名导师帮带青年党员一般不超过2名。'].join('\n'),
});

describe('a township named by the form of its name', () => {
  it('answers 柳汀镇选了多少名帮带导师 from the text that writes 柳汀镇, not another county’s 帮带导师', async () => {
    const a = await townOn.assistant.ask('柳汀镇一共选了多少名帮带导师');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('23名');
    expect(a.answer).not.toContain('40名');
  });
});
