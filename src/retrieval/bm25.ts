/**
 * Okapi BM25 over pre-tokenized documents (Robertson & Zaragoza 2009, "The Probabilistic Relevance
 * Framework: BM25 and Beyond"), with the usual k1 = 1.2, b = 0.75 and the non-negative idf
 * ln(1 + (N - df + 0.5) / (df + 0.5)).
 */
export class Bm25Index {
  private readonly tf: Map<string, number>[] = [];
  private readonly df = new Map<string, number>();
  private readonly lengths: number[] = [];
  private avgdl = 0;

  constructor(
    docs: string[][],
    readonly k1 = 1.2,
    readonly b = 0.75,
  ) {
    for (const tokens of docs) {
      const m = new Map<string, number>();
      for (const t of tokens) m.set(t, (m.get(t) ?? 0) + 1);
      this.tf.push(m);
      this.lengths.push(tokens.length);
      for (const t of m.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    }
    this.avgdl = this.lengths.reduce((a, n) => a + n, 0) / Math.max(1, docs.length);
  }

  get size(): number {
    return this.tf.length;
  }

  /** Inverse document frequency of a term; a term absent from the corpus gets the maximum (df = 0). */
  idf(term: string): number {
    const n = this.df.get(term) ?? 0;
    return Math.log(1 + (this.tf.length - n + 0.5) / (n + 0.5));
  }

  /** Number of documents containing `term`. */
  docFreq(term: string): number {
    return this.df.get(term) ?? 0;
  }

  /**
   * Scores every document for weighted query terms and returns the best `k` (score > 0), best first.
   * @param terms term → weight (1 for the question's own words, less for glossary expansions)
   * @param allow optional predicate on the document index (metadata filters)
   */
  search(terms: Map<string, number>, k: number, allow?: (i: number) => boolean): { index: number; score: number }[] {
    const scores: { index: number; score: number }[] = [];
    for (let i = 0; i < this.tf.length; i++) {
      if (allow && !allow(i)) continue;
      const tf = this.tf[i]!;
      const norm = this.k1 * (1 - this.b + (this.b * this.lengths[i]!) / this.avgdl);
      let s = 0;
      for (const [term, w] of terms) {
        const f = tf.get(term);
        if (!f) continue;
        s += w * this.idf(term) * ((f * (this.k1 + 1)) / (f + norm));
      }
      if (s > 0) scores.push({ index: i, score: s });
    }
    return scores.sort((a, b) => b.score - a.score).slice(0, k);
  }
}
