import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildPostings } from '../../src/retrieval/full-text.js';
import { IndexSchemaError, openIndexDb, SCHEMA_VERSION } from '../../src/retrieval/index-db.js';
import { KnowledgeIndex } from '../../src/retrieval/knowledge-index.js';
import { SparseVectorIndex } from '../../src/retrieval/sparse-store.js';
import { OpenAiStandin } from '../support/openai-standin.js';
import { config, tempData } from '../core/support.js';

let api: OpenAiStandin;
let tmp: ReturnType<typeof tempData> | undefined;
beforeAll(async () => {
  api = await OpenAiStandin.start();
});
afterAll(async () => {
  await api.close();
});
afterEach(() => {
  tmp?.cleanup();
  tmp = undefined;
});

const REPORT = '001_02e902364aa12d71.txt';
const OLD = '吸引467名大学生到村任职';
const NEW = '吸引520名大学生到村任职';

describe('index database schema', () => {
  it('creates the schema at the current version and opens it again without change', () => {
    tmp = tempData();
    const db = openIndexDb(tmp.indexDir);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
    const again = openIndexDb(tmp.indexDir);
    expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    again.close();
  });

  it('refuses an index written by a newer program, with a message saying what to do', async () => {
    tmp = tempData();
    fs.mkdirSync(tmp.indexDir, { recursive: true });
    const db = new Database(path.join(tmp.indexDir, 'index.sqlite'));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    await expect(KnowledgeIndex.open(config({}, tmp))).rejects.toThrow(IndexSchemaError);
    await expect(KnowledgeIndex.open(config({}, tmp))).rejects.toThrow(/newer than this program.*delete the index folder/);
  });

  it('rebuilds an index folder of the former JSON format and removes its files', async () => {
    tmp = tempData();
    fs.mkdirSync(tmp.indexDir, { recursive: true });
    const legacy = ['manifest.json', 'records.json', 'documents.json', 'hnsw.docs.json', 'hnsw.index', 'vectors-0123456789abcdef.bin', 'vectors-0123456789abcdef.json'];
    for (const f of legacy) fs.writeFileSync(path.join(tmp.indexDir, f), '{"version":7}');
    const { index, report } = await KnowledgeIndex.open(config({}, tmp));
    expect(report?.documents).toBe(5);
    expect(index.records.length).toBeGreaterThan(100);
    index.close();
    expect(legacy.filter((f) => fs.existsSync(path.join(tmp!.indexDir, f)))).toEqual([]);
  });
});

/** Texts of the records the index returns for `query` by BM25 and by vectors (top 10 each). */
async function found(index: KnowledgeIndex, query: string): Promise<string[]> {
  const terms = new Map([...new Set(query.match(/\d+|[\u4e00-\u9fff]{2}/g) ?? [])].map((t) => [t, 1]));
  const bm25 = index.bm25.search(terms, 10).map((h) => index.recordAt(h.label)!.text);
  const vector = index.store.search(await index.embeddings.embedQuery(query), 10).map((h) => index.recordAt(h.label)!.text);
  return [...bm25, ...vector];
}

describe('incremental ingest', () => {
  for (const [name, env] of [
    ['hashed embedding, exact sparse vectors', () => ({})],
    ['model embedding (stand-in), HNSW with markDelete', () => ({ EMBEDDING_PROVIDER: 'openai', EMBEDDING_BASE_URL: api.baseUrl, EMBEDDING_MODEL: 'standin-embed' })],
  ] as const) {
    it(`re-indexes only a changed document and never returns its old chunks (${name})`, async () => {
      tmp = tempData();
      const cfg = config(env(), tmp);
      const first = await KnowledgeIndex.open(cfg);
      const before = first.index.records.length;
      expect((await found(first.index, OLD)).some((t) => t.includes(OLD))).toBe(true);
      first.index.close();

      const file = path.join(tmp.dataDir, 'corpus', REPORT);
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(OLD, NEW));
      const { index, report } = await KnowledgeIndex.open(cfg);
      expect(report).toMatchObject({ documents: 5, indexed: 1, removed: 1 });
      // only the changed texts are embedded again
      expect(report!.embedded).toBeLessThan(5);
      expect(index.records.length).toBe(before);
      const texts = await found(index, OLD);
      expect(texts.some((t) => t.includes(OLD))).toBe(false);
      expect(texts.some((t) => t.includes(NEW))).toBe(true);
      index.close();

      // removing the document removes all its records from both searches
      fs.rmSync(file);
      const removed = await KnowledgeIndex.open(cfg);
      expect(removed.report).toMatchObject({ documents: 4, indexed: 0, removed: 1 });
      expect(removed.index.records.some((r) => r.source === REPORT)).toBe(false);
      expect((await found(removed.index, NEW)).some((t) => t.includes(NEW))).toBe(false);
      removed.index.close();
    }, 60_000);
  }
});

describe('derived files written during ingest', () => {
  it('equal the postings and sparse vectors derived again from the database, after a document changed', async () => {
    tmp = tempData();
    const cfg = config({}, tmp);
    (await KnowledgeIndex.open(cfg)).index.close();
    const file = path.join(tmp.dataDir, 'corpus', REPORT);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(OLD, NEW));
    const { index, report } = await KnowledgeIndex.open(cfg);
    index.close();
    expect(report).toMatchObject({ indexed: 1, removed: 1 }); // records kept, removed from the middle, added at the end

    const db = new Database(path.join(cfg.indexDir, 'index.sqlite'), { readonly: true });
    try {
      const again = (name: string, save: (f: string) => void) => {
        const f = path.join(path.dirname(tmp!.dataDir), name);
        save(f);
        return fs.readFileSync(f);
      };
      expect(fs.readFileSync(path.join(cfg.indexDir, 'postings.bin')).equals(again('postings.bin', (f) => buildPostings(db).save(f)))).toBe(true);
      const rows = db.prepare('SELECT r.label, v.vector, r.vector_key FROM records r JOIN vectors v ON v.key = r.vector_key ORDER BY r.label').raw().all() as [number, Buffer, string][];
      const sparse = again('vectors.sparse', (f) => SparseVectorIndex.build(1024, rows).save(f));
      expect(fs.readFileSync(path.join(cfg.indexDir, 'vectors.sparse')).equals(sparse)).toBe(true);
    } finally {
      db.close();
    }
  }, 60_000);
});
