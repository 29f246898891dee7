import { describe, expect, it } from 'vitest';
import { assistantOn } from './support.js';

/** Two-part questions on small synthetic documents (one rule per test). */
const on = assistantOn({
  '庚县两新组织党建工作报告.txt': [
    '庚县两新组织党建工作报告（虚构）',
    '',
    '一、组织覆盖',
    '截至10月底，全县规模以上两新组织共有300家，已建立党组织的180家，覆盖率达到60%。',
    '全年新建党组织25个，其中单独组建15个、联合组建10个。',
    '开展示范点创建活动，计划培育示范党组织12个。',
  ].join('\n'),
  '庚县观摩活动报道.txt': [
    '庚县开展现场观摩活动（虚构）',
    '',
    '带着这些问题，10月28日，一场150余人参与的现场观摩在庚县拉开帷幕。历时12天，走过农村、社区、机关等领域58个观摩点，在边看边学中破题解题。',
    '这是一次履职体检，5天时间里庚县18个基层党组织接受了60人督导组的实地察看。',
    '庚县部署实施集体经济薄弱村“清零行动”，2021年实现86个行政村集体经济薄弱村“全面清零”。',
    '2019年3月，庚县东坪村党支部成立种植专业合作社，村集体收入逐年增加。',
    '庚县县委主要负责同志与各乡镇党委书记签订党建目标责任书，建立党建责任清单260余份。',
  ].join('\n'),
  '庚县新党员培训办法.txt': [
    '庚县新党员教育培训办法（虚构）',
    '',
    '第一条 新发展党员在预备期内，应当参加不少于24学时的集中培训。培训内容主要包括：',
    '（一）党的基本理论；',
    '（二）党章党规党纪；',
    '（三）党的优良传统和作风。',
    '第二条 培训结束后进行考试，考试不合格的应当补训。',
    '第三条 参加集中培训的新党员年龄一般不超过45周岁，党龄在1年以内。确有困难的老党员，年龄可以适当放宽到50周岁。',
  ].join('\n'),
  '庚县换届工作通知.txt': [
    '关于做好庚县村“两委”换届准备工作的通知（虚构）',
    '',
    '换届后，村“两委”班子中女性成员比例不低于22%，大专以上学历成员比例比上届提高10个百分点。',
    '村党组织书记和村民委员会主任“一肩挑”比例保持在95%以上。',
  ].join('\n'),
  '庚县软弱涣散村整顿通报.txt': [
    '庚县软弱涣散村党组织整顿情况通报（虚构）',
    '',
    '经过一年整顿，全县整顿村党员群众满意度平均为88.4%，比整顿前的61.2%提高27.2个百分点。',
    '推行党员“政治生日”以后，全县党员参加组织生活的平均出勤率由去年的71%提高到94%。',
  ].join('\n'),
  '庚县书记考核办法.txt': [
    '庚县村党组织书记考核办法（虚构）',
    '',
    '一、结果运用',
    '1. 考核为“好”的，年度绩效报酬按基本报酬的30%发放，并优先推荐为县级“优秀党组织书记”人选；',
    '2. 考核为“较好”的，年度绩效报酬按基本报酬的20%发放；',
    '3. 考核为“一般”的，年度绩效报酬按基本报酬的10%发放，由乡镇党委书记进行约谈；',
    '4. 考核为“较差”的，不发放年度绩效报酬，由县委组织部进行诫勉谈话；连续两年考核为“较差”的，按程序予以调整。',
    '二、档案抽查',
    '县委组织部每年组织一次考核档案抽查，抽查比例不低于20%，发现问题的限期2个月整改。',
  ].join('\n'),
});

describe('two-part questions', () => {
  it('answers both parts from the one sentence that holds both figures (新建…其中单独组建)', async () => {
    const a = await on.assistant.ask('今年新建了几个党组织，单独组建的有几个？');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('25个');
    expect(a.answer).toContain('单独组建15个');
    expect(a.answer).not.toContain('180');
  });

  it('gives the items for a part that asks a list (主要学哪些内容), the figure for the other', async () => {
    const a = await on.assistant.ask('新党员预备期要培训多少学时，主要学哪些内容？');
    expect(a.answer).toContain('24学时');
    for (const item of ['党的基本理论', '党章党规党纪', '党的优良传统和作风']) expect(a.answer).toContain(item);
  });

  it('answers a when-part and a figure-part from different sentences when the first holds no figure of the second (150余人 is not 多少个点)', async () => {
    const a = await on.assistant.ask('庚县那次现场观摩是哪天开始的，走了多少个点？');
    expect(a.answer).toContain('10月28日');
    expect(a.answer).toContain('58个观摩点');
  });

  it('answers an elliptical part (看了几天, no words of its own) from the clause that answered the part before', async () => {
    const a = await on.assistant.ask('庚县督导组有多少人，看了几天？');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('60人督导组');
    expect(a.answer).toContain('5天');
    expect(a.answer).not.toContain('资料中未找到');
  });

  it('answers a what-part from the sentence that answered the figure part when that sentence is its best (签订的是什么)', async () => {
    const a = await on.assistant.ask('庚县建立了多少份党建责任清单，签订的是什么？');
    expect(a.answer).toContain('260余份');
    expect(a.answer).toMatch(/签订的是什么：[^\n]*党建目标责任书/);
  });

  it('answers a when-part with the year that dates the event rather than another dated sentence (2021年…全面清零, not 2019年3月)', async () => {
    const a = await on.assistant.ask('庚县有多少个行政村完成清零，薄弱村什么时候清零的？');
    expect(a.answer).toMatch(/什么时候清零的：[^\n]*2021年/);
    expect(a.answer).not.toContain('2019年3月');
  });

  it('answers a question about two grades (评了好的…？评了较差的呢？: one-character names the text quotes) with the item of each', async () => {
    const a = await on.assistant.ask('考核评了好的绩效报酬怎么发？评了较差的呢？');
    expect(a.answer).toContain('30%');
    expect(a.answer).toContain('不发放');
  });

  it('reads a piece closed by 呢 after a comma as a second part (女性比例不低于多少，一肩挑比例呢) and answers each', async () => {
    const a = await on.assistant.ask('换届以后两委女性成员比例不能低于多少，一肩挑比例呢');
    expect(a.answer).toContain('22%');
    expect(a.answer).toContain('95%');
  });

  it('reads a yes-no piece without a question word (…多少岁？有没有能放宽的情况) as a second part and answers it', async () => {
    const a = await on.assistant.ask('参加集中培训的新党员年龄最大能到多少岁？有没有能放宽的情况');
    expect(a.answer).toContain('45周岁');
    expect(a.answer).toContain('放宽到50周岁');
  });


  it('reads a time after the noun (满意度整顿前是多少) as no part of it, and answers before and now', async () => {
    const a = await on.assistant.ask('整顿村群众满意度整顿前是多少，现在到多少了');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('61.2%');
    expect(a.answer).toContain('88.4%');
    expect(a.answer, 'the sentence comparing the two answers both parts').not.toContain('未找到');
  });

  it('reads a change said with a one-character verb (出勤率从多少提到了多少) as before and after', async () => {
    const a = await on.assistant.ask('搞了政治生日以后，党员参加组织生活的出勤率从多少提到了多少');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('71%');
    expect(a.answer).toContain('94%');
    expect(a.answer).not.toContain('未找到');
  });
});

/**
 * A two-part question each part of which the materials leave open (where to get a 手册, whether it costs money), where
 * one sentence names the 手册: that sentence answers neither part. A second corpus says both.
 */
const SHEGANG = [
  '桐溪县无职党员设岗定责工作通知（虚构）',
  '',
  '（一）党员每月至少履岗2次，履岗情况如实记入《无职党员履岗纪实手册》。',
  '（二）党支部每季度召开1次履岗情况点评会。',
].join('\n');
// (another text of the county says what is free of charge: the question's fee words are in the county's materials)
const FEIYONG = ['桐溪县党员教育培训安排（虚构）', '', '党员参加县委党校集中培训，不收取任何费用。'].join('\n');
const notSaid = assistantOn({ 'shegang.txt': SHEGANG, 'feiyong.txt': FEIYONG });
const said = assistantOn({
  'shegang.txt': `${SHEGANG}\n（三）《无职党员履岗纪实手册》由县委组织部统一印制，党支部书记到乡镇党委组织办领取，不收取任何费用。`,
});

describe('parts the materials leave open', () => {
  it('refuses 手册去哪儿领，要不要交钱 when the only sentence naming the 手册 says neither', async () => {
    const a = await notSaid.assistant.ask('无职党员履岗纪实手册去哪儿领，要不要交钱');
    expect(a.grounded).toBe(false);
  });

  it('refuses 手册去哪儿领 alone for the same reason', async () => {
    const a = await notSaid.assistant.ask('无职党员履岗纪实手册去哪儿领');
    expect(a.grounded).toBe(false);
  });

  it('answers both parts where a sentence names the action (领取) and the fee (费用)', async () => {
    const a = await said.assistant.ask('无职党员履岗纪实手册去哪儿领，要不要交钱');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('组织办领取');
    expect(a.answer).toContain('不收取任何费用');
  });
});

/**
 * Days asked before a modal verb (平均几天能办完) and on the earlier side of a change (以前要几天): the modal opens the
 * predicate, it is no counted noun, and 以前要几天 asks the figure before the change, no rule's threshold.
 */
const WANGGE = [
  '桐溪县城关街道网格化党建简报（虚构）',
  '',
  '街道建立“网格吹哨、部门报到”机制，网格员每天巡查不少于2小时，发现问题当场登记。',
  '2026年，城关街道各网格共收集群众诉求1200件，群众诉求平均办结时间由原来的6.5天缩短到2.4天。',
].join('\n');
const wangge = assistantOn({ 'wangge.txt': WANGGE });

describe('days asked of an action, before and after', () => {
  it('answers 平均几天能办完，以前要几天 from the sentence comparing the two', async () => {
    const a = await wangge.assistant.ask('城关街道搞了网格化以后，老百姓反映的事平均几天能办完，以前要几天');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('6.5天');
    expect(a.answer).toContain('2.4天');
  });
});
