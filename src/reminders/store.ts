import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { openSqlite } from '../storage.js';

/** Default SQLite file (override with `REMINDERS_DB`). `var/` is git-ignored. */
export const DEFAULT_DB_PATH = process.env.REMINDERS_DB ?? 'var/reminders.sqlite';

/** Who marked an occurrence done, when (epoch ms) and how (`button`, `command`, `cli`). */
export interface DoneMark {
  checklist: string;
  item: string;
  occurrence: string;
  by_open_id: string;
  by_name: string;
  at: number;
  via: string;
}

/** An entry of a sent card: which occurrence it shows. */
export interface CardEntry {
  item: string;
  occurrence: string;
  due: string;
}

/** A sent reminder card, kept so a click can re-render and patch it in place. */
export interface CardRecord {
  message_id: string;
  chat_id: string;
  checklist: string;
  kind: string;
  entries: CardEntry[];
  sent_at: number;
}

/** Sends to a chat held back after failures that may pass (throttling, 5xx), until `until`. */
export interface ChatHold {
  chat_id: string;
  /** Consecutive failed sends. */
  failures: number;
  /** Open API code and message of the last failure, when known. */
  code: number | null;
  reason: string;
  /** Epoch ms of the last failure, and of the earliest next attempt. */
  at: number;
  until: number;
}

/** Result of {@link ReminderStore.claim}. */
export interface Claim {
  /** Keys now claimed by this process (including in-doubt keys taken over from a dead process). */
  keys: string[];
  /** Keys that were claimed by an earlier process that never confirmed (crash mid-send): sent again. */
  inDoubt: string[];
}

/**
 * The reminders' embedded database (better-sqlite3, WAL). Exactly-once sending uses claim/confirm:
 * 1. `claim(keys)` inserts `claimed` rows (owner = this process) in one transaction; keys already
 *    `sent`, or claimed by this same process, are not returned;
 * 2. the caller sends;
 * 3. `confirm(keys, messageId)` marks them `sent` — only then is the send done;
 *    on a send error `release(keys)` deletes the claims so the next tick retries.
 * A `claimed` row left by a process that died between send and confirm is "in doubt": the next
 * process takes it over and sends again (at-least-once for that rare window, never a lost reminder),
 * and logs it. Times are epoch ms.
 */
export class ReminderStore {
  readonly db: Database.Database;
  /** This process's claim owner id. */
  readonly owner = randomUUID();

  /** Opens (creating when needed) the database at `path`; `:memory:` for tests. Throws `StorageError` when it cannot be written. */
  constructor(path: string = DEFAULT_DB_PATH) {
    this.db = openSqlite(path, `
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
      CREATE TABLE IF NOT EXISTS paused_chats (chat_id TEXT PRIMARY KEY, at INTEGER NOT NULL, reason TEXT NOT NULL);
    `);
  }

  close(): void {
    this.db.close();
  }

  /** The first time (epoch ms) any service started on this database; set to `now` on first call. */
  firstStart(now: number): number {
    this.db.prepare('INSERT OR IGNORE INTO meta (k, v) VALUES (?, ?)').run('first_start', String(now));
    return Number((this.db.prepare('SELECT v FROM meta WHERE k = ?').get('first_start') as { v: string }).v);
  }

  /** State of a send key: `sent`, `claimed` (by whom) or undefined. */
  sendState(key: string): { state: 'claimed' | 'sent'; owner: string; message_id: string | null } | undefined {
    return this.db.prepare('SELECT state, owner, message_id FROM sends WHERE key = ?').get(key) as never;
  }

  /** True when `key` needs no further sending by this process (sent, or in flight here). */
  settled(key: string): boolean {
    const s = this.sendState(key);
    return !!s && (s.state === 'sent' || s.owner === this.owner);
  }

  /** Claims `keys` for sending (see the class doc). */
  claim(keys: string[], kind: string, chatId: string, now: number): Claim {
    const out: Claim = { keys: [], inDoubt: [] };
    const get = this.db.prepare('SELECT state, owner FROM sends WHERE key = ?');
    const ins = this.db.prepare('INSERT INTO sends (key, kind, chat_id, state, owner, claimed_at) VALUES (?, ?, ?, \'claimed\', ?, ?)');
    const take = this.db.prepare('UPDATE sends SET owner = ?, claimed_at = ?, attempts = attempts + 1 WHERE key = ? AND state = \'claimed\' AND owner = ?');
    this.db.transaction(() => {
      for (const key of keys) {
        const row = get.get(key) as { state: string; owner: string } | undefined;
        if (!row) {
          ins.run(key, kind, chatId, this.owner, now);
          out.keys.push(key);
        } else if (row.state === 'claimed' && row.owner !== this.owner) {
          if (take.run(this.owner, now, key, row.owner).changes === 1) {
            out.keys.push(key);
            out.inDoubt.push(key);
          }
        }
      }
    }).immediate();
    return out;
  }

  /** Marks claimed `keys` as sent with the resulting message id. */
  confirm(keys: string[], messageId: string, now: number): void {
    const upd = this.db.prepare('UPDATE sends SET state = \'sent\', sent_at = ?, message_id = ? WHERE key = ? AND owner = ?');
    this.db.transaction(() => {
      for (const k of keys) upd.run(now, messageId, k, this.owner);
    })();
  }

  /** Drops this process's claims on `keys` (the send failed; the next tick retries). */
  release(keys: string[]): void {
    const del = this.db.prepare('DELETE FROM sends WHERE key = ? AND state = \'claimed\' AND owner = ?');
    this.db.transaction(() => {
      for (const k of keys) del.run(k, this.owner);
    })();
  }

  /** The hold on sends to `chatId`, if any. */
  chatHold(chatId: string): ChatHold | undefined {
    return this.db.prepare('SELECT * FROM chat_holds WHERE chat_id = ?').get(chatId) as ChatHold | undefined;
  }

  /** Every chat with a hold, most recent first. */
  chatHolds(): ChatHold[] {
    return this.db.prepare('SELECT * FROM chat_holds ORDER BY at DESC').all() as ChatHold[];
  }

  /** Records a failed send to `chatId`: no send before `backoffMs(failures)` after `now`. Returns the new hold. */
  holdChat(chatId: string, f: { code?: number; reason: string; now: number; backoffMs: (failures: number) => number }): ChatHold {
    const failures = (this.chatHold(chatId)?.failures ?? 0) + 1;
    const hold: ChatHold = { chat_id: chatId, failures, code: f.code ?? null, reason: f.reason, at: f.now, until: f.now + f.backoffMs(failures) };
    this.db
      .prepare('INSERT OR REPLACE INTO chat_holds (chat_id, failures, code, reason, at, until) VALUES (@chat_id, @failures, @code, @reason, @at, @until)')
      .run(hold);
    return hold;
  }

  /** Lifts the hold on `chatId` (a send worked, or the chat was resumed). */
  clearChatHold(chatId: string): void {
    this.db.prepare('DELETE FROM chat_holds WHERE chat_id = ?').run(chatId);
  }

  /** Number of confirmed sends (for tests and status). */
  sentCount(kind?: string): number {
    const row = kind
      ? this.db.prepare('SELECT COUNT(*) AS n FROM sends WHERE state = \'sent\' AND kind = ?').get(kind)
      : this.db.prepare('SELECT COUNT(*) AS n FROM sends WHERE state = \'sent\'').get();
    return (row as { n: number }).n;
  }

  /** Records an occurrence as done; returns false (and keeps the first mark) when it already was. */
  markDone(m: DoneMark): boolean {
    return (
      this.db
        .prepare('INSERT OR IGNORE INTO done (checklist, item, occurrence, by_open_id, by_name, at, via) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(m.checklist, m.item, m.occurrence, m.by_open_id, m.by_name, m.at, m.via).changes === 1
    );
  }

  /** Deletes the done mark of an occurrence (undo); returns the removed mark, or undefined when there was none. */
  undoDone(checklist: string, item: string, occurrence: string): DoneMark | undefined {
    const mark = this.getDone(checklist, item, occurrence);
    if (mark) this.db.prepare('DELETE FROM done WHERE checklist = ? AND item = ? AND occurrence = ?').run(checklist, item, occurrence);
    return mark;
  }

  /** Records that sends to `chatId` are paused (e.g. the bot was removed from it), at `at` (epoch ms). */
  pauseChat(chatId: string, at: number, reason: string): void {
    this.db.prepare('INSERT OR REPLACE INTO paused_chats (chat_id, at, reason) VALUES (?, ?, ?)').run(chatId, at, reason);
  }

  /** Lifts a pause; returns true when the chat was paused. */
  resumeChat(chatId: string): boolean {
    return this.db.prepare('DELETE FROM paused_chats WHERE chat_id = ?').run(chatId).changes === 1;
  }

  /** The pause of a chat, if any. */
  pausedChat(chatId: string): { chat_id: string; at: number; reason: string } | undefined {
    return this.db.prepare('SELECT chat_id, at, reason FROM paused_chats WHERE chat_id = ?').get(chatId) as never;
  }

  /** The done mark of an occurrence, if any. */
  getDone(checklist: string, item: string, occurrence: string): DoneMark | undefined {
    return this.db.prepare('SELECT * FROM done WHERE checklist = ? AND item = ? AND occurrence = ?').get(checklist, item, occurrence) as never;
  }

  /** Done marks of a checklist made in [fromMs, toMs). */
  doneBetween(checklist: string, fromMs: number, toMs: number): DoneMark[] {
    return this.db.prepare('SELECT * FROM done WHERE checklist = ? AND at >= ? AND at < ? ORDER BY at').all(checklist, fromMs, toMs) as never;
  }

  /** Saves a sent card for later in-place updates. */
  saveCard(c: CardRecord): void {
    this.db
      .prepare('INSERT OR REPLACE INTO cards (message_id, chat_id, checklist, kind, entries, sent_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(c.message_id, c.chat_id, c.checklist, c.kind, JSON.stringify(c.entries), c.sent_at);
  }

  /** The card record of `messageId`, if the bot sent it as a reminder card. */
  getCard(messageId: string): CardRecord | undefined {
    const r = this.db.prepare('SELECT * FROM cards WHERE message_id = ?').get(messageId) as (Omit<CardRecord, 'entries'> & { entries: string }) | undefined;
    return r && { ...r, entries: JSON.parse(r.entries) as CardEntry[] };
  }

  /** Cards of `checklist` sent since `sinceMs` that show the given occurrence. */
  cardsShowing(checklist: string, item: string, occurrence: string, sinceMs: number): CardRecord[] {
    const rows = this.db.prepare('SELECT * FROM cards WHERE checklist = ? AND sent_at >= ?').all(checklist, sinceMs) as (Omit<CardRecord, 'entries'> & { entries: string })[];
    return rows
      .map((r) => ({ ...r, entries: JSON.parse(r.entries) as CardEntry[] }))
      .filter((r) => r.entries.some((e) => e.item === item && e.occurrence === occurrence));
  }
}
