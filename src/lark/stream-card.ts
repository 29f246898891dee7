import type * as lark from '@larksuiteoapi/node-sdk';
import PQueue from 'p-queue';
import pRetry, { AbortError } from 'p-retry';
import { z } from 'zod';
import { log } from '../log.js';
import type { LarkCard, Messenger } from './contracts.js';
import { escapeAnswerText } from './escape.js';
import { classifyFailure } from './send-errors.js';
import type { ChatState, StreamCardRecord } from '../state/types.js';

/**
 * Streams an answer that is still being generated into a CardKit card entity, the way Feishu documents
 * streaming (https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/streaming-updates-openapi-overview):
 *
 * 1. create the card entity with `config.streaming_mode: true` (`cardkit.v1.card.create`, card JSON 2.0);
 * 2. send it once, by reference: an `interactive` reply whose content is `{"type":"card","data":{"card_id"}}`;
 * 3. push the whole text so far into its markdown element (`cardkit.v1.cardElement.content`), each
 *    operation on the card with a strictly increasing `sequence` (else 300317);
 * 4. close streaming (`cardkit.v1.card.settings`, `{"config":{"streaming_mode":false}}`);
 * 5. replace the whole card with the final one — sources panel and 👍/👎 (`cardkit.v1.card.update`).
 *
 * While generating, the card says so in its grey header (“生成中”) and a note under the text: the text is
 * not yet through the grounding check, and is replaced as a whole by the final card, which is the checked
 * answer (or the extractive one when the check failed).
 *
 * Limits kept: at most {@link CARD_OPS_PER_SECOND} operations per card in any rolling
 * {@link RATE_WINDOW_MS} (p-queue strict window; "对于单个卡片实体 … 频率上限为 10 次/秒"); text pushes at
 * least {@link MIN_PUSH_GAP_MS} apart and coalesced (a push sends the latest text), leaving room for the
 * closing operations; the card within 30 KB (200860): text beyond {@link MAX_STREAM_BYTES} is not
 * streamed (the final card has all of it). A failed push is skipped (the next carries the whole text);
 * streaming closed by the platform (300309, 200850 after its timeout) stops the pushes; the final update
 * is retried on throttling and 5xx, each attempt with a new sequence.
 */

/** Operations per card entity per second (streaming-updates-openapi-overview). */
export const CARD_OPS_PER_SECOND = 10;
/**
 * The rolling window of {@link CARD_OPS_PER_SECOND}, 400 ms wider than a second: a request that leaves late (a busy
 * event loop, a slow connection) arrives closer to the next window's first one, and the platform counts arrivals.
 * (100 ms was beaten on a loaded 2-core machine: 11 arrivals in 0.96 s.)
 */
export const RATE_WINDOW_MS = 1_400;
/** Shortest gap between two text pushes (≈ 6.7/s), so the closing operations never wait for a full window. */
export const MIN_PUSH_GAP_MS = 150;
/** Longest streamed text (UTF-8 bytes of the escaped markdown): a card entity holds at most 30 KB (200860). */
export const MAX_STREAM_BYTES = 20 * 1024;
/** `element_id` of the streamed markdown element (letters, digits, `_`, ≤ 20 characters, card-element/content). */
export const STREAM_ELEMENT_ID = 'answer_md';

/** The question a stream answers. */
export interface StreamTarget {
  /** The message replied to (`om_…`). */
  messageId: string;
  chatId: string;
  /** Idempotency key of the reply carrying the card (see `Messenger.replyCard`). */
  idempotencyKey: string;
}

/** One streamed answer (see the module comment). */
export interface AnswerStream {
  /**
   * Shows `text`, the answer generated so far (unchecked, not escaped: it is escaped here), in the
   * card; the first call creates and sends the card. Returns at once (the work is queued); never throws.
   */
  update(text: string): void;
  /**
   * Ends the stream: closes streaming and replaces the card with `card` (the first final card).
   * Resolves true when `card` is shown in the streamed message; false when nothing was streamed or
   * the card could not be sent or replaced (the caller then sends its cards as usual). Never rejects.
   */
  finish(card: LarkCard): Promise<boolean>;
}

/** Opens {@link AnswerStream}s. */
export interface AnswerStreamer {
  open(target: StreamTarget): AnswerStream;
}

/** True when a card is a reference to a card entity (`{"type":"card","data":{"card_id"}}`), not a card. */
export function isCardReference(card: LarkCard): boolean {
  return card.type === 'card' && typeof (card.data as { card_id?: unknown } | undefined)?.card_id === 'string';
}

/** The card shown while generating: grey “生成中” header, the text, a note that it is not yet checked. */
export function streamingCard(markdown: string): LarkCard {
  return {
    schema: '2.0',
    config: {
      update_multi: true,
      streaming_mode: true,
      summary: { content: '生成中…' },
      streaming_config: { print_frequency_ms: { default: 50 }, print_step: { default: 2 }, print_strategy: 'fast' },
    },
    header: { title: { tag: 'plain_text', content: '党建助手 · 生成中' }, template: 'grey' },
    body: {
      elements: [
        { tag: 'markdown', element_id: STREAM_ELEMENT_ID, content: markdown },
        { tag: 'markdown', element_id: 'status_note', content: "<font color='grey'>生成中：数字与出处核对后定稿，未核对的内容不会保留</font>", text_size: 'notation' },
      ],
    },
  };
}

/** The final card as a card entity: the same card with streaming off. */
function finalCard(card: LarkCard): LarkCard {
  return { ...card, config: { ...((card.config as object | undefined) ?? {}), update_multi: true, streaming_mode: false } };
}

/**
 * The part of the text so far whose markup is complete: a trailing citation marker still being written (“[1”)
 * or an unclosed `**` on the last line waits for the next push, so what is shown only ever grows (escaped “[1”
 * would be “&#91;1” now and “[1]” a moment later, and a lone “**” would flicker as asterisks before turning bold).
 */
export function completeMarkup(text: string): string {
  let t = text.replace(/\[\d{0,3}$/, '');
  const lastLine = t.slice(t.lastIndexOf('\n') + 1);
  if ((lastLine.match(/\*\*/g)?.length ?? 0) % 2 === 1) t = t.slice(0, t.lastIndexOf('**'));
  return t;
}

/** Markdown for the text so far: its complete part, escaped, cut to {@link MAX_STREAM_BYTES}, never empty. */
function render(text: string): string {
  let md = escapeAnswerText(completeMarkup(text).trim());
  if (Buffer.byteLength(md, 'utf8') > MAX_STREAM_BYTES) {
    md = Buffer.from(md, 'utf8').subarray(0, MAX_STREAM_BYTES).toString('utf8').replace(/\uFFFD+$/, '').replace(/&#?[A-Za-z0-9]*$/, '');
    md += '……';
  }
  return md || '…';
}

/** A failed CardKit call: the Open API code (from the body or the HTTP error) and the status. */
interface CardKitFailure {
  status?: number;
  code?: number;
  msg?: string;
  resetSeconds?: number;
}

function failureOf(err: unknown): CardKitFailure {
  const e = err as { response?: { status?: number; data?: { code?: number; msg?: string }; headers?: Record<string, unknown> }; message?: string };
  const reset = Number(e.response?.headers?.['x-ogw-ratelimit-reset']);
  return { status: e.response?.status, code: e.response?.data?.code, msg: e.response?.data?.msg ?? e.message, resetSeconds: Number.isFinite(reset) && reset > 0 ? reset : undefined };
}

class CardKitError extends Error {
  constructor(
    readonly op: string,
    readonly failure: CardKitFailure,
  ) {
    super(`cardkit ${op}: ${failure.status ?? 'network error'} code ${failure.code ?? '-'} ${failure.msg ?? ''}`.trim());
    this.name = 'CardKitError';
  }
}

/** The answer of `cardkit.v1.card.create` we rely on (card/create: `data.card_id`, at most 20 characters). */
const CreatedSchema = z.object({ code: z.literal(0), data: z.object({ card_id: z.string().min(1).max(20) }) });

/**
 * How long a streaming card's lease is renewed at most: the platform closes streaming by itself after a
 * timeout (200850; 10 minutes by a third-party report, see test/support/cardkit-rules.ts), so an answer never
 * streams longer; a lease left to expire after that lets the card be closed as interrupted.
 */
const STREAMING_RENEW_LIMIT_MS = 10 * 60_000;

/** Codes after which no text push can succeed: streaming closed (300309) or timed out (200850). */
const STREAMING_OVER = new Set([300309, 200850]);

/**
 * Sequences are reserved in blocks of this size: the end of the block is recorded (see {@link StreamCardRegistry})
 * before the first sequence of it is used, so at most one write per block; an answer takes about 7 pushes a second.
 */
export const SEQUENCE_BLOCK = 100;

/** The note of a card whose answer was interrupted (its process stopped while it streamed). */
export const INTERRUPTED_NOTE = '回答中断，请重新提问';

/**
 * Where streaming cards are recorded while they stream, so one left open by a crash can be closed: the chat
 * state's stream-card records (`ChatState`, src/state/types.ts).
 */
export type StreamCardRegistry = Pick<ChatState, 'leaseMs' | 'streamCardOpened' | 'streamCardCeiling' | 'renewStreamCards' | 'streamCardClosed' | 'takeInterruptedStreamCards'>;

/** Options of {@link CardStreamer}. */
export interface CardStreamerOptions {
  /** Retries of the closing operations (default 3; the first wait 200 ms, doubled). */
  retries?: number;
  minDelayMs?: number;
  /** Records each streaming card until it is closed (see {@link CardStreamer.closeInterrupted}). */
  registry?: StreamCardRegistry;
}

/** The card an interrupted answer is replaced with: streaming off, grey header, {@link INTERRUPTED_NOTE}. */
export function interruptedCard(): LarkCard {
  return {
    schema: '2.0',
    config: { update_multi: true, streaming_mode: false, summary: { content: INTERRUPTED_NOTE } },
    header: { title: { tag: 'plain_text', content: '党建助手 · 回答中断' }, template: 'grey' },
    body: {
      elements: [
        { tag: 'markdown', element_id: STREAM_ELEMENT_ID, content: `${INTERRUPTED_NOTE}。` },
        { tag: 'markdown', element_id: 'status_note', content: "<font color='grey'>生成回答时服务重启，未核对的内容没有保留；如稍后收到完整回答，以完整回答为准。</font>", text_size: 'notation' },
      ],
    },
  };
}

/**
 * {@link AnswerStreamer} over the SDK client's CardKit API (`client.cardkit.v1.card.create`,
 * `cardElement.content`, `card.settings`, `card.update`) and the messenger (the reply that shows the card,
 * with its idempotency and rate limits). Needs the app scope `cardkit:card:write`.
 */
export class CardStreamer implements AnswerStreamer {
  constructor(
    private readonly client: lark.Client,
    private readonly messenger: Messenger,
    private readonly opts: CardStreamerOptions = {},
  ) {}

  open(target: StreamTarget): AnswerStream {
    return new StreamingAnswer(this.client, this.messenger, target, this.opts);
  }

  /**
   * Closes the streaming cards left open by a process that stopped mid-answer (their lease in the registry
   * expired): streaming off (`card.settings`, `{"config":{"streaming_mode":false}}`), then the whole card
   * replaced by {@link interruptedCard}, with sequences above the card's recorded ceiling (strictly increasing,
   * 300317). A card the platform no longer has (200740; 200750 or older than its 14-day life) is forgotten; one that
   * fails for a reason that may pass is left for the next call. Returns the card_ids closed. Never throws.
   */
  async closeInterrupted(): Promise<string[]> {
    const registry = this.opts.registry;
    if (!registry) return [];
    let cards: StreamCardRecord[];
    try {
      cards = await registry.takeInterruptedStreamCards();
    } catch (err) {
      log.error({ err }, 'lark: could not read the streaming cards left open');
      return [];
    }
    const closed: string[] = [];
    for (const c of cards) {
      let sequence = c.sequenceCeiling;
      const call = async (op: string, run: (seq: number) => Promise<{ code?: number; msg?: string }>) => {
        let f: CardKitFailure;
        try {
          const res = await run(++sequence);
          if (res?.code === 0) return;
          f = { status: 200, code: res?.code, msg: res?.msg };
        } catch (err) {
          f = failureOf(err);
        }
        throw new CardKitError(op, f);
      };
      try {
        await call('settings', (seq) => this.client.cardkit.v1.card.settings({ path: { card_id: c.cardId }, data: { settings: JSON.stringify({ config: { streaming_mode: false } }), sequence: seq } }));
        await call('update', (seq) => this.client.cardkit.v1.card.update({ path: { card_id: c.cardId }, data: { card: { type: 'card_json', data: JSON.stringify(interruptedCard()) }, sequence: seq } }));
        await registry.streamCardClosed(c.cardId);
        closed.push(c.cardId);
        log.warn({ cardId: c.cardId, chatId: c.chatId, messageId: c.messageId }, 'lark: closed a streaming card left open by an interrupted answer');
      } catch (err) {
        const code = err instanceof CardKitError ? err.failure.code : undefined;
        if (code === 200740 || code === 200750 || Date.now() - c.openedAt > CARD_ENTITY_LIFE_MS) {
          await registry.streamCardClosed(c.cardId).catch(() => undefined);
          log.warn({ cardId: c.cardId, code }, 'lark: a streaming card left open no longer exists; forgotten');
        } else {
          log.error({ err: (err as Error).message, cardId: c.cardId }, 'lark: could not close a streaming card left open; trying again later');
        }
      }
    }
    return closed;
  }
}

/** How long a card entity lives: 14 days (cardkit-v1/card/create, 200750). */
export const CARD_ENTITY_LIFE_MS = 14 * 86400_000;

class StreamingAnswer implements AnswerStream {
  private latest = '';
  private shown = '';
  private sequence = 0;
  private cardId?: string;
  private started?: Promise<boolean>;
  private pushWaiting = false;
  private pushing = true;
  private lastPushAt = 0;
  /** Highest sequence recorded in the registry as reserved. */
  private ceiling = 0;
  private renewal?: NodeJS.Timeout;
  private readonly queue = new PQueue({ concurrency: 1, intervalCap: CARD_OPS_PER_SECOND, interval: RATE_WINDOW_MS, strict: true });

  constructor(
    private readonly client: lark.Client,
    private readonly messenger: Messenger,
    private readonly target: StreamTarget,
    private readonly opts: CardStreamerOptions,
  ) {}

  update(text: string): void {
    this.latest = text;
    if (!this.started) {
      this.started = this.start();
      return;
    }
    if (!this.pushing || this.pushWaiting) return;
    this.pushWaiting = true;
    void this.started.then((ok) => {
      if (!ok) return;
      void this.queue.add(() => this.push());
    });
  }

  async finish(card: LarkCard): Promise<boolean> {
    if (!this.started || !(await this.started)) return false;
    this.pushing = false;
    await this.queue.onIdle();
    const cardId = this.cardId!;
    try {
      await this.closing('settings', (sequence) =>
        this.client.cardkit.v1.card.settings({ path: { card_id: cardId }, data: { settings: JSON.stringify({ config: { streaming_mode: false } }), sequence } }),
      );
    } catch (err) {
      // the full update below also switches streaming off
      log.warn({ err: (err as Error).message, cardId, messageId: this.target.messageId }, 'lark: closing a streaming card failed');
    }
    try {
      await this.closing('update', (sequence) =>
        this.client.cardkit.v1.card.update({ path: { card_id: cardId }, data: { card: { type: 'card_json', data: JSON.stringify(finalCard(card)) }, sequence } }),
      );
      return true;
    } catch (err) {
      log.error({ err: (err as Error).message, cardId, messageId: this.target.messageId }, 'lark: the final answer could not replace the streaming card');
      return false;
    } finally {
      await this.forget();
    }
  }

  /**
   * Records the card in the registry (leased, renewed every third of the lease while it streams, at most
   * until the platform's streaming timeout) with the first block of sequences reserved. A registry failure
   * is logged: the answer streams all the same.
   */
  private async record(): Promise<void> {
    const registry = this.opts.registry;
    if (!registry) return;
    this.ceiling = SEQUENCE_BLOCK;
    try {
      await registry.streamCardOpened({ cardId: this.cardId!, chatId: this.target.chatId, messageId: this.target.messageId, openedAt: Date.now(), sequenceCeiling: this.ceiling });
    } catch (err) {
      log.warn({ err, cardId: this.cardId }, 'lark: streaming card not recorded (a crash would leave it open)');
      return;
    }
    const until = Date.now() + STREAMING_RENEW_LIMIT_MS;
    this.renewal = setInterval(() => {
      if (Date.now() > until) return clearInterval(this.renewal);
      registry.renewStreamCards([this.cardId!]).catch((err: unknown) => log.warn({ err, cardId: this.cardId }, 'lark: streaming card lease not renewed'));
    }, Math.max(50, Math.floor(registry.leaseMs / 3)));
    this.renewal.unref();
  }

  /** The next sequence, recording a new block in the registry first when this one is used up. */
  private async nextSequence(): Promise<number> {
    const sequence = ++this.sequence;
    const registry = this.opts.registry;
    if (registry && this.ceiling && sequence > this.ceiling) {
      this.ceiling += SEQUENCE_BLOCK;
      await registry.streamCardCeiling(this.cardId!, this.ceiling).catch((err: unknown) => log.warn({ err, cardId: this.cardId }, 'lark: streaming card sequence block not recorded'));
    }
    return sequence;
  }

  /** Streaming is closed: the registry forgets the card. */
  private async forget(): Promise<void> {
    clearInterval(this.renewal);
    if (this.ceiling) await this.opts.registry?.streamCardClosed(this.cardId!).catch((err: unknown) => log.warn({ err, cardId: this.cardId }, 'lark: closed streaming card not forgotten'));
  }

  /** Creates the card with the text so far and sends it; false when either fails (then nothing streams). */
  private async start(): Promise<boolean> {
    const markdown = render(this.latest);
    try {
      const res = await this.client.cardkit.v1.card.create({ data: { type: 'card_json', data: JSON.stringify(streamingCard(markdown)) } });
      const created = CreatedSchema.safeParse(res);
      if (!created.success) throw new CardKitError('create', { status: 200, code: res?.code, msg: res?.msg ?? created.error.issues[0]?.message });
      this.cardId = created.data.data.card_id;
      await this.record();
    } catch (err) {
      log.warn({ err: (err as Error).message, messageId: this.target.messageId }, 'lark: streaming card not created; the answer is sent when complete');
      this.pushing = false;
      return false;
    }
    try {
      await this.messenger.replyCard(this.target.messageId, { type: 'card', data: { card_id: this.cardId } }, { chatId: this.target.chatId, idempotencyKey: this.target.idempotencyKey });
    } catch (err) {
      log.warn({ err: (err as Error).message, cardId: this.cardId, messageId: this.target.messageId }, 'lark: streaming card not sent; the answer is sent when complete');
      this.pushing = false;
      await this.forget();
      return false;
    }
    // text that arrived meanwhile is pushed by the updates that brought it (queued on `started`)
    this.shown = markdown;
    return true;
  }

  /** Pushes the latest text (one operation); failures are logged and skipped. */
  private async push(): Promise<void> {
    const wait = this.lastPushAt + MIN_PUSH_GAP_MS - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    this.pushWaiting = false;
    if (!this.pushing) return;
    const content = render(this.latest);
    if (content === this.shown) return;
    const sequence = await this.nextSequence();
    this.lastPushAt = Date.now();
    try {
      const res = await this.client.cardkit.v1.cardElement.content({ path: { card_id: this.cardId!, element_id: STREAM_ELEMENT_ID }, data: { content, sequence } });
      if (res?.code !== 0) throw new CardKitError('content', { status: 200, code: res?.code, msg: res?.msg });
      this.shown = content;
      if (Buffer.byteLength(render(this.latest + '……'), 'utf8') > MAX_STREAM_BYTES) this.pushing = false;
    } catch (err) {
      const f = err instanceof CardKitError ? err.failure : failureOf(err);
      if (f.code !== undefined && STREAMING_OVER.has(f.code)) this.pushing = false;
      log.warn({ cardId: this.cardId, sequence, status: f.status, code: f.code, msg: f.msg }, 'lark: streaming text update failed');
    }
  }

  /** A closing operation through the card's queue, retried on throttling and 5xx with a new sequence each time. */
  private async closing(op: string, call: (sequence: number) => Promise<{ code?: number; msg?: string }>): Promise<void> {
    let last: CardKitFailure = {};
    await pRetry(
      () =>
        this.queue.add(async () => {
          let res: { code?: number; msg?: string };
          try {
            res = await call(await this.nextSequence());
          } catch (err) {
            last = failureOf(err);
            throw this.classify(op, last);
          }
          if (res?.code !== 0) {
            last = { status: 200, code: res?.code, msg: res?.msg };
            throw this.classify(op, last);
          }
        }),
      {
        retries: this.opts.retries ?? 3,
        minTimeout: this.opts.minDelayMs ?? 200,
        factor: 2,
        onFailedAttempt: async ({ retriesLeft }) => {
          if (retriesLeft > 0 && last.resetSeconds) await new Promise((r) => setTimeout(r, Math.min(last.resetSeconds! * 1000, 5_000)));
        },
      },
    );
  }

  private classify(op: string, f: CardKitFailure): Error {
    const e = new CardKitError(op, f);
    const kind = classifyFailure(f.status, f.code);
    // 300317: another writer took the sequence, the next attempt takes a higher one; 200810: a card callback is in flight
    return kind === 'throttled' || kind === 'transient' || f.code === 300317 || f.code === 200810 ? e : new AbortError(e);
  }
}
