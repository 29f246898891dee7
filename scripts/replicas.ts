/**
 * Replica run on PostgreSQL (loopback only, bounded; not a unit test). Needs a server:
 * `TEST_DATABASE_URL` (or `DATABASE_URL`); each part runs in a fresh database of its own, dropped after.
 * 1. two bot replicas (`src/main.ts`, webhook mode, real SDK, real assistant over data/corpus) on one
 *    database; `--events` (500) distinct @questions over `--chats` (40) group chats delivered to either
 *    at random, all at once, a share `--dups` (0.3) of them delivered again at the same moment (half the
 *    same event, half the same message in a new event): every question must be answered exactly once;
 * 2. December 2026 of reminders (`--copies` (3) copies of the example checklist, 38 sends each) over two
 *    reminder replica processes ticking together: every send exactly once.
 * Prints a table; exits with code 1 when a check fails. The kill-mid-send case runs in
 * test/state/reminder-replicas.e2e.test.ts.
 *
 * Usage: `scripts/pg-test-server.sh npx tsx scripts/replicas.ts [--events 500] [--chats 40] [--dups 0.3] [--copies 3]`
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OpenApiStandin } from '../test/support/openapi-standin.js';
import { freshDatabase } from '../test/support/postgres.js';
import { eventsOverReplicas, monthOverTwoReplicas, startBotReplica } from '../test/support/replicas.js';
import { numberArg } from './measure.js';

async function main(): Promise<void> {
  process.env.TEST_DATABASE_URL ??= process.env.DATABASE_URL;
  if (!process.env.TEST_DATABASE_URL) throw new Error('set TEST_DATABASE_URL, or run under scripts/pg-test-server.sh');
  const n = numberArg('events', 500);
  const chats = numberArg('chats', 40);
  const dupRate = numberArg('dups', 0.3);
  const copies = numberArg('copies', 3);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-replicas-'));
  const rows: [string, string, boolean][] = [];
  const api = await OpenApiStandin.start();
  try {
    const db = await freshDatabase('replicas_bots');
    const t0 = Date.now();
    const bots = await Promise.all([0, 1].map(() => startBotReplica(api, db.url, dir)));
    const startMs = Date.now() - t0;
    try {
      const run = await eventsOverReplicas(api, bots, { n, chats, dupRate, seed: 500, timeoutMs: 300_000 });
      rows.push(['bot replicas started (both)', `${(startMs / 1000).toFixed(1)} s`, true]);
      rows.push(['events / duplicate deliveries / re-deliveries', `${run.events} / ${run.duplicates} / ${run.redeliveries}`, true]);
      rows.push(['deliveries acknowledged by replica 1 / 2', run.perReplica.join(' / '), run.perReplica.every((x) => x > 0)]);
      rows.push(['answered exactly once', String(run.answeredOnce), run.answeredOnce === n]);
      rows.push(['lost', String(run.lost), run.lost === 0]);
      rows.push(['answered twice or more', String(run.answeredTwiceOrMore), run.answeredTwiceOrMore === 0]);
      rows.push(['all answered after', `${(run.ms / 1000).toFixed(1)} s`, true]);
    } finally {
      for (const b of bots) await b.stop('SIGKILL');
      await db.drop();
    }

    api.reset();
    const mdb = await freshDatabase('replicas_month');
    try {
      fs.mkdirSync(path.join(dir, 'month'));
      const m = await monthOverTwoReplicas(api, { databaseUrl: mdb.url }, path.join(dir, 'month'), copies);
      const keys = m.cards.flatMap((c) => c.keys);
      const expected = new Set(m.expected);
      const missing = m.expected.filter((k) => !keys.includes(k)).length;
      const twice = keys.length - new Set(keys).size;
      const extra = api.messages.filter((x) => !m.cards.some((c) => c.messageId === x.messageId)).length;
      rows.push(['month: sends due (keys) / cards sent', `${expected.size} / ${m.cards.length}`, true]);
      rows.push(['month: cards by replica 1 / 2', [0, 1].map((i) => m.cards.filter((c) => c.replica === i).length).join(' / '), true]);
      rows.push(['month: keys missing / sent twice / unreported messages', `${missing} / ${twice} / ${extra}`, missing === 0 && twice === 0 && extra === 0]);
      rows.push(['month: run time (start, 62 ticks × 2)', `${(m.ms / 1000).toFixed(1)} s`, true]);
    } finally {
      await mdb.drop();
    }
  } finally {
    await api.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const w = Math.max(...rows.map((r) => r[0].length));
  for (const [k, v, ok] of rows) process.stdout.write(`${ok ? '✓' : '✗'} ${k.padEnd(w)}  ${v}\n`);
  if (rows.some((r) => !r[2])) process.exitCode = 1;
}

await main();
