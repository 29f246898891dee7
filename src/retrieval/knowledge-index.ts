import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { Embeddings } from '@langchain/core/embeddings';
import type { DocumentInfo, IndexRecord, Measure, SectionInfo } from '../types.js';

export type { IndexRecord } from '../types.js';
import type { CoreConfig } from '../config.js';
import { stampedFileHashes, type DocProblem, type KnownHashes } from '../ingest/corpus.js';
import { Lexicon } from '../ingest/lexicon.js';
import { BuildLock, removeStaleTempDirs } from './build-lock.js';
import { log } from '../log.js';
import { createEmbeddings, embeddingFingerprint, HashingEmbeddings } from './embeddings.js';
import { FullTextIndex, postingsBuilder, saveQuietly } from './full-text.js';
import { HnswStore } from './hnsw-store.js';
import { hasIndexDb, INDEX_DB, isLegacyIndexDir, openIndexDb, readMeta, removeLegacyFiles, writeMeta } from './index-db.js';
import type { PreparedBatch, PreparedRow } from './prepare.js';
import { PreparePool } from './prepare-pool.js';
import type { IngestProgress } from './progress.js';
import { SparseVectorBuilder, SparseVectorIndex } from './sparse-store.js';
import { decodeVector, encodeVector, type VectorIndex } from './vector-index.js';

/**
 * Version of the ingestion rules (readers, chunking, measure extraction) and of the index format. Bump it
 * when they change so that persisted indexes are rebuilt. 8: one SQLite file (records, documents, FTS5 tokens,
 * vector cache) and a binary vector index. 9: ids prefixed by the whole file name (`a.txt#c0`, was `a#c0`). 10: an
 * outline item filling a hard-wrapped text's wrap width is continued, not a heading; field lines (时间：…) and short
 * lines end their paragraph; a paragraph ending no sentence is followed by a line break in its chunk; tables with
 * inner pipes only. 11: sections carry their Markdown heading level (newspaper pages: a headline at the title's level
 * starts another article). 12: tables with merged cells laid out on a grid (rowspan/colspan, two header rows), plain-text
 * tables aligned with spaces, PDF tables with narrow columns. 13: a newspaper page's other articles are marked
 * (`SectionInfo.pageArticle`: bylines, column label, place) and their records carry `pageArticle`; column labels,
 * banners and subtitles are no sections. 14: a byline under the title (issuer and date) is read as the document's when it has no 落款.
 * 15: a document with no place in its metadata takes its issuer's or title's (中共枫渚县委组织部 → 枫渚县).
 * 16: numbered rows of a space-aligned 名单 have no header row; a run of numbered lines heading no text is a list.
 * 17: a PDF table cell wrapped onto a second line inside its row joins its row (column bands, row pitch).
 * 18: a title's place is read after the verb a 关于 title opens with (关于开展X县…) and before a quoted name (X县“两新”…).
 * 19: a name with a short alternative in brackets inside it (乡镇（街道）党（工）委) is also indexed without it (乡镇党委).
 * 20: an outline item styled as a heading that states something (several clauses ending in 。) is text under its first clause.
 * 21: a text whose metadata, issuer and title name no place is about the county or city its body names most (汀澜组工信息 → 汀澜县).
 */
export const INDEX_VERSION = 21;

/** Documents read, chunked and written per transaction (and per progress step). */
const BATCH = 50;

/** Sparse vector index file (offline hashed embedding) and HNSW file (dense embeddings) in the index folder. */
const SPARSE_FILE = 'vectors.sparse';
const HNSW_FILE = 'vectors.hnsw';
/** BM25 postings derived from the FTS5 table (see `Postings`). */
const POSTINGS_FILE = 'postings.bin';

/** The fingerprints an index was built from, its dimensions, documents (source → hash) and skipped documents. */
export interface Manifest {
  version: number;
  corpus: string;
  lexicon: string;
  embedding: string;
  dimensions: number;
  builtAt: string;
  docs: Record<string, string>;
  problems: DocProblem[];
}

/** What an `ingest` did, for the CLI and the benchmark. */
export interface IngestReport {
  documents: number;
  chunks: number;
  measures: number;
  /** Texts sent to the embedding model (the rest came from the vector cache). */
  embedded: number;
  reused: number;
  /** Documents read and indexed by this run (new or changed); the others were kept as they were. */
  indexed: number;
  /** Documents removed from the index (deleted or changed files). */
  removed: number;
  problems: DocProblem[];
  ms: number;
}

/** Options of a build. */
export interface BuildOptions {
  /** Called after every batch of documents and when the vector index is written. */
  onProgress?: (p: IngestProgress) => void;
  /** Rebuild everything (the vector cache is still used). */
  full?: boolean;
}

/** Metadata filter on records; every field given must match (see `KnowledgeIndex.labelFilter`). */
export interface RecordFilter {
  /** A place; matches records in it or in any place below it (海西州 matches 格尔木市). */
  place?: string;
  domain?: string;
  type?: 'chunk' | 'measure';
  /** A file name or its beginning (`001` matches `001_02e9….txt`). */
  source?: string;
}

/**
 * The persisted knowledge index, one SQLite file `index.sqlite` (see `index-db.ts`: records, documents with
 * their section trees, the FTS5 table of their jieba tokens, the vector cache) plus a binary vector index
 * (`vectors.sparse` for the offline hashed embedding, searched exactly; `vectors.hnsw` for a model's dense
 * vectors). Opening reads only the build metadata; documents, records and vectors are read on first use, so
 * a 5,000-document index opens in well under a second. Ingest is incremental: a changed or removed document's
 * records are deleted (FTS5 rows deleted, HNSW `markDelete`) and only new or changed documents are read.
 */
export class KnowledgeIndex {
  readonly bm25: FullTextIndex;
  private docsCache?: {
    list: DocumentInfo[];
    bySource: Map<string, DocumentInfo>;
    sections: Map<string, SectionInfo>;
    children: Map<string, SectionInfo[]>;
  };
  private recordsCache?: IndexRecord[];
  private readonly byLabelCache = new Map<number, IndexRecord>();
  private readonly labelOfId = new Map<string, number>();
  private vectorIndex?: VectorIndex;
  private readonly filters = new Map<string, Uint8Array>();
  private readonly stmt: Record<'byLabel' | 'byId' | 'vectorOf', Database.Statement>;

  private constructor(
    private readonly db: Database.Database,
    private readonly indexDir: string,
    readonly embeddings: Embeddings,
    readonly manifest: Manifest,
  ) {
    this.bm25 = new FullTextIndex(db, path.join(indexDir, POSTINGS_FILE));
    this.stmt = {
      byLabel: db.prepare('SELECT label, record FROM records WHERE label = ?'),
      byId: db.prepare('SELECT label, record FROM records WHERE id = ? ORDER BY label LIMIT 1'),
      vectorOf: db.prepare('SELECT v.vector FROM records r JOIN vectors v ON v.space = ? AND v.key = r.vector_key WHERE r.id = ? ORDER BY r.label LIMIT 1').pluck(),
    };
  }

  /** True when vectors are sparse (the offline hashed embedding). */
  private get sparse(): boolean {
    return this.embeddings instanceof HashingEmbeddings;
  }

  /** Every record (chunks and measures) in index order; read from the database on first use. */
  get records(): IndexRecord[] {
    this.recordsCache ??= (this.db.prepare('SELECT label, record FROM records ORDER BY label').all() as { label: number; record: string }[]).map((row) => this.remember(row));
    return this.recordsCache;
  }

  private remember(row: { label: number; record: string }): IndexRecord {
    const cached = this.byLabelCache.get(row.label);
    if (cached) return cached;
    const r = JSON.parse(row.record) as IndexRecord;
    if (this.byLabelCache.size > 20_000 && !this.recordsCache) {
      this.byLabelCache.clear();
      this.labelOfId.clear();
    }
    this.byLabelCache.set(row.label, r);
    this.labelOfId.set(r.id, row.label);
    return r;
  }

  /** The record with database label `label` (as search hits give it), or undefined. */
  recordAt(label: number): IndexRecord | undefined {
    const cached = this.byLabelCache.get(label);
    if (cached) return cached;
    const row = this.stmt.byLabel.get(label) as { label: number; record: string } | undefined;
    return row && this.remember(row);
  }

  /**
   * One record by id, or undefined. An id written before index version 9 (`<stem>#m<k>`: the file name without its
   * extension, as a checklist may quote it) names the record of the one document with that stem; undefined when
   * several share it.
   */
  record(id: string): IndexRecord | undefined {
    const label = this.labelOfId.get(id);
    if (label !== undefined) return this.recordAt(label);
    const row = this.stmt.byId.get(id) as { label: number; record: string } | undefined;
    if (row) return this.remember(row);
    const at = id.indexOf('#');
    if (at <= 0) return undefined;
    const stem = id.slice(0, at);
    const sources = (this.db.prepare('SELECT source FROM documents WHERE substr(source, 1, ?) = ?').pluck().all(stem.length + 1, `${stem}.`) as string[]).filter(
      (s) => !s.slice(stem.length + 1).includes('.'),
    );
    if (sources.length !== 1) return undefined;
    const old = this.stmt.byId.get(`${sources[0]}${id.slice(at)}`) as { label: number; record: string } | undefined;
    return old && this.remember(old);
  }

  /** The embedding stored for a record (from the vector cache); no model call. @throws Error for an unknown id. */
  vector(id: string): number[] {
    const buf = this.stmt.vectorOf.get(this.manifest.embedding, id) as Buffer | undefined;
    if (!buf) throw new Error(`unknown record ${id}`);
    return decodeVector(buf, this.manifest.dimensions, this.sparse);
  }

  /** The vector index, read on first use. */
  get store(): VectorIndex {
    if (!this.vectorIndex) {
      const t0 = performance.now();
      const file = path.join(this.indexDir, this.sparse ? SPARSE_FILE : HNSW_FILE);
      try {
        this.vectorIndex = this.sparse ? SparseVectorIndex.load(file) : HnswStore.load(file, this.manifest.dimensions);
      } catch (err) {
        // a missing or damaged vector file is derived again from the stored vectors (no embedding calls)
        log.warn({ err: (err as Error).message }, 'vector index unreadable; rebuilding it from the stored vectors');
        const index = buildVectorIndex(this.db, this.manifest.embedding, this.manifest.dimensions, this.sparse);
        saveQuietly(() => index.save(file));
        this.vectorIndex = index;
      }
      log.debug({ ms: Math.round(performance.now() - t0) }, 'vector index loaded');
    }
    return this.vectorIndex;
  }

  private docs() {
    if (this.docsCache) return this.docsCache;
    type DocRow = { source: string; title: string; format: string; issuer: string | null; date: string | null; place: string | null; doc_number: string | null; text_length: number | null };
    const rows = this.db.prepare('SELECT source, title, format, issuer, date, place, doc_number, text_length FROM documents ORDER BY ord').all() as DocRow[];
    const sectionsOf = new Map<string, SectionInfo[]>();
    for (const s of this.db.prepare('SELECT source, info FROM sections ORDER BY source, ord').raw().iterate() as Iterable<[string, string]>) {
      const list = sectionsOf.get(s[0]) ?? [];
      list.push(JSON.parse(s[1]) as SectionInfo);
      sectionsOf.set(s[0], list);
    }
    const list = rows.map(
      (d): DocumentInfo => ({
        source: d.source,
        title: d.title,
        format: d.format as DocumentInfo['format'],
        ...(d.issuer ? { issuer: d.issuer } : {}),
        ...(d.date ? { date: d.date } : {}),
        ...(d.place ? { place: d.place } : {}),
        ...(d.doc_number ? { docNumber: d.doc_number } : {}),
        ...(d.text_length !== null ? { textLength: d.text_length } : {}),
        sections: sectionsOf.get(d.source) ?? [],
      }),
    );
    const sections = new Map<string, SectionInfo>();
    const children = new Map<string, SectionInfo[]>();
    for (const doc of list) {
      for (const section of doc.sections) {
        sections.set(section.id, section);
        if (section.parentId) {
          const c = children.get(section.parentId) ?? [];
          c.push(section);
          children.set(section.parentId, c);
        }
      }
    }
    this.docsCache = { list, bySource: new Map(list.map((d) => [d.source, d])), sections, children };
    return this.docsCache;
  }

  /** The indexed documents with their section trees (corpus order; `sections[0]` is each root). */
  documents(): DocumentInfo[] {
    return this.docs().list;
  }

  /** One document by its file name, or undefined. */
  document(source: string): DocumentInfo | undefined {
    return this.docs().bySource.get(source);
  }

  /** A section by its id (`<source>#s<k>`), or undefined. */
  section(id: string): SectionInfo | undefined {
    return this.docs().sections.get(id);
  }

  /** The direct subsections of a section, in reading order (the six “关系” under their headline). */
  childSections(id: string): SectionInfo[] {
    return this.docs().children.get(id) ?? [];
  }

  /**
   * The records whose innermost section is `id` (with `deep`, also those of its subsections), in
   * reading order: chunks by offset, then measures. `type` keeps only chunks or only measures.
   */
  recordsInSection(id: string, options: { deep?: boolean; type?: IndexRecord['type'] } = {}): IndexRecord[] {
    const ids = [id];
    if (options.deep) for (let k = 0; k < ids.length; k++) for (const c of this.childSections(ids[k]!)) ids.push(c.id);
    const rows: { label: number; record: string }[] = [];
    const q = this.db.prepare('SELECT label, record FROM records WHERE section_id = ?');
    for (const s of ids) for (const row of q.all(s) as { label: number; record: string }[]) rows.push(row);
    const order = (r: IndexRecord) => (r.type === 'chunk' ? 0 : 1);
    return rows
      .map((row) => ({ label: row.label, r: this.remember(row) }))
      .filter(({ r }) => !options.type || r.type === options.type)
      .sort((a, b) => order(a.r) - order(b.r) || (a.r.start ?? 0) - (b.r.start ?? 0) || a.label - b.label)
      .map(({ r }) => r);
  }

  /**
   * The chunks holding article `article` (normalised: “第十八条”), optionally of one document, in index order; an
   * indexed lookup (`records` reads every record, seconds at 190k records).
   */
  articleChunks(article: string, source?: string): IndexRecord[] {
    return (this.db.prepare("SELECT label, record FROM records WHERE article = ? AND type = 'chunk' ORDER BY label").all(article) as { label: number; record: string }[])
      .map((row) => this.remember(row))
      .filter((r) => !source || r.source === source);
  }

  /** The records of one document in index order (an indexed lookup; `records` reads every record). */
  documentRecords(source: string): IndexRecord[] {
    return (this.db.prepare('SELECT label, record FROM records WHERE source = ? ORDER BY label').all(source) as { label: number; record: string }[]).map((row) => this.remember(row));
  }

  /** The measures as the `Measure` shape of the public API. */
  measures(): Measure[] {
    return (this.db.prepare("SELECT label, record FROM records WHERE type = 'measure' ORDER BY label").all() as { label: number; record: string }[])
      .map((row) => this.remember(row))
      .map((r) => ({
        id: r.id,
        title: r.measureTitle ?? '',
        text: r.text,
        figures: r.figures,
        places: r.places,
        domains: r.domains,
        source: r.source,
        docTitle: r.title,
        section: r.section,
      }));
  }

  /**
   * A predicate on record labels for a metadata filter, or undefined when the filter is empty. Each condition is
   * read once from the database as a bitmap over labels and cached.
   */
  labelFilter(filter?: RecordFilter): ((label: number) => boolean) | undefined {
    if (!filter) return undefined;
    const conds: [string, string, unknown[]][] = [];
    if (filter.place) conds.push([`place:${filter.place}`, "SELECT label FROM record_tags WHERE kind = 'place' AND value = ?", [filter.place]]);
    if (filter.domain) conds.push([`domain:${filter.domain}`, "SELECT label FROM record_tags WHERE kind = 'domain' AND value = ?", [filter.domain]]);
    if (filter.type) conds.push([`type:${filter.type}`, 'SELECT label FROM records WHERE type = ?', [filter.type]]);
    if (filter.source) conds.push([`source:${filter.source}`, 'SELECT label FROM records WHERE substr(source, 1, length(?)) = ?', [filter.source, filter.source]]);
    if (!conds.length) return undefined;
    const maps = conds.map(([key, sql, args]) => {
      let bits = this.filters.get(key);
      if (!bits) {
        const labels = this.db.prepare(sql).pluck().all(...args) as number[];
        bits = new Uint8Array(labels.reduce((m, l) => Math.max(m, l + 1), 0));
        for (const l of labels) bits[l] = 1;
        if (this.filters.size > 64) this.filters.clear();
        this.filters.set(key, bits);
      }
      return bits;
    });
    if (maps.length === 1) {
      const only = maps[0]!;
      return (label) => only[label] === 1;
    }
    return (label) => maps.every((m) => m[label] === 1);
  }

  /** False once `close` ran. */
  get open(): boolean {
    return this.db.open;
  }

  /** Closes the database and the files still being read (the index cannot be used afterwards). */
  close(): void {
    this.bm25.close();
    this.vectorIndex?.close?.();
    this.db.close();
  }

  /**
   * Opens the index for `config`: loads it when its fingerprints match the corpus, the lexicon and the embedding
   * settings, otherwise brings it up to date first (incrementally when only the corpus changed).
   */
  static async open(config: CoreConfig, options: { rebuild?: boolean } & BuildOptions = {}): Promise<{ index: KnowledgeIndex; report?: IngestReport }> {
    const embeddings = createEmbeddings(config.embedding);
    if (!options.rebuild) {
      const loaded = KnowledgeIndex.tryLoad(config, embeddings);
      if (loaded) return { index: loaded };
    }
    // one build at a time: wait for another process's build, then use its result when it is current
    const lock = await BuildLock.acquire(config.indexDir);
    try {
      if (!options.rebuild && lock.waited) {
        const loaded = KnowledgeIndex.tryLoad(config, embeddings);
        if (loaded) return { index: loaded };
      }
      return await KnowledgeIndex.update(config, embeddings, { ...options, full: options.rebuild || options.full });
    } finally {
      lock.release();
    }
  }

  /** The corpus files' stamps and hashes as the last build recorded them (see `stampedFileHashes`), if any. */
  private static knownHashes(meta: Record<string, string>): KnownHashes | undefined {
    try {
      const s = meta.stamps ? (JSON.parse(meta.stamps) as { at: number; files: [string, [string, string]][] }) : undefined;
      return s && { at: s.at, files: new Map(s.files) };
    } catch {
      return undefined;
    }
  }

  private static fingerprints(config: CoreConfig, hashes: Map<string, string>) {
    const corpus = crypto.createHash('sha256');
    for (const [f, h] of hashes) corpus.update(f).update('\0').update(h);
    return {
      version: String(INDEX_VERSION),
      corpus: corpus.digest('hex'),
      lexicon: sha256(fs.readFileSync(path.join(config.dataDir, 'lexicon.yaml'))),
      embedding: embeddingFingerprint(config.embedding),
    };
  }

  /** The index when it is current, else undefined (the reason is logged). */
  private static tryLoad(config: CoreConfig, embeddings: Embeddings): KnowledgeIndex | undefined {
    if (isLegacyIndexDir(config.indexDir)) {
      log.warn({ dir: config.indexDir }, 'index folder in the former JSON format; rebuilding it as index.sqlite');
      return undefined;
    }
    if (!hasIndexDb(config.indexDir)) return undefined;
    let db: Database.Database | undefined;
    try {
      db = openIndexDb(config.indexDir);
      const meta = readMeta(db);
      const stamped = stampedFileHashes(config.corpusDir, KnowledgeIndex.knownHashes(meta));
      const now = KnowledgeIndex.fingerprints(config, new Map([...stamped].map(([f, [, h]]) => [f, h])));
      const changed = (Object.keys(now) as (keyof typeof now)[]).filter((k) => meta[k] !== now[k]);
      if (changed.length || meta.state !== 'complete') {
        log.info({ changed }, 'index out of date; updating');
        db.close();
        return undefined;
      }
      return new KnowledgeIndex(db, config.indexDir, embeddings, manifestOf(db, meta));
    } catch (err) {
      db?.close();
      if ((err as Error).name === 'IndexSchemaError') throw err;
      log.warn({ err: (err as Error).message.slice(0, 200) }, 'index files damaged; rebuilding');
      return undefined;
    }
  }

  /**
   * Brings the index up to date with the corpus (see `update`), under the build lock.
   * @throws Error when the embedding endpoint fails after its retries (documents indexed before stay indexed).
   */
  static async build(config: CoreConfig, embeddings: Embeddings = createEmbeddings(config.embedding), options: BuildOptions = {}): Promise<IngestReport> {
    const lock = await BuildLock.acquire(config.indexDir);
    try {
      const { index, report } = await KnowledgeIndex.update(config, embeddings, options);
      index.close();
      return report;
    } finally {
      lock.release();
    }
  }

  /**
   * Updates the index in place: removes the records of deleted and changed documents, reads, chunks and embeds
   * new and changed ones in batches (one transaction each), then writes the vector index. A change of the
   * ingestion rules (`INDEX_VERSION`), the lexicon or the embedding settings, a damaged file or `full` rebuilds
   * everything (the vector cache still saves re-embedding).
   */
  private static async update(config: CoreConfig, embeddings: Embeddings, options: BuildOptions): Promise<{ index: KnowledgeIndex; report: IngestReport }> {
    const t0 = performance.now();
    removeStaleTempDirs(config.indexDir);
    // derived files half-written by a killed build (the lock is held: no other build writes them now)
    if (fs.existsSync(config.indexDir)) for (const f of fs.readdirSync(config.indexDir)) if (/\.tmp-\d+(\.labels)?$/.test(f)) fs.rmSync(path.join(config.indexDir, f), { force: true });
    if (isLegacyIndexDir(config.indexDir)) removeLegacyFiles(config.indexDir);
    let db: Database.Database;
    try {
      db = openIndexDb(config.indexDir);
      db.prepare('SELECT count(*) FROM records').get();
    } catch (err) {
      if ((err as Error).name === 'IndexSchemaError' || (err as Error).name === 'StorageError') throw err;
      log.warn({ err: (err as Error).message.slice(0, 200) }, 'index database damaged; recreating it');
      for (const f of [INDEX_DB, `${INDEX_DB}-wal`, `${INDEX_DB}-shm`]) fs.rmSync(path.join(config.indexDir, f), { force: true });
      db = openIndexDb(config.indexDir);
    }
    const meta = readMeta(db);
    const stampedAt = Date.now();
    const stamped = stampedFileHashes(config.corpusDir, KnowledgeIndex.knownHashes(meta));
    const hashes = new Map([...stamped].map(([f, [, h]]) => [f, h]));
    const fp = KnowledgeIndex.fingerprints(config, hashes);
    const full = options.full || meta.version !== fp.version || meta.lexicon !== fp.lexicon || meta.embedding !== fp.embedding;
    // a build that did not finish leaves state 'building': its vector index is rebuilt from the stored vectors
    const vectorsValid = !full && meta.state === 'complete';
    writeMeta(db, { state: 'building' });
    const sparse = embeddings instanceof HashingEmbeddings;

    // remove what changed or disappeared
    const present = new Map((db.prepare('SELECT source, hash FROM documents').all() as { source: string; hash: string }[]).map((r) => [r.source, r.hash]));
    const gone = full ? [...present.keys()] : [...present].filter(([s, h]) => hashes.get(s) !== h).map(([s]) => s);
    const removedLabels: number[] = [];
    db.transaction(() => {
      const labelsOf = db.prepare('SELECT label FROM records WHERE source = ?').pluck();
      const delFts = db.prepare('DELETE FROM fts WHERE rowid = ?');
      const delDoc = db.prepare('DELETE FROM documents WHERE source = ?');
      for (const s of gone) {
        for (const l of labelsOf.all(s) as number[]) {
          delFts.run(l);
          removedLabels.push(l);
        }
        delDoc.run(s);
      }
      if (full) {
        db.exec("DELETE FROM fts; DELETE FROM records; DELETE FROM documents; DELETE FROM sqlite_sequence WHERE name = 'records'");
        db.prepare('DELETE FROM vectors WHERE space <> ?').run(fp.embedding);
      }
    })();

    // read, chunk, embed and write new and changed documents, a batch at a time
    const todo = [...hashes.keys()].filter((s) => full || !present.has(s) || present.get(s) !== hashes.get(s));
    const lexicon = Lexicon.load(config.dataDir);
    const problems: DocProblem[] = [];
    const added: { labels: number[]; keys: string[] } = { labels: [], keys: [] };
    let embedded = 0;
    let reused = 0;
    let indexed = 0;
    const writer = new RecordWriter(db, fp.embedding, sparse);
    // batches are read and prepared in worker threads (in order, a few ahead) while this thread writes SQLite
    const pool = PreparePool.start(
      { corpusDir: config.corpusDir, dataDir: config.dataDir, lexicon, ...(sparse ? { hashing: embeddings as HashingEmbeddings } : {}) },
      PreparePool.workersFor(todo.length, BATCH),
    );
    // the postings and the sparse vector index are built as records are written, the records kept first (their
    // labels are below the new ones), so that only their final scatter is left after the last batch
    const postings = postingsBuilder();
    const sparseIndex = sparse ? new SparseVectorBuilder((embeddings as HashingEmbeddings).dimensions) : undefined;
    try {
      const ahead: Promise<PreparedBatch>[] = [];
      const ask = (b: number) => {
        if (b < todo.length) ahead.push(pool.run(todo.slice(b, b + BATCH)));
      };
      for (let b = 0; b < Math.max(1, 2 * PreparePool.workersFor(todo.length, BATCH)) * BATCH; b += BATCH) ask(b);
      for (const [label, ...cols] of db.prepare('SELECT rowid, title, section, text FROM fts ORDER BY rowid').raw().iterate() as Iterable<[number, string, string, string]>) postings.add(label, cols);
      if (sparseIndex) {
        const kept = db.prepare('SELECT r.label, r.vector_key, v.vector FROM records r JOIN vectors v ON v.space = ? AND v.key = r.vector_key ORDER BY r.label').raw();
        for (const [label, key, buf] of kept.iterate(fp.embedding) as Iterable<[number, string, Buffer]>) sparseIndex.add(label, () => buf, key);
      }
      for (let b = 0; b < todo.length; b += BATCH) {
        const batch = await ahead.shift()!;
        ask(b + (ahead.length + 1) * BATCH);
        for (const p of batch.problems) log.warn(p, 'document skipped');
        problems.push(...batch.problems);
        const rows = batch.docs.flatMap((p) => p.rows);
        // one vector per distinct text the cache lacks (the hashed ones were computed while preparing)
        const missing = new Map<string, PreparedRow>();
        for (const r of rows) if (!missing.has(r.key) && !writer.hasVector(r.key)) missing.set(r.key, r);
        const toEmbed = [...missing.values()];
        const vectors: (number[] | Uint8Array)[] = sparse
          ? toEmbed.map((r) => r.vector!)
          : toEmbed.length
            ? await embeddings.embedDocuments(toEmbed.map((r) => r.embedText!))
            : [];
        embedded += toEmbed.length;
        reused += rows.length - toEmbed.length;
        db.transaction(() => {
          toEmbed.forEach((r, i) => writer.putVector(r.key, vectors[i]!));
          for (const p of batch.docs) {
            writer.putDocument(p.info, p.hash);
            for (const row of p.rows) {
              const label = writer.putRecord(row);
              added.labels.push(label);
              added.keys.push(row.key);
              postings.addCounted(label, row.counts);
              sparseIndex?.add(label, () => writer.vectorFor(row.key, () => row.vector!), row.key);
            }
          }
        })();
        indexed += batch.docs.length;
        options.onProgress?.({ phase: 'documents', done: Math.min(todo.length, b + BATCH), total: todo.length });
      }
    } finally {
      await pool.close();
    }
    // corpus order, and the problems of files that were not re-read this time (still unreadable) are kept
    db.transaction(() => {
      const setOrd = db.prepare('UPDATE documents SET ord = ? WHERE source = ?');
      [...hashes.keys()].forEach((s, i) => setOrd.run(i, s));
    })();
    const earlier = meta.problems ? (JSON.parse(meta.problems) as DocProblem[]) : [];
    for (const p of earlier) if (!todo.includes(p.source) && hashes.has(p.source) && !problems.some((q) => q.source === p.source)) problems.push(p);
    problems.sort((a, b) => a.source.localeCompare(b.source));
    db.prepare('DELETE FROM vectors WHERE space = ? AND key NOT IN (SELECT vector_key FROM records)').run(fp.embedding);

    const tmpFile = (f: string) => path.join(config.indexDir, `${f}.tmp-${process.pid}`);
    options.onProgress?.({ phase: 'postings', done: 0, total: 1 });
    postings.finish().save(tmpFile(POSTINGS_FILE));
    fs.renameSync(tmpFile(POSTINGS_FILE), path.join(config.indexDir, POSTINGS_FILE));

    // the vector index
    const dimensions = sparse ? (embeddings as HashingEmbeddings).dimensions : writer.dimensions ?? (Number(meta.dimensions) || 1);
    options.onProgress?.({ phase: 'vectors', done: 0, total: 1 });
    if (sparse) {
      for (const f of [HNSW_FILE, `${HNSW_FILE}.labels`]) fs.rmSync(path.join(config.indexDir, f), { force: true });
      sparseIndex!.finish().save(tmpFile(SPARSE_FILE));
      fs.renameSync(tmpFile(SPARSE_FILE), path.join(config.indexDir, SPARSE_FILE));
    } else {
      fs.rmSync(path.join(config.indexDir, SPARSE_FILE), { force: true });
      const file = path.join(config.indexDir, HNSW_FILE);
      let store: HnswStore | undefined;
      if (vectorsValid && fs.existsSync(file)) {
        try {
          store = HnswStore.load(file, dimensions);
          store.remove(removedLabels);
          const get = db.prepare('SELECT vector FROM vectors WHERE space = ? AND key = ?').pluck();
          store.add(added.labels, added.keys.map((k) => decodeVector(get.get(fp.embedding, k) as Buffer, dimensions, false)));
        } catch (err) {
          log.warn({ err: (err as Error).message }, 'HNSW file unreadable; rebuilding it from the stored vectors');
          store = undefined;
        }
      }
      store ??= buildVectorIndex(db, fp.embedding, dimensions, false) as HnswStore;
      store.save(tmpFile(HNSW_FILE));
      HnswStore.move(tmpFile(HNSW_FILE), file);
    }
    options.onProgress?.({ phase: 'vectors', done: 1, total: 1 });

    writeMeta(db, { ...fp, dimensions: String(dimensions), builtAt: new Date().toISOString(), problems: JSON.stringify(problems), stamps: JSON.stringify({ at: stampedAt, files: [...stamped] }), state: 'complete' });
    const final = readMeta(db);
    const index = new KnowledgeIndex(db, config.indexDir, embeddings, manifestOf(db, final));
    const counts = Object.fromEntries(db.prepare('SELECT type, count(*) AS n FROM records GROUP BY type').raw().all() as [string, number][]);
    const report: IngestReport = {
      documents: Object.keys(index.manifest.docs).length,
      chunks: counts.chunk ?? 0,
      measures: counts.measure ?? 0,
      embedded,
      reused,
      indexed,
      removed: gone.length,
      problems,
      ms: Math.round(performance.now() - t0),
    };
    return { index, report };
  }
}

/**
 * Builds the vector index of every live record from the stored vectors: exact sparse (`sparse`) or HNSW, added in
 * batches of 1,000.
 */
function buildVectorIndex(db: Database.Database, space: string, dimensions: number, sparse: boolean): SparseVectorIndex | HnswStore {
  const q = db.prepare('SELECT r.label, v.vector, r.vector_key FROM records r JOIN vectors v ON v.space = ? AND v.key = r.vector_key ORDER BY r.label').raw();
  const rows = () => q.iterate(space) as Iterable<[number, Buffer, string]>;
  if (sparse) return SparseVectorIndex.build(dimensions, rows());
  const count = db.prepare('SELECT count(*) FROM records').pluck().get() as number;
  const store = HnswStore.create(dimensions, undefined, count);
  let labels: number[] = [];
  let vecs: number[][] = [];
  for (const [label, buf] of rows()) {
    labels.push(label);
    vecs.push(decodeVector(buf, dimensions, false));
    if (labels.length >= 1000) {
      store.add(labels, vecs);
      labels = [];
      vecs = [];
    }
  }
  store.add(labels, vecs);
  return store;
}

/** The manifest of an opened database. */
function manifestOf(db: Database.Database, meta: Record<string, string>): Manifest {
  return {
    version: Number(meta.version),
    corpus: meta.corpus ?? '',
    lexicon: meta.lexicon ?? '',
    embedding: meta.embedding ?? '',
    dimensions: Number(meta.dimensions) || 1,
    builtAt: meta.builtAt ?? '',
    docs: Object.fromEntries(db.prepare('SELECT source, hash FROM documents ORDER BY ord').raw().all() as [string, string][]),
    problems: meta.problems ? (JSON.parse(meta.problems) as DocProblem[]) : [],
  };
}

/**
 * Prepared statements that write documents, records and vectors (inside the caller's transaction). The keys of the
 * stored vectors of the space are read once and kept, so asking whether a text's vector is cached costs no query.
 */
class RecordWriter {
  dimensions?: number;
  private readonly s: Record<string, Database.Statement>;
  /** Keys of the vectors stored in the space: true for those stored before this writer was made. */
  private readonly keys: Map<string, boolean>;

  constructor(
    db: Database.Database,
    private readonly space: string,
    private readonly sparse: boolean,
  ) {
    this.keys = new Map((db.prepare('SELECT key FROM vectors WHERE space = ?').pluck().all(space) as string[]).map((k) => [k, true]));
    this.s = {
      vector: db.prepare('SELECT vector FROM vectors WHERE space = ? AND key = ?').pluck(),
      putVector: db.prepare('INSERT OR REPLACE INTO vectors (space, key, vector) VALUES (?, ?, ?)'),
      doc: db.prepare('INSERT INTO documents (source, ord, hash, title, format, issuer, date, place, doc_number, text_length) VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?, ?)'),
      section: db.prepare('INSERT INTO sections (id, source, ord, parent_id, info) VALUES (?, ?, ?, ?, ?)'),
      record: db.prepare('INSERT INTO records (id, source, type, section_id, article, tokens, vector_key, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      tag: db.prepare('INSERT INTO record_tags (label, kind, value) VALUES (?, ?, ?)'),
      fts: db.prepare('INSERT INTO fts (rowid, title, section, text) VALUES (?, ?, ?, ?)'),
    };
  }

  /** True when a vector is stored under `key`. */
  hasVector(key: string): boolean {
    return this.keys.has(key);
  }

  /**
   * The vector to index for `key`: the one stored before this writer was made (a text embedded by an earlier build
   * keeps the vector cached for it), else `fresh` (the bytes of a vector stored by this writer, or to be).
   */
  vectorFor(key: string, fresh: () => Uint8Array): Uint8Array {
    return this.keys.get(key) ? (this.s.vector.get(this.space, key) as Buffer) : fresh();
  }

  /** Stores a vector: numbers (encoded here), or bytes already encoded by `encodeVector`. */
  putVector(key: string, v: number[] | Uint8Array): void {
    if (!this.keys.has(key)) this.keys.set(key, false);
    if (v instanceof Uint8Array) {
      this.s.putVector.run(this.space, key, Buffer.from(v.buffer, v.byteOffset, v.byteLength));
      return;
    }
    this.dimensions ??= v.length;
    this.s.putVector.run(this.space, key, encodeVector(v, this.sparse));
  }

  putDocument(d: DocumentInfo, hash: string): void {
    this.s.doc.run(d.source, hash, d.title, d.format, d.issuer ?? null, d.date ?? null, d.place ?? null, d.docNumber ?? null, d.textLength ?? null);
    d.sections.forEach((s, i) => this.s.section.run(s.id, d.source, i, s.parentId ?? null, JSON.stringify(s)));
  }

  /** Writes a record, its tags and its FTS5 row; returns its label. */
  putRecord(r: PreparedRow): number {
    const info = this.s.record.run(r.id, r.source, r.type, r.sectionId ?? null, r.article ?? null, r.tokens, r.key, r.json);
    const label = Number(info.lastInsertRowid);
    for (const p of r.places) this.s.tag.run(label, 'place', p);
    for (const d of r.domains) this.s.tag.run(label, 'domain', d);
    this.s.fts.run(label, ...r.fts);
    return label;
  }
}

/** Section path shown for a record: a measure's section followed by its title. */
export function displaySection(r: IndexRecord): string {
  return r.type === 'measure' && r.measureTitle ? [r.section, r.measureTitle].filter(Boolean).join(' > ') : r.section;
}

export { embeddingText } from './prepare.js';

function sha256(data: string | Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}
