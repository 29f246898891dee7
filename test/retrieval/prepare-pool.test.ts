import { describe, expect, it } from 'vitest';
import { listCorpusFiles } from '../../src/ingest/corpus.js';
import { Lexicon } from '../../src/ingest/lexicon.js';
import { HashingEmbeddings } from '../../src/retrieval/embeddings.js';
import { prepareFiles } from '../../src/retrieval/prepare.js';
import { PreparePool } from '../../src/retrieval/prepare-pool.js';

describe('PreparePool', () => {
  it('prepares a batch in a worker thread exactly as on the calling thread (records, FTS5 tokens, hashed vectors)', async () => {
    const settings = { corpusDir: 'data/corpus', dataDir: 'data', lexicon: Lexicon.load('data'), hashing: new HashingEmbeddings(1024) };
    const files = [...listCorpusFiles('data/corpus').slice(0, 3), 'missing.txt'];
    const local = await prepareFiles(settings.corpusDir, files, settings.lexicon, settings.hashing);
    const pool = PreparePool.start(settings, 1);
    try {
      const inWorker = await pool.run(files);
      expect(pool.threads).toBe(1); // it ran in the worker, not in the fallback
      expect(inWorker.docs.length).toBe(3);
      expect(inWorker.problems.map((p) => p.source)).toEqual(['missing.txt']);
      // vectors come back as bytes; compare them as plain arrays
      const plain = (b: typeof local) => ({ ...b, docs: b.docs.map((d) => ({ ...d, rows: d.rows.map((r) => ({ ...r, vector: Array.from(r.vector ?? []) })) })) });
      expect(plain(inWorker)).toEqual(plain(local));
      expect(inWorker.docs.flatMap((d) => d.rows).every((r) => r.vector && r.vector.byteLength > 0)).toBe(true);
    } finally {
      await pool.close();
    }
  }, 30_000);

  it('uses no worker for a small job', () => {
    expect(PreparePool.workersFor(10, 50)).toBe(0);
    expect(PreparePool.workersFor(1000, 50)).toBeGreaterThan(0);
  });
});
