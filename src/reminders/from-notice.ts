import { DateTime } from 'luxon';
import { z } from 'zod';
import { splitSentences } from '../ingest/sentences.js';
import { Traced } from '../ingest/traced.js';
import type { DocumentInfo, TableRowInfo } from '../types.js';
import { CalendarMissingError, ZONE, type WorkCalendar } from './calendar.js';
import type { ChecklistItem, Recurrence } from './checklist.js';
import { nominalDueDates } from './recurrence.js';

/**
 * Notices (通知) into draft checklists: every deadline phrase of the document, the task it governs, who is
 * named for it, and the sentence and section it comes from. Dates are calendar dates in Asia/Shanghai; a
 * deadline on a rest day moves to the previous working day of the holiday calendar, the rule the reminder
 * scheduler applies (schedule.ts: `onOrBeforeWorkday`).
 *
 * Deadline phrases read (Arabic numerals, as 党政机关公文格式 GB/T 9704 prints dates):
 * - `2026年12月15日前` / `2026年12月底前`: that date (the month's last day for 底);
 * - `12月20日前` / `12月底前`: in the notice's year (its date, or `--year`); a date before the notice's
 *   own date means the following year, and says so in `problems`;
 * - `次年|翌年|明年|下一年 1月8日前`: the notice's year + 1;
 * - `年底前`, `2026年底前`: 31 December;
 * - recurring: `每月X日前`, `每季度末月|首月|第N个月 X日前`, `每年X月X日前`, and the bare periods `每月`,
 *   `每季度`, `每半年`, `每年` (due at the period's end, since no day is printed); the rule is given in the
 *   checklist schema (`Recurrence`) and `due` is its first occurrence on or after the notice's date.
 * 前后 (“about”) is not a deadline. Dates written in Chinese numerals are not read.
 */

/** One sentence of a notice with the heading path it sits under (numbers kept, title excluded). */
export interface NoticeSentence {
  text: string;
  section: string[];
  /** For a table row (the whole row is one sentence, its text as the index holds it): the caption, header and cells. */
  row?: TableRowInfo;
}

/** What a draft needs to know of the document. `date` is `YYYY-MM-DD`, `YYYY-MM` or `YYYY`. */
export type NoticeDocument = Pick<DocumentInfo, 'source' | 'title' | 'issuer' | 'date'>;

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const RecurrenceSchema = z.union([
  z.object({ every: z.literal('monthly'), day: z.number().int() }),
  z.object({ every: z.literal('quarterly'), month: z.number().int(), day: z.number().int() }),
  z.object({ every: z.literal('yearly'), month: z.number().int(), day: z.number().int() }),
  z.object({ rrule: z.string() }),
]);

/** One task of the draft. */
export const DraftTaskSchema = z.object({
  /** The action clause, e.g. 召开述职评议大会. */
  title: z.string().min(1),
  /** The working day on or before the printed date (for a recurrence: its next occurrence); equals the
   * printed date when its year has no calendar data (then `problem` says so). YYYY-MM-DD, Asia/Shanghai. */
  due: IsoDate,
  /** The deadline as printed: 12月20日前, 每季度末月25日前. */
  printedDue: z.string(),
  /** The printed date when `due` was moved off a rest day, with the reason (星期日, 元旦…). */
  movedFrom: IsoDate.optional(),
  movedBecause: z.string().optional(),
  /** For a recurring task: the rule in the checklist schema and in words. */
  recurrence: z.object({ rule: RecurrenceSchema, text: z.string() }).optional(),
  /** The responsible party when the sentence names one (各乡镇党委, 各单位, 党委书记). */
  who: z.string().optional(),
  /** Heading path joined by " > " ("" for the preamble). */
  section: z.string(),
  sentence: z.string(),
  /** Why `due` could not be checked against the calendar (a year without data). */
  problem: z.string().optional(),
});

/** A draft checklist made from one notice (`tasks-from --json` prints exactly this). */
export const TaskDraftSchema = z.object({
  /** Corpus file name. */
  document: z.string(),
  title: z.string(),
  issuer: z.string().optional(),
  date: z.string().optional(),
  /** The year month-day deadlines are read in. */
  year: z.number().int(),
  tasks: z.array(DraftTaskSchema),
  /** Everything that could not be read or checked, in Chinese, with the sentence when there is one. */
  problems: z.array(z.object({ message: z.string(), sentence: z.string().optional(), section: z.string().optional() })),
});
export type DraftTask = z.infer<typeof DraftTaskSchema>;
export type TaskDraft = z.infer<typeof TaskDraftSchema>;

/**
 * The sentences of a document's indexed chunks in reading order, each once (chunks repeat one sentence of
 * overlap). Takes the records of one document (measures are skipped). A table row (`unit: 'table-row'`)
 * is one sentence that keeps its cells (`row`), so that a deadline cell's task is read from its own row.
 */
export function noticeSentences(records: { type?: string; unit?: string; table?: TableRowInfo; text: string; sectionPath?: string[]; start?: number }[]): NoticeSentence[] {
  const seen = new Set<string>();
  const out: NoticeSentence[] = [];
  const chunks = records.filter((r) => r.type !== 'measure').sort((a, b) => (a.start ?? 0) - (b.start ?? 0));
  for (const r of chunks) {
    const section = r.sectionPath ?? [];
    if (r.unit === 'table-row' && r.table) {
      const key = `${section.join('>')}\u0000${r.text}`;
      if (!seen.has(key)) out.push({ text: r.text, section, row: r.table });
      seen.add(key);
      continue;
    }
    for (const s of r.text.split('\n').flatMap((line) => splitSentences(Traced.of(line)))) {
      const key = `${section.join('>')}\u0000${s.text}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ text: s.text, section });
    }
  }
  return out;
}

/**
 * The document named by `name`: a corpus file name, its stem, its exact title, or the one title containing
 * `name`. @throws Error (Chinese) when none or several match.
 */
export function findDocument(docs: DocumentInfo[], name: string): DocumentInfo {
  const n = name.trim();
  const exact = docs.find((d) => d.source === n || d.source.replace(/\.[^.]+$/, '') === n || d.title === n);
  if (exact) return exact;
  const partial = docs.filter((d) => d.title.includes(n));
  if (partial.length === 1) return partial[0]!;
  if (!partial.length) throw new Error(`找不到文档“${n}”：请给出语料中的文件名、文件名主干或标题（共 ${docs.length} 篇，可用 search 查找）`);
  throw new Error(`“${n}”对应多篇文档，请写得更具体：${partial.map((d) => `${d.source}《${d.title}》`).join('；')}`);
}

type Match = { start: number; end: number; printed: string; resolve: (ctx: Ctx) => Resolved };
type Resolved = { date?: string; recurrence?: { rule: Recurrence; text: string }; note?: string; error?: string };
interface Ctx {
  year: number;
  reference: string;
}

const BEFORE = String.raw`\s*(?:之前|以前|前)(?!后)`;
const MD = String.raw`(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日|(底))`;

function ymd(year: number, month: number, day: number | 'end'): string | undefined {
  const first = DateTime.fromObject({ year, month, day: 1 }, { zone: ZONE });
  if (!first.isValid) return undefined;
  const d = day === 'end' ? first.endOf('month') : first.set({ day });
  return d.isValid && d.month === month ? d.toISODate()! : undefined;
}

function dated(printed: string, year: number, month: string, day: string | undefined): Resolved {
  const d = ymd(year, Number(month), day ? Number(day) : 'end');
  return d ? { date: d } : { error: `“${printed}”不是有效日期` };
}

const QUARTER_MONTH: Record<string, number> = { 首月: 1, 第一个月: 1, 第二个月: 2, 末月: 3, 最后一个月: 3, 第三个月: 3 };

/** Every deadline phrase of `text`, left to right, overlaps resolved in favour of the longer phrase. */
function deadlines(text: string): Match[] {
  const found: Match[] = [];
  const scan = (re: RegExp, make: (m: RegExpExecArray) => Match['resolve']) => {
    for (const m of text.matchAll(re)) found.push({ start: m.index, end: m.index + m[0].length, printed: m[0], resolve: make(m) });
  };
  scan(new RegExp(String.raw`(\d{4})\s*年\s*${MD}${BEFORE}`, 'g'), (m) => () => dated(m[0], Number(m[1]), m[2]!, m[3]));
  scan(new RegExp(String.raw`(?:次年|翌年|明年|下一?年度?)\s*${MD}${BEFORE}`, 'g'), (m) => (c) => dated(m[0], c.year + 1, m[1]!, m[2]));
  scan(new RegExp(String.raw`(?<![\d年])${MD}${BEFORE}`, 'g'), (m) => (c) => {
    const r = dated(m[0], c.year, m[1]!, m[2]);
    if (!r.date || r.date >= c.reference) return r;
    const next = dated(m[0], c.year + 1, m[1]!, m[2]);
    return { ...next, note: `“${m[0]}”早于通知日期 ${c.reference}，按 ${c.year + 1} 年计` };
  });
  scan(new RegExp(String.raw`(?:(\d{4})\s*年|(?:本|今)?年)底${BEFORE}`, 'g'), (m) => (c) => ({ date: `${m[1] ?? c.year}-12-31` }));
  scan(
    new RegExp(
      // 每人每年, 每村每月: a rate, not a duty
      String.raw`(?<!每[^，；。\s]{1,2})每(月|季度?|半年|年度?)(?:(首月|第一个月|第二个月|末月|最后一个月|第三个月)?\s*(\d{1,2})\s*日|(\d{1,2})\s*月\s*(\d{1,2})\s*日|((?:年|季度?|月)?(?:末|底)))?(?:${BEFORE})?`,
      'g',
    ),
    (m) => (c) => recurring(m, c),
  );
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Match[] = [];
  for (const f of found) if ((!out.length || f.start >= out.at(-1)!.end) && !quoted(text, f.start)) out.push(f);
  return out;
}

/** True when `at` lies inside “…”: a quoted phrase names something (建立“每月一题”工作机制), it sets no deadline. */
function quoted(text: string, at: number): boolean {
  let depth = 0;
  for (let i = 0; i < at; i++) {
    if (text[i] === '“') depth++;
    else if (text[i] === '”' && depth > 0) depth--;
  }
  return depth > 0;
}

/** A 每… phrase as a checklist recurrence and its first occurrence on or after the notice's date. */
function recurring(m: RegExpExecArray, c: Ctx): Resolved {
  const [printed, periodRaw, quarterMonth, dayRaw, yMonth, yDay, end] = m;
  const period = periodRaw!.replace(/度$/, '');
  const day = dayRaw ? Number(dayRaw) : undefined;
  let rule: Recurrence;
  let text: string;
  const unprinted = '（原文未写日期，按期末计）';
  if (period === '月') {
    if (yMonth) return { error: `“${printed}”无法理解` };
    rule = { every: 'monthly', day: day ?? 31 };
    text = day ? `每月${day}日前` : `每月最后一天前${end ? '' : unprinted}`;
  } else if (period === '季') {
    if (day && !quarterMonth) return { error: `“${printed}”没有写明是季度的哪个月，未列为任务` };
    const month = quarterMonth ? QUARTER_MONTH[quarterMonth]! : 3;
    rule = { every: 'quarterly', month, day: day ?? 31 };
    text = day ? `每季度${['首月', '第二个月', '末月'][month - 1]}${day}日前` : `每季度最后一天前${end ? '' : unprinted}`;
  } else if (period === '半年') {
    if (day || yMonth) return { error: `“${printed}”无法理解` };
    rule = { rrule: 'FREQ=YEARLY;BYMONTH=6,12;BYMONTHDAY=-1' };
    text = `每半年最后一天前（6月30日、12月31日）${end ? '' : unprinted}`;
  } else {
    if (day && !yMonth) return { error: `“${printed}”没有写明月份，未列为任务` };
    rule = yMonth ? { every: 'yearly', month: Number(yMonth), day: Number(yDay) } : { every: 'yearly', month: 12, day: 31 };
    text = yMonth ? `每年${yMonth}月${yDay}日前` : `每年12月31日前${end ? '' : unprinted}`;
  }
  const item = { id: 'x', title: '', assignees: [], reminders: [], escalation: null, recurrence: rule, starts: c.reference } satisfies ChecklistItem;
  const until = DateTime.fromISO(c.reference, { zone: ZONE }).plus({ years: 1 }).toISODate()!;
  const next = nominalDueDates(item, c.reference, until)[0];
  return next ? { date: next, recurrence: { rule, text } } : { error: `“${printed}”在一年内没有日期` };
}

/** Clauses of a sentence at ，；：, never inside quotes or brackets, with their offsets. */
function clauses(sentence: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= sentence.length; i++) {
    const ch = sentence[i];
    if (ch && '“（(《「'.includes(ch)) depth++;
    else if (ch && '”）)》」'.includes(ch)) depth = Math.max(0, depth - 1);
    if (ch === undefined || (depth === 0 && '，；：,;:'.includes(ch))) {
      out.push({ text: sentence.slice(start, i), start });
      start = i + 1;
    }
  }
  return out;
}

/** Words a subject (责任主体) of an official notice ends with: bodies and posts. */
const SUBJECT_END = String.raw`(?:党委|党组|党工委|（工）委|工委|党支部|支部|党组织|党小组|单位|部门|机关|书记|委员|党员|干部|组织部|科|局|处|办公室|中心|街道|社区)`;
/** What follows a subject: a modal, 于/在 + time, 每…, or an adverb of manner. */
const SUBJECT_NEXT = String.raw`(?:要|应|须|需|务必|必须|于|在|每|将|把|按|及时|认真|切实|严格|统一|负责|均|都|\d)`;
const SUBJECT = new RegExp(String.raw`^(?!对|由|按|根据|经)([^，；：。\s“”]{0,24}?${SUBJECT_END})(?=${SUBJECT_NEXT})`);
const NUMBER_LEAD = /^(?:第[一二三四五六七八九十百零〇\d]+条|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.．、])\s*/;
const LEADING_CONNECTIVE = /^(?:并|且|再|然后)/;
const TRAILING_CONNECTIVE = /(?:要在|须在|应在|要于|须于|应于|务必于|必须于|于|在|要|应|须|需|务必|必须|均|都|统一)$/;

/** The task a deadline at [start,end) of `sentence` governs, and who is named for it. */
function taskOf(sentence: string, start: number, end: number): { title: string; who?: string } {
  // an article or item number opening the sentence (第七条 流出地党组织应当…) is not part of its subject
  const lead = NUMBER_LEAD.exec(sentence)?.[0].length ?? 0;
  const parts = clauses(sentence).map((p) => (p.start === 0 ? { text: p.text.slice(lead), start: lead } : p));
  const idx = parts.findIndex((p, i) => start >= p.start && (i === parts.length - 1 || start < parts[i + 1]!.start));
  const clause = parts[idx]!;
  let before = clause.text.slice(0, start - clause.start);
  const after = clause.text
    .slice(end - clause.start)
    .replace(/[。！？；…\s]+$/, '')
    .replace(LEADING_CONNECTIVE, '')
    .trim();
  let who: string | undefined;
  const own = SUBJECT.exec(`${before}于`);
  if (own) {
    who = own[1];
    before = before.slice(own[1]!.length);
  } else {
    // the subject of a Chinese sentence carries over its comma clauses: the nearest earlier one that names it
    for (let i = idx - 1; i >= 0 && !who; i--) who = SUBJECT.exec(parts[i]!.text)?.[1];
  }
  const rest = before.replace(TRAILING_CONNECTIVE, '').replace(TRAILING_CONNECTIVE, '').trim();
  // “班子自查须于12月15日前完成” → 完成班子自查
  const title = after.length > 3 || !rest ? after || rest : `${after}${rest}`;
  return { title, who };
}

/** Column headers of a table's item (the row's own task): 事项, 工作任务, 具体内容, 报送材料… */
const ITEM_HEADER = /事项|任务|内容|工作|项目|名称|材料|措施|要求/;
/** Column headers of who is responsible: 责任单位, 牵头部门, 负责人… */
const WHO_HEADER = /责任|负责|牵头|承办|主体|配合|单位|部门|对象/;
/** Column headers of a date or period: 完成时间, 截止日期, 时限… */
const TIME_HEADER = /时间|日期|时限|期限|截止|节点/;
/** A sequence-number cell: 1, 01, 一, （一）. */
const SEQUENCE_CELL = /^[（(]?(?:\d{1,3}|[一二三四五六七八九十]{1,3})[）)]?[.．、]?$/;

/**
 * The deadlines of one table row, each with its task and who: a cell that is only a date (“12月10日前”)
 * takes the row's item — the cell under an item header (事项, 任务, 内容…; the nearest one to the left of
 * the date when there are several), else the nearest text cell to the left that is not a number, a date
 * or a who — so that rows sharing a stage (阶段：报送材料) keep their own items (述职报告, 问题清单…).
 * A cell that is a clause of its own (各支部于12月10日前报送) is read like a sentence. Who is the cell under
 * a who header (责任单位…) unless the clause names one.
 */
function rowDeadlines(row: TableRowInfo): { m: Match; title: string; who?: string }[] {
  const header = (j: number) => row.header[j] ?? '';
  const usable = (j: number, i: number) => j !== i && Boolean(row.cells[j]?.trim()) && !SEQUENCE_CELL.test(row.cells[j]!.trim()) && !TIME_HEADER.test(header(j)) && !deadlines(row.cells[j]!).length;
  const whoAt = row.cells.findIndex((c, j) => WHO_HEADER.test(header(j)) && !ITEM_HEADER.test(header(j)) && Boolean(c?.trim()));
  const out: { m: Match; title: string; who?: string }[] = [];
  row.cells.forEach((cell, i) => {
    for (const m of deadlines(cell)) {
      const own = taskOf(cell, m.start, m.end);
      const candidates = row.cells.map((_, j) => j).filter((j) => usable(j, i) && j !== whoAt);
      const byHeader = candidates.filter((j) => ITEM_HEADER.test(header(j)));
      const pick = (js: number[]) => js.filter((j) => j < i).at(-1) ?? js[0];
      const itemAt = pick(byHeader) ?? pick(candidates);
      const item = itemAt === undefined ? '' : row.cells[itemAt]!.trim();
      const title = own.title.length > 3 || !item ? own.title : own.title && !item.includes(own.title) ? `${own.title}${item}` : item;
      const who = own.who ?? (whoAt >= 0 && whoAt !== i ? row.cells[whoAt]!.trim() : undefined);
      out.push({ m, title, ...(who ? { who } : {}) });
    }
  });
  return out;
}

/**
 * Tasks without repeats: two tasks with the same due date (and rule) whose titles are equal or one holds the
 * other (a table row's 述职报告 and the text's 报送述职报告) are one task. The one with the longer title is
 * kept, at the place of the first; it takes the other's `who` when it names none.
 */
function withoutRepeats(tasks: DraftTask[]): DraftTask[] {
  const out: DraftTask[] = [];
  for (const t of tasks) {
    const same = out.findIndex(
      (o) => o.due === t.due && o.recurrence?.text === t.recurrence?.text && (o.title.includes(t.title) || t.title.includes(o.title)),
    );
    if (same < 0) {
      out.push(t);
      continue;
    }
    const o = out[same]!;
    const keep = t.title.length > o.title.length ? t : o;
    const other = keep === t ? o : t;
    out[same] = { ...keep, ...(keep.who || !other.who ? {} : { who: other.who }) };
  }
  return out;
}

const WEEKDAY = ['一', '二', '三', '四', '五', '六', '日'];

/** `date` moved to the previous working day, or why the calendar cannot say. Rethrows anything but CalendarMissingError. */
function workingDue(date: string, cal: WorkCalendar): Pick<DraftTask, 'due' | 'movedFrom' | 'movedBecause' | 'problem'> {
  try {
    const due = cal.onOrBeforeWorkday(date);
    if (due === date) return { due };
    const weekday = DateTime.fromISO(date, { zone: ZONE }).weekday;
    return { due, movedFrom: date, movedBecause: cal.holidayName(date) ?? `星期${WEEKDAY[weekday - 1]}` };
  } catch (e) {
    if (!(e instanceof CalendarMissingError)) throw e;
    return { due: date, problem: e.message };
  }
}

/**
 * Builds the draft checklist of a notice.
 * @param notice the document and its sentences in reading order ({@link noticeSentences}).
 * @param cal the working-day calendar (`loadCalendar`).
 * @param options.year the year of month-day deadlines (default: the year of the document's date).
 * @returns the draft, validated against {@link TaskDraftSchema}.
 * @throws Error (Chinese) when neither the document's date nor `options.year` gives a year.
 */
export function tasksFromNotice(
  notice: { document: NoticeDocument; sentences: NoticeSentence[] },
  cal: WorkCalendar,
  options: { year?: number } = {},
): TaskDraft {
  const { document } = notice;
  const docYear = document.date ? Number(document.date.slice(0, 4)) : undefined;
  const year = options.year ?? docYear;
  if (!year) throw new Error(`《${document.title}》没有成文日期，无法确定“X月X日前”的年份：请用 --year 指定`);
  // recurrences start, and month-days roll over, from the notice's date (its first day when only YYYY-MM is known)
  const [, month = '1', day = '1'] = docYear === year ? document.date!.split('-') : [];
  const reference = ymd(year, Number(month), Number(day)) ?? `${year}-01-01`;
  const ctx: Ctx = { year, reference };
  const tasks: DraftTask[] = [];
  const problems: TaskDraft['problems'] = cal.problems.map((p) => ({ message: `工作日历文件 ${p.file} 无法使用：${p.reason}` }));
  for (const s of notice.sentences) {
    const section = s.section.join(' > ');
    const found = s.row ? rowDeadlines(s.row) : deadlines(s.text).map((m) => ({ m, ...taskOf(s.text, m.start, m.end) }));
    for (const { m, title, who } of found) {
      const r = m.resolve(ctx);
      if (r.note) problems.push({ message: r.note, sentence: s.text, section });
      if (!r.date) {
        problems.push({ message: r.error ?? `“${m.printed}”无法解析`, sentence: s.text, section });
        continue;
      }
      const heading = s.section.at(-1)?.replace(/^[（(]?[一二三四五六七八九十\d]+[）)、.．]\s*/, '');
      const task: DraftTask = {
        title: title || heading || s.text,
        ...workingDue(r.date, cal),
        printedDue: m.printed.trim(),
        ...(r.recurrence ? { recurrence: r.recurrence } : {}),
        ...(who ? { who } : {}),
        section,
        sentence: s.text,
      };
      if (task.problem) problems.push({ message: `“${task.title}”的截止日期 ${task.due} 无法按工作日核对：${task.problem}`, sentence: s.text, section });
      tasks.push(task);
    }
  }
  return TaskDraftSchema.parse({
    document: document.source,
    title: document.title,
    ...(document.issuer ? { issuer: document.issuer } : {}),
    ...(document.date ? { date: document.date } : {}),
    year,
    tasks: withoutRepeats(tasks),
    problems,
  });
}

/** The draft as text for a person: one block per task, then the problems. */
export function formatTaskDraft(d: TaskDraft): string {
  const lines = [`《${d.title}》（${d.document}${d.issuer ? `，${d.issuer}` : ''}${d.date ? `，${d.date}` : ''}）`, `找到 ${d.tasks.length} 项任务：`];
  d.tasks.forEach((t, i) => {
    const day = (iso: string) => `${iso}（星期${WEEKDAY[DateTime.fromISO(iso, { zone: ZONE }).weekday - 1]}）`;
    const moved = t.movedFrom ? `，原定 ${t.movedFrom} 为${t.movedBecause}，提前到前一个工作日` : '';
    const rule = t.recurrence ? `，${t.recurrence.text}，下一次` : '';
    lines.push(`${i + 1}. ${t.title}${t.who ? `  —— ${t.who}` : ''}`);
    lines.push(`   截止：${t.printedDue}${rule} → ${day(t.due)}${moved}${t.problem ? '（未能按工作日核对，见下方问题）' : ''}`);
    lines.push(`   出处：${t.section || '正文开头'}：${t.sentence}`);
  });
  if (d.problems.length) {
    lines.push('问题：');
    for (const p of d.problems) lines.push(`  · ${p.message}${p.sentence ? `（${p.section ? `${p.section}：` : ''}${p.sentence}）` : ''}`);
  }
  return lines.join('\n');
}
