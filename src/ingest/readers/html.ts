import { Readability } from '@mozilla/readability';
import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { parseHTML } from 'linkedom';
import type { DocFormat } from '../../types.js';
import { normalizeLine } from '../normalize.js';
import { Traced } from '../traced.js';
import type { DocTree } from '../tree.js';
import { decodeText } from './encoding.js';
import { buildOfficialTree, type StreamBlock } from './official.js';
import { ReadError } from './read-error.js';
import { columnLabels, headerRowCount, layoutGrid } from './table-grid.js';

/** Elements that never hold the document's text (navigation, page chrome, scripts). */
const BOILERPLATE = 'script, style, noscript, nav, header, footer, aside, form, iframe, button, select, template';
const INLINE = new Set(['a', 'abbr', 'b', 'bdi', 'big', 'cite', 'code', 'em', 'font', 'i', 'ins', 'kbd', 'mark', 'q', 's', 'small', 'span', 'strong', 'sub', 'sup', 'u', 'var', 'time', 'label']);

/**
 * Collects the extracted text: every block is appended on its own line, so offsets of the tree point
 * into the concatenation (`DocTree.text` of an HTML or .docx document).
 */
class TextSink {
  private parts: string[] = [];
  private length = 0;

  /** Appends one line of text (white space collapsed) and returns it traced and normalised. */
  line(raw: string): Traced {
    const s = raw.replace(/[\s\u00a0]+/g, ' ').trim();
    const t = Traced.of(s, this.length);
    this.parts.push(s, '\n');
    this.length += s.length + 1;
    return normalizeLine(t);
  }

  get text(): string {
    return this.parts.join('');
  }
}

/**
 * Walks HTML (the main content from Readability, or mammoth's output for .docx) in reading order into
 * stream blocks: h1-h6 → headings, p and loose text → lines, ol/ul/li → lists (nested items flattened),
 * table → a table with its caption, its header (thead, a first row of th, or else the first row) and rows.
 */
export function htmlToStream(html: string): { stream: StreamBlock[]; text: string } {
  const $ = cheerio.load(html);
  $(BOILERPLATE).remove();
  const sink = new TextSink();
  const stream: StreamBlock[] = [];
  let inline = '';
  const flush = () => {
    const t = inline.trim();
    inline = '';
    if (!t) return;
    const tr = sink.line(t);
    if (tr.length) stream.push({ kind: 'line', text: tr });
  };
  const textOf = (el: AnyNode) => $(el).text();

  const listItems = (el: Element): string[] =>
    $(el)
      .children('li')
      .toArray()
      .flatMap((li) => {
        const own = $(li).clone();
        own.find('ul, ol').remove();
        const nested = $(li).children('ul, ol').toArray() as Element[];
        return [own.text(), ...nested.flatMap((n) => listItems(n))];
      });

  // An ordered list is shown with its numbers (Word's numbering, a browser's <ol>), which mammoth and the
  // DOM leave out: each item becomes a line with the number as printed at its depth (1. （1） ①), so the
  // official parser reads it as an outline level, or as a list after a sentence ending in “：”.
  const orderedList = (el: Element, depth: number) => {
    const start = Number($(el).attr('start') ?? 1) || 1;
    $(el)
      .children('li')
      .toArray()
      .forEach((li, k) => {
        const own = $(li).clone();
        own.find('ul, ol').remove();
        const n = start + k;
        const marker = depth === 0 ? `${n}.` : depth === 1 ? `（${n}）` : String.fromCharCode(0x2460 + Math.min(n, 20) - 1);
        const t = sink.line(`${marker}${own.text().trim()}`);
        if (t.length > marker.length) stream.push({ kind: 'line', text: t });
        for (const nested of $(li).children('ul, ol').toArray() as Element[]) {
          if (nested.tagName.toLowerCase() === 'ol') orderedList(nested, depth + 1);
          else {
            const items = listItems(nested).map((s) => sink.line(s)).filter((x) => x.length);
            if (items.length) stream.push({ kind: 'list', items });
          }
        }
      });
  };

  const table = (el: Element) => {
    const caption = $(el).children('caption').first().text().trim();
    // rows of this table only (a nested table is read as text of its cell)
    const rows = $(el).find('tr').toArray().filter((tr) => $(tr).closest('table')[0] === el);
    const span = (c: Element, name: string) => Number.parseInt($(c).attr(name) ?? '1', 10) || 1;
    // merged cells (rowspan/colspan, also Word's through mammoth) are laid out on the grid the reader sees: every
    // slot a cell covers holds its text, so a row keeps its 乡镇 and each column its own header
    const grid = layoutGrid(
      rows.map((tr) =>
        ($(tr).children('th, td').toArray() as Element[]).map((c) => ({ value: sink.line(textOf(c)), rowspan: span(c, 'rowspan'), colspan: span(c, 'colspan'), header: c.tagName === 'th' })),
      ),
    );
    const inHead = rows.filter((tr) => $(tr).parent().is('thead')).length;
    const anyTh = $(el).find('th').length > 0;
    // the header: thead, else the leading rows of th only, else (no th anywhere) the first row; every row marked as a
    // header (Word's “repeat as header row” on all rows) leaves the others as body rows
    let headerRows = inHead > 0 && inHead < rows.length ? inHead : headerRowCount(grid, anyTh ? 0 : 1);
    if (headerRows >= rows.length) headerRows = rows.length > 1 ? 1 : 0;
    const header = columnLabels(grid.slice(0, headerRows), (t) => t.text);
    const block: StreamBlock = {
      kind: 'table',
      ...(caption ? { caption: sink.line(caption) } : {}),
      header: header.map((h) => sink.line(h)),
      rows: grid
        .slice(headerRows)
        .map((r) => r.map((slot) => slot?.value ?? sink.line('')))
        .filter((r) => r.some((c) => c.length)),
    };
    stream.push(block);
  };

  const walk = (node: AnyNode) => {
    if (node.type === 'text') {
      inline += (node as unknown as { data: string }).data;
      return;
    }
    if (node.type !== 'tag' && node.type !== 'root') return;
    const el = node as Element;
    const tag = node.type === 'root' ? 'root' : el.tagName.toLowerCase();
    if (tag === 'br') {
      flush();
      return;
    }
    if (INLINE.has(tag)) {
      for (const c of el.children) walk(c);
      return;
    }
    flush();
    if (/^h[1-6]$/.test(tag)) {
      const t = sink.line(textOf(el));
      if (t.length) stream.push({ kind: 'heading', level: Number(tag[1]), text: t });
    } else if (tag === 'ol') {
      orderedList(el, 0);
    } else if (tag === 'ul') {
      const items = listItems(el)
        .map((s) => sink.line(s))
        .filter((t) => t.length);
      if (items.length) stream.push({ kind: 'list', items });
    } else if (tag === 'table') {
      table(el);
    } else if (tag === 'img' || tag === 'hr') {
      // no text
    } else {
      for (const c of el.children) walk(c);
      flush();
    }
  };
  walk($.root()[0]!);
  flush();
  return { stream, text: sink.text };
}

/**
 * Reads an HTML page: @mozilla/readability (over a linkedom DOM) picks the main content and the title;
 * when it finds no article (a short page), the body without navigation, header, footer and asides is
 * used. The content is then walked with cheerio (`htmlToStream`) and parsed like an official document.
 * @throws ReadError when the page has no text.
 */
export function readHtml(bytes: Buffer, stem: string): DocTree {
  const html = decodeText(bytes).text;
  const { document } = parseHTML(html);
  const pageTitle = document.querySelector('title')?.textContent?.trim();
  let content: string | undefined;
  let title: string | undefined;
  try {
    const article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0], { charThreshold: 200 }).parse();
    if (article?.content) {
      content = article.content;
      title = article.title?.trim() || undefined;
    }
  } catch {
    // Readability failed on this DOM: fall back to the body
  }
  if (!content) {
    const $ = cheerio.load(html);
    $(BOILERPLATE).remove();
    content = $('body').html() ?? html;
  }
  // the page's first <h1> outside navigation, header and footer (a site logo there is not the title);
  // Readability's title keeps the site name of <title> (“…_某某县人民政府网”)
  const page = cheerio.load(html);
  page(BOILERPLATE).remove();
  const h1 = page('h1').first().text().replace(/\s+/g, ' ').trim();
  const { stream, text } = htmlToStream(content);
  if (!stream.length) throw new ReadError('网页中没有正文文字（no text in the page）');
  return buildOfficialTree(stream, { stem, format: 'html', text, title: h1 || title || pageTitle, wrapped: false });
}

/** Reads HTML produced by another reader (mammoth for .docx) with the same tree rules. */
export function readHtmlContent(html: string, stem: string, format: DocFormat): DocTree {
  const { stream, text } = htmlToStream(html);
  return buildOfficialTree(stream, { stem, format, text, wrapped: false });
}
