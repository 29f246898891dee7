/**
 * Checks that an evaluation question set was written from its documents: every `gold` string of every question
 * occurs verbatim (white space removed) in the text of some corpus file, and reports `must`, `mustAny` and
 * `keyPoints` strings that occur in no file (warnings: an answer may legitimately rephrase, but usually it is a typo).
 * Usage:
 *   npx tsx scripts/check-eval-gold.ts eval/heldout-5.jsonl --corpus ../shared/corpus,eval/fictional-4
 *
 * Files are read the way a user supplies them, independently of the product's readers: .txt/.md decoded from the
 * encoding chardet detects (UTF-8, GB18030, …; iconv-lite), .html as its text (cheerio), .docx as raw text (mammoth),
 * .pdf as its text layer (unpdf). Other files (e.g. .meta.yaml) are skipped.
 *
 * Exit codes: 0 every gold string found, 1 some gold string in no file, 2 bad arguments or unreadable set.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import chardet from 'chardet';
import iconv from 'iconv-lite';
import * as cheerio from 'cheerio';
import mammoth from 'mammoth';
import { z } from 'zod';

const Question = z.object({
  id: z.string(),
  q: z.string(),
  gold: z.array(z.string()),
  must: z.array(z.string()),
  mustAny: z.array(z.array(z.string())).optional(),
  keyPoints: z.array(z.string()).optional(),
});

const program = new Command('check-eval-gold')
  .argument('<set>', 'question set (.jsonl)')
  .requiredOption('--corpus <dirs>', 'comma-separated folders whose files the gold strings must come from')
  .parse();
const setFile = program.args[0]!;
const dirs = (program.opts<{ corpus: string }>().corpus).split(',').filter(Boolean);

const squash = (s: string) => s.replace(/\s+/g, '');

/** The text of one corpus file, white space removed; undefined for a file that is not a document. */
async function readText(file: string): Promise<string | undefined> {
  const ext = path.extname(file).toLowerCase();
  const bytes = fs.readFileSync(file);
  if (ext === '.txt' || ext === '.md') return squash(iconv.decode(bytes, chardet.detect(bytes) ?? 'utf-8'));
  if (ext === '.html' || ext === '.htm') return squash(cheerio.load(bytes.toString('utf8')).text());
  if (ext === '.docx') return squash((await mammoth.extractRawText({ buffer: bytes })).value);
  if (ext === '.pdf') {
    const { extractText, getDocumentProxy } = await import('unpdf');
    return squash((await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true })).text);
  }
  return undefined;
}

const texts: { file: string; text: string }[] = [];
for (const dir of dirs)
  for (const name of fs.readdirSync(dir).sort()) {
    if (name === 'README.md') continue;
    const text = await readText(path.join(dir, name));
    if (text !== undefined) texts.push({ file: path.join(dir, name), text });
  }
const found = (s: string) => texts.some((t) => t.text.includes(squash(s)));

let errors = 0;
let warnings = 0;
const lines = fs.readFileSync(setFile, 'utf8').split('\n').filter((l) => l.trim());
for (const [i, line] of lines.entries()) {
  const parsed = Question.safeParse(JSON.parse(line));
  if (!parsed.success) {
    console.error(`${setFile}:${i + 1}: ${parsed.error.message}`);
    process.exit(2);
  }
  const q = parsed.data;
  for (const g of q.gold) if (!found(g)) (errors++, console.log(`ERROR ${q.id} gold not in any file: ${g}`));
  for (const m of [...q.must, ...(q.mustAny ?? []).flat(), ...(q.keyPoints ?? [])])
    if (!found(m)) (warnings++, console.log(`warn  ${q.id} must/keyPoint not in any file: ${m}`));
}
console.log(`${lines.length} questions, ${texts.length} files read; ${errors} gold string(s) missing, ${warnings} warning(s)`);
process.exit(errors ? 1 : 0);
