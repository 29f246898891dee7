/**
 * Shows how one question goes through the pipeline: the typed Query (understand), the top passages
 * (retrieve), with `--sentences` the best-scored sentences (synthesize's ranking: score, figure strength 0–2),
 * and the answer. Usage: `npx tsx scripts/debug-question.ts [--sentences] '问题' [...]` with DJ_DATA_DIR /
 * DJ_INDEX_DIR pointing at the index to use (e.g. one kept by `npm run -s eval -- --keep`).
 */
import { readQuestion, termStats } from '../src/answer/ask.js';
import { retrieve } from '../src/answer/retrieve.js';
import { scoreSentences, synthesize } from '../src/answer/synthesize.js';
import { answerCoverage, ground } from '../src/answer/ground.js';
import { openAssistant } from '../src/assistant.js';

const args = process.argv.slice(2);
const showSentences = args.includes('--sentences');
const assistant = await openAssistant();
for (const q of args.filter((a) => a !== '--sentences')) {
  const query = readQuestion(q, assistant);
  const { expanded, hits } = await retrieve(query, assistant.index, assistant.retriever);
  console.log('Q:', q);
  console.log('query:', JSON.stringify({ ...query, text: undefined }, null, 0));
  if (showSentences) console.log('terms:', JSON.stringify(Object.fromEntries(expanded.terms)));

  for (const [i, h] of hits.entries()) console.log(`  ${i + 1}. ${h.record.id} ${h.record.text.slice(0, 90).replace(/\s+/g, ' ')}`);
  if (showSentences) {
    const scored = scoreSentences(expanded, hits, termStats(assistant.index), query.figure, query.text, query.defines);
    for (const s of scored.slice(0, 8)) console.log(`    ${s.score.toFixed(3)} f${s.figure} [${s.hit + 1}] ${s.text.slice(0, 100).replace(/\s+/g, ' ')}`);
  }
  const stats = termStats(assistant.index);
  const draft = synthesize(query, expanded, hits, { index: assistant.index, stats, lexicon: assistant.lexicon });
  const ev = hits.map((h) => `${h.record.title}\n${assistant.index.document(h.record.source)?.date ?? ''}\n${h.record.sectionPath?.join(' > ') || h.record.section}\n${h.record.text}`);
  const verdict = ground(query, expanded, ev, stats, draft.figureStrong === true);
  const quotedWithHeadings = [draft.text, ...draft.used.map((i) => `${hits[i]!.record.title}\n${hits[i]!.record.sectionPath?.join(' > ') || hits[i]!.record.section}`)].join('\n');
  console.log('draft:', JSON.stringify({ figureFound: draft.figureFound, figureStrong: draft.figureStrong, used: draft.used }), 'ground(all hits):', JSON.stringify({ ...verdict, ratio: verdict.ratio.toFixed(2) }), 'answerCoverage:', answerCoverage(query, expanded, quotedWithHeadings, stats).toFixed(2));
  const a = await assistant.ask(q);
  console.log('A:', a.grounded, a.answer.slice(0, 300).replace(/\s+/g, ' '), '\n');
}
