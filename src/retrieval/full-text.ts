import type Database from 'better-sqlite3';
import { FTS_TOKEN_CHARS } from './index-db.js';
import { log } from '../log.js';
import { countTerms, Postings, PostingsBuilder, type CountedRow } from './postings.js';

/** BM25 constants of SQLite FTS5's `bm25()` (fixed in its fts5_aux.c). */
const K1 = 1.2;
const B = 0.75;

/** Column weights of `bm25()`: document title, section path (or measure title), text. */
export interface ColumnWeights {
  title: number;
  section: number;
  text: number;
}

/**
 * Default column weights. The section path and the text weigh the same (as in the former in-memory BM25 over
 * `section + text`); the document title, the same for every record of a document, counts a little so that a
 * question naming a document's subject prefers it without outweighing the passage (measured with `npm run eval`).
 */
export const DEFAULT_WEIGHTS: ColumnWeights = { title: 0.2, section: 1, text: 1 };

const KEEP = new RegExp(`[^\\p{L}\\p{N}${FTS_TOKEN_CHARS.replace(/[\]\\^-]/g, '\\$&')}]`, 'gu');

/**
 * A token as the FTS5 table stores it: characters that unicode61 would treat as separators (other than the
 * `FTS_TOKEN_CHARS`) removed, so one jieba token is exactly one FTS5 token. '' when nothing is left.
 */
export function ftsToken(token: string): string {
  return token.replace(KEEP, '');
}

/** One scored row: `label` (the record's label) and its BM25 score (positive, higher is better). */
export interface TextHit {
  label: number;
  score: number;
}

/** Counters of the last search, for the benchmark: terms scanned in full vs probed on candidates only. */
export interface SearchTrace {
  essential: number;
  probed: number;
  candidates: number;
}

/**
 * Okapi BM25 over the jieba tokens stored in the SQLite FTS5 table at ingest, scored exactly as FTS5's
 * `bm25()` with column weights (idf ln((N − df + 0.5)/(df + 0.5)) floored at 1e-6, k1 = 1.2, b = 0.75), with
 * **MaxScore** top-k pruning (Turtle & Flood 1995): a query's terms are taken from the highest score bound
 * (weight × idf × (k1 + 1) × the largest saturation f/(f + k1·(1 − b + b·length/avgdl)) the term reaches in any record,
 * kept in the postings file) down; each is scanned in full only while the bounds of the
 * terms left could still lift a record not seen yet into the top k. The remaining (common, low-idf) terms are
 * then looked up only in the records that can still reach the top k, so a term such as 党组织 never costs a scan
 * of its posting list. The result is the same top k, with the same scores, as scoring every term (tested
 * against a plain OR-ed `MATCH … ORDER BY bm25()`).
 *
 * Scoring reads the postings file (`Postings`, derived from the FTS5 table at ingest, loaded on first search):
 * FTS5's `bm25()` costs microseconds per matching row, too slow for terms held by tens of thousands of records.
 * Term statistics for grounding (`docFreq`, `idf`) come from the postings' list lengths (equal to `fts5vocab`'s).
 */
export class FullTextIndex {
  private rowCount?: number;
  private postingsCache?: Postings;
  private board = new ScoreBoard(0);
  lastTrace: SearchTrace = { essential: 0, probed: 0, candidates: 0 };

  /**
   * @param postingsFile the postings file to search (see `Postings`); built on demand from the table when absent
   */
  constructor(
    private readonly db: Database.Database,
    private readonly postingsFile?: string,
    readonly weights: ColumnWeights = DEFAULT_WEIGHTS,
  ) {
  }

  /** The postings, read on first use (or built from the FTS5 table when there is no file). */
  postings(): Postings {
    if (!this.postingsCache) {
      try {
        this.postingsCache = Postings.load(this.postingsFile ?? '');
      } catch (err) {
        // no file (a test's bare table) or a damaged one: derive the postings from the table, which holds the truth
        if (this.postingsFile) log.warn({ err: (err as Error).message }, 'postings file unreadable; rebuilding it from the FTS5 table');
        this.postingsCache = buildPostings(this.db, this.weights);
        if (this.postingsFile) saveQuietly(() => this.postingsCache!.save(this.postingsFile!));
      }
      this.board = new ScoreBoard(this.postingsCache.labelBound);
    }
    return this.postingsCache;
  }

  /** Releases the postings file (called when the knowledge index is closed). */
  close(): void {
    this.postingsCache?.close();
  }

  /** Number of indexed records. */
  get size(): number {
    this.rowCount ??= this.db.prepare('SELECT count(*) FROM records').pluck().get() as number;
    return this.rowCount;
  }

  /**
   * Number of records containing `term` (a token as `tokenize` gives it): the length of its posting list, which
   * equals `fts5vocab`'s row count for every term (tested; checked on the 1× and 1000× indexes) and costs no query.
   */
  docFreq(term: string): number {
    const t = ftsToken(term.toLowerCase());
    return t ? this.postings().docFreq(t) : 0;
  }

  /**
   * Inverse document frequency for grounding and synthesis: ln(1 + (N − df + 0.5)/(df + 0.5)), never negative;
   * a term absent from the corpus gets the maximum (df = 0).
   */
  idf(term: string): number {
    const n = this.docFreq(term);
    return Math.log(1 + (this.size - n + 0.5) / (n + 0.5));
  }

  /**
   * The best `k` records for weighted query terms (term → weight: 1 for the question's own words, less for
   * glossary expansions), best first (ties: lower label first), score > 0; `allow` keeps only some labels
   * (metadata filters). Exact top k with MaxScore pruning (see the class comment).
   */
  search(terms: Map<string, number>, k: number, allow?: (label: number) => boolean): TextHit[] {
    const P = this.postings();
    const merged = new Map<string, number>();
    for (const [raw, w] of terms) {
      const t = ftsToken(raw.toLowerCase());
      if (t && w > 0) merged.set(t, (merged.get(t) ?? 0) + w);
    }
    const rows = Math.max(1, P.rows);
    const avgdl = P.totalTokens / rows;
    const qs = [...merged]
      .map(([t, w]) => ({ t, w, r: P.range(t) }))
      .filter((q): q is { t: string; w: number; r: { start: number; end: number; bound: number } } => q.r !== undefined && q.r.end > q.r.start)
      .map((q) => {
        const df = q.r.end - q.r.start;
        const idf = Math.max(1e-6, Math.log((rows - df + 0.5) / (df + 0.5)));
        return { ...q, idf, bound: q.w * idf * (K1 + 1) * q.r.bound };
      })
      .sort((a, b) => b.bound - a.bound || a.t.localeCompare(b.t));
    const rest = new Array<number>(qs.length + 1).fill(0);
    for (let i = qs.length - 1; i >= 0; i--) rest[i] = rest[i + 1]! + qs[i]!.bound;

    const board = this.board.begin(k);
    let i = 0;
    let threshold = 0;
    try {
      for (; i < qs.length; i++) {
        // a record not seen yet can score at most rest[i]: once that is below the k-th score, stop scanning
        if (board.touched.length >= k && rest[i]! < (threshold = board.kth())) break;
        const { w, idf, r } = qs[i]!;
        board.scan(P, r, w * idf * (K1 + 1), avgdl, allow);
      }
      const trace: SearchTrace = { essential: i, probed: qs.length - i, candidates: 0 };
      if (i < qs.length) {
        // the terms left are looked up only in the records that can still reach the top k; after each term the
        // k-th score can only have risen and the bound of the terms left has fallen, so the candidates shrink
        let candidates = board.candidates(board.touched, rest[i]!, threshold);
        trace.candidates = candidates.length;
        for (let j = i; j < qs.length; j++) {
          if (j > i) {
            threshold = Math.max(threshold, board.kth());
            candidates = board.candidates(candidates, rest[j]!, threshold);
          }
          const { w, idf, r } = qs[j]!;
          board.probe(P, r, w * idf * (K1 + 1), avgdl, candidates);
        }
      }
      this.lastTrace = trace;
      return board.top();
    } finally {
      board.clear();
    }
  }

  /**
   * Plain FTS5 for comparison (the benchmark, the tests): every term OR-ed in one `MATCH`, `ORDER BY bm25()` with
   * the column weights; query weights are not applied (FTS5 has none).
   */
  searchPlain(terms: Iterable<string>, k: number): TextHit[] {
    const ts = [...new Set([...terms].map((t) => ftsToken(t.toLowerCase())).filter(Boolean))];
    if (!ts.length) return [];
    const w = `${this.weights.title}, ${this.weights.section}, ${this.weights.text}`;
    return this.db
      .prepare(`SELECT rowid AS label, -bm25(fts, ${w}) AS score FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, ${w}), rowid LIMIT ?`)
      .all(ts.map((t) => `"${t}"`).join(' OR '), k) as TextHit[];
  }
}

/** BM25's term-frequency part: f / (f + k1·(1 − b + b·length/avgLength)), below 1. */
function saturation(f: number, length: number, avgLength: number): number {
  return f / (f + K1 * (1 - B + (B * length) / avgLength));
}

/** Builds the postings of the FTS5 table of `db` with column weights (see `Postings`). */
export function buildPostings(db: Database.Database, weights: ColumnWeights = DEFAULT_WEIGHTS): Postings {
  const q = db.prepare('SELECT rowid, title, section, text FROM fts ORDER BY rowid').raw();
  const builder = postingsBuilder(weights);
  for (const [label, ...cols] of q.iterate() as Iterable<[number, string, string, string]>) builder.add(label, cols);
  return builder.finish();
}

/** A builder of the postings `buildPostings` derives, for rows `(label, title, section, text)` added in label order. */
export function postingsBuilder(weights: ColumnWeights = DEFAULT_WEIGHTS): PostingsBuilder {
  return new PostingsBuilder(weightList(weights), saturation);
}

/**
 * The terms of a record's FTS5 columns (title, section, text) counted as `postingsBuilder(weights)` counts them,
 * so that the thread preparing records does it (`PostingsBuilder.addCounted`).
 */
export function countColumns(cols: readonly [string, string, string], weights: ColumnWeights = DEFAULT_WEIGHTS): CountedRow {
  return countTerms(weightList(weights), cols);
}

function weightList(w: ColumnWeights): number[] {
  return [w.title, w.section, w.text];
}

/**
 * The score accumulators of one `FullTextIndex.search` (term at a time), kept between searches and cleared after
 * each. Each step is a small method so that V8 optimises it on its own: one long function with every loop inside was
 * compiled on stack replacement mid-loop and thrown away at the next branch it had not seen yet, again and again
 * (first-pass searches of 80 ms at 1000× against 12 ms once warm).
 *
 * The k-th best score so far is kept cheaply: scores only grow, so every record in the top k has reached the last
 * k-th score `floor`; `above` holds the records that reached it (pushed as they cross it), and the next k-th score
 * is taken among them only, not among every record touched (which cost 15 ms a long question at 1000×).
 */
class ScoreBoard {
  readonly acc: Float64Array;
  readonly mark: Uint8Array;
  touched: number[] = [];
  private above: number[] = [];
  private floor = 0;
  private k = 1;

  constructor(labelBound: number) {
    this.acc = new Float64Array(labelBound);
    this.mark = new Uint8Array(labelBound);
  }

  /** Starts a search for the top `k`. */
  begin(k: number): this {
    this.k = k;
    this.floor = 0;
    this.above = [];
    this.touched = [];
    return this;
  }

  /** Adds `x` to the score of `label` (noting when it reaches the floor). */
  private credit(label: number, x: number): void {
    const before = this.acc[label]!;
    const after = (this.acc[label] = before + x);
    if (after >= this.floor && (before < this.floor || before === 0)) this.above.push(label);
  }

  /** Scores every record of a term's postings `r` (`c`: weight × idf × (k1 + 1)), touching those `allow` keeps. */
  scan(P: Postings, r: { start: number; end: number }, c: number, avgdl: number, allow?: (label: number) => boolean): void {
    const { mark, touched } = this;
    for (let p = r.start; p < r.end; p++) {
      const label = P.labels[p]!;
      if (!mark[label]) {
        if (allow && !allow(label)) continue;
        mark[label] = 1;
        touched.push(label);
      }
      const f = P.freqs[p]!;
      this.credit(label, (c * f) / (f + K1 * (1 - B + (B * P.lengths[label]!) / avgdl)));
    }
  }

  /** Scores a term's postings `r` for the `candidates` only (touched records): a binary search each when they are few, else one pass. */
  probe(P: Postings, r: { start: number; end: number }, c: number, avgdl: number, candidates: number[]): void {
    const { mark } = this;
    if (candidates.length * Math.log2(r.end - r.start + 1) < r.end - r.start) {
      for (const label of candidates) {
        const f = P.freqAt(r, label);
        if (f) this.credit(label, (c * f) / (f + K1 * (1 - B + (B * P.lengths[label]!) / avgdl)));
      }
      return;
    }
    // one pass over the postings, adding to the candidates only (marked 2 meanwhile)
    for (const label of candidates) mark[label] = 2;
    for (let p = r.start; p < r.end; p++) {
      const label = P.labels[p]!;
      if (mark[label] !== 2) continue;
      const f = P.freqs[p]!;
      this.credit(label, (c * f) / (f + K1 * (1 - B + (B * P.lengths[label]!) / avgdl)));
    }
    for (const label of candidates) mark[label] = 1;
  }

  /** The records of `labels` that can still reach `threshold` with at most `rest` more. */
  candidates(labels: number[], rest: number, threshold: number): number[] {
    const { acc } = this;
    return labels.filter((l) => acc[l]! + rest >= threshold);
  }

  /** The k-th best score so far (the floor when fewer than k records reached it). */
  kth(): number {
    const { acc, k } = this;
    if (this.above.length < k) return this.floor;
    const heap = new MinHeap(k);
    for (const l of this.above) heap.offer(acc[l]!, l);
    const floor = (this.floor = heap.min());
    this.above = this.above.filter((l) => acc[l]! >= floor);
    return floor;
  }

  /** The best k (as given to `begin`) touched records with a positive score, best first (ties: lower label first). */
  top(): TextHit[] {
    const heap = new MinHeap(this.k);
    for (const l of this.touched) if (this.acc[l]! > 0) heap.offer(this.acc[l]!, l);
    return heap.sorted().map(([score, label]) => ({ label, score }));
  }

  /** Zeroes what the search touched. */
  clear(): void {
    for (const l of this.touched) {
      this.acc[l] = 0;
      this.mark[l] = 0;
    }
    this.touched = [];
  }
}

/** A bounded min-heap of (score, label) keeping the `cap` largest scores. */
export class MinHeap {
  private readonly s: number[] = [];
  private readonly l: number[] = [];

  constructor(private readonly cap: number) {}

  get size(): number {
    return this.s.length;
  }

  /** Smallest kept score (−Infinity when empty). */
  min(): number {
    return this.s.length ? this.s[0]! : -Infinity;
  }

  /** Offers an entry; kept when the heap is not full or it beats the smallest kept. */
  offer(score: number, label: number): void {
    if (this.cap <= 0) return;
    if (this.s.length < this.cap) {
      this.s.push(score);
      this.l.push(label);
      this.up(this.s.length - 1);
    } else if (score > this.s[0]! || (score === this.s[0]! && label < this.l[0]!)) {
      this.s[0] = score;
      this.l[0] = label;
      this.down(0);
    }
  }

  /** The kept entries, best first (ties: lower label first). */
  sorted(): [number, number][] {
    return this.s.map((s, i) => [s, this.l[i]!] as [number, number]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  }

  private less(i: number, j: number): boolean {
    return this.s[i]! < this.s[j]! || (this.s[i] === this.s[j] && this.l[i]! > this.l[j]!);
  }

  private swap(i: number, j: number): void {
    [this.s[i], this.s[j]] = [this.s[j]!, this.s[i]!];
    [this.l[i], this.l[j]] = [this.l[j]!, this.l[i]!];
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    for (;;) {
      const a = 2 * i + 1;
      const b = a + 1;
      let m = i;
      if (a < this.s.length && this.less(a, m)) m = a;
      if (b < this.s.length && this.less(b, m)) m = b;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}

/** Writes a derived file, logging (not throwing) when the index folder is read-only: the data is in memory already. */
export function saveQuietly(write: () => void): void {
  try {
    write();
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'could not rewrite a derived index file');
  }
}
