/**
 * Tables with merged cells laid out on a grid, the way a reader of the printed table sees them.
 *
 * Source of the rules: the HTML table processing model (WHATWG HTML §4.9.12, "forming a table"): a cell covers
 * `rowspan` rows and `colspan` columns from the first free slot of its row. Word tables reach us through mammoth,
 * which writes merged cells (gridSpan, vMerge) as the same attributes.
 */

/** One source cell of a row: its value (text, or a traced text) and how many rows and columns it covers. */
export interface SourceCell<T> {
  value: T;
  rowspan: number;
  colspan: number;
  /** A header cell (`th`). */
  header: boolean;
}

/** One slot of the grid: the cell covering it, shared by every slot the cell covers. */
export interface Slot<T> {
  value: T;
  header: boolean;
  /** True for the slot where the cell starts (its own row and column). */
  origin: boolean;
}

/**
 * Lays `rows` of source cells out on a grid: a cell spanning several rows or columns fills every slot it
 * covers with the same value. Rows are padded to the widest row with `undefined`.
 * @param rows the table's rows in order, each a list of its own cells (a cell covered by a span from above is not listed)
 * @returns grid[row][column]
 */
export function layoutGrid<T>(rows: SourceCell<T>[][]): (Slot<T> | undefined)[][] {
  const grid: (Slot<T> | undefined)[][] = rows.map(() => []);
  rows.forEach((cells, r) => {
    let c = 0;
    for (const cell of cells) {
      while (grid[r]![c]) c++;
      const rs = Math.max(1, Math.min(cell.rowspan, rows.length - r));
      const cs = Math.max(1, Math.min(cell.colspan, 100));
      for (let i = 0; i < rs; i++) for (let j = 0; j < cs; j++) grid[r + i]![c + j] = { value: cell.value, header: cell.header, origin: i === 0 && j === 0 };
      c += cs;
    }
  });
  const width = Math.max(0, ...grid.map((g) => g.length));
  return grid.map((g) => Array.from({ length: width }, (_, k) => g[k]));
}

/**
 * How many leading rows of `grid` form the header: the rows whose slots are all header cells (`th`; only the first
 * when every row is), or, with no such row, `fallback` (the caller's choice, e.g. 1 for a first row of labels). At
 * least one row stays a body row.
 */
export function headerRowCount<T>(grid: (Slot<T> | undefined)[][], fallback: number): number {
  const allHeader = (row: (Slot<T> | undefined)[]) => row.every((s) => !s || s.header);
  // every row marked as a header (Word's “repeat as header row” set on all rows): the first row is the header
  if (grid.length > 1 && grid.every(allHeader)) return 1;
  let n = 0;
  while (n < grid.length - 1 && allHeader(grid[n]!)) n++;
  return n > 0 ? n : Math.min(fallback, Math.max(0, grid.length - 1));
}

/**
 * One label per column from several header rows: the distinct texts of its header slots, top down, joined by
 * “·” (a group header 发展党员 over 计划数 and 完成数 gives 发展党员·计划数 and 发展党员·完成数; 乡镇 spanning both
 * rows stays 乡镇).
 * @param text the text of a slot's value
 */
export function columnLabels<T>(headerRows: (Slot<T> | undefined)[][], text: (v: T) => string): string[] {
  const width = Math.max(0, ...headerRows.map((r) => r.length));
  return Array.from({ length: width }, (_, c) => {
    const parts: string[] = [];
    for (const row of headerRows) {
      const t = row[c] ? text(row[c]!.value).trim() : '';
      if (t && parts.at(-1) !== t) parts.push(t);
    }
    return parts.join('·');
  });
}
