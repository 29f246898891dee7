/**
 * The SQLite backend of the shared state (better-sqlite3, WAL, one file per area): the embedded default,
 * for one process or several processes on one host sharing the files. Writes that read first run in
 * `BEGIN IMMEDIATE` transactions, so two processes on one file serialize; leases use the host's clock.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { openSqlite } from '../storage.js';
import type { Turn } from '../types.js';
import { chatMigrations, documentMigrations, reminderMigrations, type SqliteMigration } from './migrations/sqlite.js';
import { migrateSqlite } from './migrations/run.js';
import { DEDUPE_RETENTION_MS, dedupeKeys, mergeCardEntries, sha256Hex } from './keys.js';
import {
  leaseMsFromEnv,
  type CardEntry,
  type StreamCardRecord,
  type CardRecord,
  type ChatHold,
  type ChatState,
  type Claim,
  type DocumentChange,
  type DocumentState,
  type DoneMark,
  type FeedbackRecord,
  type InboxEntry,
  type InboxMessage,
  type ReminderState,
  type SendState,
  type StoredDocument,
  type StoreOptions,
  type UndeliverableRecord,
} from './types.js';


async function openMigrated(file: string, migrations: SqliteMigration[]): Promise<Database.Database> {
  const db = openSqlite(file, '');
  try {
    await migrateSqlite(db, migrations);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

type InboxRow = { payload: string; received_at: number; attempts: number; next_at: number };

/** {@link ChatState} on a SQLite file (`LARK_STATE_DB`, default `var/lark.db`; `:memory:` for a throwaway store). */
export class SqliteChatState<M extends InboxMessage = InboxMessage> implements ChatState<M> {
  readonly owner: string;
  readonly leaseMs: number;
  private readonly claimTx: (keys: string[], at: number) => boolean;
  private readonly acceptTx: { immediate: (msg: M, keys: string[], at: number) => boolean };

  private constructor(
    private readonly db: Database.Database,
    opts: StoreOptions,
  ) {
    this.owner = opts.owner ?? randomUUID();
    this.leaseMs = opts.leaseMs ?? leaseMsFromEnv();
    db.pragma('synchronous = NORMAL');
    const has = db.prepare('SELECT 1 FROM seen WHERE key = ?');
    const put = db.prepare('INSERT OR IGNORE INTO seen (key, at) VALUES (?, ?)');
    const claimOnce = (keys: string[], at: number) => {
      if (keys.some((k) => has.get(k) !== undefined)) return false;
      for (const k of keys) put.run(k, at);
      return true;
    };
    const claim = db.transaction(claimOnce);
    this.claimTx = (keys, at) => claim.immediate(keys, at);
    const enqueue = db.prepare(
      'INSERT OR REPLACE INTO inbox (message_id, payload, received_at, attempts, next_at, owner, lease_until) VALUES (?, ?, ?, 0, ?, ?, ?)',
    );
    this.acceptTx = db.transaction((msg: M, keys: string[], at: number) => {
      if (!claimOnce(keys, at)) return false;
      enqueue.run(msg.messageId, JSON.stringify(msg), at, at, this.owner, Date.now() + this.leaseMs);
      return true;
    });
  }

  /**
   * Opens (creating and migrating when needed) the chat database at `file`; prunes dedupe keys older
   * than `retentionMs` (default {@link DEDUPE_RETENTION_MS}).
   * @throws StorageError when the file cannot be created or written.
   */
  static async open<M extends InboxMessage = InboxMessage>(file: string, opts: StoreOptions & { retentionMs?: number } = {}): Promise<SqliteChatState<M>> {
    const db = await openMigrated(file, chatMigrations);
    db.prepare('DELETE FROM seen WHERE at < ?').run(Date.now() - (opts.retentionMs ?? DEDUPE_RETENTION_MS));
    return new SqliteChatState<M>(db, opts);
  }

  async accept(msg: M, at = Date.now()): Promise<boolean> {
    return this.acceptTx.immediate(msg, dedupeKeys(msg.eventId, msg.messageId), at);
  }

  async claim(eventId: string | undefined, messageId: string | undefined): Promise<boolean> {
    const keys = dedupeKeys(eventId, messageId);
    return keys.length === 0 || this.claimTx(keys, Date.now());
  }

  async finish(messageId: string): Promise<void> {
    this.db.prepare('DELETE FROM inbox WHERE message_id = ?').run(messageId);
  }

  async defer(messageId: string, nextAt: number): Promise<void> {
    this.db.prepare('UPDATE inbox SET attempts = attempts + 1, next_at = ?, owner = NULL, lease_until = 0 WHERE message_id = ?').run(nextAt, messageId);
  }

  async inbox(dueBy?: number): Promise<InboxEntry<M>[]> {
    const rows = (
      dueBy === undefined
        ? this.db.prepare('SELECT payload, received_at, attempts, next_at FROM inbox ORDER BY received_at, rowid').all()
        : this.db.prepare('SELECT payload, received_at, attempts, next_at FROM inbox WHERE next_at <= ? ORDER BY received_at, rowid').all(dueBy)
    ) as InboxRow[];
    return rows.map(toInboxEntry<M>);
  }

  async takeInbox(now: number): Promise<InboxEntry<M>[]> {
    return this.db
      .transaction(() => {
        const wall = Date.now();
        const rows = this.db
          .prepare('SELECT message_id, payload, received_at, attempts, next_at FROM inbox WHERE next_at <= ? AND lease_until < ? ORDER BY received_at, rowid')
          .all(now, wall) as (InboxRow & { message_id: string })[];
        const take = this.db.prepare('UPDATE inbox SET owner = ?, lease_until = ? WHERE message_id = ?');
        for (const r of rows) take.run(this.owner, wall + this.leaseMs, r.message_id);
        return rows.map(toInboxEntry<M>);
      })
      .immediate();
  }

  async renewInbox(messageIds: string[]): Promise<void> {
    const upd = this.db.prepare('UPDATE inbox SET lease_until = ? WHERE message_id = ? AND owner = ?');
    this.db.transaction(() => {
      for (const id of messageIds) upd.run(Date.now() + this.leaseMs, id, this.owner);
    })();
  }

  async recordUndeliverable(r: UndeliverableRecord): Promise<void> {
    this.db.prepare('INSERT OR REPLACE INTO undeliverable (chat_id, code, msg, at) VALUES (?, ?, ?, ?)').run(r.chatId, r.code ?? null, r.msg ?? null, r.at);
  }

  async clearUndeliverable(chatId: string): Promise<void> {
    this.db.prepare('DELETE FROM undeliverable WHERE chat_id = ?').run(chatId);
  }

  async listUndeliverable(): Promise<UndeliverableRecord[]> {
    const rows = this.db.prepare('SELECT chat_id, code, msg, at FROM undeliverable ORDER BY at DESC').all() as Array<{ chat_id: string; code: number | null; msg: string | null; at: number }>;
    return rows.map((r) => ({ chatId: r.chat_id, code: r.code ?? undefined, msg: r.msg ?? undefined, at: r.at }));
  }

  async recordFeedback(f: FeedbackRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO feedback (message_id, open_id, chat_id, vote, question, at) VALUES (@messageId, @openId, @chatId, @vote, @question, @at)
         ON CONFLICT(message_id, open_id) DO UPDATE SET vote = excluded.vote, at = excluded.at`,
      )
      .run(f);
  }

  async listFeedback(): Promise<FeedbackRecord[]> {
    return this.db
      .prepare('SELECT message_id AS messageId, chat_id AS chatId, open_id AS openId, vote, question, at FROM feedback ORDER BY at, rowid')
      .all() as FeedbackRecord[];
  }

  async feedbackTotals(): Promise<{ up: number; down: number }> {
    const rows = this.db.prepare('SELECT vote, COUNT(*) AS n FROM feedback GROUP BY vote').all() as Array<{ vote: 'up' | 'down'; n: number }>;
    return { up: rows.find((r) => r.vote === 'up')?.n ?? 0, down: rows.find((r) => r.vote === 'down')?.n ?? 0 };
  }

  async addTurn(thread: string, turn: Turn): Promise<void> {
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO turns (thread, question, answer, sources, at) VALUES (?, ?, ?, ?, ?)')
        .run(thread, turn.question, turn.answer, turn.sources?.length ? JSON.stringify(turn.sources) : null, Date.now());
      this.db
        .prepare('DELETE FROM turns WHERE thread = ? AND id NOT IN (SELECT id FROM turns WHERE thread = ? ORDER BY id DESC LIMIT 20)')
        .run(thread, thread);
    })();
  }

  async lastTurns(thread: string, n: number): Promise<Turn[]> {
    if (n <= 0) return [];
    const rows = this.db
      .prepare('SELECT question, answer, sources FROM turns WHERE thread = ? ORDER BY id DESC LIMIT ?')
      .all(thread, n) as { question: string; answer: string; sources: string | null }[];
    return rows.reverse().map((r) => ({ question: r.question, answer: r.answer, ...(r.sources ? { sources: JSON.parse(r.sources) as string[] } : {}) }));
  }

  async streamCardOpened(c: StreamCardRecord): Promise<void> {
    this.db
      .prepare('INSERT OR REPLACE INTO stream_cards (card_id, chat_id, message_id, opened_at, sequence_ceiling, owner, lease_until) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(c.cardId, c.chatId, c.messageId, c.openedAt, c.sequenceCeiling, this.owner, Date.now() + this.leaseMs);
  }

  async streamCardCeiling(cardId: string, ceiling: number): Promise<void> {
    this.db.prepare('UPDATE stream_cards SET sequence_ceiling = MAX(sequence_ceiling, ?) WHERE card_id = ?').run(ceiling, cardId);
  }

  async renewStreamCards(cardIds: string[]): Promise<void> {
    const upd = this.db.prepare('UPDATE stream_cards SET lease_until = ? WHERE card_id = ? AND owner = ?');
    this.db.transaction(() => {
      for (const id of cardIds) upd.run(Date.now() + this.leaseMs, id, this.owner);
    })();
  }

  async streamCardClosed(cardId: string): Promise<void> {
    this.db.prepare('DELETE FROM stream_cards WHERE card_id = ?').run(cardId);
  }

  async takeInterruptedStreamCards(): Promise<StreamCardRecord[]> {
    return this.db
      .transaction(() => {
        const now = Date.now();
        const rows = this.db.prepare('SELECT * FROM stream_cards WHERE lease_until < ? ORDER BY opened_at').all(now) as StreamCardRow[];
        const take = this.db.prepare('UPDATE stream_cards SET owner = ?, lease_until = ? WHERE card_id = ?');
        for (const r of rows) take.run(this.owner, now + this.leaseMs, r.card_id);
        return rows.map(toStreamCard);
      })
      .immediate();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

type StreamCardRow = { card_id: string; chat_id: string; message_id: string; opened_at: number; sequence_ceiling: number };
const toStreamCard = (r: StreamCardRow): StreamCardRecord => ({ cardId: r.card_id, chatId: r.chat_id, messageId: r.message_id, openedAt: Number(r.opened_at), sequenceCeiling: Number(r.sequence_ceiling) });

function toInboxEntry<M>(r: InboxRow): InboxEntry<M & InboxMessage> {
  return { message: JSON.parse(r.payload) as M & InboxMessage, receivedAt: r.received_at, attempts: r.attempts, nextAt: r.next_at };
}

/** {@link ReminderState} on a SQLite file (`REMINDERS_DB`, default `var/reminders.sqlite`). */
export class SqliteReminderState implements ReminderState {
  readonly owner: string;
  readonly leaseMs: number;

  private constructor(
    readonly db: Database.Database,
    opts: StoreOptions,
  ) {
    this.owner = opts.owner ?? randomUUID();
    this.leaseMs = opts.leaseMs ?? leaseMsFromEnv();
  }

  /** Opens (creating and migrating when needed) the reminders' database; `:memory:` for tests. @throws StorageError when it cannot be written. */
  static async open(file: string, opts: StoreOptions = {}): Promise<SqliteReminderState> {
    return new SqliteReminderState(await openMigrated(file, reminderMigrations), opts);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  async firstStart(now: number): Promise<number> {
    this.db.prepare('INSERT OR IGNORE INTO meta (k, v) VALUES (?, ?)').run('first_start', String(now));
    return Number((this.db.prepare('SELECT v FROM meta WHERE k = ?').get('first_start') as { v: string }).v);
  }

  async sendState(key: string): Promise<SendState | undefined> {
    return this.db.prepare('SELECT state, owner, message_id, lease_until FROM sends WHERE key = ?').get(key) as SendState | undefined;
  }

  async settled(key: string): Promise<boolean> {
    const s = await this.sendState(key);
    return !!s && (s.state === 'sent' || s.owner === this.owner || (s.lease_until ?? 0) >= Date.now());
  }

  async claim(keys: string[], kind: string, chatId: string, now: number): Promise<Claim> {
    const out: Claim = { keys: [], inDoubt: [] };
    const get = this.db.prepare('SELECT state, owner, lease_until FROM sends WHERE key = ?');
    const ins = this.db.prepare("INSERT INTO sends (key, kind, chat_id, state, owner, claimed_at, lease_until) VALUES (?, ?, ?, 'claimed', ?, ?, ?)");
    const take = this.db.prepare("UPDATE sends SET owner = ?, claimed_at = ?, lease_until = ?, attempts = attempts + 1 WHERE key = ? AND state = 'claimed' AND owner = ?");
    this.db
      .transaction(() => {
        const wall = Date.now();
        for (const key of keys) {
          const row = get.get(key) as { state: string; owner: string; lease_until: number | null } | undefined;
          if (!row) {
            ins.run(key, kind, chatId, this.owner, now, wall + this.leaseMs);
            out.keys.push(key);
          } else if (row.state === 'claimed' && row.owner !== this.owner && (row.lease_until ?? 0) < wall) {
            if (take.run(this.owner, now, wall + this.leaseMs, key, row.owner).changes === 1) {
              out.keys.push(key);
              out.inDoubt.push(key);
            }
          }
        }
      })
      .immediate();
    return out;
  }

  async renew(keys: string[]): Promise<string[]> {
    const upd = this.db.prepare("UPDATE sends SET lease_until = ? WHERE key = ? AND state = 'claimed' AND owner = ?");
    return this.db.transaction(() => keys.filter((k) => upd.run(Date.now() + this.leaseMs, k, this.owner).changes === 1)).immediate();
  }

  async confirm(keys: string[], messageId: string, now: number): Promise<void> {
    const upd = this.db.prepare("UPDATE sends SET state = 'sent', sent_at = ?, message_id = ?, lease_until = NULL WHERE key = ? AND owner = ?");
    this.db.transaction(() => {
      for (const k of keys) upd.run(now, messageId, k, this.owner);
    })();
  }

  async release(keys: string[]): Promise<void> {
    const del = this.db.prepare("DELETE FROM sends WHERE key = ? AND state = 'claimed' AND owner = ?");
    this.db.transaction(() => {
      for (const k of keys) del.run(k, this.owner);
    })();
  }

  async chatHold(chatId: string): Promise<ChatHold | undefined> {
    return this.db.prepare('SELECT * FROM chat_holds WHERE chat_id = ?').get(chatId) as ChatHold | undefined;
  }

  async chatHolds(): Promise<ChatHold[]> {
    return this.db.prepare('SELECT * FROM chat_holds ORDER BY at DESC').all() as ChatHold[];
  }

  async holdChat(chatId: string, f: { code?: number; reason: string; now: number; backoffMs: (failures: number) => number }): Promise<ChatHold> {
    const failures = ((await this.chatHold(chatId))?.failures ?? 0) + 1;
    const hold: ChatHold = { chat_id: chatId, failures, code: f.code ?? null, reason: f.reason, at: f.now, until: f.now + f.backoffMs(failures) };
    this.db.prepare('INSERT OR REPLACE INTO chat_holds (chat_id, failures, code, reason, at, until) VALUES (@chat_id, @failures, @code, @reason, @at, @until)').run(hold);
    return hold;
  }

  async clearChatHold(chatId: string): Promise<void> {
    this.db.prepare('DELETE FROM chat_holds WHERE chat_id = ?').run(chatId);
  }

  async sentCount(kind?: string): Promise<number> {
    const row = kind
      ? this.db.prepare("SELECT COUNT(*) AS n FROM sends WHERE state = 'sent' AND kind = ?").get(kind)
      : this.db.prepare("SELECT COUNT(*) AS n FROM sends WHERE state = 'sent'").get();
    return (row as { n: number }).n;
  }

  async markDone(m: DoneMark): Promise<boolean> {
    return (
      this.db
        .prepare('INSERT OR IGNORE INTO done (checklist, item, occurrence, by_open_id, by_name, at, via) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(m.checklist, m.item, m.occurrence, m.by_open_id, m.by_name, m.at, m.via).changes === 1
    );
  }

  async undoDone(checklist: string, item: string, occurrence: string): Promise<DoneMark | undefined> {
    return this.db
      .transaction(() => {
        const mark = this.db.prepare('SELECT * FROM done WHERE checklist = ? AND item = ? AND occurrence = ?').get(checklist, item, occurrence) as DoneMark | undefined;
        if (mark) this.db.prepare('DELETE FROM done WHERE checklist = ? AND item = ? AND occurrence = ?').run(checklist, item, occurrence);
        return mark;
      })
      .immediate();
  }

  async pauseChat(chatId: string, at: number, reason: string): Promise<void> {
    this.db.prepare('INSERT OR REPLACE INTO paused_chats (chat_id, at, reason) VALUES (?, ?, ?)').run(chatId, at, reason);
  }

  async resumeChat(chatId: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM paused_chats WHERE chat_id = ?').run(chatId).changes === 1;
  }

  async pausedChat(chatId: string): Promise<{ chat_id: string; at: number; reason: string } | undefined> {
    return this.db.prepare('SELECT chat_id, at, reason FROM paused_chats WHERE chat_id = ?').get(chatId) as never;
  }

  async getDone(checklist: string, item: string, occurrence: string): Promise<DoneMark | undefined> {
    return this.db.prepare('SELECT * FROM done WHERE checklist = ? AND item = ? AND occurrence = ?').get(checklist, item, occurrence) as never;
  }

  async doneBetween(checklist: string, fromMs: number, toMs: number): Promise<DoneMark[]> {
    return this.db.prepare('SELECT * FROM done WHERE checklist = ? AND at >= ? AND at < ? ORDER BY at').all(checklist, fromMs, toMs) as never;
  }

  async saveCard(c: CardRecord): Promise<void> {
    this.db
      .prepare('INSERT OR REPLACE INTO cards (message_id, chat_id, day, kind, entries, sent_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(c.message_id, c.chat_id, c.day, c.kind, JSON.stringify(c.entries), c.sent_at);
  }

  async getCard(messageId: string): Promise<CardRecord | undefined> {
    const r = this.db.prepare('SELECT * FROM cards WHERE message_id = ?').get(messageId) as CardRow | undefined;
    return r && toCard(r);
  }

  async addCardEntries(messageId: string, entries: CardEntry[]): Promise<CardRecord | undefined> {
    return this.db
      .transaction(() => {
        const r = this.db.prepare('SELECT * FROM cards WHERE message_id = ?').get(messageId) as CardRow | undefined;
        if (!r) return undefined;
        const card = toCard(r);
        card.entries = mergeCardEntries(card.entries, entries);
        this.db.prepare('UPDATE cards SET entries = ? WHERE message_id = ?').run(JSON.stringify(card.entries), messageId);
        return card;
      })
      .immediate();
  }

  async cardsShowing(checklist: string, item: string, occurrence: string, sinceMs: number): Promise<CardRecord[]> {
    const rows = this.db
      .prepare(
        `SELECT * FROM cards WHERE sent_at >= ? AND EXISTS (SELECT 1 FROM json_each(cards.entries) e
           WHERE e.value ->> '$.checklist' = ? AND e.value ->> '$.item' = ? AND e.value ->> '$.occurrence' = ?)`,
      )
      .all(sinceMs, checklist, item, occurrence) as CardRow[];
    return rows.map(toCard);
  }
}

type CardRow = Omit<CardRecord, 'entries'> & { entries: string };
const toCard = (r: CardRow): CardRecord => ({ ...r, entries: JSON.parse(r.entries) as CardEntry[] });

type DocRow = { id: number; name: string; sha256: string; size: number; added_by: string; added_at: number; deleted: number; deleted_at: number | null; deleted_by: string | null; meta: string | null };
const DOC_COLUMNS = 'id, name, sha256, size, added_by, added_at, deleted, deleted_at, deleted_by, meta';

function toDocument(r: DocRow): StoredDocument {
  return {
    id: String(r.id),
    name: r.name,
    sha256: r.sha256,
    size: r.size,
    addedBy: r.added_by,
    addedAt: r.added_at,
    deleted: Boolean(r.deleted),
    ...(r.deleted_at !== null ? { deletedAt: r.deleted_at } : {}),
    ...(r.deleted_by !== null ? { deletedBy: r.deleted_by } : {}),
    ...(r.meta !== null ? { meta: JSON.parse(r.meta) as Record<string, unknown> } : {}),
  };
}

/**
 * {@link DocumentState} on a SQLite file (`DOCUMENTS_DB`, default `var/documents.sqlite`). Changes made
 * through this object reach its subscribers at once; changes by other processes on the same file are
 * found by polling `PRAGMA data_version` every `pollMs` (default 1 s) while someone is subscribed.
 */
export class SqliteDocumentState implements DocumentState {
  private readonly subscribers = new Set<(c: DocumentChange) => void>();
  private timer?: NodeJS.Timeout;
  private version = 0;
  private known = new Map<string, boolean>();

  private constructor(
    private readonly db: Database.Database,
    private readonly pollMs: number,
  ) {}

  /** Opens (creating and migrating when needed) the documents' database. @throws StorageError when it cannot be written. */
  static async open(file: string, opts: { pollMs?: number } = {}): Promise<SqliteDocumentState> {
    return new SqliteDocumentState(await openMigrated(file, documentMigrations), opts.pollMs ?? 1000);
  }

  async save(doc: { name: string; bytes: Uint8Array; addedBy: string; addedAt?: number; meta?: Record<string, unknown> }): Promise<StoredDocument> {
    const sha = sha256Hex(doc.bytes);
    const { row, added } = this.db
      .transaction(() => {
        const same = this.db.prepare(`SELECT ${DOC_COLUMNS} FROM documents WHERE sha256 = ? AND name = ? AND deleted = 0`).get(sha, doc.name) as DocRow | undefined;
        if (same) return { row: same, added: false };
        const id = this.db
          .prepare('INSERT INTO documents (name, sha256, size, bytes, added_by, added_at, meta) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(doc.name, sha, doc.bytes.byteLength, Buffer.from(doc.bytes), doc.addedBy, doc.addedAt ?? Date.now(), doc.meta ? JSON.stringify(doc.meta) : null).lastInsertRowid;
        return { row: this.db.prepare(`SELECT ${DOC_COLUMNS} FROM documents WHERE id = ?`).get(id) as DocRow, added: true };
      })
      .immediate();
    const stored = toDocument(row);
    if (added) this.emit({ action: 'added', id: stored.id, name: stored.name, sha256: stored.sha256 });
    return stored;
  }

  async list(opts: { includeDeleted?: boolean } = {}): Promise<StoredDocument[]> {
    const rows = this.db.prepare(`SELECT ${DOC_COLUMNS} FROM documents ${opts.includeDeleted ? '' : 'WHERE deleted = 0'} ORDER BY added_at, id`).all() as DocRow[];
    return rows.map(toDocument);
  }

  async get(id: string): Promise<StoredDocument | undefined> {
    const r = this.db.prepare(`SELECT ${DOC_COLUMNS} FROM documents WHERE id = ?`).get(Number(id)) as DocRow | undefined;
    return r && toDocument(r);
  }

  async getBytes(id: string): Promise<Buffer | undefined> {
    return (this.db.prepare('SELECT bytes FROM documents WHERE id = ?').get(Number(id)) as { bytes: Buffer } | undefined)?.bytes;
  }

  async remove(id: string, by: string, at = Date.now()): Promise<boolean> {
    const r = this.db
      .prepare(`UPDATE documents SET deleted = 1, deleted_at = ?, deleted_by = ? WHERE id = ? AND deleted = 0 RETURNING ${DOC_COLUMNS}`)
      .get(at, by, Number(id)) as DocRow | undefined;
    if (r) this.emit({ action: 'removed', id: String(r.id), name: r.name, sha256: r.sha256 });
    return Boolean(r);
  }

  onDocumentsChanged(cb: (change: DocumentChange) => void): () => void {
    if (this.subscribers.size === 0) {
      this.known = this.snapshot();
      this.version = this.dataVersion();
      this.timer = setInterval(() => this.poll(), this.pollMs);
      this.timer.unref();
    }
    this.subscribers.add(cb);
    return () => {
      this.subscribers.delete(cb);
      if (this.subscribers.size === 0) clearInterval(this.timer);
    };
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.subscribers.clear();
    if (this.db.open) this.db.close();
  }

  private dataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  private snapshot(): Map<string, boolean> {
    const rows = this.db.prepare('SELECT id, deleted FROM documents').all() as { id: number; deleted: number }[];
    return new Map(rows.map((r) => [String(r.id), Boolean(r.deleted)]));
  }

  /** Finds changes committed by other processes (data_version moves only for them). */
  private poll(): void {
    if (!this.db.open) return;
    const v = this.dataVersion();
    if (v === this.version) return;
    this.version = v;
    const now = this.snapshot();
    for (const [id, deleted] of now) {
      const before = this.known.get(id);
      if (before === undefined && !deleted) void this.announce(id, 'added');
      else if (before === false && deleted) void this.announce(id, 'removed');
    }
    this.known = now;
  }

  private async announce(id: string, action: DocumentChange['action']): Promise<void> {
    const d = await this.get(id);
    if (d) for (const cb of this.subscribers) cb({ action, id, name: d.name, sha256: d.sha256 });
  }

  private emit(change: DocumentChange): void {
    this.known.set(change.id, change.action === 'removed');
    for (const cb of this.subscribers) cb(change);
  }
}
