/**
 * Worker thread of `PreparePool`: reads and prepares batches of corpus files (`prepareFiles`) so that jieba
 * tokenization, the readers and the hashed embedding run beside the thread writing SQLite.
 *
 * workerData: `{ corpusDir, dataDir, hashDimensions? }`. Messages in: `{ id, sources }`; out: `{ id, batch }` or
 * `{ id, error }`. The buffers of the vectors and of the term counts are transferred, not copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { z } from 'zod';
import { Lexicon } from '../ingest/lexicon.js';
import { HashingEmbeddings } from './embeddings.js';
import { prepareFiles } from './prepare.js';
import { PrepareMemo } from './prepare-memo.js';

const Data = z.object({ corpusDir: z.string(), dataDir: z.string(), hashDimensions: z.number().int().positive().optional() });
const Job = z.object({ id: z.number().int(), sources: z.array(z.string()) });

const data = Data.parse(workerData);
const lexicon = Lexicon.load(data.dataDir);
const hashing = data.hashDimensions ? new HashingEmbeddings(data.hashDimensions) : undefined;
const memo = new PrepareMemo(); // texts repeat across this worker's batches

parentPort!.on('message', async (message: unknown) => {
  const job = Job.parse(message);
  try {
    const batch = await prepareFiles(data.corpusDir, job.sources, lexicon, hashing, memo);
    const transfer = batch.docs.flatMap((d) => d.rows.flatMap((r) => [r.counts.freqs.buffer as ArrayBuffer, ...(r.vector ? [r.vector.buffer as ArrayBuffer] : [])]));
    parentPort!.postMessage({ id: job.id, batch }, [...new Set(transfer)]);
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: (err as Error).stack ?? String(err) });
  }
});
