import { describe, expect, it } from 'vitest';
import { readQuestion, termStats } from '../../src/answer/ask.js';
import { joinAspectSplitVerb, readListAsk } from '../../src/answer/query.js';
import { synthesize } from '../../src/answer/synthesize.js';
import { assistantOn } from './support.js';

/**
 * Question shapes from heldout-20's failures (retired to tuning in the fourteenth round), on a synthetic 通知 (未县 does
 * not exist): a two-part question whose second part states a figure of its own (前面两批加起来派了多少) and closes its
 * verb with a complement of direction (加|起来); a township the lexicon does not know asked of a 通报 that names it in
 * one section and gives a county figure in another; a numbered table whose rows' names share a part (党群服务中心), of
 * which only one row is retrieved.
 */
const on = assistantOn({
  'zhidaoyuan-tongzhi.txt': [
    '中共未县委组织部关于选派第三批非公企业党建指导员的通知（虚构）',
    '',
    '各乡镇党委：为加强非公企业党的建设，县委组织部自2028年起建立非公企业党建指导员制度，已选派两批共60名党建指导员。现就选派第三批党建指导员有关事项通知如下。',
    '一、选派数量。第三批共选派党建指导员30名，重点覆盖县工业园区规模以上非公企业。',
    '二、工作要求。每名指导员联系企业不超过5家，每月到企业不少于2次。',
  ].join('\n'),
  'e-zhibu-tongbao.txt': [
    '未县党员“e支部”注册情况通报（虚构）',
    '',
    '一、总体情况',
    '全县党员5000名，已实名注册4700名，注册率94%。未注册的300名党员中，70岁以上老党员占76%，已安排联络员代为记录。',
    '二、存在的问题',
    '应用不平衡。城关镇注册率在98%以上，而东岙乡、西坪乡注册率不足85%，其中西坪乡仅为81.3%。',
  ].join('\n'),
  'kaohe-jianfu.txt': [
    '未县精简优化基层考核情况（虚构）',
    '',
    '统筹考核事项。清理规范前，县级层面共有考核事项91项，考核指标2254条；清理规范后，县级层面仅有考核事项12项。',
    '优化考核方式。2031年度考核中实地考核事项仅有11项，让基层干部腾出时间抓落实。',
  ].join('\n'),
  'dangqun-zhongxin-yilan.md': [
    '# 未县党群服务中心一览（虚构）',
    '',
    '三、统一公示。各乡镇党委要在2031年3月15日前，将党群服务中心的开放时间、服务事项在中心门口公示。',
    '',
    '| 序号 | 名称 | 开放时间 |',
    '| --- | --- | --- |',
    '| 1 | 县党群服务中心 | 周一至周日8:30—20:30 |',
    '| 2 | 白沙镇党群服务中心 | 周一至周六8:30—18:00 |',
    '| 3 | 柳溪乡党群服务中心 | 周一至周五8:30—17:30 |',
  ].join('\n'),
});

describe('heldout-20 shapes', () => {
  it('answers each part of 第三批派多少人？前面两批加起来派了多少？ from its own sentence', async () => {
    const a = await on.assistant.ask('未县第三批非公企业党建指导员派多少人？前面两批加起来派了多少？');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('30名');
    expect(a.answer).toContain('60名');
  });

  it('refuses a township figure (东岙乡还有多少人没注册) that only the county passage states, and answers the township figure itself', async () => {
    const a = await on.assistant.ask('东岙乡还有多少名党员没在e支部上注册？');
    expect(a.grounded).toBe(false);
    expect(a.answer).not.toContain('300名');
    const b = await on.assistant.ask('e支部上西坪乡注册率多少？');
    expect(b.grounded).toBe(true);
    expect(b.answer).toContain('81.3%');
  });

  it('reads no row of a numbered table by a part its rows share (党群服务中心), whichever of its rows are retrieved', () => {
    const a = on.assistant;
    const query = readQuestion('党群服务中心的开放时间最晚什么时候要公示出来？', a);
    const row = a.index.records.find((r) => r.unit === 'table-row' && r.text.includes('白沙镇'))!;
    const notice = a.index.records.find((r) => r.type === 'chunk' && r.text.includes('统一公示'))!;
    // (the one row retrieved beside the notice: the table's other rows share 党群服务中心 though they are not among the hits)
    const hits = [notice, row].map((record, i) => ({ rank: i + 1, score: 1, record }));
    const draft = synthesize(query, a.glossary.expand(query.searchText), hits, { index: a.index, stats: termStats(a.index), lexicon: a.lexicon });
    expect(draft.text).not.toContain('白沙镇');
    expect(draft.text).toContain('3月15日');
  });
});

describe('heldout-20 shapes: a noun qualified before 的', () => {
  it('answers 实地考核的事项还剩几项 by the figure of 实地考核事项, not by the count of all 考核事项', async () => {
    expect(readQuestion('未县2031年度考核里实地考核的事项还剩几项？', on.assistant).figure).toMatchObject({ noun: '事项', qualifier: '实地考核' });
    const a = await on.assistant.ask('未县2031年度考核里实地考核的事项还剩几项？');
    expect(a.answer).toContain('11项');
    expect(a.answer).not.toContain('91项');
  });
});

describe('heldout-20 shapes: question reading', () => {
  it('joins a verb-object word split by 了 (摘了牌 → 摘牌) so the document\'s word (予以摘牌) is searched', () => {
    expect(joinAspectSplitVerb('示范户要是被摘了牌，过多久才能重新申报？')).toContain('摘牌');
    expect(joinAspectSplitVerb('党员请了假以后怎么办')).toContain('请假');
    // (a 了 with no object closing the clause after it, 会开了几次, is left as written)
    expect(joinAspectSplitVerb('会开了几次')).toBe('会开了几次');
  });

  it('lists the noun asked after 哪些 (单位), not the members of an unquoted set named before it (7个年轻干部)', () => {
    expect(readListAsk('松岙县那7个年轻干部都是哪些单位的？')).toMatchObject({ noun: '单位' });
    // (a quoted set stays the thing listed)
    expect(readListAsk('“三大课堂”分别是什么？')).toMatchObject({ phrase: '三大课堂' });
  });
});
