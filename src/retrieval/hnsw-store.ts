import fs from 'node:fs';
import path from 'node:path';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { Document, type DocumentInterface } from '@langchain/core/documents';
import { VectorStore } from '@langchain/core/vectorstores';
import hnswlib from 'hnswlib-node';

/**
 * A LangChain `VectorStore` over `hnswlib-node` (cosine space), lighter than @langchain/community's
 * HNSWLib and without its traps (../shared/dependency-report.md §2): the search breadth `ef` is
 * re-applied after every create and load (hnswlib does not save it; its default of 10 loses recall),
 * scores are cosine **similarities** (1 - distance), and the filter is a predicate on the document.
 */
export class HnswStore extends VectorStore {
  declare FilterType: (doc: DocumentInterface) => boolean;

  private index: hnswlib.HierarchicalNSW | undefined;
  private docs: DocumentInterface[] = [];
  /** hnswlib search breadth; 100 gives recall 1.0 at top-10 on clustered data (dependency report). */
  readonly ef: number;

  constructor(
    embeddings: EmbeddingsInterface,
    readonly dimensions: number,
    ef = 100,
  ) {
    super(embeddings, {});
    this.ef = ef;
  }

  _vectorstoreType(): string {
    return 'hnswlib-node';
  }

  get size(): number {
    return this.docs.length;
  }

  /** Adds vectors (length `dimensions` each) with their documents; grows the index as needed. */
  async addVectors(vectors: number[][], documents: DocumentInterface[]): Promise<void> {
    if (vectors.length !== documents.length) throw new Error('addVectors: vectors and documents differ in length');
    for (const v of vectors) if (v.length !== this.dimensions) throw new Error(`addVectors: vector of ${v.length} dimensions, index has ${this.dimensions}`);
    const needed = this.docs.length + vectors.length;
    if (!this.index) {
      this.index = new hnswlib.HierarchicalNSW('cosine', this.dimensions);
      this.index.initIndex(Math.max(needed, 16), 16, 200);
    } else if (needed > this.index.getMaxElements()) {
      this.index.resizeIndex(needed * 2);
    }
    this.index.setEf(this.ef);
    vectors.forEach((v, i) => this.index!.addPoint(v, this.docs.length + i));
    // one by one: spreading 100k+ documents into push() overflows the call stack (issue 9)
    for (const d of documents) this.docs.push(d);
  }

  async addDocuments(documents: DocumentInterface[]): Promise<void> {
    await this.addVectors(await this.embeddings.embedDocuments(documents.map((d) => d.pageContent)), documents);
  }

  /** The stored vector of the document added at position `label` (0-based, in `addVectors` order). */
  vector(label: number): number[] {
    if (!this.index || label < 0 || label >= this.docs.length) throw new Error(`no vector at label ${label}`);
    return this.index.getPoint(label);
  }

  /** Nearest documents to `query` with cosine similarity in [-1, 1], best first. */
  async similaritySearchVectorWithScore(query: number[], k: number, filter?: this['FilterType']): Promise<[DocumentInterface, number][]> {
    if (!this.index || this.docs.length === 0) return [];
    const n = Math.min(k, this.docs.length);
    const res = this.index.searchKnn(query, n, filter ? (label: number) => filter(this.docs[label]!) : undefined);
    return res.neighbors.map((label, i) => [this.docs[label]!, 1 - res.distances[i]!] as [DocumentInterface, number]);
  }

  /** Writes `hnsw.index` and `hnsw.docs.json` into `dir`. */
  async save(dir: string): Promise<void> {
    fs.mkdirSync(dir, { recursive: true });
    if (this.index) await this.index.writeIndex(path.join(dir, 'hnsw.index'));
    fs.writeFileSync(path.join(dir, 'hnsw.docs.json'), JSON.stringify(this.docs.map((d) => ({ pageContent: d.pageContent, metadata: d.metadata }))));
  }

  /** Loads a store written by `save`. @throws Error when the files are missing or do not match. */
  static async load(dir: string, embeddings: EmbeddingsInterface, dimensions: number, ef = 100): Promise<HnswStore> {
    const store = new HnswStore(embeddings, dimensions, ef);
    const raw = JSON.parse(fs.readFileSync(path.join(dir, 'hnsw.docs.json'), 'utf8')) as { pageContent: string; metadata: Record<string, unknown> }[];
    store.docs = raw.map((d) => new Document(d));
    if (store.docs.length) {
      store.index = new hnswlib.HierarchicalNSW('cosine', dimensions);
      await store.index.readIndex(path.join(dir, 'hnsw.index'));
      if (store.index.getCurrentCount() !== store.docs.length) throw new Error(`hnsw index has ${store.index.getCurrentCount()} vectors for ${store.docs.length} documents`);
      store.index.setEf(ef);
    }
    return store;
  }
}
