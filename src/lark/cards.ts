import type { Citation } from '../types.js';
import type { LarkCard } from './contracts.js';

/**
 * Builds the bot's interactive cards (Feishu card JSON 2.0:
 * https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-structure) and keeps
 * them within Feishu's size limit. Sources are folded in a `collapsible_panel`; feedback buttons
 * carry a `callback` behaviour whose value comes back in `card.action.trigger`.
 */

/**
 * Request-body limit for card messages: "卡片及富文本消息请求体最大不能超过 30 KB"
 * (https://open.feishu.cn/document/server-docs/im-v1/message/create). A larger body is refused
 * with code 230025. We aim below it, leaving room for headers the SDK adds to the JSON body.
 */
export const CARD_BODY_LIMIT_BYTES = 30 * 1024;
const DEFAULT_BUDGET_BYTES = CARD_BODY_LIMIT_BYTES - 1024;

/** `value.kind` of the 👍/👎 buttons. */
export const FEEDBACK_KIND = 'feedback';

/** What goes into a reply card, before fitting. */
export interface CardSpec {
  title: string;
  /** Header colour (`blue`, `red`, `green`, `grey`, `orange`…). */
  template?: string;
  /** Main content, Feishu card markdown. */
  body: string;
  /** Small grey line under the body (e.g. a degradation note). */
  note?: string;
  /** Sources folded under the body. */
  citations?: Citation[];
  /** Adds 👍/👎 buttons whose callback value carries this question. */
  feedbackFor?: string;
}

/** Options for {@link buildCards}. */
export interface FitOptions {
  /** Byte budget for the whole message request body (default 30 KB − 1 KB). */
  budgetBytes?: number;
  /** Longest quoted passage before it is shortened (default 400 characters). */
  maxPassageChars?: number;
  /** At most this many cards when the body has to be split (default 4); the rest is cut with a note. */
  maxParts?: number;
}

/**
 * Size of the `im.message.reply` request body that would carry this card, in bytes (UTF-8): the card
 * JSON is sent as a string inside the JSON body, so it is escaped twice.
 */
export function cardRequestBytes(card: LarkCard): number {
  return Buffer.byteLength(
    JSON.stringify({ content: JSON.stringify(card), msg_type: 'interactive', reply_in_thread: true, uuid: '00000000-0000-0000-0000-000000000000' }),
    'utf8',
  );
}

/** Escapes text so that Feishu markdown shows it literally (angle brackets would start tags like `<at>`/`<font>`). */
export function escapeMd(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function shorten(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, Math.max(0, max - 1))}…`;
}

function citationMarkdown(c: Citation, maxPassage: number): string {
  const where = [c.title ? `《${escapeMd(c.title)}》` : escapeMd(c.source), c.section ? escapeMd(c.section) : ''].filter(Boolean).join(' · ');
  return `**[${c.n}]** ${where}\n> ${escapeMd(shorten(c.text, maxPassage))}`;
}

function feedbackButtons(question: string): Record<string, unknown> {
  const q = shorten(question, 200);
  const button = (vote: 'up' | 'down', label: string) => ({
    tag: 'column',
    width: 'auto',
    elements: [
      {
        tag: 'button',
        name: `feedback_${vote}`,
        text: { tag: 'plain_text', content: label },
        type: vote === 'up' ? 'primary' : 'default',
        size: 'small',
        behaviors: [{ type: 'callback', value: { kind: FEEDBACK_KIND, vote, q } }],
      },
    ],
  });
  return { tag: 'column_set', flex_mode: 'none', horizontal_spacing: '8px', columns: [button('up', '👍 有用'), button('down', '👎 没用')] };
}

function assemble(spec: CardSpec, body: string, citations: Citation[], maxPassage: number, hidden: number, extraNote?: string): LarkCard {
  const elements: Record<string, unknown>[] = [{ tag: 'markdown', content: body }];
  const notes = [spec.note, extraNote].filter(Boolean).join('；');
  if (notes) elements.push({ tag: 'markdown', content: `<font color='grey'>${escapeMd(notes)}</font>`, text_size: 'notation' });
  if (citations.length > 0 || hidden > 0) {
    const lines = citations.map((c) => citationMarkdown(c, maxPassage));
    if (hidden > 0) lines.push(`<font color='grey'>另有 ${hidden} 条来源因卡片长度限制未显示</font>`);
    elements.push({
      tag: 'collapsible_panel',
      expanded: false,
      header: { title: { tag: 'markdown', content: `**来源（${citations.length + hidden}）**` }, icon: { tag: 'standard_icon', token: 'down-small-ccm_outlined', size: '16px 16px' }, icon_position: 'right', icon_expanded_angle: -180 },
      border: { color: 'grey', corner_radius: '5px' },
      vertical_spacing: '8px',
      padding: '8px 8px 8px 8px',
      elements: [{ tag: 'markdown', content: lines.join('\n\n'), text_size: 'notation' }],
    });
  }
  if (spec.feedbackFor !== undefined) elements.push(feedbackButtons(spec.feedbackFor));
  return {
    schema: '2.0',
    config: { update_multi: true, summary: { content: shorten(body.replace(/[*#>`]/g, ''), 60) } },
    header: { title: { tag: 'plain_text', content: spec.title }, template: spec.template ?? 'red' },
    body: { elements },
  };
}

/** Splits markdown at paragraph, then line, then character boundaries into pieces of at most `maxChars`. */
function splitMarkdown(text: string, maxChars: number): string[] {
  const parts: string[] = [];
  let cur = '';
  const push = () => {
    if (cur) parts.push(cur);
    cur = '';
  };
  for (const line of text.split('\n')) {
    const candidate = cur ? `${cur}\n${line}` : line;
    if (candidate.length <= maxChars) {
      cur = candidate;
      continue;
    }
    push();
    if (line.length <= maxChars) cur = line;
    else for (let i = 0; i < line.length; i += maxChars) parts.push(line.slice(i, i + maxChars));
  }
  push();
  return parts;
}

/**
 * Renders a {@link CardSpec} into one or more cards that each fit the byte budget
 * ({@link CARD_BODY_LIMIT_BYTES}). In order, it (1) shortens quoted passages, (2) drops the last
 * sources with a note, and (3) splits a long body over several cards "（1/3）…" (sources and
 * feedback buttons go on the last), cutting with a note beyond `maxParts`.
 * Never throws; always returns at least one card.
 */
export function buildCards(spec: CardSpec, opts: FitOptions = {}): LarkCard[] {
  const budget = opts.budgetBytes ?? DEFAULT_BUDGET_BYTES;
  const maxParts = opts.maxParts ?? 4;
  const cites = spec.citations ?? [];
  const fits = (c: LarkCard) => cardRequestBytes(c) <= budget;

  // Sources and buttons are sized with an empty body: that is what the last card must carry.
  let maxPassage = opts.maxPassageChars ?? 400;
  let shown = cites.length;
  const tail = () => assemble(spec, '', cites.slice(0, shown), maxPassage, cites.length - shown);
  while (!fits(tail()) && maxPassage > 80) maxPassage = Math.floor(maxPassage / 2);
  while (!fits(tail()) && shown > 0) shown -= 1;

  const whole = assemble(spec, spec.body, cites.slice(0, shown), maxPassage, cites.length - shown);
  if (fits(whole)) return [whole];

  // Split the body. Each part's character allowance is derived from its byte cost (CJK = 3 bytes, escaped twice for quotes).
  const bytesPerChar = Math.max(3, (cardRequestBytes(assemble(spec, spec.body, [], maxPassage, 0)) - cardRequestBytes(assemble(spec, '', [], maxPassage, 0))) / Math.max(1, spec.body.length));
  const tailBytes = cardRequestBytes(tail());
  const plainBytes = cardRequestBytes(assemble({ ...spec, feedbackFor: undefined, note: undefined }, '', [], maxPassage, 0));
  let plainAllowance = Math.floor((budget - plainBytes - 400) / bytesPerChar);
  let lastAllowance = Math.floor((budget - tailBytes - 400) / bytesPerChar);
  for (let attempt = 0; attempt < 6; attempt++) {
    let pieces = splitMarkdown(spec.body, Math.max(200, plainAllowance));
    // The last card also carries the sources and buttons: give it a smaller share.
    const last = pieces.pop() ?? '';
    pieces.push(...splitMarkdown(last, Math.max(200, lastAllowance)));
    let cutNote: string | undefined;
    if (pieces.length > maxParts) {
      pieces = pieces.slice(0, maxParts);
      cutNote = '内容过长，已截断；请缩小问题范围后再问';
    }
    const n = pieces.length;
    const cards = pieces.map((p, i) => {
      const isLast = i === n - 1;
      const partSpec: CardSpec = { ...spec, title: n > 1 ? `${spec.title}（${i + 1}/${n}）` : spec.title };
      if (!isLast) return assemble({ ...partSpec, note: undefined, feedbackFor: undefined }, p, [], maxPassage, 0);
      return assemble(partSpec, cutNote ? `${p}\n\n……` : p, cites.slice(0, shown), maxPassage, cites.length - shown, cutNote);
    });
    if (cards.every(fits)) return cards;
    plainAllowance = Math.floor(plainAllowance * 0.8);
    lastAllowance = Math.floor(lastAllowance * 0.8);
  }
  // Last resort: a short notice (cannot exceed the budget).
  return [assemble({ title: spec.title, template: spec.template, body: shorten(spec.body, 2000) }, shorten(spec.body, 2000), [], 80, cites.length, '内容过长，已截断')];
}

/** A one-message notice card (help texts, refusals, errors). */
export function noticeCard(title: string, markdown: string, template = 'blue'): LarkCard {
  return buildCards({ title, body: markdown, template })[0];
}
