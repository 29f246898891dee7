/** Small rules shared by both backends of the shared state. */
import { createHash } from 'node:crypto';

/** How long dedupe keys are kept, ms (7 days: Feishu retries an event for hours, not days). */
export const DEDUPE_RETENTION_MS = 7 * 24 * 3600 * 1000;

/**
 * The dedupe keys of a delivery: `event:<event_id>` and `message:<message_id>`, those present, sorted
 * (two transactions inserting overlapping keys then lock them in the same order, so they cannot deadlock).
 */
export function dedupeKeys(eventId: string | undefined, messageId: string | undefined): string[] {
  return [eventId ? `event:${eventId}` : '', messageId ? `message:${messageId}` : ''].filter(Boolean).sort();
}

/** The SHA-256 of `bytes`, lower-case hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The send key of a chat's reminder card of one local day (`day|<chat_id>|<YYYY-MM-DD>`, Asia/Shanghai):
 * claimed before the day's first card is sent, so that a chat gets at most one reminder card a day
 * whatever the number of checklists and replicas. Migrations backfill it in this form (reminders-003,
 * 004-reminder-day-cards).
 */
export function dayCardKey(chatId: string, day: string): string {
  return `day|${chatId}|${day}`;
}

/** The identity of a card entry: checklist, item, occurrence and kind (see `CardEntry`). */
export function cardEntryKey(e: { checklist: string; item: string; occurrence: string; kind?: string }): string {
  return `${e.checklist}|${e.item}|${e.occurrence}|${e.kind ?? 'reminder'}`;
}

/** `entries` followed by those of `added` it does not hold yet ({@link cardEntryKey}), order kept. */
export function mergeCardEntries<E extends { checklist: string; item: string; occurrence: string; kind?: string }>(entries: E[], added: E[]): E[] {
  const seen = new Set(entries.map(cardEntryKey));
  const out = [...entries];
  for (const e of added) if (!seen.has(cardEntryKey(e))) (seen.add(cardEntryKey(e)), out.push(e));
  return out;
}
