import { describe, expect, it } from 'vitest';
import { findFigures } from '../../src/answer/figures.js';
import { readFigureAsk } from '../../src/answer/query.js';
import { assistantOn } from './support.js';

/**
 * What a count counts when the text or the question runs nouns together: 多少个村和社区 is 个 of 村 and 社区 (not a
 * measure word 个村), and a sum closing a run of parts (“128个村党组织和23个社区党组织，共151个”) counts what the parts
 * have in common (synthetic documents; 辛市 and 辛县 do not exist).
 */
const on = assistantOn({
  '辛市基层基础调研.txt': [
    '辛市夯实基层基础工作综述（虚构）',
    '',
    '辛市组建专项调研组，深入155个农村和87个社区，开展农村、社区2个领域夯实基层基础专项调研，从干部队伍、基础保障、基层事务、组织建设四个方面梳理总结了困扰农村、社区基层的9个方面37项具体问题，先后召开夯实农村和社区基层基础工作专题会议6次，研究制定了整改措施。',
  ].join('\n'),
  '辛县星级评定细则.txt': [
    '辛县村（社区）党组织星级评定考核评分细则（虚构）',
    '',
    '一、评定范围。全县128个村党组织和23个社区党组织，共151个。当年新设立的党组织，当年不参加评定。',
    '二、评定等次。评定结果分为五星至一星五个等次。',
  ].join('\n'),
  '辛县合作社工作总结.txt': [
    '辛县村党组织领办合作社工作总结（虚构）',
    '',
    '一、主要成效。全县已有64个村领办了合作社，入社农户达到1.2万户。',
    '二、明年打算。力争领办合作社的村达到90个，覆盖率超过80%。',
  ].join('\n'),
});

describe('what a count counts', () => {
  it('reads 多少个村和社区 as 个 of 村 and 社区 and quotes the clause holding both figures', async () => {
    expect(readFigureAsk('去了多少个村和社区')?.unit).toBe('个');
    const a = await on.assistant.ask('辛市搞夯实基层基础专项调研，去了多少个村和社区');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('155个农村');
    expect(a.answer).toContain('87个社区');
  });

  it('answers a total by the sum closing a run of parts (共151个 counts 党组织)', async () => {
    const a = await on.assistant.ask('星级评定全县总共多少个党组织参评');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('151个');
  });

  it('answers what is now (现在有多少) by the state, not by a target (力争……达到90个)', async () => {
    const a = await on.assistant.ask('辛县领办合作社的村现在有多少个');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('64个');
    expect(a.answer).not.toContain('90个');
  });

  it('reads no label number as an amount (按照附件2对……考核 is no 2对) and counts pairs (结对对子128对)', async () => {
    expect(findFigures('按照附件2对结对共建工作进行考核').map((f) => f.text)).toEqual([]);
    expect(findFigures('全县共确定结对对子128对。').map((f) => f.text)).toEqual(['128对']);
    expect(findFigures('村民代表12名到会').map((f) => f.text)).toEqual(['12名']);
  });
});
