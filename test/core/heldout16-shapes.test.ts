import { describe, expect, it } from 'vitest';
import { readConditionAsk, readFigureAsk } from '../../src/answer/query.js';
import { modalDei } from '../../src/answer/wording.js';
import { onlyNegated } from '../../src/retrieval/glossary.js';
import { assistantOn } from './support.js';

/**
 * Question shapes from heldout-16's failures (retired to tuning in the thirteenth round), each on a synthetic text (壬县
 * does not exist): an area asked as 面积最少要多大, the colloquial modal 得 (讲解员得配几个), a condition whose consequence
 * is asked (评了优秀有啥好处, 要是不合格呢), what is left undone (还剩几个没改完 ← 其余…), a score named with its measure word
 * (基础分占多少), and a period inside the counted noun (村支书一年报酬).
 */
const on = assistantOn({
  'jidi-banfa.txt': [
    '壬县廉政教育基地管理办法（虚构）',
    '',
    '第一章 总则',
    '第一条 为规范廉政教育基地建设管理，制定本办法。',
    '第二章 认定',
    '第四条 申请认定县级廉政教育基地，应当具备以下条件：（一）史实清楚、主题鲜明；（二）固定展陈面积不少于150平方米，能够同时容纳40人以上开展现场教学；（三）配备专兼职讲解员不少于2名；（四）有专人负责日常管理。',
    '第三章 使用',
    '第八条 县委党校每年在县级廉政教育基地开展现场教学不少于2次。',
    '第九条 新任职干部集体廉政谈话等活动，优先安排在廉政教育基地开展。',
    '第十条 鼓励廉政教育基地开发“廉政微课”，县纪委每年评选5门优秀现场教学课程。',
    '第四章 保障',
    '第十一条 县财政对县级廉政教育基地按照每个每年2万元的标准安排运行补助经费，主要用于讲解员补贴、展陈维护和课程开发。',
    '第十二条 县纪委每年对廉政教育基地运行情况进行考核，考核结果分为优秀、合格、不合格三个等次。考核优秀的，下一年度运行补助经费上浮10%；考核不合格的，暂停拨付下一年度运行补助经费。',
  ].join('\n'),
  'qingdan-tongbao.txt': [
    '壬县2026年度基层党建工作责任清单落实情况通报（虚构）',
    '',
    '一、总体情况',
    '全县各级党组织书记责任事项完成率为92%。',
    '二、主要成效',
    '（一）问题整改更加到位。2025年度考核反馈的问题共50个，已整改到位47个；其余3个问题涉及历史遗留原因，已列入2027年持续整改。',
    '（二）考核结果。12个乡镇中，考核等次为“好”的5个、“较好”的6个、“一般”的1个。',
  ].join('\n'),
  'xianfeng-jianbao.txt': [
    '壬县青禾镇党员先锋指数工作简报（虚构）',
    '',
    '镇党委把党员先锋指数设为基础分和加分两部分，满分100分。其中，基础分70分，主要考评参加组织生活、按时交纳党费等情况；加分30分，主要考评参与村级事务、帮扶困难群众等情况。',
    '得分低于60分的列为“待提升”，由支部书记进行谈心提醒。',
  ].join('\n'),
  'baochou.txt': [
    '壬县村干部报酬待遇工作情况（虚构）',
    '',
    '严格落实村干部“基本报酬+绩效补贴”报酬体系，“一肩挑”的村党支部书记年均报酬达到4.8万元、村“两委”其他成员达到3.1万元。',
  ].join('\n'),
});

describe('heldout-16 shapes', () => {
  it('answers an area asked as 面积最少要多大 by the area, and the colloquial 得 (讲解员得配几个) by the number of 讲解员', async () => {
    const a = await on.assistant.ask('壬县想申报县级廉政教育基地，展陈面积最少要多大？讲解员得配几个');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('150平方米');
    expect(a.answer).toContain('2名');
    // (not the article on money that also names 展陈 and 讲解员)
    expect(a.answer).not.toContain('2万元');
    expect(readFigureAsk('展陈面积最少要多大')).toMatchObject({ unit: '平方米', limit: 'min' });
    // (alone, the modal glued to its verb, 要|配 or 得|配, is no topic the evidence must name)
    for (const q of ['讲解员要配几个', '讲解员得配几个']) {
      const b = await on.assistant.ask(q);
      expect(b.grounded).toBe(true);
      expect(b.answer).toContain('2名');
    }
  });

  it('reads the colloquial modal 得 only before a verb and outside a dictionary word (获得, 记得) or a complement (看得见)', () => {
    const modal = (q: string) => modalDei(q, q.indexOf('得'));
    expect(modal('讲解员得配几个')).toBe(true);
    expect(modal('党费得交多少')).toBe(true);
    for (const q of ['获得多少奖励', '还记得吗', '看得见吗', '打得低']) expect(modal(q)).toBe(false);
  });

  it('counts the object fronted before a modal and its verb (讲解员得配几个), not a body acting (乡镇一年要培训几个)', () => {
    expect(readFigureAsk('讲解员得配几个')?.noun).toBe('讲解员');
    expect(readFigureAsk('联络员最少要配几个')?.noun).toBe('联络员');
    expect(readFigureAsk('乡镇一年要培训几个')?.noun).toBeUndefined();
    expect(readFigureAsk('每个支部要发展几名')?.noun).toBeUndefined();
    // (a length of time or a change is measured of the action, not counted of the noun before it)
    expect(readFigureAsk('三会一课记录本得留几年')?.noun).toBeUndefined();
    expect(readFigureAsk('绩效报酬上浮多少')?.noun).toBeUndefined();
  });

  it('answers a condition whose consequence is asked by the rule’s conditional clause (考核优秀的，… / 考核不合格的，…)', async () => {
    const a = await on.assistant.ask('廉政教育基地年度考核评了优秀有啥好处？要是不合格呢');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('上浮10%');
    expect(a.answer).toContain('暂停拨付');
    // (not the articles of the chapter on use, listed for 有什么好处)
    expect(a.answer).not.toContain('现场教学不少于2次');
    const b = await on.assistant.ask('廉政教育基地考核不合格会怎么样');
    expect(b.answer).toContain('暂停拨付');
    expect(b.answer).not.toContain('上浮10%');
  });

  it('reads the condition stated, negated as it is said (不合格 is no 合格)', () => {
    expect(readConditionAsk('要是不合格呢')).toBe('不合格');
    expect(readConditionAsk('考核评了优秀有什么好处')).toBe('优秀');
    expect(readConditionAsk('基地考核不合格会怎么样')).toBe('不合格');
    expect(readConditionAsk('考核优秀的基地有多少个')).toBeUndefined();
  });

  it('answers what is left undone (还剩几个没改完) by the rest (其余3个), not again by the sentence of the part before', async () => {
    const a = await on.assistant.ask('2025年度考核反馈的那些问题，整改好了几个？还剩几个没改完');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('47个');
    expect(a.answer).toContain('其余3个');
  });

  it('takes a glossary phrase said negated (没改完) as widening the search, not as meaning its words', () => {
    expect(onlyNegated('还剩几个没改完', '改完')).toBe(true);
    expect(onlyNegated('什么时候改完', '改完')).toBe(false);
    expect(onlyNegated('一次都没办', '没办')).toBe(false);
  });

  it('counts a score named with its measure word (基础分占多少 ← 基础分70分)', async () => {
    const a = await on.assistant.ask('青禾镇的党员先锋指数满分多少分？基础分占多少');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('100分');
    expect(a.answer).toContain('70分');
  });

  it('drops a period inside the counted noun (村支书一年报酬 → 村支书报酬 ← 年均报酬4.8万元)', async () => {
    expect(readFigureAsk('一肩挑的村支书一年报酬能拿多少')?.noun).toBe('村支书报酬');
    const a = await on.assistant.ask('壬县“一肩挑”的村支书一年报酬能拿多少');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('4.8万元');
  });
});
