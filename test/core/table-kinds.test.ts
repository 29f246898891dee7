import { describe, expect, it } from 'vitest';
import { assistantOn } from './support.js';

/**
 * Questions about a 一览表 that select rows by a category column, ask two columns of one row, or ask a second figure in
 * the measure word of the first (synthetic documents; 壬县 does not exist).
 */
const on = assistantOn({
  '壬县志愿服务队一览表.md': [
    '# 壬县党员志愿服务队命名一览表（虚构）',
    '',
    '表1 壬县第一批党员志愿服务队',
    '',
    '| 序号 | 所在党组织 | 服务队名称 | 队长 | 类别 |',
    '|---|---|---|---|---|',
    '| 1 | 东坪镇石桥村党支部 | 护河巡查队 | 韩立青 | 生态保护 |',
    '| 2 | 县人民医院党委 | 夜间义诊队 | 苏明远 | 便民服务 |',
    '| 3 | 西岭乡松林村党支部 | 护林防火队 | 陶文海 | 生态保护 |',
    '| 4 | 县税务局机关党支部 | 办税帮办队 | 岳晓岚 | 便民服务 |',
    '| 5 | 北川镇党委 | 邻里调解队 | 宁秋实 | 矛盾调解 |',
  ].join('\n'),
  '壬县支部考评细则.md': [
    '# 壬县党支部标准化考评细则（虚构）',
    '',
    '表1 党支部考评评分标准',
    '',
    '| 考评项目 | 分值 | 扣分方法 |',
    '|---|---|---|',
    '| 组织生活 | 25 | 每缺1次扣3分，扣完为止 |',
    '| 党员管理 | 15 | 党员信息未及时更新的扣5分 |',
    '| 集体经济 | 20 | 年收入10万元以上得满分，5万元至10万元得12分，5万元以下得6分 |',
  ].join('\n'),
});

describe('a table answers by its columns, not by one cell', () => {
  it('lists every row of the kind the question names (便民服务类的服务队), and no row of another kind', async () => {
    const a = await on.assistant.ask('便民服务类的志愿服务队都有哪几个？');
    expect(a.answer).toContain('夜间义诊队');
    expect(a.answer).toContain('办税帮办队');
    expect(a.answer).not.toContain('护河巡查队');
  });

  it('answers 哪个村的 from the cell that names a 村, beside the 队长 asked in the same message', async () => {
    const a = await on.assistant.ask('护林防火那个服务队是哪个村的，队长叫什么');
    expect(a.answer).toContain('松林村');
    expect(a.answer).toContain('陶文海');
  });

  it('reads 少开一次扣多少 in the 分 of the part before it, from the scoring cell', async () => {
    const a = await on.assistant.ask('组织生活那项满分几分？少开一次扣多少');
    expect(a.answer).toContain('25');
    expect(a.answer).toContain('扣3分');
  });

  it('reads the clause whose range holds an amount the question gives (挣了8万块 ← 5万元至10万元得12分)', async () => {
    const a = await on.assistant.ask('村集体一年挣了8万块，集体经济那项能得几分');
    expect(a.answer).toContain('得12分');
    expect(a.answer).not.toContain('得6分');
  });
});
