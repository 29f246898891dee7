import type { CardActionRoute, ChatCommand, Messenger } from '../lark/contracts.js';
import { log } from '../log.js';
import { noticeCard } from '../lark/cards.js';
import { DEFAULT_CALENDAR_DIR, describeCalendarProblem, loadCalendar } from './calendar.js';
import { DEFAULT_CHECKLIST_DIR, formatProblem, loadChecklists } from './checklist.js';
import { ReminderService } from './service.js';
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

/** Options of {@link startReminders}; every path has a default. */
export interface StartRemindersOptions {
  checklistDir?: string;
  calendarDir?: string;
  /** SQLite file (default `REMINDERS_DB` or `var/reminders.sqlite`); unused when `DATABASE_URL` is set (PostgreSQL). */
  dbPath?: string;
  clock?: () => number;
  /** chat_id (`oc_…`) told about broken calendar files, besides the log (`LARK_ADMIN_CHAT_ID`). */
  adminChatId?: string;
  /** open_ids that may mark any item done (`LARK_ADMIN_OPEN_IDS`). */
  adminOpenIds?: string[];
}

/**
 * Starts the reminder service on `messenger` (the Feishu messenger, or the terminal chat in local
 * mode) and adds `/tasks`, `/done`, the `reminder.done`/`reminder.undo` card routes and the bot-removed/added
 * hooks (pause/resume that chat's reminders) to `ext`, chaining `ext.close`.
 * Loads `data/checklists/` (broken files are logged with file:line and skipped) and `data/calendar/`
 * (a broken year file disables only its year: logged, and told to `adminChatId` when given).
 * Set `REMINDERS=off` to register the commands without the minute ticks.
 * Throws only when the calendar directory is unreadable.
 */
export async function startReminders(messenger: Messenger, ext: ReminderExtensionSlots, opts: StartRemindersOptions = {}): Promise<ReminderService> {
  const { checklists, problems } = loadChecklists(opts.checklistDir ?? DEFAULT_CHECKLIST_DIR);
  for (const p of problems) log.error({ file: p.file, line: p.line }, `reminders: checklist skipped: ${formatProblem(p)}`);
  const calendar = loadCalendar(opts.calendarDir ?? DEFAULT_CALENDAR_DIR);
  for (const p of calendar.problems) {
    log.error({ file: p.file, year: p.year, reason: p.reason }, describeCalendarProblem(p));
    if (opts.adminChatId) {
      messenger
        .sendCard(opts.adminChatId, noticeCard('党建助手 · 工作日历有误', describeCalendarProblem(p), 'orange'), { idempotencyKey: `calendar-problem:${p.file}:${p.reason}` })
        .catch((err: unknown) => log.error({ err, chatId: opts.adminChatId }, 'reminders: could not tell the admin chat about the calendar'));
    }
  }
  const store = await openReminderStore(opts.dbPath ?? DEFAULT_DB_PATH);
  const service = new ReminderService({ messenger, store, calendar, checklists, clock: opts.clock, adminOpenIds: opts.adminOpenIds });
  ext.commands.push(...service.chatCommands());
  ext.cardRoutes.push(...service.cardActionRoutes());
  ext.onBotRemoved = (chatId) => service.pauseChat(chatId);
  ext.onBotAdded = async (chatId) => {
    await service.resumeChat(chatId);
  };
  const previous = ext.close;
  ext.close = async () => {
    service.stop();
    await service.idle();
    await store.close();
    await previous?.();
  };
  if (process.env.REMINDERS === 'off') log.info('reminders: REMINDERS=off, scheduler not started');
  else service.start();
  return service;
}
