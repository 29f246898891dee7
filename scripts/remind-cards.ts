/**
 * Counts the cards the reminder service sends over a month for the shipped checklists, per chat and
 * day, with nothing marked done (the worst case): the real ReminderService on an in-memory database,
 * ticked at every minute at which an event fires, with a messenger that records instead of sending.
 *
 * Usage: npx tsx scripts/remind-cards.ts [--month 2026-12] [--checklists <DJ_DATA_DIR>/checklists] [--table]
 */
import { DateTime } from 'luxon';
import { dataDirFromEnv, dataFolders } from '../src/config.js';
import { loadCalendar, ZONE } from '../src/reminders/calendar.js';
import { loadChecklists } from '../src/reminders/checklist.js';
import { eventsBetween } from '../src/reminders/schedule.js';
import { ReminderService } from '../src/reminders/service.js';
import { openReminderStore } from '../src/reminders/store.js';
import type { LarkCard, Messenger } from '../src/lark/contracts.js';
import { setLogLevel } from '../src/log.js';

setLogLevel('silent');
const args = process.argv.slice(2);
const opt = (name: string, def: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : def);
const month = opt('--month', '2026-12');
const start = DateTime.fromISO(`${month}-01T00:00`, { zone: ZONE });
const end = start.endOf('month');
const folders = dataFolders(dataDirFromEnv());
const { checklists } = loadChecklists(opt('--checklists', folders.checklistDir));
const calendar = loadCalendar(folders.calendarDir);

let now = start.toMillis();
const sent: { chatId: string; day: string; time: string; title: string }[] = [];
const messenger: Messenger = {
  async sendCard(chatId: string, card: LarkCard) {
    const t = DateTime.fromMillis(now, { zone: ZONE });
    sent.push({ chatId, day: t.toISODate()!, time: t.toFormat('HH:mm'), title: String((card.header as { title?: { content?: string } })?.title?.content ?? '') });
    return `om_${sent.length}`;
  },
  async replyCard() {
    return 'om_reply';
  },
  async patchCard() {
    patches++;
  },
};
let patches = 0;
const store = await openReminderStore(':memory:', { env: {} });
const service = new ReminderService({ messenger, store, calendar, checklists, clock: () => now });
const minutes = [...new Set(eventsBetween(checklists, calendar, start.toMillis(), end.toMillis()).events.map((e) => e.fireAt))].sort((a, b) => a - b);
for (const m of minutes) {
  now = m;
  await service.tick();
}

const workdays = [];
for (let d = start; d <= end; d = d.plus({ days: 1 })) if (calendar.isWorkday(d.toISODate()!)) workdays.push(d.toISODate()!);
const byChat = new Map<string, typeof sent>();
for (const s of sent) byChat.set(s.chatId, [...(byChat.get(s.chatId) ?? []), s]);
for (const [chat, list] of byChat) {
  const days = new Map<string, number>();
  for (const s of list) days.set(s.day, (days.get(s.day) ?? 0) + 1);
  const reminders = list.filter((s) => !s.title.startsWith('🗓'));
  const rdays = new Map<string, number>();
  for (const s of reminders) rdays.set(s.day, (rdays.get(s.day) ?? 0) + 1);
  process.stdout.write(
    `${chat}: ${list.length} cards (${reminders.length} reminder/escalation, ${list.length - reminders.length} weekly digest) on ${days.size} of ${workdays.length} working days in ${month}; ` +
      `most reminder cards on one day: ${Math.max(0, ...rdays.values())}; days with more than one card: ${[...days].filter(([, n]) => n > 1).length}\n`,
  );
  if (args.includes('--table')) for (const s of list) process.stdout.write(`  ${s.day} ${s.time}  ${s.title}\n`);
}
process.stdout.write(`patches merging later items into a card of the same day: ${patches}\n`);
await store.close();
