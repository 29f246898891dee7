/**
 * The one place where text that is not ours (questions, document text, LLM output, command
 * arguments, checklist titles) becomes Feishu card markdown. {@link escapeText} turns every
 * character that card markdown or its HTML subset would interpret into an HTML character reference,
 * so the text is shown as typed: no `<at id=all>`, `<font>`, `<link>`, markdown links or images,
 * emphasis, headings, lists, code or auto-linked URLs, and entities typed by the user (`&lt;`) stay literal.
 *
 * Card markdown (JSON 2.0 rich text) accepts HTML character references for special characters
 * (https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-components/content-components/rich-text,
 * "特殊字符转义"). Our own formatting (bold titles, `[n]` citation markers, `<at>` of configured
 * open_ids, grey notes) is added around or after the escaped text, never inside it.
 */

/** Characters that start markdown or HTML syntax anywhere in a line. */
const ALWAYS: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '*': '&#42;',
  _: '&#95;',
  '~': '&#126;',
  '`': '&#96;',
  '[': '&#91;',
  ']': '&#93;',
  '(': '&#40;',
  ')': '&#41;',
  '#': '&#35;',
  '!': '&#33;',
  $: '&#36;',
  '|': '&#124;',
  '\\': '&#92;',
  '{': '&#123;',
  '}': '&#125;',
  ':': '&#58;',
  '"': '&quot;',
  "'": '&#39;',
};
const ALWAYS_RE = /[&<>*_~`[\]()#!$|\\{}:"']/g;

/**
 * Escapes text for Feishu card markdown so that it renders literally (see the module doc).
 * Line breaks are kept. Also breaks list markers at line start (`- `, `+ `, `1. `) and bare
 * domains (`evil.example`, `www.x.cn`) that the client would auto-link. Pure and total: never throws.
 * `unescapeText(escapeText(s)) === s` for every string `s`.
 */
export function escapeText(text: string): string {
  return text
    .replace(ALWAYS_RE, (c) => ALWAYS[c])
    .replace(/^(\s*)([-+])/gm, (_m, sp: string, c: string) => `${sp}&#${c.charCodeAt(0)};`)
    .replace(/^(\s*\d+)\./gm, '$1&#46;')
    .replace(/([A-Za-z0-9])\.(?=[A-Za-z])/g, '$1&#46;')
    .replace(/@/g, '&#64;');
}

/**
 * Escapes answer or summary text (LLM output or extracted document text) like {@link escapeText},
 * then re-applies the formatting the answer layer is allowed to use: `**bold**` within one line
 * and `[n]` citation markers (1–3 digits). Nothing else becomes live.
 */
export function escapeAnswerText(text: string): string {
  return escapeText(text)
    .replace(/&#91;(\d{1,3})&#93;/g, '[$1]')
    .replace(/&#42;&#42;((?:(?!&#42;&#42;)[^\n])+?)&#42;&#42;/g, '**$1**');
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', nbsp: ' ' };

/**
 * Decodes the character references {@link escapeText} produces (and `&nbsp;`), for showing card
 * markdown as plain text (the local terminal chat). Unknown references are left as they are.
 */
export function unescapeText(text: string): string {
  return text.replace(/&(#\d{1,6}|#x[0-9a-fA-F]{1,6}|[a-z]+);/g, (m, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number(ref.slice(1)));
    return NAMED[ref] ?? m;
  });
}
