/**
 * Versioned migrations of the PostgreSQL database (all areas in one database), applied in order by
 * {@link migratePostgres} and recorded in `schema_migrations`. Times are epoch ms (`BIGINT`). Append new
 * migrations; never edit applied ones.
 */
import type { PoolClient } from 'pg';

/** A named schema change, run inside the migration transaction. */
export interface PostgresMigration {
  name: string;
  up(client: PoolClient): Promise<unknown>;
}

export const postgresMigrations: PostgresMigration[] = [
  {
    name: '001-chat',
    up: (c) =>
      c.query(`
        CREATE TABLE seen (key TEXT PRIMARY KEY, at BIGINT NOT NULL);
        CREATE INDEX seen_at ON seen(at);
        CREATE TABLE feedback (
          message_id TEXT NOT NULL, open_id TEXT NOT NULL, chat_id TEXT NOT NULL,
          vote TEXT NOT NULL CHECK (vote IN ('up','down')), question TEXT NOT NULL, at BIGINT NOT NULL,
          seq BIGSERIAL, PRIMARY KEY (message_id, open_id));
        CREATE TABLE turns (
          id BIGSERIAL PRIMARY KEY, thread TEXT NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL,
          sources JSONB, at BIGINT NOT NULL);
        CREATE INDEX turns_thread ON turns(thread, id);
        CREATE TABLE inbox (
          message_id TEXT PRIMARY KEY, payload JSONB NOT NULL, received_at BIGINT NOT NULL, seq BIGSERIAL,
          attempts INTEGER NOT NULL DEFAULT 0, next_at BIGINT NOT NULL, owner TEXT, lease_until BIGINT NOT NULL DEFAULT 0);
        CREATE INDEX inbox_due ON inbox(next_at);
        CREATE TABLE undeliverable (chat_id TEXT PRIMARY KEY, code INTEGER, msg TEXT, at BIGINT NOT NULL);`),
  },
  {
    name: '002-reminders',
    up: (c) =>
      c.query(`
        CREATE TABLE sends (
          key TEXT PRIMARY KEY, kind TEXT NOT NULL, chat_id TEXT NOT NULL,
          state TEXT NOT NULL CHECK (state IN ('claimed','sent')), owner TEXT NOT NULL,
          claimed_at BIGINT NOT NULL, sent_at BIGINT, message_id TEXT, attempts INTEGER NOT NULL DEFAULT 1,
          lease_until BIGINT);
        CREATE TABLE done (
          checklist TEXT NOT NULL, item TEXT NOT NULL, occurrence TEXT NOT NULL,
          by_open_id TEXT NOT NULL, by_name TEXT NOT NULL, at BIGINT NOT NULL, via TEXT NOT NULL,
          PRIMARY KEY (checklist, item, occurrence));
        CREATE TABLE cards (
          message_id TEXT PRIMARY KEY, chat_id TEXT NOT NULL, checklist TEXT NOT NULL, kind TEXT NOT NULL,
          entries JSONB NOT NULL, sent_at BIGINT NOT NULL);
        CREATE INDEX cards_checklist ON cards(checklist, sent_at);
        CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
        CREATE TABLE chat_holds (
          chat_id TEXT PRIMARY KEY, failures INTEGER NOT NULL, code INTEGER, reason TEXT NOT NULL,
          at BIGINT NOT NULL, until BIGINT NOT NULL);
        CREATE TABLE paused_chats (chat_id TEXT PRIMARY KEY, at BIGINT NOT NULL, reason TEXT NOT NULL);`),
  },
  {
    name: '003-documents',
    up: (c) =>
      c.query(`
        CREATE TABLE documents (
          id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL,
          bytes BYTEA NOT NULL, added_by TEXT NOT NULL, added_at BIGINT NOT NULL,
          deleted BOOLEAN NOT NULL DEFAULT false, deleted_at BIGINT, deleted_by TEXT, meta JSONB);
        CREATE INDEX documents_sha ON documents(sha256);`),
  },
  {
    // one reminder card per chat and local day across checklists (see reminders-003-day-cards of the SQLite file)
    name: '004-reminder-day-cards',
    up: (c) =>
      c.query(`
        ALTER TABLE cards ADD COLUMN day TEXT;
        UPDATE cards SET
          day = to_char(to_timestamp(sent_at / 1000.0) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'),
          entries = (SELECT COALESCE(jsonb_agg(e.v || jsonb_build_object('checklist', cards.checklist)
                       || CASE WHEN cards.kind = 'escalation' THEN '{"kind":"escalation"}'::jsonb ELSE '{}'::jsonb END ORDER BY e.n), '[]'::jsonb)
                     FROM jsonb_array_elements(cards.entries) WITH ORDINALITY AS e(v, n));
        UPDATE cards SET
          entries = entries || jsonb_build_array(jsonb_build_object('checklist', checklist, 'item', '', 'occurrence', substring(kind from 17), 'due', '', 'kind', 'digest')),
          kind = 'reminder'
          WHERE kind LIKE 'reminder+digest:%';
        ALTER TABLE cards ALTER COLUMN day SET NOT NULL;
        INSERT INTO sends (key, kind, chat_id, state, owner, claimed_at, sent_at, message_id)
          SELECT DISTINCT ON (chat_id, day) 'day|' || chat_id || '|' || day, 'day', chat_id, 'sent', 'migration', sent_at, sent_at, message_id
          FROM cards ORDER BY chat_id, day, sent_at DESC
          ON CONFLICT (key) DO NOTHING;
        ALTER TABLE cards DROP COLUMN checklist;
        CREATE INDEX cards_sent ON cards(sent_at);`),
  },
  {
    // CardKit cards streaming an answer (see chat-004-stream-cards of the SQLite file)
    name: '005-stream-cards',
    up: (c) =>
      c.query(`
        CREATE TABLE stream_cards (
          card_id TEXT PRIMARY KEY, chat_id TEXT NOT NULL, message_id TEXT NOT NULL, opened_at BIGINT NOT NULL,
          sequence_ceiling INTEGER NOT NULL, owner TEXT NOT NULL, lease_until BIGINT NOT NULL);`),
  },
];
