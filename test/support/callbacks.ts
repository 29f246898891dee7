/**
 * Card callbacks (`card.action.trigger`) delivered the way Feishu does, with its deadline and checks on
 * the answer (https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-callback-communication):
 * the bot must answer within 3 s (else the client shows an error, code 200341); the body may carry a
 * `toast` (`type` info|success|error|warning, `content`) and a `card` `{type: "raw", data}` or
 * `{type: "template", data}`; a raw card is checked like a sent card and must stay JSON 2.0 (200830);
 * anything else is a bad body (200672).
 */
import { cardContentRefusal } from './card-rules.js';
import { deliverWebhook, type DeliverOptions } from './openapi-standin.js';

/** Feishu's deadline for a callback answer, in ms. */
export const CALLBACK_DEADLINE_MS = 3_000;

/** What the Feishu client makes of a callback answer. */
export interface CallbackOutcome {
  /** True when the answer came in time and is well-formed; the toast/card are then applied. */
  ok: boolean;
  /** 0 when ok; 200341 (late), 200672 (bad body), 200830 (card not JSON 2.0), or a card rule's code. */
  code: number;
  status: number;
  body: unknown;
  ms: number;
  /** The card that replaces the clicked one, when the answer carried one and was accepted. */
  card?: Record<string, unknown>;
  toast?: { type: string; content: string };
}

/** Checks a callback answer body (see the module doc); returns the outcome code. */
export function callbackBodyCode(body: unknown): number {
  if (body === '' || body === undefined) return 0;
  if (!body || typeof body !== 'object') return 200672;
  const b = body as { toast?: { type?: unknown; content?: unknown }; card?: { type?: unknown; data?: unknown } };
  if (b.toast !== undefined) {
    if (!['info', 'success', 'error', 'warning'].includes(String(b.toast.type)) || typeof b.toast.content !== 'string') return 200672;
  }
  if (b.card !== undefined) {
    if (b.card.type === 'template') return 0;
    if (b.card.type !== 'raw' || !b.card.data || typeof b.card.data !== 'object') return 200672;
    if ((b.card.data as { schema?: unknown }).schema !== '2.0') return 200830;
    const refused = cardContentRefusal(b.card.data);
    if (refused) return refused.code;
  }
  return 0;
}

/** Delivers a callback to the bot's URL (signed and encrypted) and judges the answer as Feishu would. */
export async function deliverCallback(url: string, payload: unknown, opts: DeliverOptions = {}): Promise<CallbackOutcome> {
  const res = await deliverWebhook(url, payload, opts);
  const code = res.status !== 200 ? 200672 : res.ms > CALLBACK_DEADLINE_MS ? 200341 : callbackBodyCode(res.body);
  const b = (res.body ?? {}) as { card?: { data?: Record<string, unknown> }; toast?: { type: string; content: string } };
  return { ok: code === 0, code, status: res.status, body: res.body, ms: res.ms, ...(code === 0 ? { card: b.card?.data, toast: b.toast } : {}) };
}
