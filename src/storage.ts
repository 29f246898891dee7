import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/** Error codes of a place that cannot be written: file system (Node) and SQLite (better-sqlite3 `SqliteError.code`). */
const FS_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT']);
const SQLITE_CODES = /^SQLITE_(CANTOPEN|READONLY|PERM|IOERR|FULL|AUTH)/;

/** A state file or folder (`var/…`) that cannot be created or written. `path` is the file or folder concerned. */
export class StorageError extends Error {
  constructor(
    readonly path: string,
    readonly cause: unknown,
  ) {
    super(`cannot write ${path}: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'StorageError';
  }
}

/** True when `err` is a file-system or SQLite error saying the place cannot be written (read-only, no permission, disk full). */
export function isStorageFailure(err: unknown): boolean {
  if (err instanceof StorageError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (FS_CODES.has(code) || SQLITE_CODES.test(code));
}

/**
 * A clear two-language message for a state folder that cannot be written, or undefined when `err`
 * is something else. Names the path (from a {@link StorageError} or the file-system error's `path`)
 * and the variables that move the state elsewhere.
 */
export function describeStorageError(err: unknown): string | undefined {
  if (!isStorageFailure(err)) return undefined;
  const where = err instanceof StorageError ? err.path : ((err as { path?: string }).path ?? 'var/');
  const code = ((err instanceof StorageError ? err.cause : err) as { code?: string } | null)?.code ?? '';
  const full = /ENOSPC|EDQUOT|SQLITE_FULL/.test(code);
  return [
    full
      ? `无法写入 ${where}：磁盘空间不足（${code}）。请清理空间后重试。`
      : `无法写入 ${where}：该目录只读或当前用户没有写权限（${code || 'read-only'}）。请让运行党建助手的用户可以写入该目录，或用 LARK_STATE_DB、REMINDERS_DB、DJ_INDEX_DIR 指向可写的位置。`,
    full
      ? `Cannot write ${where}: the disk is full (${code}). Free some space and try again.`
      : `Cannot write ${where}: the folder is read-only or not writable by this user (${code || 'read-only'}). Make it writable, or point LARK_STATE_DB, REMINDERS_DB or DJ_INDEX_DIR to a writable place.`,
  ].join('\n');
}

/**
 * Checks, before anything is opened, that `target` (a file or folder that may not exist yet) can be
 * created or written: the file itself when it exists, else its nearest existing ancestor folder
 * (`access(W_OK)`, which also reports a read-only file system for root).
 * @throws StorageError naming `target` when it cannot.
 */
export function assertWritable(target: string): void {
  let p = path.resolve(target);
  if (fs.existsSync(p) && fs.statSync(p).isFile()) {
    try {
      fs.accessSync(p, fs.constants.W_OK);
    } catch (err) {
      throw new StorageError(target, err);
    }
    p = path.dirname(p);
  }
  while (!fs.existsSync(p) && path.dirname(p) !== p) p = path.dirname(p);
  try {
    fs.accessSync(p, fs.constants.W_OK);
  } catch (err) {
    throw new StorageError(target, err);
  }
}

/**
 * Opens (creating its folder and the file when needed) a SQLite database in WAL mode with a 5 s busy
 * timeout, and runs `schema` (idempotent DDL). `':memory:'` opens a throwaway database.
 * @throws StorageError when the folder or the file cannot be created or written (read-only `var/`,
 * no permission, disk full); other errors as they come.
 */
export function openSqlite(file: string, schema: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.exec(schema);
    return db;
  } catch (err) {
    db?.close();
    if (isStorageFailure(err)) throw new StorageError(file, err);
    throw err;
  }
}
