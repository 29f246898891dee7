import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { repairReport, type Block } from './repair.js';

/**
 * Schema of a document's optional metadata file `<name>.meta.yaml` beside `<name>.txt|.md`.
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

/** A corpus document, read and repaired. */
export interface SourceDoc {
  /** File name inside the corpus folder, e.g. `001_02e902364aa12d71.txt`. */
  source: string;
  title: string;
  meta: DocMeta;
  /** sha256 of the file bytes plus its metadata file; drives incremental re-indexing. */
  hash: string;
  raw: string;
  blocks: Block[];
}

/** A document that could not be read; reported, never fatal for the others. */
export interface DocProblem {
  source: string;
  reason: string;
}

const DOC_EXT = /\.(txt|md)$/i;

/** Lists the corpus documents (`*.txt`, `*.md` except README.md), sorted by name. */
export function listCorpusFiles(corpusDir: string): string[] {
  if (!fs.existsSync(corpusDir)) throw new Error(`corpus folder not found: ${corpusDir}`);
  return fs
    .readdirSync(corpusDir)
    .filter((f) => DOC_EXT.test(f) && !/^readme\.md$/i.test(f))
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

function metaPath(corpusDir: string, file: string): string {
  return path.join(corpusDir, file.replace(DOC_EXT, '.meta.yaml'));
}

function fileHash(corpusDir: string, file: string): string {
  const h = crypto.createHash('sha256').update(fs.readFileSync(path.join(corpusDir, file)));
  const meta = metaPath(corpusDir, file);
  if (fs.existsSync(meta)) h.update('\0meta\0').update(fs.readFileSync(meta));
  return h.digest('hex');
}

/**
 * Reads and repairs every corpus document. A document that is not valid UTF-8 text, is empty, or has
 * an invalid metadata file is returned in `problems` with the reason; the others are still read.
 */
export function readCorpus(corpusDir: string): { docs: SourceDoc[]; problems: DocProblem[] } {
  const docs: SourceDoc[] = [];
  const problems: DocProblem[] = [];
  const files = listCorpusFiles(corpusDir);
  const raws = new Map<string, string>();
  for (const source of files) {
    const bytes = fs.readFileSync(path.join(corpusDir, source));
    let raw: string;
    try {
      raw = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
    } catch {
      problems.push({ source, reason: 'not valid UTF-8 text' });
      continue;
    }
    if (raw.includes('\u0000')) {
      problems.push({ source, reason: 'binary content (NUL bytes)' });
      continue;
    }
    if (!/[\u3400-\u9fff]/.test(raw)) {
      problems.push({ source, reason: 'no Chinese text found (empty or not a report)' });
      continue;
    }
    raws.set(source, raw.replace(/\r\n?/g, '\n'));
  }
  for (const [source, raw] of raws) {
    let meta: DocMeta = {};
    const mp = metaPath(corpusDir, source);
    if (fs.existsSync(mp)) {
      try {
        const parsed = DocMetaSchema.safeParse(YAML.parse(fs.readFileSync(mp, 'utf8')) ?? {});
        if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; '));
        meta = parsed.data;
      } catch (err) {
        problems.push({ source, reason: `${path.basename(mp)}: ${(err as Error).message}` });
        continue;
      }
    }
    const blocks = repairReport(raw);
    const firstHeading = blocks.find((b) => b.kind === 'heading')?.text.text;
    docs.push({
      source,
      title: meta.title ?? firstHeading ?? source.replace(DOC_EXT, ''),
      meta,
      hash: fileHash(corpusDir, source),
      raw,
      blocks,
    });
  }
  return { docs, problems };
}
