import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { log, setLogLevel } from '../log.js';
import { dataDirFromEnv, dataFolders } from '../config.js';
import { describeCalendarProblem, loadCalendar, ZONE } from './calendar.js';
import { formatDue } from './cards.js';
import { formatProblem, loadChecklists, type Checklist } from './checklist.js';
import { findDocument, formatTaskDraft, noticeSentences, tasksFromNotice } from './from-notice.js';
import { describeCalendarGaps, dryRun, parseAt } from './plan.js';
import { personLabel } from './people.js';
import { listTasks } from './service.js';
import { DEFAULT_DB_PATH, openReminderStore } from './store.js';

/** `--year` of tasks-from: a four-digit year. */
const YearOption = z.coerce.number().int().min(1949).max(2100);

interface CommonOpts {
  checklists: string;
  calendar: string;
  at?: string;
  json?: boolean;
}

function load(opts: CommonOpts): Checklist[] {
  const { checklists, problems } = loadChecklists(opts.checklists);
  for (const p of problems) process.stderr.write(`清单有误，已跳过：${formatProblem(p)}\n`);
  if (problems.length) process.exitCode = 1;
  return checklists;
}

function nowFrom(opts: CommonOpts): number {
  return opts.at ? parseAt(opts.at) : Date.now();
}

/**
 * Registers the reminder commands on the CLI:
 * - `remind --dry-run [--json] [--at <YYYY-MM-DDTHH:MM>]`: the reminder cards that would be sent at
 *   that moment (Asia/Shanghai; default now), reminders and escalations, without sending and without
 *   opening the database. JSON: `{"at","reminders":[{"chat_id","checklists":[{"checklist","title","items":[{"id","title","due","assignees"}],
 *   "escalations":[{"id","title","due","assignees","owner"}]}]}]}` (one entry per card: a chat's card of the day, a
 *   section per checklist; see `dryRun`).
 * - `tasks [--json] [--chat <oc_…>] [--at …] [--db <file>]`: every tracked occurrence and its state
 *   (open / overdue / done, who and when), read from the reminders database when it exists.
 * - `tasks-from <document> [--json] [--year <YYYY>] [--calendar <dir>]`: the draft checklist of an indexed
 *   notice (file name, stem or title): every deadline with its task, who, and source sentence
 *   (`TaskDraftSchema` in from-notice.ts is the JSON shape). The calendar defaults to `<DJ_DATA_DIR>/calendar`.
 * Broken checklist files are reported on stderr (file:line:col: reason) and set exit code 1; the
 * others are still used. A moment in a year without calendar data fails with exit code 1.
 */
export function registerReminderCommands(program: Command): void {
  // the folders below DJ_DATA_DIR (default ./data), as the bot uses them
  const folders = dataFolders(dataDirFromEnv());
  program
    .command('remind')
    .description('显示某一时刻将发送的清单提醒（--dry-run：不发送、不写数据库）')
    .option('--dry-run', '只显示，不发送（目前唯一支持的方式；实际发送由 npm start 的提醒服务完成）')
    .option('--json', '输出 JSON')
    .option('--at <time>', '时刻，Asia/Shanghai 本地时间，如 2026-12-01T09:00（默认现在）')
    .option('--checklists <dir>', '清单目录（默认 <数据目录>/checklists）', folders.checklistDir)
    .option('--calendar <dir>', '工作日历目录（默认 <数据目录>/calendar）', folders.calendarDir)
    .action((opts: CommonOpts & { dryRun?: boolean }) => {
      setLogLevel('warn');
      if (!opts.dryRun) {
        process.stderr.write('remind 目前只支持 --dry-run；提醒由 `npm start` 启动的服务按时发送。\n');
        process.exitCode = 2;
        return;
      }
      const checklists = load(opts);
      const cal = loadCalendar(opts.calendar);
      for (const p of cal.problems) log.error({ file: p.file, reason: p.reason }, describeCalendarProblem(p));
      let out;
      try {
        out = dryRun(checklists, cal, nowFrom(opts));
      } catch (e) {
        process.stderr.write(`${(e as Error).message}\n`);
        process.exitCode = 1;
        return;
      }
      for (const w of describeCalendarGaps(out.problems)) process.stderr.write(`警告：${w}\n`);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(out.result)}\n`);
        return;
      }
      const at = DateTime.fromISO(out.result.at, { zone: ZONE });
      const digests = out.result.digests.map((d) => `  → ${d.chat_id}\n    【${d.title}】（${d.checklist}）本周周报：本周完成、待办、逾期事项`);
      if (!out.result.reminders.length && !digests.length) {
        process.stdout.write(`${at.toFormat('yyyy-MM-dd HH:mm')}（Asia/Shanghai）没有要发送的提醒。\n`);
        return;
      }
      const lines = [`${at.toFormat('yyyy-MM-dd HH:mm')}（Asia/Shanghai）将发送 ${out.result.reminders.length + digests.length} 张卡片：`, ...digests];
      for (const r of out.result.reminders) {
        lines.push(`  → ${r.chat_id}`);
        for (const s of r.checklists) {
          lines.push(`    【${s.title}】（${s.checklist}）`);
          for (const i of s.items) lines.push(`      · 提醒 ${i.title} [${i.id}]  截止 ${formatDue(i.due)}  ${i.assignees.map(personLabel).join(' ')}`);
          for (const i of s.escalations) lines.push(`      · 督办 ${i.title} [${i.id}]  截止 ${formatDue(i.due)} 已逾期  ${personLabel(i.owner)}（负责：${i.assignees.map(personLabel).join('、')}）`);
        }
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    });

  program
    .command('tasks')
    .description('列出清单事项及其状态（未完成 / 逾期 / 已完成）')
    .option('--json', '输出 JSON')
    .option('--chat <chat_id>', '只看一个群')
    .option('--at <time>', '参照时刻，Asia/Shanghai 本地时间（默认现在）')
    .option('--db <file>', '提醒数据库', DEFAULT_DB_PATH)
    .option('--checklists <dir>', '清单目录（默认 <数据目录>/checklists）', folders.checklistDir)
    .option('--calendar <dir>', '工作日历目录（默认 <数据目录>/calendar）', folders.calendarDir)
    .action(async (opts: CommonOpts & { chat?: string; db: string }) => {
      setLogLevel('warn');
      const checklists = load(opts).filter((c) => !opts.chat || c.chat_id === opts.chat);
      const cal = loadCalendar(opts.calendar);
      for (const p of cal.problems) log.error({ file: p.file, reason: p.reason }, describeCalendarProblem(p));
      const store = process.env.DATABASE_URL || existsSync(opts.db) ? await openReminderStore(opts.db) : undefined;
      let tasks;
      try {
        tasks = await listTasks(checklists, cal, store, nowFrom(opts));
      } finally {
        await store?.close();
      }
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ tasks })}\n`);
        return;
      }
      const label = { open: '未完成', overdue: '已逾期', done: '已完成' } as const;
      const lines: string[] = [];
      for (const c of checklists) {
        lines.push(`${c.name}（${c.id} → ${c.chat_id}）`);
        for (const t of tasks.filter((x) => x.checklist === c.id)) {
          const who = t.done_by ? `，${personLabel(t.done_by)} ${t.done_at}` : '';
          lines.push(`  [${label[t.state]}] ${t.title} [${t.id}]  截止 ${formatDue(t.due, t.occurrence)}${who}`);
        }
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    });

  program
    .command('tasks-from <document>')
    .description('把已索引的通知整理成清单草稿：每项任务、截止日期（按工作日调整）和出处原句')
    .option('--json', '输出 JSON')
    .option('--year <year>', '“X月X日前”所在的年份（默认取通知的成文日期）')
    .option('--calendar <dir>', '工作日历目录（默认 <数据目录>/calendar）')
    .action(async (document: string, opts: { json?: boolean; year?: string; calendar?: string }) => {
      setLogLevel('warn');
      const year = opts.year === undefined ? undefined : YearOption.safeParse(opts.year);
      if (year && !year.success) {
        process.stderr.write(`--year 应为四位年份，如 2026（收到“${opts.year}”）\n`);
        process.exitCode = 2;
        return;
      }
      const { openAssistant } = await import('../assistant.js');
      const assistant = await openAssistant();
      const doc = findDocument(assistant.index.documents(), document);
      const cal = loadCalendar(opts.calendar ?? assistant.config.calendarDir);
      const sentences = noticeSentences(assistant.index.documentRecords(doc.source));
      const draft = tasksFromNotice({ document: doc, sentences }, cal, { year: year?.data });
      process.stdout.write(`${opts.json ? JSON.stringify(draft) : formatTaskDraft(draft)}\n`);
    });
}
