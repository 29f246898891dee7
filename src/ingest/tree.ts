import type { DocFormat, SectionInfo, SectionRole } from '../types.js';
import type { Traced } from './traced.js';

/**
 * The document tree every reader yields (the "document" of LlamaIndex's reader → node-parser split):
 * sections nest, and each holds its content blocks and subsections in reading order. Every piece of
 * text is a `Traced`, so offsets point into `DocTree.text` (the decoded file for text formats, the
 * extracted text for .docx/.pdf/.html).
 */

/** A table as read: caption, header cells and body rows (cells carry offsets). */
export interface TableBlock {
  kind: 'table';
  caption?: string;
  header: string[];
  rows: Traced[][];
}

/** A list with the sentence that introduces it (“主要任务如下：”), when there is one. */
export interface ListBlock {
  kind: 'list';
  lead?: Traced;
  items: Traced[];
}

/** A paragraph of running text, or a caption/byline kept out of chunks. */
export interface TextBlock {
  kind: 'paragraph' | 'caption' | 'byline';
  text: Traced;
}

/** Content of a section. */
export type ContentBlock = TextBlock | ListBlock | TableBlock;

/** A section: its `SectionInfo` and its blocks and subsections in reading order. */
export interface SectionNode {
  info: SectionInfo;
  nodes: (ContentBlock | SectionNode)[];
}

/** What a reader returns for one file. */
export interface DocTree {
  format: DocFormat;
  /** The text all offsets point into. */
  text: string;
  /** Title as printed in the document (the metadata file may override it). */
  title?: string;
  issuer?: string;
  /** ISO date (`YYYY-MM-DD`). */
  date?: string;
  /** 发文字号, e.g. `某组发〔2026〕12号`. */
  docNumber?: string;
  root: SectionNode;
}

/** True for a subsection (as opposed to a content block) among `SectionNode.nodes`. */
export function isSection(n: ContentBlock | SectionNode): n is SectionNode {
  return 'info' in n;
}

/** Every section of the tree in reading order, the root first. */
export function allSections(root: SectionNode): SectionNode[] {
  const out: SectionNode[] = [root];
  for (const n of root.nodes) if (isSection(n)) out.push(...allSections(n));
  return out;
}

/** Offsets `[start, end)` covered by a block. */
export function blockSpan(b: ContentBlock): { start: number; end: number } | undefined {
  const pieces: Traced[] = b.kind === 'table' ? b.rows.flat() : b.kind === 'list' ? [...(b.lead ? [b.lead] : []), ...b.items] : [b.text];
  const spans = pieces.filter((p) => p.length).map((p) => p.span());
  if (!spans.length) return undefined;
  return { start: Math.min(...spans.map((s) => s.start)), end: Math.max(...spans.map((s) => s.end)) };
}

interface Open {
  node: SectionNode;
  rank: number;
}

/**
 * Builds a tree in reading order. `open` starts a section of a given rank (smaller ranks enclose
 * larger ones: a 第X章 encloses its 第X条), closing every open section of the same or a deeper rank;
 * `add` appends a block to the innermost open section. `finish` computes the sections' offsets.
 */
export class TreeBuilder {
  private readonly stack: Open[];
  private count = 1;

  /** @param stem the id prefix, the document's file name (section ids are `<stem>#s<k>`) */
  constructor(
    private readonly stem: string,
    title: string,
  ) {
    this.stack = [{ rank: -Infinity, node: { info: { id: `${stem}#s0`, heading: title, role: 'document', path: [], start: 0, end: 0 }, nodes: [] } }];
  }

  get root(): SectionNode {
    return this.stack[0]!.node;
  }

  /** The innermost open section. */
  get current(): SectionNode {
    return this.stack.at(-1)!.node;
  }

  /** Rank of the innermost open section (−∞ for the root). */
  get currentRank(): number {
    return this.stack.at(-1)!.rank;
  }

  /**
   * Opens a section. `label` is the heading as shown in paths (“第一章 总则”, “（一）加强组织建设”);
   * `at` the offsets of its heading.
   */
  open(rank: number, s: { role: SectionRole; heading: string; number?: string; label: string; level?: number; at: { start: number; end: number } }): SectionNode {
    this.close(rank);
    const parent = this.current;
    const node: SectionNode = {
      info: {
        id: `${this.stem}#s${this.count++}`,
        parentId: parent.info.id,
        heading: s.heading,
        ...(s.number ? { number: s.number } : {}),
        role: s.role,
        ...(s.level !== undefined ? { level: s.level } : {}),
        path: [...parent.info.path, s.label],
        start: s.at.start,
        end: s.at.end,
      },
      nodes: [],
    };
    parent.nodes.push(node);
    this.stack.push({ rank, node });
    return node;
  }

  /** Closes the open sections of rank ≥ `rank`. */
  close(rank: number): void {
    while (this.stack.length > 1 && this.stack.at(-1)!.rank >= rank) this.stack.pop();
  }

  /**
   * Appends a content block to the innermost open section. A paragraph that is a web page's or a file's
   * metadata line (“来源：… 发布时间：2026-08-03”, “作者：…”, “责任编辑：…”) is kept as a byline, out of chunks.
   */
  add(block: ContentBlock): void {
    if (block.kind === 'paragraph' && isMetadataLine(block.text.text)) block = { ...block, kind: 'byline' };
    this.current.nodes.push(block);
  }

  /** Sets every section's `[start, end)` from its heading and contents; returns the root. */
  finish(textLength: number): SectionNode {
    const visit = (n: SectionNode): { start: number; end: number } | undefined => {
      let start = n.info.role === 'document' ? Infinity : n.info.start;
      let end = n.info.role === 'document' ? -Infinity : n.info.end;
      for (const c of n.nodes) {
        const s = isSection(c) ? visit(c) : blockSpan(c);
        if (!s) continue;
        start = Math.min(start, s.start);
        end = Math.max(end, s.end);
      }
      n.info.start = Number.isFinite(start) ? start : 0;
      n.info.end = Number.isFinite(end) ? end : n.info.start;
      return { start: n.info.start, end: n.info.end };
    };
    visit(this.root);
    this.root.info.start = 0;
    this.root.info.end = textLength;
    return this.root;
  }
}

/** Labels of the metadata lines web pages and downloaded files print above or below the text. */
const METADATA_LABEL = '(?:信息)?来源|发布(?:时间|日期|机构|单位)|作者|(?:责任)?编辑|审核|校对|浏览(?:次数|量)|点击(?:数|量|率)|阅读(?:量|次数)|字号|打印|关闭窗口|分享到';

/**
 * True for a short line made only of metadata: “来源：溪川县委组织部 发布时间：2026-08-03”, “【字号：大 中 小】”.
 * A sentence that merely starts with 来源 (“来源于群众”) is not one: a label must be followed by “：”.
 */
export function isMetadataLine(text: string): boolean {
  const t = text.trim();
  if (t.length > 100 || /[。；！？]/.test(t)) return false;
  return new RegExp(`^[【\\[]?(?:${METADATA_LABEL})[:：]`).test(t);
}
