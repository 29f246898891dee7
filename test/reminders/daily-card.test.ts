/**
 * What a branch receives over December 2026 from the shipped template (nothing marked done, the
 * owner without a private chat, so escalations go to the group too), through the real SDK against
 * the Open API stand-in; and the admin chat's notice that the 2027 calendar is missing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { setLogLevel } from '../../src/log.js';
import type { LarkMessenger } from '../../src/lark/messenger.js';
import { unescapeText } from '../../src/lark/escape.js';
import { loadCalendar, ZONE } from '../../src/reminders/calendar.js';
import { loadChecklists } from '../../src/reminders/checklist.js';
import { eventsBetween, localInstant } from '../../src/reminders/schedule.js';
import { ReminderService } from '../../src/reminders/service.js';
import { openReminderStore } from '../../src/reminders/store.js';
import type { OpenApiStandin } from '../support/openapi-standin.js';
import { cardText } from '../lark/harness.js';
import { startApi, tempDir } from './support.js';

setLogLevel('silent');
const cal = loadCalendar('data/calendar');
const GROUP = 'oc_branch7group000000000000000007';
const ADMIN = 'oc_adminchat00000000000000000007';
const BRANCH = `name: 第七党支部
chat_id: ${GROUP}
owner: { open_id: ou_sec7, name: 书记 }
template: branch-routine
starts: 2026-11-01
roles:
  secretary: [{ open_id: ou_sec7, name: 书记 }]
  organizer: [{ open_id: ou_org7, name: 组织委员 }]
  propaganda: [{ open_id: ou_pro7, name: 宣传委员 }]
  group_leader: [{ open_id: ou_grp7, name: 党小组组长 }]
`;

describe('a branch over December 2026', () => {
  let api: OpenApiStandin;
  let messenger: LarkMessenger;
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    ({ api, messenger } = await startApi());
    // the shipped template as it is
    tmp = tempDir({ 'lists/branch7.yaml': BRANCH, 'lists/templates/branch-routine.yaml': readFileSync('data/checklists/templates/branch-routine.yaml', 'utf8') });
  });
  afterAll(async () => {
    await api.close();
    tmp.cleanup();
  });

  it('gets one card a day at most, each reminder and escalation in it once, the weekly summary inside the day’s card', async () => {
    const { checklists, problems } = loadChecklists(join(tmp.dir, 'lists'));
    expect(problems).toEqual([]);
    let now = localInstant('2026-11-30', '12:00');
    const store = await openReminderStore(join(tmp.dir, 'r.sqlite'), { env: {} });
    const svc = new ReminderService({ messenger, store, calendar: cal, checklists, clock: () => now });
    await svc.tick();
    const from = localInstant('2026-12-01', '00:00');
    const to = localInstant('2026-12-31', '23:59');
    const { events } = eventsBetween(checklists, cal, from, to);
    // tick at every minute something fires (nothing happens in between)
    const dayOf = new Map<string, string>();
    for (const t of [...new Set(events.map((e) => e.fireAt))].sort((a, b) => a - b)) {
      now = t;
      for (const s of (await svc.tick()).sent) dayOf.set(s.messageId, DateTime.fromMillis(now, { zone: ZONE }).toISODate()!);
    }
    const cards = api.messages.filter((m) => m.chatId === GROUP);
    const perDay = new Map<string, number>();
    for (const m of cards) perDay.set(dayOf.get(m.messageId)!, (perDay.get(dayOf.get(m.messageId)!) ?? 0) + 1);
    // before this change the same month brought 27 cards, two on 8 days (scripts/remind-cards.ts)
    expect(Math.max(...perDay.values())).toBe(1);
    expect(cards.length).toBe(perDay.size);
    // nothing is lost: every event of December was sent (none left unsettled)
    for (const e of events) expect(await store.settled(e.key), e.key).toBe(true);
    // the Friday card carries the weekly summary; the owner is @mentioned for overdue items
    const friday = cards.find((m) => dayOf.get(m.messageId) === '2026-12-11')!;
    expect(cardText(friday.content)).toContain('每周小结 2026-W50');
    const monday = cards.find((m) => dayOf.get(m.messageId) === '2026-12-14')!;
    expect(cardText(monday.content)).toContain('请 <at id=ou_sec7>书记</at> 督办');
    expect(cardText(monday.content)).toContain('收缴当月党费');
    await store.close();
  });

  it('tells the admin chat from 1 December, once a day, which January 2027 dates cannot be scheduled', async () => {
    api.reset();
    const { checklists } = loadChecklists(join(tmp.dir, 'lists'));
    let now = localInstant('2026-11-28', '09:00');
    const store = await openReminderStore(':memory:', { env: {} });
    const svc = new ReminderService({ messenger, store, calendar: cal, checklists, clock: () => now, adminChatId: ADMIN });
    await svc.tick();
    now = localInstant('2026-11-30', '16:00');
    await svc.tick();
    expect(api.messages.filter((m) => m.chatId === ADMIN)).toEqual([]);
    now = localInstant('2026-12-01', '09:00');
    await svc.tick();
    now = localInstant('2026-12-01', '09:01');
    await svc.tick();
    const notices = api.messages.filter((m) => m.chatId === ADMIN);
    expect(notices).toHaveLength(1);
    const text = unescapeText(cardText(notices[0].content));
    expect(text).toContain('缺少 2027 年');
    for (const line of ['2027-01-01（周五）第七党支部 · 主题党日', '2027-01-10（周日）第七党支部 · 收缴当月党费', '2027-01-15（周五）第七党支部 · 召开支部委员会会议', '2027-01-20（周三）第七党支部 · 召开党小组会']) {
      expect(text).toContain(line);
    }
    now = localInstant('2026-12-02', '09:00');
    await svc.tick();
    expect(api.messages.filter((m) => m.chatId === ADMIN)).toHaveLength(2);
    await store.close();
  });
});
