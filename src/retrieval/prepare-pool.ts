import { createRequire } from 'node:module';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { log } from '../log.js';
import type { Lexicon } from '../ingest/lexicon.js';
import type { HashingEmbeddings } from './embeddings.js';
import { prepareFiles, type PreparedBatch } from './prepare.js';
import { PrepareMemo } from './prepare-memo.js';

/** Where the corpus and the lexicon are, and the offline embedding when vectors are computed while preparing. */
export interface PrepareSettings {
  corpusDir: string;
  dataDir: string;
  lexicon: Lexicon;
  hashing?: HashingEmbeddings;
}

/**
 * Reads and prepares batches of corpus files (`prepareFiles`) in worker threads, one per core (at most 4), so that
 * the readers, jieba and the hashed embedding run while the calling thread writes SQLite. Results come back in
 * the order the batches were asked for. When `workers` is 0, or a worker cannot start (e.g. a runtime without the
 * TypeScript loader), batches are prepared on the calling thread instead, with the same results.
 */
export class PreparePool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, { resolve: (b: PreparedBatch) => void; reject: (e: Error) => void }>();
  private next = 0;
  private failed = false;
  private readonly memo = new PrepareMemo(); // for the batches prepared on this thread

  private constructor(private readonly settings: PrepareSettings) {}

  /** Workers to use for `files` files in batches of `batch`: none for a small job (starting one costs ~0.3 s). */
  static workersFor(files: number, batch: number): number {
    if (files < 4 * batch) return 0;
    return Math.max(1, Math.min(4, os.availableParallelism()));
  }

  /** Starts `workers` worker threads (none: everything runs on the calling thread). */
  static start(settings: PrepareSettings, workers: number): PreparePool {
    const pool = new PreparePool(settings);
    const url = new URL(`./prepare-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
    // a .ts worker is loaded through tsx's API (loader hooks registered with --import do not reach worker threads on Node 20)
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href; // its ESM build
    const entry = url.pathname.endsWith('.ts') ? `import { tsImport } from ${JSON.stringify(tsx)}; await tsImport(${JSON.stringify(url.href)}, ${JSON.stringify(url.href)});` : url;
    for (let i = 0; i < workers; i++) {
      try {
        const w = new Worker(entry, {
          eval: typeof entry === 'string',
          workerData: { corpusDir: settings.corpusDir, dataDir: settings.dataDir, hashDimensions: settings.hashing?.dimensions },
        });
        w.on('message', (m: { id: number; batch?: PreparedBatch; error?: string }) => {
          const p = pool.pending.get(m.id);
          pool.pending.delete(m.id);
          if (m.error !== undefined) p?.reject(new Error(m.error));
          else p?.resolve(m.batch!);
        });
        w.on('error', (err) => pool.fail(err));
        pool.workers.push(w);
      } catch (err) {
        pool.fail(err as Error);
        break;
      }
    }
    return pool;
  }

  /** Reads and prepares one batch (in a worker when there are any). @throws Error when a document's preparation throws. */
  async run(sources: string[]): Promise<PreparedBatch> {
    if (this.failed || !this.workers.length) return this.local(sources);
    const id = this.next++;
    const worker = this.workers[id % this.workers.length]!;
    try {
      return await new Promise<PreparedBatch>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        worker.postMessage({ id, sources });
      });
    } catch (err) {
      if (!this.failed) throw err;
      return this.local(sources); // the worker died: this batch is prepared here
    }
  }

  private local(sources: string[]): Promise<PreparedBatch> {
    return prepareFiles(this.settings.corpusDir, sources, this.settings.lexicon, this.settings.hashing, this.memo);
  }

  /** A worker failed to start or died: every batch from now on (and those it held) is prepared on this thread. */
  private fail(err: Error): void {
    if (!this.failed) log.warn({ err: err.message.slice(0, 300) }, 'ingest worker failed; preparing documents on the main thread');
    this.failed = true;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    void this.close();
  }

  /** Worker threads in use (0: batches are prepared on the calling thread). */
  get threads(): number {
    return this.failed ? 0 : this.workers.length;
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    const ws = this.workers.splice(0);
    await Promise.all(ws.map((w) => w.terminate()));
  }
}
