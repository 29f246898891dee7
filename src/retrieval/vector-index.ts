/** One vector-search hit: the record's label and the cosine similarity in [-1, 1]. */
export interface VectorHit {
  label: number;
  score: number;
}

/**
 * A nearest-neighbour index over record vectors, addressed by record label (the `records.label` of the index
 * database). Implemented exactly over sparse vectors (`SparseVectorIndex`, the offline hashed embedding) and
 * approximately by HNSW (`HnswStore`, dense embeddings from a model).
 */
export interface VectorIndex {
  /** Number of live vectors. */
  readonly size: number;
  /** The best `k` labels by cosine similarity to `query` (a unit vector), best first; `allow` filters labels. */
  search(query: number[], k: number, allow?: (label: number) => boolean): VectorHit[];
  /** Releases a file the index still reads from (called when the knowledge index is closed). */
  close?(): void;
}

/**
 * Encodes a vector for the `vectors` table: dense as float32 values; sparse (`sparse` true) as the float32
 * values of the non-zero entries followed by their uint16 positions (so a 1024-dimension hashed vector with
 * 200 non-zero entries takes 1.2 kB instead of 4 kB).
 */
export function encodeVector(v: ArrayLike<number>, sparse: boolean): Buffer {
  if (!sparse) return Buffer.from(Float32Array.from(v).buffer);
  const idx: number[] = [];
  for (let i = 0; i < v.length; i++) if (v[i] !== 0) idx.push(i);
  const buf = Buffer.alloc(idx.length * 6);
  idx.forEach((d, n) => {
    buf.writeFloatLE(v[d]!, n * 4);
    buf.writeUInt16LE(d, idx.length * 4 + n * 2);
  });
  return buf;
}

/** The non-zero entries of a sparse-encoded vector (see `encodeVector`). */
export function sparseEntries(buf: Buffer): { dims: Uint16Array; values: Float32Array } {
  const n = buf.byteLength / 6;
  const copy = Buffer.from(buf); // aligned copy
  return { values: new Float32Array(copy.buffer, copy.byteOffset, n), dims: new Uint16Array(copy.buffer, copy.byteOffset + n * 4, n) };
}

/** Decodes a vector of `dimensions` numbers stored by `encodeVector`. */
export function decodeVector(buf: Buffer, dimensions: number, sparse: boolean): number[] {
  if (!sparse) {
    const copy = Buffer.from(buf);
    return Array.from(new Float32Array(copy.buffer, copy.byteOffset, copy.byteLength / 4));
  }
  const out = new Array<number>(dimensions).fill(0);
  const { dims, values } = sparseEntries(buf);
  dims.forEach((d, n) => (out[d] = values[n]!));
  return out;
}
