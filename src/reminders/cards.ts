import { DateTime } from 'luxon';
import type { LarkCard } from '../lark/contracts.js';
import { ZONE } from './calendar.js';
import type { Checklist, ChecklistItem, Person } from './checklist.js';
import type { DoneMark } from './store.js';

/** `value.kind` of the 标记完成 button, routed to the reminders by the chat layer. */
export const REMINDER_DONE_KIND = 'reminder.done';

/** One line of a reminder/tasks card. */
export interface CardLine {
  item: ChecklistItem;
  occurrence: string;
  /** Working-day adjusted due date (YYYY-MM-DD). */
  due: string;
  done?: DoneMark;
  /** True when `due` is before today and not done. */
  overdue?: boolean;
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

/** Escapes text for Feishu card markdown (angle brackets would start tags such as `<at>`). */
export function md(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `<at id=ou_…></at>` mentions of everyone in `people`. */
export function mentions(people: Person[]): string {
  return people.map((p) => `<at id=${p.open_id}></at>`).join(' ');
}

function lineMarkdown(n: number, l: CardLine): string {
  const state = l.done
    ? `✅ 已由 <at id=${l.done.by_open_id}></at> 于 ${formatTime(l.done.at)} 标记完成`
    : `${l.overdue ? '<font color=\'red\'>已逾期</font> · ' : ''}负责：${mentions(l.item.assignees)}`;
  const title = l.done ? `~~${md(l.item.title)}~~` : `**${md(l.item.title)}**`;
  const extra = l.item.measure ? `\n<font color='grey'>关联举措：${md(l.item.measure)}</font>` : '';
  return `${n}. ${title}\n截止：${formatDue(l.due, l.occurrence)}\n${state}${extra}`;
}

function doneButton(checklist: Checklist, l: CardLine, view: string): Record<string, unknown> {
  return {
    tag: 'button',
    name: `done_${l.item.id}_${l.occurrence}`.replace(/[^A-Za-z0-9_]/g, '_'),
    text: { tag: 'plain_text', content: '标记完成' },
    type: 'primary',
    size: 'small',
    behaviors: [
      { type: 'callback', value: { kind: REMINDER_DONE_KIND, checklist: checklist.id, item: l.item.id, occurrence: l.occurrence, view } },
    ],
  };
}

function card(title: string, template: string, summary: string, elements: Record<string, unknown>[]): LarkCard {
  return {
    schema: '2.0',
    config: { update_multi: true, summary: { content: summary } },
    header: { title: { tag: 'plain_text', content: title }, template },
    body: { elements },
  };
}

function linesElements(checklist: Checklist, lines: CardLine[], view: string): Record<string, unknown>[] {
  const elements: Record<string, unknown>[] = [];
  lines.forEach((l, i) => {
    const content = { tag: 'markdown', content: lineMarkdown(i + 1, l) };
    if (l.done) {
      elements.push(content);
    } else {
      elements.push({
        tag: 'column_set',
        flex_mode: 'none',
        columns: [
          { tag: 'column', width: 'weighted', weight: 5, elements: [content] },
          { tag: 'column', width: 'auto', vertical_align: 'center', elements: [doneButton(checklist, l, view)] },
        ],
      });
    }
    if (i < lines.length - 1) elements.push({ tag: 'hr' });
  });
  return elements;
}

/**
 * The reminder card sent to a group: one block per due item with its @mentioned assignees, due date
 * and a 标记完成 button (callback value `{kind:'reminder.done', checklist, item, occurrence, view:'reminder'}`).
 * Done items show who marked them and when, without a button. Card JSON 2.0 with `update_multi`, so a
 * PATCH updates it for everyone.
 */
export function reminderCard(checklist: Checklist, lines: CardLine[]): LarkCard {
  const open = lines.filter((l) => !l.done).length;
  const title = open === 0 ? `✅ 待办已全部完成 · ${checklist.name}` : `📋 待办提醒 · ${checklist.name}`;
  const elements = linesElements(checklist, lines, 'reminder');
  if (checklist.example) elements.push({ tag: 'markdown', content: "<font color='grey'>（示例清单，open_id 为虚构）</font>", text_size: 'notation' });
  return card(title, open === 0 ? 'green' : 'orange', `${open} 项待办即将到期`, elements);
}

/** The `/tasks` card: a group's open and overdue items, each with a 标记完成 button (`view:'tasks'`). */
export function tasksCard(checklist: Checklist, lines: CardLine[]): LarkCard {
  if (!lines.length) return card(`📋 ${checklist.name}`, 'green', '没有未完成的事项', [{ tag: 'markdown', content: '当前没有未完成的事项。' }]);
  return card(`📋 未完成事项 · ${checklist.name}`, 'blue', `${lines.length} 项未完成`, linesElements(checklist, lines, 'tasks'));
}

/** The escalation card to the owner: items still open `after_workdays` working days after their due date. */
export function escalationCard(checklist: Checklist, lines: CardLine[]): LarkCard {
  const body = lines
    .map((l) => `- **${md(l.item.title)}** 截止 ${formatDue(l.due, l.occurrence)}，已逾期 ${l.item.escalation?.after_workdays ?? '?'} 个工作日以上；负责：${mentions(l.item.assignees)}`)
    .join('\n');
  return card(`⚠️ 逾期督办 · ${checklist.name}`, 'red', `${lines.length} 项逾期`, [
    { tag: 'markdown', content: `<at id=${checklist.owner.open_id}></at> 以下事项已逾期，请督办：\n${body}` },
    ...linesElements(checklist, lines, 'reminder'),
  ]);
}

/** The weekly digest of a checklist: done this week, pending (due later), overdue. */
export function digestCard(checklist: Checklist, week: string, done: CardLine[], pending: CardLine[], overdue: CardLine[]): LarkCard {
  const list = (ls: CardLine[], f: (l: CardLine) => string) => (ls.length ? ls.map((l) => `- ${f(l)}`).join('\n') : '- 无');
  const content = [
    `**本周已完成（${done.length}）**`,
    list(done, (l) => `${md(l.item.title)}（${l.done ? `<at id=${l.done.by_open_id}></at> ${formatTime(l.done.at)}` : ''}）`),
    `**待完成（${pending.length}）**`,
    list(pending, (l) => `${md(l.item.title)} 截止 ${formatDue(l.due, l.occurrence)}`),
    `**已逾期（${overdue.length}）**`,
    list(overdue, (l) => `${md(l.item.title)} 截止 ${formatDue(l.due, l.occurrence)} · ${mentions(l.item.assignees)}`),
  ].join('\n');
  return card(`🗓 每周小结 ${week} · ${checklist.name}`, 'turquoise', `完成 ${done.length} / 待办 ${pending.length} / 逾期 ${overdue.length}`, [
    { tag: 'markdown', content },
  ]);
}
