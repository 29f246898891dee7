import type { DocFormat } from '../../types.js';
import { endsSentence, normalizeLine } from '../normalize.js';
import { Traced } from '../traced.js';
import { TreeBuilder, isMetadataLine, isSection, type ContentBlock, type DocTree } from '../tree.js';
import { ARTICLE_RANK, DISTRIBUTION_LINE, DOC_NUMBER, dateLine, matchAnnex, matchMarker, type Marker } from './markers.js';

/**
 * The official-document parser: turns a stream of headings, lines, lists and tables (from plain text,
 * Markdown, HTML, .docx or PDF) into a document tree with the structure of a 条例/办法 (编/章/节/条),
 * a 方案/通知 outline (一、 （一） 1. （1）), annexes (附件), the title and 发文字号 at the top and the
 * issuer and date (落款) at the end.
 */

/** One unit of a reader's output before structure is recognised. */
export type StreamBlock =
  | { kind: 'heading'; level: number; text: Traced }
  | { kind: 'line'; text: Traced }
  | { kind: 'list'; items: Traced[] }
  | { kind: 'table'; caption?: Traced; header: Traced[]; rows: Traced[][] };

/** Ranks of explicit headings (Markdown `#`, HTML h1-h6) are their level; a 附件 closes everything. */
const ANNEX_RANK = 0;
/** A heading-only line is at most this long (measured: headings of GB/T 9704 documents stay under 40 characters). */
const MAX_HEADING = 40;
/** An item of a list announced by “：” stays under this length; a longer one is an outline paragraph. */
const MAX_LIST_ITEM = 150;

const isBare = (t: string) => t.length <= 60 && !/[。！？；，：:;,!?]/.test(t);

/**
 * Splits text after a marker into its heading and whether the line is a heading only:
 * `总体要求` → heading only; `加强组织建设。各支部要…` → heading 加强组织建设 opening a paragraph.
 */
function headingOf(rest: string): { heading: string; only: boolean } {
  const t = rest.replace(/[：:]$/, '').trim();
  if (!/[。！？；]/.test(t) && t.length <= MAX_HEADING) return { heading: t, only: true };
  const first = /^[^。！？；]+[。！？；]/.exec(t)?.[0] ?? t;
  const sentence = first.replace(/[。！？；]$/, '');
  // a sentence of several clauses (“各支部每月开展1次主题党日，经费列入年度预算。”) states something: it is the item's
  // text, headed by its first clause; only a one-clause sentence (“加强组织建设。”) is a heading alone
  const clauses = /[，,：:]/.test(sentence);
  const only = first.length === t.length && !clauses;
  if (sentence.length <= MAX_HEADING && !clauses) return { heading: sentence, only };
  const clause = /^[^，：；,]+/.exec(sentence)![0];
  return { heading: clause.length <= MAX_HEADING ? clause : `${clause.slice(0, 20)}…`, only: false };
}

/** A sentence of several clauses closed by sentence punctuation (“2027年7月1日前，各单位完成颁发。”): text, not a title. */
function statesSomething(rest: string): boolean {
  const t = rest.trim();
  return /[。！？；]$/.test(t) && !headingOf(t).only;
}

/** Splits the lines of a plain-text or Markdown document into stream blocks (tables and bullet lists grouped). */
export function textToStream(text: string): StreamBlock[] {
  const out: StreamBlock[] = [];
  let pos = 0;
  let table: { header: Traced[]; rows: Traced[][]; markdown: boolean } | undefined;
  let list: Traced[] | undefined;
  const flushTable = () => {
    if (table && (table.rows.length || table.header.length)) out.push({ kind: 'table', header: table.header, rows: table.rows });
    table = undefined;
  };
  const flushList = () => {
    if (list?.length) out.push({ kind: 'list', items: list });
    list = undefined;
  };
  const rawLines = text.split('\n');
  const piped = barePipeRows(rawLines);
  const spaced = spacedRows(rawLines);
  for (const [k, raw] of rawLines.entries()) {
    const base = pos;
    pos += raw.length + 1;
    const line = Traced.of(raw, base);
    // table rows: Markdown `| a | b |` (the `|---|` rule ends the header), tab-separated cells, a run of rows
    // with inner pipes only (`月工资收入 | 交纳比例`), or a run of rows aligned with white space
    const md = /^\s*\|.*\|\s*$/.test(raw);
    if (md || /\S\t+\S/.test(raw) || piped.has(k) || spaced.has(k)) {
      flushList();
      const cells = splitCells(line, md, piped.has(k) ? '|' : spaced.has(k) ? SPACED_GAP : undefined);
      if (md && cells.every((c) => /^:?-{2,}:?$/.test(c.text))) {
        if (table && !table.header.length && table.rows.length === 1) table.header = table.rows.pop()!;
        continue;
      }
      if (table && table.markdown !== md) flushTable();
      table ??= { header: [], rows: [], markdown: md };
      table.rows.push(cells);
      continue;
    }
    if (table) {
      takeHeader(table);
      flushTable();
    }
    const norm = normalizeLine(line);
    if (!norm.length) continue;
    const bullet = /^[-*+•·●▪]\s+|^[•●▪]/.exec(norm.text);
    if (bullet && !/^\*\*/.test(norm.text)) {
      (list ??= []).push(stripBold(norm.slice(bullet[0].length)));
      continue;
    }
    flushList();
    // (normalizeLine drops the space before a full-width bracket: “### （一）科学布局” arrives as “###（一）科学布局”)
    const heading = /^(#{1,6})(?:\s+|(?=[（(【「“《]))/.exec(norm.text);
    if (heading) out.push({ kind: 'heading', level: heading[1]!.length, text: stripBold(norm.slice(heading[0].length)) });
    else out.push({ kind: 'line', text: stripBold(norm) });
  }
  if (table) takeHeader(table);
  flushTable();
  flushList();
  return out;
}

/** An item number opening a row's first cell: “1.”, “2、”, “（3）”, or a bare serial number “4”. */
const ROW_NUMBER = /^(?:[0-9]{1,3}(?:[.．、]|$)|[（(][0-9]{1,3}[）)])/;

/**
 * A tab or space-aligned table has its header in its first row (序号  任务内容  责任单位), unless that row is numbered
 * like the rows after it: a 名单 typed as “1. 方晓岚  湄源镇芦湾村党支部书记” has no header, and its first person is a
 * row, not the columns' names.
 */
function takeHeader(table: { header: Traced[]; rows: Traced[][]; markdown: boolean }): void {
  if (table.markdown || table.header.length || table.rows.length < 2) return;
  const numbered = table.rows.slice(0, 2).every((r) => ROW_NUMBER.test(r[0]?.text.trim() ?? ''));
  if (!numbered) table.header = table.rows.shift()!;
}

function stripBold(t: Traced): Traced {
  return t.replace(/\*\*|__/g, '').trim();
}

/**
 * The lines of `lines` that are rows of a table written with inner pipes only (“3000元以下 | 0.5%”): runs of three or
 * more consecutive lines with the same number of “|” (one or more), none opening or closing with one.
 */
function barePipeRows(lines: string[]): Set<number> {
  return runsOfRows(lines.map((l) => (/^\s*\||\|\s*$/.test(l) ? 0 : (l.match(/\|/g) ?? []).length)));
}

/** The indices of runs of three or more consecutive lines with the same positive count (0: not a row). */
function runsOfRows(count: number[]): Set<number> {
  const rows = new Set<number>();
  for (let i = 0; i < count.length; ) {
    let j = i;
    while (j < count.length && count[j]! > 0 && count[j] === count[i]) j++;
    if (j - i >= 3) for (let k = i; k < j; k++) rows.add(k);
    i = Math.max(j, i + 1);
  }
  return rows;
}

/** Cells of a plain-text table set apart by white space: two or more spaces, a full-width space or a tab. */
const SPACED_GAP = / {2,}|\u3000+|\t+/g;

/**
 * The lines of `lines` that are rows of a table aligned with white space (a 一览表 typed in a text editor:
 * “序号  任务内容      责任单位    完成时限”): runs of three or more consecutive lines that each split into the same
 * number (two or more) of cells at `SPACED_GAP`, leading indentation aside.
 */
function spacedRows(lines: string[]): Set<number> {
  return runsOfRows(
    lines.map((l) => {
      const t = l.replace(/^[\s\u3000]+|[\s\u3000]+$/g, '');
      const cells = t ? t.split(SPACED_GAP).length : 0;
      return cells >= 2 ? cells : 0;
    }),
  );
}

function splitCells(line: Traced, markdown: boolean, separator?: string | RegExp): Traced[] {
  const cells: Traced[] = [];
  const sep = separator ?? (markdown ? '|' : '\t');
  const s = line.text;
  if (sep instanceof RegExp) {
    let from = 0;
    for (const m of s.matchAll(sep)) {
      cells.push(normalizeLine(line.slice(from, m.index!)));
      from = m.index! + m[0].length;
    }
    cells.push(normalizeLine(line.slice(from)));
    return cells.filter((c) => c.length);
  }
  let from = 0;
  for (let i = 0; i <= s.length; i++) {
    if (i < s.length && s[i] !== sep) continue;
    cells.push(normalizeLine(line.slice(from, i)));
    from = i + 1;
  }
  if (markdown) {
    // drop the empty cells outside the first and the last pipe
    if (cells[0]?.length === 0) cells.shift();
    if (cells.at(-1)?.length === 0) cells.pop();
  }
  return markdown ? cells : cells.filter((c) => c.length);
}

/** Options of `buildOfficialTree`. */
export interface OfficialOptions {
  /** File name without extension (section ids). */
  stem: string;
  format: DocFormat;
  /** The text every offset of the stream points into. */
  text: string;
  /** Title known from outside the stream (HTML `<title>`, Readability), used when the stream has none. */
  title?: string;
  /**
   * Whether lines may be hard-wrapped paragraphs to rejoin (plain text, PDF text layers; the default). HTML and
   * .docx paragraphs are real paragraphs: `false`.
   */
  wrapped?: boolean;
}

/** Builds the document tree of an official document from its stream (see the module comment). */
export function buildOfficialTree(stream: StreamBlock[], opt: OfficialOptions): DocTree {
  const blocks = [...stream];
  const front = readFront(blocks, opt.title);
  markContents(blocks);
  if (opt.wrapped !== false) joinWrappedLines(blocks);
  const title = front.title ?? opt.title;
  const tail = readSignature(blocks);
  const b = new TreeBuilder(opt.stem, title ?? opt.stem);
  let afterSignature = false;

  const lastNode = () => b.current.nodes.at(-1);
  const insideArticle = () => b.current.info.role === 'article';

  for (let i = 0; i < blocks.length; i++) {
    const blk = blocks[i]!;
    if (i === tail?.at) afterSignature = true;
    if (tail && i >= tail.at && i < tail.at + tail.length) continue;
    if (blk.kind === 'table') {
      let caption = blk.caption?.text;
      const prev = lastNode();
      if (!caption && prev && !isSection(prev) && prev.kind === 'paragraph' && isCaption(prev.text.text)) {
        caption = prev.text.text;
        b.current.nodes.pop();
      }
      // “表1各乡镇…” (print spacing removed by normalizeLine) is shown as “表1 各乡镇…”
      caption = caption?.replace(/^(附?表\s*[0-9一二三四五六七八九十]+)\s*(?=[^\s0-9])/, '$1 ');
      b.add({ kind: 'table', ...(caption ? { caption } : {}), header: blk.header.map((h) => h.text), rows: blk.rows });
      continue;
    }
    if (blk.kind === 'list') {
      addList(b, blk.items, true);
      continue;
    }
    const t = blk.text.text;
    const annex = matchAnnex(t);
    // “附件：1. 测评表” with “2. 提纲”, “3. 清单” on the next lines: the list of annexes, not outline headings
    const first = annex && !afterSignature ? matchMarker(annex.title) : undefined;
    if (annex && first?.listable && first.number.replace(/\D/g, '') === '1') {
      const at = t.indexOf(annex.title);
      const items = [blk.text.slice(at), ...followingItems(blocks, i, first.rank)];
      i += items.length - 1;
      b.add({ kind: 'paragraph', text: blk.text.slice(0, at) });
      addList(b, items, false);
      continue;
    }
    if (annex && (annex.title === '' || afterSignature || blk.kind === 'heading')) {
      // “附件2” alone, its title on the next line; “附件：…” before the signature is a note in the body
      let heading = annex.title;
      const next = blocks[i + 1];
      if (!heading && next && next.kind !== 'table' && next.kind !== 'list' && isBare(next.text.text) && !matchMarker(next.text.text)) {
        heading = next.text.text;
        i++;
      }
      b.open(ANNEX_RANK, { role: 'annex', heading, number: annex.number, label: heading ? `${annex.number} ${heading}` : annex.number, at: blk.text.span() });
      continue;
    }
    const marker = matchMarker(t);
    if (blk.kind === 'heading') {
      // a heading style is a hint: a styled outline item of several clauses ending in 。 (Word users style whole
      // numbered items as Heading 2) states something, so it is read as the marked line it is, text and all
      if (marker) openMarked(b, marker, blk.text, !(marker.role === 'outline' && statesSomething(t.slice(marker.printed.length))));
      else b.open(blk.level, { role: 'headline', heading: t, label: t, at: blk.text.span() });
      continue;
    }
    if (!marker) {
      // a question answered by the next line (问三：每个村要储备多少人？ / 答：…), as a 政策解读 or 问答 prints them, heads
      // the part its answer is: a section under whatever outline part holds it
      const next = blocks[i + 1];
      if (QA_QUESTION.test(t) && next?.kind === 'line' && QA_ANSWER.test(next.text.text.trim())) {
        b.open(QA_RANK, { role: 'headline', heading: t, label: t, at: blk.text.span() });
        continue;
      }
      b.add({ kind: 'paragraph', text: blk.text });
      continue;
    }
    // inside an article, its 款/项 (（一）, 1.) are the article's text
    if (insideArticle() && marker.rank > ARTICLE_RANK) {
      b.add({ kind: 'paragraph', text: blk.text });
      continue;
    }
    // 1. / （1） items after a sentence ending in “：” form a list with that sentence as its lead
    if (marker.listable && t.length <= MAX_LIST_ITEM) {
      const prev = lastNode();
      if (prev && !isSection(prev) && prev.kind === 'paragraph' && /[：:]$/.test(prev.text.text)) {
        const items = [blk.text, ...followingItems(blocks, i, marker.rank)];
        i += items.length - 1;
        addList(b, items, false);
        continue;
      }
      const names = bodilessRun(blocks, i, marker, tail?.at);
      if (names) {
        i += names.length - 1;
        addList(b, names, false);
        continue;
      }
    }
    openMarked(b, marker, blk.text, false);
  }
  const root = b.finish(opt.text.length);
  return {
    format: opt.format,
    text: opt.text,
    ...(title ? { title } : {}),
    ...(tail?.issuer ? { issuer: tail.issuer } : front.issuer ? { issuer: front.issuer } : {}),
    ...(tail?.date ? { date: tail.date } : front.date ? { date: front.date } : {}),
    ...(front.docNumber ? { docNumber: front.docNumber } : {}),
    root,
  };
}

/**
 * A question of a 政策解读 or 问答 on a line of its own (问一：…？, 问3：…？, 问：…？, 一问：…？), as 组织部 解读 and 答记者问
 * print them; it heads a part only when the next line answers it (`QA_ANSWER`).
 */
const QA_QUESTION = /^(?:问[一二三四五六七八九十\d]{0,3}|[一二三四五六七八九十]{1,3}问)[：:、.．]\s*\S.{1,60}[？?]$/;
/** The answer to a `QA_QUESTION`: a line opening with 答：. */
const QA_ANSWER = /^答[：:]/;
/** Rank of a `QA_QUESTION` part: below every outline marker (① is 18), so it nests in the outline part that holds it. */
const QA_RANK = 19;

/** A table of contents' opening line: 目录, 本期目录, 目 录. */
const CONTENTS = /^(?:本期|本刊)?目\s*录[：:]?$/;
/** A bullet before a contents entry (◎全县组织工作会议召开, · 标题, — 标题). */
const ENTRY_BULLET = /^[◎●○■□◆◇·•\-—*]+\s*/;
/** A line drawn with one repeated character (------, ======, ******): a visual rule, no text. */
const RULE_LINE = /^([-=_*~—－＝·.\u2500-\u257f])\1{5,}$/;

/**
 * A bulletin's table of contents (本期目录 with ◎ entries) names the articles that follow: a later line that spells an
 * entry is a headline (a section), and the contents themselves are navigation, not text, so they are removed, as
 * are lines drawn with one repeated character and the 版记 lines at the end. A contents block needs two entries; a
 * text without one keeps its lines.
 */
function markContents(blocks: StreamBlock[]): void {
  const lineText = (b: StreamBlock | undefined) => (b && b.kind === 'line' ? b.text.text.trim() : undefined);
  for (let i = blocks.length - 1; i >= 0; i--) if (RULE_LINE.test(lineText(blocks[i])?.replace(/\s+/g, '') ?? '')) blocks.splice(i, 1);
  // the 版记 at the end (报：…, 送：…, 发：…, （共印60份）) addresses the copies; it is no part of the last section's text
  while (blocks.length && DISTRIBUTION_LINE.test(lineText(blocks.at(-1)) ?? '')) blocks.pop();
  const at = blocks.findIndex((b) => CONTENTS.test(lineText(b)?.replace(/\s+/g, '') ?? ''));
  if (at < 0) return;
  const entries: string[] = [];
  let end = at + 1;
  for (; end < blocks.length; end++) {
    const t = lineText(blocks[end]);
    if (t === undefined || !ENTRY_BULLET.test(t)) break;
    entries.push(t.replace(ENTRY_BULLET, '').replace(/\s+/g, ''));
  }
  if (entries.length < 2) return;
  blocks.splice(at, end - at);
  for (let i = at; i < blocks.length; i++) {
    const b = blocks[i]!;
    if (b.kind === 'line' && entries.includes(b.text.text.replace(/\s+/g, ''))) blocks[i] = { kind: 'heading', level: 1, text: b.text };
  }
}

/**
 * Rejoins lines of a hard-wrapped text (a .txt saved with line breaks inside paragraphs): a line of at
 * least `MIN_WRAPPED` characters that ends neither a sentence nor with “：” continues into the next
 * line, unless that one opens a structure marker, an annex or is a date. Headings (第X章, 第X节, an
 * outline marker before a phrase without punctuation) are never continued.
 */
function joinWrappedLines(blocks: StreamBlock[]): void {
  const lines = blocks.flatMap((b) => (b.kind === 'line' ? [b.text.text] : []));
  const width = wrapWidth(lines);
  // a line well short of the text's width (the wrap width, else the length of its long lines) ends its paragraph:
  // “时间：2026年11月20日”, a signature, a heading left without punctuation
  const long = lines.map((l) => l.length).filter((n) => n >= MIN_WRAPPED).sort((a, b) => a - b);
  const typical = width ?? long[Math.floor(long.length * 0.9)] ?? MIN_WRAPPED;
  const minWrapped = Math.max(MIN_WRAPPED, Math.floor(0.8 * typical));
  for (let i = 0; i + 1 < blocks.length; i++) {
    const a = blocks[i]!;
    const b = blocks[i + 1]!;
    if (a.kind !== 'line' || b.kind !== 'line') continue;
    const t = a.text.text;
    const m = matchMarker(t);
    // an outline item without punctuation is a heading (（一）强化经费保障), unless it fills the file's wrap width:
    // then it is the first line of a long item cut by the wrap
    const heading = m && (m.role === 'chapter' || m.role === 'section' || (m.role === 'outline' && isBare(t.slice(m.printed.length)) && t.length !== width));
    if (t.length < minWrapped || endsSentence(t) || /[：:]$/.test(t) || heading || isMetadataLine(t) || FIELD_LINE.test(t)) continue;
    const n = b.text.text;
    if (matchMarker(n) || matchAnnex(n) || dateLine(n) || DOC_NUMBER.test(n) || isMetadataLine(n) || FIELD_LINE.test(n)) continue;
    blocks.splice(i, 2, { kind: 'line', text: a.text.concat(b.text) });
    i--;
  }
}

/**
 * The width a hard-wrapped text was cut at: the line length (in characters) shared by at least a third of the
 * lines of `MIN_WRAPPED` characters or more, and by at least 3 of them; undefined for a text not wrapped at a fixed
 * width (one paragraph a line). Source: .txt files saved from editors and mail clients that wrap at N characters
 * (eval/fictional-3's 工作要点, wrapped at 35).
 */
export function wrapWidth(lines: string[]): number | undefined {
  const long = lines.filter((l) => l.length >= MIN_WRAPPED);
  const counts = new Map<number, number>();
  for (const l of long) counts.set(l.length, (counts.get(l.length) ?? 0) + 1);
  const [width, n] = [...counts].sort((x, y) => y[1] - x[1])[0] ?? [0, 0];
  return n >= 3 && n >= long.length / 3 ? width : undefined;
}

/**
 * A field line of a record's head (会议纪要, 登记表): a label of 2–4 characters, “：” and its value (时间：…, 地点：…,
 * 主持：…, 参加：…). It is a line of its own, never a wrapped part of a paragraph.
 */
const FIELD_LINE = /^[\u4e00-\u9fff]{2,4}[：:](?!$)/;

/** Shortest line taken as wrapped (shorter bare lines are headings or signatures). */
const MIN_WRAPPED = 20;

/** A line that names the table below it: “表1 各乡镇发展党员情况”, “附表 …”, or a short bare line. */
function isCaption(t: string): boolean {
  return /^附?表\s*[0-9一二三四五六七八九十]/.test(t) || (isBare(t) && t.length <= MAX_HEADING && !matchMarker(t));
}

/** Adds a list; its lead is the paragraph just before it when that ends in “：” (or, for an explicit list, is one short sentence). */
/** The lines after `blocks[i]` that continue its list: same marker rank, short enough to be items. */
function followingItems(blocks: StreamBlock[], i: number, rank: number): Traced[] {
  const items: Traced[] = [];
  for (let k = i + 1; blocks[k]?.kind === 'line'; k++) {
    const nt = (blocks[k] as { text: Traced }).text;
    const nm = matchMarker(nt.text);
    if (!nm || nm.rank !== rank || nt.length > MAX_LIST_ITEM) break;
    items.push(nt);
  }
  return items;
}

/**
 * Numbered lines that would be headings but head nothing: two or more same-rank lines, each a bare name
 * (“1. 中共某村委员会”), with no text between them and none after the last before a higher-level heading, a table,
 * the 落款 or the end. A heading without a body is not a section; such a run is a list (a 名单, the entries of a
 * 一览). Returns the items, or undefined when the lines head text of their own.
 */
function bodilessRun(blocks: StreamBlock[], i: number, marker: Marker, end: number | undefined): Traced[] | undefined {
  const items = [(blocks[i] as { text: Traced }).text, ...followingItems(blocks, i, marker.rank)];
  if (items.length < 2) return undefined;
  if (!items.every((it) => headingOf(it.slice(matchMarker(it.text)!.printed.length).text).only)) return undefined;
  const k = i + items.length;
  const next = blocks[k];
  if (!next || k === end || next.kind === 'table' || next.kind === 'heading') return items;
  if (next.kind !== 'line') return undefined;
  const nm = matchMarker(next.text.text);
  return nm && nm.rank < marker.rank ? items : matchAnnex(next.text.text) ? items : undefined;
}

function addList(b: TreeBuilder, items: Traced[], explicit: boolean): void {
  const prev = b.current.nodes.at(-1);
  let lead: Traced | undefined;
  if (prev && !isSection(prev) && prev.kind === 'paragraph') {
    const t = prev.text.text;
    if (/[：:]$/.test(t) || (explicit && t.length <= 60 && !/[。！？；].+/.test(t))) {
      lead = prev.text;
      b.current.nodes.pop();
    }
  }
  const block: ContentBlock = { kind: 'list', ...(lead ? { lead } : {}), items };
  b.add(block);
}

function openMarked(b: TreeBuilder, marker: Marker, line: Traced, isHeading: boolean): void {
  const rest = line.slice(marker.printed.length).trim();
  if (marker.role === 'article') {
    const bracket = /^[【[]([^】\]]{1,20})[】\]]/.exec(rest.text);
    b.open(marker.rank, { role: 'article', heading: bracket?.[1] ?? '', number: marker.number, label: marker.number, at: line.span(0, marker.printed.length) });
    if (!isHeading && rest.length) b.add({ kind: 'paragraph', text: line });
    return;
  }
  if (marker.role === 'chapter' || marker.role === 'section' || isHeading) {
    const heading = rest.text.replace(/[：:。；]$/, '');
    b.open(marker.rank, { role: marker.role, heading, number: marker.number, label: sep(marker, heading), at: line.span() });
    return;
  }
  const h = headingOf(rest.text);
  b.open(marker.rank, { role: 'outline', heading: h.heading, number: marker.number, label: sep(marker, h.heading), at: line.span(0, marker.printed.length + h.heading.length) });
  if (!h.only) b.add({ kind: 'paragraph', text: line });
}

/** “第一章 总则”, “一、总体要求”, “（一）加强组织建设”, “1.建立台账”. */
function sep(marker: Marker, heading: string): string {
  const printed = marker.printed.trim();
  if (!heading) return marker.number;
  return /^第/.test(printed) ? `${printed} ${heading}` : `${printed}${heading}`;
}

/**
 * Reads and removes the front matter: a 红头 line (“…文件”), the 发文字号 and the title (up to three
 * bare lines at the top, or the first explicit heading). When the reader already knows the title (`known`: an
 * HTML page's <h1>), only lines spelling it are taken as the title. A short line with a date under the title (a
 * byline “某某县委组织部编 2026年11月26日”) gives the document's date and, when it names one, its issuer, and is removed.
 */
function readFront(blocks: StreamBlock[], known?: string): { title?: string; docNumber?: string; date?: string; issuer?: string } {
  let title: string | undefined;
  let docNumber: string | undefined;
  let date: string | undefined;
  const textOf = (blk: StreamBlock | undefined) => (blk && (blk.kind === 'line' || blk.kind === 'heading') ? blk.text.text : undefined);
  const bare = (x: string) => x.replace(/[\s\u3000]+/g, '');
  for (;;) {
    const t = textOf(blocks[0]);
    if (t === undefined) break;
    if (DOC_NUMBER.test(t.replace(/\s+/g, ''))) {
      docNumber = t.replace(/\s+/g, '');
      blocks.shift();
      continue;
    }
    if (!title && /文件$/.test(t) && isBare(t) && textOf(blocks[1]) !== undefined) {
      blocks.shift();
      continue;
    }
    if (known && !bare(known).includes(bare(t))) {
      const dated = t.length <= 40 ? /(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)/.exec(t)?.[1] : undefined;
      if (dated && !date && dateLine(dated.replace(/\s+/g, ''))) {
        date = dateLine(dated.replace(/\s+/g, ''));
        blocks.shift();
        continue;
      }
      break;
    }
    if (title) break;
    if (blocks[0]!.kind === 'heading' && !matchMarker(t)) {
      title = t;
      blocks.shift();
      continue;
    }
    const lines: string[] = [];
    while (lines.length < 3) {
      const l = textOf(blocks[0]);
      // (a line holding a full date is a byline under the title, “某县委组织部编　2027年3月8日”, not part of it)
      if (l === undefined || blocks[0]!.kind !== 'line' || !isBare(l) || matchMarker(l) || matchAnnex(l) || DOC_NUMBER.test(l.replace(/\s+/g, '')) || dateLine(l) || (lines.length > 0 && /\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日/.test(l))) break;
      lines.push(l);
      blocks.shift();
    }
    if (!lines.length) break;
    title = lines.join('');
  }
  // a byline under the title (“岚溪县委组织部　2026年7月1日”, “发布单位：某县委组织部 发布时间：2026年8月15日”; a
  // note in brackets may stand between): the document's issuer and date, when it has no 落款 (see buildOfficialTree)
  let issuer: string | undefined;
  if (title && !date) {
    for (let k = 0; k < 3 && k < blocks.length; k++) {
      const t = textOf(blocks[k]);
      if (t === undefined || blocks[k]!.kind !== 'line') break;
      if (/^[（(].*[）)]$/.test(t.trim())) continue;
      // (a 会议纪要's field lines, 时间：…/地点：…, are the meeting's, not the document's)
      if (/^(?:时间|日期|地点|主持|参加|出席|列席|记录)[：:]/.test(t.trim())) break;
      const m = t.length <= 50 ? /(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)/.exec(t) : null;
      if (!m || !dateLine(m[1]!.replace(/\s+/g, ''))) break;
      // a sentence with a date in it (各乡镇党委要在2027年3月15日前，将……公示。) is the body, not a byline
      if (/[。；，,;！？]/.test(t.replace(m[0], ''))) break;
      const who = t
        .replace(m[0], ' ')
        .replace(/(?:发布单位|发文单位|来源|发布时间|发布日期)\s*[：:]/g, ' ')
        .replace(/编$|编(?=\s)/, '')
        .trim()
        .split(/\s+/)[0];
      date = dateLine(m[1]!.replace(/\s+/g, ''));
      if (who && /(?:委|部|办|局|厅|处|科|组|会|院|室|所|中心|支部|党委)$/.test(who) && who.length <= 20) issuer = who;
      blocks.splice(k, 1);
      break;
    }
  }
  // a copy that puts the title (or a note) first still has its 发文字号 on a line of its own near the top, before
  // the body (GB/T 9704-2012 places it under the 红头; a pasted or retyped notice moves it)
  if (!docNumber) {
    const at = blocks.slice(0, 4).findIndex((b) => b.kind === 'line' && DOC_NUMBER.test(b.text.text.replace(/\s+/g, '')));
    if (at >= 0) docNumber = textOf(blocks.splice(at, 1)[0])!.replace(/\s+/g, '');
  }
  return { ...(title ? { title } : {}), ...(docNumber ? { docNumber } : {}), ...(date ? { date } : {}), ...(issuer ? { issuer } : {}) };
}

/**
 * Finds the signature (落款): a line that is only a date, right after one or two short bare lines
 * naming the issuer, after the body. Returns its position in `blocks` (issuer lines included).
 */
function readSignature(blocks: StreamBlock[]): { at: number; length: number; issuer?: string; date: string } | undefined {
  let found: { at: number; length: number; issuer?: string; date: string } | undefined;
  for (let i = 1; i < blocks.length; i++) {
    const blk = blocks[i]!;
    if (blk.kind !== 'line') continue;
    const date = dateLine(blk.text.text);
    if (!date) continue;
    let k = i;
    const issuer: string[] = [];
    while (k > 1 && issuer.length < 2) {
      const prev = blocks[k - 1]!;
      if (prev.kind !== 'line' || !isBare(prev.text.text) || prev.text.length > 30 || matchMarker(prev.text.text) || matchAnnex(prev.text.text)) break;
      issuer.unshift(prev.text.text);
      k--;
    }
    if (found && issuer.length === 0) continue;
    found = { at: k, length: i - k + 1, ...(issuer.length ? { issuer: issuer.join(' ') } : {}), date };
    if (issuer.length) break;
  }
  return found && (found.issuer || endsSentence(textOfBlock(blocks[found.at - 1]) ?? '')) ? found : undefined;
}

function textOfBlock(b: StreamBlock | undefined): string | undefined {
  return b && (b.kind === 'line' || b.kind === 'heading') ? b.text.text : undefined;
}

/** Reads a plain-text or Markdown official document (decoded text) into its tree. */
export function readOfficialText(text: string, stem: string, format: DocFormat = 'official'): DocTree {
  return buildOfficialTree(textToStream(text), { stem, format, text });
}
