/**
 * The Open Platform's rules for sending, as the stand-in ({@link OpenApiStandin}) enforces them.
 * Each rule cites the page it comes from (Feishu Open Platform documentation):
 *
 * - **Per-chat limit**: "向同一群组发送消息的限频为群内机器人共享 5 QPS" — a send above it is refused with
 *   HTTP 400, code **230020** "This operation triggers the frequency limit" (`im-v1/message/create`, `reply`).
 * - **Per-app limit**: create/reply "1000 次/分钟、50 次/秒". Above it the gateway answers HTTP **429**
 *   with `x-ogw-ratelimit-limit` / `x-ogw-ratelimit-reset` (seconds to wait), or, for older APIs,
 *   HTTP 400 with code **99991400** and the same headers (`server-docs/api-call-guide/frequency-control`);
 *   {@link PlatformRules.appThrottleStatus} picks which.
 * - **uuid**: "持有相同 uuid 的请求 1 小时内至多成功发送一条消息" — a repeated uuid within the hour returns the
 *   first message and posts nothing; after the hour it posts again.
 * - **tenant_access_token**: valid for `expire` seconds (7200); an expired or invalidated token gets
 *   HTTP 400 code **99991663** ("Invalid access token"), a missing one **99991661**
 *   (`server-docs/api-call-guide/generic-error-code`) until the client fetches a new one.
 * - **Thread replies**: a chat may refuse `reply_in_thread` (230071 the group does not support it,
 *   230072 aggregated message, 230019 topic gone); a reply to a recalled message gets 230011; a card
 *   the platform cannot render gets 230099 (`im-v1/message/reply`).
 * - **Chats the bot cannot post to**: 230002 (bot not in the group), 232009 (chat dissolved).
 *
 * Time is `Date.now()` shifted by {@link PlatformRules.advance}, so tests can let an hour pass.
 * Limits count sends that were accepted, in a sliding window.
 */
import type { InjectedFailure } from './openapi-standin.js';

/** What the stand-in needs to know about one create/reply request. */
export interface SendAttempt {
  kind: 'create' | 'reply';
  /** The target chat (create: `receive_id`; reply: the chat of the replied-to message, if known). */
  chatId?: string;
  /** For replies: the replied-to message. */
  replyTo?: string;
  replyInThread: boolean;
  msgType: string;
}

/** A refusal to answer with: HTTP status, business code, message and headers. */
export type Refusal = Required<Pick<InjectedFailure, 'status' | 'code' | 'msg'>> & { headers?: Record<string, string> };

/** Platform behaviour the stand-in enforces; configure it per test through `api.platform`. */
export class PlatformRules {
  /** Sends per chat per second (all bots of the chat together). */
  perChatQps = 5;
  /** create/reply per app per second and per minute. */
  perAppQps = 50;
  perAppPerMinute = 1000;
  /** How an app-level throttle is answered: HTTP 429, or HTTP 400 with code 99991400. */
  appThrottleStatus: 429 | 400 = 429;
  /** Lifetime of a request uuid, ms. */
  uuidTtlMs = 3600_000;
  /** Lifetime of a tenant_access_token, seconds (the `expire` of the token response). */
  tokenTtlSeconds = 7200;
  /**
   * Delay between posting a message and answering the request, ms: the message is in the chat while
   * the sender still waits (a sender that dies now never learns it was sent).
   */
  responseDelayMs = 0;

  private offsetMs = 0;
  private readonly chatSends = new Map<string, number[]>();
  private readonly appSends: number[] = [];
  private readonly messageChats = new Map<string, string>();
  private readonly threadRefusals = new Map<string, number>();
  private readonly chatRefusals = new Map<string, Refusal>();
  private readonly cardRefusals = new Set<string>();
  private readonly recalled = new Set<string>();
  /** Token → expiry (platform ms). Tokens issued before the last {@link invalidateTokens} are gone. */
  private readonly tokens = new Map<string, number>();
  private generation = 0;
  private readonly uuids = new Map<string, { messageId: string; at: number }>();
  /** Every refusal given for a limit, for assertions: `{ at, chatId, code }`. */
  readonly throttled: Array<{ at: number; chatId?: string; code: number }> = [];

  /** The platform's clock (ms). */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Lets time pass on the platform (uuid and token lifetimes), without waiting. */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** Tells the platform which chat a user message is in (replies to it count against that chat). */
  noteMessage(messageId: string, chatId: string): void {
    this.messageChats.set(messageId, chatId);
  }

  /** Same, from an `im.message.receive_v1` envelope as `buildMessageEvent` builds it. */
  noteEvent(event: Record<string, unknown>): void {
    const m = (event.event as { message?: { message_id?: string; chat_id?: string } } | undefined)?.message;
    if (m?.message_id && m.chat_id) this.noteMessage(m.message_id, m.chat_id);
  }

  /** The chat of a message, when known. */
  chatOf(messageId: string): string | undefined {
    return this.messageChats.get(messageId);
  }

  /** Thread replies in `chatId` are refused with `code` (230071, 230072 or 230019). */
  refuseThreadReplies(chatId: string, code = 230071): void {
    this.threadRefusals.set(chatId, code);
  }

  /** Every send to `chatId` is refused: `removed` → 230002 (bot not in the group), `dissolved` → 232009. */
  closeChat(chatId: string, how: 'removed' | 'dissolved' = 'removed'): void {
    this.chatRefusals.set(
      chatId,
      how === 'removed'
        ? { status: 400, code: 230002, msg: 'The bot can not be outside the group.' }
        : { status: 400, code: 232009, msg: 'Your request specifies a chat which has already been dissolved.' },
    );
  }

  /** Undoes {@link closeChat}. */
  reopenChat(chatId: string): void {
    this.chatRefusals.delete(chatId);
  }

  /** Cards sent to `chatId` fail to render: 230099. */
  refuseCards(chatId: string): void {
    this.cardRefusals.add(chatId);
  }

  /** The user recalled this message: replies to it get 230011. */
  recall(messageId: string): void {
    this.recalled.add(messageId);
  }

  /** Issues a token valid for {@link tokenTtlSeconds}. `base` is the stand-in's stable token name. */
  issueToken(base: string): { token: string; expire: number } {
    const token = this.generation === 0 ? base : `${base}-g${this.generation}`;
    this.tokens.set(token, this.now() + this.tokenTtlSeconds * 1000);
    return { token, expire: this.tokenTtlSeconds };
  }

  /** Every token issued so far becomes invalid (99991663) until a new one is fetched. */
  invalidateTokens(): void {
    this.generation += 1;
    this.tokens.clear();
  }

  /**
   * Checks an `Authorization` header. Returns a refusal for a missing (99991661), unknown, expired or
   * invalidated (99991663) token. `base` (the stable token) is accepted without having been issued
   * here while no invalidation happened, because the SDK shares its token cache across clients.
   */
  checkAuth(header: string | undefined, base: string): Refusal | undefined {
    const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
    if (!token) return { status: 400, code: 99991661, msg: 'Missing access token for authorization. Please make a request with token attached.' };
    const expiry = this.tokens.get(token) ?? (token === base && this.generation === 0 ? Infinity : undefined);
    if (expiry === undefined || expiry <= this.now()) {
      return { status: 400, code: 99991663, msg: 'Invalid access token for authorization. Please make a request with token attached.' };
    }
    return undefined;
  }

  /** The message a uuid already posted within its lifetime, if any. */
  findByUuid<M extends { messageId: string }>(messages: readonly M[], uuid: string | undefined): M | undefined {
    const first = uuid ? this.uuids.get(uuid) : undefined;
    if (!first || this.now() - first.at >= this.uuidTtlMs) return undefined;
    return messages.find((m) => m.messageId === first.messageId);
  }

  /**
   * Decides whether a create/reply is refused, in the platform's order: the app's rate, the chat's
   * state, the chat's rate, the replied-to message, thread support, the card. Undefined = accept
   * (then call {@link recordSend}).
   */
  refuse(a: SendAttempt): Refusal | undefined {
    const now = this.now();
    prune(this.appSends, now - 60_000);
    const lastSecond = countSince(this.appSends, now - 1000);
    if (lastSecond >= this.perAppQps || this.appSends.length >= this.perAppPerMinute) {
      const reset = lastSecond >= this.perAppQps ? 1 : Math.max(1, Math.ceil((this.appSends[0] + 60_000 - now) / 1000));
      const limit = lastSecond >= this.perAppQps ? this.perAppQps : this.perAppPerMinute;
      const headers = { 'x-ogw-ratelimit-limit': String(limit), 'x-ogw-ratelimit-reset': String(reset) };
      const code = 99991400;
      this.throttled.push({ at: now, chatId: a.chatId, code });
      return { status: this.appThrottleStatus, code, msg: 'request trigger frequency limit', headers };
    }
    const chat = a.chatId;
    if (chat) {
      const closed = this.chatRefusals.get(chat);
      if (closed) return closed;
      const hits = this.chatSends.get(chat) ?? [];
      prune(hits, now - 1000);
      if (hits.length >= this.perChatQps) {
        this.throttled.push({ at: now, chatId: chat, code: 230020 });
        return { status: 400, code: 230020, msg: 'This operation triggers the frequency limit.' };
      }
    }
    if (a.kind === 'reply' && a.replyTo && this.recalled.has(a.replyTo)) return { status: 400, code: 230011, msg: 'The message is recalled.' };
    if (a.kind === 'reply' && a.replyInThread && chat && this.threadRefusals.has(chat)) {
      const code = this.threadRefusals.get(chat)!;
      const msg =
        code === 230072
          ? 'Aggregated messages do not support reply in thread.'
          : code === 230019
            ? 'The topic does NOT exist.'
            : 'The group to which the message belongs does not support reply in thread.';
      return { status: 400, code, msg };
    }
    if (a.msgType === 'interactive' && chat && this.cardRefusals.has(chat)) {
      return { status: 400, code: 230099, msg: 'Failed to create card content, ext=ErrCode: 200621; ErrMsg: parse card json err' };
    }
    return undefined;
  }

  /** Counts an accepted send against the app's and the chat's limits, and remembers the new message's chat. */
  recordSend(chatId: string | undefined, messageId: string, uuid?: string): void {
    const now = this.now();
    this.appSends.push(now);
    if (uuid) this.uuids.set(uuid, { messageId, at: now });
    if (chatId) {
      const hits = this.chatSends.get(chatId) ?? [];
      hits.push(now);
      this.chatSends.set(chatId, hits);
      this.messageChats.set(messageId, chatId);
    }
  }
}

function prune(times: number[], before: number): void {
  let i = 0;
  while (i < times.length && times[i] <= before) i++;
  if (i > 0) times.splice(0, i);
}

function countSince(times: readonly number[], since: number): number {
  let n = 0;
  for (let i = times.length - 1; i >= 0 && times[i] > since; i--) n++;
  return n;
}
