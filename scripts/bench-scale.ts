/**
 * Scale benchmark (issue 9). Usage: npm run -s bench:scale [-- --scales 10,100,1000 --rounds 3 --keep
 *   --hnsw-limit 200000 --hnsw-grid 16:200,32:200 --efs 100,200,400,800]; `--corpus-only <dir> --scales 100` writes
 *   that data folder and exits.
 *
 * For each scale s it writes a synthetic corpus of 5·s documents into a temporary data folder: copy c of each of
 * the five reports in data/corpus has its place names rotated through the lexicon's places, its figures shifted,
 * about 8 % of its paragraphs dropped, 10 % swapped with their neighbour and 10 % replaced by a paragraph of
 * another report (copy 0 is the original); line breaks and other print quirks are kept as printed. Then, each in
 * its own process so that peak RSS is that step's alone:
 *   - ingest: `KnowledgeIndex.build` from scratch (time, peak RSS), index size on disk;
 *   - open: `openAssistant` on the built index (time, RSS);
 *   - cold CLI ask: `npm run -s cli -- ask --json <question>` wall time, tsx start-up included;
 *   - warm ask and search: after a warm-up on 67 other questions (eval/fictional-dev, eval/heldout-2), the dev,
 *     paraphrase and held-out questions, `rounds` passes, p50/p95 (ms);
 *   - BM25: the product's FTS5 tokens with MaxScore pruning, plain FTS5 (all terms OR-ed in one MATCH,
 *     ORDER BY bm25()), and (up to 100×) the former in-memory BM25 rebuilt from the same tokens: p50/p95 and
 *     overlap@5 with the former ranking and with plain FTS5;
 *   - vectors: the product's exact sparse search, and hnswlib over the same vectors for a grid of
 *     M / efConstruction / ef, recall@10 against exact and p50 (HNSW built on at most --hnsw-limit vectors).
 * Prints one Markdown table per measure group. Needs several minutes at 1000×.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { openAssistant } from '../src/assistant.js';
import { loadCoreConfig } from '../src/config.js';
import { setLogLevel } from '../src/log.js';
import { Bm25Index } from '../src/retrieval/bm25.js';
import { HnswStore } from '../src/retrieval/hnsw-store.js';
import { KnowledgeIndex } from '../src/retrieval/knowledge-index.js';
import { SparseVectorIndex } from '../src/retrieval/sparse-store.js';
import { decodeVector } from '../src/retrieval/vector-index.js';
import { percentile, readQuestions } from './measure.js';

setLogLevel('warn');
const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : def;
};
const SCALES = arg('scales', '10,100,1000').split(',').map(Number);
const ROUNDS = Number(arg('rounds', '3'));
const HNSW_LIMIT = Number(arg('hnsw-limit', '200000'));
const HNSW_GRID = arg('hnsw-grid', '16:200,32:200').split(',').map((p) => p.split(':').map(Number) as [number, number]);
const EFS = arg('efs', '100,200,400,800').split(',').map(Number);

const QUESTION_FILES = ['test/fixtures/dev-questions.jsonl', 'test/fixtures/paraphrase-questions.jsonl', 'test/fixtures/heldout-questions.jsonl'];
const questions = readQuestions(QUESTION_FILES);
/** Questions asked before measuring, none of them measured (a server has answered others before). */
const warmup = readQuestions(['eval/fictional-dev.jsonl', 'eval/heldout-2.jsonl']);

/** A seeded generator (LCG), so every run writes the same corpus. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** Writes the synthetic corpus of `scale` copies into `dataDir/corpus` (see the module comment). */
function writeCorpus(dataDir: string, scale: number): void {
  const src = 'data/corpus';
  const reports = fs.readdirSync(src).filter((f) => f.endsWith('.txt'));
  const texts = reports.map((f) => fs.readFileSync(path.join(src, f), 'utf8'));
  const paras = texts.map((t) => t.split(/\n\n/));
  const lexicon = YAML.parse(fs.readFileSync('data/lexicon.yaml', 'utf8')) as { places: { name: string }[] };
  const places = lexicon.places.map((p) => p.name);
  const placeRe = new RegExp([...places].sort((a, b) => b.length - a.length).join('|'), 'g');
  const out = path.join(dataDir, 'corpus');
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  for (let c = 0; c < scale; c++) {
    const rand = rng(c * 7919 + 13);
    reports.forEach((file, r) => {
      const meta = YAML.parse(fs.readFileSync(path.join(src, file.replace(/\.txt$/, '.meta.yaml')), 'utf8')) as Record<string, unknown>;
      const name = `c${String(c).padStart(4, '0')}_${file}`;
      if (c === 0) {
        fs.writeFileSync(path.join(out, name), texts[r]!);
        fs.writeFileSync(path.join(out, name.replace(/\.txt$/, '.meta.yaml')), YAML.stringify(meta));
        return;
      }
      const rotate = (s: string) => s.replace(placeRe, (p) => places[(places.indexOf(p) + c) % places.length]!);
      const shift = (s: string) => s.replace(/(?<![\d.])(\d{1,4})(?![\d.年])/g, (n) => String(Number(n) + (c % 9) + 1));
      const ps = paras[r]!.map((p, i) => {
        if (i < 3) return p; // the opening lines (captions, title) stay
        const x = rand();
        if (x < 0.08) return '';
        if (x < 0.18) {
          const other = paras[Math.floor(rand() * paras.length)]!;
          return other[3 + Math.floor(rand() * Math.max(1, other.length - 3))] ?? p;
        }
        return p;
      });
      for (let i = 3; i + 1 < ps.length; i++) if (rand() < 0.1) [ps[i], ps[i + 1]] = [ps[i + 1]!, ps[i]!];
      fs.writeFileSync(path.join(out, name), shift(rotate(ps.filter((p) => p !== '').join('\n\n'))));
      const title = `${rotate(String(meta.title ?? ''))}（${c}）`;
      fs.writeFileSync(path.join(out, name.replace(/\.txt$/, '.meta.yaml')), YAML.stringify({ ...meta, title, ...(meta.place ? { place: rotate(String(meta.place)) } : {}) }));
    });
  }
}

const ms = (x: number) => (x < 10 ? x.toFixed(1) : x.toFixed(0));
const rssMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);
const timed = async <T>(f: () => Promise<T> | T): Promise<[T, number]> => {
  const t = performance.now();
  const v = await f();
  return [v, performance.now() - t];
};

/** Runs this script as a worker for one step (own process: own peak RSS). */
function worker(step: string, dataDir: string, indexDir: string): Record<string, number | string> {
  const res = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/bench-scale.ts', '--worker', step, '--data', dataDir, '--index', indexDir, ...process.argv.slice(2)], {
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (res.status !== 0) throw new Error(`worker ${step} failed (${res.status}): ${res.stdout.slice(-2000)}`);
  return JSON.parse(res.stdout.trim().split('\n').at(-1)!) as Record<string, number | string>;
}

const overlap = (a: number[], b: number[]) => (b.length ? a.filter((x) => b.includes(x)).length / Math.min(5, b.length) : 1);

async function workerMain(step: string, dataDir: string, indexDir: string): Promise<Record<string, number | string>> {
  const config = loadCoreConfig({ ...process.env, DJ_DATA_DIR: dataDir, DJ_INDEX_DIR: indexDir });
  if (step === 'ingest') {
    const [report, t] = await timed(() => KnowledgeIndex.build(config));
    const cpu = process.cpuUsage();
    return { ms: t, cpuMs: (cpu.user + cpu.system) / 1000, rss: rssMiB(), records: report.chunks + report.measures, documents: report.documents };
  }
  if (step === 'add') {
    // incremental: five new documents (copies of the reports under new names) added to the built index
    for (const f of fs.readdirSync(path.join(dataDir, 'corpus')).filter((f) => f.startsWith('c0000_'))) fs.copyFileSync(path.join(dataDir, 'corpus', f), path.join(dataDir, 'corpus', f.replace('c0000_', 'zadd_')));
    const [report, t] = await timed(() => KnowledgeIndex.build(config));
    for (const f of fs.readdirSync(path.join(dataDir, 'corpus')).filter((f) => f.startsWith('zadd_'))) fs.rmSync(path.join(dataDir, 'corpus', f));
    const [, tr] = await timed(() => KnowledgeIndex.build(config));
    return { ms: t, removeMs: tr, rss: rssMiB(), indexed: report.indexed, embedded: report.embedded };
  }
  // open, warm ask / search, BM25 and vectors
  const [a, openMs] = await timed(() => openAssistant({ config }));
  const openRss = rssMiB();
  // warm-up on other questions (JIT, the lazily read postings, vectors and documents): the measured questions'
  // own first passes stay in the figures
  for (const q of warmup) await a.ask(q);
  const askLat: number[] = [];
  const searchLat: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const q of questions) {
      askLat.push((await timed(() => a.ask(q)))[1]);
      searchLat.push((await timed(() => a.retriever.search(q)))[1]);
    }
  }
  const fts = a.index.bm25;
  const expanded = questions.map((q) => a.glossary.expand(q));
  const pruned: number[] = [];
  const plain: number[] = [];
  const overlapPlain: number[] = [];
  let probed = 0;
  for (let r = 0; r < ROUNDS; r++) {
    for (const e of expanded) {
      const [hp, tp] = await timed(() => fts.search(e.terms, 50));
      const [hq, tq] = await timed(() => fts.searchPlain(e.terms.keys(), 50));
      pruned.push(tp);
      plain.push(tq);
      if (r === 0) {
        overlapPlain.push(overlap(hp.slice(0, 5).map((h) => h.label), hq.slice(0, 5).map((h) => h.label)));
        probed += fts.lastTrace.probed > 0 ? 1 : 0;
      }
    }
  }
  const out: Record<string, number | string> = {
    openMs,
    openRss,
    askP50: percentile(askLat, 50),
    askP95: percentile(askLat, 95),
    searchP50: percentile(searchLat, 50),
    searchP95: percentile(searchLat, 95),
    bm25P50: percentile(pruned, 50),
    bm25P95: percentile(pruned, 95),
    plainP50: percentile(plain, 50),
    plainP95: percentile(plain, 95),
    overlapPlain: overlapPlain.reduce((x, y) => x + y, 0) / overlapPlain.length,
    prunedShare: probed / expanded.length,
  };
  // the former in-memory BM25 over the same tokens (its ranking is the reference for overlap@5)
  const db = (a.index as unknown as { db: import('better-sqlite3').Database }).db;
  if (fts.size <= 25_000) {
    const rows = db.prepare('SELECT rowid, section, text FROM fts ORDER BY rowid').raw().all() as [number, string, string][];
    const labels = rows.map((r) => r[0]);
    const old = new Bm25Index(rows.map((r) => `${r[1]} ${r[2]}`.split(' ').filter(Boolean)));
    const oldLat: number[] = [];
    const ov: number[] = [];
    for (const e of expanded) {
      const [ho, t] = await timed(() => old.search(e.terms, 50));
      oldLat.push(t);
      ov.push(overlap(fts.search(e.terms, 5).map((h) => h.label), ho.slice(0, 5).map((h) => labels[h.index]!)));
    }
    out.oldP50 = percentile(oldLat, 50);
    out.overlapOld = ov.reduce((x, y) => x + y, 0) / ov.length;
  }
  // vectors: exact sparse (the product) vs HNSW over the same vectors
  const qvs = await Promise.all(questions.map((q) => a.index.embeddings.embedQuery(a.glossary.expand(q).text)));
  const exact = a.index.store as SparseVectorIndex;
  const exactLat: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const qv of qvs) {
      const t = performance.now();
      exact.search(qv, 50);
      exactLat.push(performance.now() - t);
    }
  }
  out.exactP50 = percentile(exactLat, 50);
  out.exactP95 = percentile(exactLat, 95);
  if (step === 'query-hnsw') {
    const dims = a.index.manifest.dimensions;
    const rows = db
      .prepare('SELECT r.label, v.vector FROM records r JOIN vectors v ON v.space = ? AND v.key = r.vector_key ORDER BY r.label LIMIT ?')
      .raw()
      .all(a.index.manifest.embedding, HNSW_LIMIT) as [number, Buffer][];
    // exact truth over the same (possibly limited) set of vectors
    const limited = rows.length < fts.size;
    const subset = limited ? SparseVectorIndex.build(dims, rows) : exact;
    // the 10th exact score: a returned vector at least that close counts (copies of a paragraph have equal vectors)
    const tenth = qvs.map((qv) => (limited ? subset : exact).search(qv, 10).at(-1)?.score ?? 0);
    const curve: string[] = [];
    for (const [M, efC] of HNSW_GRID) {
      const store = HnswStore.create(dims, { M, efConstruction: efC, ef: 100 }, rows.length);
      const t0 = performance.now();
      for (let i = 0; i < rows.length; i += 1000) {
        const part = rows.slice(i, i + 1000);
        store.add(
          part.map((r) => r[0]),
          part.map((r) => decodeVector(r[1], dims, true)),
        );
      }
      const buildS = (performance.now() - t0) / 1000;
      for (const ef of EFS) {
        store.setEf(ef);
        const lat: number[] = [];
        let hit = 0;
        qvs.forEach((qv, i) => {
          const t = performance.now();
          const got = store.search(qv, 10);
          lat.push(performance.now() - t);
          hit += got.filter((h) => h.score >= tenth[i]! - 1e-5).length / Math.max(1, got.length);
        });
        curve.push(`M ${M}, efC ${efC} (build ${buildS.toFixed(0)} s${limited ? `, ${rows.length} vectors` : ''}), ef ${ef}: recall@10 ${(hit / qvs.length).toFixed(3)}, p50 ${ms(percentile(lat, 50))} ms`);
      }
    }
    out.hnsw = curve.join('\n');
  }
  out.rss = rssMiB();
  a.index.close();
  return out;
}

const corpusOnly = arg('corpus-only', '');
if (corpusOnly) {
  // writes the data folder of the first scale and exits (for profiling)
  fs.cpSync('data', corpusOnly, { recursive: true });
  writeCorpus(corpusOnly, SCALES[0]!);
  process.exit(0);
}
const workerStep = arg('worker', '');
if (workerStep) {
  console.log(JSON.stringify(await workerMain(workerStep, arg('data', ''), arg('index', ''))));
  process.exit(0);
}

const du = (dir: string) => Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0]);
const rows: string[] = [];
const extra: string[] = [];
const hnswCurves: string[] = [];
for (const scale of SCALES) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `dj-scale-${scale}-`));
  const dataDir = path.join(root, 'data');
  const indexDir = path.join(root, 'index');
  fs.cpSync('data', dataDir, { recursive: true });
  writeCorpus(dataDir, scale);
  process.stderr.write(`${scale}×: corpus written; ingesting…\n`);
  const ing = worker('ingest', dataDir, indexDir);
  const size = du(indexDir);
  process.stderr.write(`${scale}×: ingest ${ms(Number(ing.ms) / 1000)} s; querying…\n`);
  const q = worker(scale <= 100 || HNSW_LIMIT > 0 ? 'query-hnsw' : 'query', dataDir, indexDir);
  const t = performance.now();
  const cli = spawnSync('npm', ['run', '-s', 'cli', '--', 'ask', '--json', questions[1]!], { env: { ...process.env, DJ_DATA_DIR: dataDir, DJ_INDEX_DIR: indexDir }, encoding: 'utf8' });
  const coldMs = performance.now() - t;
  if (cli.status !== 0) process.stderr.write(`cold ask failed: ${cli.stderr}\n`);
  const add = worker('add', dataDir, indexDir);
  rows.push(
    `| ${scale}× (${Number(ing.documents).toLocaleString('en')} docs) | ${Number(ing.records).toLocaleString('en')} | ${ms(Number(ing.ms) / 1000)} s (CPU ${ms(Number(ing.cpuMs) / 1000)} s) | ${ing.rss} MiB | ${(size / 2 ** 20).toFixed(0)} MiB | ${ms(Number(q.openMs))} ms | ${ms(coldMs / 1000)} s | ${ms(Number(q.askP50))} / ${ms(Number(q.askP95))} ms | ${ms(Number(q.searchP50))} / ${ms(Number(q.searchP95))} ms | ${ms(Number(q.bm25P50))} / ${ms(Number(q.bm25P95))} ms | ${q.rss} MiB | 1.00 (exact, p50 ${ms(Number(q.exactP50))} ms) |`,
  );
  extra.push(
    `| ${scale}× | ${ms(Number(q.bm25P50))} / ${ms(Number(q.bm25P95))} ms (${(Number(q.prunedShare) * 100).toFixed(0)} % pruned) | ${ms(Number(q.plainP50))} / ${ms(Number(q.plainP95))} ms | ${q.oldP50 === undefined ? '–' : `${ms(Number(q.oldP50))} ms`} | ${Number(q.overlapPlain).toFixed(2)} | ${q.overlapOld === undefined ? '–' : Number(q.overlapOld).toFixed(2)} | +5 docs ${ms(Number(add.ms) / 1000)} s (${add.indexed} read, ${add.embedded} embedded), −5 docs ${ms(Number(add.removeMs) / 1000)} s, ${add.rss} MiB |`,
  );
  if (q.hnsw) hnswCurves.push(`${scale}×:\n${q.hnsw}`);
  if (!process.argv.includes('--keep')) fs.rmSync(root, { recursive: true, force: true });
  else process.stderr.write(`kept ${root}\n`);
}
console.log('| corpus | records | ingest | ingest peak RSS | index on disk | open | cold CLI ask | warm ask p50 / p95 | warm search p50 / p95 | BM25 query p50 / p95 | query process peak RSS | vector recall@10 vs exact |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
console.log('\n| corpus | BM25, FTS5 tokens + MaxScore (product) | plain FTS5 OR-ed MATCH | former in-memory BM25 | overlap@5 with plain FTS5 | overlap@5 with former BM25 | incremental ingest |');
console.log('|---|---|---|---|---|---|---|');
for (const r of extra) console.log(r);
if (hnswCurves.length) console.log(`\nHNSW (hnswlib) over the same hashed vectors, recall@10 against exact search:\n${hnswCurves.join('\n')}`);
