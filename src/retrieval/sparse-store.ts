import { BinaryFileReader, LazyRanges, writeBinary } from './binary-file.js';
import { MinHeap } from './full-text.js';
import { sparseEntries, type VectorHit, type VectorIndex } from './vector-index.js';

const MAGIC = 0x53505632; // "SPV2" (SPV1, one entry list per record, is rebuilt from the stored vectors on open)

/**
 * Exact cosine search over sparse unit vectors (the offline hashed embedding: about 200 of 1024 entries are
 * non-zero) through an inverted index by dimension: a query's score for every distinct vector is the sum, over the
 * query's non-zero dimensions, of the query value times the vector values listed under that dimension; a record's
 * score is its vector's. Records with the same text share one vector (at 1000× the reports, 181k records hold 81k
 * distinct texts), so a query touches under half the entries it would per record. Recall is 1 by construction —
 * graph search (HNSW) reaches only 0.62–0.75 recall@10 on these flat similarity distributions at that size (issue 9).
 *
 * Persisted as one little-endian file: int32 header [magic, dimensions, label bound, entries, records, vectors],
 * uint32 offsets[dimensions + 1], int32 vector ids[entries], float32 values[entries], int32 vector of each
 * label[label bound] (−1: no record). `load` reads the header, the offsets and the label map; a dimension's entries
 * are read when a query first uses it (a cold query reads about a fifth of the file), into arrays allocated whole,
 * so that searching is the same loop either way.
 */
export class SparseVectorIndex implements VectorIndex {
  /** The arrays of the file layout above (made by `SparseVectorBuilder.finish` and `load`). */
  constructor(
    readonly dimensions: number,
    private readonly offsets: Uint32Array,
    private readonly vectorIds: Int32Array,
    private readonly values: Float32Array,
    private readonly vectorOf: Int32Array,
    private readonly vectorCount: number,
    readonly size: number,
    /** The file the entries are still being read from, by dimension (absent when built in memory). */
    private readonly lazy?: LazyRanges,
  ) {}

  /**
   * Builds the index from `(label, sparse-encoded vector, key?)` rows in ascending label order (see
   * `SparseVectorBuilder`; rows with the same key share one vector).
   */
  static build(dimensions: number, rows: Iterable<[number, Uint8Array] | [number, Uint8Array, string]>): SparseVectorIndex {
    const builder = new SparseVectorBuilder(dimensions);
    for (const [label, buf, key] of rows) builder.add(label, () => buf, key);
    return builder.finish();
  }

  /** Writes the index file (see the class comment). */
  save(file: string): void {
    const header = new Int32Array([MAGIC, this.dimensions, this.vectorOf.length, this.vectorIds.length, this.size, this.vectorCount]);
    writeBinary(file, [header, this.offsets, this.vectorIds, this.values, this.vectorOf]);
  }

  /**
   * Opens a file written by `save`: reads its header, offsets and label map now, each dimension's entries on first use.
   * @throws Error when it is not such a file (another format version included) or is truncated.
   */
  static load(file: string): SparseVectorIndex {
    const reader = new BinaryFileReader(file, 24, MAGIC, 'a sparse vector index');
    try {
      const [, dims, bound, total, size, count] = reader.header as unknown as number[];
      const at = 24 + (dims! + 1) * 4;
      const mapAt = at + total! * 8;
      if (reader.size !== mapAt + bound! * 4) throw new Error(`${file} is truncated`);
      const offsets = new Uint32Array(dims! + 1);
      reader.fill(offsets, 24);
      if (offsets[dims!] !== total) throw new Error(`${file} is damaged`);
      const vectorOf = new Int32Array(bound!);
      reader.fill(vectorOf, mapAt);
      const ids = new Int32Array(total!);
      const values = new Float32Array(total!);
      const lazy = new LazyRanges(reader, offsets, [
        { target: ids, at },
        { target: values, at: at + total! * 4 },
      ]);
      return new SparseVectorIndex(dims!, offsets, ids, values, vectorOf, count!, size!, lazy);
    } catch (err) {
      reader.close();
      throw err;
    }
  }

  /** Releases the file. Once every dimension was read this changes nothing; else a later search of an unread one throws. */
  close(): void {
    this.lazy?.close();
  }

  private scores?: Float32Array;

  search(query: number[], k: number, allow?: (label: number) => boolean): VectorHit[] {
    // one buffer kept between queries; a branch-free accumulation loop per distinct vector, then one pass over the
    // labels for the top k (in label order, so ties fall as they would per record)
    const scores = (this.scores ??= new Float32Array(this.vectorCount));
    scores.fill(0);
    const { offsets, vectorIds, values, vectorOf } = this;
    for (let d = 0; d < this.dimensions && d < query.length; d++) {
      const q = query[d]!;
      if (q === 0) continue;
      this.lazy?.need(d);
      for (let p = offsets[d]!, end = offsets[d + 1]!; p < end; p++) scores[vectorIds[p]!]! += q * values[p]!;
    }
    // a record sharing no dimension with the query (score 0) is not a neighbour
    const heap = new MinHeap(k);
    for (let l = 0; l < vectorOf.length; l++) {
      const v = vectorOf[l]!;
      if (v < 0) continue;
      const s = scores[v]!;
      if (s === 0 || (heap.size >= k && s < heap.min())) continue;
      if (allow && !allow(l)) continue;
      heap.offer(s, l);
    }
    return heap.sorted().map(([score, label]) => ({ label, score }));
  }
}

/**
 * Builds a `SparseVectorIndex` from vectors given one at a time, in ascending label order, so that a build can add
 * each record as it writes it and pay only the final scatter at the end. Vectors added under the same `key` (the
 * vector cache key: many records share a text) are decoded, held and indexed once.
 */
export class SparseVectorBuilder {
  private readonly counts: Uint32Array;
  private readonly vectorOf: number[] = [];
  private readonly vectors: { dims: Uint16Array; values: Float32Array }[] = [];
  private readonly byKey = new Map<string, number>();
  private size = 0;

  constructor(readonly dimensions: number) {
    this.counts = new Uint32Array(dimensions + 1);
  }

  /**
   * Adds the vector of `label` (above every label added before): `bytes()` gives it as `encodeVector(…, true)` encodes
   * it, and is called only when no vector was added under `key` before.
   * @throws Error for a label out of order.
   */
  add(label: number, bytes: () => Uint8Array, key?: string): void {
    if (label < this.vectorOf.length) throw new Error(`sparse vectors: label ${label} added after ${this.vectorOf.length - 1}`);
    let id = key === undefined ? undefined : this.byKey.get(key);
    if (id === undefined) {
      const v = sparseEntries(bytes());
      id = this.vectors.length;
      this.vectors.push(v);
      if (key !== undefined) this.byKey.set(key, id);
      for (const d of v.dims) this.counts[d + 1]!++;
    }
    while (this.vectorOf.length < label) this.vectorOf.push(-1);
    this.vectorOf.push(id);
    this.size++;
  }

  /** The index of the vectors added: per dimension, the vectors holding it (ascending) and their values. */
  finish(): SparseVectorIndex {
    const { dimensions } = this;
    const offsets = this.counts.slice();
    for (let d = 0; d < dimensions; d++) offsets[d + 1]! += offsets[d]!;
    const total = offsets[dimensions]!;
    const ids = new Int32Array(total);
    const values = new Float32Array(total);
    const fill = offsets.slice(0, dimensions);
    for (let id = 0; id < this.vectors.length; id++) {
      const { dims, values: vs } = this.vectors[id]!;
      for (let n = 0; n < dims.length; n++) {
        const at = fill[dims[n]!]!++;
        ids[at] = id;
        values[at] = vs[n]!;
      }
    }
    return new SparseVectorIndex(dimensions, offsets, ids, values, Int32Array.from(this.vectorOf), this.vectors.length, this.size);
  }
}
