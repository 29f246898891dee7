import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAssistant, type KnowledgeAssistant } from '../../src/assistant.js';
import { config, tempCorpus } from './support.js';

/**
 * Grounding and document facts on one small synthetic 通知 (a corpus of its own): the 发文字号 after the title, a
 * year the materials do not cover, a role nobody is named for, a dated event the materials never date, and a
 * county named by the short form of its autonomous-county name.
 */
const TONGZHI = `关于开展党员志愿服务月活动的通知（虚构）

（本文件为虚构示例，仅用于测试）

青禾县委组织部〔2026〕31号

各乡镇党委：

现将有关事项通知如下。

一、活动安排

青禾回族自治县各党支部于2026年12月20日前组织党员开展志愿服务，全县计划开展志愿服务活动120场，全县在职党员到社区报到860名。

二、工作要求

县委组织部成立督导检查组，对各乡镇活动开展情况进行督导。本通知自印发之日起施行。

中共青禾县委组织部
2026年11月30日
`;

let a: KnowledgeAssistant;
let cleanup: () => void;
beforeAll(async () => {
  const t = tempCorpus({ 'tongzhi.txt': TONGZHI });
  cleanup = t.cleanup;
  a = await openAssistant({ config: config({}, t) });
});
afterAll(() => cleanup());

describe('document facts and grounding', () => {
  it('answers a 文号 question from the document’s front matter, cited', async () => {
    const ans = await a.ask('志愿服务月活动的通知文号是什么？');
    expect(ans.grounded).toBe(true);
    expect(ans.answer).toContain('青禾县委组织部〔2026〕31号');
    expect(ans.citations[0]?.source).toBe('tongzhi.txt');
  });

  it('a county named by its short form (青禾县) is the autonomous county the text names (青禾回族自治县)', async () => {
    const ans = await a.ask('青禾县计划开展多少场志愿服务活动？');
    expect(ans.grounded).toBe(true);
    expect(ans.answer).toContain('120场');
  });

  it('refuses a year the materials do not cover rather than give another year’s figure', async () => {
    const ans = await a.ask('2028年青禾县计划开展多少场志愿服务活动？');
    expect(ans.grounded).toBe(false);
    expect(ans.answer).toContain('2028');
  });

  it('refuses when the figure found does not count what is asked and the question’s everyday words (外地打工) are not in the materials', async () => {
    const ans = await a.ask('青禾县的党员有多少人在外地打工？');
    expect(ans.grounded).toBe(false);
  });

  it('keeps a one-character noun that 多少 asks for (缴了多少税) and refuses when no figure counts it', async () => {
    const ans = await a.ask('青禾县志愿服务活动一共缴了多少税？');
    expect(ans.grounded).toBe(false);
    expect(ans.answer).toContain('税');
  });

  it('refuses “who leads” when the materials name no such role', async () => {
    const ans = await a.ask('督导检查组的组长是谁？');
    expect(ans.grounded).toBe(false);
  });

  it('refuses the date of an event the materials never date (废止), instead of another date', async () => {
    const ans = await a.ask('志愿服务月活动的通知是哪一年废止的？');
    expect(ans.grounded).toBe(false);
  });
});
