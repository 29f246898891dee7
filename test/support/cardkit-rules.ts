/**
 * The CardKit card entities of the Feishu Open API, for the Open API stand-in (hooked into
 * `openapi-standin.ts`). Each rule cites the page it comes from (Feishu Open Platform, cardkit-v1):
 *
 * - `POST /open-apis/cardkit/v1/cards` (card/create): `type: "card_json"` and `data` a card JSON 2.0
 *   string, else **300303** "Only schema 2.0 is supported"; an empty `data` **300307**; unparsable
 *   **200220**; `update_multi: false` **300302**; a duplicate `element_id` **300301**; more than 200
 *   components **300305**; a card above 30 KB **200860** ("卡片体积超限 … 30KB 以内"). Answers `card_id`.
 * - Every operation on an entity carries `sequence`, an int32 ≥ 1 that must be **strictly greater** than the
 *   one of the previous operation on that card, else **300317** ("sequence 的值相较于上一次操作严格递增").
 *   An unknown card gets **200740**.
 * - `PUT …/cards/:card_id/elements/:element_id/content` (card-element/content): only while
 *   `streaming_mode` is on, else **300309** "Card streaming closed"; streaming that was on longer than
 *   {@link CardKitRules.streamingTimeoutMs} is closed by the platform, **200850** "Card streaming timeout";
 *   only `markdown` and `plain_text` elements, else **300310**; `content` 1–100 000 characters.
 *   An `element_id` the card does not hold is not listed on the page; the stand-in answers the page's generic
 *   parameter error **10002** naming it.
 * - `PATCH …/cards/:card_id/settings` (card/settings): `settings` is a JSON string with `config` and/or
 *   `card_link`; its `config` is merged into the card's (`streaming_mode: false` closes streaming).
 * - `PUT …/cards/:card_id` (card/update): a whole new card JSON 2.0, checked as on create; the card's
 *   streaming mode becomes the new card's `config.streaming_mode`.
 * - **10 operations per second per card entity** ("对于单个卡片实体，使用卡片和组件级 OpenAPI 操作卡片的频率上限为
 *   10 次/秒", streaming-updates-openapi-overview); above it the stand-in answers as the gateway throttles:
 *   HTTP 429, code 99991400, `x-ogw-ratelimit-reset` (api-call-guide/frequency-control).
 * - A card entity lives **14 days** ("卡片实体的有效期为 14 天", card/create): any operation after that gets **200750**.
 * - A card entity is sent **once** ("一个卡片实体，仅支持发送一次", card/create) by an `interactive` message
 *   whose content is `{"type":"card","data":{"card_id":…}}` (im-v1 message content, create_json). The code of a
 *   second send is not listed; the stand-in answers 230099 (card content refused) naming the rule.
 *
 * Every accepted operation is recorded ({@link CardOperation}) so tests can check the order of sequences,
 * the rate, and the final card.
 */
import { componentCount, MAX_COMPONENTS, type CardRefusal } from './card-rules.js';

/** Most bytes of a card entity: "请将卡片大小控制在 30KB 以内" (code 200860). */
export const CARD_ENTITY_LIMIT_BYTES = 30 * 1024;
/** Operations per card entity per second (streaming-updates-openapi-overview). */
export const CARD_OPS_PER_SECOND = 10;
/** How long a card entity can be operated on: 14 days after creation, then **200750** (card/create). */
export const CARD_ENTITY_LIFE_MS = 14 * 86400_000;
const INT32_MAX = 2147483647;

/** One accepted operation on a card entity. */
export interface CardOperation {
  kind: 'content' | 'settings' | 'update';
  sequence: number;
  /** Platform time (ms) when it was accepted. */
  at: number;
  /** `content`: the element updated and its new text. */
  elementId?: string;
  content?: string;
  /** `settings`: the parsed settings; `update`: the new card. */
  settings?: Record<string, unknown>;
  card?: Record<string, unknown>;
  /** Whether streaming was on after the operation. */
  streaming: boolean;
}

/** A card entity as the stand-in keeps it. */
export interface CardEntity {
  cardId: string;
  /** The current card JSON (element contents and config as updated). */
  card: Record<string, unknown>;
  createdAt: number;
  /** When streaming was last switched on (creation or settings), or undefined while off. */
  streamingSince?: number;
  lastSequence: number;
  /** The message that showed it, once sent. */
  messageId?: string;
  /** Every accepted operation, oldest first. */
  operations: CardOperation[];
  /** Every refused operation: its code and the sequence it carried. */
  refusals: Array<{ kind: CardOperation['kind']; code: number; sequence?: number; at: number }>;
}

/** The answer to a CardKit request: status and body (and headers for throttling). */
export interface CardKitAnswer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

const refuse = (code: number, msg: string, status = 400): CardKitAnswer => ({ status, body: { code, msg } });
const ok = (data: Record<string, unknown> = {}): CardKitAnswer => ({ status: 200, body: { code: 0, msg: 'success', data } });

function elementsWithIds(v: unknown, out: Array<Record<string, unknown>> = []): Array<Record<string, unknown>> {
  if (Array.isArray(v)) v.forEach((x) => elementsWithIds(x, out));
  else if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.element_id === 'string') out.push(o);
    Object.values(o).forEach((x) => elementsWithIds(x, out));
  }
  return out;
}

/** Why a card JSON string cannot become (or replace) a card entity, or the parsed card. */
function checkCardJson(type: unknown, data: unknown): { card: Record<string, unknown> } | { refusal: CardKitAnswer } {
  if (typeof data !== 'string' || data.trim() === '') return { refusal: refuse(300307, 'The card DSL is empty') };
  if (type !== 'card_json') return { refusal: refuse(10002, `stand-in supports type "card_json" only, got ${JSON.stringify(type)}`) };
  if (Buffer.byteLength(data, 'utf8') > CARD_ENTITY_LIMIT_BYTES) return { refusal: refuse(200860, `Card content exceeds limit. ${Buffer.byteLength(data, 'utf8')} bytes > ${CARD_ENTITY_LIMIT_BYTES}`) };
  let card: unknown;
  try {
    card = JSON.parse(data);
  } catch {
    return { refusal: refuse(200220, 'Failed to generate card content: data is not JSON') };
  }
  if (!card || typeof card !== 'object' || Array.isArray(card)) return { refusal: refuse(200220, 'Failed to generate card content: not an object') };
  const c = card as Record<string, unknown>;
  if (c.schema !== '2.0') return { refusal: refuse(300303, 'Only schema 2.0 is supported') };
  if ((c.config as { update_multi?: unknown } | undefined)?.update_multi === false) return { refusal: refuse(300302, 'update_multi property is false') };
  if (!Array.isArray((c.body as { elements?: unknown } | undefined)?.elements)) return { refusal: refuse(200220, 'Failed to generate card content: body.elements is required') };
  const ids = elementsWithIds(c.body).map((e) => e.element_id as string);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) return { refusal: refuse(300301, `Duplicate element_id in card component: ${dup}`) };
  const n = componentCount(c);
  if (n > MAX_COMPONENTS) return { refusal: refuse(300305, `The number of card components exceeds 200 (${n})`) };
  return { card: c };
}

const streamingOn = (card: Record<string, unknown>) => (card.config as { streaming_mode?: unknown } | undefined)?.streaming_mode === true;

/** The CardKit behaviour of the stand-in; reach it through `api.cardkit`. */
export class CardKitRules {
  /** Streaming closes by itself this long after it was switched on (third-party report: 10 minutes). */
  streamingTimeoutMs = 10 * 60_000;
  readonly cards = new Map<string, CardEntity>();
  private seq = 0;

  /** The platform's clock (ms); tests may replace it to stop time. */
  constructor(public clock: () => number = Date.now) {}

  private now(): number {
    return this.clock();
  }

  /** `POST /open-apis/cardkit/v1/cards`. */
  create(body: Record<string, unknown>): CardKitAnswer {
    const checked = checkCardJson(body.type, body.data);
    if ('refusal' in checked) return checked.refusal;
    this.seq += 1;
    const cardId = `73553727661${String(this.seq).padStart(8, '0')}`;
    const at = this.now();
    this.cards.set(cardId, { cardId, card: checked.card, createdAt: at, streamingSince: streamingOn(checked.card) ? at : undefined, lastSequence: 0, operations: [], refusals: [] });
    return ok({ card_id: cardId });
  }

  /**
   * Why an `interactive` message content that references a card entity (`{"type":"card","data":{"card_id"}}`)
   * cannot be sent: the card does not exist, or was sent already. Undefined when it can (or is no reference).
   */
  sendRefusal(content: unknown): CardRefusal | undefined {
    const ref = cardReference(content);
    if (ref === undefined) return undefined;
    const e = this.cards.get(ref);
    if (!e) return { status: 400, code: 230099, msg: `Failed to create card content: card entity ${ref} does not exist` };
    if (e.messageId) return { status: 400, code: 230099, msg: `Failed to create card content: card entity ${ref} was already sent (a card entity can be sent only once)` };
    return undefined;
  }

  /** `PUT …/cards/:card_id/elements/:element_id/content`. */
  content(cardId: string, elementId: string, body: Record<string, unknown>): CardKitAnswer {
    return this.operate('content', cardId, body, (e) => {
      const open = this.streamingState(e);
      if (open) return open;
      const el = elementsWithIds(e.card.body).find((x) => x.element_id === elementId);
      if (!el) return refuse(10002, `Your request contains an invalid request parameter: element_id ${elementId} does not exist in card ${cardId}`);
      if (el.tag !== 'markdown' && el.tag !== 'plain_text') return refuse(300310, 'Only update text');
      const content = body.content;
      if (typeof content !== 'string' || content.length < 1 || content.length > 100_000) return refuse(10002, 'content must be 1 to 100000 characters');
      el.content = content;
      return { elementId, content };
    });
  }

  /** `PATCH …/cards/:card_id/settings`. */
  settings(cardId: string, body: Record<string, unknown>): CardKitAnswer {
    return this.operate('settings', cardId, body, (e) => {
      let settings: Record<string, unknown>;
      try {
        settings = JSON.parse(String(body.settings ?? '')) as Record<string, unknown>;
      } catch {
        return refuse(10002, 'settings is not a JSON string');
      }
      const config = settings.config as Record<string, unknown> | undefined;
      if (config?.update_multi === false) return refuse(300302, 'update_multi property is false');
      const wasOn = streamingOn(e.card);
      e.card = { ...e.card, ...(config ? { config: { ...(e.card.config as object), ...config } } : {}), ...(settings.card_link ? { card_link: settings.card_link } : {}) };
      if (streamingOn(e.card) && !wasOn) e.streamingSince = this.now();
      if (!streamingOn(e.card)) e.streamingSince = undefined;
      return { settings };
    });
  }

  /** `PUT …/cards/:card_id`. */
  update(cardId: string, body: Record<string, unknown>): CardKitAnswer {
    return this.operate('update', cardId, body, (e) => {
      const c = (body.card ?? {}) as { type?: unknown; data?: unknown };
      const checked = checkCardJson(c.type, c.data);
      if ('refusal' in checked) return checked.refusal;
      e.card = checked.card;
      e.streamingSince = streamingOn(e.card) ? this.now() : undefined;
      return { card: checked.card };
    });
  }

  /** The entity sent as `messageId`, if any. */
  byMessage(messageId: string): CardEntity | undefined {
    return [...this.cards.values()].find((e) => e.messageId === messageId);
  }

  reset(): void {
    this.cards.clear();
  }

  /** 300309 when streaming is off, 200850 (and off from then on) when it timed out. */
  private streamingState(e: CardEntity): CardKitAnswer | undefined {
    if (e.streamingSince === undefined) return refuse(300309, 'Card streaming closed');
    if (this.now() - e.streamingSince > this.streamingTimeoutMs) {
      e.streamingSince = undefined;
      e.card = { ...e.card, config: { ...(e.card.config as object), streaming_mode: false } };
      return refuse(200850, 'Card streaming timeout');
    }
    return undefined;
  }

  /** Common checks of an operation (card exists, sequence, rate), then `apply`; records the outcome. */
  private operate(
    kind: CardOperation['kind'],
    cardId: string,
    body: Record<string, unknown>,
    apply: (e: CardEntity) => CardKitAnswer | Partial<CardOperation>,
  ): CardKitAnswer {
    const e = this.cards.get(cardId);
    if (!e) return refuse(200740, 'The card entity does not exist');
    const at = this.now();
    const sequence = body.sequence;
    const fail = (a: CardKitAnswer): CardKitAnswer => {
      e.refusals.push({ kind, code: Number(a.body.code), sequence: typeof sequence === 'number' ? sequence : undefined, at });
      return a;
    };
    if (at - e.createdAt > CARD_ENTITY_LIFE_MS) return fail(refuse(200750, 'The card entity has expired (a card entity is valid for 14 days)'));
    if (typeof sequence !== 'number' || !Number.isInteger(sequence) || sequence < 1 || sequence > INT32_MAX) return fail(refuse(10002, 'sequence must be an int32 from 1'));
    if (sequence <= e.lastSequence) return fail(refuse(300317, `The sequence number for operating on the card did not increment consecutively: ${sequence} after ${e.lastSequence}`));
    const recent = e.operations.filter((o) => at - o.at < 1000).length;
    if (recent >= CARD_OPS_PER_SECOND) {
      return fail({ status: 429, body: { code: 99991400, msg: 'request trigger frequency limit' }, headers: { 'x-ogw-ratelimit-limit': String(CARD_OPS_PER_SECOND), 'x-ogw-ratelimit-reset': '1' } });
    }
    const r = apply(e);
    if ('status' in r && 'body' in r) return fail(r as CardKitAnswer);
    e.lastSequence = sequence;
    e.operations.push({ kind, sequence, at, streaming: streamingOn(e.card), ...(r as Partial<CardOperation>) });
    return ok();
  }
}

/** The card_id of an `interactive` content that references a card entity, else undefined. */
export function cardReference(content: unknown): string | undefined {
  const c = content as { type?: unknown; data?: { card_id?: unknown } } | null;
  return c && typeof c === 'object' && c.type === 'card' && typeof c.data?.card_id === 'string' ? c.data.card_id : undefined;
}
