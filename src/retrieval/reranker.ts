import { answerType, figureMatch } from './answer-type.js';
import type { ExpandedQuery } from './glossary.js';
import type { SearchHit } from './retriever.js';

/**
 * Second-stage reranker over fused hits:
 * 1. answer-type boost: for a 多少/几 question, a passage holding the asked figure next to the asked
 *    noun gains one top rank's worth of RRF score (1/61), a passage with a figure of the asked unit a third of it;
 * 2. de-duplication: a measure and the chunk it came from say the same thing; the lower-ranked of two
 *    overlapping hits is dropped so the top-k shows k different passages.
 */
export function rerank(question: string, expanded: ExpandedQuery, hits: SearchHit[], k: number): SearchHit[] {
  const t = answerType(question, expanded);
  const unit = 1 / 61;
  const boosted = hits
    .map((h) => {
      const m = figureMatch(h.record.text, t);
      return { ...h, score: h.score + (m === 2 ? unit : m === 1 ? unit / 3 : 0) };
    })
    .sort((a, b) => b.score - a.score);
  const kept: SearchHit[] = [];
  for (const h of boosted) {
    if (kept.some((k2) => overlaps(k2.record.text, h.record.text))) continue;
    kept.push({ ...h, rank: kept.length + 1 });
    if (kept.length >= k) break;
  }
  return kept;
}

/** True when one text contains the opening 40 characters of the other (same passage). */
function overlaps(a: string, b: string): boolean {
  const head = (s: string) => s.slice(0, Math.min(40, s.length));
  return a.includes(head(b)) || b.includes(head(a));
}
