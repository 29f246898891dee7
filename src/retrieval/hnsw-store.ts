import hnswlib from 'hnswlib-node';
import type { VectorHit, VectorIndex } from './vector-index.js';

/** HNSW construction and search parameters (Malkov & Yashunin 2018; hnswlib's names). */
export interface HnswParams {
  /** Graph degree. */
  M: number;
  /** Candidate list size while building. */
  efConstruction: number;
  /** Candidate list size while searching (re-applied after every load: hnswlib does not save it). */
  ef: number;
}

/**
 * Defaults for a model's dense embeddings: M 32, efConstruction 200, ef 800, from the recall curves measured by
 * scripts/bench-hnsw-dense.ts (1024-dimension dense vectors, a fixed random projection of the hashed ones; truth is
 * exact search; table in docs/evaluation.md, Scale). At 100× (17,791 records) ef 400 already gives recall@10 0.991.
 * At 1000× (180,132 records, of which only 81,300 distinct texts) a graph holding every record reaches 0.918 at
 * ef 400 and 0.932 at ef 800; a graph holding each distinct vector once (copies expanded afterwards) reaches
 * 0.961 at ef 400 and 0.985 at ef 800 (0.993 at ef 1600), with M 16 close behind (0.983 at ef 800). Copies of a
 * paragraph crowd a node's M neighbours, which is why the second graph keeps its recall.
 */
export const DEFAULT_HNSW: HnswParams = { M: 32, efConstruction: 200, ef: 800 };

/**
 * Approximate cosine search over dense vectors with hnswlib-node, addressed by record label. Records are added
 * and removed incrementally (`add`, `remove` = hnswlib `markDelete`); the file is hnswlib's own binary format.
 * Scores are cosine similarities (1 − distance).
 */
export class HnswStore implements VectorIndex {
  private index: hnswlib.HierarchicalNSW;
  private live: number;

  private constructor(
    readonly dimensions: number,
    readonly params: HnswParams,
    index: hnswlib.HierarchicalNSW,
  ) {
    this.index = index;
    this.live = index.getCurrentCount();
  }

  /** An empty index for `dimensions`-long vectors. */
  static create(dimensions: number, params: HnswParams = DEFAULT_HNSW, capacity = 1024): HnswStore {
    const index = new hnswlib.HierarchicalNSW('cosine', dimensions);
    index.initIndex(Math.max(16, capacity), params.M, params.efConstruction, 100);
    index.setEf(params.ef);
    const s = new HnswStore(dimensions, params, index);
    s.live = 0;
    return s;
  }

  /**
   * Reads an index written by `save`; `live` is the number of vectors not marked deleted (hnswlib does not count them).
   * @throws Error when the file is missing or damaged.
   */
  static load(file: string, dimensions: number, live: number, params: HnswParams = DEFAULT_HNSW): HnswStore {
    const index = new hnswlib.HierarchicalNSW('cosine', dimensions);
    index.readIndexSync(file);
    index.setEf(params.ef);
    const s = new HnswStore(dimensions, params, index);
    s.live = live;
    return s;
  }

  get size(): number {
    return this.live;
  }

  /** Sets the search breadth. */
  setEf(ef: number): void {
    this.index.setEf(ef);
  }

  /** Adds (or replaces) the vectors of `labels`, growing the index as needed. */
  add(labels: number[], vectors: ArrayLike<number>[]): void {
    if (labels.length !== vectors.length) throw new Error('HnswStore.add: labels and vectors differ in length');
    const needed = this.index.getCurrentCount() + labels.length;
    if (needed > this.index.getMaxElements()) this.index.resizeIndex(Math.max(needed, Math.ceil(this.index.getMaxElements() * 1.5)));
    labels.forEach((label, i) => {
      const v = vectors[i]!;
      if (v.length !== this.dimensions) throw new Error(`HnswStore.add: vector of ${v.length} dimensions, index has ${this.dimensions}`);
      this.index.addPoint(Array.isArray(v) ? v : Array.from(v), label);
    });
    this.live += labels.length;
  }

  /** Marks the vectors of `labels` deleted (they are never returned again; their graph nodes stay). */
  remove(labels: number[]): void {
    for (const label of labels) {
      try {
        this.index.markDelete(label);
        this.live--;
      } catch {
        // not in the index (never added)
      }
    }
  }

  /** The stored vector of `label`. */
  vector(label: number): number[] {
    return this.index.getPoint(label);
  }

  search(query: number[], k: number, allow?: (label: number) => boolean): VectorHit[] {
    if (this.live === 0) return [];
    const res = this.index.searchKnn(query, Math.min(k, this.live), allow);
    return res.neighbors.map((label, i) => ({ label, score: 1 - res.distances[i]! }));
  }

  /** Writes hnswlib's index file. */
  save(file: string): void {
    this.index.writeIndexSync(file);
  }
}

