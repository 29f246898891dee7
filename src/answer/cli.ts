import fs from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { openAssistant } from '../assistant.js';
import { loadCoreConfig } from '../config.js';
import { displaySection, KnowledgeIndex } from '../retrieval/knowledge-index.js';
import { progressReporter } from '../retrieval/progress.js';
import type { SearchMode } from '../retrieval/retriever.js';
import type { Answer, Citation, Summary } from '../types.js';
import { citedTitle } from './citations.js';

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive whole number');
  return n;
}

function printSources(citations: Citation[]): void {
  if (!citations.length) return;
  console.log('\n来源：');
  for (const c of citations) console.log(`  [${c.n}] ${citedTitle(c)}${c.section ? ` ${c.section}` : ''}（${c.source}）`);
}

function printAnswer(a: Answer): void {
  console.log(a.answer);
  if (a.note) console.log(`\n（注：${a.note}）`);
  printSources(a.citations);
}

function answerJson(a: Answer) {
  return {
    question: a.question,
    answer: a.answer,
    grounded: a.grounded,
    citations: a.citations.map((c) => ({ n: c.n, source: c.source, title: c.title, ...(c.page ? { page: c.page } : {}), section: c.section, text: c.text })),
    mode: a.mode,
    ...(a.note ? { note: a.note } : {}),
  };
}

function summaryJson(s: Summary) {
  return { topic: s.topic, summary: s.summary, grounded: s.grounded, citations: s.citations, mode: s.mode, ...(s.note ? { note: s.note } : {}) };
}

/**
 * Registers the knowledge-core commands: `ingest`, `search`, `ask`, `summarize`, `measures`.
 * Output is human-readable by default; `--json` prints the machine forms documented in README.md.
 */
export function registerKnowledgeCommands(program: Command): void {
  program
    .command('ingest')
    .description('(re)build the index from data/corpus (incremental: unchanged texts are not re-embedded)')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { json?: boolean }) => {
      const progress = progressReporter(Boolean(opts.json));
      const report = await KnowledgeIndex.build(loadCoreConfig(), undefined, { onProgress: progress.onProgress }).finally(progress.stop);
      if (opts.json) console.log(JSON.stringify(report));
      else {
        console.log(`已索引 ${report.documents} 篇文档：${report.chunks} 个片段（chunk），${report.measures} 条举措（measure）；新嵌入 ${report.embedded} 条，复用 ${report.reused} 条；用时 ${report.ms} ms`);
        for (const p of report.problems) console.log(`  跳过 ${p.source}：${p.reason}`);
      }
    });

  program
    .command('search')
    .description('hybrid search (BM25 + vectors, reciprocal rank fusion) over chunks and measures')
    .argument('<query>')
    .option('-k, --k <n>', 'number of results', positiveInt, 5)
    .option('--place <place>', 'only records in this place (or below it)')
    .option('--domain <domain>', 'only records of this domain')
    .addOption(new Option('--type <type>', 'only chunks or only measures').choices(['chunk', 'measure']))
    .addOption(new Option('--mode <mode>', 'ranking').choices(['hybrid', 'bm25', 'vector']).default('hybrid'))
    .option('--json', 'print JSON')
    .action(async (query: string, opts: { k: number; place?: string; domain?: string; type?: 'chunk' | 'measure'; mode: SearchMode; json?: boolean }) => {
      const a = await openAssistant();
      const place = opts.place ? (a.lexicon.canonicalPlace(opts.place) ?? opts.place) : undefined;
      // plain hybrid search is what `ask` retrieves (the question read once: its place, named document, article and
      // asked figure); explicit filters or a single ranking search the index as given
      const plain = opts.mode === 'hybrid' && !place && !opts.domain && !opts.type;
      const hits = plain ? await a.retrieve(query, opts.k) : (await a.retriever.search(query, { k: opts.k, mode: opts.mode, filter: { place, domain: opts.domain, type: opts.type } })).hits;
      const results = hits.map((h) => ({
        rank: h.rank,
        score: Number(h.score.toFixed(6)),
        source: h.record.source,
        title: h.record.title,
        section: displaySection(h.record),
        text: h.record.text,
        type: h.record.type,
        id: h.record.id,
      }));
      if (opts.json) console.log(JSON.stringify({ query, results }));
      else for (const r of results) console.log(`${r.rank}. [${r.type}] ${r.score}  《${r.title}》 ${r.section}\n   ${r.text.slice(0, 120)}${r.text.length > 120 ? '…' : ''}`);
    });

  program
    .command('ask')
    .description('answer a question from the reports, with citations')
    .argument('[question]')
    .option('--file <path>', 'answer one question per line of this file')
    .option('--json', 'print JSON (one object per line with --file)')
    .action(async (question: string | undefined, opts: { file?: string; json?: boolean }) => {
      const questions = opts.file
        ? fs
            .readFileSync(opts.file, 'utf8')
            .split(/\r?\n/)
            .map((l) => l.trim())
            .filter(Boolean)
        : question
          ? [question]
          : [];
      if (!questions.length) program.error('ask: give a question or --file <path>', { exitCode: 2 });
      const a = await openAssistant();
      for (const q of questions) {
        const ans = await a.ask(q);
        if (opts.json) console.log(JSON.stringify(answerJson(ans)));
        else {
          if (questions.length > 1) console.log(`\n问：${q}`);
          printAnswer(ans);
        }
      }
    });

  program
    .command('summarize')
    .description('draft a summary of a topic or a document title, citing the reports')
    .argument('<topic>')
    .option('--json', 'print JSON')
    .option('--max-chars <n>', 'length limit of the draft in characters (default 1200, at most 1500)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expects a positive whole number of characters');
      return n;
    })
    .action(async (topic: string, opts: { json?: boolean; maxChars?: number }) => {
      const s = await (await openAssistant()).summarize(topic, { maxChars: opts.maxChars });
      if (opts.json) console.log(JSON.stringify(summaryJson(s)));
      else {
        console.log(s.summary);
        if (s.note) console.log(`\n（注：${s.note}）`);
        printSources(s.citations);
      }
    });

  program
    .command('measures')
    .description('list the measures extracted from the reports')
    .option('--place <place>', 'e.g. 海西州, 西宁市, 祁连县')
    .option('--domain <domain>', 'e.g. 党员教育, 乡村振兴, 基层治理, 人才, 考核减负, 新业态')
    .option('--source <file>', 'only this document (file name or its prefix, e.g. 001)')
    .option('--query <words>', 'only measures containing every word')
    .option('--json', 'print JSON')
    .action(async (opts: { place?: string; domain?: string; source?: string; query?: string; json?: boolean }) => {
      const list = (await openAssistant()).measures(opts);
      if (opts.json) console.log(JSON.stringify({ count: list.length, measures: list }));
      else {
        for (const m of list) console.log(`${m.id}  ${m.title}${m.figures.length ? `（${m.figures.slice(0, 4).join('、')}）` : ''}  [${m.places.slice(0, 2).join('、')}｜${m.domains.slice(0, 2).join('、')}]`);
        console.log(`共 ${list.length} 条`);
      }
    });
}
