/**
 * Speed benchmark of the knowledge core on the embedded default. Usage: npm run -s bench [-- --rounds 20]
 * Measures: a full ingest of data/ into a fresh index folder (target < 10 s), opening the persisted index
 * (target well under 1 s), and warm `ask` latency over the dev and paraphrase questions (target p95 < 50 ms).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { openAssistant } from '../src/assistant.js';
import { loadCoreConfig } from '../src/config.js';
import { setLogLevel } from '../src/log.js';
import { KnowledgeIndex } from '../src/retrieval/knowledge-index.js';

setLogLevel('warn');
const { rounds } = new Command().option('--rounds <n>', 'passes over the questions', (v) => Number(v), 10).parse().opts<{ rounds: number }>();
const indexDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-bench-'));
const config = loadCoreConfig(process.env, { indexDir });

const t0 = performance.now();
const report = await KnowledgeIndex.build(config);
const ingestMs = performance.now() - t0;

const t1 = performance.now();
const assistant = await openAssistant({ config });
const loadMs = performance.now() - t1;

const questions = ['test/fixtures/dev-questions.jsonl', 'test/fixtures/paraphrase-questions.jsonl'].flatMap((f) =>
  fs
    .readFileSync(f, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { q: string; type?: string })
    .filter((q) => q.type !== 'summary')
    .map((q) => q.q),
);
await assistant.ask(questions[0]!); // warm-up (jieba dictionary, JIT)
const lat: number[] = [];
for (let r = 0; r < rounds; r++) {
  for (const q of questions) {
    const s = performance.now();
    await assistant.ask(q);
    lat.push(performance.now() - s);
  }
}
lat.sort((a, b) => a - b);
const p = (x: number) => lat[Math.min(lat.length - 1, Math.floor(x * lat.length))]!.toFixed(1);
console.log(`ingest: ${report.documents} documents, ${report.chunks} chunks, ${report.measures} measures in ${ingestMs.toFixed(0)} ms`);
console.log(`open persisted index (incl. glossary, lexicon, BM25 rebuild): ${loadMs.toFixed(0)} ms`);
console.log(`warm ask over ${lat.length} questions: p50 ${p(0.5)} ms, p95 ${p(0.95)} ms, max ${lat.at(-1)!.toFixed(1)} ms`);
console.log(`rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
fs.rmSync(indexDir, { recursive: true, force: true });
