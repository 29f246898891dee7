import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import type { DocFormat } from '../types.js';
import { READABLE_EXTENSIONS, ReadError, readDocument } from './readers/index.js';
import type { DocTree } from './tree.js';

/**
 * Schema of a document's optional metadata file `<name>.meta.yaml` beside `<name>.<ext>`.
 * Every field is optional; the title falls back to the first heading, the place to the most
 * mentioned place.
 */
export const DocMetaSchema = z
  .object({
    title: z.string().min(1).optional(),
    place: z.string().min(1).optional(),
    date: z.union([z.string(), z.number()]).transform(String).optional(),
    publication: z.string().optional(),
    note: z.string().optional(),
  })
  .strict();
/** Validated document metadata. */
export type DocMeta = z.infer<typeof DocMetaSchema>;

/** A corpus document, read into its tree. */
export interface SourceDoc {
  /** File name inside the corpus folder, e.g. `001_02e902364aa12d71.txt`. */
  source: string;
  /** From the metadata file, else as printed in the document, else the file name. */
  title: string;
  meta: DocMeta;
  /** sha256 of the file bytes plus its metadata file; drives incremental re-indexing. */
  hash: string;
  format: DocFormat;
  /** The text every offset points into: the decoded file (.txt, .md) or the extracted text (.docx, .pdf, .html). */
  text: string;
  tree: DocTree;
}

/** A document that could not be read; reported with its reason, never fatal for the others. */
export interface DocProblem {
  source: string;
  reason: string;
}

const DOC_EXT = new RegExp(`(${READABLE_EXTENSIONS.map((e) => e.replace('.', '\\.')).join('|')})$`, 'i');

/** Lists the corpus documents (.txt .md .docx .pdf .html .htm, README.md excluded), sorted by name. */
export function listCorpusFiles(corpusDir: string): string[] {
  if (!fs.existsSync(corpusDir)) throw new Error(`corpus folder not found: ${corpusDir}`);
  return fs
    .readdirSync(corpusDir)
    .filter((f) => DOC_EXT.test(f) && !/^readme\.md$/i.test(f) && !f.startsWith('.') && !f.startsWith('~$'))
    .sort();
}

/** sha256 over the corpus file list, contents and metadata: the corpus part of the index fingerprint. */
export function corpusFingerprint(corpusDir: string): string {
  const h = crypto.createHash('sha256');
  for (const f of listCorpusFiles(corpusDir)) {
    h.update(f).update('\0').update(fileHash(corpusDir, f));
  }
  return h.digest('hex');
}

/** `<name>.meta.yaml` beside `<name>.<ext>`. */
function metaPath(corpusDir: string, file: string): string {
  return path.join(corpusDir, file.replace(DOC_EXT, '.meta.yaml'));
}

function fileHash(corpusDir: string, file: string): string {
  const h = crypto.createHash('sha256').update(fs.readFileSync(path.join(corpusDir, file)));
  const meta = metaPath(corpusDir, file);
  if (fs.existsSync(meta)) h.update('\0meta\0').update(fs.readFileSync(meta));
  return h.digest('hex');
}

function readMeta(corpusDir: string, source: string): DocMeta {
  const mp = metaPath(corpusDir, source);
  if (!fs.existsSync(mp)) return {};
  try {
    const parsed = DocMetaSchema.safeParse(YAML.parse(fs.readFileSync(mp, 'utf8')) ?? {});
    if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; '));
    return parsed.data;
  } catch (err) {
    throw new ReadError(`${path.basename(mp)}: ${(err as Error).message}`);
  }
}

/**
 * Reads every corpus document into its tree with the reader its format needs (`readDocument`).
 * A document that cannot be read (empty, binary, unknown encoding, corrupt .docx, scanned PDF, invalid
 * metadata file) is returned in `problems` with its reason; the others are still read.
 */
export async function readCorpus(corpusDir: string): Promise<{ docs: SourceDoc[]; problems: DocProblem[] }> {
  return readCorpusFiles(corpusDir, listCorpusFiles(corpusDir));
}

/** `readCorpus` for some of the corpus files (names as `listCorpusFiles` gives them), in the order given. */
export async function readCorpusFiles(corpusDir: string, sources: string[]): Promise<{ docs: SourceDoc[]; problems: DocProblem[] }> {
  const docs: SourceDoc[] = [];
  const problems: DocProblem[] = [];
  for (const source of sources) {
    try {
      const meta = readMeta(corpusDir, source);
      const bytes = fs.readFileSync(path.join(corpusDir, source));
      const tree = await readDocument({ source, bytes, ...(meta.title ? { title: meta.title } : {}) });
      const title = meta.title ?? tree.title ?? source.replace(DOC_EXT, '');
      tree.root.info.heading = title;
      docs.push({ source, title, meta, hash: fileHash(corpusDir, source), format: tree.format, text: tree.text, tree });
    } catch (err) {
      // a reader's own failure on one odd file must not stop the others either
      problems.push({ source, reason: err instanceof ReadError ? err.message : `读取失败（${(err as Error).message}）` });
    }
  }
  return { docs, problems };
}

/** The hash of each corpus file (file bytes plus its metadata file, as `SourceDoc.hash`), by file name, sorted by name. */
export function corpusFileHashes(corpusDir: string): Map<string, string> {
  return new Map(listCorpusFiles(corpusDir).map((f) => [f, fileHash(corpusDir, f)]));
}

/** Hashes remembered from an earlier listing: file → [stamp, hash], and when the stamps were taken (ms since epoch). */
export interface KnownHashes {
  at: number;
  files: Map<string, [string, string]>;
}

/** A file's size and modification time, and its metadata file's. */
function fileStamp(corpusDir: string, file: string): { stamp: string; mtimeMs: number } {
  const st = fs.statSync(path.join(corpusDir, file));
  const meta = fs.statSync(metaPath(corpusDir, file), { throwIfNoEntry: false });
  return { stamp: `${st.size}:${st.mtimeMs}${meta ? `|${meta.size}:${meta.mtimeMs}` : ''}`, mtimeMs: Math.max(st.mtimeMs, meta?.mtimeMs ?? 0) };
}

/**
 * `corpusFileHashes` that reads and hashes only the files whose stamp (size and modification time of the file and
 * of its metadata file) differs from the one in `known`, as git's index does (at 5,000 documents hashing every
 * file costs about a second of every start). A file modified less than 2 s before `known.at` is hashed again
 * (a file system with coarse time stamps could show an edit made right after the listing with the same time).
 * Returns each file's stamp and hash, sorted by name.
 */
export function stampedFileHashes(corpusDir: string, known?: KnownHashes): Map<string, [string, string]> {
  return new Map(
    listCorpusFiles(corpusDir).map((f): [string, [string, string]] => {
      const { stamp, mtimeMs } = fileStamp(corpusDir, f);
      const k = known?.files.get(f);
      return [f, [stamp, k && k[0] === stamp && mtimeMs < known!.at - 2000 ? k[1] : fileHash(corpusDir, f)]];
    }),
  );
}
