/**
 * The shared state of the bot and the reminders, behind one async interface with two backends:
 * SQLite (`sqlite.ts`, the embedded default, one file per area) and PostgreSQL (`postgres.ts`, when
 * `DATABASE_URL` is set; every replica on the same database). Everything several replicas must agree on
 * lives here: event dedupe and the inbox, chat history, feedback, reminder send leases and the reminders'
 * records, and the documents added from chat.
 *
 * Leases: work that one replica does for all (answering an inbox entry, sending a reminder) is held by an
 * owner id (one per opened store, i.e. per process) until an expiry, renewed while the work runs. Another
 * replica takes it over only after the lease expired (its holder crashed or hung), never while it is live.
 * Lease times are wall-clock epoch ms (PostgreSQL: the database server's clock, so replicas' clock skew
 * does not matter; SQLite: the host's clock, all processes being on one host).
 */
import type { Turn } from '../types.js';

/** Default lease length, ms (`STATE_LEASE_MS` overrides): a holder renews it every third of this. */
export const DEFAULT_LEASE_MS = 30_000;

/** The lease length from `STATE_LEASE_MS` (a positive integer of ms), else {@link DEFAULT_LEASE_MS}. */
export function leaseMsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.STATE_LEASE_MS);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_LEASE_MS;
}

/** Options common to every store. */
export interface StoreOptions {
  /** This process's owner id for leases (default: a random UUID per store). */
  owner?: string;
  /** Lease length, ms (default {@link leaseMsFromEnv}). */
  leaseMs?: number;
}

// ------------------------------------------------------------------ chat

/** What the inbox needs of a message: its ids. The rest is kept as JSON and handed back as it came. */
export interface InboxMessage {
  eventId?: string;
  messageId: string;
}

/** A 👍/👎 click on an answer card. */
export interface FeedbackRecord {
  /** The card message that was clicked. */
  messageId: string;
  chatId: string;
  openId: string;
  vote: 'up' | 'down';
  /** The question the card answered (carried in the button value). */
  question: string;
  /** Epoch ms. */
  at: number;
}

/** An accepted message not yet answered (the durable inbox). */
export interface InboxEntry<M extends InboxMessage = InboxMessage> {
  message: M;
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
 * A CardKit card streaming an answer, recorded from its creation until streaming was closed, so that a card
 * left open by a crash (its header still “生成中”) is found and closed at the next start.
 */
export interface StreamCardRecord {
  cardId: string;
  chatId: string;
  /** The question message the card answers. */
  messageId: string;
  /** Epoch ms. */
  openedAt: number;
  /**
   * No operation on the card used a `sequence` above this (the streamer reserves sequences in blocks and
   * records the block's end before using it), so closing it with higher ones is never refused (300317).
   */
  sequenceCeiling: number;
}

/**
 * The chat layer's durable state:
 * - dedupe: event_ids and message_ids already handled, so that a retried or replayed delivery (to this
 *   replica or another) never gets a second answer; entries older than the retention (7 days) are pruned
 *   on open. Feishu re-delivers an event not acknowledged with HTTP 200 within 3 s, with the same event_id
 *   (https://open.feishu.cn/document/server-docs/event-subscription-guide/event-subscription-configure-/request-url-configuration-case).
 * - the inbox: every accepted message until its answer was sent or refused for good, leased to the
 *   replica answering it, so that a crash loses no acknowledged question and two replicas never answer
 *   the same one at the same time;
 * - feedback (one vote per user and card), thread history (last 20 turns per thread), undeliverable chats.
 */
export interface ChatState<M extends InboxMessage = InboxMessage> {
  /** This store's lease owner id. */
  readonly owner: string;
  /** Lease length, ms. */
  readonly leaseMs: number;
  /**
   * Claims the message's event_id and message_id and, the first time, puts it in the inbox leased to
   * this owner, in one transaction. Returns false for a duplicate (either id seen before, here or on
   * another replica). Call before acknowledging the delivery.
   */
  accept(msg: M, at?: number): Promise<boolean>;
  /** Marks ids as handled; true the first time, false when any was seen. No ids: true. */
  claim(eventId: string | undefined, messageId: string | undefined): Promise<boolean>;
  /** Removes a message from the inbox: its answer was sent, or refused for good. */
  finish(messageId: string): Promise<void>;
  /** Keeps a message for another attempt at `nextAt` (epoch ms) and frees its lease, so any replica may take it then. */
  defer(messageId: string, nextAt: number): Promise<void>;
  /** Inbox entries, oldest first; with `dueBy`, only those whose next attempt is due by then (whoever holds them). */
  inbox(dueBy?: number): Promise<InboxEntry<M>[]>;
  /**
   * Leases to this owner the inbox entries due by `now` whose lease is free or expired (left by a
   * replica that stopped), and returns them, oldest first. Entries leased to this owner are not returned.
   */
  takeInbox(now: number): Promise<InboxEntry<M>[]>;
  /** Extends this owner's leases on the given inbox entries by the lease length. */
  renewInbox(messageIds: string[]): Promise<void>;
  recordUndeliverable(r: UndeliverableRecord): Promise<void>;
  clearUndeliverable(chatId: string): Promise<void>;
  /** Chats recorded as undeliverable, newest first. */
  listUndeliverable(): Promise<UndeliverableRecord[]>;
  /** Records (or replaces) a user's vote on a card. */
  recordFeedback(f: FeedbackRecord): Promise<void>;
  /** All feedback, oldest first. */
  listFeedback(): Promise<FeedbackRecord[]>;
  feedbackTotals(): Promise<{ up: number; down: number }>;
  /** Appends a turn (with its cited sources) to a thread, keeping the last 20. */
  addTurn(thread: string, turn: Turn): Promise<void>;
  /** The last `n` turns of a thread, oldest first. */
  lastTurns(thread: string, n: number): Promise<Turn[]>;
  /** Records a streaming card, leased to this owner (renew with {@link renewStreamCards} while it streams). */
  streamCardOpened(card: StreamCardRecord): Promise<void>;
  /** Raises a streaming card's recorded sequence ceiling (never lowers it). */
  streamCardCeiling(cardId: string, ceiling: number): Promise<void>;
  /** Extends this owner's leases on its streaming cards. */
  renewStreamCards(cardIds: string[]): Promise<void>;
  /** Forgets a streaming card: its streaming was closed. */
  streamCardClosed(cardId: string): Promise<void>;
  /**
   * Leases to this owner the streaming cards whose lease expired (their process stopped mid-answer) and
   * returns them, oldest first.
   */
  takeInterruptedStreamCards(): Promise<StreamCardRecord[]>;
  close(): Promise<void>;
}

// ------------------------------------------------------------------ reminders

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

/**
 * An entry of a sent card: which occurrence of which checklist it shows (`kind` absent: a reminder line;
 * `escalation`: a line escalated to the owner; `digest`: the checklist's weekly summary, `item` empty and
 * `occurrence` the ISO week, e.g. `2026-W50`).
 */
export interface CardEntry {
  checklist: string;
  item: string;
  occurrence: string;
  due: string;
  kind?: 'escalation' | 'digest';
}

/**
 * A chat's reminder card of one local day (Asia/Shanghai), kept so a click can re-render and patch it in
 * place, and so what falls due later that day is merged into it ({@link ReminderState.addCardEntries}).
 * `entries` may span several checklists (the card groups them by checklist).
 */
export interface CardRecord {
  message_id: string;
  chat_id: string;
  /** The local day (YYYY-MM-DD, Asia/Shanghai) the card is the reminder card of. */
  day: string;
  /** `reminder` (has reminder lines), `escalation` (only escalations) or `digest` (only weekly summaries). */
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

/** Result of {@link ReminderState.claim}. */
export interface Claim {
  /** Keys now leased to this owner (including keys taken over from an expired lease). */
  keys: string[];
  /** Keys whose earlier lease expired unconfirmed (the holder stopped mid-send): sent again, with the same request uuid. */
  inDoubt: string[];
}

/** State of one send key. */
export interface SendState {
  state: 'claimed' | 'sent';
  owner: string;
  message_id: string | null;
  /** Lease expiry, epoch ms (claimed keys). */
  lease_until: number | null;
}

/**
 * The reminders' records. Exactly-once sending uses leases:
 * 1. `claim(keys)` leases each key that is neither sent nor leased live to another owner (a key whose
 *    lease expired unconfirmed is taken over and reported in `inDoubt`);
 * 2. the caller sends, renewing the lease ({@link renew}) while the send runs;
 * 3. `confirm(keys, messageId)` marks them sent — only then is the send done; on a send error
 *    `release(keys)` drops the leases so the next tick retries.
 * A send left in doubt is sent again with the same request uuid, so Feishu returns the first message
 * instead of posting a second one. `now` arguments are the scheduler's clock (records); leases use the
 * wall clock.
 */
export interface ReminderState {
  readonly owner: string;
  readonly leaseMs: number;
  /** The first time (epoch ms) any service started on this database; set to `now` on the first call. */
  firstStart(now: number): Promise<number>;
  sendState(key: string): Promise<SendState | undefined>;
  /** True when `key` needs no sending by this owner now: sent, or leased live (here or elsewhere). */
  settled(key: string): Promise<boolean>;
  claim(keys: string[], kind: string, chatId: string, now: number): Promise<Claim>;
  /** Extends this owner's leases on `keys`; returns the keys still held (a lost lease is missing). */
  renew(keys: string[]): Promise<string[]>;
  confirm(keys: string[], messageId: string, now: number): Promise<void>;
  release(keys: string[]): Promise<void>;
  chatHold(chatId: string): Promise<ChatHold | undefined>;
  chatHolds(): Promise<ChatHold[]>;
  /** Records a failed send: no send before `backoffMs(failures)` after `now`. Returns the new hold. */
  holdChat(chatId: string, f: { code?: number; reason: string; now: number; backoffMs: (failures: number) => number }): Promise<ChatHold>;
  clearChatHold(chatId: string): Promise<void>;
  /** Confirmed sends (of `kind`). */
  sentCount(kind?: string): Promise<number>;
  /** Records an occurrence done; false (first mark kept) when it already was. */
  markDone(m: DoneMark): Promise<boolean>;
  /** Deletes a done mark; returns it, or undefined when there was none. */
  undoDone(checklist: string, item: string, occurrence: string): Promise<DoneMark | undefined>;
  pauseChat(chatId: string, at: number, reason: string): Promise<void>;
  /** Lifts a pause; true when the chat was paused. */
  resumeChat(chatId: string): Promise<boolean>;
  pausedChat(chatId: string): Promise<{ chat_id: string; at: number; reason: string } | undefined>;
  getDone(checklist: string, item: string, occurrence: string): Promise<DoneMark | undefined>;
  /** Done marks of a checklist made in [fromMs, toMs). */
  doneBetween(checklist: string, fromMs: number, toMs: number): Promise<DoneMark[]>;
  saveCard(c: CardRecord): Promise<void>;
  getCard(messageId: string): Promise<CardRecord | undefined>;
  /**
   * Appends to the stored card `messageId` the entries it does not show yet (same checklist, item, occurrence
   * and kind), atomically (two replicas merging at once both keep theirs). Returns the updated record, or
   * undefined when there is no such card.
   */
  addCardEntries(messageId: string, entries: CardEntry[]): Promise<CardRecord | undefined>;
  /** Cards sent since `sinceMs` that show the occurrence of `checklist`'s `item`. */
  cardsShowing(checklist: string, item: string, occurrence: string, sinceMs: number): Promise<CardRecord[]>;
  close(): Promise<void>;
}

// ------------------------------------------------------------------ documents

/** A document added from chat (metadata; the bytes come from {@link DocumentState.getBytes}). */
export interface StoredDocument {
  /** Stable id (text). */
  id: string;
  /** File name as uploaded, e.g. `关于开展主题党日的通知.docx`. */
  name: string;
  /** Lower-case hex SHA-256 of the bytes. */
  sha256: string;
  /** Size in bytes. */
  size: number;
  /** open_id of the uploader. */
  addedBy: string;
  /** Epoch ms. */
  addedAt: number;
  deleted: boolean;
  deletedAt?: number;
  deletedBy?: string;
  /** The caller's own metadata (JSON), as saved: e.g. the chat, the corpus source name, the title, how it came. */
  meta?: Record<string, unknown>;
}

/** What changed: a document added, or removed. */
export interface DocumentChange {
  action: 'added' | 'removed';
  id: string;
  name: string;
  sha256: string;
}

/**
 * The documents added from chat, bytes and metadata, shared by every replica so that each builds the
 * same index. A change made by any replica reaches every subscriber ({@link onDocumentsChanged}):
 * PostgreSQL by `LISTEN/NOTIFY` on channel `documents_changed`; SQLite by polling the file's
 * `data_version` (other processes) and at once within the process.
 */
export interface DocumentState {
  /**
   * Saves a document with optional JSON `meta`; the same bytes under the same name already present (not
   * deleted) are returned as they are (with their first meta).
   */
  save(doc: { name: string; bytes: Uint8Array; addedBy: string; addedAt?: number; meta?: Record<string, unknown> }): Promise<StoredDocument>;
  /** Documents, oldest first; deleted ones only with `includeDeleted`. */
  list(opts?: { includeDeleted?: boolean }): Promise<StoredDocument[]>;
  get(id: string): Promise<StoredDocument | undefined>;
  /** The bytes of a document (also of a deleted one), or undefined for an unknown id. */
  getBytes(id: string): Promise<Buffer | undefined>;
  /** Marks a document deleted (the bytes are kept); false when unknown or already deleted. */
  remove(id: string, by: string, at?: number): Promise<boolean>;
  /** Calls `cb` for every change made by any replica (including this one); returns the unsubscribe function. */
  onDocumentsChanged(cb: (change: DocumentChange) => void): () => void;
  close(): Promise<void>;
}

/** The three areas, opened together (see `open.ts`). */
export interface SharedState {
  backend: 'sqlite' | 'postgres';
  chat: ChatState;
  reminders: ReminderState;
  documents: DocumentState;
  close(): Promise<void>;
}
