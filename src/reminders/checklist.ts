import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { z } from 'zod';
import { checklistErrorMap, yamlReason } from './problems-zh.js';
import { parseRrule } from './recurrence.js';

/** A Feishu user: `open_id` (`ou_…`) and display name. */
export interface Person {
  open_id: string;
  name: string;
}

/**
 * When an item is due. Dates are calendar dates in Asia/Shanghai.
 * - monthly: day N of every month (N larger than the month → its last day);
 * - quarterly: day N of the `month`-th month of every quarter (1..3; 3 = Mar/Jun/Sep/Dec);
 * - yearly: `month`/`day` every year;
 * - rrule: an RFC 5545 RRULE body such as `FREQ=MONTHLY;BYDAY=FR;BYSETPOS=1` (evaluated by the
 *   `rrule` library on dates only; time-of-day parts are ignored).
 */
export type Recurrence =
  | { every: 'monthly'; day: number }
  | { every: 'quarterly'; month: number; day: number }
  | { every: 'yearly'; month: number; day: number }
  | { rrule: string };

/** A reminder `days_before` the (working-day adjusted) due date, at `at` (HH:MM, Asia/Shanghai). */
export interface ReminderOffset {
  days_before: number;
  at: string;
}

/** Notify the checklist owner once when an item is still open `after_workdays` working days after its due date, at `at`. */
export interface Escalation {
  after_workdays: number;
  at: string;
}

/** One duty of a checklist, after template merging and defaults. */
export interface ChecklistItem {
  id: string;
  title: string;
  assignees: Person[];
  /** A one-off deadline (YYYY-MM-DD) … */
  due?: string;
  /** … or a recurrence (exactly one of the two). */
  recurrence?: Recurrence;
  /** First date (YYYY-MM-DD) from which occurrences count; earlier ones are ignored. */
  starts?: string;
  /** Last date (YYYY-MM-DD) of the recurrence, inclusive. */
  until?: string;
  reminders: ReminderOffset[];
  escalation: Escalation | null;
  /** Optional measure id from the knowledge index, `<source-stem>#m<k>` (stored and displayed only). */
  measure?: string;
  /** Where the rule comes from, e.g. 《中国共产党支部工作条例（试行）》第十二条. */
  source?: string;
  note?: string;
}

/** A group's checklist as the scheduler uses it. */
export interface Checklist {
  /** Stable id (default: the file name without extension). Part of every send key: do not rename casually. */
  id: string;
  name: string;
  file: string;
  chat_id: string;
  /** The owner (usually the branch secretary); `chat_id` optionally names a private chat for escalations. */
  owner: Person & { chat_id?: string };
  /** True for shipped example data (fake ids). */
  example: boolean;
  /** No sends inside [start, end) local time; wraps past midnight when end < start. */
  quiet_hours: { start: string; end: string } | null;
  /** Weekly digest on ISO weekday 1..7 at HH:MM, or null for none. */
  digest: { weekday: number; at: string } | null;
  items: ChecklistItem[];
}

/** A problem found while loading: file, 1-based line/column when known, and the reason. */
export interface LoadProblem {
  file: string;
  line?: number;
  col?: number;
  reason: string;
}

/** Result of {@link loadChecklists}: the valid checklists and the problems of the broken files. */
export interface LoadResult {
  checklists: Checklist[];
  problems: LoadProblem[];
  /** Every checklist file read, with its checklist when valid, or its problems (which may point into a template file). */
  files: { file: string; checklist?: Checklist; problems: LoadProblem[] }[];
}

const Hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式应为 HH:MM（24 小时制）');
const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), '不存在的日期');
const PersonSchema = z.strictObject({
  open_id: z.string().regex(/^ou_[A-Za-z0-9_-]+$/, 'open_id 应以 ou_ 开头'),
  name: z.string().min(1),
});
const ChatId = z.string().regex(/^oc_[A-Za-z0-9_-]+$/, 'chat_id 应以 oc_ 开头');
const Day = z.number().int('day 应为整数').min(1, '日期 day 应为 1–31').max(31, '日期 day 应为 1–31（31 表示当月最后一天）');
const RecurrenceSchema = z.union(
  [
    z.strictObject({ every: z.literal('monthly'), day: Day }),
    z.strictObject({
      every: z.literal('quarterly'),
      month: z.number().int().min(1, '季度中的第几个月应为 1–3').max(3, '季度中的第几个月应为 1–3（1 = 季度首月，3 = 季度末月即 3/6/9/12 月；不是月份本身）'),
      day: Day,
    }),
    z.strictObject({ every: z.literal('yearly'), month: z.number().int().min(1, '月份应为 1–12').max(12, '月份应为 1–12'), day: Day }),
    z.strictObject({ rrule: z.string().min(1) }),
  ],
  { error: 'recurrence 应为 { every: monthly, day: 15 }、{ every: quarterly, month: 3, day: 18 }、{ every: yearly, month: 12, day: 22 } 或 { rrule: ... } 之一' },
);
const OffsetSchema = z.strictObject({ days_before: z.number().int().min(0).max(60), at: Hhmm.default('09:00') });
const EscalationSchema = z.union(
  [z.literal(false), z.strictObject({ after_workdays: z.number().int().min(1).max(60), at: Hhmm.default('10:00') })],
  { error: 'escalation 应为 false（不督办）或 { after_workdays: 2, at: \'10:00\' }' },
);
const MeasureId = z.string().regex(/^[^#\s]+#m\d+$/, 'measure 应为 <source-stem>#m<k>，如 001_02e902364aa12d71#m3');
const ItemId = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'id 只能用小写字母、数字、- 和 _');

/** Fields an item may carry in a file (template or checklist). In a checklist, an entry whose id matches a template item overrides its fields. */
const ItemFields = {
  title: z.string().min(1),
  assignees: z.array(PersonSchema),
  roles: z.array(z.string().min(1)),
  due: IsoDate,
  recurrence: RecurrenceSchema,
  starts: IsoDate,
  until: IsoDate,
  reminders: z.array(OffsetSchema).min(1),
  escalation: EscalationSchema,
  measure: MeasureId,
  source: z.string(),
  note: z.string(),
};
const RawItem = z.strictObject({ id: ItemId, ...z.strictObject(ItemFields).partial().shape });
type RawItem = z.infer<typeof RawItem>;
const Defaults = z.strictObject({ reminders: z.array(OffsetSchema).min(1).optional(), escalation: EscalationSchema.optional() });

const TemplateSchema = z.strictObject({
  template: z.string().min(1),
  name: z.string().min(1),
  /** Chinese names of the roles its items use (`organizer: 组织委员`), for `/负责 组织委员 @…` in chat. */
  roles: z.record(z.string(), z.string().min(1)).optional(),
  sources: z.array(z.string()).optional(),
  defaults: Defaults.optional(),
  items: z.array(RawItem).min(1),
});

const ChecklistSchema = z.strictObject({
  id: ItemId.optional(),
  name: z.string().min(1),
  example: z.boolean().default(false),
  chat_id: ChatId,
  owner: z.strictObject({ ...PersonSchema.shape, chat_id: ChatId.optional() }),
  template: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/).optional(),
  roles: z.record(z.string(), z.array(PersonSchema)).default({}),
  skip: z.array(z.string()).default([]),
  starts: IsoDate.optional(),
  quiet_hours: z
    .union([z.literal(false), z.strictObject({ start: Hhmm, end: Hhmm })], { error: "quiet_hours 应为 false（不设免打扰）或 { start: '21:30', end: '08:00' }" })
    .default({ start: '21:30', end: '08:00' }),
  digest: z
    .union([z.literal(false), z.strictObject({ weekday: z.number().int().min(1, '星期应为 1–7（1 = 周一）').max(7, '星期应为 1–7（7 = 周日）'), at: Hhmm })], {
      error: "digest 应为 false（不发周报）或 { weekday: 5, at: '16:30' }",
    })
    .default({ weekday: 5, at: '16:30' }),
  defaults: Defaults.optional(),
  items: z.array(RawItem).default([]),
});

/** Parse options: Chinese messages for every zod issue (see problems-zh.ts). */
const ZH = { error: checklistErrorMap, reportInput: true } as const;

/** Built-in reminder offsets when neither item, checklist nor template sets them: 3 and 1 days before and on the day, 09:00. */
export const DEFAULT_REMINDERS: ReminderOffset[] = [
  { days_before: 3, at: '09:00' },
  { days_before: 1, at: '09:00' },
  { days_before: 0, at: '09:00' },
];
/** Built-in escalation: 2 working days overdue, 10:00. */
export const DEFAULT_ESCALATION: Escalation = { after_workdays: 2, at: '10:00' };

/** True when HH:MM `t` lies inside quiet hours [start, end) (wrapping past midnight when end < start). */
export function inQuietHours(t: string, q: { start: string; end: string } | null): boolean {
  if (!q) return false;
  return q.start <= q.end ? t >= q.start && t < q.end : t >= q.start || t < q.end;
}

class Located {
  readonly lc = new LineCounter();
  readonly doc: Document;
  constructor(readonly file: string, text: string) {
    this.doc = parseDocument(text, { lineCounter: this.lc });
  }
  /** Problems from YAML syntax. */
  syntax(): LoadProblem[] {
    return this.doc.errors.map((e) => ({ file: this.file, line: e.linePos?.[0].line, col: e.linePos?.[0].col, reason: yamlReason(e.code) }));
  }
  /** Location of the deepest existing node on `path`. */
  at(path: readonly PropertyKey[], reason: string): LoadProblem {
    for (let n = path.length; n >= 0; n--) {
      const node = this.doc.getIn(path.slice(0, n) as unknown[], true);
      if (isNode(node) && node.range) {
        const { line, col } = this.lc.linePos(node.range[0]);
        return { file: this.file, line, col, reason };
      }
    }
    return { file: this.file, reason };
  }
  zodProblems(error: z.ZodError, prefix: readonly PropertyKey[] = []): LoadProblem[] {
    return error.issues.map((i) => {
      const path = [...prefix, ...i.path];
      return this.at(path, `${path.join('.') || '(文件)'}: ${i.message}`);
    });
  }
}

/**
 * Parses one checklist file's text. `readTemplate(name)` returns the template file's path and text
 * (or undefined when missing). Returns the checklist, or the problems (file, line, reason) when broken.
 * Never throws for bad input.
 */
export function parseChecklist(
  file: string,
  text: string,
  readTemplate: (name: string) => { file: string; text: string } | undefined,
): { checklist?: Checklist; problems: LoadProblem[] } {
  const src = new Located(file, text);
  const syntax = src.syntax();
  if (syntax.length) return { problems: syntax };
  const parsed = ChecklistSchema.safeParse(src.doc.toJS(), ZH);
  if (!parsed.success) return { problems: src.zodProblems(parsed.error) };
  const c = parsed.data;
  const problems: LoadProblem[] = [];

  // Template items first (in template order), then the checklist's own items; same id = override.
  type Origin = { raw: RawItem; loc: Located; path: PropertyKey[] };
  const merged = new Map<string, Origin>();
  let tplDefaults: z.infer<typeof Defaults> | undefined;
  if (c.template) {
    const t = readTemplate(c.template);
    if (!t) return { problems: [src.at(['template'], `template: 找不到模板 templates/${c.template}.yaml`)] };
    const tsrc = new Located(t.file, t.text);
    const tsyntax = tsrc.syntax();
    if (tsyntax.length) return { problems: tsyntax };
    const tp = TemplateSchema.safeParse(tsrc.doc.toJS(), ZH);
    if (!tp.success) return { problems: tsrc.zodProblems(tp.error) };
    tplDefaults = tp.data.defaults;
    tp.data.items.forEach((raw, i) => {
      if (!c.skip.includes(raw.id)) merged.set(raw.id, { raw, loc: tsrc, path: ['items', i] });
    });
    c.skip.forEach((id, i) => {
      if (!tp.data.items.some((x) => x.id === id)) problems.push(src.at(['skip', i], `skip: 模板中没有条目 ${id}`));
    });
  } else if (c.skip.length) {
    problems.push(src.at(['skip'], 'skip: 只有使用 template 时才能跳过条目'));
  }
  const seen = new Set<string>();
  c.items.forEach((raw, i) => {
    if (seen.has(raw.id)) problems.push(src.at(['items', i, 'id'], `items.${i}.id: 条目 id 重复：${raw.id}`));
    seen.add(raw.id);
    const base = merged.get(raw.id);
    merged.set(raw.id, { raw: base ? { ...base.raw, ...raw } : raw, loc: src, path: ['items', i] });
  });

  const reminderDefaults = c.defaults?.reminders ?? tplDefaults?.reminders ?? DEFAULT_REMINDERS;
  const escalationDefault = c.defaults?.escalation ?? tplDefaults?.escalation ?? DEFAULT_ESCALATION;
  const quiet = c.quiet_hours === false ? null : c.quiet_hours;
  const items: ChecklistItem[] = [];
  for (const { raw, loc, path } of merged.values()) {
    const where = (field: string, reason: string) => loc.at([...path, field], `${[...path, field].join('.')}: ${reason}`);
    if (!raw.title) problems.push(where('title', '缺少 title'));
    if ((raw.due === undefined) === (raw.recurrence === undefined)) problems.push(where('due', '必须且只能设置 due 或 recurrence 之一'));
    if (raw.recurrence && 'rrule' in raw.recurrence) {
      try {
        parseRrule(raw.recurrence.rrule, raw.starts ?? c.starts ?? '2026-01-01');
      } catch (e) {
        problems.push(where('recurrence', `RRULE 无法解析：${(e as Error).message}`));
      }
    }
    const assignees: Person[] = [...(raw.assignees ?? [])];
    let missingRole = false;
    for (const role of raw.roles ?? []) {
      const people = c.roles[role];
      if (people) assignees.push(...people);
      else {
        missingRole = true;
        problems.push(src.at(['roles'], `roles: 条目 ${raw.id} 需要角色 ${role}，但 roles 中没有定义`));
      }
    }
    const uniq = [...new Map(assignees.map((p) => [p.open_id, p])).values()];
    if (!uniq.length && !missingRole) problems.push(where('assignees', `条目 ${raw.id} 没有负责人（设置 assignees 或 roles）`));
    const reminders = raw.reminders ?? reminderDefaults;
    for (const r of reminders) {
      if (inQuietHours(r.at, quiet)) problems.push(where('reminders', `提醒时间 ${r.at} 落在免打扰时段 ${quiet!.start}–${quiet!.end} 内`));
    }
    const esc = raw.escalation ?? escalationDefault;
    if (esc && inQuietHours(esc.at, quiet)) problems.push(where('escalation', `督办时间 ${esc.at} 落在免打扰时段内`));
    items.push({
      id: raw.id,
      title: raw.title ?? raw.id,
      assignees: uniq,
      due: raw.due,
      recurrence: raw.recurrence,
      starts: raw.starts ?? c.starts,
      until: raw.until,
      reminders: [...reminders].sort((a, b) => b.days_before - a.days_before),
      escalation: esc === false ? null : esc,
      measure: raw.measure,
      source: raw.source,
      note: raw.note,
    });
  }
  if (c.digest !== false && inQuietHours(c.digest.at, quiet)) problems.push(src.at(['digest', 'at'], `digest.at: 周报时间落在免打扰时段内`));
  if (problems.length) return { problems };
  return {
    problems: [],
    checklist: {
      id: c.id ?? basename(file).replace(/\.ya?ml$/, ''),
      name: c.name,
      file,
      chat_id: c.chat_id,
      owner: c.owner,
      example: c.example,
      quiet_hours: quiet,
      digest: c.digest === false ? null : c.digest,
      items,
    },
  };
}

/** A template as offered in chat: id, name, role names, and its items' ids, titles and roles. */
export interface TemplateInfo {
  id: string;
  name: string;
  file: string;
  /** role → Chinese name (the role itself when the template gives none). */
  roles: Record<string, string>;
  items: { id: string; title: string; roles: string[] }[];
}

/** The valid templates in `<dir>/templates/`, by file name; broken ones are left out (they are reported with the checklists using them). */
export function listTemplates(dir: string): TemplateInfo[] {
  const tdir = join(dir, 'templates');
  if (!existsSync(tdir)) return [];
  const out: TemplateInfo[] = [];
  for (const name of readdirSync(tdir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const file = join(tdir, name);
    const src = new Located(file, readFileSync(file, 'utf8'));
    if (src.syntax().length) continue;
    const t = TemplateSchema.safeParse(src.doc.toJS(), ZH);
    if (!t.success) continue;
    const roles: Record<string, string> = {};
    for (const i of t.data.items) for (const r of i.roles ?? []) roles[r] = t.data.roles?.[r] ?? r;
    out.push({ id: t.data.template, name: t.data.name, file, roles, items: t.data.items.map((i) => ({ id: i.id, title: i.title ?? i.id, roles: i.roles ?? [] })) });
  }
  return out;
}

/**
 * Loads every `*.yaml` / `*.yml` directly in `dir` (the checklist folder, `<DJ_DATA_DIR>/checklists`), with templates from
 * `<dir>/templates/<name>.yaml`. A broken file is reported in `problems` (file, line, reason) and skipped;
 * the others load. Duplicate checklist ids are a problem of the later file. Throws only if `dir` is unreadable.
 */
export function loadChecklists(dir: string): LoadResult {
  const checklists: Checklist[] = [];
  const problems: LoadProblem[] = [];
  const files: LoadResult['files'] = [];
  const readTemplate = (name: string) => {
    for (const ext of ['yaml', 'yml']) {
      const file = join(dir, 'templates', `${name}.${ext}`);
      if (existsSync(file)) return { file, text: readFileSync(file, 'utf8') };
    }
    return undefined;
  };
  for (const name of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const file = join(dir, name);
    const r = parseChecklist(file, readFileSync(file, 'utf8'), readTemplate);
    if (r.checklist && checklists.some((c) => c.id === r.checklist!.id)) {
      r.problems.push({ file, reason: `清单 id ${r.checklist.id} 与另一文件重复，已跳过` });
      delete r.checklist;
    }
    problems.push(...r.problems);
    files.push({ file, checklist: r.checklist, problems: r.problems });
    if (r.checklist) checklists.push(r.checklist);
  }
  return { checklists, problems, files };
}

/** Formats a problem as `file:line:col: reason` (the usual compiler style). */
export function formatProblem(p: LoadProblem): string {
  return `${p.file}${p.line ? `:${p.line}` : ''}${p.col ? `:${p.col}` : ''}: ${p.reason}`;
}
