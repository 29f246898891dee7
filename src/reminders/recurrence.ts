import rrulePkg from 'rrule';
import { DateTime } from 'luxon';
import type { ChecklistItem } from './checklist.js';
import { ZONE } from './calendar.js';

const { RRule } = rrulePkg;

/**
 * Builds an RRule from an RFC 5545 RRULE body (`FREQ=MONTHLY;BYDAY=FR;BYSETPOS=1`, an optional
 * `RRULE:` prefix is accepted) starting at `dtstart` (YYYY-MM-DD). Dates are "floating": the rule is
 * evaluated on UTC midnights and read back as calendar dates, so no time zone shifts a date.
 * Throws an Error when the text cannot be parsed or has no FREQ.
 */
export function parseRrule(body: string, dtstart: string): InstanceType<typeof RRule> {
  const text = body.replace(/^RRULE:/i, '').trim();
  if (!/(^|;)FREQ=/i.test(text)) throw new Error('缺少 FREQ');
  const opts = RRule.parseString(text);
  if (opts.dtstart) throw new Error('请用条目的 starts 字段代替 DTSTART');
  const rule = new RRule({ ...opts, dtstart: new Date(`${dtstart}T00:00:00Z`) });
  rule.after(new Date(`${dtstart}T00:00:00Z`), true); // forces evaluation so bad values fail here
  return rule;
}

function clampDay(year: number, month: number, day: number): string {
  const d = DateTime.fromObject({ year, month, day: 1 }, { zone: ZONE });
  return d.set({ day: Math.min(day, d.daysInMonth!) }).toISODate()!;
}

/**
 * The nominal (unadjusted) due dates of `item` between `from` and `to` inclusive (YYYY-MM-DD,
 * Asia/Shanghai calendar dates), ascending, honouring `starts` and `until`. A monthly/quarterly/yearly
 * day beyond the month's length means the month's last day. Pure; throws only on an invalid RRULE.
 */
export function nominalDueDates(item: ChecklistItem, from: string, to: string): string[] {
  const lo = item.starts && item.starts > from ? item.starts : from;
  const hi = item.until && item.until < to ? item.until : to;
  if (lo > hi) return [];
  if (item.due) return item.due >= lo && item.due <= hi ? [item.due] : [];
  const r = item.recurrence!;
  const out: string[] = [];
  if ('rrule' in r) {
    const rule = parseRrule(r.rrule, item.starts ?? '2026-01-01');
    for (const d of rule.between(new Date(`${lo}T00:00:00Z`), new Date(`${hi}T00:00:00Z`), true)) {
      out.push(d.toISOString().slice(0, 10));
    }
    return out;
  }
  let m = DateTime.fromISO(lo, { zone: ZONE }).startOf('month');
  const end = DateTime.fromISO(hi, { zone: ZONE });
  for (; m <= end; m = m.plus({ months: 1 })) {
    if (r.every === 'quarterly' && (m.month - 1) % 3 !== r.month - 1) continue;
    if (r.every === 'yearly' && m.month !== r.month) continue;
    const d = clampDay(m.year, m.month, r.day);
    if (d >= lo && d <= hi) out.push(d);
  }
  return out;
}
