/**
 * HNSW recall curve for a dense embedding such as a model gives (issue 9). Usage, on an index built with the
 * offline embedding (e.g. a corpus from `npm run -s bench:scale -- --corpus-only <dir> --scales 100`, ingested):
 *   DJ_DATA_DIR=<dir> DJ_INDEX_DIR=<index> npx tsx scripts/bench-hnsw-dense.ts [--dims 1024 --grid 16:200,32:200
 *   --efs 50,100,200,400 --limit 200000]
 *
 * No model runs offline, and random vectors have no neighbourhood structure, so the dense vectors are a fixed
 * random projection of the stored hashed vectors: x ↦ normalise(R·x) with R a `dims` × 1024 matrix of seeded
 * Gaussian entries (Johnson–Lindenstrauss: cosines are kept up to a small error, and every entry is non-zero like
 * a model's output). The questions of the dev, paraphrase and held-out sets (glossary-expanded, as the retriever
 * sends them) are projected the same way. Truth is exact search over the same dense vectors; a returned vector
 * at least as close as the 10th exact one counts (copies of a paragraph have equal vectors). Prints, per
 * M / efConstruction, the build time and, per ef, recall@10 and the query p50.
 */
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
const rows = db
  .prepare('SELECT r.label, v.vector FROM records r JOIN vectors v ON v.space = ? AND v.key = r.vector_key ORDER BY r.label LIMIT ?')
  .raw()
  .all(a.index.manifest.embedding, LIMIT) as [number, Buffer][];
const t0 = performance.now();
const labels = rows.map((r) => r[0]);
const vectors = rows.map((r) => project(nonZero(decodeVector(r[1], src, true))));
process.stderr.write(`${vectors.length} vectors projected to ${DIMS} dims in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
const questions = readQuestions(['test/fixtures/dev-questions.jsonl', 'test/fixtures/paraphrase-questions.jsonl', 'test/fixtures/heldout-questions.jsonl']);
const queries = await Promise.all(questions.map(async (q) => project(nonZero(await a.index.embeddings.embedQuery(a.glossary.expand(q).text)))));
// exact: the 10th best cosine per query
const tenth = queries.map((q) => {
  const scores = vectors.map((v) => {
    let s = 0;
    for (let i = 0; i < DIMS; i++) s += q[i]! * v[i]!;
    return s;
  });
  return scores.sort((x, y) => y - x)[9] ?? 0;
});
console.log(`HNSW over ${vectors.length} dense ${DIMS}-dimension vectors (random projection of the hashed ones), ${queries.length} questions:`);
for (const [M, efC] of GRID) {
  const store = HnswStore.create(DIMS, { M, efConstruction: efC, ef: 100 }, vectors.length);
  const t = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < vectors.length; i += 1000) store.add(labels.slice(i, i + 1000), vectors.slice(i, i + 1000));
  const cpu = process.cpuUsage(c0);
  const build = `build ${((performance.now() - t) / 1000).toFixed(0)} s (CPU ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s)`;
  for (const ef of EFS) {
    store.setEf(ef);
    const lat: number[] = [];
    let hit = 0;
    queries.forEach((q, i) => {
      const t1 = performance.now();
      const got = store.search(Array.from(q), 10);
      lat.push(performance.now() - t1);
      hit += got.filter((h) => h.score >= tenth[i]! - 1e-5).length / 10;
    });
    console.log(`M ${M}, efConstruction ${efC} (${build}), ef ${ef}: recall@10 ${(hit / queries.length).toFixed(3)}, p50 ${percentile(lat, 50).toFixed(2)} ms`);
  }
}
a.index.close();
