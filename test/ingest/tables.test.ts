import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { columnLabels, headerRowCount, layoutGrid } from '../../src/ingest/readers/table-grid.js';
import { readOne } from './support.js';

/** Tables as people make them: merged cells, two header rows, columns aligned with spaces (synthetic files). */
describe('merged cells (rowspan/colspan) laid out on a grid', () => {
  it('repeats a merged cell in every slot it covers and labels each column from both header rows', () => {
    const c = (value: string, rowspan = 1, colspan = 1, header = false) => ({ value, rowspan, colspan, header });
    const grid = layoutGrid([
      [c('乡镇', 2, 1, true), c('发展党员', 1, 2, true), c('入党积极分子', 2, 1, true)],
      [c('计划数', 1, 1, true), c('完成数', 1, 1, true)],
      [c('白沙乡'), c('8'), c('8'), c('21')],
    ]);
    expect(grid[1]!.map((s) => s?.value)).toEqual(['乡镇', '计划数', '完成数', '入党积极分子']);
    expect(headerRowCount(grid, 1)).toBe(2);
    expect(columnLabels(grid.slice(0, 2), (v) => v)).toEqual(['乡镇', '发展党员·计划数', '发展党员·完成数', '入党积极分子']);
    expect(grid[2]!.map((s) => s?.value)).toEqual(['白沙乡', '8', '8', '21']);
  });

  it('reads an .html table with a two-row header so that each cell keeps its own column (白沙乡 入党积极分子 is 21, not 8)', async () => {
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>某县简报</title></head><body><article><h1>某县基层党建工作简报（虚构）</h1>
<p>某县委组织部　2026年9月30日</p><h2>各乡镇党员发展情况</h2>
<table><tr><th rowspan="2">乡镇</th><th colspan="2">发展党员</th><th rowspan="2">入党积极分子</th></tr><tr><th>计划数</th><th>完成数</th></tr>
<tr><td>青石镇</td><td>12</td><td>11</td><td>35</td></tr><tr><td>白沙乡</td><td>8</td><td>8</td><td>21</td></tr><tr><td>梅岭镇</td><td>10</td><td>6</td><td>28</td></tr></table>
<p>截至9月底，全县完成发展党员25名，完成年度计划的83.3%，各乡镇均培养了一批入党积极分子。</p></article></body></html>`;
    const { chunks } = await readOne('jianbao.html', html);
    const row = chunks.find((c) => c.unit === 'table-row' && c.text.includes('白沙乡'))!;
    expect(row.text).toContain('入党积极分子：21');
    expect(row.text).toContain('发展党员·计划数：8');
    expect(chunks.some((c) => c.unit === 'table-row' && /乡镇：计划数/.test(c.text))).toBe(false);
  });
});

describe('a plain-text table aligned with spaces (一览表 typed in an editor)', () => {
  const text = [
    '某县第四季度党建重点任务一览表（虚构）',
    '',
    '序号  任务内容                    责任单位          完成时限',
    '1     开展党员冬训                各乡镇党委        2026年12月31日前',
    '2     村级组织运转经费审计        县委组织部        2026年11月30日前',
    '3     流动党员集中排查            各乡镇党委        2026年12月15日前',
    '',
    '某县委组织部',
    '2026年10月8日',
  ].join('\n');

  it('reads each row as a table row with its header cells, not one run-on paragraph', async () => {
    const { chunks, doc } = await readOne('yilanbiao.txt', text);
    const rows = chunks.filter((c) => c.unit === 'table-row');
    expect(rows).toHaveLength(3);
    expect(rows[1]!.text).toContain('任务内容：村级组织运转经费审计');
    expect(rows[1]!.text).toContain('责任单位：县委组织部');
    expect(doc.tree.date).toBe('2026-10-08');
  });

  it('does not read a signature line with one wide gap as a table', async () => {
    const { chunks } = await readOne('tongzhi.txt', '关于某事的通知（虚构）\n\n一、工作要求\n各党支部要在12月31日前报送总结材料，逾期不报的予以通报。\n\n某县委组织部　　2026年10月8日\n');
    expect(chunks.some((c) => c.unit === 'table-row')).toBe(false);
  });
});

describe('a .pdf table with narrow columns (cells closer than 1.5 font sizes)', () => {
  it('splits 乡镇 from 党支部名称 because the rows line up in columns, and keeps the wrapped cell whole', async () => {
    // test/fixtures/readers/mingdan.pdf is written by scripts/make-reader-fixtures.ts
    const { chunks } = await readOne('mingdan.pdf', fs.readFileSync('test/fixtures/readers/mingdan.pdf'));
    const rows = chunks.filter((c) => c.unit === 'table-row');
    expect(rows).toHaveLength(3);
    expect(rows[2]!.text).toContain('乡镇：白沙乡');
    expect(rows[2]!.text).toContain('党支部名称：白沙乡石门村党支部');
    expect(rows[2]!.text).toContain('支部书记：孙建国');
    expect(rows[0]!.text).toContain('党支部名称：青石镇河口村党支部');
  });
});

describe('a .pdf table whose cells wrap onto a second line inside their row', () => {
  it('reads each row whole (时间, 主要任务, 责任单位 and 阶段 wrapped) and makes no row of the second lines', async () => {
    // test/fixtures/readers/anpai.pdf is written by scripts/make-reader-fixtures.ts: a bordered table whose texts fill
    // their cells, so neighbouring cells sit closer than 1.5 font sizes and second lines carry only some columns
    const { chunks } = await readOne('anpai.pdf', fs.readFileSync('test/fixtures/readers/anpai.pdf'));
    const rows = chunks.filter((c) => c.unit === 'table-row').map((c) => c.text);
    expect(rows).toHaveLength(4);
    const row = (stage: string) => rows.find((r) => r.includes(`阶段：${stage}`));
    expect(row('资格联审')).toContain('时间：2027年1月16日—2月10日');
    expect(row('资格联审')).toContain('主要任务：候选人资格联审，出具审查意见');
    expect(row('资格联审')).toContain('责任单位：县委组织部、县纪委监委');
    expect(row('村情分析')).toContain('时间：2026年12月1日—12月31日');
    expect(row('党员推荐和群众推荐候选人')).toContain('时间：2027年2月11日—2月28日');
    expect(row('党员推荐和群众推荐候选人')).toContain('主要任务：组织党员推荐和群众推荐');
    expect(row('集中选举')).toContain('主要任务：村党组织换届选举和村委会换届选举');
    expect(row('集中选举')).toContain('时间：2027年3月1日—4月30日');
    // no row of second lines (阶段：10日, 阶段：选人)
    expect(rows.filter((r) => /阶段：(?:10日|选人|日)(?![\u4e00-\u9fff\d])/.test(r))).toEqual([]);
  });
});

describe('a .pdf table printed without padding (rows one line spacing apart)', () => {
  it('keeps each line that fills the first column a row of its own, and joins a wrapped 责任单位 to its row', async () => {
    // test/fixtures/readers/renwu.pdf is written by scripts/make-reader-fixtures.ts
    const { chunks } = await readOne('renwu.pdf', fs.readFileSync('test/fixtures/readers/renwu.pdf'));
    const rows = chunks.filter((c) => c.unit === 'table-row').map((c) => c.text);
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r.includes('召开专题组织生活会'))).toContain('责任单位：县委组织部、县纪委监委');
    expect(rows.find((r) => r.includes('走访慰问困难党员'))).toContain('责任单位：县委组织部');
    expect(rows.find((r) => r.includes('走访慰问困难党员'))).not.toContain('召开专题组织生活会');
  });
});

describe('a byline under the title', () => {
  it('gives the issuer and the date of a document without a 落款 (岚溪县委组织部　2026年7月1日, a note in brackets between)', async () => {
    const { doc, chunks } = await readOne('wenda.md', '# 某县发展党员工作常见问题解答\n\n（本文件为虚构示例）\n\n某县委组织部　2026年7月1日\n\n## 一、入党申请\n\n年满18周岁的先进分子，可以申请加入中国共产党。\n');
    expect(doc.tree.issuer).toBe('某县委组织部');
    expect(doc.tree.date).toBe('2026-07-01');
    expect(chunks.map((c) => c.text).join('\n')).not.toContain('2026年7月1日');
  });

  it('reads 发布单位：… 发布时间：… the same way', async () => {
    const { doc } = await readOne('yilan.md', '# 某县党群服务中心一览表\n\n发布单位：某县委组织部　发布时间：2026年8月15日\n\n全县已建成党群服务中心136个。\n');
    expect(doc.tree.issuer).toBe('某县委组织部');
    expect(doc.tree.date).toBe('2026-08-15');
  });
});

describe('a 名单 typed as numbered lines (a 公示 of people and of organisations)', () => {
  const text = [
    '某县拟表彰对象公示（虚构）',
    '',
    '一、优秀共产党员（3名）',
    '',
    '    1. 方某某  某镇某村党支部书记',
    '    2. 石某某  某镇卫生院副院长',
    '    3. 卢某某  县第二中学教师',
    '',
    '二、先进基层党组织（3个）',
    '',
    '    1. 中共某县某镇某村委员会',
    '    2. 中共某县人民医院委员会',
    '    3. 某县物流快递行业党支部',
    '',
    '                                          中共某县委组织部',
    '                                            2027年6月7日',
  ].join('\n');

  it('keeps the first person of a numbered, space-aligned 名单 as a row, not as the column names', async () => {
    const { chunks } = await readOne('gongshi.txt', text);
    const rows = chunks.filter((c) => c.unit === 'table-row');
    expect(rows.some((c) => c.text.includes('方某某') && c.text.includes('党支部书记'))).toBe(true);
    expect(rows.some((c) => /方某某：|党支部书记：/.test(c.text))).toBe(false);
  });

  it('reads numbered names that head no text as one list under their heading, not as sections of one name each', async () => {
    const { sections, chunks } = await readOne('gongshi.txt', text);
    expect(sections.some((s) => /人民医院委员会/.test(s.heading))).toBe(false);
    const list = chunks.find((c) => c.text.includes('人民医院委员会'))!;
    expect(list.text).toContain('某县物流快递行业党支部');
    expect(list.section).toContain('先进基层党组织');
  });

  it('still reads numbered lines that each head a paragraph as sections', async () => {
    const outline = '某县工作要点（虚构）\n\n一、重点任务\n\n1.建立台账\n\n各支部建立党员台账，每季度更新一次。\n\n2.加强培训\n\n每年轮训支部书记一次。\n';
    const { sections } = await readOne('yaodian.txt', outline);
    expect(sections.map((s) => s.heading)).toEqual(expect.arrayContaining(['建立台账', '加强培训']));
  });
});
