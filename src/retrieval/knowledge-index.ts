import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Document } from '@langchain/core/documents';
import type { Embeddings } from '@langchain/core/embeddings';
import { z } from 'zod';
import type { DocumentInfo, IndexRecord, Measure, SectionInfo } from '../types.js';

export type { IndexRecord } from '../types.js';
import type { CoreConfig } from '../config.js';
import { chunkDocument } from '../ingest/chunk.js';
import { corpusFingerprint, readCorpus, type DocProblem, type SourceDoc } from '../ingest/corpus.js';
import { Lexicon } from '../ingest/lexicon.js';
import { extractMeasures } from '../ingest/measures.js';
import { allSections } from '../ingest/tree.js';
import { BuildLock, removeStaleTempDirs } from './build-lock.js';
import { log } from '../log.js';
import { Bm25Index } from './bm25.js';
import { createEmbeddings, embeddingFingerprint } from './embeddings.js';
import { HnswStore } from './hnsw-store.js';
import { tokenize } from './tokenize.js';

/**
 * Version of the ingestion rules (readers, chunking, measure extraction) and of the index files. Bump it
 * when they change so that persisted indexes are rebuilt. 7: document trees, `documents.json`.
 */
export const INDEX_VERSION = 7;

const ManifestSchema = z.object({
  version: z.number(),
  corpus: z.string(),
  lexicon: z.string(),
  embedding: z.string(),
  dimensions: z.number().int().positive(),
  builtAt: z.string(),
  docs: z.record(z.string(), z.string()),
  problems: z.array(z.object({ source: z.string(), reason: z.string() })),
});
/** Shape checked when `records.json` is loaded (a damaged file triggers a rebuild). */
const RecordsSchema = z.array(
  z.looseObject({ id: z.string(), type: z.enum(['chunk', 'measure']), source: z.string(), title: z.string(), section: z.string(), text: z.string(), places: z.array(z.string()), domains: z.array(z.string()), figures: z.array(z.string()) }),
);
const SectionSchema = z.looseObject({ id: z.string(), parentId: z.string().optional(), heading: z.string(), role: z.string(), path: z.array(z.string()), start: z.number(), end: z.number() });
/** Shape checked when `documents.json` is loaded. */
const DocumentsSchema = z.array(z.looseObject({ source: z.string(), title: z.string(), format: z.string(), sections: z.array(SectionSchema).min(1) }));

/** `manifest.json`: the fingerprints an index was built from, its dimensions, documents and skipped documents. */
export type Manifest = z.infer<typeof ManifestSchema>;

/** What an `ingest` did, for the CLI and the benchmark. */
export interface IngestReport {
  documents: number;
  chunks: number;
  measures: number;
  /** Texts sent to the embedding model (the rest came from the vector cache). */
  embedded: number;
  reused: number;
  problems: DocProblem[];
  ms: number;
}

/**
 * The persisted knowledge index: records (chunks + measures), their vectors in hnswlib, and a BM25
 * index rebuilt in memory on load (a few milliseconds for this corpus).
 *
 * Files in `indexDir`: `manifest.json` (fingerprints of corpus, lexicon, embedding space), `records.json`,
 * `documents.json` (every document with its section tree), `hnsw.index` + `hnsw.docs.json`, and `vectors-<embedding>.bin|.json`, a cache of vectors keyed by the
 * sha256 of the embedded text, so adding or removing one document embeds only that document's texts.
 */
export class KnowledgeIndex {
  readonly bm25: Bm25Index;
  private readonly byId: Map<string, number>;
  private readonly docsBySource: Map<string, DocumentInfo>;
  private readonly sectionsById = new Map<string, { section: SectionInfo; doc: DocumentInfo }>();
  private readonly childrenOf = new Map<string, SectionInfo[]>();
  private readonly recordsBySection = new Map<string, IndexRecord[]>();

  private constructor(
    readonly records: IndexRecord[],
    private readonly docs: DocumentInfo[],
    readonly store: HnswStore,
    readonly embeddings: Embeddings,
    readonly manifest: Manifest,
  ) {
    this.bm25 = new Bm25Index(records.map(recordTokens));
    this.byId = new Map(records.map((r, i) => [r.id, i]));
    this.docsBySource = new Map(docs.map((d) => [d.source, d]));
    for (const doc of docs) {
      for (const section of doc.sections) {
        this.sectionsById.set(section.id, { section, doc });
        if (section.parentId) {
          const list = this.childrenOf.get(section.parentId) ?? [];
          list.push(section);
          this.childrenOf.set(section.parentId, list);
        }
      }
    }
    for (const r of records) {
      if (!r.sectionId) continue;
      const list = this.recordsBySection.get(r.sectionId) ?? [];
      list.push(r);
      this.recordsBySection.set(r.sectionId, list);
    }
  }

  /** The embedding stored for a record (records and vectors share their order); no model call. */
  vector(id: string): number[] {
    const i = this.byId.get(id);
    if (i === undefined) throw new Error(`unknown record ${id}`);
    return this.store.vector(i);
  }

  record(id: string): IndexRecord | undefined {
    const i = this.byId.get(id);
    return i === undefined ? undefined : this.records[i];
  }

  /** The indexed documents with their section trees (corpus order; `sections[0]` is each root). */
  documents(): DocumentInfo[] {
    return this.docs;
  }

  /** One document by its file name, or undefined. */
  document(source: string): DocumentInfo | undefined {
    return this.docsBySource.get(source);
  }

  /** A section by its id (`<source-stem>#s<k>`), or undefined. */
  section(id: string): SectionInfo | undefined {
    return this.sectionsById.get(id)?.section;
  }

  /** The direct subsections of a section, in reading order (the six “关系” under their headline). */
  childSections(id: string): SectionInfo[] {
    return this.childrenOf.get(id) ?? [];
  }

  /**
   * The records whose innermost section is `id` (with `deep`, also those of its subsections), in
   * reading order: chunks by offset, then measures. `type` keeps only chunks or only measures.
   */
  recordsInSection(id: string, options: { deep?: boolean; type?: IndexRecord['type'] } = {}): IndexRecord[] {
    const ids = [id];
    if (options.deep) for (let k = 0; k < ids.length; k++) ids.push(...this.childSections(ids[k]!).map((c) => c.id));
    const out = ids.flatMap((s) => this.recordsBySection.get(s) ?? []).filter((r) => !options.type || r.type === options.type);
    const order = (r: IndexRecord) => (r.type === 'chunk' ? 0 : 1);
    return out.sort((a, b) => order(a) - order(b) || (a.start ?? 0) - (b.start ?? 0) || (this.byId.get(a.id) ?? 0) - (this.byId.get(b.id) ?? 0));
  }

  /** The measures as the `Measure` shape of the public API. */
  measures(): Measure[] {
    return this.records
      .filter((r) => r.type === 'measure')
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
   * Opens the index for `config`: loads it from disk when its fingerprints match the corpus, the
   * lexicon and the embedding settings, otherwise (re)builds it first.
   */
  static async open(config: CoreConfig, options: { rebuild?: boolean } = {}): Promise<{ index: KnowledgeIndex; report?: IngestReport }> {
    const embeddings = createEmbeddings(config.embedding);
    if (!options.rebuild) {
      const loaded = await KnowledgeIndex.tryLoad(config, embeddings);
      if (loaded) return { index: loaded };
    }
    // one build at a time: wait for another process's build, then use its result when it is current
    const lock = await BuildLock.acquire(config.indexDir);
    try {
      if (!options.rebuild && lock.waited) {
        const loaded = await KnowledgeIndex.tryLoad(config, embeddings);
        if (loaded) return { index: loaded };
      }
      return await KnowledgeIndex.create(config, embeddings);
    } finally {
      lock.release();
    }
  }

  private static fingerprints(config: CoreConfig) {
    return {
      version: INDEX_VERSION,
      corpus: corpusFingerprint(config.corpusDir),
      lexicon: sha256(fs.readFileSync(path.join(config.dataDir, 'lexicon.yaml'))),
      embedding: embeddingFingerprint(config.embedding),
    };
  }

  private static async tryLoad(config: CoreConfig, embeddings: Embeddings): Promise<KnowledgeIndex | undefined> {
    const file = path.join(config.indexDir, 'manifest.json');
    if (!fs.existsSync(file)) return undefined;
    let m: Manifest;
    try {
      m = ManifestSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
    } catch {
      log.warn({ file }, 'index manifest unreadable; rebuilding');
      return undefined;
    }
    const now = KnowledgeIndex.fingerprints(config);
    if (m.version !== now.version || m.corpus !== now.corpus || m.lexicon !== now.lexicon || m.embedding !== now.embedding) {
      log.info({ changed: Object.keys(now).filter((k) => (m as Record<string, unknown>)[k] !== (now as Record<string, unknown>)[k]) }, 'index out of date; rebuilding');
      return undefined;
    }
    try {
      const records = RecordsSchema.parse(JSON.parse(fs.readFileSync(path.join(config.indexDir, 'records.json'), 'utf8'))) as IndexRecord[];
      const docs = DocumentsSchema.parse(JSON.parse(fs.readFileSync(path.join(config.indexDir, 'documents.json'), 'utf8'))) as unknown as DocumentInfo[];
      const store = await HnswStore.load(config.indexDir, embeddings, m.dimensions);
      if (store.size !== records.length) throw new Error(`${store.size} vectors for ${records.length} records`);
      return new KnowledgeIndex(records, docs, store, embeddings, m);
    } catch (err) {
      log.warn({ err: (err as Error).message.slice(0, 200) }, 'index files damaged; rebuilding');
      return undefined;
    }
  }

  /**
   * Reads the corpus, chunks it, extracts measures, embeds what the vector cache lacks and writes the
   * index. A malformed document is skipped and reported; the others are indexed.
   * @throws Error when the embedding endpoint fails after its retries (nothing is written then).
   */
  static async build(config: CoreConfig, embeddings: Embeddings = createEmbeddings(config.embedding)): Promise<IngestReport> {
    const lock = await BuildLock.acquire(config.indexDir);
    try {
      return (await KnowledgeIndex.create(config, embeddings)).report;
    } finally {
      lock.release();
    }
  }

  /** Builds and writes the index (see `build`) and returns it in memory with its report, without reading it back. */
  private static async create(config: CoreConfig, embeddings: Embeddings): Promise<{ index: KnowledgeIndex; report: IngestReport }> {
    const t0 = performance.now();
    const lexicon = Lexicon.load(config.dataDir);
    const { docs, problems } = await readCorpus(config.corpusDir);
    for (const p of problems) log.warn(p, 'document skipped');
    const records: IndexRecord[] = [];
    const documents: DocumentInfo[] = [];
    for (const doc of docs) {
      const placesOf = lexicon.placeResolver(doc.meta.place);
      const withLineage = (places: string[]) => [...new Set(places.flatMap((p) => lexicon.lineage(p)))];
      const chunks = chunkDocument(doc).map((c): IndexRecord => {
        const own = placesOf(c.section, c.text);
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
          ...(c.article ? { article: c.article } : {}),
          ...(c.table ? { table: c.table } : {}),
          ...(c.items ? { items: c.items } : {}),
        };
      });
      records.push(...chunks);
      for (const m of extractMeasures(doc, lexicon)) {
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
          places: withLineage(m.places),
          domains: m.domains,
          figures: m.figures,
        });
      }
      documents.push(documentInfo(doc, chunks));
    }

    const fp = embeddingFingerprint(config.embedding);
    const cache = VectorCache.open(config.indexDir, fp);
    const texts = records.map(embeddingText);
    const keys = texts.map((t) => sha256(t));
    // one request per distinct text the cache lacks (identical texts share a vector)
    const toEmbed = new Map<string, string>();
    keys.forEach((k, i) => {
      if (!cache.has(k) && !toEmbed.has(k)) toEmbed.set(k, texts[i]!);
    });
    if (toEmbed.size) {
      const vectors = await embeddings.embedDocuments([...toEmbed.values()]);
      [...toEmbed.keys()].forEach((k, n) => cache.set(k, vectors[n]!));
    }
    const vectors = keys.map((k) => cache.get(k)!);
    const dimensions = vectors[0]?.length ?? config.embedding.dimensions ?? 1;
    const store = new HnswStore(embeddings, dimensions);
    await store.addVectors(vectors, records.map((r) => new Document({ pageContent: '', metadata: { id: r.id } })));

    // write to a fresh folder, then swap, so a crash never leaves a half-written index
    removeStaleTempDirs(config.indexDir);
    const tmp = `${config.indexDir}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    await store.save(tmp);
    fs.writeFileSync(path.join(tmp, 'records.json'), JSON.stringify(records));
    fs.writeFileSync(path.join(tmp, 'documents.json'), JSON.stringify(documents));
    cache.retain(new Set(keys));
    cache.save(tmp);
    const manifest: Manifest = {
      ...KnowledgeIndex.fingerprints(config),
      dimensions,
      builtAt: new Date().toISOString(),
      docs: Object.fromEntries(docs.map((d) => [d.source, d.hash])),
      problems,
    };
    fs.writeFileSync(path.join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2));
    const old = `${config.indexDir}.old-${process.pid}`;
    fs.rmSync(old, { recursive: true, force: true });
    if (fs.existsSync(config.indexDir)) fs.renameSync(config.indexDir, old);
    fs.mkdirSync(path.dirname(config.indexDir), { recursive: true });
    fs.renameSync(tmp, config.indexDir);
    fs.rmSync(old, { recursive: true, force: true });

    const report: IngestReport = {
      documents: docs.length,
      chunks: records.filter((r) => r.type === 'chunk').length,
      measures: records.filter((r) => r.type === 'measure').length,
      embedded: toEmbed.size,
      reused: keys.filter((k) => !toEmbed.has(k)).length,
      problems,
      ms: Math.round(performance.now() - t0),
    };
    return { index: new KnowledgeIndex(records, documents, store, embeddings, manifest), report };
  }
}

/**
 * The persisted form of a document: metadata, issuer, date (the document's own 落款 date, else its
 * metadata date), place (metadata, else the place most chunks name first) and the flattened section tree.
 */
function documentInfo(doc: SourceDoc, chunks: IndexRecord[]): DocumentInfo {
  const counts = new Map<string, number>();
  for (const c of chunks) if (c.places[0]) counts.set(c.places[0], (counts.get(c.places[0]) ?? 0) + 1);
  const place = doc.meta.place ?? [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
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

/** Section path shown for a record: a measure's section followed by its title. */
export function displaySection(r: IndexRecord): string {
  return r.type === 'measure' && r.measureTitle ? [r.section, r.measureTitle].filter(Boolean).join(' > ') : r.section;
}

/** Text indexed for a record: its section path (or measure title) and its text. */
export function embeddingText(r: IndexRecord): string {
  return r.type === 'measure' ? `${r.measureTitle ?? ''}\n${r.text}` : `${r.section}\n${r.text}`;
}

function recordTokens(r: IndexRecord): string[] {
  return tokenize(embeddingText(r));
}

function sha256(data: string | Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** Vectors keyed by text hash for one embedding space, stored as float32 `.bin` + keys `.json`. */
class VectorCache {
  private readonly map = new Map<string, number[]>();

  private constructor(private readonly fp: string) {}

  static open(dir: string, fp: string): VectorCache {
    const c = new VectorCache(fp);
    const keysFile = path.join(dir, `vectors-${fp}.json`);
    const binFile = path.join(dir, `vectors-${fp}.bin`);
    if (fs.existsSync(keysFile) && fs.existsSync(binFile)) {
      try {
        const { dims, keys } = JSON.parse(fs.readFileSync(keysFile, 'utf8')) as { dims: number; keys: string[] };
        const buf = fs.readFileSync(binFile);
        const all = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
        if (all.length === dims * keys.length) keys.forEach((k, i) => c.map.set(k, Array.from(all.subarray(i * dims, (i + 1) * dims))));
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'vector cache unreadable; re-embedding');
      }
    }
    return c;
  }

  has(k: string): boolean {
    return this.map.has(k);
  }

  get(k: string): number[] | undefined {
    return this.map.get(k);
  }

  set(k: string, v: number[]): void {
    this.map.set(k, v);
  }

  /** Drops vectors of texts no longer in the corpus. */
  retain(keys: Set<string>): void {
    for (const k of this.map.keys()) if (!keys.has(k)) this.map.delete(k);
  }

  save(dir: string): void {
    const keys = [...this.map.keys()];
    const dims = keys.length ? this.map.get(keys[0]!)!.length : 0;
    const all = new Float32Array(dims * keys.length);
    keys.forEach((k, i) => all.set(this.map.get(k)!, i * dims));
    fs.writeFileSync(path.join(dir, `vectors-${this.fp}.bin`), Buffer.from(all.buffer));
    fs.writeFileSync(path.join(dir, `vectors-${this.fp}.json`), JSON.stringify({ dims, keys }));
  }
}
