/**
 * Speed benchmark of the knowledge core on the embedded default. Usage: npm run -s bench [-- --rounds 20]
 * Measures (issue 7's targets): a full ingest of data/ into a fresh index folder, and of data/ plus the fictional
 * policy corpus (test/fixtures/fictional: .md masters and their .docx/.pdf) (target < 10 s); opening the persisted
 * index (target well under 1 s); warm `ask` latency over the dev and paraphrase questions on the five reports
 * (target p95 < 20 ms).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { openAssistant } from '../src/assistant.js';
import { loadCoreConfig } from '../src/config.js';
import { setLogLevel } from '../src/log.js';
import { KnowledgeIndex } from '../src/retrieval/knowledge-index.js';
import { readQuestions } from './measure.js';

setLogLevel('warn');
const { rounds } = new Command().option('--rounds <n>', 'passes over the questions', (v) => Number(v), 10).parse().opts<{ rounds: number }>();
const indexDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-bench-'));
const config = loadCoreConfig(process.env, { indexDir });

const t0 = performance.now();
const report = await KnowledgeIndex.build(config);
const ingestMs = performance.now() - t0;

// the five reports plus the fictional corpus in every format, in a temporary copy of data/
const mixedData = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-bench-data-'));
fs.cpSync(config.dataDir, mixedData, { recursive: true });
const fictional = 'test/fixtures/fictional';
for (const f of fs.readdirSync(fictional).filter((f) => /\.(md|meta\.yaml)$/.test(f))) fs.copyFileSync(path.join(fictional, f), path.join(mixedData, 'corpus', f));
for (const f of fs.readdirSync(path.join(fictional, 'generated'))) fs.copyFileSync(path.join(fictional, 'generated', f), path.join(mixedData, 'corpus', `x-${f}`));
const mixedConfig = loadCoreConfig(process.env, { dataDir: mixedData, indexDir: fs.mkdtempSync(path.join(os.tmpdir(), 'dj-bench-mixed-')) });
const tm = performance.now();
const mixed = await KnowledgeIndex.build(mixedConfig);
const mixedMs = performance.now() - tm;

const t1 = performance.now();
const assistant = await openAssistant({ config });
const loadMs = performance.now() - t1;

const questions = readQuestions(['test/fixtures/dev-questions.jsonl', 'test/fixtures/paraphrase-questions.jsonl']);
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
console.log(`ingest with the fictional corpus (.md, .docx, .pdf): ${mixed.documents} documents, ${mixed.chunks} chunks, ${mixed.measures} measures in ${mixedMs.toFixed(0)} ms${mixed.problems.length ? `; problems: ${mixed.problems.map((x) => x.source).join(', ')}` : ''}`);
console.log(`open persisted index (incl. glossary, lexicon, BM25 rebuild): ${loadMs.toFixed(0)} ms`);
console.log(`warm ask over ${lat.length} questions: p50 ${p(0.5)} ms, p95 ${p(0.95)} ms, max ${lat.at(-1)!.toFixed(1)} ms`);
console.log(`rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
for (const d of [indexDir, mixedData, mixedConfig.indexDir]) fs.rmSync(d, { recursive: true, force: true });
