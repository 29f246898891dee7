import type Database from 'better-sqlite3';
import { FTS_TOKEN_CHARS } from './index-db.js';

/** BM25 constants of SQLite FTS5's `bm25()` (fixed in fts5_aux.c). */
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
 * Okapi BM25 over SQLite FTS5 (`bm25()` with column weights, its idf ln((N − df + 0.5)/(df + 0.5)) floored at
 * 1e-6, k1 = 1.2, b = 0.75), with **MaxScore** top-k pruning (Turtle & Flood 1995): a query's terms are taken
 * from the highest score bound (weight × idf × (k1 + 1)) down; each is scanned in full through FTS5 only while
 * the bounds of the terms left could still lift a record not yet seen into the top k. The remaining (common,
 * low-idf) terms are then scored only on the records that can still reach the top k, from their stored tokens,
 * so a term such as 党组织 never costs a scan of its posting list. The result is the same top k, with the same
 * scores, as scoring every term (tested against a plain OR-ed `MATCH ... ORDER BY bm25()`).
 *
 * Term statistics (`docFreq`, `idf`) come from `fts5vocab`. Tokens are stored at ingest (see `ftsToken`) and
 * never recomputed.
 */
export class FullTextIndex {
  private readonly dfCache = new Map<string, number>();
  private totals?: { rows: number; tokens: number };
  private readonly stmt: {
    df: Database.Statement;
    scan: Database.Statement;
    row: Database.Statement;
  };
  lastTrace: SearchTrace = { essential: 0, probed: 0, candidates: 0 };

  constructor(
    private readonly db: Database.Database,
    readonly weights: ColumnWeights = DEFAULT_WEIGHTS,
  ) {
    const w = `${weights.title}, ${weights.section}, ${weights.text}`;
    this.stmt = {
      df: db.prepare('SELECT doc FROM fts_vocab WHERE term = ?').pluck(),
      scan: db.prepare(`SELECT rowid AS label, -bm25(fts, ${w}) AS score FROM fts WHERE fts MATCH ?`).raw(),
      row: db.prepare('SELECT title, section, text FROM fts WHERE rowid = ?').raw(),
    };
  }

  /** Forgets cached statistics (after the table changed). */
  invalidate(): void {
    this.dfCache.clear();
    this.totals = undefined;
  }

  private stats(): { rows: number; tokens: number } {
    this.totals ??= this.db.prepare('SELECT count(*) AS rows, coalesce(sum(tokens), 0) AS tokens FROM records').get() as { rows: number; tokens: number };
    return this.totals;
  }

  /** Number of indexed records. */
  get size(): number {
    return this.stats().rows;
  }

  /** Number of records containing `term` (a token as `tokenize` gives it), from `fts5vocab`. */
  docFreq(term: string): number {
    const t = ftsToken(term.toLowerCase());
    if (!t) return 0;
    let n = this.dfCache.get(t);
    if (n === undefined) {
      n = (this.stmt.df.get(t) as number | undefined) ?? 0;
      if (this.dfCache.size > 50_000) this.dfCache.clear();
      this.dfCache.set(t, n);
    }
    return n;
  }

  /**
   * Inverse document frequency for grounding and synthesis: ln(1 + (N − df + 0.5)/(df + 0.5)), never negative;
   * a term absent from the corpus gets the maximum (df = 0).
   */
  idf(term: string): number {
    const n = this.docFreq(term);
    return Math.log(1 + (this.size - n + 0.5) / (n + 0.5));
  }

  /** FTS5's own idf of a term with document frequency `df`. */
  private bm25Idf(df: number): number {
    const idf = Math.log((this.size - df + 0.5) / (df + 0.5));
    return idf <= 0 ? 1e-6 : idf;
  }

  /**
   * The best `k` records for weighted query terms (term → weight: 1 for the question's own words, less for
   * glossary expansions), best first, score > 0; `allow` keeps only some labels (metadata filters). Exact top k
   * with MaxScore pruning (see the class comment).
   */
  search(terms: Map<string, number>, k: number, allow?: (label: number) => boolean): TextHit[] {
    const merged = new Map<string, number>();
    for (const [raw, w] of terms) {
      const t = ftsToken(raw.toLowerCase());
      if (t && w > 0) merged.set(t, (merged.get(t) ?? 0) + w);
    }
    const maxWeight = Math.max(this.weights.title, this.weights.section, this.weights.text);
    const qs = [...merged]
      .map(([t, w]) => ({ t, w, df: this.docFreq(t) }))
      .filter((q) => q.df > 0)
      .map((q) => ({ ...q, idf: this.bm25Idf(q.df) }))
      .map((q) => ({ ...q, bound: q.w * q.idf * (K1 + 1) * maxWeight }))
      .sort((a, b) => b.bound - a.bound || a.df - b.df);
    const rest = new Array<number>(qs.length + 1).fill(0);
    for (let i = qs.length - 1; i >= 0; i--) rest[i] = rest[i + 1]! + qs[i]!.bound;

    const acc = new Map<number, number>();
    let i = 0;
    let threshold = 0;
    for (; i < qs.length; i++) {
      // a record not seen yet can score at most rest[i]: once that is below the k-th score, stop scanning
      if (acc.size >= k && rest[i]! < (threshold = kthLargest(acc, k))) break;
      const q = qs[i]!;
      for (const [label, score] of this.stmt.scan.iterate(`"${q.t}"`) as Iterable<[number, number]>) {
        if (allow && !allow(label)) continue;
        acc.set(label, (acc.get(label) ?? 0) + q.w * score);
      }
    }
    const trace: SearchTrace = { essential: i, probed: qs.length - i, candidates: 0 };
    if (i < qs.length) {
      // the terms left are scored on the records that can still reach the top k, from their stored tokens
      const { rows, tokens } = this.stats();
      const avgdl = tokens / Math.max(1, rows);
      const candidates = [...acc].filter(([, s]) => s + rest[i]! >= threshold).map(([label]) => label);
      trace.candidates = candidates.length;
      for (const label of candidates) {
        const cols = this.stmt.row.get(label) as [string, string, string] | undefined;
        if (!cols) continue;
        const freq = new Map<string, number>();
        let length = 0;
        cols.forEach((col, c) => {
          const w = c === 0 ? this.weights.title : c === 1 ? this.weights.section : this.weights.text;
          for (const tok of col.split(' ')) {
            if (!tok) continue;
            length++;
            if (merged.has(tok)) freq.set(tok, (freq.get(tok) ?? 0) + w);
          }
        });
        const norm = K1 * (1 - B + (B * length) / avgdl);
        let add = 0;
        for (let j = i; j < qs.length; j++) {
          const f = freq.get(qs[j]!.t);
          if (f) add += qs[j]!.w * qs[j]!.idf * ((f * (K1 + 1)) / (f + norm));
        }
        acc.set(label, acc.get(label)! + add);
      }
    }
    this.lastTrace = trace;
    return topK(acc, k);
  }

  /**
   * Plain FTS5 for comparison (the benchmark): every term OR-ed in one `MATCH`, `ORDER BY bm25()`; query weights
   * are not applied (FTS5 has none).
   */
  searchPlain(terms: Iterable<string>, k: number): TextHit[] {
    const ts = [...new Set([...terms].map((t) => ftsToken(t.toLowerCase())).filter(Boolean))];
    if (!ts.length) return [];
    const w = `${this.weights.title}, ${this.weights.section}, ${this.weights.text}`;
    const rows = this.db
      .prepare(`SELECT rowid AS label, -bm25(fts, ${w}) AS score FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, ${w}) LIMIT ?`)
      .all(ts.map((t) => `"${t}"`).join(' OR '), k) as TextHit[];
    return rows;
  }
}

/** The k-th largest value of the map (0 when it holds fewer than k). */
function kthLargest(acc: Map<number, number>, k: number): number {
  if (acc.size < k) return 0;
  const heap = new MinHeap(k);
  for (const s of acc.values()) heap.offer(s, 0);
  return heap.min();
}

/** The `k` entries with the highest scores (score > 0), best first; ties by label. */
export function topK(acc: Map<number, number>, k: number): TextHit[] {
  const heap = new MinHeap(k);
  for (const [label, score] of acc) if (score > 0) heap.offer(score, label);
  return heap.sorted().map(([score, label]) => ({ label, score }));
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
