import { describe, expect, it } from 'vitest';
import { readCorpus } from '../../src/ingest/corpus.js';
import { Lexicon } from '../../src/ingest/lexicon.js';
import { HashingEmbeddings } from '../../src/retrieval/embeddings.js';
import { prepareDocument, type PreparedDocument } from '../../src/retrieval/prepare.js';
import { PrepareMemo } from '../../src/retrieval/prepare-memo.js';

const plain = (d: PreparedDocument) => ({ ...d, rows: d.rows.map((r) => ({ ...r, vector: Array.from(r.vector ?? []) })) });

describe('PrepareMemo', () => {
  it('prepares the same records, FTS5 columns and vectors whether a text was seen before, evicted, or never seen', async () => {
    const { docs } = await readCorpus('data/corpus');
    const lexicon = Lexicon.load('data');
    const hashing = new HashingEmbeddings(1024);
    const fresh = docs.map((d) => plain(prepareDocument(d, lexicon, hashing, new PrepareMemo())));
    const shared = new PrepareMemo();
    docs.forEach((d) => prepareDocument(d, lexicon, hashing, shared)); // every text now remembered
    expect(docs.map((d) => plain(prepareDocument(d, lexicon, hashing, shared)))).toEqual(fresh);
    const tiny = new PrepareMemo(2); // evicts all the time
    expect(docs.map((d) => plain(prepareDocument(d, lexicon, hashing, tiny)))).toEqual(fresh);
    // the reports repeat texts (a measure is often its chunk's whole paragraph), so the memo is used at all
    const rows = fresh.flatMap((d) => d.rows);
    expect(new Set(rows.map((r) => r.fts[2])).size).toBeLessThan(rows.length);
  }, 30_000);

  it('hands out a copy of a remembered vector, so transferring or changing one leaves the memo intact', () => {
    const memo = new PrepareMemo();
    const first = memo.vector('k', () => new Uint8Array([1, 2, 3]));
    first.fill(0);
    expect(Array.from(memo.vector('k', () => new Uint8Array([9])))).toEqual([1, 2, 3]);
  });
});
