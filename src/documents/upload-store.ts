import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { openSqlite } from '../storage.js';

/** Default folder of the uploads (`var/` is git-ignored): `uploads.sqlite` and `files/`. */
export const DEFAULT_UPLOADS_DIR = 'var/uploads';

/** What is known of an uploaded document when it is saved. Times are epoch ms. */
export const UploadMetaSchema = z.object({
  /** The name the file was sent with (or the link's last path segment), as shown to people. */
  fileName: z.string().min(1).max(255),
  /** The corpus file name the index knows it by (`DocumentInfo.source`). */
  source: z.string().min(1).max(255),
  /** Title read from the document. */
  title: z.string().optional(),
  /** open_id of the person who added it (`ou_…`, or `ou_local_user` in the terminal chat). */
  addedBy: z.string().min(1),
  /** Chat it was sent in. */
  chatId: z.string().min(1),
  /** How it came: a file message, a link, or `/上传` in the local chat. */
  via: z.enum(['file', 'link', 'local']),
  /** The link it was read from (via = link). */
  url: z.string().optional(),
});
export type UploadMeta = z.infer<typeof UploadMetaSchema>;

/** A stored upload: its meta, number (shown in `/docs`, used by `/删除文档 <n>`), size, hash and time. */
export interface UploadRecord extends UploadMeta {
  id: number;
  bytes: number;
  sha256: string;
  addedAt: number;
}

/**
 * Where uploaded documents are kept, independent of the index: the original bytes and who sent what,
 * when. Async so that a shared database (the PostgreSQL storage being built on another branch) can
 * implement it later.
 */
export interface UploadStore {
  /** Stores the bytes and meta; resolves to the record with its new number. @throws Error on invalid meta or storage failure. */
  save(bytes: Buffer, meta: UploadMeta): Promise<UploadRecord>;
  /** Every upload, oldest first. */
  list(): Promise<UploadRecord[]>;
  /** One upload with its bytes, or undefined. */
  get(id: number): Promise<{ record: UploadRecord; bytes: Buffer } | undefined>;
  /** Removes an upload and its bytes; false when there was none. */
  remove(id: number): Promise<boolean>;
  close(): Promise<void>;
}

interface Row {
  id: number;
  file_name: string;
  source: string;
  title: string | null;
  added_by: string;
  chat_id: string;
  via: string;
  url: string | null;
  bytes: number;
  sha256: string;
  added_at: number;
  path: string;
}

function toRecord(r: Row): UploadRecord {
  return {
    id: r.id,
    fileName: r.file_name,
    source: r.source,
    ...(r.title ? { title: r.title } : {}),
    addedBy: r.added_by,
    chatId: r.chat_id,
    via: r.via as UploadMeta['via'],
    ...(r.url ? { url: r.url } : {}),
    bytes: r.bytes,
    sha256: r.sha256,
    addedAt: r.added_at,
  };
}

/**
 * {@link UploadStore} on the local disk: meta in SQLite (`<dir>/uploads.sqlite`, WAL), bytes in
 * `<dir>/files/<n>.bin` written before the row (a crash leaves at most an orphan file, never a row without bytes).
 */
export class FileUploadStore implements UploadStore {
  private readonly db: Database.Database;
  private readonly filesDir: string;

  constructor(
    readonly dir: string = DEFAULT_UPLOADS_DIR,
    private readonly clock: () => number = Date.now,
  ) {
    this.db = openSqlite(
      path.join(dir, 'uploads.sqlite'),
      `CREATE TABLE IF NOT EXISTS uploads (
        id INTEGER PRIMARY KEY AUTOINCREMENT, file_name TEXT NOT NULL, source TEXT NOT NULL, title TEXT,
        added_by TEXT NOT NULL, chat_id TEXT NOT NULL, via TEXT NOT NULL, url TEXT,
        bytes INTEGER NOT NULL, sha256 TEXT NOT NULL, added_at INTEGER NOT NULL, path TEXT NOT NULL)`,
    );
    this.filesDir = path.join(dir, 'files');
    fs.mkdirSync(this.filesDir, { recursive: true });
  }

  async save(bytes: Buffer, meta: UploadMeta): Promise<UploadRecord> {
    const m = UploadMetaSchema.parse(meta);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const file = path.join(this.filesDir, `${sha256.slice(0, 16)}-${this.clock()}.bin`);
    fs.writeFileSync(file, bytes);
    const info = this.db
      .prepare('INSERT INTO uploads (file_name, source, title, added_by, chat_id, via, url, bytes, sha256, added_at, path) VALUES (?,?,?,?,?,?,?,?,?,?,?)')
      .run(m.fileName, m.source, m.title ?? null, m.addedBy, m.chatId, m.via, m.url ?? null, bytes.length, sha256, this.clock(), file);
    return toRecord(this.row(Number(info.lastInsertRowid))!);
  }

  async list(): Promise<UploadRecord[]> {
    return (this.db.prepare('SELECT * FROM uploads ORDER BY id').all() as Row[]).map(toRecord);
  }

  async get(id: number): Promise<{ record: UploadRecord; bytes: Buffer } | undefined> {
    const r = this.row(id);
    if (!r) return undefined;
    return { record: toRecord(r), bytes: fs.readFileSync(r.path) };
  }

  async remove(id: number): Promise<boolean> {
    const r = this.row(id);
    if (!r) return false;
    this.db.prepare('DELETE FROM uploads WHERE id = ?').run(id);
    fs.rmSync(r.path, { force: true });
    return true;
  }

  /** Closes the database (the files stay). */
  async close(): Promise<void> {
    this.db.close();
  }

  private row(id: number): Row | undefined {
    return this.db.prepare('SELECT * FROM uploads WHERE id = ?').get(id) as Row | undefined;
  }
}
