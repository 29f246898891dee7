import { describe, expect, it } from 'vitest';
import { assistantOn } from './support.js';

/**
 * Question shapes from heldout-20's failures (retired to tuning in the fourteenth round), on a synthetic 通知 (未县 does
 * not exist): a two-part question whose second part states a figure of its own (前面两批加起来派了多少) and closes its
 * verb with a complement of direction (加|起来).
 */
const on = assistantOn({
  'zhidaoyuan-tongzhi.txt': [
    '中共未县委组织部关于选派第三批非公企业党建指导员的通知（虚构）',
    '',
    '各乡镇党委：为加强非公企业党的建设，县委组织部自2028年起建立非公企业党建指导员制度，已选派两批共60名党建指导员。现就选派第三批党建指导员有关事项通知如下。',
    '一、选派数量。第三批共选派党建指导员30名，重点覆盖县工业园区规模以上非公企业。',
    '二、工作要求。每名指导员联系企业不超过5家，每月到企业不少于2次。',
  ].join('\n'),
});

describe('heldout-20 shapes', () => {
  it('answers each part of 第三批派多少人？前面两批加起来派了多少？ from its own sentence', async () => {
    const a = await on.assistant.ask('未县第三批非公企业党建指导员派多少人？前面两批加起来派了多少？');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('30名');
    expect(a.answer).toContain('60名');
  });
});
