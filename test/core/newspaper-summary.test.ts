import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAssistant, type KnowledgeAssistant } from '../../src/assistant.js';
import { config, tempCorpus } from './support.js';

/**
 * A synthetic print page (fictional places) with two articles whose columns the print extraction interleaved:
 * the text of “红色驿站” stands under the page's first headline and the other article's under “红色驿站”, as on real pages.
 */
const wrap = (s: string) => s.match(/.{1,16}/g)!.join('\n\n');
const A = [
  '青禾县坚持党建引领，在城区建成“红色驿站”36个，为快递员、外卖骑手提供歇脚、充电、饮水等服务。',
  '县委组织部联合市场监管部门，推动成立外卖行业党支部3个，吸纳骑手党员48名亮身份、作表率。',
  '驿站累计服务新就业群体1200余人次，组织骑手参与社区治理志愿服务90余次。',
];
const B = [
  '石峰镇依托高原牧场发展特色养殖，全镇村集体经济收入达到860万元，带动牧户增收。',
  '镇党委推行“支部+合作社”模式，组建养殖合作社14家，吸纳脱贫户230户入社分红。',
  '石峰镇还建成冷链仓储中心1座，年销售牛羊肉2000余吨。',
];
const PAGE = [
  '牧场里走出振兴路',
  '□本报记者 赵某某',
  ...A.map(wrap),
  '“红色驿站”温暖新就业群体',
  '□本报记者 王某某 通讯员 李某某',
  ...B.map(wrap),
  '图为“红色驿站”内景。青禾县委组织部供图',
].join('\n\n');

let a: KnowledgeAssistant;
let cleanup: () => void;
beforeAll(async () => {
  const t = tempCorpus({ 'page.txt': PAGE });
  cleanup = t.cleanup;
  a = await openAssistant({ config: config({}, t) });
});
afterAll(() => cleanup());

describe('a draft of one article of a print page', () => {
  it('is the page read as a newspaper extraction', () => {
    expect(a.index.documents()[0]!.format).toBe('newspaper');
  });

  it('drafts the article its headline names from the passages about it, wherever the columns put them', async () => {
    const s = await a.summarize('总结一下“红色驿站”温暖新就业群体这篇报道');
    expect(s.grounded).toBe(true);
    for (const fact of ['36个', '48名']) expect(s.summary).toContain(fact);
    // the other article's figures are not this article's
    for (const other of ['860万元', '230户', '2000余吨']) expect(s.summary).not.toContain(other);
  });
});
