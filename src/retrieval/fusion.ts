/**
 * Reciprocal rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009): score(d) = Σ_lists w / (k + rank(d)),
 * rank starting at 1, with their k = 60. Lists are ids (record ids or index labels) ordered best first; equal scores
 * keep the order in which the ids were first met.
 */
export function reciprocalRankFusion<Id extends string | number>(lists: { ids: Id[]; weight?: number }[], k = 60): { id: Id; score: number }[] {
  const scores = new Map<Id, number>();
  for (const { ids, weight = 1 } of lists) {
    ids.forEach((id, i) => scores.set(id, (scores.get(id) ?? 0) + weight / (k + i + 1)));
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}
