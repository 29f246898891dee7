import { describe, expect, it } from 'vitest';
import { joinSplitVerb, readFigureAsk } from '../../src/answer/query.js';
import { assistantOn } from './support.js';

/**
 * Words of a chat question read for what they do (synthetic documents; 子县 does not exist): 多大 and 才能 ask, 一般 before
 * 由 is an adverb, a verb-object word split by 多少 is one word, a modal after 多少 opens the consequence, a limit
 * counted from an event (以后多久) is no condition, a weight is a measure.
 */
const on = assistantOn({
  '子县驻村干部管理办法.txt': [
    '子县驻村干部管理办法（虚构）',
    '',
    '第一章 总则',
    '第一条 为规范驻村干部管理，制定本办法。',
    '第二章 选派',
    '第四条 驻村干部从县直单位的优秀干部中选派，年龄不超过50周岁。',
    '第五条 驻村干部被召回的，派出单位应当在1个月内重新选派。',
    '第六条 驻村工作队队长原则上由派出单位的副科级以上干部担任。',
    '第七条 驻村干部每年底撰写述职报告，述职报告一般不超过3000字。',
    '第八条 驻村干部申报的帮扶项目，名称一般不超过20个字。',
  ].join('\n'),
  '子县四议两公开方案.txt': [
    '子县“四议两公开”实施方案（虚构）',
    '',
    '一、决议公开。决议通过后3日内，在村务公开栏公开，公开时间不少于5天。',
    '二、加强督导。乡镇（街道）党（工）委每两个月对所辖村落实情况至少检查1次。',
    '三、村党组织书记每年向党员大会述职一次。',
    '四、场所开放。各村活动场所实行工作日9:00至17:00开放，周六上午轮流值班。',
  ].join('\n'),
  '子县合作社工作总结.txt': [
    '子县村党组织领办合作社工作总结（虚构）',
    '',
    '一、主要成效。全年向入社农户分红520万元，户均分红300元。',
    '二、主要做法。单笔支出超过2万元的，须经合作社理事会集体研究。',
    '三、典型做法。东湖镇推行“党组织+合作社”模式，全年销售大米640吨。',
  ].join('\n'),
});

describe('the words of a chat question', () => {
  it('asks nothing of the evidence with 多大 and 才能 before a verb', async () => {
    const a = await on.assistant.ask('驻村干部多大年纪以下才能派');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('50周岁');
  });

  it('takes the role before 一般由谁, not the adverb', async () => {
    const a = await on.assistant.ask('驻村工作队队长一般由谁当');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('副科级以上干部');
  });

  it('reads 以后多久要 as a limit counted from the event, not a condition', async () => {
    expect(readFigureAsk('驻村干部被召回以后多久要重新派人')?.threshold).toBeUndefined();
    const a = await on.assistant.ask('驻村干部被召回以后多久要重新派人');
    expect(a.answer).toContain('1个月内');
  });

  it('joins a verb-object word split by 多少 (分了多少红 → 分红) and asks its amount in money', async () => {
    expect(joinSplitVerb('全年给入社农户分了多少红')).toBe('全年给入社农户分红了多少');
    expect(joinSplitVerb('村里分多少钱')).toBe('村里分多少钱');
    const a = await on.assistant.ask('全年给入社农户分了多少红');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('520万元');
  });

  it('counts nothing after a modal verb that opens a consequence (超过多少|要理事会研究)', async () => {
    const a = await on.assistant.ask('合作社花钱超过多少要理事会集体研究');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('2万元');
  });

  it('reads a weight as a measure (卖了多少大米 ← 640吨)', async () => {
    const a = await on.assistant.ask('东湖镇一年卖了多少大米');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('640吨');
  });


  it('answers 几点 with a clock time (9:00至17:00)', async () => {
    const a = await on.assistant.ask('活动场所一天几点开几点关门');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('9:00至17:00');
  });

  it('reads 不能少于 as a floor asked of the noun before it, and 几天内 as days within', async () => {
    const floor = await on.assistant.ask('公开时间不能少于几天');
    expect(floor.grounded).toBe(true);
    expect(floor.answer).toContain('5天');
    expect(readFigureAsk('决议通过后几天内要公开')?.unit).toBe('天');
    const within = await on.assistant.ask('决议通过后几天内要公开');
    expect(within.answer).toContain('3日内');
  });

  it('matches a name written with an alternative in brackets (乡镇（街道）党（工）委) and dates a verbal noun counted by times (检查一次)', async () => {
    const a = await on.assistant.ask('乡镇党委多久检查一次四议两公开落实情况');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('至少检查1次');
  });

  it('answers 最长能写多少字 by a bound in that measure word counted with 个 (不超过20个字), not by the length of another text', async () => {
    expect(readFigureAsk('帮扶项目名称最长能写多少字')?.bound).toBe(true);
    const a = await on.assistant.ask('帮扶项目名称最长能写多少字');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('20个字');
    expect(a.answer).not.toContain('3000字');
  });
});
