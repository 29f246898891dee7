/**
 * The card rules of the Feishu Open API, for the Open API stand-in (hooked into
 * `openapi-standin.ts`): what `im.v1.message.create`/`reply` and `patch` refuse about interactive cards.
 *
 * - Card JSON 2.0 (`schema: "2.0"`): only the top-level properties `schema`, `config`, `card_link`,
 *   `header`, `body` (card-json-v2-structure: JSON 2.0 "不再兼容" unknown fields → the card is rejected);
 *   at most 200 components and elements ("卡片中的组件和元素总数不超过 200 个", code 300305).
 * - Request body of a card or post message ≤ 30 KB (code 230025, `im-v1/message/create`).
 * - `PATCH /im/v1/messages/:id` ("更新应用发送的消息卡片"): only cards whose `config` declares
 *   `update_multi: true` **before and after** the update, only messages sent within 14 days, at most
 *   5 updates per second per message (`im-v1/message-card/patch`).
 * The codes for "not a shared card" and "older than 14 days" are not listed on the pages read; the
 * stand-in answers them with 230099 (card content refused) and a message naming the rule.
 */

/** A refusal: HTTP status and the Open API body. */
export interface CardRefusal {
  status: number;
  code: number;
  msg: string;
}

/** Properties allowed at the top of a card JSON 2.0. */
export const CARD_V2_TOP_LEVEL = new Set(['schema', 'config', 'card_link', 'header', 'body']);
export const MAX_COMPONENTS = 200;
export const PATCH_WINDOW_MS = 14 * 86400_000;
export const PATCH_QPS_PER_MESSAGE = 5;

/** Every object with a string `tag` counts as a component or element. */
export function componentCount(v: unknown): number {
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + componentCount(x), 0);
  if (!v || typeof v !== 'object') return 0;
  let n = typeof (v as { tag?: unknown }).tag === 'string' ? 1 : 0;
  for (const x of Object.values(v)) if (x && typeof x === 'object') n += componentCount(x);
  return n;
}

/** Why a card (parsed `content` of an `interactive` message) is refused, or undefined when accepted. */
export function cardContentRefusal(card: unknown): CardRefusal | undefined {
  if (!card || typeof card !== 'object' || Array.isArray(card)) return { status: 400, code: 230099, msg: 'Failed to create card content: card is not an object' };
  const c = card as Record<string, unknown>;
  if (c.schema !== '2.0') return undefined; // JSON 1.0 cards are not checked here
  const unknown = Object.keys(c).filter((k) => !CARD_V2_TOP_LEVEL.has(k));
  if (unknown.length) return { status: 400, code: 230099, msg: `Failed to create card content: unknown property ${unknown.join(', ')} in card JSON 2.0` };
  const body = c.body as { elements?: unknown } | undefined;
  if (!body || !Array.isArray(body.elements)) return { status: 400, code: 230099, msg: 'Failed to create card content: body.elements is required in card JSON 2.0' };
  const n = componentCount(c);
  if (n > MAX_COMPONENTS) return { status: 400, code: 300305, msg: `card has ${n} components and elements, more than ${MAX_COMPONENTS}` };
  return undefined;
}

/** Refusal for a create/reply request body: size first (230025), then the card rules. */
export function messageRefusal(msgType: string, content: unknown, bodyBytes: number, limitBytes: number): CardRefusal | undefined {
  if ((msgType === 'interactive' || msgType === 'post') && bodyBytes > limitBytes) {
    return { status: 400, code: 230025, msg: `message content too large: ${bodyBytes} bytes > ${limitBytes}` };
  }
  return msgType === 'interactive' ? cardContentRefusal(content) : undefined;
}

function sharedCard(card: unknown): boolean {
  return (card as { config?: { update_multi?: unknown } } | undefined)?.config?.update_multi === true;
}

/**
 * Refusal for a PATCH of message `m` (sent at `m.at`, epoch ms) with `next` (the parsed new card),
 * given the times of earlier patches of the same message (`patchTimes`, epoch ms, appended to on success).
 */
export function patchRefusal(
  m: { at: number; content: unknown; patchedContent?: unknown; msgType: string },
  next: unknown,
  bodyBytes: number,
  limitBytes: number,
  patchTimes: number[],
  now = Date.now(),
): CardRefusal | undefined {
  if (m.msgType !== 'interactive') return { status: 400, code: 230099, msg: 'only interactive (card) messages can be updated' };
  if (now - m.at > PATCH_WINDOW_MS) return { status: 400, code: 230099, msg: 'message was sent more than 14 days ago and can no longer be updated' };
  if (!sharedCard(m.patchedContent ?? m.content) || !sharedCard(next)) {
    return { status: 400, code: 230099, msg: 'card is not a shared card: config.update_multi must be true before and after the update' };
  }
  if (bodyBytes > limitBytes) return { status: 400, code: 230025, msg: `message content too large: ${bodyBytes} bytes > ${limitBytes}` };
  const refused = cardContentRefusal(next);
  if (refused) return refused;
  const recent = patchTimes.filter((t) => now - t < 1000).length;
  if (recent >= PATCH_QPS_PER_MESSAGE) return { status: 400, code: 230020, msg: 'this message is updated more than 5 times per second' };
  patchTimes.push(now);
  return undefined;
}
