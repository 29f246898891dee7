import type Database from 'better-sqlite3';
import { openSqlite } from '../storage.js';
import type { Turn } from '../types.js';
import type { IncomingMessage } from './conversation.js';

/** A 👍/👎 click on an answer card. */
export interface FeedbackRecord {
  /** The card message that was clicked. */
  messageId: string;
  chatId: string;
  openId: string;
  vote: 'up' | 'down';
  /** The question the card answered (carried in the button value). */
  question: string;
  at: number;
}

/** An accepted message not yet answered (the durable inbox). */
export interface InboxEntry {
  message: IncomingMessage;
  /** When it was accepted, epoch ms. */
  receivedAt: number;
  /** Earlier processing attempts that ended without a delivered (or permanently refused) answer. */
  attempts: number;
  /** Earliest time of the next attempt, epoch ms. */
  nextAt: number;
}

/** A chat the bot could not post to (bot removed, chat dissolved…), as recorded from a send's error code. */
export interface UndeliverableRecord {
  chatId: string;
  code?: number;
  msg?: string;
  at: number;
}

/**
 * The chat layer's durable state in one SQLite file (better-sqlite3, WAL):
 * - `seen`: event_ids and message_ids already handled, so that a retried or replayed delivery
 *   never gets a second answer, also after a restart. Feishu re-delivers an event that was not
 *   acknowledged with HTTP 200 within 3 s, with the same event_id, and may retry for hours
 *   (https://open.feishu.cn/document/server-docs/event-subscription-guide/event-subscription-configure-/request-url-configuration-case);
 *   entries older than `retentionMs` (default 7 days) are pruned on open.
 * - `feedback`: one row per click; a second click by the same user on the same card replaces the first.
 * - `turns`: the last question/answer pairs per thread, for follow-up questions.
 * - `inbox`: every accepted message until its answer was sent or refused for good
 *   ({@link accept} writes it in the same transaction as the dedupe keys, before the delivery is
 *   acknowledged; {@link finish} deletes it), so that a crash loses no acknowledged question.
 * - `undeliverable`: chats whose sends failed with a "chat closed" code, with the code and time.
 *
 * Pass `':memory:'` as the file for a throwaway store. The constructor throws `StorageError` when the
 * file cannot be created or written (read-only `var/`), other errors as they come.
 */
export class ChatStore {
  private readonly db: Database.Database;
  private readonly claimTx: (keys: string[], at: number) => boolean;
  private readonly acceptTx: (msg: IncomingMessage, keys: string[], at: number) => boolean;

  constructor(file: string, opts: { retentionMs?: number } = {}) {
    this.db = openSqlite(file, `
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
      CREATE TABLE IF NOT EXISTS undeliverable (chat_id TEXT PRIMARY KEY, code INTEGER, msg TEXT, at INTEGER NOT NULL);
    `);
    // turns.sources (the files a turn's answer cited, for “这篇报道”) came after the first release
    if (!(this.db.pragma('table_info(turns)') as { name: string }[]).some((c) => c.name === 'sources')) this.db.exec('ALTER TABLE turns ADD COLUMN sources TEXT');
    this.db.pragma('synchronous = NORMAL');
    const retention = opts.retentionMs ?? 7 * 24 * 3600 * 1000;
    this.db.prepare('DELETE FROM seen WHERE at < ?').run(Date.now() - retention);
    const has = this.db.prepare('SELECT 1 FROM seen WHERE key = ?');
    const put = this.db.prepare('INSERT OR IGNORE INTO seen (key, at) VALUES (?, ?)');
    this.claimTx = this.db.transaction((keys: string[], at: number) => {
      if (keys.some((k) => has.get(k) !== undefined)) return false;
      for (const k of keys) put.run(k, at);
      return true;
    });
    const enqueue = this.db.prepare('INSERT OR REPLACE INTO inbox (message_id, payload, received_at, attempts, next_at) VALUES (?, ?, ?, 0, ?)');
    this.acceptTx = this.db.transaction((msg: IncomingMessage, keys: string[], at: number) => {
      if (!this.claimTx(keys, at)) return false;
      enqueue.run(msg.messageId, JSON.stringify(msg), at, at);
      return true;
    });
  }

  /**
   * Claims a message (as {@link claim}) and, the first time, stores it in the inbox in the same
   * transaction. Returns false for a duplicate. Call before acknowledging the delivery.
   */
  accept(msg: IncomingMessage, at = Date.now()): boolean {
    const keys = [msg.eventId ? `event:${msg.eventId}` : '', `message:${msg.messageId}`].filter(Boolean);
    return this.acceptTx(msg, keys, at);
  }

  /** Removes a message from the inbox: its answer was sent, or refused for good. */
  finish(messageId: string): void {
    this.db.prepare('DELETE FROM inbox WHERE message_id = ?').run(messageId);
  }

  /** Keeps a message in the inbox for another attempt at `nextAt` (its answer failed for a reason that may pass). */
  defer(messageId: string, nextAt: number): void {
    this.db.prepare('UPDATE inbox SET attempts = attempts + 1, next_at = ? WHERE message_id = ?').run(nextAt, messageId);
  }

  /** Inbox entries, oldest first; with `dueBy`, only those whose next attempt is due by then. */
  inbox(dueBy?: number): InboxEntry[] {
    const rows = (
      dueBy === undefined
        ? this.db.prepare('SELECT payload, received_at, attempts, next_at FROM inbox ORDER BY received_at, rowid').all()
        : this.db.prepare('SELECT payload, received_at, attempts, next_at FROM inbox WHERE next_at <= ? ORDER BY received_at, rowid').all(dueBy)
    ) as Array<{ payload: string; received_at: number; attempts: number; next_at: number }>;
    return rows.map((r) => ({ message: JSON.parse(r.payload) as IncomingMessage, receivedAt: r.received_at, attempts: r.attempts, nextAt: r.next_at }));
  }

  /** Records that the bot cannot post to a chat (replaces an earlier record of that chat). */
  recordUndeliverable(r: UndeliverableRecord): void {
    this.db
      .prepare('INSERT OR REPLACE INTO undeliverable (chat_id, code, msg, at) VALUES (?, ?, ?, ?)')
      .run(r.chatId, r.code ?? null, r.msg ?? null, r.at);
  }

  /** Forgets that record (a later send to the chat worked). */
  clearUndeliverable(chatId: string): void {
    this.db.prepare('DELETE FROM undeliverable WHERE chat_id = ?').run(chatId);
  }

  /** Chats recorded as undeliverable, newest first. */
  listUndeliverable(): UndeliverableRecord[] {
    const rows = this.db.prepare('SELECT chat_id, code, msg, at FROM undeliverable ORDER BY at DESC').all() as Array<{ chat_id: string; code: number | null; msg: string | null; at: number }>;
    return rows.map((r) => ({ chatId: r.chat_id, code: r.code ?? undefined, msg: r.msg ?? undefined, at: r.at }));
  }

  /**
   * Marks an incoming message as handled. Returns true the first time, false when its event_id or
   * its message_id was seen before (a retried delivery, or the same message in a new event).
   */
  claim(eventId: string | undefined, messageId: string | undefined): boolean {
    const keys = [eventId ? `event:${eventId}` : '', messageId ? `message:${messageId}` : ''].filter(Boolean);
    if (keys.length === 0) return true;
    return this.claimTx(keys, Date.now());
  }

  /** Records (or replaces) a user's vote on a card. */
  recordFeedback(f: FeedbackRecord): void {
    this.db
      .prepare(
        `INSERT INTO feedback (message_id, open_id, chat_id, vote, question, at) VALUES (@messageId, @openId, @chatId, @vote, @question, @at)
         ON CONFLICT(message_id, open_id) DO UPDATE SET vote = excluded.vote, at = excluded.at`,
      )
      .run(f);
  }

  /** All recorded feedback, oldest first. */
  listFeedback(): FeedbackRecord[] {
    return this.db
      .prepare('SELECT message_id AS messageId, chat_id AS chatId, open_id AS openId, vote, question, at FROM feedback ORDER BY at, rowid')
      .all() as FeedbackRecord[];
  }

  /** Counts of 👍 and 👎. */
  feedbackTotals(): { up: number; down: number } {
    const rows = this.db.prepare('SELECT vote, COUNT(*) AS n FROM feedback GROUP BY vote').all() as Array<{ vote: 'up' | 'down'; n: number }>;
    return { up: rows.find((r) => r.vote === 'up')?.n ?? 0, down: rows.find((r) => r.vote === 'down')?.n ?? 0 };
  }

  /** Appends a turn to a thread and keeps at most 20 per thread. */
  addTurn(thread: string, turn: Turn): void {
    this.db
      .prepare('INSERT INTO turns (thread, question, answer, sources, at) VALUES (?, ?, ?, ?, ?)')
      .run(thread, turn.question, turn.answer, turn.sources?.length ? JSON.stringify(turn.sources) : null, Date.now());
    this.db
      .prepare('DELETE FROM turns WHERE thread = ? AND id NOT IN (SELECT id FROM turns WHERE thread = ? ORDER BY id DESC LIMIT 20)')
      .run(thread, thread);
  }

  /** The last `n` turns of a thread, oldest first. */
  lastTurns(thread: string, n: number): Turn[] {
    if (n <= 0) return [];
    const rows = this.db
      .prepare('SELECT question, answer, sources FROM turns WHERE thread = ? ORDER BY id DESC LIMIT ?')
      .all(thread, n) as { question: string; answer: string; sources: string | null }[];
    return rows.reverse().map((r) => ({ question: r.question, answer: r.answer, ...(r.sources ? { sources: JSON.parse(r.sources) as string[] } : {}) }));
  }

  close(): void {
    this.db.close();
  }
}
