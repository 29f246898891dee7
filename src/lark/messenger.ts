import { createHash, randomUUID } from 'node:crypto';
import type * as lark from '@larksuiteoapi/node-sdk';
import pRetry, { AbortError } from 'p-retry';
import { log } from '../log.js';
import type { LarkCard, Messenger, SendOptions } from './contracts.js';

/** Backoff for failed sends. */
export interface RetryPolicy {
  /** Retries after the first attempt (default 5). */
  retries: number;
  /** First delay in ms (default 500), doubled each retry. */
  minDelayMs: number;
  /** Longest single delay in ms (default 10 000); also caps the wait asked by a 429's `x-ogw-ratelimit-reset`. */
  maxDelayMs: number;
}

const DEFAULT_RETRY: RetryPolicy = { retries: 5, minDelayMs: 500, maxDelayMs: 10_000 };

/** A send that failed for good (after retries, or at once for a non-retryable answer). */
export class SendError extends Error {
  constructor(
    message: string,
    readonly details: { op: string; target: string; status?: number; code?: number; msg?: string; attempts: number },
  ) {
    super(message);
    this.name = 'SendError';
  }
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

/**
 * {@link Messenger} over the official SDK `Client` (`im.message.create`, `im.message.reply` with
 * `reply_in_thread: true`, `im.message.patch`).
 *
 * Retries with exponential backoff (p-retry) on HTTP 429 (Feishu code 99991400, frequency limit:
 * https://open.feishu.cn/document/server-docs/api-call-guide/frequency-control), on 5xx and on
 * network errors; when a 429 carries `x-ogw-ratelimit-reset` (seconds) it waits that long, capped at
 * `maxDelayMs`. Create and reply send a `uuid` that stays the same across retries, so a retry after
 * a lost response cannot post the message twice ("持有相同 uuid 的请求 1 小时内至多成功发送一条消息",
 * https://open.feishu.cn/document/server-docs/im-v1/message/create). Other 4xx answers and non-zero
 * business codes are not retried. Every failed attempt is logged; the final failure rejects with
 * {@link SendError}.
 */
export class LarkMessenger implements Messenger {
  private readonly retry: RetryPolicy;

  constructor(
    private readonly client: lark.Client,
    opts: { retry?: Partial<RetryPolicy> } = {},
  ) {
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
  }

  async sendCard(chatId: string, card: LarkCard, options: SendOptions = {}): Promise<string> {
    // Feishu's uuid is at most 50 characters: a key becomes 32 hex digits of its sha256
    const uuid = options.idempotencyKey ? createHash('sha256').update(options.idempotencyKey).digest('hex').slice(0, 32) : randomUUID();
    const body = await this.send('message.create', chatId, () =>
      this.client.im.message.create({
        params: { receive_id_type: 'chat_id' },
        data: { receive_id: chatId, msg_type: 'interactive', content: JSON.stringify(card), uuid },
      }),
    );
    return body.data?.message_id ?? '';
  }

  async replyCard(messageId: string, card: LarkCard): Promise<string> {
    const uuid = randomUUID();
    const body = await this.send('message.reply', messageId, () =>
      this.client.im.message.reply({
        path: { message_id: messageId },
        data: { msg_type: 'interactive', content: JSON.stringify(card), reply_in_thread: true, uuid },
      }),
    );
    return body.data?.message_id ?? '';
  }

  async patchCard(messageId: string, card: LarkCard): Promise<void> {
    await this.send('message.patch', messageId, () =>
      this.client.im.message.patch({ path: { message_id: messageId }, data: { content: JSON.stringify(card) } }),
    );
  }

  private async send(op: string, target: string, call: () => Promise<OpenApiBody>): Promise<OpenApiBody> {
    let attempts = 0;
    let last: { status?: number; code?: number; msg?: string } = {};
    try {
      return await pRetry(
        async () => {
          attempts += 1;
          let body: OpenApiBody;
          try {
            body = await call();
          } catch (e) {
            const err = e as HttpishError;
            const status = err.response?.status;
            last = { status, code: err.response?.data?.code, msg: err.response?.data?.msg ?? err.message };
            const retryable = status === undefined || status === 429 || status >= 500;
            const wrapped = Object.assign(new Error(`${op} ${target}: ${status ?? err.code ?? 'network error'} ${last.msg ?? ''}`.trim()), {
              status,
              resetSeconds: Number(err.response?.headers?.['x-ogw-ratelimit-reset']),
            });
            throw retryable ? wrapped : new AbortError(wrapped);
          }
          if (body?.code !== undefined && body.code !== 0) {
            last = { status: 200, code: body.code, msg: body.msg };
            throw new AbortError(`${op} ${target}: code ${body.code} ${body.msg ?? ''}`.trim());
          }
          return body;
        },
        {
          retries: this.retry.retries,
          minTimeout: this.retry.minDelayMs,
          maxTimeout: this.retry.maxDelayMs,
          factor: 2,
          onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
            log.warn({ op, target, attempt: attemptNumber, retriesLeft, status: last.status, code: last.code, msg: last.msg }, 'lark: send attempt failed');
            const reset = (error as Error & { resetSeconds?: number }).resetSeconds;
            if (retriesLeft > 0 && (error as Error & { status?: number }).status === 429 && reset && Number.isFinite(reset) && reset > 0) {
              await new Promise((r) => setTimeout(r, Math.min(reset * 1000, this.retry.maxDelayMs)));
            }
          },
        },
      );
    } catch (e) {
      const err = new SendError(`lark: ${op} to ${target} failed after ${attempts} attempt(s): ${(e as Error).message}`, { op, target, attempts, ...last });
      log.error({ ...err.details }, 'lark: send failed');
      throw err;
    }
  }
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
