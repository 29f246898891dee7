import { createHash, randomUUID } from 'node:crypto';
import type * as lark from '@larksuiteoapi/node-sdk';
import pRetry, { AbortError } from 'p-retry';
import { log } from '../log.js';
import type { ChatInfo, LarkCard, Messenger, ReplyOptions, SendOptions } from './contracts.js';
import { renderCardText } from './render-text.js';
import { classifyFailure, isRetryable, SendError, type FailureKind } from './send-errors.js';
import { SendLimiter, type SendLimits } from './send-limiter.js';
import { isCardReference } from './stream-card.js';
import type { TokenCache } from './token-cache.js';

export { SendError } from './send-errors.js';

/** Backoff for failed sends. */
export interface RetryPolicy {
  /** Retries after the first attempt (default 5). */
  retries: number;
  /** First delay in ms (default 500), doubled each retry. */
  minDelayMs: number;
  /** Longest single backoff delay in ms (default 10 000). */
  maxDelayMs: number;
  /** Longest wait asked by a throttled answer's `x-ogw-ratelimit-reset`, ms (default 60 000). */
  maxResetWaitMs: number;
  /** Longest time one send keeps trying, throttled waits included, ms (default 300 000). */
  maxRetryTimeMs: number;
}

const DEFAULT_RETRY: RetryPolicy = { retries: 5, minDelayMs: 500, maxDelayMs: 10_000, maxResetWaitMs: 60_000, maxRetryTimeMs: 300_000 };

/** A chat the bot could not post to for good (see `CHAT_CLOSED_CODES`). */
export interface UndeliverableChat {
  chatId: string;
  code?: number;
  msg?: string;
  at: number;
}

/** Options of {@link LarkMessenger}. */
export interface MessengerOptions {
  retry?: Partial<RetryPolicy>;
  /** The token cache given to the SDK client, so that a 99991663/99991661 answer drops the token. */
  tokens?: TokenCache;
  /** Send rates (defaults: the platform's 5/s per chat, 50/s and 1000/min per app). */
  limits?: Partial<SendLimits>;
  /** Called once per failed send whose chat is closed to the bot (bot removed, chat dissolved…). */
  onUndeliverable?: (chat: UndeliverableChat) => void;
}

interface HttpishError {
  response?: { status?: number; data?: { code?: number; msg?: string }; headers?: Record<string, unknown> };
  code?: string;
  message?: string;
}

/** Open API response body as the SDK returns it. */
interface OpenApiBody {
  code?: number;
  msg?: string;
  data?: { message_id?: string };
}

/** One way of delivering a reply: thread reply, plain reply, or a new message in the chat; card or text. */
interface Route {
  how: 'thread' | 'reply' | 'chat';
  text: boolean;
}

/** Feishu's uuid is at most 50 characters: a key becomes 32 hex digits of its sha256. */
function requestUuid(key: string | undefined): string {
  return key ? createHash('sha256').update(key).digest('hex').slice(0, 32) : randomUUID();
}

/**
 * {@link Messenger} over the official SDK `Client` (`im.message.create`, `im.message.reply`,
 * `im.message.patch`), following the platform's rules for sending
 * (https://open.feishu.cn/document/server-docs/im-v1/message/create, `reply`,
 * https://open.feishu.cn/document/server-docs/api-call-guide/frequency-control):
 *
 * - **Paced**: every create/reply attempt, retries included, goes through a {@link SendLimiter}:
 *   ≤ 5 per second per chat, ≤ 50/s and 1000/min for the app, as the platform counts them.
 * - **Throttling** is recognised by HTTP 429 and by the codes 99991400 and 230020 (which come with
 *   HTTP 400); the attempt waits `x-ogw-ratelimit-reset` seconds when given (capped at
 *   `maxResetWaitMs`), else the exponential backoff, and is retried.
 * - **Token**: on 99991663/99991661 the cached tenant_access_token is dropped ({@link TokenCache}) and the
 *   attempt retried with a fresh one. 5xx, network errors and 230049 are retried with backoff.
 * - **Idempotent**: create and reply carry a request `uuid` that stays the same across retries and
 *   fallbacks; with an `idempotencyKey` it is derived from it, so a resend after a restart returns the first
 *   message instead of posting again ("持有相同 uuid 的请求 1 小时内至多成功发送一条消息").
 * - **Reply fallbacks**: a thread reply refused with 230071/230072/230019 is sent as a plain reply; a
 *   reply to a recalled or missing message (230011/231003) is posted in the chat; a card refused with
 *   230099 is sent as its text (not a reference to a card entity: it has no text of its own).
 * - **Permanent**: a chat closed to the bot (230002 bot removed, 232009 dissolved, … see
 *   `CHAT_CLOSED_CODES`) and other refusals are not retried; closed chats are reported to `onUndeliverable`.
 *
 * Every failed attempt is logged; the final failure rejects with {@link SendError} (its `permanent` flag
 * tells callers whether trying later can help).
 */
export class LarkMessenger implements Messenger {
  private readonly retry: RetryPolicy;
  readonly limiter: SendLimiter;
  private readonly tokens?: TokenCache;
  private readonly onUndeliverable?: (chat: UndeliverableChat) => void;

  constructor(
    private readonly client: lark.Client,
    opts: MessengerOptions = {},
  ) {
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.limiter = new SendLimiter(opts.limits);
    this.tokens = opts.tokens;
    this.onUndeliverable = opts.onUndeliverable;
  }

  async sendCard(chatId: string, card: LarkCard, options: SendOptions = {}): Promise<string> {
    const uuid = requestUuid(options.idempotencyKey);
    return this.deliver({ how: 'chat', text: false }, { chatId, card, uuid });
  }

  async replyCard(messageId: string, card: LarkCard, options: ReplyOptions = {}): Promise<string> {
    const uuid = requestUuid(options.idempotencyKey);
    return this.deliver({ how: 'thread', text: false }, { chatId: options.chatId, messageId, card, uuid });
  }

  async patchCard(messageId: string, card: LarkCard): Promise<void> {
    await this.attempts('message.patch', messageId, undefined, () =>
      this.client.im.message.patch({ path: { message_id: messageId }, data: { content: JSON.stringify(card) } }),
    );
  }

  /**
   * The group's name, owner and managers (`im.chat.get` with `user_id_type=open_id`; scope
   * `im:chat:readonly`). Not paced or retried: it answers a person waiting in the chat.
   * @throws Error with the Open API code when the platform refuses (e.g. 232011 bot not in the chat, 99991672 scope missing)
   */
  async chatInfo(chatId: string): Promise<ChatInfo> {
    const res = await this.client.im.chat.get({ path: { chat_id: chatId }, params: { user_id_type: 'open_id' } });
    if (res.code !== undefined && res.code !== 0) throw new Error(`lark: im.chat.get ${chatId}: code ${res.code} ${res.msg ?? ''}`.trim());
    const d = res.data ?? {};
    return {
      chatId,
      name: d.name ?? '',
      ownerOpenId: d.owner_id_type === undefined || d.owner_id_type === 'open_id' ? d.owner_id || undefined : undefined,
      managerOpenIds: d.user_manager_id_list ?? [],
    };
  }

  /**
   * The group's members and their names (`im.chatMembers.get`, pages of 100, at most 10 pages; bots are
   * not listed by the platform). Not paced or retried.
   * @throws Error with the Open API code when the platform refuses
   */
  async chatMembers(chatId: string): Promise<{ openId: string; name: string }[]> {
    const out: { openId: string; name: string }[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await this.client.im.chatMembers.get({ path: { chat_id: chatId }, params: { member_id_type: 'open_id', page_size: 100, ...(pageToken ? { page_token: pageToken } : {}) } });
      if (res.code !== undefined && res.code !== 0) throw new Error(`lark: im.chatMembers.get ${chatId}: code ${res.code} ${res.msg ?? ''}`.trim());
      for (const m of res.data?.items ?? []) if (m.member_id) out.push({ openId: m.member_id, name: m.name ?? '' });
      pageToken = res.data?.page_token;
      if (!res.data?.has_more || !pageToken) break;
    }
    return out;
  }

  /** Sends along `route`, falling back to the next route when the platform refuses this one. */
  private async deliver(route: Route, m: { chatId?: string; messageId?: string; card: LarkCard; uuid: string }): Promise<string> {
    const msgType = route.text ? 'text' : 'interactive';
    const content = route.text ? JSON.stringify({ text: renderCardText(m.card) }) : JSON.stringify(m.card);
    try {
      const body =
        route.how === 'chat'
          ? await this.attempts('message.create', m.chatId!, m.chatId, () =>
              this.client.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: m.chatId!, msg_type: msgType, content, uuid: m.uuid } }),
            )
          : await this.attempts('message.reply', m.messageId!, m.chatId, () =>
              this.client.im.message.reply({
                path: { message_id: m.messageId! },
                data: { msg_type: msgType, content, reply_in_thread: route.how === 'thread', uuid: m.uuid },
              }),
            );
      return body.data?.message_id ?? '';
    } catch (err) {
      const next = err instanceof SendError ? fallback(route, err.details.kind, m.chatId, m.card) : undefined;
      if (!next) throw err;
      log.warn({ from: route, to: next, code: (err as SendError).details.code, chatId: m.chatId, messageId: m.messageId }, 'lark: send refused, falling back');
      return this.deliver(next, m);
    }
  }

  /** One request with retries; each attempt waits for a send slot of `chatId`. */
  private async attempts(op: string, target: string, chatId: string | undefined, call: () => Promise<OpenApiBody>): Promise<OpenApiBody> {
    let attempts = 0;
    let last: { status?: number; code?: number; msg?: string; kind: FailureKind; resetSeconds?: number } = { kind: 'transient' };
    try {
      return await pRetry(
        async () => {
          attempts += 1;
          // the token first (a fetch takes a while), so that the request leaves as soon as it has its permits
          await this.client.tokenManager.getTenantAccessToken().catch(() => undefined);
          let body: OpenApiBody;
          try {
            body = op === 'message.patch' ? await call() : await this.limiter.send(chatId, call);
          } catch (e) {
            const err = e as HttpishError;
            const status = err.response?.status;
            const code = err.response?.data?.code;
            const reset = Number(err.response?.headers?.['x-ogw-ratelimit-reset']);
            last = { status, code, msg: err.response?.data?.msg ?? err.message, kind: classifyFailure(status, code), resetSeconds: Number.isFinite(reset) && reset > 0 ? reset : undefined };
            throw this.failure(op, target, last);
          }
          if (body?.code !== undefined && body.code !== 0) {
            last = { status: 200, code: body.code, msg: body.msg, kind: classifyFailure(200, body.code) };
            throw this.failure(op, target, last);
          }
          return body;
        },
        {
          retries: this.retry.retries,
          minTimeout: this.retry.minDelayMs,
          maxTimeout: this.retry.maxDelayMs,
          factor: 2,
          // throttling is the platform asking us to wait, not a failure: it does not use up retries
          shouldConsumeRetry: () => last.kind !== 'throttled',
          maxRetryTime: this.retry.maxRetryTimeMs,
          onFailedAttempt: async ({ attemptNumber, retriesLeft }) => {
            log.warn({ op, target, attempt: attemptNumber, retriesLeft, status: last.status, code: last.code, msg: last.msg, kind: last.kind }, 'lark: send attempt failed');
            if (last.kind === 'token') log.info({ dropped: this.tokens?.invalidateTenantToken() ?? 0 }, 'lark: tenant_access_token refused; fetching a new one');
            if (retriesLeft > 0 && last.kind === 'throttled' && last.resetSeconds) {
              await new Promise((r) => setTimeout(r, Math.min(last.resetSeconds! * 1000, this.retry.maxResetWaitMs)));
            }
          },
        },
      );
    } catch (e) {
      const err = new SendError(`lark: ${op} to ${target} failed after ${attempts} attempt(s): ${(e as Error).message}`, { op, target, attempts, ...last, kind: last.kind });
      if (err.details.kind === 'chat-closed' && chatId) this.onUndeliverable?.({ chatId, code: last.code, msg: last.msg, at: Date.now() });
      log.error({ ...err.details, chatId }, 'lark: send failed');
      throw err;
    }
  }

  private failure(op: string, target: string, f: { status?: number; code?: number; msg?: string; kind: FailureKind }): Error {
    const e = new Error(`${op} ${target}: ${f.status ?? 'network error'}${f.code !== undefined ? ` code ${f.code}` : ''} ${f.msg ?? ''}`.trim());
    return isRetryable(f.kind) ? e : new AbortError(e);
  }
}

/** The next way to deliver after `route` was refused with `kind`, or undefined when there is none. */
function fallback(route: Route, kind: FailureKind, chatId: string | undefined, card: LarkCard): Route | undefined {
  if (kind === 'thread-refused' && route.how === 'thread') return { ...route, how: 'reply' };
  if (kind === 'target-gone' && route.how !== 'chat' && chatId) return { ...route, how: 'chat' };
  if (kind === 'card-rejected' && !route.text && !isCardReference(card)) return { ...route, text: true };
  return undefined;
}

/**
 * Adapts the process logger (pino) to the SDK's logger interface. SDK errors are logged at `warn`
 * (our own code logs the final outcome), its `info` chatter at `debug`. Arguments are reduced to
 * messages, URLs and status codes, so that request bodies (which may hold the app secret) and
 * headers (the bearer token) never reach the log.
 */
export const sdkLogger = {
  error: (...args: unknown[]) => log.warn({ sdk: args.map(sanitize) }, 'lark sdk'),
  warn: (...args: unknown[]) => log.warn({ sdk: args.map(sanitize) }, 'lark sdk'),
  info: (...args: unknown[]) => log.debug({ sdk: args.map(sanitize) }, 'lark sdk'),
  debug: (...args: unknown[]) => log.debug({ sdk: args.map(sanitize) }, 'lark sdk'),
  trace: (...args: unknown[]) => log.trace({ sdk: args.map(sanitize) }, 'lark sdk'),
};

function sanitize(a: unknown): unknown {
  if (typeof a === 'string' || typeof a === 'number' || typeof a === 'boolean' || a == null) return a;
  if (Array.isArray(a)) return a.map(sanitize);
  const o = a as {
    message?: string;
    config?: { url?: string; method?: string };
    response?: { status?: number; data?: { code?: number; msg?: string } };
    status?: number;
    code?: unknown;
    msg?: unknown;
  };
  return {
    message: o.message,
    url: o.config?.url,
    method: o.config?.method,
    status: o.response?.status ?? o.status,
    code: o.response?.data?.code ?? (typeof o.code === 'number' || typeof o.code === 'string' ? o.code : undefined),
    msg: o.response?.data?.msg ?? (typeof o.msg === 'string' ? o.msg : undefined),
  };
}
