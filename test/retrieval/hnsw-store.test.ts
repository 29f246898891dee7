import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HnswStore } from '../../src/retrieval/hnsw-store.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-hnsw-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const DIMS = 16;

/** A seeded generator (LCG) and random unit vectors from it. */
function rng(seed: number): () => number {
  let s = seed;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
const rand = rng(5);
const unit = () => {
  const v = Array.from({ length: DIMS }, () => rand() - 0.5);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};

/** 300 distinct vectors (labels 0–299), then 10 copies of each of the first 20 (labels 1000 + 10·i + c). */
function corpus(): { labels: number[]; vectors: number[][] } {
  const base = Array.from({ length: 300 }, unit);
  const labels = base.map((_, i) => i);
  const vectors = [...base];
  for (let i = 0; i < 20; i++)
    for (let c = 0; c < 10; c++) {
      labels.push(1000 + 10 * i + c);
      vectors.push([...base[i]!]);
    }
  return { labels, vectors };
}
const copiesOf = (i: number) => [i, ...Array.from({ length: 10 }, (_, c) => 1000 + 10 * i + c)];

describe('HNSW store (a model’s dense vectors)', () => {
  it('holds a vector shared by several records once and returns every record holding it, in label order', () => {
    const { labels, vectors } = corpus();
    const store = HnswStore.create(DIMS, { M: 16, efConstruction: 100, ef: 100 }, 16);
    store.add(labels, vectors);
    expect(store.nodes).toBe(300);
    expect(store.size).toBe(500);
    const hits = store.search(vectors[3]!, 11);
    expect(hits.map((h) => h.label)).toEqual(copiesOf(3));
    for (const h of hits) expect(h.score).toBeCloseTo(1, 5);
    // a filter keeps only the allowed copies
    expect(store.search(vectors[3]!, 2, (l) => l % 2 === 1).map((h) => h.label)).toEqual([3, 1031]);
  });

  it('drops a removed record, and the vector once no record holds it', () => {
    const { labels, vectors } = corpus();
    const store = HnswStore.create(DIMS, { M: 16, efConstruction: 100, ef: 100 }, 600);
    store.add(labels, vectors);
    store.remove([1050]);
    expect(store.search(vectors[5]!, 10).map((h) => h.label)).toEqual(copiesOf(5).filter((l) => l !== 1050));
    store.remove(copiesOf(5));
    expect(store.search(vectors[5]!, 5).every((h) => h.score < 0.999)).toBe(true);
    expect(store.nodes).toBe(299);
    // adding the vector again gives it a node again
    store.add([7777], [vectors[5]!]);
    expect(store.search(vectors[5]!, 1)[0]).toMatchObject({ label: 7777 });
  });

  it('saves and loads the records of each node with the graph (moved together), and reads an older file with one node per record', () => {
    const { labels, vectors } = corpus();
    const store = HnswStore.create(DIMS, { M: 16, efConstruction: 100, ef: 100 }, 600);
    store.add(labels, vectors);
    const tmp = path.join(dir, 'vectors.hnsw.tmp-1');
    store.save(tmp);
    const file = path.join(dir, 'vectors.hnsw');
    HnswStore.move(tmp, file);
    const loaded = HnswStore.load(file, DIMS);
    expect(loaded.size).toBe(500);
    expect(loaded.search(vectors[7]!, 11).map((h) => h.label)).toEqual(copiesOf(7));
    // later additions of a held vector still share its node
    loaded.add([9000], [vectors[7]!]);
    expect(loaded.nodes).toBe(300);
    fs.rmSync(`${file}.labels`);
    const older = HnswStore.load(file, DIMS);
    expect(older.search(vectors[250]!, 1)[0]).toMatchObject({ label: 250 });
  });
});
