import type { ExpandedQuery } from '../retrieval/glossary.js';
import type { KnowledgeIndex } from '../retrieval/knowledge-index.js';
import { tokenize } from '../retrieval/tokenize.js';

/** How much of a question the retrieved evidence covers. */
export interface Coverage {
  /** idf-weighted share of the question's content words found in the evidence (a glossary expansion counts). */
  ratio: number;
  /** Question words found nowhere in the evidence, most specific (highest idf) first. */
  missing: string[];
}

/**
 * Minimum coverage for an answer. Calibrated on ../shared/dev-questions.jsonl and test/fixtures/paraphrase-questions.jsonl:
 * answerable questions cover ≥ 0.7 of their idf weight in the top passages, out-of-corpus ones (another city, weather,
 * code) ≤ 0.45, because their most specific words (浦东新区, 天气, Python) occur nowhere in the reports.
 */
export const MIN_COVERAGE = 0.6;

/**
 * Measures how much of the question the evidence texts cover. Each question word weighs its idf in the
 * index (a word the corpus never uses weighs the most), so missing a rare, specific word (上海市) costs
 * more than missing a common one (工作). Search-mode sub-words are not double counted: a word counts
 * as covered when it or any longer word containing it is covered.
 */
export function coverage(expanded: ExpandedQuery, evidence: string[], index: KnowledgeIndex): Coverage {
  const words = [...expanded.terms].filter(([, w]) => w === 1).map(([t]) => t);
  const found = new Set(evidence.flatMap((e) => tokenize(e)));
  const text = evidence.join('\n').toLowerCase();
  const isCovered = (t: string) =>
    found.has(t) || text.includes(t) || (expanded.explained.get(t) ?? []).some((x) => found.has(x) || text.includes(x));
  // drop sub-words of longer question words (海西 inside 海西州): the longer word decides
  const top = words.filter((t) => !words.some((o) => o !== t && o.length > t.length && o.includes(t)));
  let total = 0;
  let got = 0;
  const missing: { t: string; idf: number }[] = [];
  // A word the reports never use weighs the most: it is what an out-of-corpus question is about (浦东新区,
  // 天气, Python). Chinese colloquial words are also unseen, so unseen CJK words weigh 0.6 of that maximum
  // and unseen Latin words (code, product names) the full maximum.
  const maxIdf = index.bm25.idf('\u0000');
  const weight = (t: string) => (index.bm25.docFreq(t) > 0 ? index.bm25.idf(t) : /[a-z]/.test(t) ? maxIdf : 0.6 * maxIdf);
  for (const t of top) {
    const idf = weight(t);
    total += idf;
    const covered = isCovered(t) || (t.length > 2 && words.filter((s) => s !== t && t.includes(s) && s.length >= 2).some((s) => isCovered(s)) && index.bm25.docFreq(t) > 0);
    if (covered) got += idf;
    else missing.push({ t, idf });
  }
  return { ratio: total ? got / total : 0, missing: missing.sort((a, b) => b.idf - a.idf).map((m) => m.t) };
}
