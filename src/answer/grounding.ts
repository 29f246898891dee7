import type { ExpandedQuery } from '../retrieval/glossary.js';
import type { KnowledgeIndex } from '../retrieval/knowledge-index.js';
import { getJieba } from '../ingest/segment.js';
import { tokenize } from '../retrieval/tokenize.js';

/** How much of a question the retrieved evidence covers. */
export interface Coverage {
  /** idf-weighted share of the question's corpus words (words the reports use) found in the evidence. */
  ratio: number;
  /** Share of the question's weight carried by words the reports never use and the glossary does not explain. */
  unknownShare: number;
  /** Question words not found in the evidence, most specific first. */
  missing: string[];
  /** Place names (jieba tag `ns`, 3+ characters) the reports never mention, e.g. 上海市浦东新区. */
  unknownPlaces: string[];
}

/**
 * Thresholds, checked on ../shared/dev-questions.jsonl, test/fixtures/paraphrase-questions.jsonl and the
 * held-out test/fixtures/heldout-questions.jsonl (see README, Evaluation):
 * - `MIN_COVERAGE`: the evidence must hold 60 % of the idf weight of the question's corpus words;
 * - `MAX_UNKNOWN_SHARE`: when more than half of a question's weight lies in words the reports never use
 *   (浦东新区, 天气, Python, 党费), the question is about something the materials do not cover.
 */
export const MIN_COVERAGE = 0.6;
export const MAX_UNKNOWN_SHARE = 0.5;

/**
 * Measures how well the evidence texts cover the question. A word the reports use weighs its idf; a word
 * they never use weighs 0.6 of the maximum idf (a Latin word, e.g. code, the full maximum) and counts towards
 * `unknownShare` unless the glossary explains it (送外卖 → 新就业群体). Search-mode sub-words are not double
 * counted: the longest question word decides, and a long word counts as covered when its parts are.
 */
export function coverage(expanded: ExpandedQuery, evidence: string[], index: KnowledgeIndex): Coverage {
  const words = [...expanded.terms].filter(([, w]) => w === 1).map(([t]) => t);
  const found = new Set(evidence.flatMap((e) => tokenize(e)));
  const text = evidence.join('\n').toLowerCase();
  const inEvidence = (t: string) => found.has(t) || text.includes(t);
  // a word inside (or around) a matched glossary phrase is explained by that phrase's official wording
  const explanation = (t: string): string[] => {
    const own = expanded.explained.get(t) ?? [];
    const viaPhrase = expanded.triggers
      .filter((tr) => tr.includes(t) || t.includes(tr))
      .flatMap((tr) => [...expanded.explained].filter(([word]) => tr.includes(word)).flatMap(([, official]) => official));
    return [...own, ...viaPhrase];
  };
  const top = words.filter((t) => !words.some((o) => o !== t && o.length > t.length && o.includes(t)));
  const maxIdf = index.bm25.idf('\u0000');
  const places = new Set(getJieba().tag(expanded.text, true).filter((w) => w.tag === 'ns' && w.word.length >= 3).map((w) => w.word.toLowerCase()));
  const unknownPlaces: string[] = [];
  let known = 0;
  let knownCovered = 0;
  let unknown = 0;
  const missing: { t: string; w: number }[] = [];
  for (const t of top) {
    const parts = words.filter((s) => s !== t && s.length >= 2 && t.includes(s));
    const explained = explanation(t).length > 0;
    if (index.bm25.docFreq(t) > 0 || explained || (parts.length && parts.every((p) => index.bm25.docFreq(p) > 0))) {
      const w = index.bm25.docFreq(t) > 0 ? index.bm25.idf(t) : Math.max(...[t, ...parts].map((p) => index.bm25.idf(p)));
      known += w;
      const covered = inEvidence(t) || explanation(t).some(inEvidence) || (parts.length > 0 && parts.every(inEvidence));
      if (covered) knownCovered += w;
      else missing.push({ t, w });
    } else {
      const w = /[a-z]/.test(t) ? maxIdf : 0.6 * maxIdf;
      if (places.has(t)) unknownPlaces.push(t);
      unknown += w;
      missing.push({ t, w });
    }
  }
  return {
    ratio: known ? knownCovered / known : 0,
    unknownShare: known + unknown ? unknown / (known + unknown) : 1,
    missing: missing.sort((a, b) => b.w - a.w).map((m) => m.t),
    unknownPlaces,
  };
}

/** True when the evidence is enough to answer (see the thresholds above); never for a place the reports do not cover. */
export function isCovered(c: Coverage): boolean {
  return c.ratio >= MIN_COVERAGE && c.unknownShare <= MAX_UNKNOWN_SHARE && c.unknownPlaces.length === 0;
}
