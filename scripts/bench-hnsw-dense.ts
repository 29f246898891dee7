/**
 * HNSW recall curve for a dense embedding such as a model gives (issue 9). Usage, on an index built with the
 * offline embedding (e.g. a corpus from `npm run -s bench:scale -- --corpus-only <dir> --scales 100`, ingested):
 *   DJ_DATA_DIR=<dir> DJ_INDEX_DIR=<index> npx tsx scripts/bench-hnsw-dense.ts [--dims 1024 --grid 16:200,32:200
 *   --efs 50,100,200,400 --limit 200000 --cache <file> --exact]
 *
 * No model runs offline, and random vectors have no neighbourhood structure, so the dense vectors are a fixed
 * random projection of the stored hashed vectors: x ↦ normalise(R·x) with R a `dims` × 1024 matrix of seeded
 * Gaussian entries (Johnson–Lindenstrauss: cosines are kept up to a small error, and every entry is non-zero like
 * a model's output). The questions of the dev, paraphrase and held-out sets and the 67 warm-up questions of the
 * scale benchmark (glossary-expanded, as the retriever sends them) are projected the same way. Truth is exact
 * search over the same dense vectors; a returned vector at least as close as the 10th exact one counts (copies of
 * a paragraph have equal vectors). Prints, per M / efConstruction, the build time and, per ef, recall@10 (over all
 * questions, and over the first 34 as earlier rounds measured) and the query p50 / p95.
 *
 * Every record is added to the product's `HnswStore`, which holds each distinct vector once (records with equal
 * texts share a vector) and expands a hit to the records holding it. `--cache <file>` keeps the projected
 * vectors in a float32 file between runs (projecting 180k vectors takes minutes). `--exact` also times exact search
 * over the float32 vectors (a JavaScript loop, and hnswlib's BruteforceSearch).
 */
import fs from 'node:fs';
import hnswlib from 'hnswlib-node';
import { openAssistant } from '../src/assistant.js';
import { setLogLevel } from '../src/log.js';
import { HnswStore } from '../src/retrieval/hnsw-store.js';
import { decodeVector } from '../src/retrieval/vector-index.js';
import { numberArg, percentile, readQuestions } from './measure.js';

setLogLevel('warn');
const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : def;
};
const DIMS = numberArg('dims', 1024);
const LIMIT = numberArg('limit', 200_000);
const GRID = arg('grid', '16:200,32:200').split(',').map((p) => p.split(':').map(Number) as [number, number]);
const EFS = arg('efs', '50,100,200,400').split(',').map(Number);

/** A seeded generator (LCG) and standard normal draws from it (Box–Muller). */
function gaussian(seed: number): () => number {
  let s = seed >>> 0 || 1;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 1) / (2 ** 32 + 1);
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

const a = await openAssistant();
const src = a.index.manifest.dimensions;
const rand = gaussian(20261128);
// R drawn row by row (the same matrix as before) but stored column-major, R[i][d] at RT[d·DIMS + i], so that a
// sparse x reads one contiguous column per non-zero entry
const RT = new Float32Array(DIMS * src);
for (let i = 0; i < DIMS; i++) for (let d = 0; d < src; d++) RT[d * DIMS + i] = rand();
/** normalise(R·x) for a sparse x given by its non-zero entries. */
function project(entries: [number, number][]): Float32Array {
  const out = new Float32Array(DIMS);
  for (const [d, v] of entries) {
    const col = RT.subarray(d * DIMS, (d + 1) * DIMS);
    for (let i = 0; i < DIMS; i++) out[i]! += col[i]! * v;
  }
  let n = 0;
  for (const x of out) n += x * x;
  n = Math.sqrt(n) || 1;
  for (let i = 0; i < DIMS; i++) out[i]! /= n;
  return out;
}
const nonZero = (v: number[]): [number, number][] => v.flatMap((x, d) => (x ? [[d, x] as [number, number]] : []));

const db = (a.index as unknown as { db: import('better-sqlite3').Database }).db;
const CACHE = arg('cache', '');
// one row per record: its label and its vector's key (records with equal texts share the key)
const recs = db.prepare('SELECT label, vector_key FROM records ORDER BY label LIMIT ?').raw().all(LIMIT) as [number, string][];
const t0 = performance.now();
/** The projected vector of every distinct key, from the cache file when it matches. */
const byKey = new Map<string, Float32Array>();
const keys = [...new Set(recs.map((r) => r[1]))].sort();
if (CACHE && fs.existsSync(CACHE) && fs.existsSync(`${CACHE}.keys`) && fs.readFileSync(`${CACHE}.keys`, 'utf8') === keys.join('\n')) {
  const buf = fs.readFileSync(CACHE);
  const all = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  keys.forEach((k, i) => byKey.set(k, all.subarray(i * DIMS, (i + 1) * DIMS)));
} else {
  const get = db.prepare('SELECT vector FROM vectors WHERE space = ? AND key = ?').pluck();
  for (const k of keys) byKey.set(k, project(nonZero(decodeVector(get.get(a.index.manifest.embedding, k) as Buffer, src, true))));
  if (CACHE) {
    const fd = fs.openSync(CACHE, 'w');
    for (const k of keys) fs.writeSync(fd, byKey.get(k)!);
    fs.closeSync(fd);
    fs.writeFileSync(`${CACHE}.keys`, keys.join('\n'));
  }
}
process.stderr.write(`${keys.length} distinct vectors of ${recs.length} records projected to ${DIMS} dims in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
const keyIndex = new Map(keys.map((k, i) => [k, i]));
/** Records per distinct key, in label order. */
const labelsOfKey: number[][] = keys.map(() => []);
for (const [label, key] of recs) labelsOfKey[keyIndex.get(key)!]!.push(label);

const FIRST = 34;
const questions = readQuestions(['test/fixtures/dev-questions.jsonl', 'test/fixtures/paraphrase-questions.jsonl', 'test/fixtures/heldout-questions.jsonl', 'eval/fictional-dev.jsonl', 'eval/heldout-2.jsonl']);
const queries = await Promise.all(questions.map(async (q) => project(nonZero(await a.index.embeddings.embedQuery(a.glossary.expand(q).text)))));
const dot = (q: Float32Array, v: Float32Array) => {
  let s = 0;
  for (let i = 0; i < DIMS; i++) s += q[i]! * v[i]!;
  return s;
};
// exact: the 10th best cosine per query over the records (a distinct vector counts once per record holding it)
const exactMs: number[] = [];
const tenth = queries.map((q) => {
  const t = performance.now();
  const scores: number[] = [];
  keys.forEach((k, i) => {
    const s = dot(q, byKey.get(k)!);
    for (let n = 0; n < labelsOfKey[i]!.length; n++) scores.push(s);
  });
  const best = scores.sort((x, y) => y - x)[9] ?? 0;
  exactMs.push(performance.now() - t);
  return best;
});
const fmt = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(2)} ms, p95 ${percentile(xs, 95).toFixed(2)} ms`;
console.log(`${recs.length} records, ${keys.length} distinct vectors (${DIMS} dimensions, random projection of the hashed ones), ${queries.length} questions:`);
if (process.argv.includes('--exact')) {
  console.log(`exact, JavaScript loop over the ${keys.length} distinct float32 vectors: ${fmt(exactMs)}`);
  const bf = new hnswlib.BruteforceSearch('cosine', DIMS);
  bf.initIndex(keys.length);
  keys.forEach((k, i) => bf.addPoint(Array.from(byKey.get(k)!), i));
  const lat = queries.map((q) => {
    const arr = Array.from(q);
    const t = performance.now();
    bf.searchKnn(arr, 10);
    return performance.now() - t;
  });
  console.log(`exact, hnswlib BruteforceSearch over the ${keys.length} distinct vectors: ${fmt(lat)}`);
}
for (const [M, efC] of GRID) {
  const points = recs.map(([label, key]) => ({ label, v: byKey.get(key)! }));
  const store = HnswStore.create(DIMS, { M, efConstruction: efC, ef: 100 }, points.length);
  const t = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < points.length; i += 1000) {
    const part = points.slice(i, i + 1000);
    store.add(
      part.map((p) => p.label),
      part.map((p) => p.v),
    );
  }
  const cpu = process.cpuUsage(c0);
  const build = `${store.nodes} nodes, build ${((performance.now() - t) / 1000).toFixed(0)} s (CPU ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s)`;
  for (const ef of EFS) {
    store.setEf(ef);
    const lat: number[] = [];
    const recall: number[] = [];
    queries.forEach((q, i) => {
      const arr = Array.from(q);
      const t1 = performance.now();
      const got = store.search(arr, 10);
      lat.push(performance.now() - t1);
      recall.push(got.filter((h) => h.score >= tenth[i]! - 1e-5).length / 10);
    });
    const mean = (xs: number[]) => (xs.reduce((x, y) => x + y, 0) / xs.length).toFixed(3);
    console.log(`M ${M}, efConstruction ${efC} (${build}), ef ${ef}: recall@10 ${mean(recall)} (first ${FIRST}: ${mean(recall.slice(0, FIRST))}, worst ${Math.min(...recall).toFixed(1)}), ${fmt(lat)}`);
  }
}
a.index.close();
