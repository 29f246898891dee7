import fs from 'node:fs';

const MAGIC = 0x504f5331; // "POS1"

/**
 * The BM25 postings of the FTS5 table in one binary file, for query-time scoring without SQL: for each term
 * (sorted), the labels of the records holding it (ascending) and the column-weighted term frequency there;
 * for each label, the record's length in tokens. Derived from the FTS5 table at ingest (`build`), loaded with one
 * read (`load`). FTS5's `bm25()` costs a few µs per matching row, too slow for terms in tens of thousands of
 * records; a typed-array loop costs a few ns.
 *
 * Layout (little-endian): int32 [magic, terms, labelBound, postings, rows, termsJsonBytes], float64 totalTokens,
 * terms as a JSON array (padded to 4 bytes), uint32 offsets[terms + 1], int32 labels[postings],
 * float32 freqs[postings], float32 lengths[labelBound].
 */
export class Postings {
  private readonly termIds: Map<string, number>;

  private constructor(
    terms: string[],
    readonly offsets: Uint32Array,
    readonly labels: Int32Array,
    readonly freqs: Float32Array,
    readonly lengths: Float32Array,
    readonly rows: number,
    readonly totalTokens: number,
  ) {
    this.termIds = new Map(terms.map((t, i) => [t, i]));
    this.terms = terms;
  }

  readonly terms: string[];

  /** Number of labels the arrays cover (highest label + 1). */
  get labelBound(): number {
    return this.lengths.length;
  }

  /** The posting range of a term, or undefined when no record holds it. */
  range(term: string): { start: number; end: number } | undefined {
    const id = this.termIds.get(term);
    return id === undefined ? undefined : { start: this.offsets[id]!, end: this.offsets[id + 1]! };
  }

  /** The weighted frequency of the term range `r` in `label` (binary search; 0 when absent). */
  freqAt(r: { start: number; end: number }, label: number): number {
    let lo = r.start;
    let hi = r.end - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const l = this.labels[mid]!;
      if (l === label) return this.freqs[mid]!;
      if (l < label) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  /**
   * Builds postings from rows `(label, columns…)` of space-joined tokens, with a weight per column; `rows` is
   * called twice (count, then fill) and must give labels in ascending order.
   */
  static build(weights: number[], rows: () => Iterable<[number, ...string[]]>): Postings {
    const counts = new Map<string, number>();
    let bound = 0;
    let n = 0;
    let total = 0;
    for (const [label, ...cols] of rows()) {
      const seen = new Set<string>();
      for (const col of cols) for (const t of col.split(' ')) if (t) seen.add(t);
      for (const t of seen) counts.set(t, (counts.get(t) ?? 0) + 1);
      bound = Math.max(bound, label + 1);
      n++;
    }
    const terms = [...counts.keys()].sort();
    const ids = new Map(terms.map((t, i) => [t, i]));
    const offsets = new Uint32Array(terms.length + 1);
    terms.forEach((t, i) => (offsets[i + 1] = offsets[i]! + counts.get(t)!));
    const labels = new Int32Array(offsets[terms.length]!);
    const freqs = new Float32Array(labels.length);
    const lengths = new Float32Array(bound);
    const fill = offsets.slice(0, terms.length);
    for (const [label, ...cols] of rows()) {
      const f = new Map<string, number>();
      let length = 0;
      cols.forEach((col, c) => {
        for (const t of col.split(' ')) {
          if (!t) continue;
          length++;
          f.set(t, (f.get(t) ?? 0) + (weights[c] ?? 1));
        }
      });
      lengths[label] = length;
      total += length;
      for (const [t, v] of f) {
        const at = fill[ids.get(t)!]!++;
        labels[at] = label;
        freqs[at] = v;
      }
    }
    return new Postings(terms, offsets, labels, freqs, lengths, n, total);
  }

  /** Writes the file (see the class comment). */
  save(file: string): void {
    const json = Buffer.from(JSON.stringify(this.terms));
    const pad = (4 - (json.length % 4)) % 4;
    const header = new Int32Array([MAGIC, this.terms.length, this.labelBound, this.labels.length, this.rows, json.length]);
    const fd = fs.openSync(file, 'w');
    try {
      const parts: ArrayBufferView[] = [header, new Float64Array([this.totalTokens]), json, Buffer.alloc(pad), this.offsets, this.labels, this.freqs, this.lengths];
      for (const p of parts) fs.writeSync(fd, new Uint8Array(p.buffer, p.byteOffset, p.byteLength));
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Reads a file written by `save`. @throws Error when it is not such a file or is truncated. */
  static load(file: string): Postings {
    const buf = fs.readFileSync(file);
    if (buf.byteLength < 32) throw new Error(`${file} is truncated`);
    const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    const h = new Int32Array(ab, 0, 6);
    if (h[0] !== MAGIC) throw new Error(`${file} is not a postings file`);
    const [, nTerms, bound, nPost, rows, jsonBytes] = Array.from(h);
    const total = new Float64Array(ab, 24, 1)[0]!;
    let at = 32;
    if (ab.byteLength < at + jsonBytes! + (nTerms! + 1) * 4 + nPost! * 8 + bound! * 4) throw new Error(`${file} is truncated`);
    const terms = JSON.parse(Buffer.from(ab, at, jsonBytes!).toString('utf8')) as string[];
    at += jsonBytes! + ((4 - (jsonBytes! % 4)) % 4);
    const offsets = new Uint32Array(ab, at, nTerms! + 1);
    at += (nTerms! + 1) * 4;
    const labels = new Int32Array(ab, at, nPost!);
    at += nPost! * 4;
    const freqs = new Float32Array(ab, at, nPost!);
    at += nPost! * 4;
    if (ab.byteLength !== at + bound! * 4) throw new Error(`${file} is truncated`);
    const lengths = new Float32Array(ab, at, bound!);
    return new Postings(terms, offsets, labels, freqs, lengths, rows!, total);
  }
}
