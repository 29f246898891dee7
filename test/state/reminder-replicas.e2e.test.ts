/**
 * Reminder replicas as separate processes (test/support/reminder-replica.ts: the real ReminderService and
 * SDK messenger on the Open API stand-in) on one shared state, driven through December 2026 with an
 * injected clock: every reminder, escalation and digest is sent exactly once, on PostgreSQL and on one
 * SQLite file, and a chat with two checklists (its routine and one confirmed from a notice) gets one card a day; a replica killed in the middle of a send leaves neither a duplicate nor a loss once its
 * lease (2 s here) expired.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localInstant } from '../../src/reminders/schedule.js';
import { OpenApiStandin } from '../support/openapi-standin.js';
import { freshDatabase, skipPostgres } from '../support/postgres.js';
import { monthOverTwoReplicas, startReminderReplica, writeMonthChecklists, type ReminderReplica } from '../support/replicas.js';

const HOUR = 3600_000;

function expectExactlyOnce(api: OpenApiStandin, run: Awaited<ReturnType<typeof monthOverTwoReplicas>>) {
  const sentKeys = [...run.cards, ...run.merges].flatMap((c) => c.keys);
  // the example checklist's sends in December 2026 (38), and the notice checklist's on the same chat
  // (3 reminders, 3 escalations, 4 Friday digests)
  expect(run.expected.length).toBe(48);
  expect(sentKeys.length, 'no key sent twice').toBe(new Set(sentKeys).size);
  expect(new Set(sentKeys)).toEqual(new Set(run.expected));
  // every card the replicas reported is one message in the chat, and there is no other
  expect(api.messages.map((m) => m.messageId).sort()).toEqual(run.cards.map((c) => c.messageId).sort());
  expect(new Set(run.cards.map((c) => c.replica)).size, 'both replicas sent some').toBe(2);
  // one card per chat and local day, with both checklists in it on a day both are due
  const perDay = new Map<string, number>();
  for (const c of run.cards) {
    const k = `${api.messages.find((m) => m.messageId === c.messageId)!.chatId} ${DateTime.fromMillis(c.at, { zone: 'Asia/Shanghai' }).toISODate()}`;
    perDay.set(k, (perDay.get(k) ?? 0) + 1);
  }
  expect(Math.max(...perDay.values()), 'at most one card a chat a day').toBe(1);
  const dec4 = run.cards.filter((c) => DateTime.fromMillis(c.at, { zone: 'Asia/Shanghai' }).toISODate() === '2026-12-04');
  const card = dec4.map((c) => api.messages.find((m) => m.messageId === c.messageId)!).find((m) => m.chatId === 'oc_month_00')!;
  expect(JSON.stringify(card.content)).toContain('2 个清单');
  expect(JSON.stringify(card.content)).toContain('完成党费收缴自查');
}

describe('a month of reminders over two replica processes', () => {
  let api: OpenApiStandin;
  let dir: string;
  beforeAll(async () => {
    api = await OpenApiStandin.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-reminder-replicas-'));
  });
  afterAll(async () => {
    await api.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('on one SQLite file: every send exactly once', async () => {
    api.reset();
    const sub = path.join(dir, 'sqlite');
    fs.mkdirSync(sub);
    const run = await monthOverTwoReplicas(api, { remindersDb: path.join(sub, 'reminders.sqlite') }, sub, 1, true);
    expectExactlyOnce(api, run);
  }, 120_000);

  describe.skipIf(skipPostgres)('on PostgreSQL', () => {
    let db: Awaited<ReturnType<typeof freshDatabase>>;
    beforeAll(async () => {
      db = await freshDatabase('reminders');
    });
    afterAll(async () => db?.drop());

    it('every send exactly once', async () => {
      api.reset();
      const sub = path.join(dir, 'pg');
      fs.mkdirSync(sub);
      const run = await monthOverTwoReplicas(api, { databaseUrl: db.url }, sub, 1, true);
      expectExactlyOnce(api, run);
    }, 120_000);

    it('a replica killed in the middle of a send: no duplicate, no loss once its lease expired', async () => {
      api.reset();
      const other = await freshDatabase('reminders_kill');
      const checklistDir = path.join(dir, 'kill-lists');
      fs.mkdirSync(checklistDir);
      writeMonthChecklists(checklistDir, 2);
      const start = localInstant('2026-12-07', '08:00');
      const due = localInstant('2026-12-07', '09:00'); // 收缴党费 d3@09:00 in both copies
      const replicas: ReminderReplica[] = [];
      try {
        const [a, b] = await Promise.all([0, 1].map(() => startReminderReplica(api, { databaseUrl: other.url }, { checklistDir, startMs: start, leaseMs: 2000 })));
        replicas.push(a, b);
        // the platform stores A's card but answers only after 4 s: A dies not knowing it was sent
        api.platform.responseDelayMs = 4000;
        const aTick = a.tick(due).catch((e: Error) => e);
        await api.waitForMessages(1, 20_000);
        await a.kill();
        expect(await aTick).toBeInstanceOf(Error);
        api.platform.responseDelayMs = 0;
        const first = api.messages[0];

        // B at once: A's lease is live, so B sends only the other checklist's card
        const r1 = await b.tick(due + 60_000);
        expect(r1.sent).toHaveLength(1);
        expect(api.messages).toHaveLength(2);
        expect(api.messages[1].chatId).not.toBe(first.chatId);

        // after the lease expired B takes A's send over, with the same request uuid: the first message, not a second
        await new Promise((r) => setTimeout(r, 2300));
        const r2 = await b.tick(due + 120_000);
        expect(r2.sent.map((s) => s[1])).toEqual([first.messageId]);
        expect(api.messages).toHaveLength(2);
        // and nothing more that day
        for (let t = due + HOUR; t < localInstant('2026-12-07', '21:00'); t += HOUR) expect((await b.tick(t)).sent).toEqual([]);
        expect(api.messages).toHaveLength(2);
      } finally {
        for (const r of replicas) await r.kill();
        api.platform.responseDelayMs = 0;
        await other.drop();
      }
    }, 60_000);
  });
});
