import { describe, expect, it } from 'vitest';
import { assistantOn } from './support.js';

/**
 * An article asked of a short name that fits two documents (两县 each have a 流动党员管理办法): each document's article
 * is quoted under its title; naming the county picks one. Synthetic documents of two counties that do not exist.
 */
const banfa = (county: string, seventh: string) =>
  [`${county}流动党员管理办法（试行）（虚构）`, '', `第一条 为加强${county}流动党员管理，制定本办法。`, `第二条 本办法适用于${county}的流动党员。`, `第三条 ${seventh}`, '', `中共${county}委组织部`, '2026年5月1日'].join('\n');

const on = assistantOn({
  '甲川县流动党员管理办法.txt': banfa('甲川县', '流出地党组织应当建立流动党员台账，每半年更新一次。'),
  '乙岭县流动党员管理办法.txt': banfa('乙岭县', '流动党员3人以上的，可以成立流动党员党小组。'),
});

describe('an article of a document named by a short name two documents share', () => {
  it('quotes the article of each document, under its title', async () => {
    const a = await on.assistant.ask('流动党员管理办法第三条是怎么规定的？');
    expect(a.answer).toContain('每半年更新一次');
    expect(a.answer).toContain('成立流动党员党小组');
    expect(a.answer).toContain('《甲川县流动党员管理办法（试行）（虚构）》');
    expect(a.answer).toContain('《乙岭县流动党员管理办法（试行）（虚构）》');
  });

  it('quotes one document when the question names it by its county', async () => {
    const a = await on.assistant.ask('乙岭县流动党员管理办法第三条是怎么规定的？');
    expect(a.answer).toContain('成立流动党员党小组');
    expect(a.answer).not.toContain('每半年更新一次');
  });
});

describe('a document named with a demonstrative between its name and its kind (换届准备那个通知)', () => {
  const notice = (title: string, number: string) => [title, '', number, '', '各乡镇党委：', '', '现将有关事项通知如下。', '', '中共壬县委组织部', '2026年11月26日'].join('\n');
  const named = assistantOn({
    '壬县换届通知.txt': notice('关于做好村（社区）“两委”换届选举准备工作的通知（虚构）', '壬组通〔2026〕41号'),
    '壬县培训通知.txt': notice('关于举办村党组织书记培训班的通知（虚构）', '壬组通〔2026〕44号'),
    // a rule about 两委 and 换届 that holds the question's words more often than the notice does, and has no 文号
    '壬县村级工作规则.txt': ['壬县村级组织工作规则（虚构）', '', '第六条 村“两委”换届前，乡镇党委做好村“两委”换届准备，村“两委”换届准备工作由乡镇党委负责。', '', '第七条 村“两委”换届后，村“两委”成员交叉任职。'].join('\n'),
  });

  it('answers the 文号 of the notice the words before 那个 name, not of another notice', async () => {
    const a = await named.assistant.ask('村两委换届准备那个通知文号是多少');
    expect(a.answer).toContain('壬组通〔2026〕41号');
    expect(a.answer).not.toContain('44号');
  });
});
