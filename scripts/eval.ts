/**
 * Retrieval and answer evaluation. Usage:
 *   npm run -s eval -- [questions.jsonl ...] [--json]
 * Default files: ../shared/dev-questions.jsonl, test/fixtures/paraphrase-questions.jsonl (colloquial questions the
 * glossary was extended for while developing) and test/fixtures/heldout-questions.jsonl (written afterwards; no glossary
 * entry was added for it, but the grounding rules were reworked after its first run showed 6/10 false refusals).
 * Question format (one JSON object per line): {"id","q","gold":[strings],"must":[strings],"type"?: "oos"|"summary"}.
 *
 * Prints, per file: hit@1, hit@5 and MRR@10 of the passage (a gold string found in a result's text after
 * removing white space) for hybrid (with reranker), BM25-only and vector-only, side by side; the share of
 * answers containing every `must` string; the refusal rate on `oos` questions and on the others; p50/p95
 * latency of a warm `ask`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { openAssistant } from '../src/assistant.js';
import { setLogLevel } from '../src/log.js';
import type { SearchMode } from '../src/retrieval/retriever.js';

const QuestionSchema = z.object({
  id: z.string(),
  q: z.string().min(1),
  gold: z.array(z.string()).default([]),
  must: z.array(z.string()).default([]),
  type: z.enum(['oos', 'summary']).optional(),
});
type Question = z.infer<typeof QuestionSchema>;

const program = new Command('eval')
  .argument('[files...]')
  .option('--json', 'print the metrics as JSON')
  .option('-v, --verbose', 'print every question with its rank and answer')
  .parse();
const files = program.args.length
  ? program.args
  : ['../shared/dev-questions.jsonl', 'test/fixtures/paraphrase-questions.jsonl', 'test/fixtures/heldout-questions.jsonl'];
const opts = program.opts<{ json?: boolean; verbose?: boolean }>();
if (!process.env.LOG_LEVEL) setLogLevel('warn');

const norm = (s: string) => s.replace(/\s+/g, '');
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : 0;
};

const assistant = await openAssistant();
const modes: SearchMode[] = ['hybrid', 'bm25', 'vector'];
const report: Record<string, unknown> = {};

for (const file of files) {
  const questions: Question[] = fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .map((l, i) => {
      const r = QuestionSchema.safeParse(JSON.parse(l));
      if (!r.success) throw new Error(`${file}:${i + 1}: ${r.error.issues[0]?.message}`);
      return r.data;
    });
  const retrieval = Object.fromEntries(modes.map((m) => [m, { hit1: 0, hit5: 0, rr: 0, n: 0 }]));
  let mustOk = 0;
  let mustN = 0;
  let oosRefused = 0;
  let oosN = 0;
  let otherRefused = 0;
  let otherN = 0;
  const latencies: number[] = [];
  const rows: string[] = [];

  for (const q of questions) {
    const ranks: Record<string, number> = {};
    if (q.gold.length && q.type !== 'summary') {
      for (const mode of modes) {
        const { hits } = await assistant.retriever.search(q.q, { k: 10, mode });
        const r = hits.findIndex((h) => q.gold.some((g) => norm(h.record.text).includes(norm(g))));
        const m = retrieval[mode]!;
        m.n++;
        if (r === 0) m.hit1++;
        if (r >= 0 && r < 5) m.hit5++;
        if (r >= 0) m.rr += 1 / (r + 1);
        ranks[mode] = r + 1;
      }
    }
    const t0 = performance.now();
    const out = q.type === 'summary' ? await assistant.summarize(q.q) : await assistant.ask(q.q);
    latencies.push(performance.now() - t0);
    const text = 'answer' in out ? out.answer : out.summary;
    if (q.must.length) {
      mustN++;
      if (q.must.every((m) => text.includes(m))) mustOk++;
    }
    if (q.type === 'oos') {
      oosN++;
      if (!out.grounded) oosRefused++;
    } else {
      otherN++;
      if (!out.grounded) otherRefused++;
    }
    rows.push(`${q.id}  rank hybrid/bm25/vector = ${modes.map((m) => ranks[m] ?? '-').join('/')}  grounded=${out.grounded}  ${text.replace(/\s+/g, ' ').slice(0, 90)}`);
  }

  const table = Object.fromEntries(
    modes.map((m) => {
      const r = retrieval[m]!;
      return [m, { 'hit@1': r.n ? r.hit1 / r.n : 0, 'hit@5': r.n ? r.hit5 / r.n : 0, 'MRR@10': r.n ? r.rr / r.n : 0, n: r.n }];
    }),
  );
  const answers = {
    mustShare: mustN ? mustOk / mustN : 1,
    mustN,
    oosRefusal: oosN ? oosRefused / oosN : null,
    oosN,
    otherRefusal: otherN ? otherRefused / otherN : 0,
    otherN,
    p50ms: Number(pct(latencies, 50).toFixed(1)),
    p95ms: Number(pct(latencies, 95).toFixed(1)),
  };
  report[path.basename(file)] = { retrieval: table, answers };
  if (!opts.json) {
    console.log(`\n## ${file} (${questions.length} questions)`);
    console.log('| mode | hit@1 | hit@5 | MRR@10 | n |\n|---|---|---|---|---|');
    for (const m of modes) {
      const r = table[m]!;
      console.log(`| ${m} | ${r['hit@1'].toFixed(2)} | ${r['hit@5'].toFixed(2)} | ${r['MRR@10'].toFixed(3)} | ${r.n} |`);
    }
    console.log(
      `answers with every must string: ${mustOk}/${mustN}; refused: oos ${oosRefused}/${oosN}, others ${otherRefused}/${otherN}; latency p50 ${answers.p50ms} ms, p95 ${answers.p95ms} ms`,
    );
    if (opts.verbose) for (const r of rows) console.log(`  ${r}`);
  }
}
if (opts.json) console.log(JSON.stringify(report));
