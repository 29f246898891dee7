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
