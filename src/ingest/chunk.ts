import type { TableRowInfo } from '../types.js';
import type { SourceDoc } from './corpus.js';
import { articleNumber } from './numerals.js';
import { matchMarker } from './readers/markers.js';
import { splitSentences } from './sentences.js';
import { endsSentence } from './normalize.js';
import { Traced } from './traced.js';
import { isSection, type ContentBlock, type ListBlock, type SectionNode, type TableBlock } from './tree.js';

/** A retrievable unit cut from one section of a document's tree. */
export interface Chunk {
  /** `<source>#c<k>` (the file name with its extension), stable while the document does not change. */
  id: string;
  source: string;
  title: string;
  /** `sectionPath` joined by " > " ("" when none). */
  section: string;
  /** Heading path of the section holding the chunk, document title excluded, numbers kept. */
  sectionPath: string[];
  /** `SectionInfo.id` of the innermost section holding the chunk. */
  sectionId: string;
  /** `text`: running text; `article`: one 第X条; `table-row`: one row with caption and header; `list`: a list with its lead. */
  unit: 'text' | 'article' | 'table-row' | 'list';
  text: string;
  /** Offsets of the first and after the last character in the document's text (UTF-16 units). */
  start: number;
  end: number;
  /** For `unit: 'article'`: the article number in Chinese numerals (第十八条). */
  article?: string;
  table?: TableRowInfo;
  /** For `unit: 'list'`: the items of this chunk without their markers. */
  items?: string[];
}

/** Chunking parameters, in characters (Chinese: one character ≈ one token for BM25 purposes). */
export interface ChunkOptions {
  /** Stop adding sentences once a chunk reaches this size. Default 300. */
  target: number;
  /** A single sentence longer than this is cut at a comma. Default 480. */
  max: number;
  /** Sentences repeated from the end of the previous chunk of the same paragraph. Default 1. */
  overlap: number;
}

/** About 300 characters (a few hundred, as Chinese needs), hard cap 480, one sentence of overlap. */
export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = { target: 300, max: 480, overlap: 1 };

function cutLong(sentence: Traced, max: number): Traced[] {
  if (sentence.length <= max) return [sentence];
  const parts: Traced[] = [];
  let rest = sentence;
  while (rest.length > max) {
    const window = rest.text.slice(0, max);
    const cut = Math.max(window.lastIndexOf('，'), window.lastIndexOf('、'));
    const at = cut > max / 3 ? cut + 1 : max;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  if (rest.length) parts.push(rest);
  return parts;
}

/** Splits sentences into windows of about `target` characters repeating `overlap` sentences. */
function windows(sentences: Traced[], opt: ChunkOptions): Traced[][] {
  const out: Traced[][] = [];
  let i = 0;
  while (i < sentences.length) {
    const window: Traced[] = [];
    let len = 0;
    let j = i;
    while (j < sentences.length && (len < opt.target || window.length === 0)) {
      window.push(sentences[j]!);
      len += sentences[j]!.length;
      j++;
    }
    // do not leave a tail shorter than a third of the target for the next window
    const remaining = sentences.slice(j).reduce((n, s) => n + s.length, 0);
    if (remaining > 0 && remaining < opt.target / 3 && len + remaining <= opt.max) {
      window.push(...sentences.slice(j));
      j = sentences.length;
    }
    out.push(window);
    if (j >= sentences.length) break;
    i = Math.max(i + 1, j - opt.overlap);
  }
  return out;
}

/** An item's text without its marker (“1.”, “（1）”, “①”). */
function itemText(item: Traced): string {
  const m = matchMarker(item.text);
  return m && m.listable ? item.text.slice(m.printed.length).trim() : item.text;
}

/**
 * The text of a table row as one record: caption, then “header：cell” pairs, joined by “ · ”
 * (“表1 各乡镇发展党员情况 · 乡镇：湖东镇 · 发展党员数：42”). Empty cells are left out.
 */
export function tableRowText(t: { caption?: string; header: string[]; cells: string[] }): string {
  const cells = t.cells.map((c, i) => (c && t.header[i] ? `${t.header[i]}：${c}` : c)).filter(Boolean);
  return [...(t.caption ? [t.caption] : []), ...cells].join(' · ');
}

/**
 * The text of a run of sentences and paragraphs: joined as printed, with a line break after a piece that ends no
 * sentence (a field line “时间：2026年11月20日”, a heading-like line), so that it stays a sentence of its own.
 */
export function joinPieces(pieces: Traced[]): string {
  // (a lead ending in “：” or “，” runs on into what it introduces: “主要履行下列职责：（一）……”)
  return pieces.map((p, i) => (i < pieces.length - 1 && !endsSentence(p.text) && !/[：:，,、]$/.test(p.text) ? `${p.text}\n` : p.text)).join('');
}

/**
 * Cuts a document into chunks from its tree. A chunk never crosses a section: the paragraphs of one
 * section are packed whole while they fit (`target`), a long run is split into windows of about
 * `target` characters repeating `overlap` sentences; an article 第X条 is one chunk (windows when long)
 * with its number; a table row is one chunk with the caption and the header cells; a list is one
 * chunk with its lead sentence (split into groups of items, each with the lead, when long).
 * Captions and bylines are not chunked.
 */
export function chunkDocument(doc: SourceDoc, options: Partial<ChunkOptions> = {}): Chunk[] {
  const opt = { ...DEFAULT_CHUNK_OPTIONS, ...options };
  // ids are prefixed by the whole file name: a.txt and a.md are two documents (see `Chunk.id`)
  const prefix = doc.source;
  const chunks: Chunk[] = [];

  const emit = (sec: SectionNode, unit: Chunk['unit'], text: string, pieces: Traced[], extra: Partial<Chunk> = {}) => {
    const spans = pieces.filter((p) => p.length).map((p) => p.span());
    if (!text || !spans.length) return;
    chunks.push({
      id: `${prefix}#c${chunks.length}`,
      source: doc.source,
      title: doc.title,
      section: sec.info.path.join(' > '),
      sectionPath: sec.info.path,
      sectionId: sec.info.id,
      unit,
      text,
      start: Math.min(...spans.map((s) => s.start)),
      end: Math.max(...spans.map((s) => s.end)),
      ...extra,
    });
  };
  const sentencesOf = (t: Traced) => splitSentences(t).flatMap((s) => cutLong(s, opt.max));
  const emitSentences = (sec: SectionNode, unit: Chunk['unit'], sentences: Traced[], extra: Partial<Chunk> = {}) => {
    for (const w of windows(sentences, opt)) emit(sec, unit, joinPieces(w), w, extra);
  };

  const emitTable = (sec: SectionNode, t: TableBlock) => {
    for (const row of t.rows) {
      const table: TableRowInfo = { ...(t.caption ? { caption: t.caption } : {}), header: t.header, cells: row.map((c) => c.text) };
      emit(sec, 'table-row', tableRowText(table), row, { table });
    }
  };

  const emitList = (sec: SectionNode, l: ListBlock) => {
    const lead = l.lead?.text;
    let group: Traced[] = [];
    let size = lead?.length ?? 0;
    const flush = () => {
      if (!group.length) return;
      const text = [...(lead ? [lead] : []), ...group.map((i) => i.text)].join('\n');
      emit(sec, 'list', text, [...(l.lead ? [l.lead] : []), ...group], { items: group.map(itemText) });
      group = [];
      size = lead?.length ?? 0;
    };
    for (const item of l.items) {
      if (group.length && size + item.length > opt.max) flush();
      group.push(item);
      size += item.length;
    }
    flush();
  };

  const visit = (sec: SectionNode) => {
    if (sec.info.role === 'article') {
      const article = sec.info.number ? articleNumber(sec.info.number) : undefined;
      const extra = article ? { article } : {};
      const sentences: Traced[] = [];
      for (const n of sec.nodes) {
        if (isSection(n)) continue;
        if (n.kind === 'paragraph') sentences.push(...sentencesOf(n.text));
        else if (n.kind === 'list') sentences.push(...(n.lead ? [n.lead] : []), ...n.items);
      }
      if (sentences.length) emitSentences(sec, 'article', sentences, extra);
      for (const n of sec.nodes) {
        if (isSection(n)) visit(n);
        else if (n.kind === 'table') emitTable(sec, n);
      }
      return;
    }
    // runs of paragraphs between subsections, lists and tables
    let pending: Traced[] | undefined;
    const flush = () => {
      if (pending) emit(sec, 'text', joinPieces(pending), pending);
      pending = undefined;
    };
    let runOpen = false;
    for (const n of sec.nodes) {
      if (isSection(n)) {
        flush();
        runOpen = false;
        visit(n);
        continue;
      }
      const block: ContentBlock = n;
      if (block.kind === 'caption' || block.kind === 'byline') continue;
      if (block.kind === 'table') {
        flush();
        runOpen = false;
        emitTable(sec, block);
        continue;
      }
      if (block.kind === 'list') {
        flush();
        runOpen = false;
        emitList(sec, block);
        continue;
      }
      const sentences = sentencesOf(block.text);
      const size = block.text.length;
      // a short paragraph joins the previous short one of the same run
      if (pending && runOpen && pending.reduce((k, s) => k + s.length, 0) + size <= opt.target) {
        pending.push(...sentences);
        continue;
      }
      flush();
      runOpen = true;
      if (size <= opt.target) {
        pending = sentences;
        continue;
      }
      emitSentences(sec, 'text', sentences);
    }
    flush();
    // an item that is a heading alone and holds nothing (“1. 配备饮水、休息、充电等基本设施。”) is text in its own
    // right: its label is its chunk, so that it can be found
    if (!sec.nodes.length && sec.info.role === 'outline' && sec.info.path.length) {
      const label = sec.info.path.at(-1)!;
      emit(sec, 'text', label, [Traced.of(label, sec.info.start)]);
    }
  };
  visit(doc.tree.root);
  return chunks;
}
