/**
 * The PostgreSQL migration `004-reminder-day-cards` on a database the previous release filled (one card per
 * checklist and chat): each card gets its local day and, per entry, its checklist and kind; each chat-day with a
 * card gets its send key, naming the day's latest card. (The SQLite twin is tested in test/reminders/day-card.test.ts.)
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '../../src/log.js';
import { localInstant } from '../../src/reminders/schedule.js';
import { dayCardKey } from '../../src/state/keys.js';
import { postgresMigrations } from '../../src/state/migrations/postgres.js';
import { migratePostgres } from '../../src/state/migrations/run.js';
import { openReminderState } from '../../src/state/open.js';
import { freshDatabase, skipPostgres } from '../support/postgres.js';

setLogLevel('silent');

describe.skipIf(skipPostgres)('PostgreSQL: reminder cards of the previous release', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    db = await freshDatabase('day_cards');
  });
  afterAll(async () => db?.drop());

  it('get their day, checklist and kind; the day’s latest card holds the chat-day key', async () => {
    const pool = new pg.Pool({ connectionString: db.url });
    const before = postgresMigrations.findIndex((m) => m.name === '004-reminder-day-cards');
    await migratePostgres(pool, postgresMigrations.slice(0, before));
    const at9 = localInstant('2026-12-07', '09:00');
    const at10 = localInstant('2026-12-07', '10:00');
    const insert = 'INSERT INTO cards (message_id, chat_id, checklist, kind, entries, sent_at) VALUES ($1, $2, $3, $4, $5, $6)';
    await pool.query(insert, ['om_1', 'oc_g', 'routine', 'reminder+digest:2026-W50', JSON.stringify([{ item: 'dues', occurrence: '2026-12-10', due: '2026-12-10' }]), at9]);
    await pool.query(insert, ['om_2', 'oc_g', 'notice', 'escalation', JSON.stringify([{ item: 'report', occurrence: '2026-12-03', due: '2026-12-03' }]), at10]);
    // 23:30 UTC on 12-07 is 12-08 in Asia/Shanghai
    await pool.query(insert, ['om_3', 'oc_g', 'routine', 'reminder', '[]', Date.UTC(2026, 11, 7, 16, 30)]);
    await pool.end();
    const store = await openReminderState({ url: db.url, file: ':memory:' });
    try {
      expect(await store.getCard('om_1')).toEqual({
        message_id: 'om_1',
        chat_id: 'oc_g',
        day: '2026-12-07',
        kind: 'reminder',
        entries: [
          { checklist: 'routine', item: 'dues', occurrence: '2026-12-10', due: '2026-12-10' },
          { checklist: 'routine', item: '', occurrence: '2026-W50', due: '', kind: 'digest' },
        ],
        sent_at: at9,
      });
      expect((await store.getCard('om_2'))!.entries).toEqual([{ checklist: 'notice', item: 'report', occurrence: '2026-12-03', due: '2026-12-03', kind: 'escalation' }]);
      expect((await store.getCard('om_3'))!.day).toBe('2026-12-08');
      expect(await store.sendState(dayCardKey('oc_g', '2026-12-07'))).toMatchObject({ state: 'sent', message_id: 'om_2' });
      expect(await store.sendState(dayCardKey('oc_g', '2026-12-08'))).toMatchObject({ state: 'sent', message_id: 'om_3' });
      expect((await store.cardsShowing('notice', 'report', '2026-12-03', 0)).map((c) => c.message_id)).toEqual(['om_2']);
    } finally {
      await store.close();
    }
  });
});
