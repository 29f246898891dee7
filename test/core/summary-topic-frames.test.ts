import { describe, expect, it } from 'vitest';
import { placeNames, summaryTopic } from '../../src/answer/query.js';
import { draftTopic } from '../../src/answer/summarize.js';
import { assistantOn } from './support.js';

/** The topic a request leaves (summaryTopic, then draftTopic, as summarize reads it). */
const topicOf = (request: string) => draftTopic(summaryTopic(request) || request);

/**
 * A summary asked across a county's documents by the frame of the request (对X都提了哪些要求, X的经验): the documents asked
 * of are no topic, a long policy topic is found by its head noun in each document, one 简报's parts read in order and its
 * place named in the 导语 (synthetic documents; 壬溪县 and 青芦镇 do not exist).
 */
const on = assistantOn({
  '壬溪县第一书记管理办法.txt': [
    '壬溪县驻村第一书记管理办法（虚构）',
    '',
    '第一章 总则',
    '第一条 为规范驻村第一书记管理，制定本办法。',
    '第二章 职责',
    '第五条 第一书记帮助理清发展思路，协调项目资金，发展壮大村级集体经济。',
    '第六条 第一书记每月在村工作时间不少于20天。',
  ].join('\n'),
  '壬溪县党建联建通知.txt': [
    '关于开展壬溪县党建联建结对共建工作的通知（虚构）',
    '',
    '一、共建内容。县直单位党组织每年帮助结对村办成实事不少于3件，帮助谋划1个集体经济增收项目。',
    '二、工作要求。各单位要在2027年1月20日前签订结对共建协议。',
  ].join('\n'),
  '壬溪县合作社工作总结.txt': [
    '壬溪县2026年村党组织领办合作社工作总结（虚构）',
    '',
    '一、主要成效。全年领办合作社实现经营收入2100万元，带动村集体经济增收640万元。',
    '二、存在问题。部分合作社缺乏懂经营的人才。',
  ].join('\n'),
  '壬溪县志愿服务办法.txt': [
    '壬溪县党员志愿服务管理办法（虚构）',
    '',
    '第一章 总则',
    '第一条 为规范党员志愿服务，制定本办法。',
    '第二章 组织管理',
    '第三条 村（社区）党组织设立党员志愿服务分队，每个分队不少于10名党员。',
    '第三章 时长记录',
    '第四条 在职党员每年参加志愿服务时长一般不少于20小时。',
    '第四章 激励保障',
    '第五条 党员年度志愿服务时长累计达到50小时的，授予“优秀党员志愿者”称号。',
    '第六条 各乡镇为党员志愿者购买意外伤害保险，每人每年不低于30元。',
    '',
    '中共壬溪县委组织部',
    '2026年11月16日',
  ].join('\n'),
  '壬溪县党建工作报告.txt': [
    '壬溪县2026年基层党建工作报告（虚构）',
    '',
    '一、全年各村党组织开展主题党日活动1200余场，服务群众3万余人次，党员服务队走访农户8000余户。',
    '二、全县新发展党员86名。',
  ].join('\n'),
  '壬溪县星级评定细则.md': [
    '# 壬溪县村党组织星级评定考核评分细则（虚构）',
    '',
    '## 一、评分标准',
    '',
    '评分满分为100分，由3个考核项目组成。',
    '',
    '表1 星级评定考核评分标准',
    '',
    '| 考核项目 | 分值 | 主要内容 |',
    '|---|---|---|',
    '| 班子建设 | 40 | 班子结构合理 |',
    '| 组织生活 | 35 | 三会一课 |',
    '| 服务群众 | 25 | 为民办事 |',
    '',
    '## 二、推进安排',
    '',
    '表2 推进安排',
    '',
    '| 阶段 | 完成数量（个） |',
    '|---|---|',
    '| 试点阶段 | 12 |',
    '| 推广阶段 | 30 |',
  ].join('\n'),
  '壬溪组工简报.md': [
    '# 壬溪组工简报（2026年第3期）（虚构）',
    '',
    '## 青芦镇：“一室多用”让活动场所活起来',
    '',
    '近年来，青芦镇9个村的活动场所全部完成改造。今年以来，青芦镇以“一室多用”为目标推动场所转变。',
    '',
    '### 一、功能整合，一室多用',
    '',
    '镇党委将党员活动室、会议室、阅览室合并调整，统一设置“一厅三室”。',
    '',
    '### 二、开门服务，预约使用',
    '',
    '各村活动场所实行工作日8:30至17:30开放，群众预约后免费使用。',
    '',
    '### 三、经费保障，长效运行',
    '',
    '镇财政按照每村每年2000元的标准安排场所运行经费，场所年均使用天数提高到240天以上。',
  ].join('\n'),
});

describe('a summary asked by the frame of its request', () => {
  it('leaves the documents asked of and the frame 对X都提了哪些要求 out of the topic', () => {
    expect(topicOf('壬溪县这几个文件里对发展壮大村级集体经济都提了哪些要求，帮我汇总一下')).toBe('壬溪县发展壮大村级集体经济的要求');
  });

  it('leaves a span of years (这些年, 近几年) out of the topic, not a part of it (这些|年在城市基层治理上)', () => {
    expect(topicOf('壬溪县这些年在城市基层治理上是怎么做的，总结一下')).toBe('壬溪县在城市基层治理上的做法');
    expect(topicOf('壬溪县近几年发展党员有哪些做法')).toBe('壬溪县发展党员的做法');
  });

  it('takes no place out of a word it crosses (党建|促|乡村 holds no 建促乡)', () => {
    expect(placeNames('祁连县是怎么抓党建促乡村振兴的')).toEqual(['祁连县']);
    expect(placeNames('海东市有多少个社区实现了书记一肩挑')).toEqual(['海东市']);
  });

  it('drafts a long policy topic from each document that states its head noun (集体经济)', async () => {
    const s = await on.assistant.summarize('壬溪县这几个文件里对发展壮大村级集体经济都提了哪些要求，帮我汇总一下');
    expect(s.grounded).toBe(true);
    for (const point of ['发展壮大村级集体经济', '帮助谋划1个集体经济增收项目', '640万元']) expect(s.summary).toContain(point);
  });

  it('drafts one 简报 article asked for its 经验 from its own parts, in their order, with its place in the 导语', async () => {
    const s = await on.assistant.summarize('介绍一下青芦镇村级活动场所“一室多用”的经验');
    expect(s.grounded).toBe(true);
    const bullets = s.summary.slice(s.summary.indexOf('\n- '));
    const at = ['一厅三室', '8:30至17:30', '每村每年2000元'].map((p) => bullets.indexOf(p));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(s.summary).toMatch(/导语\*\*：[^\n]*青芦镇在/);
  });

  it('drafts a topic that one document alone is about as that document, part by part, though another shares its words in passing', async () => {
    const s = await on.assistant.summarize('帮我写个壬溪县志愿服务的简报');
    expect(s.grounded).toBe(true);
    expect(s.summary).toMatch(/导语\*\*：[^\n]*印发《壬溪县党员志愿服务管理办法/);
    for (const point of ['20小时', '50小时', '30元']) expect(s.summary).toContain(point);
  });

  it('reads the bare numbers of a table row with the unit their header gives (分值40 → 40分, 完成数量（个）30 → 30个)', async () => {
    const s = await on.assistant.summarize('壬溪县村党组织星级评定考核评分细则');
    expect(s.grounded).toBe(true);
    expect(s.summary).toContain('分值40分');
    expect(s.summary).toMatch(/完成数量(12|30)个/);
  });
});
