/**
 * What an Open API answer to a send (im.v1.message create / reply / patch) means for the sender.
 * Codes from the Feishu Open Platform pages `im-v1/message/create`, `im-v1/message/reply`,
 * `server-docs/api-call-guide/frequency-control` and `server-docs/api-call-guide/generic-error-code`.
 */

/** How the messenger reacts to a failed attempt. */
export type FailureKind =
  /** Wait (`x-ogw-ratelimit-reset` when given) and try again: HTTP 429, code 99991400 (app), 230020 (chat/user 5 QPS). */
  | 'throttled'
  /** The tenant_access_token is missing or no longer valid (99991661, 99991663): fetch a new one and try again. */
  | 'token'
  /** The chat cannot thread-reply (230071), the message is aggregated (230072) or the topic is gone (230019): reply without a thread. */
  | 'thread-refused'
  /** The message replied to was recalled (230011) or does not exist (231003): post in the chat instead. */
  | 'target-gone'
  /** The card could not be created (230099): send the text instead. */
  | 'card-rejected'
  /** The bot cannot post to this chat until someone changes the chat or the app (see {@link CHAT_CLOSED_CODES}). */
  | 'chat-closed'
  /** Network error, 5xx, or 230049 (the message is being sent): try again with backoff. */
  | 'transient'
  /** Anything else (bad parameter, content refused…): retrying would fail the same way. */
  | 'permanent';

/** Throttling answered with a business code instead of (or as well as) HTTP 429. */
export const THROTTLE_CODES: ReadonlySet<number> = new Set([99991400, 230020]);
/** tenant_access_token missing (99991661) or invalid/expired (99991663). */
export const TOKEN_CODES: ReadonlySet<number> = new Set([99991661, 99991663]);
export const THREAD_REFUSED_CODES: ReadonlySet<number> = new Set([230071, 230072, 230019]);
export const TARGET_GONE_CODES: ReadonlySet<number> = new Set([230011, 231003]);
export const CARD_REJECTED_CODES: ReadonlySet<number> = new Set([230099]);

/**
 * The bot cannot post to the chat at all, whatever the message: 230002 bot not in the group,
 * 232009 chat dissolved, 230034 receive_id invalid, 230035 no permission to send (muted, blocked),
 * 230018 forbidden by the group settings, 230013 user outside the app's availability,
 * 230029 user resigned, 230053 user stopped the bot, 230006 bot ability not activated,
 * 230027 permission missing, 230038 cross-tenant p2p, 230075 encrypted chat.
 */
export const CHAT_CLOSED_CODES: ReadonlySet<number> = new Set([
  230002, 232009, 230034, 230035, 230018, 230013, 230029, 230053, 230006, 230027, 230038, 230075,
]);

/** Classifies one failed attempt from its HTTP status (undefined = no response) and business code. */
export function classifyFailure(status: number | undefined, code: number | undefined): FailureKind {
  if (status === 429 || (code !== undefined && THROTTLE_CODES.has(code))) return 'throttled';
  if (code !== undefined) {
    if (TOKEN_CODES.has(code)) return 'token';
    if (THREAD_REFUSED_CODES.has(code)) return 'thread-refused';
    if (TARGET_GONE_CODES.has(code)) return 'target-gone';
    if (CARD_REJECTED_CODES.has(code)) return 'card-rejected';
    if (CHAT_CLOSED_CODES.has(code)) return 'chat-closed';
    if (code === 230049) return 'transient';
  }
  if (status === undefined || status >= 500) return 'transient';
  return 'permanent';
}

/** True for the kinds the messenger retries in place (same request, after a wait). */
export function isRetryable(kind: FailureKind): boolean {
  return kind === 'throttled' || kind === 'token' || kind === 'transient';
}

/** A send that failed for good (after retries, or at once for a non-retryable answer). */
export class SendError extends Error {
  constructor(
    message: string,
    readonly details: { op: string; target: string; status?: number; code?: number; msg?: string; attempts: number; kind: FailureKind },
  ) {
    super(message);
    this.name = 'SendError';
  }

  /** True when trying again later cannot help (the chat is closed to the bot, or the request itself is refused). */
  get permanent(): boolean {
    return !isRetryable(this.details.kind);
  }
}
