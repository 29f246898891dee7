import crypto from 'node:crypto';
import fs from 'node:fs';
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
 * Approximate cosine search over dense vectors with hnswlib-node, addressed by record label. The graph holds each
 * distinct vector once (records with equal texts have equal vectors: copies of a paragraph would otherwise fill a
 * node's M neighbours and cut recall, see `DEFAULT_HNSW`); a hit stands for every live record holding that vector.
 * Records are added and removed incrementally (`add`; `remove` drops a record, and `markDelete`s the graph node
 * when no record holds its vector any more). Saved as hnswlib's own file plus `<file>.labels` (which records each
 * node stands for, JSON); a file without it (written before) has one node per record, its label.
 * Scores are cosine similarities (1 − distance).
 */
export class HnswStore implements VectorIndex {
  private index: hnswlib.HierarchicalNSW;
  /** Records per live graph node (ascending), the node of each record, and the node of each distinct vector. */
  private readonly labelsOf = new Map<number, number[]>();
  private readonly nodeOf = new Map<number, number>();
  private readonly nodeOfVector = new Map<string, number>();
  private readonly vectorOf = new Map<number, string>();
  private nextNode = 0;

  private constructor(
    readonly dimensions: number,
    readonly params: HnswParams,
    index: hnswlib.HierarchicalNSW,
  ) {
    this.index = index;
  }

  /** An empty index for `dimensions`-long vectors. */
  static create(dimensions: number, params: HnswParams = DEFAULT_HNSW, capacity = 1024): HnswStore {
    const index = new hnswlib.HierarchicalNSW('cosine', dimensions);
    index.initIndex(Math.max(16, capacity), params.M, params.efConstruction, 100);
    index.setEf(params.ef);
    return new HnswStore(dimensions, params, index);
  }

  /**
   * Reads an index written by `save`. For a file without its `.labels` part (written before distinct nodes),
   * each live node is one record, its label.
   * @throws Error when the file is missing or damaged.
   */
  static load(file: string, dimensions: number, params: HnswParams = DEFAULT_HNSW): HnswStore {
    const index = new hnswlib.HierarchicalNSW('cosine', dimensions);
    index.readIndexSync(file);
    index.setEf(params.ef);
    const s = new HnswStore(dimensions, params, index);
    const side = `${file}.labels`;
    if (fs.existsSync(side)) {
      const nodes = JSON.parse(fs.readFileSync(side, 'utf8')) as { next: number; nodes: [number, string, number[]][] };
      s.nextNode = nodes.next;
      for (const [node, key, labels] of nodes.nodes) s.put(node, key, labels);
    } else {
      // nodes marked deleted are listed too, but search never returns them
      for (const node of index.getIdsList()) {
        s.put(node, '', [node]);
        s.nextNode = Math.max(s.nextNode, node + 1);
      }
    }
    return s;
  }

  private put(node: number, key: string, labels: number[]): void {
    this.labelsOf.set(node, labels);
    for (const l of labels) this.nodeOf.set(l, node);
    if (key) {
      this.nodeOfVector.set(key, node);
      this.vectorOf.set(node, key);
    }
  }

  /** Number of live records. */
  get size(): number {
    return this.nodeOf.size;
  }

  /** Number of live graph nodes (distinct vectors). */
  get nodes(): number {
    return this.labelsOf.size;
  }

  /** Sets the search breadth. */
  setEf(ef: number): void {
    this.index.setEf(ef);
  }

  /** Adds (or replaces) the vectors of `labels`, growing the index as needed; a vector already held adds no node. */
  add(labels: number[], vectors: ArrayLike<number>[]): void {
    if (labels.length !== vectors.length) throw new Error('HnswStore.add: labels and vectors differ in length');
    this.remove(labels.filter((l) => this.nodeOf.has(l)));
    labels.forEach((label, i) => {
      const v = vectors[i]!;
      if (v.length !== this.dimensions) throw new Error(`HnswStore.add: vector of ${v.length} dimensions, index has ${this.dimensions}`);
      const f32 = Float32Array.from(v);
      const key = crypto.createHash('sha1').update(new Uint8Array(f32.buffer)).digest('base64');
      const node = this.nodeOfVector.get(key);
      if (node !== undefined) {
        const held = this.labelsOf.get(node)!;
        held.push(label);
        held.sort((x, y) => x - y);
        this.nodeOf.set(label, node);
        return;
      }
      if (this.index.getCurrentCount() >= this.index.getMaxElements()) this.index.resizeIndex(Math.max(this.index.getCurrentCount() + 1024, Math.ceil(this.index.getMaxElements() * 1.5)));
      const n = this.nextNode++;
      this.index.addPoint(Array.from(f32), n);
      this.put(n, key, [label]);
    });
  }

  /** Drops the records of `labels` (unknown ones are ignored); a node left without records is `markDelete`d. */
  remove(labels: number[]): void {
    for (const label of labels) {
      const node = this.nodeOf.get(label);
      if (node === undefined) continue;
      this.nodeOf.delete(label);
      const held = this.labelsOf.get(node)!.filter((l) => l !== label);
      if (held.length) {
        this.labelsOf.set(node, held);
        continue;
      }
      this.labelsOf.delete(node);
      const key = this.vectorOf.get(node);
      if (key !== undefined) this.nodeOfVector.delete(key);
      this.vectorOf.delete(node);
      this.index.markDelete(node);
    }
  }

  /** The stored vector of `label`. @throws Error for an unknown label. */
  vector(label: number): number[] {
    const node = this.nodeOf.get(label);
    if (node === undefined) throw new Error(`HnswStore.vector: no record ${label}`);
    return this.index.getPoint(node);
  }

  /** The best `k` records, best first (copies of one vector in label order); `allow` filters records. */
  search(query: number[], k: number, allow?: (label: number) => boolean): VectorHit[] {
    if (this.labelsOf.size === 0 || k <= 0) return [];
    const nodeAllowed = allow ? (node: number) => (this.labelsOf.get(node) ?? []).some(allow) : (node: number) => this.labelsOf.has(node);
    const res = this.index.searchKnn(query, Math.min(k, this.labelsOf.size), nodeAllowed);
    const out: VectorHit[] = [];
    res.neighbors.forEach((node, i) => {
      for (const label of this.labelsOf.get(node) ?? []) if (out.length < k && (!allow || allow(label))) out.push({ label, score: 1 - res.distances[i]! });
    });
    return out;
  }

  /** Writes hnswlib's index file and `<file>.labels`. */
  save(file: string): void {
    this.index.writeIndexSync(file);
    fs.writeFileSync(`${file}.labels`, JSON.stringify({ next: this.nextNode, nodes: [...this.labelsOf].map(([node, labels]) => [node, this.vectorOf.get(node) ?? '', labels]) }));
  }

  /** Moves a saved index (both files) to `to`, replacing what is there. */
  static move(from: string, to: string): void {
    fs.renameSync(`${from}.labels`, `${to}.labels`);
    fs.renameSync(from, to);
  }
}
