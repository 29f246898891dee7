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

interface TextItem {
  str: string;
  x: number;
  y: number;
  width: number;
  fontSize: number;
}

/** A row of the page being built: its cells, the baseline of its last text line, its font size. */
interface BuiltRow {
  y: number;
  size: number;
  cells: Cell[];
}

/**
 * The columns of a table being read: one band (x-span) per column, from the row that opened it (its header) widened
 * by every row that fills every column, and `pitch`, the smallest vertical gap seen between a row's last text line
 * and the next row (PDF units), once known.
 */
interface OpenTable {
  bands: { x0: number; x1: number }[];
  pitch?: number;
}

/** `cells` joined into text: a gap of a space's width or more (in font sizes `size`) is a printed space. */
function joinCells(cells: Cell[], size: number): Cell {
  const out = { ...cells[0]! };
  for (const c of cells.slice(1)) {
    out.text += (c.x0 - out.x1 > size * 0.2 && !/\s$/.test(out.text) ? ' ' : '') + c.text;
    out.x1 = Math.max(out.x1, c.x1);
  }
  return out;
}

/** `tail` appended to a cell's text wrapped onto a new line: Chinese runs on, two Latin words or numbers get a space. */
function appendWrapped(text: string, tail: string): string {
  return text + (/[A-Za-z0-9]$/.test(text) && /^[A-Za-z0-9]/.test(tail) ? ' ' : '') + tail;
}

/**
 * The line's fragments by the column of `table` they fall in, or undefined when one does not fall in a column (it
 * overlaps another column's band: prose running across the table). A fragment belongs to the band nearest its
 * centre, so a cell wider than its header (a date under 时间) or a right-aligned second line (“10日”) still finds it.
 */
function columnsOf(fragments: Cell[], table: OpenTable, size: number): Cell[][] | undefined {
  const columns: Cell[][] = table.bands.map(() => []);
  for (const f of fragments) {
    const centre = (f.x0 + f.x1) / 2;
    const distance = table.bands.map((b) => Math.max(0, b.x0 - centre, centre - b.x1));
    const k = distance.indexOf(Math.min(...distance));
    const overlaps = table.bands.some((b, j) => j !== k && f.x0 < b.x1 - size / 2 && b.x0 + size / 2 < f.x1);
    if (overlaps) return undefined;
    columns[k]!.push(f);
  }
  return columns;
}

/**
 * Groups a page's text items into lines (same baseline within half a font size), left to right.
 * Items further apart than 1.5 font sizes are cells of a table row, joined with a tab. A line of cells opens a
 * table: its cells are the column bands. Each following line whose fragments all fall in those bands is either a
 * new row or the second line of cells wrapped inside the row above (“2027年1月16日—2月” over “10日”, “入党申请人”
 * over “（名）”, “青石镇河口村党支” over “部”): its fragments are then appended to the cells of their columns. A line
 * is such a continuation when it sits at line spacing under the row above (at most 1.6 font sizes, as a wrapped
 * paragraph) and either closer than the table's row pitch (a bordered table pads its rows, so this holds whichever
 * column wraps, the first included) or it leaves a column empty while the pitch is not known yet (a header's second
 * line) or while its first column, which names the rows, is empty (a table printed without padding, where the pitch
 * equals the line spacing). A line of two or more columns that is no continuation is a new row; a line of one
 * column that is none ends the table (a 落款 under the last column).
 * A single line with a wide gap (justified text) is not a table: a table has at least two rows with the same
 * number of cells.
 */
function pageLines(items: TextItem[]): PdfLine[] {
  const rows: { y: number; items: TextItem[] }[] = [];
  for (const it of items) {
    if (!it.str.trim()) continue;
    const row = rows.find((r) => Math.abs(r.y - it.y) <= Math.max(2, it.fontSize / 2));
    if (row) row.items.push(it);
    else rows.push({ y: it.y, items: [it] });
  }
  rows.sort((a, b) => b.y - a.y);
  /** The row's items merged into cells wherever the gap between them is at most `gap` font sizes. */
  const cellsAt = (its: TextItem[], size: number, gap: number): Cell[] => {
    const cells: Cell[] = [];
    for (const it of its) {
      const c = { text: it.str, x0: it.x, x1: it.x + it.width };
      const last = cells.at(-1);
      if (last && it.x - last.x1 <= size * gap) cells[cells.length - 1] = joinCells([last, c], size);
      else cells.push(c);
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
  const built: BuiltRow[] = [];
  let table: OpenTable | undefined;
  for (const [i, { r, size, wide, narrow }] of sized.entries()) {
    const prev = built.at(-1);
    const columns = table && prev ? columnsOf(narrow, table, size) : undefined;
    const filled = columns?.filter((c) => c.length).length ?? 0;
    if (table && prev && columns && filled >= 1) {
      const gap = prev.y - r.y;
      const full = filled === columns.length;
      const closer = table.pitch !== undefined && gap < table.pitch - size * 0.25;
      const continuation = gap <= size * 1.6 && (closer || (!full && (table.pitch === undefined || !columns[0]!.length)));
      if (continuation) {
        columns.forEach((c, k) => {
          if (c.length) prev.cells[k]!.text = appendWrapped(prev.cells[k]!.text, joinCells(c, size).text);
        });
        prev.y = r.y;
        continue;
      }
      if (filled >= 2) {
        table.pitch = Math.min(table.pitch ?? Infinity, gap);
        if (full) table.bands = table.bands.map((b, k) => ({ x0: Math.min(b.x0, columns[k]![0]!.x0), x1: Math.max(b.x1, columns[k]!.at(-1)!.x1) }));
        // empty cells keep their column, so a later line still appends to the right one
        const cells = columns.map((c, k) => (c.length ? joinCells(c, size) : { text: '', ...table!.bands[k]! }));
        built.push({ y: r.y, size, cells });
        continue;
      }
    }
    // (the neighbour past a wrapped cell's second line: “青石镇河口村党支” over “部”)
    const neighbour = (step: number) => [1, 2, 3].map((d) => sized[i + step * d]).find((x) => !x || x.narrow.length >= 2);
    const cells = aligned(sized[i], neighbour(-1)) || aligned(sized[i], neighbour(1)) ? narrow : wide;
    table = cells.length >= 2 ? { bands: cells.map(({ x0, x1 }) => ({ x0, x1 })) } : undefined;
    built.push({ y: r.y, size, cells });
  }
  const lines: PdfLine[] = built.map((b) => {
    const cells = b.cells.filter((c) => c.text.trim());
    return {
      text: cells.map((c) => c.text.trim()).join('\t'),
      left: cells[0]!.x0,
      right: Math.max(...cells.map((c) => c.x1)),
      size: b.size,
      cells: cells.length > 1,
    };
  });
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
