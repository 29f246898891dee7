import type { Citation } from '../types.js';
import type { LarkCard } from './contracts.js';
import { escapeText, unescapeText } from './escape.js';

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
  /** Main content, Feishu card markdown: text that is not ours must already be escaped ({@link escapeText}). */
  body: string;
  /** Small grey line under the body (e.g. a degradation note); plain text, escaped here. */
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

/**
 * Most components and elements one JSON 2.0 card may hold: "卡片中的组件和元素总数不超过 200 个"
 * (card JSON 2.0 structure; CardKit code 300305). Counted by {@link countComponents}.
 */
export const MAX_CARD_COMPONENTS = 200;

/**
 * Number of components and elements of a card: every object carrying a `tag` (containers, their
 * columns, buttons, the text objects inside them, the header title), which over-counts rather than
 * under-counts against {@link MAX_CARD_COMPONENTS}.
 */
export function countComponents(card: unknown): number {
  if (Array.isArray(card)) return card.reduce((n: number, x) => n + countComponents(x), 0);
  if (!card || typeof card !== 'object') return 0;
  let n = typeof (card as { tag?: unknown }).tag === 'string' ? 1 : 0;
  for (const v of Object.values(card)) if (v && typeof v === 'object') n += countComponents(v);
  return n;
}

/** True when a card is within both platform limits: request body ≤ `budgetBytes` and ≤ {@link MAX_CARD_COMPONENTS} components. */
export function withinCardLimits(card: LarkCard, budgetBytes = DEFAULT_BUDGET_BYTES): boolean {
  return countComponents(card) <= MAX_CARD_COMPONENTS && cardRequestBytes(card) <= budgetBytes;
}

function shorten(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  // A cut never leaves half of a character reference (`&#91;`) behind.
  return t.length <= max ? t : `${t.slice(0, Math.max(0, max - 1)).replace(/&#?[A-Za-z0-9]*$/, '')}…`;
}

function citationMarkdown(c: Citation, maxPassage: number): string {
  const where = [c.title ? `《${escapeText(c.title)}》` : escapeText(c.source), c.section ? escapeText(c.section) : ''].filter(Boolean).join(' · ');
  return `**[${c.n}]** ${where}\n> ${escapeText(shorten(c.text, maxPassage))}`;
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
  if (notes) elements.push({ tag: 'markdown', content: `<font color='grey'>${escapeText(notes)}</font>`, text_size: 'notation' });
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
    config: { update_multi: true, summary: { content: shorten(unescapeText(body.replace(/\*\*/g, '')), 60) } },
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
    else {
      // Cut at maxChars, but never inside a character reference (`&#91;`) made by escapeText.
      let i = 0;
      while (i < line.length) {
        let end = Math.min(line.length, i + maxChars);
        const amp = line.lastIndexOf('&', end - 1);
        if (end < line.length && amp > i && amp >= end - 8 && !line.slice(amp, end).includes(';')) end = amp;
        parts.push(line.slice(i, end));
        i = end;
      }
    }
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
  const fits = (c: LarkCard) => withinCardLimits(c, budget);

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

/** A card JSON 2.0 element. */
export type CardElement = Record<string, unknown>;

/** What goes into a list card (reminders, `/tasks`): a header, fixed elements, one group of elements per item. */
export interface ListCardSpec {
  title: string;
  template: string;
  /** Preview text in the chat list (`config.summary`). */
  summary: string;
  /** Elements before the items (e.g. an @mention line). */
  head?: CardElement[];
  /** One group of elements per item, in display order; items are never split. */
  items: CardElement[][];
  /** Elements after the items (e.g. a note). */
  foot?: CardElement[];
  /** The line shown when `n` items do not fit; default "还有N项未显示，发送 /tasks 查看". */
  overflow?: (n: number) => string;
  /** Byte budget for the whole message request body (default 30 KB − 1 KB). */
  budgetBytes?: number;
  /** Put an `hr` between items (default true). */
  separator?: boolean;
}

/** The default overflow line of {@link buildListCard}. */
export function tasksOverflowLine(n: number): string {
  return `还有${n}项未显示，发送 /tasks 查看`;
}

/**
 * Builds one card JSON 2.0 (with `update_multi`, so it can be patched for everyone) holding as many
 * leading items as fit both limits ({@link withinCardLimits}: 30 KB request body, 200 components);
 * the rest are counted in a grey overflow line ("还有N项未显示，发送 /tasks 查看"). Items are
 * separated by `hr`. Never throws; a card whose head alone is too large keeps only the title and
 * the overflow line.
 */
export function buildListCard(spec: ListCardSpec): LarkCard {
  const budget = spec.budgetBytes ?? DEFAULT_BUDGET_BYTES;
  const overflow = spec.overflow ?? tasksOverflowLine;
  const make = (shown: number, head = spec.head ?? []): LarkCard => {
    const elements: CardElement[] = [...head];
    spec.items.slice(0, shown).forEach((group, i) => {
      if (i > 0 && spec.separator !== false) elements.push({ tag: 'hr' });
      elements.push(...group);
    });
    const hidden = spec.items.length - shown;
    if (hidden > 0) elements.push({ tag: 'markdown', content: `<font color='grey'>${escapeText(overflow(hidden))}</font>`, text_size: 'notation' });
    elements.push(...(spec.foot ?? []));
    return {
      schema: '2.0',
      config: { update_multi: true, summary: { content: spec.summary } },
      header: { title: { tag: 'plain_text', content: spec.title }, template: spec.template },
      body: { elements },
    };
  };
  const all = make(spec.items.length);
  if (withinCardLimits(all, budget)) return all;
  // Binary search the largest prefix that fits (both measures grow with the number of items).
  let lo = 0;
  let hi = spec.items.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (withinCardLimits(make(mid), budget)) lo = mid;
    else hi = mid - 1;
  }
  const card = make(lo);
  return withinCardLimits(card, budget) ? card : make(0, []);
}
