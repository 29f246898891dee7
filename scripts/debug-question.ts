/**
 * Shows how one question goes through the pipeline: the typed Query (understand), the top passages
 * (retrieve) and the answer. Usage: `npx tsx scripts/debug-question.ts '问题' [...]` with DJ_DATA_DIR /
 * DJ_INDEX_DIR pointing at the index to use (e.g. one kept by `npm run -s eval -- --keep`).
 */
import { readQuestion } from '../src/answer/ask.js';
import { openAssistant } from '../src/assistant.js';

const assistant = await openAssistant();
for (const q of process.argv.slice(2)) {
  const query = readQuestion(q, assistant);
  console.log('Q:', q);
  console.log('query:', JSON.stringify({ ...query, text: undefined }, null, 0));
  for (const [i, h] of (await assistant.retrieve(q, 5)).entries()) console.log(`  ${i + 1}. ${h.record.id} ${h.record.text.slice(0, 90).replace(/\s+/g, ' ')}`);
  const a = await assistant.ask(q);
  console.log('A:', a.grounded, a.answer.slice(0, 300).replace(/\s+/g, ' '), '\n');
}
