import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BinaryFileReader, writeBinary } from '../../src/retrieval/binary-file.js';
import { Postings } from '../../src/retrieval/postings.js';
import { SparseVectorIndex } from '../../src/retrieval/sparse-store.js';
import { encodeVector } from '../../src/retrieval/vector-index.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-binary-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const MAGIC = 0x5eed;

/** Writes a header and `n` floats; returns the file and the floats. */
function write(name: string, n: number, offset = 0): { file: string; written: Float32Array } {
  const file = path.join(dir, name);
  const written = Float32Array.from({ length: n }, (_, i) => i * 0.5 - 7 + offset);
  writeBinary(file, [Int32Array.from([MAGIC, n, 0, 0, 0, 0]), written]);
  return { file, written };
}

/** A seeded generator (LCG). */
function rng(seed: number): () => number {
  let s = seed;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('binary index files (postings, sparse vectors)', () => {
  it('read back any range of what was written, for a small file and for one of several MB', () => {
    for (const [name, n] of [['small.bin', 10], ['large.bin', 3_000_000]] as const) {
      const { file, written } = write(name, n);
      const r = new BinaryFileReader(file, 24, MAGIC, 'a test file');
      expect(r.header[1]).toBe(n);
      const all = new Float32Array(n);
      r.fill(all, 24);
      expect(Buffer.from(all.buffer).equals(Buffer.from(written.buffer))).toBe(true);
      const part = new Float32Array(3);
      r.fill(part, 24 + (n - 3) * 4);
      expect(Array.from(part)).toEqual(Array.from(written.subarray(n - 3)));
      r.close();
      expect(() => r.fill(part, 24)).toThrow(/closed/);
    }
  });

  it('refuse a truncated file and a file of another kind, and a read past the end', () => {
    const short = path.join(dir, 'short.bin');
    fs.writeFileSync(short, Buffer.alloc(8));
    expect(() => new BinaryFileReader(short, 24, MAGIC, 'a test file')).toThrow(/is truncated/);
    const other = path.join(dir, 'other.bin');
    writeBinary(other, [Int32Array.from([1, 0, 0, 0, 0, 0])]);
    expect(() => new BinaryFileReader(other, 24, MAGIC, 'a test file')).toThrow(/is not a test file/);
    const { file } = write('ten.bin', 10);
    const r = new BinaryFileReader(file, 24, MAGIC, 'a test file');
    expect(() => r.fill(new Float32Array(11), 24)).toThrow(/is truncated/);
    r.close();
  });

  it('keep reading the file as it was opened when a rebuild renames a new one into its place', () => {
    const { file, written } = write('live.bin', 1000);
    const r = new BinaryFileReader(file, 24, MAGIC, 'a test file');
    const { file: next } = write('live.bin.tmp', 1000, 100);
    fs.renameSync(next, file);
    const got = new Float32Array(1000);
    r.fill(got, 24);
    expect(Array.from(got)).toEqual(Array.from(written));
    r.close();
  });
});

describe('postings and sparse vectors read on first use', () => {
  it('give the same posting lists as the postings built in memory, whatever order the terms are asked in', () => {
    const rand = rng(7);
    const words = Array.from({ length: 300 }, (_, i) => `词${i}`);
    const rows: [number, string, string, string][] = Array.from({ length: 2000 }, (_, label) => [
      label,
      words[Math.floor(rand() * 5)]!,
      '',
      Array.from({ length: 1 + Math.floor(rand() * 30) }, () => words[Math.floor(rand() ** 2 * words.length)]!).join(' '),
    ]);
    const built = Postings.build([0.2, 1, 1], rows, (f, len, avg) => f / (f + 1.2 * (0.25 + (0.75 * len) / avg)));
    const file = path.join(dir, 'postings.bin');
    built.save(file);
    const loaded = Postings.load(file);
    expect(loaded.rows).toBe(built.rows);
    expect(loaded.totalTokens).toBe(built.totalTokens);
    for (const w of [...words].reverse()) {
      const a = built.range(w);
      const b = loaded.range(w);
      expect(b).toEqual(a);
      if (!a || !b) continue;
      expect(Array.from(loaded.labels.subarray(b.start, b.end))).toEqual(Array.from(built.labels.subarray(a.start, a.end)));
      expect(Array.from(loaded.freqs.subarray(b.start, b.end))).toEqual(Array.from(built.freqs.subarray(a.start, a.end)));
    }
    expect(loaded.range('不在其中')).toBeUndefined();
  });

  it('find the same neighbours with the same scores as the sparse index built in memory', () => {
    const rand = rng(11);
    const dims = 64;
    const unit = (density: number) => {
      const v = Array.from({ length: dims }, () => (rand() < density ? rand() : 0));
      const n = Math.hypot(...v) || 1;
      return v.map((x) => x / n);
    };
    const rows: [number, Buffer][] = Array.from({ length: 500 }, (_, label) => [label, encodeVector(unit(0.2), true)]);
    const built = SparseVectorIndex.build(dims, rows);
    const file = path.join(dir, 'vectors.sparse');
    built.save(file);
    const loaded = SparseVectorIndex.load(file);
    expect(loaded.size).toBe(built.size);
    for (let q = 0; q < 20; q++) {
      const query = unit(0.3);
      expect(loaded.search(query, 10)).toEqual(built.search(query, 10));
      expect(loaded.search(query, 5, (l) => l % 2 === 0)).toEqual(built.search(query, 5, (l) => l % 2 === 0));
    }
    loaded.close();
  });

  it('rank records sharing a text (one stored vector) exactly as records each holding its own copy, gaps in the labels included', () => {
    const rand = rng(12);
    const dims = 64;
    const unit = () => {
      const v = Array.from({ length: dims }, () => (rand() < 0.25 ? rand() : 0));
      const n = Math.hypot(...v) || 1;
      return v.map((x) => x / n);
    };
    const texts = Array.from({ length: 40 }, () => encodeVector(unit(), true));
    // 300 records over 40 texts, every third label missing (a deleted document)
    const rows = Array.from({ length: 450 }, (_, label) => label)
      .filter((label) => label % 3 !== 1)
      .map((label): [number, Buffer, string] => {
        const t = Math.floor(rand() * texts.length);
        return [label, texts[t]!, `text-${t}`];
      });
    const shared = SparseVectorIndex.build(dims, rows);
    const own = SparseVectorIndex.build(dims, rows.map(([label, buf]): [number, Buffer] => [label, buf]));
    const file = path.join(dir, 'shared.sparse');
    shared.save(file);
    const loaded = SparseVectorIndex.load(file);
    expect(loaded.size).toBe(rows.length);
    expect(fs.statSync(file).size).toBeLessThan(fs.statSync((own.save(path.join(dir, 'own.sparse')), path.join(dir, 'own.sparse'))).size / 3);
    for (let q = 0; q < 20; q++) {
      const query = unit();
      const hits = loaded.search(query, 10);
      expect(hits).toEqual(own.search(query, 10));
      expect(hits.every((h) => h.label % 3 !== 1)).toBe(true);
      expect(loaded.search(query, 7, (l) => l % 2 === 0)).toEqual(own.search(query, 7, (l) => l % 2 === 0));
    }
    loaded.close();
  });
});
