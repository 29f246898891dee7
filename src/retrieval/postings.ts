import { BinaryFileReader, LazyRanges, writeBinary } from './binary-file.js';

const MAGIC = 0x504f5332; // "POS2" (POS1 had no term bounds)

/**
 * The BM25 postings of the FTS5 table in one binary file, for query-time scoring without SQL: for each term
 * (sorted), the labels of the records holding it (ascending) and the column-weighted term frequency there;
 * for each label, the record's length in tokens. Derived from the FTS5 table at ingest (`PostingsBuilder`), loaded with one
 * read (`load`). FTS5's `bm25()` costs a few µs per matching row, too slow for terms in tens of thousands of
 * records; a typed-array loop costs a few ns.
 *
 * With each term is kept an upper bound of its saturation `s(f, length)` over its postings (the scorer's term
 * frequency part, e.g. BM25's f / (f + k1·(1 − b + b·length/avgdl)), given to the builder), so that top-k pruning can
 * use the bound the term actually reaches rather than the one any term could.
 *
 * Layout (little-endian): int32 [magic, terms, labelBound, postings, rows, termsJsonBytes], float64 totalTokens,
 * terms as a JSON array (padded to 4 bytes), uint32 offsets[terms + 1], int32 labels[postings],
 * float32 freqs[postings], float32 lengths[labelBound], float32 bounds[terms]. `load` reads all but the labels and
 * freqs, whose range for a term is read when `range` first gives it (a query reads a few lists, not the whole file).
 */
export class Postings {
  private readonly termIds: Map<string, number>;

  /** The arrays of the layout above (made by `PostingsBuilder.finish` and `load`). */
  constructor(
    terms: string[],
    readonly offsets: Uint32Array,
    readonly labels: Int32Array,
    readonly freqs: Float32Array,
    readonly lengths: Float32Array,
    readonly rows: number,
    readonly totalTokens: number,
    private readonly bounds: Float32Array,
    /** The file the labels and freqs are still being read from, by term (absent when built in memory). */
    private readonly lazy?: LazyRanges,
  ) {
    this.termIds = new Map(terms.map((t, i) => [t, i]));
    this.terms = terms;
  }

  readonly terms: string[];

  /** Number of labels the arrays cover (highest label + 1). */
  get labelBound(): number {
    return this.lengths.length;
  }

  /**
   * The posting range of a term and the largest saturation it reaches (see the class comment; rounded up to
   * float32), or undefined when no record holds it.
   */
  range(term: string): { start: number; end: number; bound: number } | undefined {
    const id = this.termIds.get(term);
    if (id === undefined) return undefined;
    const start = this.offsets[id]!;
    const end = this.offsets[id + 1]!;
    this.lazy?.need(id);
    return { start, end, bound: this.bounds[id]! };
  }

  /** Number of records holding `term` (the length of its list, known without reading it); 0 for an unknown term. */
  docFreq(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : this.offsets[id + 1]! - this.offsets[id]!;
  }

  /** Releases the file. Once every list was read this changes nothing; else a later `range` of an unread term throws. */
  close(): void {
    this.lazy?.close();
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
   * Builds postings from rows `(label, columns…)` of space-joined tokens, with a weight per column, labels in
   * ascending order (see `PostingsBuilder`).
   */
  static build(weights: number[], rows: Iterable<[number, ...string[]]>, saturation: (f: number, length: number, avgLength: number) => number): Postings {
    const builder = new PostingsBuilder(weights, saturation);
    for (const [label, ...cols] of rows) builder.add(label, cols);
    return builder.finish();
  }

  /** Writes the file (see the class comment). */
  save(file: string): void {
    const json = Buffer.from(JSON.stringify(this.terms));
    const pad = (4 - (json.length % 4)) % 4;
    const header = new Int32Array([MAGIC, this.terms.length, this.labelBound, this.labels.length, this.rows, json.length]);
    writeBinary(file, [header, new Float64Array([this.totalTokens]), json, Buffer.alloc(pad), this.offsets, this.labels, this.freqs, this.lengths, this.bounds]);
  }

  /**
   * Opens a file written by `save`: reads the terms, offsets, lengths and bounds now, each term's postings on
   * first use (see `range`).
   * @throws Error when it is not such a file or is truncated.
   */
  static load(file: string): Postings {
    const reader = new BinaryFileReader(file, 32, MAGIC, 'a postings file');
    try {
      const [, nTerms, bound, nPost, rows, jsonBytes] = Array.from(reader.header);
      const total = new Float64Array(1);
      reader.fill(total, 24);
      let at = 32;
      const labelsAt = at + jsonBytes! + ((4 - (jsonBytes! % 4)) % 4) + (nTerms! + 1) * 4;
      const freqsAt = labelsAt + nPost! * 4;
      const lengthsAt = freqsAt + nPost! * 4;
      if (reader.size !== lengthsAt + bound! * 4 + nTerms! * 4) throw new Error(`${file} is truncated`);
      const json = Buffer.alloc(jsonBytes!);
      reader.fill(json, at);
      const terms = JSON.parse(json.toString('utf8')) as string[];
      at += jsonBytes! + ((4 - (jsonBytes! % 4)) % 4);
      const offsets = new Uint32Array(nTerms! + 1);
      reader.fill(offsets, at);
      if (offsets[nTerms!] !== nPost) throw new Error(`${file} is damaged`);
      const lengths = new Float32Array(bound!);
      reader.fill(lengths, lengthsAt);
      const bounds = new Float32Array(nTerms!);
      reader.fill(bounds, lengthsAt + bound! * 4);
      const labels = new Int32Array(nPost!);
      const freqs = new Float32Array(nPost!);
      const lazy = new LazyRanges(reader, offsets, [
        { target: labels, at: labelsAt },
        { target: freqs, at: freqsAt },
      ]);
      return new Postings(terms, offsets, labels, freqs, lengths, rows!, total[0]!, bounds, lazy);
    } catch (err) {
      reader.close();
      throw err;
    }
  }
}

/**
 * Builds `Postings` from rows given one at a time, so that a build can add each record as it is written and pay only
 * the final scatter at the end. `add` interns each row's distinct terms to ids and keeps (term id, weighted
 * frequency) pairs in growing typed arrays; `finish` sorts the terms and scatters the pairs into per-term lists.
 */
export class PostingsBuilder {
  private readonly ids = new Map<string, number>();
  private readonly df: number[] = [];
  private rowTerms = new Int32Array(1 << 16);
  private rowFreqs = new Float32Array(1 << 16);
  private used = 0;
  private readonly rowLabels: number[] = [];
  private readonly rowEnds: number[] = [];
  private readonly lengthOf: number[] = [];
  private bound = 0;
  private total = 0;

  /**
   * @param weights one weight per column (1 when missing)
   * @param saturation the scorer's term-frequency part f / (f + k1·(1 − b + b·length/avgLength)) or another
   *   increasing in f, whose largest value per term is kept as the term's bound
   */
  constructor(
    private readonly weights: number[],
    private readonly saturation: (f: number, length: number, avgLength: number) => number,
  ) {}

  /** Adds one row: its label (above every label added before) and its columns of space-joined tokens. @throws Error for a label out of order. */
  add(label: number, cols: readonly string[]): void {
    this.addCounted(label, countTerms(this.weights, cols));
  }

  /**
   * Adds one row whose terms were counted already (`countTerms` with this builder's weights, e.g. in the thread that
   * tokenized it). @throws Error for a label out of order.
   */
  addCounted(label: number, row: CountedRow): void {
    if (label < this.bound) throw new Error(`postings: label ${label} added after ${this.bound - 1}`);
    const { ids, df } = this;
    const terms = row.terms ? row.terms.split(' ') : [];
    if (this.used + terms.length > this.rowTerms.length) {
      const size = Math.max(this.rowTerms.length * 2, this.used + terms.length);
      const terms2 = new Int32Array(size);
      terms2.set(this.rowTerms.subarray(0, this.used));
      const freqs2 = new Float32Array(size);
      freqs2.set(this.rowFreqs.subarray(0, this.used));
      this.rowTerms = terms2;
      this.rowFreqs = freqs2;
    }
    for (let k = 0; k < terms.length; k++) {
      const t = terms[k]!;
      let id = ids.get(t);
      if (id === undefined) {
        ids.set(t, (id = df.length));
        df.push(0);
      }
      df[id]!++;
      this.rowTerms[this.used] = id;
      this.rowFreqs[this.used++] = row.freqs[k]!;
    }
    this.rowLabels.push(label);
    this.rowEnds.push(this.used);
    this.lengthOf.push(row.length);
    this.total += row.length;
    this.bound = label + 1;
  }

  /** The postings of the rows added (terms sorted, each term's postings in label order). */
  finish(): Postings {
    const { ids, df, rowTerms, rowFreqs, used, rowLabels, rowEnds, lengthOf, total } = this;
    const byId = [...ids.keys()];
    const order = byId.map((_, i) => i).sort((x, y) => (byId[x]! < byId[y]! ? -1 : byId[x]! > byId[y]! ? 1 : 0));
    const terms = order.map((i) => byId[i]!);
    const offsets = new Uint32Array(terms.length + 1);
    const start = new Uint32Array(byId.length);
    order.forEach((id, rank) => {
      start[id] = offsets[rank]!;
      offsets[rank + 1] = offsets[rank]! + df[id]!;
    });
    const labels = new Int32Array(used);
    const freqs = new Float32Array(used);
    const lengths = new Float32Array(this.bound);
    const best = new Float64Array(byId.length);
    const avg = total / Math.max(1, rowLabels.length);
    let from = 0;
    rowLabels.forEach((label, r) => {
      lengths[label] = lengthOf[r]!;
      for (let p = from; p < rowEnds[r]!; p++) {
        const id = rowTerms[p]!;
        const at = start[id]!++;
        labels[at] = label;
        freqs[at] = rowFreqs[p]!;
        best[id] = Math.max(best[id]!, this.saturation(freqs[at]!, lengths[label]!, avg));
      }
      from = rowEnds[r]!;
    });
    // raised by 2^-20 before the float32 rounding, so that the stored bound is never below the true one (nor below
    // the same value computed in another order of operations)
    const bounds = new Float32Array(terms.length);
    order.forEach((id, rank) => (bounds[rank] = Math.fround(best[id]! * (1 + 2 ** -20))));
    return new Postings(terms, offsets, labels, freqs, lengths, rowLabels.length, total, bounds);
  }
}

/** What `PostingsBuilder` keeps of a row: its distinct terms, their column-weighted frequencies, its length. */
export interface CountedRow {
  /** The row's distinct terms in order of first occurrence, space-joined ('' for none). */
  terms: string;
  /** Per term, the sum of the weights of the columns it occurs in, once per occurrence (as float32). */
  freqs: Float32Array;
  /** Number of tokens over all columns. */
  length: number;
}

/** Counts the terms of a row's columns of space-joined tokens with a weight per column (1 when missing). */
export function countTerms(weights: readonly number[], cols: readonly string[]): CountedRow {
  const f = new Map<string, number>();
  let length = 0;
  for (let c = 0; c < cols.length; c++) {
    const w = weights[c] ?? 1;
    for (const t of cols[c]!.split(' ')) {
      if (!t) continue;
      length++;
      f.set(t, (f.get(t) ?? 0) + w);
    }
  }
  return { terms: [...f.keys()].join(' '), freqs: Float32Array.from(f.values()), length };
}
