import { describe, expect, it } from 'vitest';
import { readQuestion, termStats } from '../../src/answer/ask.js';
import { ground } from '../../src/answer/ground.js';
import { readFigureAsk } from '../../src/answer/query.js';
import { assistantOn } from './support.js';

/**
 * Question shapes from heldout-19's failures (retired to tuning in the thirteenth round), each on a synthetic text (巳县
 * does not exist): 几块钱 (the colloquial 元), the whole a share is taken of said after its noun (考核结果在科室年度考核里
 * 占多大比重), 奖补 as money, and a veteran's relation said in everyday words (退伍回来还没找到工作…组织关系该落到哪).
 */
const on = assistantOn({
  'wuxiao-tongzhi.txt': [
    '关于开展巳县乡镇“五小”建设达标验收的通知（虚构）',
    '',
    '一、验收标准。小食堂有固定就餐场所，干部就餐收费标准每餐不超过4元。',
    '二、验收安排。对全县9个乡镇的“五小”建设情况开展达标验收。',
    '三、结果运用。验收合格的乡镇，县财政按每个乡镇12万元的标准给予一次性奖补；验收不合格的乡镇，限期2个月整改。',
  ].join('\n'),
  'yiyuan-jianbao.txt': [
    '巳县人民医院党建工作简报（虚构）',
    '',
    '医院党委每年对党支部开展1次考核评价，考核结果与科室年度绩效挂钩，占科室年度考核总分的8%。',
  ].join('\n'),
  'tuiyi-banfa.txt': [
    '巳县退役军人党员教育管理办法（虚构）',
    '',
    '第八条 对尚未落实工作单位的退役军人党员，组织关系一般转入其户籍所在地村（社区）党组织；已落实工作单位的，转入工作单位党组织。',
    '第十五条 退役军人党员因病、因灾生活困难的，乡镇党委应当及时走访慰问，慰问标准为每人每次不低于800元。',
  ].join('\n'),
});

describe('heldout-19 shapes', () => {
  it('reads 几块钱 as an amount in 元', async () => {
    expect(readFigureAsk('乡镇干部在食堂吃一顿饭最多能收几块钱')).toMatchObject({ unit: '元', cls: 'money', limit: 'max' });
    const a = await on.assistant.ask('按五小验收的标准，乡镇干部在食堂吃一顿饭最多能收几块钱');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('4元');
  });

  it('takes the whole a share is taken of (在科室年度考核里) as no part of the noun (考核结果)', async () => {
    expect(readFigureAsk('县人民医院党支部的考核结果在科室年度考核里占多大比重')?.noun).toBe('考核结果');
    const a = await on.assistant.ask('县人民医院党支部的考核结果在科室年度考核里占多大比重？');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('8%');
  });

  it('asks an amount of money of 奖补 (给多少奖补), not a count', async () => {
    expect(readFigureAsk('验收过了的乡镇县里给多少奖补')?.cls).toBe('money');
    const a = await on.assistant.ask('五小建设验收过了的乡镇县里给多少奖补？');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('12万元');
  });

  it('reads a veteran in everyday words (退伍, 还没找到工作, 落到哪) as the 办法 names him (退役军人, 尚未落实工作单位, 转入)', async () => {
    const q = '退伍回来还没找到工作的党员，组织关系该落到哪个支部？';
    const a = await on.assistant.ask(q);
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('户籍所在地');
    // (each everyday word is explained by the rule's own, not left missing)
    const query = readQuestion(q, on.assistant);
    const g = ground(query, on.assistant.glossary.expand(query.searchText), ['第八条 对尚未落实工作单位的退役军人党员，组织关系一般转入其户籍所在地村（社区）党组织。'], termStats(on.assistant.index));
    for (const w of ['退伍', '落到', '找到']) expect(g.missing).not.toContain(w);
  });
});
