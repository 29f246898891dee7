/**
 * Reminder sends to a chat that fails: a permanent refusal (bot removed from the group, chat
 * dissolved) pauses the reminders to that chat, recorded with the code, instead of a retry every minute for the
 * 72-hour catch-up; a transient failure backs off (1, 2, 4… minutes). Through the real SDK against
 * the stand-in, which refuses sends to a closed chat with the platform's codes.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setLogLevel } from '../../src/log.js';
import { loadCalendar } from '../../src/reminders/calendar.js';
import { loadChecklists, type Checklist } from '../../src/reminders/checklist.js';
import { localInstant } from '../../src/reminders/schedule.js';
import { ReminderService } from '../../src/reminders/service.js';
import { openReminderStore, type ReminderStore } from '../../src/reminders/store.js';
import type { LarkMessenger } from '../../src/lark/messenger.js';
import type { OpenApiStandin } from '../support/openapi-standin.js';
import { ALICE, CHAT, checklistYaml, startApi, tempDir } from './support.js';

setLogLevel('silent');
const cal = loadCalendar('data/calendar');

const ITEMS = `  - id: dues
    title: 收缴党费
    assignees: [{ open_id: ${ALICE.open_id}, name: ${ALICE.name} }]
    due: 2026-12-10
    reminders: [{ days_before: 3, at: '09:00' }]
`;

describe('reminder sends to a failing chat', () => {
  let api: OpenApiStandin;
  let messenger: LarkMessenger;
  let tmp: ReturnType<typeof tempDir>;
  let checklists: Checklist[];
  let store: ReminderStore;
  let svc: ReminderService;
  let now = 0;

  beforeAll(async () => {
    ({ api, messenger } = await startApi());
  });
  afterAll(async () => api.close());
  beforeEach(async () => {
    api.reset();
    api.platform.reopenChat(CHAT);
    tmp = tempDir({ 'lists/test.yaml': checklistYaml(ITEMS) });
    checklists = loadChecklists(join(tmp.dir, 'lists')).checklists;
    store = await openReminderStore(join(tmp.dir, 'reminders.sqlite'), { env: {} });
    svc = new ReminderService({ messenger, store, calendar: cal, checklists, clock: () => now });
  });
  afterEach(async () => {
    await store.close();
    tmp.cleanup();
  });

  /** Ticks at each minute from 09:00 to 09:mm on 2026-12-07, returning the create requests made. */
  async function tickMinutes(upTo: number): Promise<number[]> {
    const attemptsAt: number[] = [];
    for (let mm = 0; mm <= upTo; mm++) {
      now = localInstant('2026-12-07', `09:${String(mm).padStart(2, '0')}`);
      const before = api.requestsFor('message.create').length;
      await svc.tick();
      if (api.requestsFor('message.create').length > before) attemptsAt.push(mm);
    }
    return attemptsAt;
  }

  it.each([
    ['removed', 230002],
    ['dissolved', 232009],
  ] as const)('a chat the bot was %s from is tried once, recorded, and not again every minute', async (how, code) => {
    api.platform.closeChat(CHAT, how);
    expect(await tickMinutes(30)).toEqual([0]);
    expect((await store.pausedChat(CHAT))).toMatchObject({ reason: `send-refused:${code}` });
    expect(api.messages).toEqual([]);

    // the bot is added back: sends resume, once
    api.platform.reopenChat(CHAT);
    expect((await svc.resumeChat(CHAT))).toBe(true);
    now = localInstant('2026-12-07', '10:00');
    expect((await svc.tick()).sent).toHaveLength(1);
    expect((await store.pausedChat(CHAT))).toBeUndefined();
  });

  it('transient failures back off (1, 2, 4 minutes) and the reminder goes out once when the chat recovers', async () => {
    api.failNext('message.create', 3, 503);
    expect(await tickMinutes(10)).toEqual([0, 1, 3, 7]);
    expect(api.messages).toHaveLength(1);
    expect((await store.chatHold(CHAT))).toBeUndefined();
  });
});
