import { extractTextItems } from 'unpdf';
import { endsSentence } from '../normalize.js';
import type { DocTree } from '../tree.js';
import { dateLine, matchAnnex, matchMarker } from './markers.js';
import { readOfficialText } from './official.js';
import { ReadError } from './read-error.js';

interface PdfLine {
  text: string;
  left: number;
  right: number;
  size: number;
  /** Cells far apart on one line (a table row). */
  cells: boolean;
}

/** A line that is only a page number (“- 3 -”, “3”, “第3页”, “第 3 页 共 5 页”). */
const PAGE_NUMBER = /^[-—－\s]*\d{1,4}[-—－\s]*$|^第\s*\d+\s*页/;

interface Cell {
  text: string;
  x0: number;
  x1: number;
}

/**
 * Groups a page's text items into lines (same baseline within half a font size), left to right.
 * Items further apart than 1.5 font sizes are cells of a table row, joined with a tab. A line of cells
 * that sits right under a row, with each cell inside one of the row's columns, is the second line of
 * wrapped cells (“入党申请人” over “（名）”) and is merged into that row. A single line with a wide gap
 * (justified text) is not a table: a table has at least two rows with the same number of cells.
 */
function pageLines(items: { str: string; x: number; y: number; width: number; fontSize: number }[]): PdfLine[] {
  const rows: { y: number; items: typeof items }[] = [];
  for (const it of items) {
    if (!it.str.trim()) continue;
    const row = rows.find((r) => Math.abs(r.y - it.y) <= Math.max(2, it.fontSize / 2));
    if (row) row.items.push(it);
    else rows.push({ y: it.y, items: [it] });
  }
  rows.sort((a, b) => b.y - a.y);
  /** The row's items merged into cells wherever the gap between them is at most `gap` font sizes. */
  const cellsAt = (its: typeof items, size: number, gap: number): Cell[] => {
    const cells: Cell[] = [];
    for (const it of its) {
      const last = cells.at(-1);
      if (last && it.x - last.x1 <= size * gap) {
        // a gap of a space's width or more is a printed space (“第十八条 党员…”)
        last.text += (it.x - last.x1 > size * 0.2 && !/\s$/.test(last.text) ? ' ' : '') + it.str;
        last.x1 = Math.max(last.x1, it.x + it.width);
      } else cells.push({ text: it.str, x0: it.x, x1: it.x + it.width });
    }
    return cells;
  };
  const sized = rows.map((r) => {
    const its = r.items.sort((a, b) => a.x - b.x);
    const size = Math.max(...its.map((i) => i.fontSize)) || 10;
    return { r, size, wide: cellsAt(its, size, 1.5), narrow: cellsAt(its, size, 0.5) };
  });
  // narrow columns (序号, 乡镇) sit closer than 1.5 font sizes: cells apart by half a font size count when a
  // neighbouring row has as many of them, each over the same column (their spans overlap, give or take a font size,
  // so centred and left-aligned cells of one column agree)
  const aligned = (a: (typeof sized)[number] | undefined, b: (typeof sized)[number] | undefined) =>
    !!a &&
    !!b &&
    a.narrow.length >= 2 &&
    a.narrow.length === b.narrow.length &&
    a.narrow.every((c, k) => c.x0 <= b.narrow[k]!.x1 + a.size && b.narrow[k]!.x0 <= c.x1 + a.size);
  const built: { y: number; size: number; cells: Cell[] }[] = [];
  for (const [i, { r, size, wide, narrow }] of sized.entries()) {
    // (the neighbour past a wrapped cell's second line: “青石镇河口村党支” over “部”)
    const neighbour = (step: number) => [1, 2, 3].map((d) => sized[i + step * d]).find((x) => !x || x.narrow.length >= 2);
    const cells = aligned(sized[i], neighbour(-1)) || aligned(sized[i], neighbour(1)) ? narrow : wide;
    const prev = built.at(-1);
    const column = (c: Cell) => prev?.cells.findIndex((p) => (c.x0 + c.x1) / 2 >= p.x0 - size && (c.x0 + c.x1) / 2 <= p.x1 + size) ?? -1;
    if (prev && prev.cells.length > 1 && cells.length < prev.cells.length && prev.y - r.y <= size * 1.6 && cells.every((c) => column(c) >= 0)) {
      for (const c of cells) prev.cells[column(c)]!.text += c.text;
      continue;
    }
    built.push({ y: r.y, size, cells });
  }
  const lines: PdfLine[] = built.map((b) => ({
    text: b.cells.map((c) => c.text.trim()).join('\t'),
    left: b.cells[0]!.x0,
    right: Math.max(...b.cells.map((c) => c.x1)),
    size: b.size,
    cells: b.cells.length > 1,
  }));
  const count = (l: PdfLine | undefined) => (l?.cells ? l.text.split('\t').length : 0);
  return lines.map((l, i) => {
    const n = count(l);
    if (!n || n === count(lines[i - 1]) || n === count(lines[i + 1])) return l;
    return { ...l, text: l.text.replace(/\t/g, ' '), cells: false };
  });
}

/**
 * The line repair of PDF text: a line that runs to the right margin continues into the next line
 * (text wrapped by the layout), unless the next line is indented further than it (a new paragraph, 首行缩进), opens a
 * structure marker (第X条, 一、, （一）, 附件) or is a date. Table rows and short lines stand alone.
 */
function joinPdfLines(lines: PdfLine[]): string[] {
  const prose = lines.filter((l) => !l.cells);
  const right = Math.max(...prose.map((l) => l.right));
  const out: string[] = [];
  let open = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (open && !l.cells) out[out.length - 1] += l.text;
    else out.push(l.text);
    const next = lines[i + 1];
    open =
      !l.cells &&
      !!next &&
      !next.cells &&
      // ragged right edge: a character that did not fit, or a line of narrower digits, leaves up to about three
      // characters free; only a line that ends a sentence must reach the margin to continue
      l.right >= right - l.size * (endsSentence(l.text) ? 1.5 : 3.5) &&
      next.left <= l.left + next.size * 0.5 &&
      !matchMarker(next.text) &&
      !matchAnnex(next.text) &&
      !dateLine(next.text);
  }
  return out;
}

/**
 * Reads a PDF with a text layer (unpdf, PDF.js): pages → lines (page numbers dropped) → the line
 * repair (`joinPdfLines`) → the official parser. Offsets point into the extracted text.
 * @throws ReadError for a PDF that cannot be opened or has no text layer (a scan).
 */
export async function readPdf(bytes: Buffer, stem: string): Promise<DocTree> {
  let pages: Awaited<ReturnType<typeof extractTextItems>>['items'];
  try {
    pages = (await extractTextItems(new Uint8Array(bytes))).items;
  } catch (err) {
    throw new ReadError(`无法打开 PDF，文件可能已损坏（unreadable PDF: ${(err as Error).message.slice(0, 80)}）`);
  }
  const lines = pages.flatMap((items) => pageLines(items).filter((l) => !PAGE_NUMBER.test(l.text)));
  if (!lines.some((l) => /[\u3400-\u9fff]/.test(l.text))) throw new ReadError('PDF 没有文字层（可能是扫描件），无法读取（no text layer: scanned PDF?）');
  const text = joinPdfLines(lines).join('\n');
  return { ...readOfficialText(text, stem, 'pdf') };
}
