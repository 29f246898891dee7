import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FullTextIndex } from '../../src/retrieval/full-text.js';
import { openIndexDb } from '../../src/retrieval/index-db.js';

/**
 * A synthetic index with a Zipf-like vocabulary: a few terms in most rows (like 党组织, 海西州), many rare ones,
 * so MaxScore has common terms to skip. Seeded, so a failure reproduces.
 */
let dir: string;
let db: Database.Database;
let fts: FullTextIndex;
const VOCAB = Array.from({ length: 400 }, (_, i) => `词${i}`);

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-fts-'));
  db = openIndexDb(dir);
  const rand = rng(7);
  const zipf = () => VOCAB[Math.min(VOCAB.length - 1, Math.floor(1 / (rand() + 0.0025)) - 1)]!;
  db.prepare("INSERT INTO documents (source, ord, hash, title, format) VALUES ('s.txt', 0, 'h', 't', 'official')").run();
  const rec = db.prepare("INSERT INTO records (id, source, type, tokens, vector_key, record) VALUES (?, 's.txt', 'chunk', ?, 'k', '{}')");
  const row = db.prepare('INSERT INTO fts (rowid, title, section, text) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < 3000; i++) {
      const title = [zipf(), zipf()];
      const section = Array.from({ length: 1 + Math.floor(rand() * 4) }, zipf);
      const text = Array.from({ length: 5 + Math.floor(rand() * 40) }, zipf);
      const label = Number(rec.run(`r${i}`, title.length + section.length + text.length).lastInsertRowid);
      row.run(label, title.join(' '), section.join(' '), text.join(' '));
    }
  })();
  fts = new FullTextIndex(db);
  fts.postings();
});

afterAll(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('FTS5 BM25 with MaxScore pruning', () => {
  it('returns the same top k, with the same scores, as one OR-ed MATCH ordered by bm25()', () => {
    const rand = rng(11);
    let pruned = 0;
    for (let q = 0; q < 60; q++) {
      // one or two rare terms plus common ones: the shape of a real question
      const terms = [VOCAB[40 + Math.floor(rand() * 300)]!, VOCAB[10 + Math.floor(rand() * 100)]!, VOCAB[Math.floor(rand() * 4)]!, VOCAB[Math.floor(rand() * 3)]!];
      for (const k of [5, 20]) {
        const got = fts.search(new Map(terms.map((t) => [t, 1])), k);
        const want = fts.searchPlain(terms, k);
        expect(got.map((h) => h.score)).toEqual(want.map((h) => expect.closeTo(h.score, 5)));
        // equal scores may come in either order; the sets of labels above the k-th score must agree
        const cut = want.at(-1)?.score ?? 0;
        expect(new Set(got.filter((h) => h.score > cut + 1e-5).map((h) => h.label))).toEqual(new Set(want.filter((h) => h.score > cut + 1e-5).map((h) => h.label)));
        if (fts.lastTrace.probed > 0) pruned++;
      }
    }
    // the common terms were scored on candidates only in most queries, not scanned
    expect(pruned).toBeGreaterThan(60);
  });

  it('returns the exact top k for long questions (10–20 terms of mixed weight), where the k-th score is raised term by term', () => {
    const rand = rng(23);
    for (let q = 0; q < 40; q++) {
      const n = 10 + Math.floor(rand() * 11);
      const terms = new Map(Array.from({ length: n }, (_, i) => [VOCAB[i < 3 ? Math.floor(rand() * 6) : 6 + Math.floor(rand() * 380)]!, i % 4 === 3 ? 0.7 : 1] as [string, number]));
      const allow = q % 2 ? (label: number) => label % 5 !== 0 : undefined;
      for (const k of [5, 50]) {
        const got = fts.search(terms, k, allow);
        const all = fts.search(terms, 1_000_000, allow).slice(0, k);
        expect(got.map((h) => h.score)).toEqual(all.map((h) => expect.closeTo(h.score, 9)));
        const cut = all.at(-1)?.score ?? 0;
        expect(new Set(got.filter((h) => h.score > cut + 1e-9).map((h) => h.label))).toEqual(new Set(all.filter((h) => h.score > cut + 1e-9).map((h) => h.label)));
      }
    }
  });

  it('applies query weights and filters exactly (pruned equals scanning every term)', () => {
    const terms = new Map([
      [VOCAB[77]!, 1],
      [VOCAB[23]!, 0.5],
      [VOCAB[0]!, 1],
      [VOCAB[1]!, 0.3],
    ]);
    const allow = (label: number) => label % 3 !== 0;
    const got = fts.search(terms, 10, allow);
    // reference: every term scanned (a k larger than the number of rows disables pruning)
    const all = fts.search(terms, 1_000_000, allow).slice(0, 10);
    expect(got).toEqual(all.map((h) => ({ label: h.label, score: expect.closeTo(h.score, 5) })));
    expect(got.every((h) => allow(h.label))).toBe(true);
  });

  it('gives the document frequency of every term as fts5vocab counts it, and idf from it', () => {
    const df = db.prepare("SELECT count(*) FROM fts WHERE fts MATCH '\"词0\"'").pluck().get() as number;
    expect(fts.docFreq('词0')).toBe(df);
    const vocab = db.prepare('SELECT term, doc FROM fts_vocab').raw().all() as [string, number][];
    expect(vocab.length).toBeGreaterThan(300);
    expect(vocab.filter(([t, n]) => fts.docFreq(t) !== n)).toEqual([]);
    expect(fts.docFreq('不存在的词')).toBe(0);
    expect(fts.idf('不存在的词')).toBeGreaterThan(fts.idf('词300'));
    expect(fts.idf('词300')).toBeGreaterThan(fts.idf('词0'));
  });
});
