import { DateTime } from 'luxon';
import { CalendarMissingError, ZONE, type WorkCalendar } from './calendar.js';
import type { Checklist, Person } from './checklist.js';
import { eventsBetween, localDate, type CalendarProblem, type ScheduledEvent } from './schedule.js';

/** An item as the dry run lists it. */
export interface DryRunItem {
  id: string;
  title: string;
  /** Working-day adjusted due date (YYYY-MM-DD). */
  due: string;
  assignees: Person[];
}

/** One checklist's part of a card in the dry run. */
export interface DryRunSection {
  checklist: string;
  /** The checklist's name, as the card titles it. */
  title: string;
  /** Items reminded of, in due order. */
  items: DryRunItem[];
  /** Overdue items escalated to the owner (`owner`, @mentioned on the card), in due order. */
  escalations: (DryRunItem & { owner: Person })[];
}

/** The `remind --dry-run --json` output: the cards that would be sent at `at`. */
export interface DryRun {
  /** The moment, ISO 8601 with the +08:00 offset, minute precision (e.g. `2026-12-01T09:00+08:00`). */
  at: string;
  /**
   * One entry per card: a chat's one card of the day (the group, or the owner's private chat for
   * escalations), with a section per checklist attached to that chat.
   */
  reminders: { chat_id: string; checklists: DryRunSection[] }[];
  /** The weekly digests (周报) due at that minute: one card per checklist in its group (done / pending / overdue). */
  digests: { chat_id: string; checklist: string; title: string }[];
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
 * The cards that would be sent at the minute of `atMs`, as the service groups them: a chat's reminders
 * and escalations of one day, of every checklist attached to it, share one card sent at the first of
 * their times; it is listed when that time lies in [minute, minute+60 s), with every event of the day,
 * a section per checklist (by earliest deadline, as the card orders them), each item once in due order. Pure: no database and no sending, so done marks
 * and earlier sends are not taken into account (an escalation is listed as if nothing was done), nor
 * are quiet hours. Digests are not part of this shape.
 * Throws CalendarMissingError when `atMs` itself lies in a year without calendar data; other calendar
 * gaps (e.g. January due dates seen from late December) come back in `problems`.
 */
export function dryRun(checklists: Checklist[], cal: WorkCalendar, atMs: number): { result: DryRun; problems: CalendarProblem[] } {
  const minute = DateTime.fromMillis(atMs, { zone: ZONE }).startOf('minute');
  const day = localDate(minute.toMillis());
  cal.isWorkday(day); // fails loudly for a year without data
  const { events, problems } = eventsBetween(checklists, cal, minute.startOf('day').toMillis(), minute.endOf('day').toMillis());
  const listed = (evs: ScheduledEvent[]) => {
    const seen = new Set<string>();
    return evs
      .map((e) => e.occ!)
      .sort((a, b) => a.due.localeCompare(b.due) || a.item.id.localeCompare(b.item.id))
      .filter((o) => (seen.has(`${o.item.id}|${o.occurrence}`) ? false : (seen.add(`${o.item.id}|${o.occurrence}`), true)))
      .map((o) => ({ id: o.item.id, title: o.item.title, due: o.due, assignees: o.item.assignees }));
  };
  const target = (e: ScheduledEvent) => (e.kind === 'escalation' ? (e.checklist.owner.chat_id ?? e.checklist.chat_id) : e.checklist.chat_id);
  const cardEvents = events.filter((e) => e.kind !== 'digest');
  const reminders: DryRun['reminders'] = [];
  for (const chat of [...new Set(cardEvents.map(target))]) {
    const card = cardEvents.filter((e) => target(e) === chat);
    const at = Math.min(...card.map((e) => e.fireAt));
    if (at < minute.toMillis() || at > minute.toMillis() + 59_999) continue;
    const sections: DryRunSection[] = [];
    for (const c of checklists) {
      const mine = card.filter((e) => e.checklist === c);
      if (!mine.length) continue;
      const owner = { open_id: c.owner.open_id, name: c.owner.name };
      const escalations = listed(mine.filter((e) => e.kind === 'escalation')).map((i) => ({ ...i, owner }));
      sections.push({ checklist: c.id, title: c.name, items: listed(mine.filter((e) => e.kind === 'reminder')), escalations });
    }
    // sections in the order the card shows them: by their earliest deadline
    const first = (x: DryRunSection) => [...x.items, ...x.escalations].map((i) => i.due).sort()[0] ?? '';
    reminders.push({ chat_id: chat, checklists: sections.sort((a, b) => first(a).localeCompare(first(b))) });
  }
  const inMinute = (e: ScheduledEvent) => e.fireAt >= minute.toMillis() && e.fireAt <= minute.toMillis() + 59_999;
  const digests = events.filter((e) => e.kind === 'digest' && inMinute(e)).map((e) => ({ chat_id: e.checklist.chat_id, checklist: e.checklist.id, title: e.checklist.name }));
  return { result: { at: minute.toISO({ suppressMilliseconds: true, suppressSeconds: true })!, reminders, digests }, problems };
}

/**
 * Every distinct minute in [fromMs, toMs] at which at least one reminder or escalation fires (epoch ms, ascending),
 * for schedule listings such as scripts/remind-december.ts.
 */
export function reminderMinutes(checklists: Checklist[], cal: WorkCalendar, fromMs: number, toMs: number): { minutes: number[]; problems: CalendarProblem[] } {
  const { events, problems } = eventsBetween(checklists, cal, fromMs, toMs);
  const minutes = [...new Set(events.filter((e) => e.kind !== 'digest').map((e) => e.fireAt))].sort((a, b) => a - b);
  return { minutes, problems };
}

/**
 * The calendar gaps of a schedule as one warning per missing year (not one per item and date): the
 * reason once (what is missing, the file to fill in), then the items it keeps from being scheduled
 * (`checklist/item`, `checklist` for a weekly digest), in order of first appearance.
 */
export function describeCalendarGaps(problems: CalendarProblem[]): string[] {
  const byReason = new Map<string, string[]>();
  for (const p of problems) {
    const what = `${p.checklist}${p.item ? `/${p.item}` : '（每周小结）'}`;
    const list = byReason.get(p.reason) ?? [];
    if (!list.includes(what)) list.push(what);
    byReason.set(p.reason, list);
  }
  return [...byReason].map(([reason, items]) => `${reason}
  暂无法排期（${items.length} 项）：${items.join('、')}`);
}

export { CalendarMissingError };
