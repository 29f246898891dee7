import type { CardActionRoute, ChatCommand, Messenger } from '../lark/contracts.js';
import { log } from '../log.js';
import { noticeCard } from '../lark/cards.js';
import { describeCalendarProblem, loadCalendar } from './calendar.js';
import { createHash } from 'node:crypto';
import { escapeText } from '../lark/escape.js';
import { ChatSetup } from './chat-setup.js';
import { formatProblem } from './checklist.js';
import { ReminderService } from './service.js';
import { ChecklistSource, type BrokenFile } from './source.js';
import { DEFAULT_DB_PATH, openReminderStore } from './store.js';

export { ReminderService } from './service.js';
export { openReminderStore, type ReminderStore } from './store.js';
export { loadChecklists } from './checklist.js';
export { loadCalendar, CalendarMissingError } from './calendar.js';

/** The slots of the chat layer's `Extensions` that the reminders fill. */
export interface ReminderExtensionSlots {
  commands: ChatCommand[];
  cardRoutes: CardActionRoute[];
  close?: () => Promise<void> | void;
  onBotRemoved?: (chatId: string) => Promise<void> | void;
  onBotAdded?: (chatId: string) => Promise<void> | void;
}

/** Options of {@link startReminders}. */
export interface StartRemindersOptions {
  /** The checklist folder (`CoreConfig.checklistDir`, `<DJ_DATA_DIR>/checklists`). */
  checklistDir: string;
  /** The calendar folder (`CoreConfig.calendarDir`, `<DJ_DATA_DIR>/calendar`). */
  calendarDir: string;
  /** SQLite file (default `REMINDERS_DB` or `var/reminders.sqlite`); unused when `DATABASE_URL` is set (PostgreSQL). */
  dbPath?: string;
  clock?: () => number;
  /** chat_id (`oc_…`) told about broken calendar and checklist files and a missing next-year calendar, besides the log (`LARK_ADMIN_CHAT_ID`). */
  adminChatId?: string;
  /** open_ids that may mark any item done and set up any group (`LARK_ADMIN_OPEN_IDS`). */
  adminOpenIds?: string[];
  /** The title of a measure id of the knowledge index (`<source-stem>#m<k>`), shown on cards instead of the id. */
  measureTitle?: (id: string) => string | undefined;
  /** Watch the checklist directory and reload on change (default true). */
  watch?: boolean;
}

/** The admin-chat text for a checklist file that did not load. */
export function describeBrokenFile(b: BrokenFile): string {
  const file = escapeText(b.file);
  const head = b.kept ? `清单文件 ${file} 的修改有误，**未生效**，仍按上一版运行：` : `清单文件 ${file} 有误，该清单暂未启用：`;
  return [head, ...b.problems.map((p) => `- ${escapeText(formatProblem(p))}`), '改正后保存，文件会自动重新加载。'].join('\n');
}

/**
 * Starts the reminder service on `messenger` (the Feishu messenger, or the terminal chat in local
 * mode) and adds `/tasks`, `/done`, `/启用`, `/负责`, `/提醒设置`, their card routes and the bot-removed/added
 * hooks (pause/resume that chat's reminders) to `ext`, chaining `ext.close`.
 * Loads the checklist folder and watches it ({@link ChecklistSource}: a broken file is logged and told to
 * `adminChatId` with file:line:col, and its previous version stays in force) and the calendar folder
 * (a broken year file disables only its year: logged, and told to `adminChatId` when given).
 * Set `REMINDERS=off` to register the commands without the minute ticks.
 * Throws only when the calendar directory is unreadable.
 */
export async function startReminders(messenger: Messenger, ext: ReminderExtensionSlots, opts: StartRemindersOptions): Promise<ReminderService> {
  const dir = opts.checklistDir;
  let service: ReminderService | undefined;
  const source = new ChecklistSource({
    dir,
    onChange: (checklists) => service?.setChecklists(checklists),
    onBroken: (b) => {
      if (!opts.adminChatId) return;
      const text = describeBrokenFile(b);
      messenger
        .sendCard(opts.adminChatId, noticeCard('党建助手 · 清单文件有误', text, 'orange'), { idempotencyKey: `checklist-problem:${createHash('sha256').update(text).digest('hex').slice(0, 24)}` })
        .catch((err: unknown) => log.error({ err, chatId: opts.adminChatId }, 'reminders: could not tell the admin chat about a checklist file'));
    },
  });
  source.reload();
  const calendar = loadCalendar(opts.calendarDir);
  for (const p of calendar.problems) {
    log.error({ file: p.file, year: p.year, reason: p.reason }, describeCalendarProblem(p));
    if (opts.adminChatId) {
      messenger
        .sendCard(opts.adminChatId, noticeCard('党建助手 · 工作日历有误', describeCalendarProblem(p), 'orange'), { idempotencyKey: `calendar-problem:${p.file}:${p.reason}` })
        .catch((err: unknown) => log.error({ err, chatId: opts.adminChatId }, 'reminders: could not tell the admin chat about the calendar'));
    }
  }
  const store = await openReminderStore(opts.dbPath ?? DEFAULT_DB_PATH);
  service = new ReminderService({
    messenger,
    store,
    calendar,
    checklists: source.checklists,
    clock: opts.clock,
    adminOpenIds: opts.adminOpenIds,
    adminChatId: opts.adminChatId,
    measureTitle: opts.measureTitle,
    source,
  });
  const running = service;
  const setup = new ChatSetup({ dir, source, messenger, adminOpenIds: opts.adminOpenIds, clock: opts.clock, nextReminderAt: (c, i) => running.nextReminderAt(c, i) });
  ext.commands.push(...service.chatCommands(), ...setup.commands());
  ext.cardRoutes.push(...service.cardActionRoutes(), ...setup.cardRoutes());
  if (opts.watch !== false) await source.watch();
  ext.onBotRemoved = (chatId) => running.pauseChat(chatId);
  ext.onBotAdded = async (chatId) => {
    await running.resumeChat(chatId);
  };
  const previous = ext.close;
  ext.close = async () => {
    await source.close();
    running.stop();
    await running.idle();
    await store.close();
    await previous?.();
  };
  if (process.env.REMINDERS === 'off') log.info('reminders: REMINDERS=off, scheduler not started');
  else running.start();
  return running;
}
