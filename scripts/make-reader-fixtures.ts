/**
 * Writes the PDF fixtures of the reader tests into test/fixtures/readers/ (committed; CI has no CJK font):
 * - `policy.pdf`: a fictional 管理办法 (第X章/第X条, a long wrapped article, a 落款, an annex with a table whose
 *   header cells wrap) in Chinese with a text layer;
 * - `scanned.pdf`: a page with only a drawn shape and no text layer, as a scan reads;
 * - `mingdan.pdf`: a fictional 名单 whose table has narrow columns (序号, 乡镇) closer than 1.5 font sizes and a cell
 *   that wraps, rendered from a Markdown master by scripts/lib/fictional-render.ts as the eval corpora are;
 * - `anpai.pdf`: a fictional 时间安排表 (bordered, padded rows, rendered the same way) whose cells wrap onto a second
 *   line inside their row: a 时间 and a 主要任务 in middle columns, a 责任单位 in the last column, a 阶段 in the first
 *   column; the columns' texts fill their cells, so neighbouring cells sit closer than 1.5 font sizes;
 * - `renwu.pdf`: a fictional 任务表 printed without borders or padding (rows one line spacing apart), whose 责任单位
 *   of one row wraps onto a second line.
 * Usage: npx tsx scripts/make-reader-fixtures.ts [--font /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc]
 * Needs a CJK font (Debian/Ubuntu: apt-get install fonts-wqy-zenhei). All content is fictional.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import PDFDocument from 'pdfkit';
import { parseMaster, toPdf } from './lib/fictional-render.js';

const { font } = new Command()
  .option('--font <file>', 'a TrueType/TTC font with CJK glyphs', '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc')
  .parse()
  .opts<{ font: string }>();
if (!fs.existsSync(font)) throw new Error(`CJK font not found: ${font} (apt-get install fonts-wqy-zenhei, or pass --font)`);
const out = 'test/fixtures/readers';
fs.mkdirSync(out, { recursive: true });

/** Writes a PDF with fixed metadata dates so that the bytes are reproducible. */
function write(file: string, draw: (doc: PDFKit.PDFDocument) => void): Promise<void> {
  const doc = new PDFDocument({ size: 'A4', margin: 72, info: { Title: 'fixture', CreationDate: new Date('2026-11-20T00:00:00Z') } });
  const stream = fs.createWriteStream(path.join(out, file));
  doc.pipe(stream);
  draw(doc);
  doc.end();
  return new Promise((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
}

await write('policy.pdf', (doc) => {
  doc.font(font, 'WenQuanYiZenHei');
  doc.fontSize(18).text('某某县村级党组织工作管理办法（虚构）', { align: 'center' });
  doc.moveDown();
  const body = (t: string) => doc.fontSize(12).text(t, { indent: 24, align: 'justify' });
  const heading = (t: string) => doc.fontSize(14).text(t, { align: 'center' });
  heading('第一章 总则');
  body('第一条 为规范村级党组织工作，结合本县实际，制定本办法。');
  body('第二条 本办法适用于全县各村党组织。');
  heading('第二章 组织生活');
  body(
    '第十八条 村党组织应当每月召开一次支部委员会会议，每季度召开一次党员大会，每季度上一次党课。会议由党组织书记召集和主持，书记不能参加时可以委托副书记或者组织委员召集和主持，会议情况应当如实记录并存档备查。',
  );
  body('第十九条 党员应当按期参加组织生活。');
  doc.moveDown();
  doc.fontSize(12).text('某某县委组织部', { align: 'right' });
  doc.text('2026年11月20日', { align: 'right' });
  // an annex with a table whose header cells wrap over two lines
  doc.addPage();
  doc.fontSize(14).text('附件', 72, 72);
  doc.fontSize(14).text('各村组织生活开展情况', { align: 'center' });
  doc.fontSize(12).text('表1 各村组织生活开展情况', { align: 'center' });
  const cols = [72, 200, 330];
  const row = (cells: string[], y: number) => cells.forEach((c, i) => doc.fontSize(10).text(c, cols[i]!, y, { width: 60, lineBreak: true }));
  row(['村名', '支部委员会会议（次）', '党员大会（次）'], 190);
  row(['湖东村', '12', '4'], 230);
  row(['河西村', '11', '4'], 250);
});

await write('scanned.pdf', (doc) => {
  doc.rect(72, 72, 300, 400).fill('#888888');
});
await write('renwu.pdf', (doc) => {
  doc.font(font, 'WenQuanYiZenHei');
  doc.fontSize(16).text('某县第四季度党建重点任务表（虚构）', { align: 'center' });
  doc.moveDown();
  doc.fontSize(12).text('各乡镇党委要按下表抓好落实。', { indent: 24 });
  // columns at fixed x; each row starts right under the last line of the row above (no padding)
  const cols: [number, number][] = [[72, 40], [130, 190], [340, 90]];
  let y = 200;
  for (const cells of [
    ['序号', '任务内容', '责任单位'],
    ['1', '开展党员冬训', '各乡镇党委'],
    ['2', '召开专题组织生活会', '县委组织部、县纪委监委'],
    ['3', '走访慰问困难党员', '县委组织部'],
  ]) {
    const heights = cells.map((c, i) => doc.fontSize(10).heightOfString(c, { width: cols[i]![1] }));
    cells.forEach((c, i) => doc.fontSize(10).text(c, cols[i]![0], y, { width: cols[i]![1] }));
    y += Math.max(...heights);
  }
  doc.fontSize(12).text('某县委组织部', 72, y + 40, { align: 'right', width: 451 });
});

const MINGDAN = `# 某县2026年度“红旗党支部”名单（虚构）

（本文件为虚构示例，仅用于测试）

经乡镇党委推荐、县委组织部审核，现将2026年度“红旗党支部”名单公布如下。

表1 2026年度“红旗党支部”名单

| 序号 | 乡镇 | 党支部名称 | 支部书记 | 党员人数 |
| --- | --- | --- | --- | --- |
| 1 | 青石镇 | 青石镇河口村党支部 | 赵明远 | 46 |
| 2 | 青石镇 | 青石镇柳湾社区党支部 | 周晓梅 | 38 |
| 3 | 白沙乡 | 白沙乡石门村党支部 | 孙建国 | 52 |

某县委组织部
2026年11月2日
`;
fs.writeFileSync(path.join(out, 'mingdan.pdf'), await toPdf(parseMaster(MINGDAN), '某县2026年度“红旗党支部”名单（虚构）', font, new Date('2026-11-02T00:00:00Z')));
const ANPAI = `# 某县村（社区）“两委”换届准备工作时间安排（虚构）

（本文件为虚构示例，仅用于测试）

各乡镇党委要按照以下时间安排做好换届准备工作。

表1 换届准备工作时间安排表

| 阶段 | 时间 | 主要任务 | 责任单位 |
| --- | --- | --- | --- |
| 村情分析 | 2026年12月1日—12月31日 | 逐村分析研判，建立一村一档 | 各乡镇党委 |
| 资格联审 | 2027年1月16日—2月10日 | 候选人资格联审，出具审查意见 | 县委组织部、县纪委监委 |
| 党员推荐和群众推荐候选人 | 2027年2月11日—2月28日 | 组织党员推荐和群众推荐 | 各村党组织 |
| 集中选举 | 2027年3月1日—4月30日 | 村党组织换届选举和村委会换届选举 | 各乡镇党委 |

某县委组织部
2026年11月26日
`;
fs.writeFileSync(path.join(out, 'anpai.pdf'), await toPdf(parseMaster(ANPAI), '某县村（社区）“两委”换届准备工作时间安排（虚构）', font, new Date('2026-11-26T00:00:00Z')));
console.log(`wrote ${out}/policy.pdf, ${out}/scanned.pdf, ${out}/mingdan.pdf, ${out}/anpai.pdf and ${out}/renwu.pdf`);
