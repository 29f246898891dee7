import path from 'node:path';
import type { DocFormat } from '../../types.js';
import { endsSentence } from '../normalize.js';
import type { DocTree } from '../tree.js';
import { decodeText } from './encoding.js';
import { DISTRIBUTION_LINE, DOC_NUMBER, ISSUE_LINE, dateLine, matchMarker } from './markers.js';
import { readNewspaper } from './newspaper.js';
import { readOfficialText } from './official.js';
import { ReadError } from './read-error.js';

export { ReadError } from './read-error.js';

/** File extensions the corpus reader accepts (lower case, with the dot). */
export const READABLE_EXTENSIONS = ['.txt', '.md', '.docx', '.pdf', '.html', '.htm'] as const;

/** Signals a text is a print extraction: photo credits and bylines as printed in newspapers. */
const PRINT_CREDIT = /(本报记者|通讯员|供图|摄影|文\/图|文／图|^■|^□)/;

/** Print signals needed to read a text as a newspaper extraction (the five reports score 12-179; official texts 0-2). */
const MIN_PRINT_SIGNALS = 5;

/**
 * Scores a plain text as an official document or a newspaper print extraction, from its lines:
 * official structure markers opening lines (第X章/节/条, 一、, （一）; 2 each, as a hard-wrapped official
 * text has about one broken line per marker), a 发文字号, a 落款 date and a distribution, print-run or issue line (3 each)
 * count for official; lines broken mid-sentence (a line of 15+ characters that does not end a sentence and
 * is not followed by a marker) and photo credits or bylines count for print. A text with few signals
 * either way is read as an official document (the newspaper repair is only for print extractions).
 */
export function classifyText(text: string): { format: 'official' | 'newspaper'; official: number; print: number } {
  const lines = text
    .split('\n')
    .map((l) => l.replace(/^[#\s\u3000*]+|[\s\u3000*]+$/g, ''))
    .filter(Boolean);
  let official = 0;
  let print = 0;
  lines.forEach((l, i) => {
    const m = matchMarker(l);
    if (m && m.rank <= 15) official += 2;
    if (DOC_NUMBER.test(l.replace(/\s+/g, '')) || dateLine(l) || ISSUE_LINE.test(l) || DISTRIBUTION_LINE.test(l)) official += 3;
    if (PRINT_CREDIT.test(l)) print += 3;
    const next = lines[i + 1];
    // (a row of cells aligned with white space, “序号  任务内容  责任单位”, is a table, not a broken line)
    if (!m && l.length >= 15 && /[\u4e00-\u9fff]/.test(l) && !endsSentence(l) && !/[：:|\t]/.test(l) && !/\S(?: {2,}|\u3000+)\S/.test(l) && next && !matchMarker(next)) print++;
  });
  return { format: print >= MIN_PRINT_SIGNALS && print > official ? 'newspaper' : 'official', official, print };
}

/** What a reader gets: the file name, its bytes and the title from its metadata (if any). */
export interface ReaderInput {
  source: string;
  bytes: Buffer;
  title?: string;
}

/**
 * Reads one corpus file into its document tree, choosing the reader by extension (.docx, .pdf,
 * .html/.htm) and, for .txt/.md, by content (`classifyText`).
 * @throws ReadError with the reason when the file cannot be read (empty, binary, unknown encoding,
 * corrupt .docx, scanned PDF, no Chinese text).
 */
export async function readDocument(input: ReaderInput): Promise<DocTree> {
  const ext = path.extname(input.source).toLowerCase();
  // section ids are `<source>#s<k>`: the whole file name, so that a.txt and a.md do not share ids
  const stem = input.source;
  if (!input.bytes.length) throw new ReadError('空文件（empty file）');
  let tree: DocTree;
  // the format libraries (mammoth, unpdf, cheerio, linkedom, Readability) load only when a file needs them
  if (ext === '.docx') tree = await (await import('./docx.js')).readDocx(input.bytes, stem);
  else if (ext === '.pdf') tree = await (await import('./pdf.js')).readPdf(input.bytes, stem);
  else if (ext === '.html' || ext === '.htm') tree = (await import('./html.js')).readHtml(input.bytes, stem);
  else if (ext === '.txt' || ext === '.md') {
    const { text } = decodeText(input.bytes);
    if (!/[\u3400-\u9fff]/.test(text)) throw new ReadError('没有中文文字（empty or not a Chinese document）');
    const kind = classifyText(text).format;
    const format: DocFormat = kind === 'newspaper' ? 'newspaper' : ext === '.md' ? 'markdown' : 'official';
    tree = kind === 'newspaper' ? readNewspaper(text, stem, input.title) : readOfficialText(text, stem, format);
  } else throw new ReadError(`不支持的文件类型 ${ext}（unsupported file type）`);
  if (!/[\u3400-\u9fff]/.test(tree.text)) throw new ReadError('没有中文文字（no Chinese text found）');
  return tree;
}
