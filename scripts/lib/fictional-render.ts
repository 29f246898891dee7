/**
 * Rendering helpers for the fictional test corpora (scripts/make-fictional-corpus.ts, scripts/make-fictional-3.ts):
 * parse an official-document-style Markdown master into blocks, render the blocks as .docx (the `docx` package) and
 * as a PDF with a text layer (pdfkit with an embedded CJK font), find a CJK font, and verify generated files against
 * their master.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  AlignmentType,
  Document,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import PDFDocument from 'pdfkit';

/** One block of a master document, in reading order. */
export type Block =
  | { kind: 'title' | 'notice' | 'heading1' | 'heading2' | 'caption' | 'plain' | 'sign'; text: string }
  | { kind: 'para'; lead?: string; text: string }
  | { kind: 'item'; level: 0 | 1; text: string; marker: string; instance: number }
  | { kind: 'table'; header: string[]; rows: string[][] };

const CN_NUM = '[一二三四五六七八九十百零]+';
const RE = {
  title: /^#\s+(.+)$/,
  notice: /^（本文件为虚构示例.*）$/,
  chapter: new RegExp(`^第${CN_NUM}章\\s`),
  article: new RegExp(`^(第${CN_NUM}条)\\s*(.*)$`),
  heading1: new RegExp(`^${CN_NUM}、`),
  heading2: new RegExp(`^（${CN_NUM}）`),
  item0: /^(\d+)\.\s*(.+)$/,
  item1: /^（(\d+)）(.+)$/,
  caption: /^表\d+\s/,
  date: /^\d{4}年\d{1,2}月\d{1,2}日$/,
  issuer: /^中共.+[委部]$|^.+(人民政府|办公室)$/,
};

/**
 * Splits a Markdown master into blocks. A `（一）` line is a heading when it is short and holds one sentence
 * (“（一）实施选优配强工程。”), a paragraph with a bold lead phrase when text follows its first 。, and a plain
 * paragraph inside an article (a 项 of a 条). `1.`/`（1）` lines become numbered items; a new `1.` list starts a
 * new numbering instance.
 */
export function parseMaster(md: string): Block[] {
  const lines = md.split(/\r?\n/).map((l) => l.replace(/\s+$/, ''));
  const blocks: Block[] = [];
  let instance = 0;
  let inArticle = false;
  let lastWasItem = false;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith('|')) {
      const rows: string[][] = [];
      while (i < lines.length && lines[i]!.trim().startsWith('|')) {
        const cells = lines[i]!.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
        if (!cells.every((c) => /^:?-+:?$/.test(c))) rows.push(cells);
        i++;
      }
      i--;
      blocks.push({ kind: 'table', header: rows[0] ?? [], rows: rows.slice(1) });
      lastWasItem = false;
      continue;
    }
    let m: RegExpMatchArray | null;
    if ((m = line.match(RE.title))) blocks.push({ kind: 'title', text: m[1]! });
    else if (RE.notice.test(line)) blocks.push({ kind: 'notice', text: line });
    else if (RE.chapter.test(line)) {
      inArticle = false;
      blocks.push({ kind: 'heading1', text: line });
    } else if ((m = line.match(RE.article))) {
      inArticle = true;
      blocks.push({ kind: 'para', lead: m[1]!, text: m[2]! });
    } else if (RE.heading1.test(line)) {
      inArticle = false;
      blocks.push({ kind: 'heading1', text: line });
    } else if (RE.heading2.test(line)) {
      const firstStop = line.indexOf('。');
      if (inArticle) blocks.push({ kind: 'plain', text: line });
      else if (firstStop === -1 || firstStop === line.length - 1) blocks.push({ kind: 'heading2', text: line });
      else blocks.push({ kind: 'para', lead: line.slice(0, firstStop + 1), text: line.slice(firstStop + 1) });
    } else if ((m = line.match(RE.item0)) && !raw.startsWith(' ')) {
      if (!lastWasItem) instance++;
      blocks.push({ kind: 'item', level: 0, marker: `${m[1]}.`, text: m[2]!, instance });
      lastWasItem = true;
      continue;
    } else if ((m = line.match(RE.item1))) {
      blocks.push({ kind: 'item', level: 1, marker: `（${m[1]}）`, text: m[2]!, instance });
      lastWasItem = true;
      continue;
    } else if (RE.caption.test(line)) blocks.push({ kind: 'caption', text: line });
    else if ((RE.issuer.test(line) || RE.date.test(line)) && i >= lines.length - 4) blocks.push({ kind: 'sign', text: line });
    else blocks.push({ kind: 'plain', text: raw.startsWith(' ') ? `\u3000\u3000\u3000${line}` : line });
    lastWasItem = false;
  }
  return blocks;
}

const NUMBERING = 'outline-items';

/** Renders the blocks as a .docx buffer: Title/Heading1/Heading2 styles, auto-numbered items, a real table. */
export async function toDocx(blocks: Block[], title: string): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case 'title':
        children.push(new Paragraph({ text: b.text, heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER }));
        break;
      case 'notice':
        children.push(new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: b.text, italics: true })] }));
        break;
      case 'heading1':
        children.push(new Paragraph({ text: b.text, heading: HeadingLevel.HEADING_1 }));
        break;
      case 'heading2':
        children.push(new Paragraph({ text: b.text, heading: HeadingLevel.HEADING_2 }));
        break;
      case 'caption':
        children.push(new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: b.text, bold: true })] }));
        break;
      case 'para':
        children.push(
          new Paragraph({
            children: [...(b.lead ? [new TextRun({ text: b.lead, bold: true })] : []), new TextRun(b.text)],
          }),
        );
        break;
      case 'plain':
        children.push(new Paragraph({ text: b.text }));
        break;
      case 'sign':
        children.push(new Paragraph({ text: b.text, alignment: AlignmentType.RIGHT }));
        break;
      case 'item':
        children.push(new Paragraph({ text: b.text, numbering: { reference: NUMBERING, level: b.level, instance: b.instance } }));
        break;
      case 'table': {
        const row = (cells: string[], header: boolean) =>
          new TableRow({
            tableHeader: header,
            children: cells.map(
              (c) => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text: c, bold: header })] })] }),
            ),
          });
        children.push(
          new Table({
            width: { size: 100, type: WidthType.PERCENTAGE },
            rows: [row(b.header, true), ...b.rows.map((r) => row(r, false))],
          }),
        );
        break;
      }
    }
  }
  const doc = new Document({
    creator: '党建助手 test fixtures (fictional)',
    title,
    description: '本文件为虚构示例，仅用于测试',
    numbering: {
      config: [
        {
          reference: NUMBERING,
          levels: [
            { level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.LEFT },
            { level: 1, format: LevelFormat.DECIMAL, text: '（%2）', alignment: AlignmentType.LEFT },
          ],
        },
      ],
    },
    sections: [{ children }],
  });
  return Packer.toBuffer(doc);
}

/** Renders the blocks as a PDF with a text layer (font embedded as a subset with its ToUnicode map). */
export function toPdf(blocks: Block[], title: string, font: string, date: Date): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 72, bottom: 72, left: 72, right: 72 },
    info: { Title: title, Author: '党建助手 test fixtures (fictional)', Subject: '本文件为虚构示例，仅用于测试', CreationDate: date, ModDate: date },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.registerFont('cjk', font, font.endsWith('.ttc') ? 'WenQuanYiZenHei' : undefined);
  doc.font('cjk');
  const width = doc.page.width - 144;
  const para = (text: string, size: number, opts: PDFKit.Mixins.TextOptions = {}) => {
    doc.fontSize(size).text(text, 72, undefined, { width, lineGap: 4, ...opts });
    doc.moveDown(0.4);
  };
  for (const b of blocks) {
    switch (b.kind) {
      case 'title':
        para(b.text, 18, { align: 'center' });
        doc.moveDown(0.5);
        break;
      case 'notice':
        para(b.text, 10.5, { align: 'center' });
        break;
      case 'heading1':
        doc.moveDown(0.3);
        para(b.text, 14);
        break;
      case 'heading2':
        para(b.text, 12.5);
        break;
      case 'caption':
        para(b.text, 12, { align: 'center' });
        break;
      case 'para':
        para(b.lead ? `${b.lead}${b.text}` : b.text, 12, { indent: 24 });
        break;
      case 'plain':
        para(b.text, 12, { indent: 24 });
        break;
      case 'sign':
        para(b.text, 12, { align: 'right' });
        break;
      case 'item':
        doc.fontSize(12).text(`${b.marker}${b.level === 0 ? ' ' : ''}${b.text}`, 72 + 24 * (b.level + 1), undefined, {
          width: width - 24 * (b.level + 1),
          lineGap: 4,
        });
        doc.moveDown(0.4);
        break;
      case 'table': {
        const all = [b.header, ...b.rows];
        const cols = b.header.length;
        const colW = width / cols;
        doc.fontSize(10);
        for (const [ri, r] of all.entries()) {
          const h = Math.max(...r.map((c) => doc.heightOfString(c, { width: colW - 8 }))) + 8;
          if (doc.y + h > doc.page.height - 72) doc.addPage();
          const y = doc.y;
          r.forEach((c, ci) => {
            const x = 72 + ci * colW;
            doc.rect(x, y, colW, h).stroke();
            doc.text(c, x + 4, y + 4, { width: colW - 8, align: ri === 0 || ci === 0 ? 'center' : 'right' });
          });
          doc.x = 72;
          doc.y = y + h;
        }
        doc.moveDown(0.8);
        break;
      }
    }
  }
  doc.end();
  return done;
}

/** Finds a CJK font file, or returns undefined. */
export function findCjkFont(explicit?: string): string | undefined {
  const candidates = [
    explicit,
    process.env.CJK_FONT,
    '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
    '/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc',
    '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  ].filter((f): f is string => !!f);
  return candidates.find((f) => fs.existsSync(f));
}

/** Text of a block as a reader should recover it (numbers of auto-numbered items are not text in a .docx). */
function blockTexts(b: Block, format: 'docx' | 'pdf'): string[] {
  if (b.kind === 'table') return [...b.header, ...b.rows.flat()];
  if (b.kind === 'item') return [format === 'pdf' ? `${b.marker}${b.text}` : b.text];
  if (b.kind === 'para') return [`${b.lead ?? ''}${b.text}`];
  return [b.text];
}

/**
 * Checks generated files against their master without a font: every block's text (white space ignored) is found
 * in the PDF's text layer (unpdf) and in the .docx text (mammoth); the .docx has headings, an ordered list when the
 * master has items, and a table when the master has one. Either file may be left out. Returns the problems found.
 */
export async function verifyFiles(stem: string, blocks: Block[], files: { pdf?: string; docx?: string }): Promise<string[]> {
  const { extractText, getDocumentProxy } = await import('unpdf');
  const mammoth = (await import('mammoth')).default;
  const problems: string[] = [];
  const squash = (s: string) => s.replace(/\s+/g, '');
  if (files.pdf) {
    const pdf = await getDocumentProxy(new Uint8Array(fs.readFileSync(files.pdf)));
    const pdfText = squash((await extractText(pdf, { mergePages: true })).text);
    for (const b of blocks) for (const t of blockTexts(b, 'pdf')) if (!pdfText.includes(squash(t))) problems.push(`${stem}.pdf lacks “${t.slice(0, 30)}”`);
  }
  if (files.docx) {
    const html = (await mammoth.convertToHtml({ path: files.docx })).value;
    const docxText = squash(html.replace(/<[^>]+>/g, ''));
    for (const b of blocks) for (const t of blockTexts(b, 'docx')) if (!docxText.includes(squash(t).replace(/&/g, '&amp;'))) problems.push(`${stem}.docx lacks “${t.slice(0, 30)}”`);
    if (!/<h1>/.test(html)) problems.push(`${stem}.docx has no Heading 1`);
    if (blocks.some((b) => b.kind === 'item') && !/<ol>/.test(html)) problems.push(`${stem}.docx has no numbered list`);
    if (blocks.some((b) => b.kind === 'table') && !/<table>/.test(html)) problems.push(`${stem}.docx has no table`);
  }
  return problems;
}

/** verifyFiles for `<dir>/generated/<stem>.pdf` and `.docx` (the layout of test/fixtures/fictional). */
export function verify(dir: string, stem: string, blocks: Block[]): Promise<string[]> {
  return verifyFiles(stem, blocks, { pdf: path.join(dir, 'generated', `${stem}.pdf`), docx: path.join(dir, 'generated', `${stem}.docx`) });
}

/** Title and signing date (UTC midnight; 2026-01-01 when the master has none) of a parsed master. */
export function titleAndDate(blocks: Block[], fallbackTitle: string): { title: string; date: Date } {
  const texts = (kind: Block['kind']) => blocks.flatMap((b) => (b.kind === kind && 'text' in b ? [b.text] : []));
  const title = texts('title')[0] ?? fallbackTitle;
  const signDate = texts('sign').map((t) => t.match(/^(\d{4})年(\d{1,2})月(\d{1,2})日$/)).find(Boolean);
  const date = signDate ? new Date(Date.UTC(+signDate[1]!, +signDate[2]! - 1, +signDate[3]!)) : new Date(Date.UTC(2026, 0, 1));
  return { title, date };
}

/** Prints how to install a CJK font and exits with code 2 (without one a PDF would have no readable Chinese). */
export function exitWithoutCjkFont(): never {
  console.error(
    'No CJK font found (looked in --font, $CJK_FONT, /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc, Noto CJK).\n' +
      'Install one: apt-get update && apt-get install -y fonts-wqy-zenhei  (or pass --font <file>). ' +
      'Without it the PDF would have no readable Chinese text.',
  );
  process.exit(2);
}

/**
 * Renders (with `font`) or only verifies (font undefined) every `<stem>.<docx|pdf>.md` master of `mastersDir` into
 * `outDir/<stem>.<docx|pdf>`, and checks each output carries every paragraph, item and table cell of its master.
 * @returns the problems found and the number of masters.
 */
export async function renderMasters(mastersDir: string, outDir: string, font: string | undefined): Promise<{ problems: string[]; count: number }> {
  const masters = fs
    .readdirSync(mastersDir)
    .map((f) => f.match(/^(.+)\.(docx|pdf)\.md$/))
    .filter((m): m is RegExpMatchArray => !!m)
    .map((m) => ({ file: m[0], stem: m[1]!, format: m[2] as 'docx' | 'pdf' }))
    .sort((a, b) => a.file.localeCompare(b.file));
  const problems: string[] = [];
  for (const { file, stem, format } of masters) {
    const blocks = parseMaster(fs.readFileSync(path.join(mastersDir, file), 'utf8'));
    const target = path.join(outDir, `${stem}.${format}`);
    if (font) {
      const { title, date } = titleAndDate(blocks, stem);
      fs.writeFileSync(target, format === 'docx' ? await toDocx(blocks, title) : await toPdf(blocks, title, font, date));
      console.log(`${target}: ${blocks.length} blocks`);
    }
    problems.push(...(await verifyFiles(stem, blocks, { [format]: target })));
  }
  return { problems, count: masters.length };
}

/**
 * Writes (write = true) or only checks every `<stem>.txt.utf8` master (UTF-8 plain text) of `mastersDir` as
 * `outDir/<stem>.txt` encoded as GB18030 with CRLF line ends, the way a text file saved by a Chinese-locale Windows
 * editor arrives (iconv-lite). Checks each output decodes back to its master and is not valid UTF-8 (so it really
 * exercises encoding detection).
 * @returns the problems found and the number of masters.
 */
export async function encodeGb18030Masters(mastersDir: string, outDir: string, write: boolean): Promise<{ problems: string[]; count: number }> {
  const iconv = (await import('iconv-lite')).default;
  const masters = fs
    .readdirSync(mastersDir)
    .sort()
    .map((f) => f.match(/^(.+)\.txt\.utf8$/))
    .filter((m): m is RegExpMatchArray => !!m)
    .map((m) => ({ file: m[0], stem: m[1]! }));
  const problems: string[] = [];
  for (const { file, stem } of masters) {
    const text = fs.readFileSync(path.join(mastersDir, file), 'utf8').replace(/\r?\n/g, '\r\n');
    const target = path.join(outDir, `${stem}.txt`);
    if (write) {
      fs.writeFileSync(target, iconv.encode(text, 'gb18030'));
      console.log(`${target}: GB18030, ${text.length} characters`);
    }
    const bytes = fs.readFileSync(target);
    if (iconv.decode(bytes, 'gb18030') !== text) problems.push(`${stem}.txt does not decode (GB18030) to its master`);
    if (new TextDecoder('utf-8', { fatal: false }).decode(bytes).indexOf('\uFFFD') === -1) problems.push(`${stem}.txt is valid UTF-8, not GB18030`);
  }
  return { problems, count: masters.length };
}

/**
 * The command line of a make-fictional-N script: renders (or with `--verify` only checks) the masters of one corpus
 * into its folder and exits 1 listing the problems, 2 without a CJK font (see exitWithoutCjkFont).
 * @param name the script's name for --help; `masters`, `out`: the default folders
 */
export async function makeFictionalCorpus(name: string, masters: string, out: string): Promise<void> {
  const { Command } = await import('commander');
  const opts = new Command(name)
    .option('--masters <dir>', 'folder with the `<stem>.<docx|pdf>.md` and `<stem>.txt.utf8` masters', masters)
    .option('--out <dir>', 'folder the documents are written to', out)
    .option('--font <file>', 'CJK font file (.ttf/.otf/.ttc)')
    .option('--verify', 'only check the committed files against the masters (needs no font)')
    .parse()
    .opts<{ masters: string; out: string; font?: string; verify?: boolean }>();
  const font = opts.verify ? undefined : (findCjkFont(opts.font) ?? exitWithoutCjkFont());
  const rendered = await renderMasters(opts.masters, opts.out, font);
  const encoded = await encodeGb18030Masters(opts.masters, opts.out, !opts.verify);
  const problems = [...rendered.problems, ...encoded.problems];
  if (problems.length) {
    console.error(`${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`${rendered.count + encoded.count} documents carry every paragraph, item and table cell of their masters`);
}
