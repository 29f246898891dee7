import { DateTime } from 'luxon';
import { buildListCard, type CardElement } from '../lark/cards.js';
import type { LarkCard } from '../lark/contracts.js';
import { escapeText } from '../lark/escape.js';
import { ZONE } from './calendar.js';
import type { Checklist, ChecklistItem, Person } from './checklist.js';
import { mention, mentions } from './people.js';
import type { DoneMark } from './store.js';

/** `value.kind` of the 标记完成 button, routed to the reminders by the chat layer. */
export const REMINDER_DONE_KIND = 'reminder.done';
/** `value.kind` of the 撤销 button shown for a day on a done line. */
export const REMINDER_UNDO_KIND = 'reminder.undo';

/** One line of a reminder/tasks card. */
export interface CardLine {
  item: ChecklistItem;
  occurrence: string;
  /** Working-day adjusted due date (YYYY-MM-DD). */
  due: string;
  done?: DoneMark;
  /** True when `due` is before today and not done. */
  overdue?: boolean;
  /** The title of the item's measure in the knowledge index (its id is never shown). */
  measure?: string;
}

const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];

/** `2026-12-18（周五）`; appends `，原定 12-20 周日` when the adjusted date differs from the nominal one. */
export function formatDue(due: string, occurrence?: string): string {
  const d = DateTime.fromISO(due, { zone: ZONE });
  let s = `${due}（周${WEEKDAYS[d.weekday - 1]}）`;
  if (occurrence && occurrence !== due) {
    const o = DateTime.fromISO(occurrence, { zone: ZONE });
    s += `，原定 ${o.toFormat('MM-dd')} 周${WEEKDAYS[o.weekday - 1]}`;
  }
  return s;
}

/** `MM-dd HH:mm` of epoch ms in Asia/Shanghai. */
export function formatTime(ms: number): string {
  return DateTime.fromMillis(ms, { zone: ZONE }).toFormat('MM-dd HH:mm');
}


/** How long after marking an occurrence done the 撤销 (undo) button is offered and honoured: one day. */
export const UNDO_WINDOW_MS = 24 * 3600_000;

function lineMarkdown(n: number, l: CardLine): string {
  const state = l.done
    ? `✅ 已由 ${mention({ open_id: l.done.by_open_id, name: l.done.by_name })} 于 ${formatTime(l.done.at)} 标记完成`
    : `${l.overdue ? '<font color=\'red\'>已逾期</font> · ' : ''}负责：${mentions(l.item.assignees)}`;
  const title = l.done ? `~~${escapeText(l.item.title)}~~` : `**${escapeText(l.item.title)}**`;
  const extra = l.measure ? `\n<font color='grey'>关联举措：${escapeText(l.measure)}</font>` : '';
  return `${n}. ${title}\n截止：${formatDue(l.due, l.occurrence)}\n${state}${extra}`;
}

/** The callback value of a line's button: which occurrence, which view, and the chat the card was made for. */
function actionValue(kind: string, checklist: Checklist, l: CardLine, view: string, chat?: string): Record<string, unknown> {
  return { kind, checklist: checklist.id, item: l.item.id, occurrence: l.occurrence, view, ...(chat ? { chat } : {}) };
}

/** A small callback button (`value` comes back in `card.action.trigger`). */
export function button(label: string, type: string, name: string, value: Record<string, unknown>): Record<string, unknown> {
  return { tag: 'button', name: name.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 60), text: { tag: 'plain_text', content: label }, type, size: 'small', behaviors: [{ type: 'callback', value }] };
}

function lineGroup(checklist: Checklist, l: CardLine, n: number, view: string, now: number, chat?: string): CardElement[] {
  const content = { tag: 'markdown', content: lineMarkdown(n, l) };
  let action: Record<string, unknown> | undefined;
  if (!l.done) action = button('标记完成', 'primary', `done_${l.item.id}_${l.occurrence}`, actionValue(REMINDER_DONE_KIND, checklist, l, view, chat));
  else if (now - l.done.at < UNDO_WINDOW_MS) action = button('撤销', 'default', `undo_${l.item.id}_${l.occurrence}`, actionValue(REMINDER_UNDO_KIND, checklist, l, view, chat));
  if (!action) return [content];
  return [
    {
      tag: 'column_set',
      flex_mode: 'none',
      columns: [
        { tag: 'column', width: 'weighted', weight: 5, elements: [content] },
        { tag: 'column', width: 'auto', vertical_align: 'center', elements: [action] },
      ],
    },
  ];
}

/**
 * The reminder card sent to a group: one block per due item with its @mentioned assignees, due date
 * and a 标记完成 button (callback value `{kind:'reminder.done', checklist, item, occurrence, view:'reminder'}`).
 * Done items show who marked them and when, with a 撤销 button for a day ({@link UNDO_WINDOW_MS}).
 * Overdue open items put a line @mentioning the owner on top (an escalation sent to the group shares
 * the day's card); `week` appends the weekly summary on the day it is due (one card a day).
 * An item's measure is shown by its title (`关联举措：…`), never by its id.
 * Card JSON 2.0 with `update_multi`, so a PATCH updates it for everyone; built by `buildListCard`, so
 * it stays under 30 KB and 200 components ("还有N项未显示，发送 /tasks 查看").
 * @param now epoch ms, decides whether 撤销 is still offered
 */
export function reminderCard(checklist: Checklist, lines: CardLine[], now: number, week?: WeekSummary): LarkCard {
  const open = lines.filter((l) => !l.done).length;
  const overdue = lines.filter((l) => l.overdue && !l.done).length;
  const summary: CardElement[][] = week ? [[{ tag: 'markdown', content: `**🗓 每周小结 ${week.week}**` }], ...weekSections(week)] : [];
  return buildListCard({
    head: overdue ? [{ tag: 'markdown', content: overdueHead(checklist, overdue) }] : [],
    title: open === 0 ? `✅ 待办已全部完成 · ${checklist.name}` : `📋 待办提醒 · ${checklist.name}`,
    template: open === 0 ? 'green' : 'orange',
    summary: `${open} 项待办即将到期`,
    items: [...lines.map((l, i) => lineGroup(checklist, l, i + 1, 'reminder', now)), ...summary],
    foot: checklist.example ? [{ tag: 'markdown', content: "<font color='grey'>（示例清单，open_id 为虚构）</font>", text_size: 'notation' }] : [],
  });
}

/** One checklist's part of a chat's reminder card of the day ({@link dayCard}). */
export interface DaySection {
  checklist: Checklist;
  /** Items reminded of or escalated, each once, in due order. */
  lines: CardLine[];
  /** True when every line is an escalation (no reminder of this checklist in the card): the owner is asked to 督办. */
  escalation: boolean;
  /** The checklist's weekly summary, on the day it is due. */
  week?: WeekSummary;
}

/**
 * A chat's one reminder card of a local day: what is due across every checklist attached to the chat,
 * grouped by checklist title, each item with its own 标记完成 button. A single checklist renders as
 * before ({@link reminderCard}, {@link escalationCard} or {@link digestCard}); several get a title naming
 * how many, and a section per checklist (its name in bold, the 督办 line for its owner, its items
 * numbered from 1, its weekly summary). Within the card limits via `buildListCard`.
 * @param now epoch ms, decides whether 撤销 is still offered
 * @throws Error when `sections` is empty or every section is empty
 */
export function dayCard(sections: DaySection[], now: number): LarkCard {
  const shown = sections.filter((s) => s.lines.length || s.week);
  if (!shown.length) throw new Error('dayCard: nothing to show');
  if (shown.length === 1) {
    const s = shown[0];
    if (!s.lines.length) return digestCard(s.checklist, s.week!);
    return s.escalation && !s.week ? escalationCard(s.checklist, s.lines, now) : reminderCard(s.checklist, s.lines, now, s.week);
  }
  const lines = shown.flatMap((s) => s.lines);
  const open = lines.filter((l) => !l.done).length;
  const onlyEscalations = shown.every((s) => s.escalation && !s.week);
  const name = `${shown.length} 个清单`;
  const items: CardElement[][] = [];
  for (const s of shown) {
    const overdue = s.lines.filter((l) => l.overdue && !l.done).length;
    const head: CardElement[] = [{ tag: 'markdown', content: `**${escapeText(s.checklist.name)}**` }];
    if (s.escalation && s.lines.length) head.push({ tag: 'markdown', content: escalationHead(s.checklist, s.lines) });
    else if (overdue) head.push({ tag: 'markdown', content: overdueHead(s.checklist, overdue) });
    s.lines.forEach((l, i) => items.push([...(i === 0 ? head : []), ...lineGroup(s.checklist, l, i + 1, 'reminder', now)]));
    const summary = s.week ? [[...(s.lines.length ? [] : head), { tag: 'markdown', content: `**🗓 每周小结 ${s.week.week}**` }], ...weekSections(s.week)] : [];
    items.push(...summary);
  }
  return buildListCard({
    title: !lines.length ? `🗓 每周小结 · ${name}` : onlyEscalations ? `⚠️ 逾期督办 · ${name}` : open === 0 ? `✅ 待办已全部完成 · ${name}` : `📋 待办提醒 · ${name}`,
    template: !lines.length ? 'turquoise' : onlyEscalations ? 'red' : open === 0 ? 'green' : 'orange',
    summary: !lines.length ? shown.map((s) => s.checklist.name).join('、') : onlyEscalations ? `${open} 项逾期` : `${open} 项待办即将到期`,
    items,
    foot: shown.some((s) => s.checklist.example) ? [{ tag: 'markdown', content: "<font color='grey'>（示例清单，open_id 为虚构）</font>", text_size: 'notation' }] : [],
  });
}

/** The line above overdue items asking the checklist's owner to follow up. */
function overdueHead(checklist: Checklist, overdue: number): string {
  return `⚠️ 有 ${overdue} 项已逾期，请 ${mention(checklist.owner)} 督办。`;
}

/** The line above escalated items, @mentioning the owner. */
function escalationHead(checklist: Checklist, lines: CardLine[]): string {
  return `${mention(checklist.owner)} 以下事项已逾期 ${lines[0]?.item.escalation?.after_workdays ?? '?'} 个工作日以上，请督办：`;
}

/** One checklist's part of a `/tasks` card. */
export interface TasksSection {
  checklist: Checklist;
  lines: CardLine[];
  /** A warning shown above the section (e.g. reminders paused because the bot was removed from the group). */
  notice?: string;
}

/**
 * The `/tasks` card: open and overdue items of one or more checklists, each with a 标记完成 button
 * (`view:'tasks'`, `chat`: the chat the card is shown in, so a click from a forwarded copy is refused).
 * Within the card limits via `buildListCard`.
 */
export function tasksCard(sections: TasksSection[], chat: string, now: number): LarkCard {
  const total = sections.reduce((n, s) => n + s.lines.length, 0);
  const items: CardElement[][] = [];
  for (const s of sections) {
    const head: CardElement[] = [];
    if (sections.length > 1 || s.notice) head.push({ tag: 'markdown', content: `**${escapeText(s.checklist.name)}**` });
    if (s.notice) head.push({ tag: 'markdown', content: `<font color='red'>${escapeText(s.notice)}</font>` });
    if (!s.lines.length) items.push([...head, { tag: 'markdown', content: '当前没有未完成的事项。' }]);
    s.lines.forEach((l, i) => items.push([...(i === 0 ? head : []), ...lineGroup(s.checklist, l, i + 1, 'tasks', now, chat)]));
  }
  const name = sections.length === 1 ? sections[0].checklist.name : `${sections.length} 个清单`;
  return buildListCard({
    title: total ? `📋 未完成事项 · ${name}` : `📋 ${name}`,
    template: total ? 'blue' : 'green',
    summary: total ? `${total} 项未完成` : '没有未完成的事项',
    items,
  });
}

/** The reply to `/done`: what was marked, by whom, with a 撤销 button for a day. */
export function doneCard(checklist: Checklist, l: CardLine, chat: string, now: number): LarkCard {
  return buildListCard({
    title: `✅ 已标记完成 · ${checklist.name}`,
    template: 'green',
    summary: `已标记完成：${l.item.title}`,
    items: [lineGroup(checklist, l, 1, 'done', now, chat)],
  });
}

/** The escalation card to the owner: items still open `after_workdays` working days after their due date. */
export function escalationCard(checklist: Checklist, lines: CardLine[], now: number): LarkCard {
  return buildListCard({
    title: `⚠️ 逾期督办 · ${checklist.name}`,
    template: 'red',
    summary: `${lines.length} 项逾期`,
    head: [{ tag: 'markdown', content: escalationHead(checklist, lines) }],
    items: lines.map((l, i) => lineGroup(checklist, l, i + 1, 'reminder', now)),
  });
}

/** A checklist's week: done this week, pending (due later), overdue. */
export interface WeekSummary {
  week: string;
  done: CardLine[];
  pending: CardLine[];
  overdue: CardLine[];
}

/** The three sections of a week summary, one item group per line. */
function weekSections(w: WeekSummary): CardElement[][] {
  const items: CardElement[][] = [];
  const section = (title: string, ls: CardLine[], f: (l: CardLine) => string) => {
    items.push([{ tag: 'markdown', content: `**${title}（${ls.length}）**${ls.length ? '' : '\n- 无'}` }]);
    for (const l of ls) items.push([{ tag: 'markdown', content: `- ${f(l)}` }]);
  };
  section('本周已完成', w.done, (l) => `${escapeText(l.item.title)}（${l.done ? `${mention({ open_id: l.done.by_open_id, name: l.done.by_name })} ${formatTime(l.done.at)}` : ''}）`);
  section('待完成', w.pending, (l) => `${escapeText(l.item.title)} 截止 ${formatDue(l.due, l.occurrence)}`);
  section('已逾期', w.overdue, (l) => `${escapeText(l.item.title)} 截止 ${formatDue(l.due, l.occurrence)} · ${mentions(l.item.assignees)}`);
  return items;
}

/** The weekly digest of a checklist: done this week, pending (due later), overdue. Long lists are cut with "还有N项未显示". */
export function digestCard(checklist: Checklist, w: WeekSummary): LarkCard {
  return buildListCard({
    title: `🗓 每周小结 ${w.week} · ${checklist.name}`,
    template: 'turquoise',
    summary: `完成 ${w.done.length} / 待办 ${w.pending.length} / 逾期 ${w.overdue.length}`,
    items: weekSections(w),
    separator: false,
  });
}

/** `value.kind` of the /提醒设置 buttons. */
export const REMINDER_SETTINGS_KIND = 'reminder.settings';

/** One row of choices on the settings card: its label, and each choice's label, value and whether it is the current one. */
export interface SettingsRow {
  label: string;
  /** What is set now, in words (our own text: card markdown, not escaped). */
  current: string;
  field: string;
  choices: { label: string; value: string; selected: boolean }[];
}

/**
 * The /提醒设置 card: for each checklist of the group, the reminder times, quiet hours and weekly digest
 * now in force, each with a row of buttons (`{kind:'reminder.settings', checklist, field, value}`;
 * the current choice is the primary button).
 */
export function settingsCard(sections: { checklist: Checklist; rows: SettingsRow[] }[], note?: string): LarkCard {
  const items: CardElement[][] = sections.map(({ checklist, rows }) => [
    ...(sections.length > 1 ? [{ tag: 'markdown', content: `**${escapeText(checklist.name)}**` }] : []),
    ...rows.flatMap((r) => [
      { tag: 'markdown', content: `**${r.label}**：${r.current}` },
      {
        tag: 'column_set',
        flex_mode: 'flow',
        horizontal_spacing: '8px',
        columns: r.choices.map((c, i) => ({
          tag: 'column',
          width: 'auto',
          elements: [button(c.label, c.selected ? 'primary' : 'default', `set_${r.field}_${i}`, { kind: REMINDER_SETTINGS_KIND, checklist: checklist.id, field: r.field, value: c.value })],
        })),
      },
    ]),
  ]);
  return buildListCard({
    title: '⚙️ 提醒设置',
    template: 'blue',
    summary: '提醒时间、免打扰和每周小结',
    items,
    foot: [{ tag: 'markdown', content: `<font color='grey'>${escapeText(note ?? '点按钮即可修改（群主、群管理员可改）。截止日和提醒日遇周末、节假日提前到前一个工作日。')}</font>`, text_size: 'notation' }],
  });
}
