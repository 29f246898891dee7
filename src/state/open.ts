/**
 * Picks the backend of the shared state: PostgreSQL when `DATABASE_URL` is set (every area in that
 * database, shared by all replicas), else the SQLite files (the embedded default, nothing to configure).
 */
import { openPostgresChat, openPostgresDocuments, openPostgresReminders } from './postgres.js';
import { SqliteChatState, SqliteDocumentState, SqliteReminderState } from './sqlite.js';
import type { ChatState, DocumentState, InboxMessage, ReminderState, StoreOptions } from './types.js';

/** Default SQLite file of the documents added from chat (`DOCUMENTS_DB` overrides). */
export const DEFAULT_DOCUMENTS_DB = process.env.DOCUMENTS_DB ?? 'var/documents.sqlite';

/** `DATABASE_URL` when set to a `postgres://` or `postgresql://` URL, else undefined (SQLite). */
export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = env.DATABASE_URL?.trim();
  if (!url) return undefined;
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error(`DATABASE_URL must be a postgres:// URL, got ${JSON.stringify(url.replace(/\/\/[^@]*@/, '//…@'))}`);
  return url;
}

/** Where a store lives: a PostgreSQL URL, or a SQLite file (used when `url` is undefined). */
export interface StoreLocation extends StoreOptions {
  url?: string;
  file: string;
}

/** Opens the chat state (dedupe, inbox, history, feedback) at `loc`. @throws StorageError for an unwritable SQLite file. */
export function openChatState<M extends InboxMessage = InboxMessage>(loc: StoreLocation): Promise<ChatState<M>> {
  return loc.url ? openPostgresChat<M>(loc.url, loc) : SqliteChatState.open<M>(loc.file, loc);
}

/** Opens the reminders' state at `loc`. */
export function openReminderState(loc: StoreLocation): Promise<ReminderState> {
  return loc.url ? openPostgresReminders(loc.url, loc) : SqliteReminderState.open(loc.file, loc);
}

/** Opens the documents added from chat at `loc`. */
export function openDocumentState(loc: StoreLocation): Promise<DocumentState> {
  return loc.url ? openPostgresDocuments(loc.url) : SqliteDocumentState.open(loc.file);
}

/** The documents added from chat where the environment puts them: `DATABASE_URL`, else `DOCUMENTS_DB` (default `var/documents.sqlite`). */
export function openDocuments(env: NodeJS.ProcessEnv = process.env): Promise<DocumentState> {
  return openDocumentState({ url: databaseUrl(env), file: env.DOCUMENTS_DB ?? DEFAULT_DOCUMENTS_DB });
}
