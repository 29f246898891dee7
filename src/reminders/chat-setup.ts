/**
 * Branch secretaries set up their group's reminders from the chat, without editing YAML or typing ids:
 * - `/启用 支部常规` (or the button on the welcome card) attaches a template to this group: the bot
 *   knows the group's chat_id from the message event, and the sender becomes the owner (with the name
 *   the group shows for them, from `im.chatMembers.get`);
 * - `/负责 <事项或角色> @张三 …` sets who is responsible, from the message's @mentions (their open_ids
 *   come with the event's `mentions`);
 * - `/提醒设置` shows the reminder times, quiet hours and weekly digest with buttons to change them.
 * Every change is written into the group's checklist file under the checklist folder (`<DJ_DATA_DIR>/checklists/`)
 * ({@link chatChecklistFile}), reloaded at once, and undone when the result would not load.
 * Only the group's owner or managers (from `im.chat.get`) or a configured admin (`LARK_ADMIN_OPEN_IDS`) may do this.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { DateTime } from 'luxon';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import type { CardActionContext, CardActionResult, CardActionRoute, ChatCommand, ChatInfo, CommandContext, LarkCard, Messenger } from '../lark/contracts.js';
import { noticeCard } from '../lark/cards.js';
import { escapeText } from '../lark/escape.js';
import { log } from '../log.js';
import { ZONE } from './calendar.js';
import { REMINDER_SETTINGS_KIND, settingsCard, type SettingsRow } from './cards.js';
import { formatProblem, listTemplates, type Checklist, type ChecklistItem, type Person, type TemplateInfo } from './checklist.js';
import {
  chatChecklistFile,
  createChatChecklist,
  editChecklistFile,
  restoreChecklistFile,
  setDefaultReminders,
  setDigest,
  setItemAssignees,
  setQuietHours,
  setRole,
} from './checklist-edit.js';
import { mention, mentions as mentionAll } from './people.js';
import { localDate } from './schedule.js';
import type { ChecklistSource } from './source.js';

/** `value.kind` of the 启用 button on the welcome card. */
export const REMINDER_ENABLE_KIND = 'reminder.enable';

/** The template offered on the welcome card. */
const WELCOME_TEMPLATE = 'branch-routine';

/** Options of {@link ChatSetup}. */
export interface ChatSetupOptions {
  /** The checklist directory (files are written here; templates in `<dir>/templates/`). */
  dir: string;
  source: ChecklistSource;
  messenger: Messenger;
  /** open_ids that may set up any group (`LARK_ADMIN_OPEN_IDS`). */
  adminOpenIds?: string[];
  clock?: () => number;
  /** When an item's next reminder fires (epoch ms), for the /负责 reply ({@link ReminderService.nextReminderAt}). */
  nextReminderAt?: (checklistId: string, itemId: string) => Promise<number | undefined>;
}

/** Reminder-time choices of /提醒设置 (all outside every quiet-hours choice, so any combination loads). */
const TIMES = ['08:30', '09:00', '10:00', '14:30'];
const DAYS: { label: string; value: number[] }[] = [
  { label: '提前3天、1天、当天', value: [3, 1, 0] },
  { label: '提前1天、当天', value: [1, 0] },
  { label: '仅当天', value: [0] },
  { label: '提前7天、3天、当天', value: [7, 3, 0] },
];
const QUIET: { label: string; value: { start: string; end: string } | false }[] = [
  { label: '21:30–08:00', value: { start: '21:30', end: '08:00' } },
  { label: '22:00–07:30', value: { start: '22:00', end: '07:30' } },
  { label: '20:00–08:30', value: { start: '20:00', end: '08:30' } },
  { label: '不设', value: false },
];
const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];
const DIGESTS: { label: string; value: { weekday: number; at: string } | false }[] = [
  { label: '周五 16:30', value: { weekday: 5, at: '16:30' } },
  { label: '周一 09:00', value: { weekday: 1, at: '09:00' } },
  { label: '不发', value: false },
];

const SettingsValue = z.object({ checklist: z.string().min(1), field: z.enum(['time', 'days', 'quiet', 'digest']), value: z.string() });
const EnableValue = z.object({ template: z.string().min(1).default(WELCOME_TEMPLATE) });

const REFUSAL = '只有本群的群主、群管理员或党建助手的管理员可以设置提醒。你可以请群主发送这条命令。';
const UNKNOWN = '暂时无法确认你是否为本群的群主或管理员（机器人需要“获取群组信息” im:chat:readonly 权限），请稍后再试或联系管理员。';
const GROUP_ONLY = '请在支部的群里 @党建助手 发送这条命令：机器人会记下是哪个群，不需要填写群 ID。';

function days(n: number): string {
  return n === 0 ? '当天' : `${n}天`;
}

/** "截止前 3天、1天、当天 09:00" for a set of offsets sharing one time; otherwise each with its time. */
function describeReminders(item: ChecklistItem): string {
  const times = [...new Set(item.reminders.map((r) => r.at))];
  if (times.length === 1) return `截止前 ${item.reminders.map((r) => days(r.days_before)).join('、')} 的 ${times[0]}`;
  return item.reminders.map((r) => `${days(r.days_before)} ${r.at}`).join('、');
}

/** The reminders most items of a checklist use (the ones /提醒设置 changes), as a key and an example item. */
function commonReminders(c: Checklist): ChecklistItem | undefined {
  const count = new Map<string, { n: number; item: ChecklistItem }>();
  for (const i of c.items) {
    const k = JSON.stringify(i.reminders);
    const e = count.get(k) ?? { n: 0, item: i };
    e.n++;
    count.set(k, e);
  }
  return [...count.values()].sort((a, b) => b.n - a.n)[0]?.item;
}

/** Removes the `@name` of every mention from command text. */
function withoutMentions(args: string, mentions: { name: string }[]): string {
  let t = args;
  for (const m of mentions) t = t.split(`@${m.name}`).join(' ');
  return t.replace(/\s+/g, ' ').trim();
}

/** The `template:` a checklist file uses, if any. */
function templateOf(file: string): string | undefined {
  try {
    const t = parseDocument(readFileSync(file, 'utf8')).get('template');
    return typeof t === 'string' ? t : undefined;
  } catch {
    return undefined;
  }
}

/** See the module doc. */
export class ChatSetup {
  private readonly opts: ChatSetupOptions;
  private readonly admins: Set<string>;
  private readonly clock: () => number;

  constructor(opts: ChatSetupOptions) {
    this.opts = opts;
    this.admins = new Set(opts.adminOpenIds ?? []);
    this.clock = opts.clock ?? Date.now;
  }

  /** `/启用`, `/负责`, `/提醒设置`. */
  commands(): ChatCommand[] {
    return [
      {
        names: ['/启用', '启用'],
        help: '/启用 支部常规 — 在本群启用支部常规工作提醒（群主或群管理员）',
        welcomeButton: { label: '启用支部常规工作提醒', value: { kind: REMINDER_ENABLE_KIND, template: WELCOME_TEMPLATE } },
        run: (ctx) => this.enable(ctx.chatId, ctx.chatType, ctx.senderOpenId, ctx.args),
      },
      {
        names: ['/负责', '负责'],
        help: '/负责 事项或角色 @成员 — 指定负责人，如 /负责 党费 @张三、/负责 组织委员 @李四',
        run: (ctx) => this.assign(ctx),
      },
      {
        names: ['/提醒设置', '提醒设置'],
        help: '/提醒设置 — 查看和修改提醒时间、免打扰时段、每周小结',
        run: async (ctx) => {
          if (ctx.chatType !== 'group') return GROUP_ONLY;
          const mine = this.chatChecklists(ctx.chatId);
          if (!mine.length) return '本群还没有启用提醒。请先发送 /启用 支部常规。';
          return this.settings(mine);
        },
      },
    ];
  }

  /** The 启用 button of the welcome card and the /提醒设置 buttons. */
  cardRoutes(): CardActionRoute[] {
    return [
      {
        kind: REMINDER_ENABLE_KIND,
        handle: async (ctx) => {
          const v = EnableValue.safeParse(ctx.value);
          if (!v.success) return { toast: { type: 'error', content: '这个按钮已失效' } };
          const reply = await this.enable(ctx.chatId, 'group', ctx.openId, v.data.template);
          const card = typeof reply === 'string' ? noticeCard('党建助手 · 清单提醒', reply) : reply;
          const ok = typeof reply !== 'string';
          if (ok) {
            // the enabled card is a new message, so the welcome card (with the help) stays as it was
            await this.opts.messenger.sendCard(ctx.chatId, card, { idempotencyKey: `enabled:${ctx.chatId}:${v.data.template}` }).catch((err: unknown) => log.error({ err, chatId: ctx.chatId }, 'reminders: could not post the enabled card'));
            return { toast: { type: 'success', content: '已启用' } };
          }
          return { toast: { type: 'warning', content: reply.replace(/\*\*/g, '').slice(0, 100) } };
        },
      },
      { kind: REMINDER_SETTINGS_KIND, handle: (ctx) => this.changeSetting(ctx) },
    ];
  }

  /** The checklists in force for a group. */
  private chatChecklists(chatId: string): Checklist[] {
    return this.opts.source.checklists.filter((c) => c.chat_id === chatId);
  }

  /** 'yes' for the group's owner or managers or a configured admin; 'unknown' when the platform cannot say. */
  private async authority(chatId: string, openId: string): Promise<{ may: 'yes' | 'no' | 'unknown'; info?: ChatInfo }> {
    let info: ChatInfo | undefined;
    try {
      info = await this.opts.messenger.chatInfo?.(chatId);
    } catch (err) {
      log.warn({ err: (err as Error).message, chatId }, 'reminders: could not read the group owner and managers');
    }
    if (this.admins.has(openId)) return { may: 'yes', info };
    if (!info) return { may: 'unknown' };
    return { may: info.ownerOpenId === openId || info.managerOpenIds.includes(openId) ? 'yes' : 'no', info };
  }

  /** A member's display name in the group (`im.chatMembers.get`), or undefined when the platform cannot say. */
  private async memberName(chatId: string, openId: string): Promise<string | undefined> {
    try {
      return (await this.opts.messenger.chatMembers?.(chatId))?.find((m) => m.openId === openId)?.name || undefined;
    } catch (err) {
      log.warn({ err: (err as Error).message, chatId }, 'reminders: could not read the group members');
      return undefined;
    }
  }

  private refusal(may: 'no' | 'unknown', chatId: string, openId: string, what: string): string {
    log.info({ chatId, openId, what, may }, 'reminders: chat setup refused');
    return may === 'no' ? REFUSAL : UNKNOWN;
  }

  /** Finds a template by id or by (part of) its name: `支部常规` → 党支部常规工作 (branch-routine). */
  private template(arg: string): TemplateInfo | TemplateInfo[] {
    const all = listTemplates(this.opts.dir);
    const q = arg.replace(/(提醒|模板|清单)$/, '').trim();
    if (!q) return all.length === 1 ? all[0] : all;
    const hits = all.filter((t) => t.id === q || t.name === q || t.name.includes(q));
    return hits.length === 1 ? hits[0] : hits;
  }

  /** `/启用 <模板>`: writes the group's checklist from the template; the sender becomes its owner. */
  async enable(chatId: string, chatType: 'group' | 'p2p', openId: string, arg: string): Promise<LarkCard | string> {
    if (chatType !== 'group') return GROUP_ONLY;
    const t = this.template(arg);
    if (Array.isArray(t)) {
      const names = listTemplates(this.opts.dir).map((x) => `「${escapeText(x.name.replace(/^党/, ''))}」`).join('、');
      return arg ? `没有名为“${escapeText(arg)}”的模板。可用的模板：${names}，例如 /启用 支部常规。` : `请写上模板名，例如 /启用 支部常规。可用的模板：${names}。`;
    }
    const { may, info } = await this.authority(chatId, openId);
    if (may !== 'yes') return this.refusal(may, chatId, openId, 'enable');
    const file = chatChecklistFile(this.opts.dir, chatId, t.id);
    if (existsSync(file)) return `本群已启用「${escapeText(t.name)}」提醒。发送 /tasks 查看事项，/负责 指定负责人，/提醒设置 修改时间。`;
    const now = this.clock();
    const owner: Person = { open_id: openId, name: (await this.memberName(chatId, openId)) ?? '书记' };
    createChatChecklist(file, { chatId, name: info?.name || t.name, owner, template: t, starts: localDate(now), at: DateTime.fromMillis(now, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm') });
    const broken = this.opts.source.reload().find((b) => b.file === file);
    if (broken) {
      rmSync(file, { force: true });
      this.opts.source.reload();
      log.error({ file, problems: broken.problems }, 'reminders: the checklist made by /启用 did not load; removed');
      return `启用失败：模板「${escapeText(t.name)}」有误（${escapeText(broken.problems.map(formatProblem).join('；'))}），请联系管理员。`;
    }
    log.info({ chatId, file, template: t.id, by: openId }, 'reminders: enabled from the chat');
    const c = this.opts.source.checklists.find((x) => x.file === file)!;
    const roleLines = Object.entries(t.roles).map(([, label]) => `${escapeText(label)}：${mention(owner)}`);
    const itemLines = c.items.map((i) => `- ${escapeText(i.title)}`);
    return noticeCard(
      `✅ 已启用 · ${t.name}`,
      [
        `已为本群启用「${escapeText(t.name)}」提醒（${c.items.length} 项），从今天起计算；截止前按时在群里提醒负责人。`,
        itemLines.join('\n'),
        `**现在所有事项都由你负责**，请指定负责人（直接在输入框里 @ 选人，不用填 ID）：\n${roleLines.join('\n')}`,
        '- /负责 组织委员 @张三 — 按角色指定\n- /负责 党费 @李四 — 单独指定某一项\n- /提醒设置 — 修改提醒时间、免打扰\n- /tasks — 查看未完成事项',
      ].join('\n\n'),
      'green',
    );
  }

  /** `/负责 <事项或角色> @…`: sets a role or an item's assignees from the message's @mentions. */
  async assign(ctx: CommandContext): Promise<LarkCard | string> {
    if (ctx.chatType !== 'group') return GROUP_ONLY;
    const mine = this.chatChecklists(ctx.chatId);
    if (!mine.length) return '本群还没有启用提醒。请先发送 /启用 支部常规。';
    const mentions = ctx.mentions ?? [];
    const target = withoutMentions(ctx.args, mentions);
    if (!mentions.length || !target) {
      return '用法：/负责 事项或角色 @成员，例如 /负责 党费 @张三、/负责 组织委员 @李四。请在输入框里输入 @ 选择成员（不需要填写 open_id）。';
    }
    const { may } = await this.authority(ctx.chatId, ctx.senderOpenId);
    if (may !== 'yes') return this.refusal(may, ctx.chatId, ctx.senderOpenId, 'assign');
    const people: Person[] = [...new Map(mentions.map((m) => [m.openId, { open_id: m.openId, name: m.name }])).values()];
    const who = mentionAll(people);

    // a role of the template (组织委员, organizer) …
    const templates = listTemplates(this.opts.dir);
    for (const c of mine) {
      const t = templates.find((x) => x.id === templateOf(c.file));
      const role = t && Object.entries(t.roles).find(([id, label]) => id === target || label === target);
      if (!t || !role) continue;
      const err = this.apply(c.file, (doc) => setRole(doc, role[0], people));
      if (err) return err;
      const titles = t.items.filter((i) => i.roles.includes(role[0])).map((i) => i.title);
      log.info({ chatId: ctx.chatId, checklist: c.id, role: role[0], people: people.map((p) => p.open_id), by: ctx.senderOpenId }, 'reminders: role assigned from the chat');
      return `已指定**${escapeText(role[1])}**：${who}\n负责：${titles.map(escapeText).join('、') || '（模板中没有该角色的事项）'}（单独指定过负责人的事项除外）。`;
    }
    // … or an item, by id, title or part of the title
    const hits = mine.flatMap((c) => c.items.filter((i) => i.id === target || i.title.includes(target)).map((i) => ({ c, i })));
    const exact = hits.filter(({ i }) => i.id === target || i.title === target);
    const pick = exact.length === 1 ? exact : hits;
    if (!pick.length) {
      const roles = [...new Set(templates.flatMap((t) => Object.values(t.roles)))];
      return `本群清单中没有“${escapeText(target)}”。可以写事项名称的一部分（如 党费、党小组会），${roles.length ? `或角色（${roles.map(escapeText).join('、')}）` : ''}。发送 /tasks 查看事项。`;
    }
    if (pick.length > 1) return `“${escapeText(target)}”对应多项：${pick.map(({ i }) => escapeText(i.title)).join('、')}。请写得更完整一些。`;
    const { c, i } = pick[0];
    const err = this.apply(c.file, (doc) => setItemAssignees(doc, i.id, people));
    if (err) return err;
    log.info({ chatId: ctx.chatId, checklist: c.id, item: i.id, people: people.map((p) => p.open_id), by: ctx.senderOpenId }, 'reminders: item assigned from the chat');
    const next = await this.opts.nextReminderAt?.(c.id, i.id);
    const when = next ? `下次提醒：${DateTime.fromMillis(next, { zone: ZONE }).toFormat('MM-dd HH:mm')}（周${WEEKDAYS[DateTime.fromMillis(next, { zone: ZONE }).weekday - 1]}），` : '';
    return `已指定「${escapeText(i.title)}」的负责人：${who}\n${when}到时提醒会 @ 到${people.length > 1 ? '他们' : '他/她'}。`;
  }

  /** Edits a checklist file, reloads, and puts the old text back when the result does not load; returns the reason then. */
  private apply(file: string, edit: Parameters<typeof editChecklistFile>[1]): string | undefined {
    let before: string;
    try {
      before = editChecklistFile(file, edit);
    } catch (err) {
      log.error({ err, file }, 'reminders: checklist file could not be edited');
      return `无法修改清单文件（${escapeText((err as Error).message)}），请联系管理员。`;
    }
    const broken = this.opts.source.reload().find((b) => b.file === file);
    if (!broken) return undefined;
    restoreChecklistFile(file, before);
    this.opts.source.reload();
    return `这项修改未生效：${escapeText(broken.problems.map((p) => p.reason).join('；'))}`;
  }

  /** The /提醒设置 card of a group's checklists. */
  private settings(mine: Checklist[], note?: string): LarkCard {
    const sections = mine.map((c) => {
      const common = commonReminders(c);
      const time = common ? common.reminders[0].at : '09:00';
      const offs = common ? JSON.stringify(common.reminders.map((r) => r.days_before)) : '';
      const q = c.quiet_hours;
      const d = c.digest;
      const rows: SettingsRow[] = [
        { label: '提醒时间', current: common ? describeReminders(common) : '无', field: 'time', choices: TIMES.map((t) => ({ label: t, value: t, selected: t === time })) },
        { label: '提前提醒', current: common ? common.reminders.map((r) => days(r.days_before)).join('、') : '无', field: 'days', choices: DAYS.map((x, k) => ({ label: x.label, value: String(k), selected: JSON.stringify(x.value) === offs })) },
        {
          label: '免打扰',
          current: q ? `${q.start}–${q.end}（此时段不发提醒，顺延到结束后）` : '不设',
          field: 'quiet',
          choices: QUIET.map((x, k) => ({ label: x.label, value: String(k), selected: JSON.stringify(x.value) === JSON.stringify(q ?? false) })),
        },
        {
          label: '每周小结',
          current: d ? `每周${WEEKDAYS[d.weekday - 1]} ${d.at}` : '不发',
          field: 'digest',
          choices: DIGESTS.map((x, k) => ({ label: x.label, value: String(k), selected: JSON.stringify(x.value) === JSON.stringify(d ?? false) })),
        },
      ];
      return { checklist: c, rows };
    });
    return settingsCard(sections, note);
  }

  /** A click on a /提醒设置 button. */
  private async changeSetting(ctx: CardActionContext): Promise<CardActionResult> {
    const v = SettingsValue.safeParse(ctx.value);
    const c = v.success ? this.chatChecklists(ctx.chatId).find((x) => x.id === v.data.checklist) : undefined;
    if (!v.success || !c) return { toast: { type: 'error', content: '这个按钮已失效，请重新发送 /提醒设置' } };
    const { may } = await this.authority(ctx.chatId, ctx.openId);
    if (may !== 'yes') return { toast: { type: 'error', content: this.refusal(may, ctx.chatId, ctx.openId, 'settings').slice(0, 60) } };
    const common = commonReminders(c);
    const k = Number(v.data.value);
    let err: string | undefined;
    switch (v.data.field) {
      case 'time': {
        if (!TIMES.includes(v.data.value)) return { toast: { type: 'error', content: '这个按钮已失效' } };
        const offs = common?.reminders.map((r) => r.days_before) ?? [3, 1, 0];
        err = this.apply(c.file, (doc) => setDefaultReminders(doc, offs.map((d) => ({ days_before: d, at: v.data.value }))));
        break;
      }
      case 'days': {
        const choice = DAYS[k];
        if (!choice) return { toast: { type: 'error', content: '这个按钮已失效' } };
        const at = common?.reminders[0].at ?? '09:00';
        err = this.apply(c.file, (doc) => setDefaultReminders(doc, choice.value.map((d) => ({ days_before: d, at }))));
        break;
      }
      case 'quiet': {
        const choice = QUIET[k];
        if (!choice) return { toast: { type: 'error', content: '这个按钮已失效' } };
        err = this.apply(c.file, (doc) => setQuietHours(doc, choice.value));
        break;
      }
      case 'digest': {
        const choice = DIGESTS[k];
        if (!choice) return { toast: { type: 'error', content: '这个按钮已失效' } };
        err = this.apply(c.file, (doc) => setDigest(doc, choice.value));
        break;
      }
    }
    log.info({ chatId: ctx.chatId, checklist: c.id, field: v.data.field, value: v.data.value, by: ctx.openId, ok: !err }, 'reminders: setting changed from the chat');
    const card = this.settings(this.chatChecklists(ctx.chatId));
    return err ? { card, toast: { type: 'error', content: err.slice(0, 100) } } : { card, toast: { type: 'success', content: '已更新' } };
  }
}
