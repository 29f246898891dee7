/**
 * Prints the `remind --dry-run` schedule of December 2026 for the shipped checklists: every minute at
 * which a card (reminders and escalations) would be sent, one line each, exactly as
 * `npm run -s cli -- remind --dry-run --json --at <minute>` prints it (same code path, `dryRun`).
 * `--table` prints a compact human-readable table instead. Calendar gaps (e.g. January 2027 due dates,
 * whose arrangement is not published yet) are listed on stderr.
 *
 * Usage: npx tsx scripts/remind-december.ts [--table] [--month 2026-12]
 */
import { DateTime } from 'luxon';
import { dataDirFromEnv, dataFolders } from '../src/config.js';
import { loadCalendar, ZONE } from '../src/reminders/calendar.js';
import { formatProblem, loadChecklists } from '../src/reminders/checklist.js';
import { dryRun, reminderMinutes } from '../src/reminders/plan.js';

const args = process.argv.slice(2);
const month = args.includes('--month') ? args[args.indexOf('--month') + 1] : '2026-12';
const start = DateTime.fromISO(`${month}-01T00:00`, { zone: ZONE });
const end = start.endOf('month');

const folders = dataFolders(dataDirFromEnv());
const { checklists, problems } = loadChecklists(folders.checklistDir);
for (const p of problems) process.stderr.write(`清单有误，已跳过：${formatProblem(p)}\n`);
const cal = loadCalendar(folders.calendarDir);
const { minutes, problems: gaps } = reminderMinutes(checklists, cal, start.toMillis(), end.toMillis());
for (const g of gaps) process.stderr.write(`无法排期 ${g.checklist}${g.item ? `/${g.item}` : ''}（${g.date}）：缺少 ${g.date.slice(0, 4)} 年节假日数据\n`);

const WD = ['一', '二', '三', '四', '五', '六', '日'];
for (const m of minutes) {
  const { result } = dryRun(checklists, cal, m);
  if (!args.includes('--table')) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    continue;
  }
  const t = DateTime.fromMillis(m, { zone: ZONE });
  for (const r of result.reminders) {
    for (const s of r.checklists) {
      const items = [...s.items.map((i) => `${i.title}(截止${i.due.slice(5)})`), ...s.escalations.map((i) => `督办 ${i.title}(截止${i.due.slice(5)})`)].join('、');
      process.stdout.write(`${t.toFormat('MM-dd')} 周${WD[t.weekday - 1]} ${t.toFormat('HH:mm')}  ${r.chat_id}  ${s.checklist}  ${items}\n`);
    }
  }
}
