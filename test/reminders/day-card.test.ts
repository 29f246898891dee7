/**
 * One reminder card per chat and local day across checklists, through the real SDK against the Open API
 * stand-in: a branch chat with its routine and a checklist confirmed from a notice gets one card that
 * groups both; what falls due after that card went out is merged into it by a patch; escalations of two
 * checklists to the same owner chat share one card; and a reminders file of the previous release
 * (one card per checklist) is migrated so that its card of the day is merged into, not doubled.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setLogLevel } from '../../src/log.js';
import type { LarkMessenger } from '../../src/lark/messenger.js';
import { loadCalendar } from '../../src/reminders/calendar.js';
import { REMINDER_DONE_KIND } from '../../src/reminders/cards.js';
import { loadChecklists, type Checklist } from '../../src/reminders/checklist.js';
import { dryRun, parseAt } from '../../src/reminders/plan.js';
import { ReminderService } from '../../src/reminders/service.js';
import { localInstant } from '../../src/reminders/schedule.js';
import { openReminderStore, type ReminderStore } from '../../src/reminders/store.js';
import { dayCardKey } from '../../src/state/keys.js';
import { reminderMigrations } from '../../src/state/migrations/sqlite.js';
import { migrateSqlite } from '../../src/state/migrations/run.js';
import type { OpenApiStandin } from '../support/openapi-standin.js';
import { ALICE, CHAT, checklistYaml, OWNER, startApi, tempDir } from './support.js';

setLogLevel('silent');
const cal = loadCalendar('data/calendar');
const OWNER_CHAT = 'oc_owner_p2p';

// the branch's own checklist: 收缴党费 due Thu 2026-12-10, reminded Mon 12-07 09:00, escalated Mon 12-14 10:00
const ROUTINE = checklistYaml(`  - id: dues
    title: 收缴党费
    assignees: [{ open_id: ${ALICE.open_id}, name: ${ALICE.name} }]
    due: 2026-12-10
    reminders: [{ days_before: 3, at: '09:00' }]
    escalation: { after_workdays: 2, at: '10:00' }
`);
// a checklist confirmed from a notice for the same chat: 报送自查表 due Wed 12-09, reminded Mon 12-07 15:00,
// escalated Fri 12-11 10:00; 专题组织生活会 due 12-11, reminded Mon 12-07 08:30 (inside nobody's quiet hours)
const NOTICE = `id: notice-dues
name: 关于开展党费收缴核查的通知
chat_id: ${CHAT}
owner: { open_id: ${OWNER.open_id}, name: ${OWNER.name}, chat_id: ${OWNER_CHAT} }
digest: false
items:
  - id: self-check
    title: 报送自查表
    assignees: [{ open_id: ou_bob, name: 宣传委员 }]
    due: 2026-12-09
    reminders: [{ days_before: 2, at: '15:00' }]
    escalation: { after_workdays: 2, at: '10:00' }
  - id: meeting
    title: 召开专题组织生活会
    assignees: [{ open_id: ${ALICE.open_id}, name: ${ALICE.name} }]
    due: 2026-12-11
    reminders: [{ days_before: 4, at: '08:30' }]
`;

const text = (c: unknown) => JSON.stringify(c);

describe('one reminder card per chat and day', () => {
  let api: OpenApiStandin;
  let messenger: LarkMessenger;
  let tmp: ReturnType<typeof tempDir>;
  let now: number;
  const clock = () => now;
  const set = (date: string, hhmm: string) => {
    now = localInstant(date, hhmm);
  };
  const stores: ReminderStore[] = [];
  const service = async (checklists: Checklist[], file = ':memory:') => {
    const store = await openReminderStore(file, { env: {} });
    stores.push(store);
    return { store, svc: new ReminderService({ messenger, store, calendar: cal, checklists, clock }) };
  };
  const lists = (files: Record<string, string>) => {
    tmp = tempDir(Object.fromEntries(Object.entries(files).map(([k, v]) => [`lists/${k}`, v])));
    const r = loadChecklists(join(tmp.dir, 'lists'));
    expect(r.problems).toEqual([]);
    return r.checklists;
  };

  beforeAll(async () => {
    ({ api, messenger } = await startApi());
  });
  afterAll(async () => api.close());
  beforeEach(() => api.reset());
  afterEach(async () => {
    while (stores.length) await stores.pop()!.close();
    tmp?.cleanup();
  });

  it('two checklists on one chat: one card, grouped by checklist title, each item with its own 标记完成 button', async () => {
    set('2026-12-07', '08:30');
    const { svc, store } = await service(lists({ 'test.yaml': ROUTINE, 'notice.yaml': NOTICE }));
    const r = await svc.tick();
    expect(r.sent).toHaveLength(1);
    // the 08:30 card also carries the day's 09:00 and 15:00 reminders of both checklists
    expect(r.sent[0].keys.sort()).toEqual(['notice-dues|meeting|2026-12-11|d4@08:30', 'notice-dues|self-check|2026-12-09|d2@15:00', 'test|dues|2026-12-10|d3@09:00']);
    const [m] = await api.waitForMessages(1);
    const card = text(m.content);
    expect(card).toContain('📋 待办提醒 · 2 个清单');
    expect(card.indexOf('**测试支部**')).toBeGreaterThan(-1);
    expect(card.indexOf('**关于开展党费收缴核查的通知**')).toBeGreaterThan(-1);
    for (const title of ['收缴党费', '报送自查表', '召开专题组织生活会']) expect(card).toContain(title);
    const buttons = [...card.matchAll(/"kind":"reminder\.done","checklist":"([^"]+)","item":"([^"]+)"/g)].map((x) => `${x[1]}/${x[2]}`);
    expect(buttons.sort()).toEqual(['notice-dues/meeting', 'notice-dues/self-check', 'test/dues']);
    // nothing more that day, although the 09:00 and 15:00 times come
    for (const hhmm of ['09:00', '15:00', '18:00']) {
      set('2026-12-07', hhmm);
      const t = await svc.tick();
      expect(t.sent).toEqual([]);
      expect(t.merged).toEqual([]);
    }
    expect(await api.settle(50)).toHaveLength(1);
    expect((await store.sendState(dayCardKey(CHAT, '2026-12-07')))!.message_id).toBe(m.messageId);
    // the notice item's button on the merged card marks the notice's item, and the card keeps both checklists
    set('2026-12-07', '18:05');
    const route = svc.cardActionRoutes().find((x) => x.kind === REMINDER_DONE_KIND)!;
    const value = { kind: REMINDER_DONE_KIND, checklist: 'notice-dues', item: 'self-check', occurrence: '2026-12-09', view: 'reminder' };
    const res = await route.handle({ openId: 'ou_bob', chatId: CHAT, messageId: m.messageId, value });
    expect(await store.getDone('notice-dues', 'self-check', '2026-12-09')).toMatchObject({ by_open_id: 'ou_bob' });
    expect(text(res?.card)).toContain('已由 <at id=ou_bob>宣传委员</at> 于 12-07 18:05 标记完成');
    expect(text(res?.card)).toContain('收缴党费');
    // a forwarded copy in another chat is refused
    const other = await route.handle({ openId: 'ou_bob', chatId: 'oc_elsewhere', messageId: m.messageId, value });
    expect(other?.toast?.type).toBe('error');
  });

  it('what falls due after the day’s card went out is merged into it by a patch, not a second message', async () => {
    const routine = lists({ 'test.yaml': ROUTINE, 'notice.yaml': NOTICE }).filter((c) => c.id === 'test');
    const both = loadChecklists(join(tmp.dir, 'lists')).checklists;
    set('2026-12-07', '09:00');
    const { svc } = await service(routine);
    expect((await svc.tick()).sent).toHaveLength(1);
    const [m] = await api.waitForMessages(1);
    expect(text(m.content)).not.toContain('报送自查表');
    // the notice checklist is confirmed at noon: its 08:30 reminder was missed, its 15:00 one is later today
    svc.setChecklists(both);
    set('2026-12-07', '12:00');
    const r = await svc.tick();
    expect(r.sent).toEqual([]);
    expect(r.merged).toHaveLength(1);
    expect(r.merged[0].messageId).toBe(m.messageId);
    expect(await api.settle(50)).toHaveLength(1);
    const patched = text(api.messages[0].patchedContent);
    expect(patched).toContain('2 个清单');
    for (const title of ['收缴党费', '报送自查表', '召开专题组织生活会']) expect(patched).toContain(title);
    set('2026-12-07', '15:00');
    expect((await svc.tick()).merged).toEqual([]);
    // the next day is a new card
    set('2026-12-08', '09:00');
    await svc.tick();
    expect(api.messages).toHaveLength(1);
  });

  it('the dry run lists the chat’s one card with a section per checklist', async () => {
    const checklists = lists({ 'test.yaml': ROUTINE, 'notice.yaml': NOTICE });
    const { result } = dryRun(checklists, cal, parseAt('2026-12-07T08:30'));
    expect(result.reminders).toHaveLength(1);
    expect(result.reminders[0]!.chat_id).toBe(CHAT);
    expect(result.reminders[0]!.checklists.map((s) => [s.checklist, s.items.map((i) => i.id)])).toEqual([
      ['notice-dues', ['self-check', 'meeting']],
      ['test', ['dues']],
    ]);
    expect(dryRun(checklists, cal, parseAt('2026-12-07T09:00')).result.reminders).toEqual([]);
  });

  it('a chat’s card waits for the quiet hours of any checklist in it, then carries both', async () => {
    // the notice checklist reminds at 07:30 and keeps no quiet hours; the routine's quiet hours end at 08:00
    const early = NOTICE.replace("reminders: [{ days_before: 4, at: '08:30' }]", "reminders: [{ days_before: 4, at: '07:30' }]").replace('digest: false', 'digest: false\nquiet_hours: false');
    set('2026-12-07', '07:00');
    const { svc } = await service(lists({ 'test.yaml': ROUTINE, 'notice.yaml': early }));
    set('2026-12-07', '07:30');
    const held = await svc.tick();
    expect(held.sent).toEqual([]);
    expect(held.deferred).toBe(1);
    set('2026-12-07', '08:00');
    const r = await svc.tick();
    expect(r.sent).toHaveLength(1);
    const [m] = await api.waitForMessages(1);
    for (const title of ['收缴党费', '召开专题组织生活会', '报送自查表']) expect(text(m.content)).toContain(title);
  });

  it('escalations of two checklists to the same owner chat share one card', async () => {
    const both = lists({
      'test.yaml': ROUTINE.replace('due: 2026-12-10', 'due: 2026-12-09'),
      'notice.yaml': NOTICE,
    });
    // both items were due Wed 12-09; escalated on the 2nd working day after, Fri 12-11 10:00
    set('2026-12-11', '10:00');
    const { svc } = await service(both);
    await svc.tick();
    const toOwner = (await api.settle(50)).filter((x) => x.chatId === OWNER_CHAT);
    expect(toOwner).toHaveLength(1);
    const card = text(toOwner[0].content);
    expect(card).toContain('⚠️ 逾期督办 · 2 个清单');
    expect(card).toContain('收缴党费');
    expect(card).toContain('报送自查表');
    set('2026-12-11', '16:00');
    await svc.tick();
    expect((await api.settle(50)).filter((x) => x.chatId === OWNER_CHAT)).toHaveLength(1);
  });

  it('a reminders file of the previous release: its cards get their day and checklist, and the day’s card is merged into', async () => {
    const checklists = lists({ 'test.yaml': ROUTINE, 'notice.yaml': NOTICE });
    const file = join(tmp.dir, 'old.sqlite');
    // the file as the previous release left it: migrations 001–002, one card of the routine sent at 09:00
    const db = new Database(file);
    await migrateSqlite(db, reminderMigrations.slice(0, 2));
    const sentAt = localInstant('2026-12-07', '09:00');
    const sent = await messenger.sendCard(CHAT, { schema: '2.0', config: { update_multi: true }, body: { elements: [{ tag: 'markdown', content: '收缴党费' }] } });
    db.prepare("INSERT INTO sends (key, kind, chat_id, state, owner, claimed_at, sent_at, message_id) VALUES (?, 'reminder', ?, 'sent', 'old', ?, ?, ?)").run('test|dues|2026-12-10|d3@09:00', CHAT, sentAt, sentAt, sent);
    db.prepare('INSERT INTO cards (message_id, chat_id, checklist, kind, entries, sent_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      sent,
      CHAT,
      'test',
      'reminder+digest:2026-W50',
      JSON.stringify([{ item: 'dues', occurrence: '2026-12-10', due: '2026-12-10' }]),
      sentAt,
    );
    db.prepare("INSERT INTO meta (k, v) VALUES ('first_start', ?)").run(String(localInstant('2026-12-01', '00:00')));
    db.close();
    const { store, svc } = await service(checklists, file);
    expect(await store.getCard(sent)).toEqual({
      message_id: sent,
      chat_id: CHAT,
      day: '2026-12-07',
      kind: 'reminder',
      entries: [
        { checklist: 'test', item: 'dues', occurrence: '2026-12-10', due: '2026-12-10' },
        { checklist: 'test', item: '', occurrence: '2026-W50', due: '', kind: 'digest' },
      ],
      sent_at: sentAt,
    });
    expect((await store.sendState(dayCardKey(CHAT, '2026-12-07')))!.message_id).toBe(sent);
    // the notice's reminders of that day go into the 09:00 card, not a second one
    set('2026-12-07', '09:01');
    const r = await svc.tick();
    expect(r.sent).toEqual([]);
    expect(r.merged.map((x) => x.messageId)).toEqual([sent]);
    expect(await api.settle(50)).toHaveLength(1);
    expect(text(api.messages[0].patchedContent)).toContain('报送自查表');
  });
});
