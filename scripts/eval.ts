/**
 * Retrieval and answer evaluation on a throw-away copy of the data folder. Usage:
 *   npm run -s eval -- [sets.jsonl ...] [--extra test/fixtures/fictional] [--formats md,docx,pdf] [--also eval/fictional-2]
 *                      [--no-meta] [--check [eval/thresholds.yaml]] [--json] [--verbose] [--keep]
 *
 * Sets (one JSON object per line, see QuestionSchema): by default test/fixtures/dev-questions.jsonl (dev),
 * test/fixtures/paraphrase-questions.jsonl (colloquial; the glossary was extended for it), test/fixtures/
 * heldout-questions.jsonl (the first held-out set), eval/fictional-dev.jsonl (the fictional corpus, a tuning set) and
 * eval/fictional-dev-3.jsonl (the tuning half of the third corpus, eval/fictional-2) and eval/colloquial-dev-4.jsonl
 * (colloquial questions on the reports, unanswerable ones among them), and eval/heldout-2.jsonl and eval/heldout-3.jsonl
 * (retired to tuning on 2026-11-28). eval/heldout-4.jsonl runs only when named: it is held out and
 * asks about the fourth corpus too, which is not in the default run: run it with
 * `--also eval/fictional-2,eval/fictional-3`.
 *
 * How it runs, mirroring the hidden check: `data/` is copied to a temporary DJ_DATA_DIR, the --extra folder's
 * Markdown masters (and, per --formats, its generated/<stem>.docx|.pdf, each under its own name
 * `<stem>-docx.docx` with a copy of the master's .meta.yaml) are added to its corpus/, and a fresh DJ_INDEX_DIR
 * is used; the --also folders' files (the third corpus: .txt, .html, .md with their .meta.yaml) are copied as
 * they are. Answers come from the CLI JSON contract (`ask --json --file`, `summarize --json`) run with those two
 * variables; passage ranks (hit@1, hit@5, MRR@10 of the first result containing a `gold` string, white space
 * ignored) for hybrid (the answer pipeline's retrieval: understanding, fusion, reranker), BM25-only and vector-only, and the warm `ask` latency, come from the
 * same index opened in-process. Questions marked `"doc":"fictional"` are skipped when no --extra is given.
 *
 * Metrics per set: hit@1/hit@5/MRR@10 per mode; `must` = share of answerable questions (not oos, not summary)
 * that are grounded and contain every `must` string and one of each `mustAny` group; `oos_refused` = share of
 * `oos` questions refused (grounded=false); `false_refusals` = share of the other non-summary questions refused;
 * summaries: mean key-point coverage, share with citations, share under 1,500 characters; warm ask p50/p95 (ms).
 * Per question type the number passed is printed too.
 *
 * --check compares every set's metrics with eval/thresholds.yaml (`<set>: {min: {metric: floor}, max: {metric:
 * ceiling}}`) and exits 1 naming each metric out of bounds.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import YAML from 'yaml';
import { z } from 'zod';
import { openAssistant } from '../src/assistant.js';
import { setLogLevel } from '../src/log.js';
import type { SearchMode } from '../src/retrieval/retriever.js';

const run = promisify(execFile);

/** One evaluation question. `must`/`mustAny` are checked on the answer text, `keyPoints` on a summary. */
const QuestionSchema = z
  .object({
    id: z.string(),
    q: z.string().min(1),
    gold: z.array(z.string()).default([]),
    must: z.array(z.string()).default([]),
    mustAny: z.array(z.array(z.string()).min(1)).optional(),
    type: z.enum(['oos', 'summary', 'list', 'table', 'article', 'deadline', 'multi']).optional(),
    keyPoints: z.array(z.string()).optional(),
    doc: z.literal('fictional').optional(),
  })
  .strict();
type Question = z.infer<typeof QuestionSchema>;

/** The CLI's `ask --json` / `summarize --json` forms (README, Command line), validated. */
const CitationJson = z.object({ n: z.number(), source: z.string(), title: z.string(), text: z.string() }).passthrough();
const AnswerJson = z.object({ question: z.string(), answer: z.string(), grounded: z.boolean(), citations: z.array(CitationJson) }).passthrough();
const SummaryJson = z.object({ topic: z.string(), summary: z.string(), grounded: z.boolean(), citations: z.array(CitationJson) }).passthrough();

const ThresholdsSchema = z.record(
  z.string(),
  z.object({ min: z.record(z.string(), z.number()).optional(), max: z.record(z.string(), z.number()).optional() }).strict(),
);

const DEFAULT_SETS = [
  'test/fixtures/dev-questions.jsonl',
  'test/fixtures/paraphrase-questions.jsonl',
  'test/fixtures/heldout-questions.jsonl',
  'eval/fictional-dev.jsonl',
  'eval/fictional-dev-3.jsonl',
  'eval/colloquial-dev-4.jsonl',
  // retired to tuning on 2026-11-28 when heldout-4 was written (eval/README.md)
  'eval/heldout-2.jsonl',
  'eval/heldout-3.jsonl',
];
const SUMMARY_MAX_CHARS = 1500;
const MODES: SearchMode[] = ['hybrid', 'bm25', 'vector'];
const FORMATS = ['md', 'docx', 'pdf'] as const;

const program = new Command('eval')
  .argument('[files...]')
  .option('--extra <dir>', 'folder of extra documents (Markdown masters + generated/)', 'test/fixtures/fictional')
  .option('--no-extra', 'only the documents in data/corpus')
  .option('--also <dirs>', 'comma-separated folders whose documents (any format, with .meta.yaml) are copied as they are', 'eval/fictional-2')
  .option('--no-also', 'leave out the --also folders')
  .option('--formats <list>', `formats of the extra documents to add: ${FORMATS.join(',')}`, 'md')
  .option('--no-meta', 'add the extra documents without their .meta.yaml (title, date, issuer from the text itself)')
  .option('--check [file]', 'compare with thresholds and exit 1 when a metric is out of bounds')
  .option('--json', 'print the metrics as JSON')
  .option('-v, --verbose', 'print every question with its ranks and answer')
  .option('--keep', 'keep the temporary data and index folders')
  .parse();
const opts = program.opts<{ extra: string | false; also: string | false; formats: string; meta: boolean; check?: string | true; json?: boolean; verbose?: boolean; keep?: boolean }>();
const files = program.args.length ? program.args : DEFAULT_SETS;
if (!process.env.LOG_LEVEL) setLogLevel('warn');

// NFKC: the readers print brackets full-width next to CJK text (人(次) → 人（次）), questions may use either
const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : 0;
};
const share = (ok: number, n: number) => (n ? ok / n : null);

/** `dev-questions.jsonl` → `dev`; `heldout-2.jsonl` → `heldout-2`. */
const setName = (file: string) => path.basename(file, '.jsonl').replace(/-questions$/, '');

function loadSet(file: string): Question[] {
  return fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .map((l, i) => {
      const r = QuestionSchema.safeParse(JSON.parse(l));
      if (!r.success) throw new Error(`${file}:${i + 1}: ${r.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
      return r.data;
    });
}

/** Copies data/ to a temporary folder and adds the extra documents; returns the data and index folders. */
function prepareDataDir(): { root: string; dataDir: string; indexDir: string; added: string[] } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-eval-'));
  const dataDir = path.join(root, 'data');
  const indexDir = path.join(root, 'index');
  fs.cpSync('data', dataDir, { recursive: true });
  const added: string[] = [];
  if (opts.extra) {
    const formats = opts.formats.split(',').map((f) => f.trim()).filter(Boolean);
    for (const f of formats) if (!(FORMATS as readonly string[]).includes(f)) throw new Error(`--formats: unknown format ${f} (use ${FORMATS.join(',')})`);
    const corpus = path.join(dataDir, 'corpus');
    for (const md of fs.readdirSync(opts.extra).filter((f) => f.endsWith('.md')).sort()) {
      const stem = md.replace(/\.md$/, '');
      const meta = path.join(opts.extra, `${stem}.meta.yaml`);
      for (const format of formats) {
        const name = format === 'md' ? stem : `${stem}-${format}`;
        const src = format === 'md' ? path.join(opts.extra, md) : path.join(opts.extra, 'generated', `${stem}.${format}`);
        if (!fs.existsSync(src)) throw new Error(`${src} is missing: run npx tsx scripts/make-fictional-corpus.ts`);
        fs.copyFileSync(src, path.join(corpus, `${name}.${format}`));
        if (opts.meta && fs.existsSync(meta)) fs.copyFileSync(meta, path.join(corpus, `${name}.meta.yaml`));
        added.push(`${name}.${format}`);
      }
    }
  }
  for (const dir of opts.also ? opts.also.split(',').map((d) => d.trim()).filter(Boolean) : []) {
    for (const f of fs.readdirSync(dir).sort()) {
      fs.copyFileSync(path.join(dir, f), path.join(dataDir, 'corpus', f));
      if (!f.endsWith('.meta.yaml')) added.push(f);
    }
  }
  return { root, dataDir, indexDir, added };
}

const { root, dataDir, indexDir, added } = prepareDataDir();
const childEnv = { ...process.env, DJ_DATA_DIR: dataDir, DJ_INDEX_DIR: indexDir, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };
const tsx = path.resolve('node_modules/.bin/tsx');

/** Runs the CLI with the temporary data and index folders; returns stdout. */
async function cli(args: string[]): Promise<string> {
  const { stdout } = await run(tsx, ['src/cli.ts', ...args], { env: childEnv, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

type Out = { grounded: boolean; text: string; citations: number };

/** Answers through the CLI: every question of a set in one `ask --json --file`, each summary with `summarize --json`. */
async function answerViaCli(questions: Question[]): Promise<Map<string, Out>> {
  const out = new Map<string, Out>();
  const asks = questions.filter((q) => q.type !== 'summary');
  if (asks.length) {
    const file = path.join(root, `ask-${Date.now()}.txt`);
    fs.writeFileSync(file, asks.map((q) => q.q.replace(/\s+/g, ' ')).join('\n') + '\n');
    const lines = (await cli(['ask', '--json', '--file', file])).split('\n').filter((l) => l.trim());
    if (lines.length !== asks.length) throw new Error(`ask --json --file returned ${lines.length} lines for ${asks.length} questions`);
    lines.forEach((l, i) => {
      const a = AnswerJson.parse(JSON.parse(l));
      out.set(asks[i]!.id, { grounded: a.grounded, text: a.answer, citations: a.citations.length });
    });
  }
  for (const q of questions.filter((x) => x.type === 'summary')) {
    try {
      const s = SummaryJson.parse(JSON.parse(await cli(['summarize', '--json', q.q])));
      out.set(q.id, { grounded: s.grounded, text: s.summary, citations: s.citations.length });
    } catch (err) {
      // A crash or a malformed reply fails this question (and is shown with -v), not the whole run.
      const msg = (err as { stderr?: string }).stderr?.trim() || (err as Error).message;
      out.set(q.id, { grounded: false, text: `(summarize failed: ${msg.split('\n').slice(-3).join(' ')})`, citations: 0 });
    }
  }
  return out;
}

const t0 = performance.now();
const assistant = await openAssistant({ dataDir, indexDir });
const problems = assistant.ingestReport?.problems ?? [];
await assistant.ask('海西州吸引了多少名大学生到村任职？'); // warm-up before timing

type Metrics = Record<string, number | null>;
const report: Record<string, { metrics: Metrics; byType: Record<string, { n: number; passed: number }>; skipped: number }> = {};
const verboseRows: string[] = [];

for (const file of files) {
  const all = loadSet(file);
  const questions = all.filter((q) => opts.extra || opts.also || q.doc !== 'fictional');
  const name = setName(file);
  const answers = await answerViaCli(questions);
  const ret = Object.fromEntries(MODES.map((m) => [m, { hit1: 0, hit5: 0, rr: 0, n: 0 }]));
  const c = { must: 0, mustN: 0, oos: 0, oosN: 0, refused: 0, otherN: 0, cover: 0, cited: 0, short: 0, sumN: 0 };
  const byType: Record<string, { n: number; passed: number }> = {};
  const latencies: number[] = [];

  for (const q of questions) {
    const ranks: Record<string, number> = {};
    if (q.gold.length && q.type !== 'summary' && q.type !== 'oos') {
      for (const mode of MODES) {
        // hybrid = the answer pipeline's retrieval (what `ask` answers from and `search --json` prints)
        const hits = mode === 'hybrid' ? await assistant.retrieve(q.q, 10) : (await assistant.retriever.search(q.q, { k: 10, mode })).hits;
        const r = hits.findIndex((h) => q.gold.some((g) => norm(h.record.text).includes(norm(g))));
        const m = ret[mode]!;
        m.n++;
        if (r === 0) m.hit1++;
        if (r >= 0 && r < 5) m.hit5++;
        if (r >= 0) m.rr += 1 / (r + 1);
        ranks[mode] = r + 1;
      }
    }
    if (q.type !== 'summary') {
      const t = performance.now();
      await assistant.ask(q.q);
      latencies.push(performance.now() - t);
    }
    const a = answers.get(q.id)!;
    const text = norm(a.text);
    let passed: boolean;
    let detail = '';
    if (q.type === 'oos') {
      c.oosN++;
      passed = !a.grounded;
      if (passed) c.oos++;
    } else if (q.type === 'summary') {
      c.sumN++;
      const kp = q.keyPoints ?? q.must; // older sets name a summary's key points in `must`
      const covered = kp.filter((k) => text.includes(norm(k)));
      const coverage = kp.length ? covered.length / kp.length : 1;
      c.cover += coverage;
      if (a.citations > 0) c.cited++;
      if (a.text.length < SUMMARY_MAX_CHARS) c.short++;
      passed = a.grounded && coverage >= 0.7 && a.citations > 0 && a.text.length < SUMMARY_MAX_CHARS;
      detail = `keyPoints ${covered.length}/${kp.length}, ${a.text.length} chars, ${a.citations} citations`;
    } else {
      c.otherN++;
      if (!a.grounded) c.refused++;
      const musts = q.must.every((m) => text.includes(norm(m))) && (q.mustAny ?? []).every((g) => g.some((m) => text.includes(norm(m))));
      passed = a.grounded && musts;
      if (q.must.length || q.mustAny?.length) {
        c.mustN++;
        if (passed) c.must++;
      }
    }
    for (const key of [q.type ?? 'figure', q.doc === 'fictional' ? 'corpus:fictional' : 'corpus:reports']) {
      byType[key] ??= { n: 0, passed: 0 };
      byType[key].n++;
      if (passed) byType[key].passed++;
    }
    const type = q.type ?? 'figure';
    verboseRows.push(
      `${name} ${q.id} [${type}] ${passed ? 'PASS' : 'FAIL'} ranks h/b/v=${MODES.map((m) => ranks[m] ?? '-').join('/')} grounded=${a.grounded}` +
        `${detail ? ` ${detail}` : ''}\n    Q: ${q.q}\n    A: ${a.text.replace(/\s+/g, ' ').slice(0, 220)}`,
    );
  }

  const metrics: Metrics = {};
  for (const m of MODES) {
    const r = ret[m]!;
    metrics[`${m}_hit1`] = share(r.hit1, r.n);
    metrics[`${m}_hit5`] = share(r.hit5, r.n);
    metrics[`${m}_mrr`] = r.n ? r.rr / r.n : null;
  }
  metrics.retrieval_n = ret.hybrid!.n;
  metrics.must = share(c.must, c.mustN);
  metrics.must_n = c.mustN;
  metrics.oos_refused = share(c.oos, c.oosN);
  metrics.oos_n = c.oosN;
  metrics.false_refusals = share(c.refused, c.otherN);
  metrics.other_n = c.otherN;
  metrics.summary_coverage = c.sumN ? c.cover / c.sumN : null;
  metrics.summary_cited = share(c.cited, c.sumN);
  metrics.summary_short = share(c.short, c.sumN);
  metrics.summary_n = c.sumN;
  metrics.p50_ms = Number(pct(latencies, 50).toFixed(1));
  metrics.p95_ms = Number(pct(latencies, 95).toFixed(1));
  report[name] = { metrics, byType, skipped: all.length - questions.length };
}
const seconds = (performance.now() - t0) / 1000;

if (!opts.keep) fs.rmSync(root, { recursive: true, force: true });

const f2 = (v: number | null | undefined, d = 2) => (v === null || v === undefined ? '–' : v.toFixed(d));
if (opts.json) console.log(JSON.stringify({ added, problems, seconds, sets: report }));
else {
  console.log(`data: copy of data/ + ${added.length ? added.join(', ') : 'no extra documents'}${problems.length ? `; unreadable: ${problems.map((p) => `${p.source} (${p.reason})`).join(', ')}` : ''}`);
  console.log('\nretrieval (hit@1 / hit@5 / MRR@10 of the answering passage)');
  console.log('| set | n | hybrid | BM25 | vector |\n|---|---|---|---|---|');
  for (const [name, { metrics: m }] of Object.entries(report)) {
    const cell = (mode: string) => `${f2(m[`${mode}_hit1`])} / ${f2(m[`${mode}_hit5`])} / ${f2(m[`${mode}_mrr`], 3)}`;
    console.log(`| ${name} | ${m.retrieval_n} | ${cell('hybrid')} | ${cell('bm25')} | ${cell('vector')} |`);
  }
  console.log('\nanswers (CLI JSON contract)');
  console.log('| set | with every must | oos refused | false refusals | summary key points / cited / <1500 | ask p50 / p95 ms |\n|---|---|---|---|---|---|');
  for (const [name, { metrics: m }] of Object.entries(report)) {
    const frac = (v: number | null, n: number | null) => (v === null ? '–' : `${Math.round(v * (n ?? 0))}/${n} (${f2(v)})`);
    console.log(
      `| ${name} | ${frac(m.must!, m.must_n!)} | ${frac(m.oos_refused!, m.oos_n!)} | ${frac(m.false_refusals!, m.other_n!)} | ` +
        `${m.summary_n ? `${f2(m.summary_coverage)} / ${f2(m.summary_cited)} / ${f2(m.summary_short)} (n=${m.summary_n})` : '–'} | ${m.p50_ms} / ${m.p95_ms} |`,
    );
  }
  console.log('\npassed per question type and per corpus (five reports / fictional documents)');
  for (const [name, { byType, skipped }] of Object.entries(report)) {
    console.log(`  ${name}: ${Object.entries(byType).sort(([a], [b]) => Number(a.startsWith('corpus:')) - Number(b.startsWith('corpus:'))).map(([t, v]) => `${t} ${v.passed}/${v.n}`).join(', ')}${skipped ? ` (${skipped} fictional skipped)` : ''}`);
  }
  console.log(`\n${seconds.toFixed(1)} s`);
  if (opts.verbose) console.log(`\n${verboseRows.join('\n')}`);
}

if (opts.check) {
  const file = opts.check === true ? 'eval/thresholds.yaml' : opts.check;
  const thresholds = ThresholdsSchema.parse(YAML.parse(fs.readFileSync(file, 'utf8')));
  const failures: string[] = [];
  for (const [set, bounds] of Object.entries(thresholds)) {
    const m = report[set]?.metrics;
    if (!m) continue; // set not run this time
    for (const [metric, floor] of Object.entries(bounds.min ?? {})) {
      const v = m[metric];
      if (v === undefined) failures.push(`${set}: unknown metric ${metric}`);
      else if (v !== null && v < floor) failures.push(`${set}: ${metric} ${f2(v, 3)} < ${floor}`);
    }
    for (const [metric, ceiling] of Object.entries(bounds.max ?? {})) {
      const v = m[metric];
      if (v === undefined) failures.push(`${set}: unknown metric ${metric}`);
      else if (v !== null && v > ceiling) failures.push(`${set}: ${metric} ${f2(v, 3)} > ${ceiling}`);
    }
  }
  if (failures.length) {
    console.error(`\neval --check failed (${file}):\n  ${failures.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`eval --check: every metric within ${file}`);
}
