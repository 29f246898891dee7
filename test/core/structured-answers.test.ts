import { describe, expect, it } from 'vitest';
import { isBoilerplate } from '../../src/answer/summary/text.js';
import { assistantOn } from './support.js';

/**
 * Answers that use a document's structure, on one small synthetic 规则 (a corpus of its own, so nothing else
 * can answer): a table row asked for two columns, two articles asked at once, a summary of one chapter.
 */
const GUIZE = `# 某县党群服务站管理规则（虚构）

## 第一章 总则

**第一条** 为规范党群服务站管理，制定本规则。

**第二条** 本规则适用于全县党群服务站。

## 第二章 日常管理

**第三条** 服务站每周开放不少于5天，节假日轮流值班。

**第四条** 服务站每季度开展1次群众满意度测评，满意度低于80%的限期整改。

**第五条** 服务站站长由1名党员担任，任期3年。

## 第三章 建设安排

表1 服务站建设安排

| 阶段 | 时间 | 建成数量（个） | 责任单位 |
| --- | --- | --- | --- |
| 试点阶段 | 2026年3月至6月 | 8 | 县委组织部 |
| 推广阶段 | 2026年7月至12月 | 20 | 各乡镇党委 |
`;

const corpus = assistantOn({ 'guize.md': GUIZE });

describe('answers from a document’s structure', () => {
  it('a table row asked for two columns gives both cells, cited', async () => {
    const ans = await corpus.assistant.ask('推广阶段是什么时候，建成多少个？');
    expect(ans.grounded).toBe(true);
    expect(ans.answer).toContain('2026年7月至12月');
    expect(ans.answer).toContain('20');
    expect(ans.citations.length).toBeGreaterThan(0);
  });

  it('a when and a who asked of one row give its 时间 and its 责任单位 (谁负责 asks for a column of bodies), not the 建成数量', async () => {
    const ans = await corpus.assistant.ask('试点阶段什么时候搞，谁负责？');
    expect(ans.grounded).toBe(true);
    expect(ans.answer).toContain('2026年3月至6月');
    expect(ans.answer).toContain('县委组织部');
    expect(ans.answer).not.toContain('各乡镇党委');
    expect(ans.answer).not.toContain('建成数量');
  });

  it('two articles asked at once are both quoted, in the order asked', async () => {
    const ans = (await corpus.assistant.ask('第五条和第三条分别规定了什么？')).answer;
    expect(ans).toContain('任期3年');
    expect(ans).toContain('不少于5天');
    expect(ans.indexOf('任期3年')).toBeLessThan(ans.indexOf('不少于5天'));
  });

  it('a summary of a topic that names a chapter is drafted from that chapter, article by article', async () => {
    const s = await corpus.assistant.summarize('服务站的日常管理要求');
    expect(s.grounded).toBe(true);
    for (const point of ['不少于5天', '80%', '任期3年']) expect(s.summary).toContain(point);
    expect(s.summary).not.toContain('试点阶段');
  });

  it('a topic only this document answers is drafted from it in reading order, under its own title, without its formal articles', async () => {
    const s = await corpus.assistant.summarize('党群服务站的管理规定');
    expect(s.grounded).toBe(true);
    expect(s.summary).toContain('《某县党群服务站管理规则（虚构）》');
    expect(s.summary.indexOf('第一章')).toBeLessThan(s.summary.indexOf('第二章'));
    expect(s.summary).not.toContain('制定本规则');
  });
});

describe('formal articles of a rule text', () => {
  it('the purpose article and the interpretation clause are boilerplate; the effective date and a rule are not', () => {
    expect(isBoilerplate('第一条 为规范党群服务站管理，根据有关规定，结合实际，制定本规则。')).toBe(true);
    expect(isBoilerplate('第一条 为规范党群服务站管理，制定本规则。')).toBe(true);
    expect(isBoilerplate('第二十二条 本办法由县委组织部负责解释。')).toBe(true);
    expect(isBoilerplate('第二十三条 本办法自2026年5月1日起施行。')).toBe(false);
    expect(isBoilerplate('为方便群众，服务站每周开放不少于5天。')).toBe(false);
  });
});
