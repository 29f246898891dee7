/**
 * The PostgreSQL backend of the shared state (node-postgres `Pool`; `DATABASE_URL`), for several
 * replicas on one database. Lease times come from the server's clock (`clock_timestamp()`), so the
 * replicas' clocks need not agree. Concurrent claims: inserts race on primary keys (`ON CONFLICT DO
 * NOTHING` waits for the other transaction and then yields to it), take-overs of expired leases lock
 * rows with `FOR UPDATE SKIP LOCKED`. Document changes are announced with `pg_notify('documents_changed')`
 * in the writing transaction and heard with `LISTEN` on a dedicated connection.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { log } from '../log.js';
import type { Turn } from '../types.js';
import { migratePostgres } from './migrations/run.js';
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
  type SharedState,
  type StoredDocument,
  type StoreOptions,
  type UndeliverableRecord,
} from './types.js';

/** The server's wall clock in epoch ms. */
const NOW_MS = '(extract(epoch from clock_timestamp()) * 1000)::bigint';
/** The NOTIFY channel of document changes; the payload is a {@link DocumentChange} as JSON. */
export const DOCUMENTS_CHANNEL = 'documents_changed';

/** BIGINT (int8, oid 20) and COUNT as JS numbers: every value here is epoch ms or a small count. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** Runs `fn` in a transaction on one pooled connection; rolls back and rethrows on error. */
async function inTransaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    const out = await fn(c);
    await c.query('COMMIT');
    return out;
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}

/** Inserts all `keys` into `seen` or none: false when any was there (the transaction must then roll back). */
async function claimKeys(c: pg.PoolClient, keys: string[], at: number): Promise<boolean> {
  const r = await c.query('INSERT INTO seen (key, at) SELECT unnest($1::text[]), $2 ON CONFLICT (key) DO NOTHING', [keys, at]);
  return r.rowCount === keys.length;
}

class Rollback extends Error {}

type InboxRow = { payload: unknown; received_at: number; attempts: number; next_at: number };
const toInboxEntry = <M>(r: InboxRow): InboxEntry<M & InboxMessage> => ({
  message: r.payload as M & InboxMessage,
  receivedAt: r.received_at,
  attempts: r.attempts,
  nextAt: r.next_at,
});

/** {@link ChatState} on PostgreSQL. */
export class PostgresChatState<M extends InboxMessage = InboxMessage> implements ChatState<M> {
  constructor(
    private readonly pool: pg.Pool,
    readonly owner: string,
    readonly leaseMs: number,
    private readonly release: () => Promise<void>,
  ) {}

  async accept(msg: M, at = Date.now()): Promise<boolean> {
    try {
      return await inTransaction(this.pool, async (c) => {
        if (!(await claimKeys(c, dedupeKeys(msg.eventId, msg.messageId), at))) throw new Rollback();
        await c.query(
          `INSERT INTO inbox (message_id, payload, received_at, attempts, next_at, owner, lease_until)
           VALUES ($1, $2, $3, 0, $3, $4, ${NOW_MS} + $5) ON CONFLICT (message_id) DO NOTHING`,
          [msg.messageId, JSON.stringify(msg), at, this.owner, this.leaseMs],
        );
        return true;
      });
    } catch (err) {
      if (err instanceof Rollback) return false;
      throw err;
    }
  }

  async claim(eventId: string | undefined, messageId: string | undefined): Promise<boolean> {
    const keys = dedupeKeys(eventId, messageId);
    if (keys.length === 0) return true;
    try {
      return await inTransaction(this.pool, async (c) => {
        if (!(await claimKeys(c, keys, Date.now()))) throw new Rollback();
        return true;
      });
    } catch (err) {
      if (err instanceof Rollback) return false;
      throw err;
    }
  }

  async finish(messageId: string): Promise<void> {
    await this.pool.query('DELETE FROM inbox WHERE message_id = $1', [messageId]);
  }

  async defer(messageId: string, nextAt: number): Promise<void> {
    await this.pool.query('UPDATE inbox SET attempts = attempts + 1, next_at = $2, owner = NULL, lease_until = 0 WHERE message_id = $1', [messageId, nextAt]);
  }

  async inbox(dueBy?: number): Promise<InboxEntry<M>[]> {
    const r =
      dueBy === undefined
        ? await this.pool.query<InboxRow>('SELECT payload, received_at, attempts, next_at FROM inbox ORDER BY received_at, seq')
        : await this.pool.query<InboxRow>('SELECT payload, received_at, attempts, next_at FROM inbox WHERE next_at <= $1 ORDER BY received_at, seq', [dueBy]);
    return r.rows.map(toInboxEntry<M>);
  }

  async takeInbox(now: number): Promise<InboxEntry<M>[]> {
    const r = await this.pool.query<InboxRow & { seq: number }>(
      `WITH due AS (
         SELECT message_id FROM inbox WHERE next_at <= $1 AND lease_until < ${NOW_MS} ORDER BY received_at, seq FOR UPDATE SKIP LOCKED)
       UPDATE inbox i SET owner = $2, lease_until = ${NOW_MS} + $3 FROM due WHERE i.message_id = due.message_id
       RETURNING i.payload, i.received_at, i.attempts, i.next_at, i.seq`,
      [now, this.owner, this.leaseMs],
    );
    return r.rows.sort((a, b) => a.received_at - b.received_at || a.seq - b.seq).map(toInboxEntry<M>);
  }

  async renewInbox(messageIds: string[]): Promise<void> {
    if (messageIds.length === 0) return;
    await this.pool.query(`UPDATE inbox SET lease_until = ${NOW_MS} + $3 WHERE message_id = ANY($1) AND owner = $2`, [messageIds, this.owner, this.leaseMs]);
  }

  async recordUndeliverable(r: UndeliverableRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO undeliverable (chat_id, code, msg, at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (chat_id) DO UPDATE SET code = excluded.code, msg = excluded.msg, at = excluded.at`,
      [r.chatId, r.code ?? null, r.msg ?? null, r.at],
    );
  }

  async clearUndeliverable(chatId: string): Promise<void> {
    await this.pool.query('DELETE FROM undeliverable WHERE chat_id = $1', [chatId]);
  }

  async listUndeliverable(): Promise<UndeliverableRecord[]> {
    const r = await this.pool.query<{ chat_id: string; code: number | null; msg: string | null; at: number }>('SELECT chat_id, code, msg, at FROM undeliverable ORDER BY at DESC');
    return r.rows.map((x) => ({ chatId: x.chat_id, code: x.code ?? undefined, msg: x.msg ?? undefined, at: x.at }));
  }

  async recordFeedback(f: FeedbackRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO feedback (message_id, open_id, chat_id, vote, question, at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (message_id, open_id) DO UPDATE SET vote = excluded.vote, at = excluded.at`,
      [f.messageId, f.openId, f.chatId, f.vote, f.question, f.at],
    );
  }

  async listFeedback(): Promise<FeedbackRecord[]> {
    const r = await this.pool.query<FeedbackRecord>(
      'SELECT message_id AS "messageId", chat_id AS "chatId", open_id AS "openId", vote, question, at FROM feedback ORDER BY at, seq',
    );
    return r.rows;
  }

  async feedbackTotals(): Promise<{ up: number; down: number }> {
    const r = await this.pool.query<{ vote: 'up' | 'down'; n: number }>('SELECT vote, COUNT(*) AS n FROM feedback GROUP BY vote');
    return { up: r.rows.find((x) => x.vote === 'up')?.n ?? 0, down: r.rows.find((x) => x.vote === 'down')?.n ?? 0 };
  }

  async addTurn(thread: string, turn: Turn): Promise<void> {
    await inTransaction(this.pool, async (c) => {
      await c.query('INSERT INTO turns (thread, question, answer, sources, at) VALUES ($1, $2, $3, $4, $5)', [
        thread,
        turn.question,
        turn.answer,
        turn.sources?.length ? JSON.stringify(turn.sources) : null,
        Date.now(),
      ]);
      await c.query('DELETE FROM turns WHERE thread = $1 AND id NOT IN (SELECT id FROM turns WHERE thread = $1 ORDER BY id DESC LIMIT 20)', [thread]);
    });
  }

  async lastTurns(thread: string, n: number): Promise<Turn[]> {
    if (n <= 0) return [];
    const r = await this.pool.query<{ question: string; answer: string; sources: string[] | null }>(
      'SELECT question, answer, sources FROM turns WHERE thread = $1 ORDER BY id DESC LIMIT $2',
      [thread, n],
    );
    return r.rows.reverse().map((x) => ({ question: x.question, answer: x.answer, ...(x.sources ? { sources: x.sources } : {}) }));
  }

  async streamCardOpened(c: StreamCardRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO stream_cards (card_id, chat_id, message_id, opened_at, sequence_ceiling, owner, lease_until) VALUES ($1, $2, $3, $4, $5, $6, ${NOW_MS} + $7)
       ON CONFLICT (card_id) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until, sequence_ceiling = GREATEST(stream_cards.sequence_ceiling, excluded.sequence_ceiling)`,
      [c.cardId, c.chatId, c.messageId, c.openedAt, c.sequenceCeiling, this.owner, this.leaseMs],
    );
  }

  async streamCardCeiling(cardId: string, ceiling: number): Promise<void> {
    await this.pool.query('UPDATE stream_cards SET sequence_ceiling = GREATEST(sequence_ceiling, $2) WHERE card_id = $1', [cardId, ceiling]);
  }

  async renewStreamCards(cardIds: string[]): Promise<void> {
    if (!cardIds.length) return;
    await this.pool.query(`UPDATE stream_cards SET lease_until = ${NOW_MS} + $3 WHERE card_id = ANY($1) AND owner = $2`, [cardIds, this.owner, this.leaseMs]);
  }

  async streamCardClosed(cardId: string): Promise<void> {
    await this.pool.query('DELETE FROM stream_cards WHERE card_id = $1', [cardId]);
  }

  async takeInterruptedStreamCards(): Promise<StreamCardRecord[]> {
    const r = await this.pool.query<{ card_id: string; chat_id: string; message_id: string; opened_at: string; sequence_ceiling: number }>(
      `WITH expired AS (SELECT card_id FROM stream_cards WHERE lease_until < ${NOW_MS} ORDER BY opened_at FOR UPDATE SKIP LOCKED)
       UPDATE stream_cards s SET owner = $1, lease_until = ${NOW_MS} + $2 FROM expired WHERE s.card_id = expired.card_id
       RETURNING s.card_id, s.chat_id, s.message_id, s.opened_at, s.sequence_ceiling`,
      [this.owner, this.leaseMs],
    );
    return r.rows
      .map((x) => ({ cardId: x.card_id, chatId: x.chat_id, messageId: x.message_id, openedAt: Number(x.opened_at), sequenceCeiling: Number(x.sequence_ceiling) }))
      .sort((a, b) => a.openedAt - b.openedAt);
  }

  close(): Promise<void> {
    return this.release();
  }
}

/** {@link ReminderState} on PostgreSQL. */
export class PostgresReminderState implements ReminderState {
  constructor(
    private readonly pool: pg.Pool,
    readonly owner: string,
    readonly leaseMs: number,
    private readonly release_: () => Promise<void>,
  ) {}

  close(): Promise<void> {
    return this.release_();
  }

  async firstStart(now: number): Promise<number> {
    await this.pool.query("INSERT INTO meta (k, v) VALUES ('first_start', $1) ON CONFLICT (k) DO NOTHING", [String(now)]);
    return Number((await this.pool.query<{ v: string }>("SELECT v FROM meta WHERE k = 'first_start'")).rows[0].v);
  }

  async sendState(key: string): Promise<SendState | undefined> {
    return (await this.pool.query<SendState>('SELECT state, owner, message_id, lease_until FROM sends WHERE key = $1', [key])).rows[0];
  }

  async settled(key: string): Promise<boolean> {
    const r = await this.pool.query(
      `SELECT 1 FROM sends WHERE key = $1 AND (state = 'sent' OR owner = $2 OR COALESCE(lease_until, 0) >= ${NOW_MS})`,
      [key, this.owner],
    );
    return r.rowCount === 1;
  }

  async claim(keys: string[], kind: string, chatId: string, now: number): Promise<Claim> {
    const sorted = [...new Set(keys)].sort();
    if (sorted.length === 0) return { keys: [], inDoubt: [] };
    return inTransaction(this.pool, async (c) => {
      const fresh = await c.query<{ key: string }>(
        `INSERT INTO sends (key, kind, chat_id, state, owner, claimed_at, lease_until)
         SELECT k, $2, $3, 'claimed', $4, $5, ${NOW_MS} + $6 FROM unnest($1::text[]) AS k ORDER BY k
         ON CONFLICT (key) DO NOTHING RETURNING key`,
        [sorted, kind, chatId, this.owner, now, this.leaseMs],
      );
      const taken = await c.query<{ key: string }>(
        `WITH expired AS (
           SELECT key FROM sends WHERE key = ANY($1) AND state = 'claimed' AND owner <> $2 AND COALESCE(lease_until, 0) < ${NOW_MS}
           ORDER BY key FOR UPDATE SKIP LOCKED)
         UPDATE sends s SET owner = $2, claimed_at = $3, lease_until = ${NOW_MS} + $4, attempts = attempts + 1
         FROM expired WHERE s.key = expired.key RETURNING s.key`,
        [sorted, this.owner, now, this.leaseMs],
      );
      const got = new Set([...fresh.rows, ...taken.rows].map((r) => r.key));
      const inDoubt = new Set(taken.rows.map((r) => r.key));
      return { keys: keys.filter((k) => got.has(k)), inDoubt: keys.filter((k) => inDoubt.has(k)) };
    });
  }

  async renew(keys: string[]): Promise<string[]> {
    if (keys.length === 0) return [];
    const r = await this.pool.query<{ key: string }>(
      `UPDATE sends SET lease_until = ${NOW_MS} + $3 WHERE key = ANY($1) AND state = 'claimed' AND owner = $2 RETURNING key`,
      [keys, this.owner, this.leaseMs],
    );
    const held = new Set(r.rows.map((x) => x.key));
    return keys.filter((k) => held.has(k));
  }

  async confirm(keys: string[], messageId: string, now: number): Promise<void> {
    await this.pool.query("UPDATE sends SET state = 'sent', sent_at = $3, message_id = $4, lease_until = NULL WHERE key = ANY($1) AND owner = $2", [
      keys,
      this.owner,
      now,
      messageId,
    ]);
  }

  async release(keys: string[]): Promise<void> {
    await this.pool.query("DELETE FROM sends WHERE key = ANY($1) AND state = 'claimed' AND owner = $2", [keys, this.owner]);
  }

  async chatHold(chatId: string): Promise<ChatHold | undefined> {
    return (await this.pool.query<ChatHold>('SELECT chat_id, failures, code, reason, at, until FROM chat_holds WHERE chat_id = $1', [chatId])).rows[0];
  }

  async chatHolds(): Promise<ChatHold[]> {
    return (await this.pool.query<ChatHold>('SELECT chat_id, failures, code, reason, at, until FROM chat_holds ORDER BY at DESC')).rows;
  }

  async holdChat(chatId: string, f: { code?: number; reason: string; now: number; backoffMs: (failures: number) => number }): Promise<ChatHold> {
    return inTransaction(this.pool, async (c) => {
      const prev = (await c.query<{ failures: number }>('SELECT failures FROM chat_holds WHERE chat_id = $1 FOR UPDATE', [chatId])).rows[0];
      const failures = (prev?.failures ?? 0) + 1;
      const hold: ChatHold = { chat_id: chatId, failures, code: f.code ?? null, reason: f.reason, at: f.now, until: f.now + f.backoffMs(failures) };
      await c.query(
        `INSERT INTO chat_holds (chat_id, failures, code, reason, at, until) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (chat_id) DO UPDATE SET failures = excluded.failures, code = excluded.code, reason = excluded.reason, at = excluded.at, until = excluded.until`,
        [hold.chat_id, hold.failures, hold.code, hold.reason, hold.at, hold.until],
      );
      return hold;
    });
  }

  async clearChatHold(chatId: string): Promise<void> {
    await this.pool.query('DELETE FROM chat_holds WHERE chat_id = $1', [chatId]);
  }

  async sentCount(kind?: string): Promise<number> {
    const r = kind
      ? await this.pool.query<{ n: number }>("SELECT COUNT(*) AS n FROM sends WHERE state = 'sent' AND kind = $1", [kind])
      : await this.pool.query<{ n: number }>("SELECT COUNT(*) AS n FROM sends WHERE state = 'sent'");
    return r.rows[0].n;
  }

  async markDone(m: DoneMark): Promise<boolean> {
    const r = await this.pool.query(
      'INSERT INTO done (checklist, item, occurrence, by_open_id, by_name, at, via) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING',
      [m.checklist, m.item, m.occurrence, m.by_open_id, m.by_name, m.at, m.via],
    );
    return r.rowCount === 1;
  }

  async undoDone(checklist: string, item: string, occurrence: string): Promise<DoneMark | undefined> {
    const r = await this.pool.query<DoneMark>('DELETE FROM done WHERE checklist = $1 AND item = $2 AND occurrence = $3 RETURNING *', [checklist, item, occurrence]);
    return r.rows[0];
  }

  async pauseChat(chatId: string, at: number, reason: string): Promise<void> {
    await this.pool.query(
      'INSERT INTO paused_chats (chat_id, at, reason) VALUES ($1, $2, $3) ON CONFLICT (chat_id) DO UPDATE SET at = excluded.at, reason = excluded.reason',
      [chatId, at, reason],
    );
  }

  async resumeChat(chatId: string): Promise<boolean> {
    return (await this.pool.query('DELETE FROM paused_chats WHERE chat_id = $1', [chatId])).rowCount === 1;
  }

  async pausedChat(chatId: string): Promise<{ chat_id: string; at: number; reason: string } | undefined> {
    return (await this.pool.query<{ chat_id: string; at: number; reason: string }>('SELECT chat_id, at, reason FROM paused_chats WHERE chat_id = $1', [chatId])).rows[0];
  }

  async getDone(checklist: string, item: string, occurrence: string): Promise<DoneMark | undefined> {
    return (await this.pool.query<DoneMark>('SELECT * FROM done WHERE checklist = $1 AND item = $2 AND occurrence = $3', [checklist, item, occurrence])).rows[0];
  }

  async doneBetween(checklist: string, fromMs: number, toMs: number): Promise<DoneMark[]> {
    return (await this.pool.query<DoneMark>('SELECT * FROM done WHERE checklist = $1 AND at >= $2 AND at < $3 ORDER BY at', [checklist, fromMs, toMs])).rows;
  }

  async saveCard(c: CardRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO cards (message_id, chat_id, day, kind, entries, sent_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (message_id) DO UPDATE SET chat_id = excluded.chat_id, day = excluded.day, kind = excluded.kind, entries = excluded.entries, sent_at = excluded.sent_at`,
      [c.message_id, c.chat_id, c.day, c.kind, JSON.stringify(c.entries), c.sent_at],
    );
  }

  async getCard(messageId: string): Promise<CardRecord | undefined> {
    return (await this.pool.query<CardRecord>(`SELECT ${CARD_COLUMNS} FROM cards WHERE message_id = $1`, [messageId])).rows[0];
  }

  async addCardEntries(messageId: string, entries: CardEntry[]): Promise<CardRecord | undefined> {
    return inTransaction(this.pool, async (c) => {
      const card = (await c.query<CardRecord>(`SELECT ${CARD_COLUMNS} FROM cards WHERE message_id = $1 FOR UPDATE`, [messageId])).rows[0];
      if (!card) return undefined;
      card.entries = mergeCardEntries(card.entries, entries);
      await c.query('UPDATE cards SET entries = $2 WHERE message_id = $1', [messageId, JSON.stringify(card.entries)]);
      return card;
    });
  }

  async cardsShowing(checklist: string, item: string, occurrence: string, sinceMs: number): Promise<CardRecord[]> {
    const r = await this.pool.query<CardRecord>(`SELECT ${CARD_COLUMNS} FROM cards WHERE sent_at >= $1 AND entries @> $2::jsonb`, [
      sinceMs,
      JSON.stringify([{ checklist, item, occurrence }]),
    ]);
    return r.rows;
  }
}

const CARD_COLUMNS = 'message_id, chat_id, day, kind, entries, sent_at';

type DocRow = { id: number; name: string; sha256: string; size: number; added_by: string; added_at: number; deleted: boolean; deleted_at: number | null; deleted_by: string | null; meta: Record<string, unknown> | null };
const DOC_COLUMNS = 'id, name, sha256, size, added_by, added_at, deleted, deleted_at, deleted_by, meta';
const toDocument = (r: DocRow): StoredDocument => ({
  id: String(r.id),
  name: r.name,
  sha256: r.sha256,
  size: r.size,
  addedBy: r.added_by,
  addedAt: r.added_at,
  deleted: r.deleted,
  ...(r.deleted_at !== null ? { deletedAt: r.deleted_at } : {}),
  ...(r.deleted_by !== null ? { deletedBy: r.deleted_by } : {}),
  ...(r.meta !== null ? { meta: r.meta } : {}),
});

/** {@link DocumentState} on PostgreSQL; changes announced on {@link DOCUMENTS_CHANNEL}. */
export class PostgresDocumentState implements DocumentState {
  private readonly subscribers = new Set<(c: DocumentChange) => void>();
  private listener?: pg.Client;
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly connectionString: string,
    private readonly release: () => Promise<void>,
  ) {}

  async save(doc: { name: string; bytes: Uint8Array; addedBy: string; addedAt?: number; meta?: Record<string, unknown> }): Promise<StoredDocument> {
    const sha = sha256Hex(doc.bytes);
    return inTransaction(this.pool, async (c) => {
      // one upload of the same file at a time: two replicas saving it together keep one row
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`document:${sha}`]);
      const same = (await c.query<DocRow>(`SELECT ${DOC_COLUMNS} FROM documents WHERE sha256 = $1 AND name = $2 AND NOT deleted`, [sha, doc.name])).rows[0];
      if (same) return toDocument(same);
      const row = (
        await c.query<DocRow>(
          `INSERT INTO documents (name, sha256, size, bytes, added_by, added_at, meta) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${DOC_COLUMNS}`,
          [doc.name, sha, doc.bytes.byteLength, Buffer.from(doc.bytes), doc.addedBy, doc.addedAt ?? Date.now(), doc.meta ? JSON.stringify(doc.meta) : null],
        )
      ).rows[0];
      const change: DocumentChange = { action: 'added', id: String(row.id), name: row.name, sha256: row.sha256 };
      await c.query('SELECT pg_notify($1, $2)', [DOCUMENTS_CHANNEL, JSON.stringify(change)]);
      return toDocument(row);
    });
  }

  async list(opts: { includeDeleted?: boolean } = {}): Promise<StoredDocument[]> {
    const r = await this.pool.query<DocRow>(`SELECT ${DOC_COLUMNS} FROM documents ${opts.includeDeleted ? '' : 'WHERE NOT deleted'} ORDER BY added_at, id`);
    return r.rows.map(toDocument);
  }

  async get(id: string): Promise<StoredDocument | undefined> {
    if (!/^\d+$/.test(id)) return undefined;
    const r = (await this.pool.query<DocRow>(`SELECT ${DOC_COLUMNS} FROM documents WHERE id = $1`, [id])).rows[0];
    return r && toDocument(r);
  }

  async getBytes(id: string): Promise<Buffer | undefined> {
    if (!/^\d+$/.test(id)) return undefined;
    return (await this.pool.query<{ bytes: Buffer }>('SELECT bytes FROM documents WHERE id = $1', [id])).rows[0]?.bytes;
  }

  async remove(id: string, by: string, at = Date.now()): Promise<boolean> {
    if (!/^\d+$/.test(id)) return false;
    return inTransaction(this.pool, async (c) => {
      const row = (
        await c.query<DocRow>(`UPDATE documents SET deleted = true, deleted_at = $2, deleted_by = $3 WHERE id = $1 AND NOT deleted RETURNING ${DOC_COLUMNS}`, [id, at, by])
      ).rows[0];
      if (!row) return false;
      const change: DocumentChange = { action: 'removed', id: String(row.id), name: row.name, sha256: row.sha256 };
      await c.query('SELECT pg_notify($1, $2)', [DOCUMENTS_CHANNEL, JSON.stringify(change)]);
      return true;
    });
  }

  onDocumentsChanged(cb: (change: DocumentChange) => void): () => void {
    this.subscribers.add(cb);
    if (!this.listener) void this.listen();
    return () => {
      this.subscribers.delete(cb);
    };
  }

  /** Resolves once the LISTEN connection is up (tests; a subscriber may miss changes made before). */
  async listening(): Promise<void> {
    if (!this.listener) await this.listen();
    else await this.ready;
  }

  private ready: Promise<void> = Promise.resolve();

  /** Opens the LISTEN connection; reconnects after 1 s when it drops. */
  private listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString });
    this.listener = client;
    client.on('notification', (n) => {
      if (n.channel !== DOCUMENTS_CHANNEL || !n.payload) return;
      let change: DocumentChange;
      try {
        change = JSON.parse(n.payload) as DocumentChange;
      } catch {
        return;
      }
      for (const s of this.subscribers) s(change);
    });
    client.on('error', (err) => {
      log.error({ err }, 'state: documents LISTEN connection lost; reconnecting');
      void client.end().catch(() => undefined);
      if (this.closed) return;
      const t = setTimeout(() => void this.listen(), 1000);
      t.unref();
    });
    this.ready = client.connect().then(() => client.query(`LISTEN ${DOCUMENTS_CHANNEL}`)).then(() => undefined);
    this.ready.catch((err: unknown) => log.error({ err }, 'state: could not LISTEN for document changes'));
    return this.ready;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subscribers.clear();
    await this.listener?.end().catch(() => undefined);
    await this.release();
  }
}

/** One pool per database URL and process, shared by the areas and closed with the last of them. */
const pools = new Map<string, { pool: pg.Pool; users: number; ready: Promise<void> }>();

async function acquirePool(url: string): Promise<{ pool: pg.Pool; release: () => Promise<void> }> {
  let entry = pools.get(url);
  if (!entry) {
    const pool = new pg.Pool({ connectionString: url, types, max: Number(process.env.DATABASE_POOL_MAX) || 10 });
    pool.on('error', (err) => log.error({ err }, 'state: idle PostgreSQL connection failed'));
    const ready = migratePostgres(pool).then(async (applied) => {
      if (applied.length) log.info({ applied }, 'state: PostgreSQL migrations applied');
      await pool.query('DELETE FROM seen WHERE at < $1', [Date.now() - DEDUPE_RETENTION_MS]);
    });
    entry = { pool, users: 0, ready };
    pools.set(url, entry);
  }
  const e = entry;
  e.users++;
  try {
    await e.ready;
  } catch (err) {
    e.users--;
    if (pools.get(url) === e) pools.delete(url);
    await e.pool.end().catch(() => undefined);
    throw err;
  }
  let released = false;
  return {
    pool: e.pool,
    release: async () => {
      if (released) return;
      released = true;
      if (--e.users === 0) {
        if (pools.get(url) === e) pools.delete(url);
        await e.pool.end();
      }
    },
  };
}

/** Opens the chat state on `url` (migrating the database when needed). */
export async function openPostgresChat<M extends InboxMessage = InboxMessage>(url: string, opts: StoreOptions = {}): Promise<PostgresChatState<M>> {
  const { pool, release } = await acquirePool(url);
  return new PostgresChatState<M>(pool, opts.owner ?? randomUUID(), opts.leaseMs ?? leaseMsFromEnv(), release);
}

/** Opens the reminders' state on `url`. */
export async function openPostgresReminders(url: string, opts: StoreOptions = {}): Promise<PostgresReminderState> {
  const { pool, release } = await acquirePool(url);
  return new PostgresReminderState(pool, opts.owner ?? randomUUID(), opts.leaseMs ?? leaseMsFromEnv(), release);
}

/** Opens the documents' state on `url`. */
export async function openPostgresDocuments(url: string): Promise<PostgresDocumentState> {
  const { pool, release } = await acquirePool(url);
  return new PostgresDocumentState(pool, url, release);
}

/** All three areas on `url`. */
export async function openPostgresState(url: string, opts: StoreOptions = {}): Promise<SharedState> {
  const owner = opts.owner ?? randomUUID();
  const [chat, reminders, documents] = await Promise.all([openPostgresChat(url, { ...opts, owner }), openPostgresReminders(url, { ...opts, owner }), openPostgresDocuments(url)]);
  return { backend: 'postgres', chat, reminders, documents, close: async () => void (await Promise.all([chat.close(), reminders.close(), documents.close()])) };
}
