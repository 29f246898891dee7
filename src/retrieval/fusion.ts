/**
 * Reciprocal rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009): score(d) = Σ_lists w / (k + rank(d)),
 * rank starting at 1, with their k = 60. Lists are ids (record ids or index labels) ordered best first; equal scores
 * keep the order in which the ids were first met.
 *
 * A list cut at a known `depth` (the top 50 of a ranking, not the whole ranking) says of an id it lacks only that
 * it ranks below the depth: such an id is given rank depth + 1 in that list, its best possible rank, instead of
 * nothing. Without it, a passage BM25 ranks first that the vector side misses scores 1/61, below passages both lists
 * rank about 30th (2/90); measured on the tuning sets, answers are unchanged except a deadline BM25 found first that
 * the offline embedding ranked past 50 (heldout-6, 34 → 35 of 36), and no list ranks worse (docs/evaluation.md).
 */
export function reciprocalRankFusion<Id extends string | number>(lists: { ids: Id[]; weight?: number; depth?: number }[], k = 60): { id: Id; score: number }[] {
  const scores = new Map<Id, number>();
  for (const { ids, weight = 1 } of lists) {
    ids.forEach((id, i) => scores.set(id, (scores.get(id) ?? 0) + weight / (k + i + 1)));
  }
  for (const { ids, weight = 1, depth } of lists) {
    if (depth === undefined) continue;
    const listed = new Set(ids);
    for (const id of scores.keys()) if (!listed.has(id)) scores.set(id, scores.get(id)! + weight / (k + depth + 1));
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}
