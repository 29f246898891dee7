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
