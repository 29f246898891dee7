import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** The time zone every reminder rule is evaluated in. */
export const ZONE = 'Asia/Shanghai';

/**
 * Thrown when a date falls in a year for which no *published* holiday arrangement is on file.
 * The working-day status of such a date is unknown, so nothing is guessed.
 */
export class CalendarMissingError extends Error {
  /** What is missing and how to fix it, without the date asked for (the same for every date of the year). */
  readonly reason: string;

  /**
   * @param detail why the year has no data (`没有 cn-2027.yaml`, `… 标注为尚未发布`)
   * @param file the year's calendar file as it should be written (`<calendar folder>/cn-<year>.yaml`)
   */
  constructor(readonly year: number, readonly date: string, detail: string, readonly file = `cn-${year}.yaml`) {
    const reason = `工作日历缺少 ${year} 年数据：${detail}。请在 ${file} 中按国务院办公厅当年的节假日安排通知补全，并把 status 改为 published。`;
    super(reason.replace(`${year} 年数据：`, `${year} 年数据（查询日期 ${date}）：`));
    this.reason = reason;
    this.name = 'CalendarMissingError';
  }
}

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const YearFile = z.object({
  year: z.number().int(),
  status: z.enum(['published', 'unpublished']),
  source: z.string().min(1),
  published_on: IsoDate.optional(),
  source_url: z.string().optional(),
  holidays: z.array(z.object({ name: z.string(), dates: z.array(IsoDate) })).default([]),
  workdays: z.array(z.object({ date: IsoDate, note: z.string().optional() })).default([]),
});

/** A calendar file that could not be read; its year is treated as having no data. */
export interface CalendarFileProblem {
  file: string;
  year: number;
  /** What is wrong, e.g. the YAML error with its line, or the field that fails the format. */
  reason: string;
}

/** The Chinese sentence that reports a broken calendar file (log and admin chat). */
export function describeCalendarProblem(p: CalendarFileProblem): string {
  return `工作日历文件 ${p.file} 无法使用，${p.year} 年的日期暂无工作日数据，落在 ${p.year} 年的提醒已停用（其他年份和问答照常）。请按格式修正该文件后重启。`;
}

/** One year's data as read from `<calendar folder>/cn-<year>.yaml`. */
export interface CalendarYear {
  year: number;
  /** `broken`: the file exists but could not be read ({@link CalendarFileProblem}); no date of the year is known. */
  status: 'published' | 'unpublished' | 'broken';
  /** The notice the data was taken from (e.g. 国务院办公厅关于2026年部分节假日安排的通知). */
  source: string;
  /** Holiday date (YYYY-MM-DD) → holiday name, e.g. 2026-10-01 → 国庆节. */
  holidays: Map<string, string>;
  /** Adjusted working weekends (调休上班), YYYY-MM-DD. */
  workdays: Set<string>;
}

/**
 * The mainland-China working-day calendar: Monday–Friday work, Saturday/Sunday rest, except the
 * public holidays (rest) and the 调休 working weekends (work) of the State Council's yearly notice.
 * Dates are calendar dates in Asia/Shanghai written `YYYY-MM-DD`.
 * Every query for a year without published data throws {@link CalendarMissingError}.
 */
export class WorkCalendar {
  private readonly years = new Map<number, CalendarYear>();
  private readonly holidays = new Map<string, string>();
  private readonly workdays = new Set<string>();

  /** Files that could not be read (their years answer like years without data). */
  readonly problems: CalendarFileProblem[];

  /**
   * Merges the years; a notice may list late-December dates of the previous year (e.g. 2019's 元旦).
   * @param dir the folder the years were read from, named in {@link CalendarMissingError} (the file to fill in)
   */
  constructor(years: CalendarYear[], problems: CalendarFileProblem[] = [], readonly dir?: string) {
    this.problems = problems;
    for (const y of years) {
      this.years.set(y.year, y);
      for (const [d, name] of y.holidays) this.holidays.set(d, name);
      for (const d of y.workdays) this.workdays.add(d);
    }
  }

  /** Years with published data, ascending. */
  publishedYears(): number[] {
    return [...this.years.values()].filter((y) => y.status === 'published').map((y) => y.year).sort();
  }

  /** The file of `year`'s data: `<dir>/cn-<year>.yaml` (just `cn-<year>.yaml` without a folder). */
  fileOf(year: number): string {
    return this.dir ? join(this.dir, `cn-${year}.yaml`) : `cn-${year}.yaml`;
  }

  private yearOf(date: string): CalendarYear {
    const year = Number(date.slice(0, 4));
    const data = this.years.get(year);
    const file = this.fileOf(year);
    if (!data) throw new CalendarMissingError(year, date, `没有 cn-${year}.yaml`, file);
    if (data.status === 'broken') throw new CalendarMissingError(year, date, `cn-${year}.yaml 无法读取（${data.source}）`, file);
    if (data.status !== 'published') throw new CalendarMissingError(year, date, `cn-${year}.yaml 标注为尚未发布（${data.source}）`, file);
    return data;
  }

  /** True when `date` (YYYY-MM-DD) is a working day. Throws CalendarMissingError for a year without data. */
  isWorkday(date: string): boolean {
    this.yearOf(date);
    if (this.workdays.has(date)) return true;
    if (this.holidays.has(date)) return false;
    const weekday = DateTime.fromISO(date, { zone: ZONE }).weekday; // 1 = Monday … 7 = Sunday
    return weekday <= 5;
  }

  /** The holiday name for `date`, or undefined (also for ordinary weekends). Throws like isWorkday. */
  holidayName(date: string): string | undefined {
    this.yearOf(date);
    return this.holidays.get(date);
  }

  /** `date` itself when it is a working day, else the closest earlier working day. */
  onOrBeforeWorkday(date: string): string {
    let d = date;
    for (let i = 0; i < 40 && !this.isWorkday(d); i++) d = addDays(d, -1);
    return d;
  }

  /** `date` itself when it is a working day, else the closest later working day. */
  onOrAfterWorkday(date: string): string {
    let d = date;
    for (let i = 0; i < 40 && !this.isWorkday(d); i++) d = addDays(d, 1);
    return d;
  }

  /** The `n`-th working day strictly after `date` (n ≥ 1). */
  addWorkdays(date: string, n: number): string {
    let d = date;
    let left = n;
    while (left > 0) {
      d = addDays(d, 1);
      if (this.isWorkday(d)) left--;
    }
    return d;
  }
}

/** Adds `n` calendar days to a `YYYY-MM-DD` date (negative n goes back). */
export function addDays(date: string, n: number): string {
  return DateTime.fromISO(date, { zone: ZONE }).plus({ days: n }).toISODate()!;
}

/**
 * Reads every `cn-<year>.yaml` in `dir` (the calendar folder, `<DJ_DATA_DIR>/calendar`; see data/calendar/cn-2026.yaml for
 * the format). A file that is not valid YAML, does not match the format, names another year than its
 * file name, or lists a date outside its year (and the December before) disables only its own year:
 * that year answers like a year without data ({@link CalendarMissingError} naming the file), and the
 * problem is listed in `problems` of the result, so that the caller can report it.
 * @throws only when `dir` cannot be read.
 */
export function loadCalendar(dir: string): WorkCalendar {
  const years: CalendarYear[] = [];
  const problems: CalendarFileProblem[] = [];
  for (const name of readdirSync(dir).filter((f) => /^cn-\d{4}\.ya?ml$/.test(f)).sort()) {
    const file = join(dir, name);
    const year = Number(/\d{4}/.exec(name)![0]);
    const read = readYearFile(file, year);
    if (typeof read === 'string') {
      problems.push({ file, year, reason: read });
      years.push({ year, status: 'broken', source: read, holidays: new Map(), workdays: new Set() });
    } else years.push(read);
  }
  return new WorkCalendar(years, problems, dir);
}

/** One year file, or the reason it cannot be used. */
function readYearFile(file: string, year: number): CalendarYear | string {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    return `not valid YAML: ${(err as Error).message.split('\n')[0]}`;
  }
  const parsed = YearFile.safeParse(raw);
  if (!parsed.success) return `invalid calendar file: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
  const y = parsed.data;
  if (y.year !== year) return `year ${y.year} in a file named for ${year}`;
  const holidays = new Map<string, string>();
  for (const h of y.holidays) for (const d of h.dates) holidays.set(d, h.name);
  const all = [...holidays.keys(), ...y.workdays.map((w) => w.date)];
  const wrong = all.find((d) => !d.startsWith(`${y.year}-`) && !d.startsWith(`${y.year - 1}-12-`));
  if (wrong) return `date ${wrong} is neither in ${y.year} nor in December ${y.year - 1}`;
  return { year: y.year, status: y.status, source: y.source, holidays, workdays: new Set(y.workdays.map((w) => w.date)) };
}
