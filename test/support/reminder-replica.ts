/**
 * One reminder replica as a child process, for the replica tests and `scripts/replicas.ts`: the real
 * ReminderService and LarkMessenger (real SDK) on the Open API stand-in, on the shared state of
 * `DATABASE_URL` (PostgreSQL) or `REMINDERS_DB` (SQLite), with an injected clock the parent drives.
 *
 * Environment: `STANDIN_URL`, `CHECKLIST_DIR`, `START_MS` (the clock at start, epoch ms), and
 * `DATABASE_URL` or `REMINDERS_DB`; `STATE_LEASE_MS` for the lease.
 * Protocol (JSON lines): the parent writes `{"now": <epoch ms>}`, the replica ticks at that time and
 * answers `{"now": …, "sent": [[kind, messageId, keys…]], "merged": [[messageId, keys…]], "failed": n}`; it prints `{"ready": true}` once started.
 */
import readline from 'node:readline';
import * as lark from '@larksuiteoapi/node-sdk';
import { LarkMessenger } from '../../src/lark/messenger.js';
import { setLogLevel } from '../../src/log.js';
import { loadCalendar } from '../../src/reminders/calendar.js';
import { loadChecklists } from '../../src/reminders/checklist.js';
import { ReminderService } from '../../src/reminders/service.js';
import { openReminderStore } from '../../src/reminders/store.js';
import { QUIET_SDK_LOGGER, STANDIN_APP_ID, STANDIN_APP_SECRET } from './openapi-standin.js';

setLogLevel((process.env.LOG_LEVEL as 'error' | undefined) ?? 'error');
let now = Number(process.env.START_MS);
const client = new lark.Client({ appId: STANDIN_APP_ID, appSecret: STANDIN_APP_SECRET, domain: process.env.STANDIN_URL!, logger: QUIET_SDK_LOGGER });
const messenger = new LarkMessenger(client, { retry: { minDelayMs: 20, maxDelayMs: 200, retries: 6 } });
const store = await openReminderStore(process.env.REMINDERS_DB ?? ':memory:');
const svc = new ReminderService({
  messenger,
  store,
  calendar: loadCalendar('data/calendar'),
  checklists: loadChecklists(process.env.CHECKLIST_DIR!).checklists,
  clock: () => now,
});
process.stdout.write(`${JSON.stringify({ ready: true, owner: store.owner })}\n`);
for await (const line of readline.createInterface({ input: process.stdin })) {
  const cmd = JSON.parse(line) as { now: number };
  now = cmd.now;
  const r = await svc.tick();
  process.stdout.write(`${JSON.stringify({ now, sent: r.sent.map((s) => [s.kind, s.messageId, ...s.keys]), merged: r.merged.map((m) => [m.messageId, ...m.keys]), failed: r.failed })}\n`);
}
await store.close();
