import { DateTime } from 'luxon';
import { addDays, CalendarMissingError, ZONE, type WorkCalendar } from './calendar.js';
import type { Checklist, ChecklistItem } from './checklist.js';
import { nominalDueDates } from './recurrence.js';

/**
 * One occurrence of an item: `occurrence` is the nominal due date (YYYY-MM-DD, stable, part of the
 * keys), `due` the deadline moved to the previous working day when the nominal date is a weekend or
 * public holiday (调休 working weekends count as working days).
 */
export interface Occurrence {
  checklist: Checklist;
  item: ChecklistItem;
  occurrence: string;
  due: string;
}

/** Something the service sends at `fireAt` (epoch ms; the wall time is Asia/Shanghai). */
export interface ScheduledEvent {
  /** Exactly-once key: `<checklist>|<item>|<occurrence>|<offset>` (offset `d3@09:00`, `escalate`) or `<checklist>|digest|<week>`. */
  key: string;
  kind: 'reminder' | 'escalation' | 'digest';
  fireAt: number;
  checklist: Checklist;
  /** Set for reminders and escalations. */
  occ?: Occurrence;
  /** ISO week of a digest, e.g. 2026-W49. */
  week?: string;
}

/** A date the calendar could not judge (year without published data); the affected event is not scheduled. */
export interface CalendarProblem {
  checklist: string;
  item?: string;
  date: string;
  /** The full sentence, with the date asked for. */
  message: string;
  /** The same without the date: what is missing and where to fill it in (one per year; see {@link CalendarMissingError.reason}). */
  reason: string;
}

/** The epoch ms of local `date` (YYYY-MM-DD) at `hhmm` in Asia/Shanghai. */
export function localInstant(date: string, hhmm: string): number {
  return DateTime.fromISO(`${date}T${hhmm}`, { zone: ZONE }).toMillis();
}

/** The Asia/Shanghai calendar date (YYYY-MM-DD) of epoch ms `ms`. */
export function localDate(ms: number): string {
  return DateTime.fromMillis(ms, { zone: ZONE }).toISODate()!;
}

/** The Asia/Shanghai wall time HH:MM of epoch ms `ms`. */
export function localTime(ms: number): string {
  return DateTime.fromMillis(ms, { zone: ZONE }).toFormat('HH:mm');
}

/**
 * Occurrences of `item` whose nominal date lies in [from, to] (YYYY-MM-DD), each with its
 * working-day adjusted due date. Throws CalendarMissingError when a nominal date's year has no data.
 */
export function occurrencesOf(checklist: Checklist, item: ChecklistItem, from: string, to: string, cal: WorkCalendar): Occurrence[] {
  return nominalDueDates(item, from, to).map((occurrence) => ({ checklist, item, occurrence, due: cal.onOrBeforeWorkday(occurrence) }));
}

/** Label of a reminder offset inside keys: `d<days>@HH:MM`. */
export function offsetLabel(o: { days_before: number; at: string }): string {
  return `d${o.days_before}@${o.at}`;
}

/**
 * Every event whose fire time lies in [fromMs, toMs] (epoch ms), sorted by time then key.
 * Rules:
 * - reminder: `days_before` calendar days before the adjusted due date, moved to the previous
 *   working day when that day is not one, at the offset's HH:MM (Asia/Shanghai);
 * - escalation: on the `after_workdays`-th working day after the adjusted due date, at its HH:MM;
 * - digest: the configured ISO weekday of every week at HH:MM, moved to the previous working day
 *   when needed, and dropped when that leaves the week (e.g. a week-long 春节 holiday).
 * Dates in a year without calendar data are not guessed: they produce a {@link CalendarProblem}
 * and the affected event is left out. Pure: depends only on its arguments.
 */
export function eventsBetween(
  checklists: Checklist[],
  cal: WorkCalendar,
  fromMs: number,
  toMs: number,
): { events: ScheduledEvent[]; problems: CalendarProblem[] } {
  const events: ScheduledEvent[] = [];
  const problems: CalendarProblem[] = [];
  const fromDate = localDate(fromMs);
  const toDate = localDate(toMs);
  const inWindow = (t: number) => t >= fromMs && t <= toMs;
  const guard = (checklist: string, item: string | undefined, fn: () => void) => {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof CalendarMissingError)) throw e;
      problems.push({ checklist, item, date: e.date, message: e.message, reason: e.reason });
    }
  };
  for (const c of checklists) {
    for (const item of c.items) {
      const maxBefore = Math.max(0, ...item.reminders.map((r) => r.days_before));
      const escDays = item.escalation ? item.escalation.after_workdays : 0;
      // Nominal dates whose events could fire in the window: reminders fire up to maxBefore days
      // (plus a holiday shift, at most ~12 days) before, escalations up to ~3x their working days after.
      const lo = addDays(fromDate, -(escDays * 3 + 20));
      const hi = addDays(toDate, maxBefore + 12);
      let nominal: string[] = [];
      guard(c.id, item.id, () => {
        nominal = nominalDueDates(item, lo, hi);
      });
      for (const n of nominal) {
        guard(c.id, item.id, () => {
          const occ: Occurrence = { checklist: c, item, occurrence: n, due: cal.onOrBeforeWorkday(n) };
          for (const r of item.reminders) {
            const day = cal.onOrBeforeWorkday(addDays(occ.due, -r.days_before));
            const t = localInstant(day, r.at);
            if (inWindow(t)) events.push({ key: `${c.id}|${item.id}|${n}|${offsetLabel(r)}`, kind: 'reminder', fireAt: t, checklist: c, occ });
          }
          if (item.escalation && occ.due <= toDate) {
            const t = localInstant(cal.addWorkdays(occ.due, item.escalation.after_workdays), item.escalation.at);
            if (inWindow(t)) events.push({ key: `${c.id}|${item.id}|${n}|escalate`, kind: 'escalation', fireAt: t, checklist: c, occ });
          }
        });
      }
    }
    if (c.digest) {
      const digest = c.digest;
      let wk = DateTime.fromISO(fromDate, { zone: ZONE }).minus({ weeks: 1 }).startOf('week');
      for (; wk.toISODate()! <= toDate; wk = wk.plus({ weeks: 1 })) {
        const nominal = wk.plus({ days: digest.weekday - 1 }).toISODate()!;
        guard(c.id, undefined, () => {
          const day = cal.onOrBeforeWorkday(nominal);
          if (day < wk.toISODate()!) return;
          const t = localInstant(day, digest.at);
          const week = `${wk.weekYear}-W${String(wk.weekNumber).padStart(2, '0')}`;
          if (inWindow(t)) events.push({ key: `${c.id}|digest|${week}`, kind: 'digest', fireAt: t, checklist: c, week });
        });
      }
    }
  }
  events.sort((a, b) => a.fireAt - b.fireAt || a.key.localeCompare(b.key));
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const k = `${p.checklist}|${p.item}|${p.date.slice(0, 4)}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
  return { events, problems: unique };
}

/**
 * The open/overdue/done view of a checklist at `nowMs`: for each item, every occurrence with adjusted
 * due date in [today - lookbackDays, today) (past ones) plus the next one due on or after today.
 * `isDone(checklist, item, occurrence)` says whether an occurrence was marked done.
 * Occurrences in years without calendar data go to `problems`.
 */
export function taskView(
  checklist: Checklist,
  cal: WorkCalendar,
  nowMs: number,
  lookbackDays = 62,
): { occurrences: Occurrence[]; problems: CalendarProblem[] } {
  const today = localDate(nowMs);
  const out: Occurrence[] = [];
  const problems: CalendarProblem[] = [];
  const attempt = (item: ChecklistItem, fn: () => void) => {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof CalendarMissingError)) throw e;
      problems.push({ checklist: checklist.id, item: item.id, date: e.date, message: e.message, reason: e.reason });
    }
  };
  for (const item of checklist.items) {
    // Past occurrences, each on its own so that one date without calendar data does not hide the rest.
    for (const n of nominalDueDates(item, addDays(today, -lookbackDays), addDays(today, 12))) {
      attempt(item, () => {
        const due = cal.onOrBeforeWorkday(n);
        if (due < today) out.push({ checklist, item, occurrence: n, due });
      });
    }
    // The next occurrence: the first nominal date (searching ~13 months ahead) whose due date is today or later.
    // Dates are judged one by one, so a later year without calendar data does not hide a near occurrence.
    attempt(item, () => {
      for (const n of nominalDueDates(item, today, addDays(today, 400))) {
        const due = cal.onOrBeforeWorkday(n);
        if (due >= today) {
          out.push({ checklist, item, occurrence: n, due });
          return;
        }
      }
    });
  }
  out.sort((a, b) => a.due.localeCompare(b.due) || a.item.id.localeCompare(b.item.id));
  return { occurrences: out, problems };
}
