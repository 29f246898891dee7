import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { openSqlite } from '../storage.js';

/** The index database inside the index folder. */
export const INDEX_DB = 'index.sqlite';

/**
 * Characters kept inside a token by the FTS5 tokenizer besides letters and digits (unicode61's `tokenchars`), so
 * that a stored token such as `90%`, `2.5` or `a-b` stays one token. Quotes and backslashes are not among them
 * (they are dropped from tokens, see `ftsToken`).
 */
export const FTS_TOKEN_CHARS = '!#$%&()*+,-./:;<=>?@[]^_{|}~';

/**
 * Schema migrations, applied in order; `PRAGMA user_version` holds how many have run. Append, never edit a
 * released step (an index written by a newer build is refused, see `openIndexDb`).
 *
 * - `records`: one row per chunk or measure; `label` is the row's id everywhere (FTS5 rowid, vector label). Record
 *   and section ids are `<source>#…`, the whole file name (since index version 9: before, two files differing only
 *   by extension shared their ids).
 *   The nested parts of a record (places, table, items) are in `record` (the record as JSON, one row each).
 * - `fts`: the jieba tokens of each record, computed once at ingest and joined by spaces, in three columns
 *   (document title, section path or measure title, text) for `bm25()` with column weights.
 * - `record_tags`: a record's places and domains (a place's ancestors included), one row each, for metadata filters.
 * - `vectors`: the vector cache, keyed by embedding space and the sha256 of the embedded text (float32 blobs,
 *   or index/value pairs for sparse vectors).
 */
const MIGRATIONS: string[] = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE documents (
     source TEXT PRIMARY KEY, ord INTEGER NOT NULL, hash TEXT NOT NULL, title TEXT NOT NULL, format TEXT NOT NULL,
     issuer TEXT, date TEXT, place TEXT, doc_number TEXT, text_length INTEGER);
   CREATE TABLE sections (
     id TEXT NOT NULL, source TEXT NOT NULL REFERENCES documents(source) ON DELETE CASCADE, ord INTEGER NOT NULL,
     parent_id TEXT, info TEXT NOT NULL, PRIMARY KEY (source, id));
   CREATE INDEX sections_source ON sections(source, ord);
   CREATE TABLE records (
     label INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL,
     source TEXT NOT NULL REFERENCES documents(source) ON DELETE CASCADE,
     type TEXT NOT NULL CHECK (type IN ('chunk', 'measure')), section_id TEXT, article TEXT,
     tokens INTEGER NOT NULL, vector_key TEXT NOT NULL, record TEXT NOT NULL);
   CREATE INDEX records_id ON records(id);
   CREATE INDEX records_source ON records(source);
   CREATE INDEX records_section ON records(section_id);
   CREATE INDEX records_article ON records(article) WHERE article IS NOT NULL;
   CREATE TABLE record_tags (label INTEGER NOT NULL REFERENCES records(label) ON DELETE CASCADE, kind TEXT NOT NULL, value TEXT NOT NULL);
   CREATE INDEX record_tags_value ON record_tags(kind, value);
   CREATE INDEX record_tags_label ON record_tags(label);
   CREATE TABLE vectors (space TEXT NOT NULL, key TEXT NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (space, key));
   CREATE VIRTUAL TABLE fts USING fts5(title, section, text, tokenize = "unicode61 remove_diacritics 0 tokenchars '${FTS_TOKEN_CHARS}'");
   CREATE VIRTUAL TABLE fts_vocab USING fts5vocab(fts, 'row');`,
  // the tag index covers the label, so a filter's bitmap (labelFilter) is read from the index alone: the labels of
  // one place at 1000× (18k rows) took 35 ms through the table, 3 ms from the index (issue 9)
  `DROP INDEX record_tags_value;
   CREATE INDEX record_tags_value ON record_tags(kind, value, label);`,
];

/** The schema version this build writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Thrown when the index database was written by a newer build (its schema is unknown here). */
export class IndexSchemaError extends Error {
  override name = 'IndexSchemaError';
}

/**
 * Opens (creating it when missing) `index.sqlite` in `indexDir` and brings its schema up to date inside one
 * transaction per step. Foreign keys are on, so deleting a document deletes its sections and records.
 * @param options.readonly open without creating or migrating (undefined when the file does not exist)
 * @throws IndexSchemaError when the file's `user_version` is newer than `SCHEMA_VERSION`; StorageError when
 * the folder cannot be written.
 */
export function openIndexDb(indexDir: string): Database.Database {
  const db = openSqlite(path.join(indexDir, INDEX_DB), '');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    db.close();
    throw new IndexSchemaError(`${path.join(indexDir, INDEX_DB)} has schema version ${version}, newer than this program's ${SCHEMA_VERSION}; update the program or delete the index folder to rebuild it`);
  }
  for (let v = version; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return db;
}

/** True when `indexDir` holds an index database (of any schema version). */
export function hasIndexDb(indexDir: string): boolean {
  return fs.existsSync(path.join(indexDir, INDEX_DB));
}

/**
 * Files of the JSON index format used before the SQLite one (index version ≤ 7). Their presence without
 * `index.sqlite` means an old index folder: it is rebuilt and these files are removed.
 */
export const LEGACY_FILES = ['manifest.json', 'records.json', 'documents.json', 'hnsw.docs.json'];

/** True when `indexDir` holds an index in the old JSON format and no database. */
export function isLegacyIndexDir(indexDir: string): boolean {
  return !hasIndexDb(indexDir) && LEGACY_FILES.some((f) => fs.existsSync(path.join(indexDir, f)));
}

/** Removes the files of the old JSON format (and its vector caches) from `indexDir`. */
export function removeLegacyFiles(indexDir: string): void {
  if (!fs.existsSync(indexDir)) return;
  for (const f of fs.readdirSync(indexDir)) {
    if (LEGACY_FILES.includes(f) || /^vectors-[0-9a-f]+\.(bin|json)$/.test(f) || f === 'hnsw.index') fs.rmSync(path.join(indexDir, f), { force: true });
  }
}

/** Reads the `meta` table as an object of strings. */
export function readMeta(db: Database.Database): Record<string, string> {
  return Object.fromEntries((db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
}

/** Writes keys of the `meta` table (insert or replace). */
export function writeMeta(db: Database.Database, values: Record<string, string>): void {
  const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  for (const [k, v] of Object.entries(values)) put.run(k, v);
}
