/**
 * Generates the second (fictional) corpus in the other formats the readers must handle. Usage:
 *   npx tsx scripts/make-fictional-corpus.ts [--dir test/fixtures/fictional] [--font /path/to/cjk.ttc]
 *   npx tsx scripts/make-fictional-corpus.ts --verify   (checks the committed files against the masters; no font needed)
 *
 * Reads every Markdown master `<stem>.md` in the folder (official-document style: `# 标题`, 第X章/第X条,
 * 一、（一）1.（1） outlines, `表N 标题` + a pipe table, 附件 list, issuer and date at the end) and writes
 * `generated/<stem>.docx` (the `docx` package: real Title/Heading styles, auto-numbered lists for `1.` and `（1）`,
 * a real table with a repeated header row) and `generated/<stem>.pdf` (pdfkit with an embedded CJK font, so the
 * PDF has a text layer). The generated files are committed because CI has no CJK font (the PDF is reproducible;
 * a .docx embeds its generation time, so regenerate only when a master changes).
 *
 * The CJK font is looked up in --font, $CJK_FONT, then the usual Debian/Ubuntu paths (fonts-wqy-zenhei,
 * fonts-noto-cjk). Without one the script stops with exit code 2 and says how to install it
 * (`apt-get install -y fonts-wqy-zenhei`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { exitWithoutCjkFont, findCjkFont, parseMaster, titleAndDate, toDocx, toPdf, verify } from './lib/fictional-render.js';

const program = new Command('make-fictional-corpus')
  .option('--dir <dir>', 'folder with the Markdown masters', 'test/fixtures/fictional')
  .option('--font <file>', 'CJK font file (.ttf/.otf/.ttc)')
  .option('--verify', 'only check the committed .docx/.pdf against the masters (needs no font)')
  .parse();
const opts = program.opts<{ dir: string; font?: string; verify?: boolean }>();

const masters = fs.readdirSync(opts.dir).filter((f) => f.endsWith('.md')).sort();
if (opts.verify) {
  const problems: string[] = [];
  for (const file of masters) {
    const stem = file.replace(/\.md$/, '');
    problems.push(...(await verify(opts.dir, stem, parseMaster(fs.readFileSync(path.join(opts.dir, file), 'utf8')))));
  }
  if (problems.length) {
    console.error(`${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`${masters.length} documents: .docx and .pdf carry every paragraph, item and table cell of their masters`);
  process.exit(0);
}

const font = findCjkFont(opts.font);
if (!font) exitWithoutCjkFont();
console.log(`CJK font: ${font}`);
const outDir = path.join(opts.dir, 'generated');
fs.mkdirSync(outDir, { recursive: true });
for (const file of masters) {
  const stem = file.replace(/\.md$/, '');
  const blocks = parseMaster(fs.readFileSync(path.join(opts.dir, file), 'utf8'));
  const { title, date } = titleAndDate(blocks, stem);
  fs.writeFileSync(path.join(outDir, `${stem}.docx`), await toDocx(blocks, title));
  fs.writeFileSync(path.join(outDir, `${stem}.pdf`), await toPdf(blocks, title, font, date));
  const counts = blocks.reduce<Record<string, number>>((a, b) => ((a[b.kind] = (a[b.kind] ?? 0) + 1), a), {});
  console.log(`${stem}: .docx + .pdf (${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')})`);
}
console.log('check them with: npx tsx scripts/make-fictional-corpus.ts --verify');
