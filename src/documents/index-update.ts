import fs from 'node:fs';
import path from 'node:path';
import PQueue from 'p-queue';
import type { KnowledgeAssistant } from '../assistant.js';
import type { IngestReport } from '../retrieval/knowledge-index.js';

/** One change of the corpus: a document added (its corpus file name and bytes) or removed (its file name). */
export type CorpusChange = { add: { source: string; bytes: Buffer } } | { remove: string };

// one change at a time in this process (the build lock orders processes)
const queue = new PQueue({ concurrency: 1 });

/**
 * Applies a corpus change and makes the assistant answer from the updated index. The single place the
 * chat features change the index: today it writes or deletes the file in the corpus folder and re-opens
 * the index (a rebuild that re-embeds only new texts, see `KnowledgeIndex`); when the index can add and
 * remove one document in place, only this function changes.
 * On a failed rebuild the file change is rolled back and the error rethrown; the previous index stays in use.
 * @returns the ingest report of the rebuild.
 */
export function applyCorpusChange(assistant: KnowledgeAssistant, change: CorpusChange): Promise<IngestReport | undefined> {
  return queue.add(async () => {
    const dir = assistant.config.corpusDir;
    const file = path.join(dir, 'add' in change ? change.add.source : change.remove);
    if (path.dirname(file) !== path.resolve(dir)) throw new Error(`not a corpus file name: ${'add' in change ? change.add.source : change.remove}`);
    const previous = fs.existsSync(file) ? fs.readFileSync(file) : undefined;
    if ('add' in change) fs.writeFileSync(file, change.add.bytes);
    else fs.rmSync(file, { force: true });
    try {
      return await assistant.reloadIndex();
    } catch (err) {
      if (previous) fs.writeFileSync(file, previous);
      else fs.rmSync(file, { force: true });
      throw err;
    }
  });
}
