import { DateTime } from 'luxon';
import { CalendarMissingError, ZONE, type WorkCalendar } from './calendar.js';
import type { Checklist, Person } from './checklist.js';
import { eventsBetween, localDate, type CalendarProblem } from './schedule.js';

/** The `remind --dry-run --json` output: what would be sent at `at`. */
export interface DryRun {
  /** The moment, ISO 8601 with the +08:00 offset, minute precision (e.g. `2026-12-01T09:00+08:00`). */
  at: string;
  reminders: {
    chat_id: string;
    checklist: string;
    items: { id: string; title: string; due: string; assignees: Person[] }[];
  }[];
}

/**
 * Parses a `--at` value: an ISO local date-time without offset is Asia/Shanghai wall time
 * (`2026-12-01T09:00`); one with an offset or `Z` is converted. Throws an Error on anything else.
 */
export function parseAt(text: string): number {
  const d = DateTime.fromISO(text, { zone: ZONE, setZone: false });
  if (!d.isValid) throw new Error(`--at: 无法解析时间 “${text}”（格式如 2026-12-01T09:00，按 Asia/Shanghai 计）`);
  return d.toMillis();
}

/**
 * The reminder cards that would be sent at the minute of `atMs` (events firing in [minute, minute+60 s)),
 * one entry per checklist, items listed once each in due order. Pure: no database and no sending, so
 * done marks and earlier sends are not taken into account. Escalations and digests are not part of
 * this shape. Throws CalendarMissingError when `atMs` itself lies in a year without calendar data;
 * other calendar gaps (e.g. January due dates seen from late December) come back in `problems`.
 */
export function dryRun(checklists: Checklist[], cal: WorkCalendar, atMs: number): { result: DryRun; problems: CalendarProblem[] } {
  const minute = DateTime.fromMillis(atMs, { zone: ZONE }).startOf('minute');
  const day = localDate(minute.toMillis());
  cal.isWorkday(day); // fails loudly for a year without data
  const { events, problems } = eventsBetween(checklists, cal, minute.toMillis(), minute.toMillis() + 59_999);
  const reminders: DryRun['reminders'] = [];
  for (const c of checklists) {
    const seen = new Set<string>();
    const items = events
      .filter((e) => e.kind === 'reminder' && e.checklist === c)
      .map((e) => e.occ!)
      .sort((a, b) => a.due.localeCompare(b.due) || a.item.id.localeCompare(b.item.id))
      .filter((o) => (seen.has(`${o.item.id}|${o.occurrence}`) ? false : (seen.add(`${o.item.id}|${o.occurrence}`), true)))
      .map((o) => ({ id: o.item.id, title: o.item.title, due: o.due, assignees: o.item.assignees }));
    if (items.length) reminders.push({ chat_id: c.chat_id, checklist: c.id, items });
  }
  return { result: { at: minute.toISO({ suppressMilliseconds: true, suppressSeconds: true })!, reminders }, problems };
}

/**
 * Every distinct minute in [fromMs, toMs] at which at least one reminder fires (epoch ms, ascending),
 * for schedule listings such as scripts/remind-december.ts.
 */
export function reminderMinutes(checklists: Checklist[], cal: WorkCalendar, fromMs: number, toMs: number): { minutes: number[]; problems: CalendarProblem[] } {
  const { events, problems } = eventsBetween(checklists, cal, fromMs, toMs);
  const minutes = [...new Set(events.filter((e) => e.kind === 'reminder').map((e) => e.fireAt))].sort((a, b) => a - b);
  return { minutes, problems };
}

export { CalendarMissingError };
