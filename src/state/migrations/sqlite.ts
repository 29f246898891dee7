/**
 * Versioned migrations of the SQLite files, one list per file (chat, reminders, documents), applied in
 * order by {@link migrateSqlite} and recorded in each file's `schema_migrations` table. The first
 * migration of each list is the schema as it was before migrations existed (`IF NOT EXISTS`), so files
 * made by earlier releases are taken over as they are. Append new migrations; never edit applied ones.
 */
import type Database from 'better-sqlite3';

/** A named schema change of one SQLite file. */
export interface SqliteMigration {
  name: string;
  up(db: Database.Database): void;
}

const hasColumn = (db: Database.Database, table: string, column: string) =>
  (db.pragma(`table_info(${table})`) as { name: string }[]).some((c) => c.name === column);

/** The chat layer's file (`LARK_STATE_DB`). */
export const chatMigrations: SqliteMigration[] = [
  {
    name: 'chat-001-initial',
    up: (db) =>
      db.exec(`
        CREATE TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY, at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS feedback (
          message_id TEXT NOT NULL, open_id TEXT NOT NULL, chat_id TEXT NOT NULL,
          vote TEXT NOT NULL CHECK (vote IN ('up','down')), question TEXT NOT NULL, at INTEGER NOT NULL,
          PRIMARY KEY (message_id, open_id));
        CREATE TABLE IF NOT EXISTS turns (
          id INTEGER PRIMARY KEY AUTOINCREMENT, thread TEXT NOT NULL, question TEXT NOT NULL,
          answer TEXT NOT NULL, at INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS turns_thread ON turns(thread, id);
        CREATE TABLE IF NOT EXISTS inbox (
          message_id TEXT PRIMARY KEY, payload TEXT NOT NULL, received_at INTEGER NOT NULL,
          attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS undeliverable (chat_id TEXT PRIMARY KEY, code INTEGER, msg TEXT, at INTEGER NOT NULL);`),
  },
  {
    // the files a turn's answer cited (for “这篇报道”)
    name: 'chat-002-turn-sources',
    up: (db) => {
      if (!hasColumn(db, 'turns', 'sources')) db.exec('ALTER TABLE turns ADD COLUMN sources TEXT');
    },
  },
  {
    // inbox entries are leased to the replica answering them
    name: 'chat-003-inbox-lease',
    up: (db) => db.exec('ALTER TABLE inbox ADD COLUMN owner TEXT; ALTER TABLE inbox ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;'),
  },
  {
    // CardKit cards streaming an answer, until closed, so one left open by a crash is closed at the next start
    name: 'chat-004-stream-cards',
    up: (db) =>
      db.exec(`
        CREATE TABLE stream_cards (
          card_id TEXT PRIMARY KEY, chat_id TEXT NOT NULL, message_id TEXT NOT NULL, opened_at INTEGER NOT NULL,
          sequence_ceiling INTEGER NOT NULL, owner TEXT NOT NULL, lease_until INTEGER NOT NULL);`),
  },
];

/** The reminders' file (`REMINDERS_DB`). */
export const reminderMigrations: SqliteMigration[] = [
  {
    name: 'reminders-001-initial',
    up: (db) =>
      db.exec(`
        CREATE TABLE IF NOT EXISTS sends (
          key TEXT PRIMARY KEY, kind TEXT NOT NULL, chat_id TEXT NOT NULL,
          state TEXT NOT NULL CHECK (state IN ('claimed','sent')), owner TEXT NOT NULL,
          claimed_at INTEGER NOT NULL, sent_at INTEGER, message_id TEXT, attempts INTEGER NOT NULL DEFAULT 1);
        CREATE TABLE IF NOT EXISTS done (
          checklist TEXT NOT NULL, item TEXT NOT NULL, occurrence TEXT NOT NULL,
          by_open_id TEXT NOT NULL, by_name TEXT NOT NULL, at INTEGER NOT NULL, via TEXT NOT NULL,
          PRIMARY KEY (checklist, item, occurrence));
        CREATE TABLE IF NOT EXISTS cards (
          message_id TEXT PRIMARY KEY, chat_id TEXT NOT NULL, checklist TEXT NOT NULL, kind TEXT NOT NULL,
          entries TEXT NOT NULL, sent_at INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS cards_chat ON cards(chat_id, sent_at);
        CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS chat_holds (
          chat_id TEXT PRIMARY KEY, failures INTEGER NOT NULL, code INTEGER, reason TEXT NOT NULL,
          at INTEGER NOT NULL, until INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS paused_chats (chat_id TEXT PRIMARY KEY, at INTEGER NOT NULL, reason TEXT NOT NULL);`),
  },
  {
    // claims become leases: a claim left by an earlier release has no expiry and counts as expired
    name: 'reminders-002-send-lease',
    up: (db) => db.exec('ALTER TABLE sends ADD COLUMN lease_until INTEGER'),
  },
  {
    // one reminder card per chat and local day across checklists: a card records its day and, per entry,
    // its checklist and kind (escalation, or the weekly summary that was the card kind `reminder+digest:<week>`); each chat-day that already has a card gets its send key (`dayCardKey` in ../keys.ts),
    // so what falls due later that day is merged into that card instead of becoming a second one
    name: 'reminders-003-day-cards',
    up: (db) =>
      db.exec(`
        ALTER TABLE cards ADD COLUMN day TEXT NOT NULL DEFAULT '';
        UPDATE cards SET
          day = date(sent_at / 1000, 'unixepoch', '+8 hours'),
          entries = (SELECT json_group_array(CASE WHEN cards.kind = 'escalation'
                       THEN json_set(value, '$.checklist', cards.checklist, '$.kind', 'escalation')
                       ELSE json_set(value, '$.checklist', cards.checklist) END) FROM json_each(cards.entries));
        UPDATE cards SET
          entries = json_insert(entries, '$[#]', json_object('checklist', checklist, 'item', '', 'occurrence', substr(kind, 17), 'due', '', 'kind', 'digest')),
          kind = 'reminder'
          WHERE kind LIKE 'reminder+digest:%';
        INSERT OR IGNORE INTO sends (key, kind, chat_id, state, owner, claimed_at, sent_at, message_id)
          SELECT 'day|' || chat_id || '|' || day, 'day', chat_id, 'sent', 'migration', sent_at, sent_at, message_id
          FROM cards c WHERE sent_at = (SELECT MAX(sent_at) FROM cards c2 WHERE c2.chat_id = c.chat_id AND c2.day = c.day);
        ALTER TABLE cards DROP COLUMN checklist;
        CREATE INDEX cards_sent ON cards(sent_at);`),
  },
];

/** The documents added from chat (`DOCUMENTS_DB`). */
export const documentMigrations: SqliteMigration[] = [
  {
    name: 'documents-001-initial',
    up: (db) =>
      db.exec(`
        CREATE TABLE documents (
          id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL,
          bytes BLOB NOT NULL, added_by TEXT NOT NULL, added_at INTEGER NOT NULL,
          deleted INTEGER NOT NULL DEFAULT 0, deleted_at INTEGER, deleted_by TEXT, meta TEXT);
        CREATE INDEX documents_sha ON documents(sha256);`),
  },
];
