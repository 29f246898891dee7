import type { LarkCard } from './contracts.js';
import { unescapeText } from './escape.js';

/**
 * Renders a Feishu card (JSON 1.0 `elements` or 2.0 `body.elements`) as readable terminal text, for
 * the local chat. Understands the components the bot and the reminders use (markdown, div, note,
 * hr, button, action, column_set, collapsible_panel); others are skipped. Folded panels are shown
 * expanded and indented. Buttons appear where they are, as `[👍 有用]` (buttons side by side share a
 * line); `<at id=ou_x>name</at>` mentions show as `@name`, `<at id=ou_x></at>` as `@ou_x`. Never throws on unknown shapes.
 */
export function renderCardText(card: LarkCard): string {
  const out: string[] = [];
  const header = card.header as { title?: { content?: string } } | undefined;
  if (header?.title?.content) out.push(`【${header.title.content}】`);
  const body = card.body as { elements?: unknown[] } | undefined;
  const elements = (body?.elements ?? (card.elements as unknown[] | undefined) ?? []) as unknown[];
  const buttons: string[] = [];
  walk(elements, out, buttons, '');
  flushButtons(out, buttons, '');
  return out.join('\n');
}

function mdToText(md: string): string {
  const text = md
    .replace(/<font[^>]*>/g, '')
    .replace(/<\/font>/g, '')
    .replace(/<at id=["']?([^"'>\s]+)["']?[^>]*>\s*<\/at>/g, '@$1')
    .replace(/<at [^>]*>([^<]*)<\/at>/g, '@$1')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/~~([^~]+)~~/g, '$1');
  return unescapeText(text);
}

function textOf(t: unknown): string {
  if (typeof t === 'string') return t;
  const o = t as { content?: string; text?: string } | undefined;
  return o?.content ?? o?.text ?? '';
}

function flushButtons(out: string[], buttons: string[], indent: string): void {
  if (buttons.length > 0) out.push(indent + buttons.map((b) => `[${b}]`).join(' '));
  buttons.length = 0;
}

function walk(elements: unknown[], out: string[], buttons: string[], indent: string): void {
  const add = (s: string) => {
    flushButtons(out, buttons, indent);
    if (!s.trim()) return;
    for (const line of s.split('\n')) out.push(indent + line);
  };
  for (const raw of elements) {
    const el = raw as Record<string, unknown>;
    switch (el.tag) {
      case 'markdown':
      case 'lark_md':
      case 'plain_text':
        add(mdToText(textOf(el.content ?? el.text)));
        break;
      case 'div': {
        add(mdToText(textOf(el.text)));
        for (const f of (el.fields as Array<{ text?: unknown }> | undefined) ?? []) add(mdToText(textOf(f.text)));
        break;
      }
      case 'note':
        add(((el.elements as unknown[] | undefined) ?? []).map((e) => mdToText(textOf((e as { content?: string }).content ?? e))).join(' '));
        break;
      case 'hr':
        flushButtons(out, buttons, indent);
        out.push(`${indent}────────`);
        break;
      case 'button':
        buttons.push(textOf(el.text));
        break;
      case 'action':
        walk((el.actions as unknown[] | undefined) ?? [], out, buttons, indent);
        break;
      case 'column_set':
        for (const col of (el.columns as Array<{ elements?: unknown[] }> | undefined) ?? []) walk(col.elements ?? [], out, buttons, indent);
        break;
      case 'collapsible_panel': {
        const h = el.header as { title?: unknown } | undefined;
        add(`▸ ${mdToText(textOf(h?.title))}`);
        walk((el.elements as unknown[] | undefined) ?? [], out, buttons, `${indent}  `);
        break;
      }
      case 'form':
      case 'interactive_container':
        walk((el.elements as unknown[] | undefined) ?? [], out, buttons, indent);
        break;
      default:
        break;
    }
  }
}
