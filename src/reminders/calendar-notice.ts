import { DateTime } from 'luxon';
import { escapeText } from '../lark/escape.js';
import { ZONE, type WorkCalendar } from './calendar.js';
import type { Checklist } from './checklist.js';
import { nominalDueDates } from './recurrence.js';
import { localDate } from './schedule.js';

/** Next year's calendar is missing: the year and the January due dates that cannot be scheduled. */
export interface MissingYear {
  year: number;
  /** The calendar file to fill in (`<calendar folder>/cn-<year>.yaml`). */
  file: string;
  dates: { checklist: string; title: string; date: string }[];
}

/**
 * From 1 December of year Y (Asia/Shanghai) until `<calendar folder>/cn-<Y+1>.yaml` is published: the
 * nominal due dates of January Y+1 of every checklist item. Their working-day status is unknown, so
 * neither they nor the reminders counted back from them (which fall in late December) can be scheduled.
 * January is the horizon because a reminder is at most 60 days before its deadline, and the State
 * Council notice usually appears in November or December. Undefined before 1 December or when published.
 */
export function missingNextYear(checklists: Checklist[], cal: WorkCalendar, nowMs: number): MissingYear | undefined {
  const today = localDate(nowMs);
  const year = Number(today.slice(0, 4));
  if (today < `${year}-12-01`) return undefined;
  const next = year + 1;
  if (cal.publishedYears().includes(next)) return undefined;
  const dates: MissingYear['dates'] = [];
  for (const c of checklists) {
    for (const item of c.items) {
      for (const date of nominalDueDates(item, `${next}-01-01`, `${next}-01-31`)) dates.push({ checklist: c.name, title: item.title, date });
    }
  }
  dates.sort((a, b) => a.date.localeCompare(b.date) || a.checklist.localeCompare(b.checklist));
  return { year: next, file: cal.fileOf(next), dates };
}

const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];

/** The admin-chat text for {@link MissingYear} (card markdown, checklist text escaped). */
export function describeMissingYear(m: MissingYear): string {
  const lines = m.dates.map((d) => `- ${d.date}（周${WEEKDAYS[DateTime.fromISO(d.date, { zone: ZONE }).weekday - 1]}）${escapeText(d.checklist)} · ${escapeText(d.title)}`);
  return [
    `工作日历缺少 ${m.year} 年数据（${escapeText(m.file)} 缺失、无法读取或尚未标为 published）。在补全之前，下列 ${m.year} 年 1 月的截止日无法判断是否为工作日，它们的提醒（本应在 12 月底发出）和督办都不会发送：`,
    lines.length ? lines.join('\n') : `- （目前没有清单事项落在 ${m.year} 年 1 月，但 ${m.year} 年的其他日期同样无法排期）`,
    `国务院办公厅发布《关于${m.year}年部分节假日安排的通知》后，按 docs/reminders.md 中 “Yearly update of the holiday calendar” 一节填写该文件并把 status 改为 published，提醒即恢复。此消息每天提醒一次，直到补全。`,
  ].join('\n\n');
}
