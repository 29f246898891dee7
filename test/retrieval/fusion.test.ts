import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion } from '../../src/retrieval/fusion.js';

describe('reciprocal rank fusion of two top-50 lists', () => {
  // a passage the first list ranks 1st and the second misses, against passages both lists rank about 30th
  const bm25 = ['first', ...Array.from({ length: 49 }, (_, i) => `p${i}`)];
  const vector = [...Array.from({ length: 28 }, (_, i) => `v${i}`), 'p27', 'p28', ...Array.from({ length: 20 }, (_, i) => `w${i}`)];

  it('scores an id a list lacks at rank depth + 1 there, so a first place in one list is not outranked by two 30th places', () => {
    const fused = reciprocalRankFusion([
      { ids: bm25, depth: 50 },
      { ids: vector, depth: 50 },
    ]).map((h) => h.id);
    expect(fused.indexOf('first')).toBeLessThan(fused.indexOf('p28'));
    // without a depth the missing list counts nothing, as in the original formula
    const plain = reciprocalRankFusion([{ ids: bm25 }, { ids: vector }]).map((h) => h.id);
    expect(plain.indexOf('first')).toBeGreaterThan(plain.indexOf('p28'));
  });

  it('keeps the formula for ids in both lists: 1/(k + r1) + 1/(k + r2)', () => {
    const fused = reciprocalRankFusion([
      { ids: ['a', 'b'], depth: 50 },
      { ids: ['b', 'a'], depth: 50 },
    ]);
    expect(fused.find((h) => h.id === 'a')!.score).toBeCloseTo(1 / 61 + 1 / 62, 12);
  });
});
