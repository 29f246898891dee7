import crypto from 'node:crypto';
import type { DocumentInfo, IndexRecord, PageArticleInfo } from '../types.js';
import { chunkDocument } from '../ingest/chunk.js';
import { readCorpusFiles, type DocProblem, type SourceDoc } from '../ingest/corpus.js';
import { bodyPlace, documentPlace, type Lexicon } from '../ingest/lexicon.js';
import { dictionaryEntry } from '../ingest/segment.js';
import { extractMeasures } from '../ingest/measures.js';
import { allSections, isSection } from '../ingest/tree.js';
import type { HashingEmbeddings } from './embeddings.js';
import { countColumns } from './full-text.js';
import type { CountedRow } from './postings.js';
import { PrepareMemo } from './prepare-memo.js';

/**
 * A record ready to be written by the index (`RecordWriter`): the columns of its `records` row, its FTS5 columns
 * (jieba tokens as stored, space-joined) and what is embedded. Plain data, so that it crosses a worker thread
 * boundary by structured clone (see `prepare-pool.ts`).
 */
export interface PreparedRow {
  id: string;
  source: string;
  type: IndexRecord['type'];
  sectionId?: string;
  article?: string;
  places: string[];
  domains: string[];
  /** The record as JSON (the `records.record` column). */
  json: string;
  /** FTS5 columns: document title, section path (or measure title), text. */
  fts: [string, string, string];
  /** Number of FTS5 tokens over the three columns. */
  tokens: number;
  /** The FTS5 columns' terms counted for the BM25 postings (`countColumns`). */
  counts: CountedRow;
  /** sha256 of the embedded text: the vector cache key. */
  key: string;
  /** The embedded text (section path or measure title, then the text); only when no vector is given. */
  embedText?: string;
  /** The vector already computed for the offline hashed embedding, as `encodeVector(v, true)` stores it. */
  vector?: Uint8Array;
}

/** A document ready to be written: its info (with the section tree), file hash and records. */
export interface PreparedDocument {
  info: DocumentInfo;
  hash: string;
  rows: PreparedRow[];
}

/** One batch of corpus files read and prepared; unreadable files are in `problems`. */
export interface PreparedBatch {
  docs: PreparedDocument[];
  problems: DocProblem[];
}

/**
 * Reads corpus files (names as `listCorpusFiles` gives them, in that order) and prepares each document's
 * records (see `prepareDocument`). With `hashing`, each record's vector is computed here too.
 */
export async function prepareFiles(corpusDir: string, sources: string[], lexicon: Lexicon, hashing?: HashingEmbeddings, memo = new PrepareMemo()): Promise<PreparedBatch> {
  const batch = await readCorpusFiles(corpusDir, sources);
  return { docs: batch.docs.map((doc) => prepareDocument(doc, lexicon, hashing, memo)), problems: batch.problems };
}

/**
 * Chunks a document and extracts its measures into records, each text tokenized once (jieba) for FTS5 and the
 * embedding; with `hashing` (the offline embedding) the vector is computed from the same tokens. `memo` (kept by the
 * caller across documents) spares cutting and embedding a text seen before; the result is the same without it.
 */
export function prepareDocument(doc: SourceDoc, lexicon: Lexicon, hashing?: HashingEmbeddings, memo = new PrepareMemo()): PreparedDocument {
  const articles = pageArticles(doc, lexicon);
  // a document with no place in its metadata speaks for its issuer's (中共枫渚县委组织部 → 枫渚县)
  const docPlace = doc.meta.place ?? ownPlace(doc, lexicon);
  const placesOf = lexicon.placeResolver(docPlace);
  const withLineage = (places: string[]) => [...new Set(places.flatMap((p) => lexicon.lineage(p)))];
  const chunks = chunkDocument(doc).map((c): IndexRecord => {
    const article = articles.get(c.sectionPath[0] ?? '');
    // a passage naming no place is about its article's place (003: 祁连县 for the 祁连 story on the 西宁 page), and a
    // commentary's about none rather than the page's
    const own = article && !lexicon.places(`${c.section} ${c.text}`).length ? (article.place ? [article.place] : []) : placesOf(c.section, c.text);
    return {
      id: c.id,
      type: 'chunk',
      unit: c.unit,
      source: c.source,
      title: c.title,
      section: c.section,
      sectionPath: c.sectionPath,
      sectionId: c.sectionId,
      text: c.text,
      start: c.start,
      end: c.end,
      places: withLineage(own),
      domains: lexicon.domains(`${c.section} ${c.text}`),
      figures: [],
      ...(article ? { pageArticle: c.sectionPath[0]! } : {}),
      ...(c.article ? { article: c.article } : {}),
      ...(c.table ? { table: c.table } : {}),
      ...(c.items ? { items: c.items } : {}),
    };
  });
  const records = [...chunks];
  for (const m of extractMeasures(doc, lexicon)) {
    const article = articles.get(m.sectionPath[0] ?? '');
    const places = article && !lexicon.places(`${m.section} ${m.text}`).length ? (article.place ? [article.place] : []) : m.places;
    records.push({
      id: m.id,
      type: 'measure',
      unit: 'text',
      source: m.source,
      title: m.docTitle,
      section: m.section,
      sectionPath: m.sectionPath,
      sectionId: m.sectionId,
      text: m.text,
      measureTitle: m.title,
      ...(article ? { pageArticle: m.sectionPath[0]! } : {}),
      places: withLineage(places),
      domains: m.domains,
      figures: m.figures,
    });
  }
  const title = memo.cut(doc.title);
  const rows = records.map((record): PreparedRow => {
    const head = record.type === 'measure' ? (record.measureTitle ?? '') : record.section;
    const section = memo.cut(head);
    const text = memo.cut(record.text);
    const embedText = embeddingText(record);
    const key = sha256(embedText);
    const fts: [string, string, string] = [title.fts, section.fts, text.fts];
    return {
      id: record.id,
      source: record.source,
      type: record.type,
      ...(record.sectionId ? { sectionId: record.sectionId } : {}),
      ...(record.article ? { article: record.article } : {}),
      places: record.places,
      domains: record.domains,
      json: JSON.stringify(record),
      fts,
      tokens: title.ftsCount + section.ftsCount + text.ftsCount,
      counts: countColumns(fts),
      key,
      // the embedded text is the head, a line break and the text: its key and the head's length determine both
      ...(hashing ? { vector: memo.vector(`${head.length}:${key}`, () => hashing.embedTokensSparse(embedText, [...section.tokens, ...text.tokens])) } : { embedText }),
    };
  });
  return { info: documentInfo(doc, chunks, docPlace), hash: doc.hash, rows };
}

/**
 * The persisted form of a document: metadata, issuer, date (the document's own 落款 date, else its
 * metadata date), place (metadata, else its issuer's or title's, else the place most chunks name first) and the
 * flattened section tree.
 */
function documentInfo(doc: SourceDoc, chunks: IndexRecord[], ownPlace: string | undefined): DocumentInfo {
  const counts = new Map<string, number>();
  for (const c of chunks) if (c.places[0]) counts.set(c.places[0], (counts.get(c.places[0]) ?? 0) + 1);
  const place = ownPlace ?? [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  const date = doc.tree.date ?? doc.meta.date;
  return {
    source: doc.source,
    title: doc.title,
    format: doc.format,
    ...(doc.tree.issuer ? { issuer: doc.tree.issuer } : {}),
    ...(date ? { date } : {}),
    ...(place ? { place } : {}),
    ...(doc.tree.docNumber ? { docNumber: doc.tree.docNumber } : {}),
    textLength: doc.text.length,
    sections: allSections(doc.tree.root).map((n) => n.info),
  };
}

/**
 * The other articles printed on a newspaper page (`SectionInfo.pageArticle`), by headline, each with its place
 * resolved and written back on its section: the place tag printed with it when data/lexicon.yaml knows it (003 “祁连”
 * → 祁连县), else the place its paragraphs name most often (first mention per paragraph), else none (a commentary).
 */
export function pageArticles(doc: SourceDoc, lexicon: Lexicon): Map<string, PageArticleInfo> {
  const out = new Map<string, PageArticleInfo>();
  for (const n of allSections(doc.tree.root)) {
    const info = n.info.pageArticle;
    if (!info || n.info.parentId !== doc.tree.root.info.id) continue;
    const tagged = info.bylines.map((b) => lexicon.canonicalPlace(b.replace(/\s/g, ''))).find(Boolean);
    const counts = new Map<string, number>();
    for (const s of allSections(n))
      for (const c of s.nodes) if (!isSection(c) && c.kind === 'paragraph') for (const p of lexicon.places(c.text.text).slice(0, 1)) counts.set(p, (counts.get(p) ?? 0) + 1);
    const named = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
    const place = tagged ?? named;
    if (place) info.place = place;
    else delete info.place;
    out.set(n.info.path[0]!, info);
  }
  return out;
}

/** Text indexed for a record: its section path (or measure title) and its text. */
export function embeddingText(r: IndexRecord): string {
  return r.type === 'measure' ? `${r.measureTitle ?? ''}\n${r.text}` : `${r.section}\n${r.text}`;
}

function sha256(data: string | Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** The place of a document without one in its metadata: its issuer's or title's (`documentPlace`), by its lexicon name when known. */
function ownPlace(doc: SourceDoc, lexicon: Lexicon): string | undefined {
  // (an official text that names its place nowhere but in its body, 汀澜组工信息 of 汀澜县委组织部, is about the county its
  // body names most; a newspaper page reports on many places, its own is its metadata's)
  const isWord = (w: string) => !!dictionaryEntry(w)?.tag && !/^ns/.test(dictionaryEntry(w)!.tag!);
  const named = documentPlace(doc.tree.issuer, doc.title) ?? (doc.format === 'newspaper' ? undefined : bodyPlace(doc.text, isWord));
  return named && (lexicon.canonicalPlace(named) ?? named);
}
