import type { IndexRecord } from '../types.js';
import type { SearchHit } from './retriever.js';

/**
 * A boost a caller adds to a fused hit's score, in units of one top rank's RRF score (1/61): e.g. the answer
 * layer's figure matcher gives 1 to a passage holding the asked figure next to the asked noun.
 */
export type Booster = (record: IndexRecord) => number;

/** One top rank's worth of RRF score (k = 60). */
export const RANK_UNIT = 1 / 61;

/**
 * Second-stage reranker (a node postprocessor) over fused hits:
 * 1. the caller's boost, in `RANK_UNIT`s (none by default);
 * 2. de-duplication: a measure and the chunk it came from say the same thing; the lower-ranked of two
 *    overlapping hits is dropped so the top-k shows k different passages.
 */
export function rerank(hits: SearchHit[], k: number, boost?: Booster): SearchHit[] {
  const boosted = boost ? hits.map((h) => ({ ...h, score: h.score + RANK_UNIT * boost(h.record) })).sort((a, b) => b.score - a.score) : hits;
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
