import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setLogLevel } from '../../src/log.js';
import { loadCalendar } from '../../src/reminders/calendar.js';
import { REMINDER_DONE_KIND } from '../../src/reminders/cards.js';
import { loadChecklists, type Checklist } from '../../src/reminders/checklist.js';
import { ReminderService, sendIdempotencyKey } from '../../src/reminders/service.js';
import { localInstant } from '../../src/reminders/schedule.js';
import { openReminderStore, type ReminderStore } from '../../src/reminders/store.js';
import { dayCardKey } from '../../src/state/keys.js';
import type { OpenApiStandin } from '../support/openapi-standin.js';
import { ALICE, CHAT, checklistYaml, OWNER, startApi, tempDir } from './support.js';
import type { LarkMessenger } from '../../src/lark/messenger.js';

setLogLevel('silent');
const cal = loadCalendar('data/calendar');

// dues: due Thu 2026-12-10, reminders Mon 12-07 09:00 and Wed 12-09 09:00, escalation on the 2nd
// working day after (Mon 12-14) at 10:00. report: same deadline, used for "done items are not escalated".
const ITEMS = `  - id: dues
    title: 收缴党费
    assignees: [{ open_id: ${ALICE.open_id}, name: ${ALICE.name} }]
    due: 2026-12-10
    reminders: [{ days_before: 3, at: '09:00' }, { days_before: 1, at: '09:00' }]
    escalation: { after_workdays: 2, at: '10:00' }
  - id: report
    title: 报送材料
    assignees: [{ open_id: ${OWNER.open_id}, name: ${OWNER.name} }]
    due: 2026-12-10
    reminders: [{ days_before: 0, at: '11:00' }]
    escalation: { after_workdays: 2, at: '10:00' }
`;

type Stored = { content: unknown; patchedContent?: unknown; chatId?: string; messageId: string };
const text = (m: Stored, patched = false) => JSON.stringify(patched ? m.patchedContent : m.content);

describe('ReminderService through the Open API stand-in', () => {
  let api: OpenApiStandin;
  let messenger: LarkMessenger;
  let tmp: ReturnType<typeof tempDir>;
  let checklists: Checklist[];
  let now: number;
  const clock = () => now;
  const set = (date: string, hhmm: string) => {
    now = localInstant(date, hhmm);
  };
  const dbFile = () => join(tmp.dir, 'reminders.sqlite');
  const stores: ReminderStore[] = [];
  /** A fresh process: new store handle on the same file, new service. */
  const boot = async () => {
    const store = await openReminderStore(dbFile(), { env: {} });
    stores.push(store);
    return { store, svc: new ReminderService({ messenger, store, calendar: cal, checklists, clock }) };
  };

  beforeAll(async () => {
    ({ api, messenger } = await startApi());
  });
  afterAll(async () => api.close());
  beforeEach(() => {
    api.reset();
    tmp = tempDir({ 'lists/test.yaml': checklistYaml(ITEMS) });
    const r = loadChecklists(join(tmp.dir, 'lists'));
    expect(r.problems).toEqual([]);
    checklists = r.checklists;
  });
  afterEach(async () => {
    while (stores.length) await stores.pop()!.close();
    tmp.cleanup();
  });

  it('sends a reminder card with @mentions, due date and a 标记完成 button; a restart does not resend', async () => {
    set('2026-12-07', '09:00');
    const a = await boot();
    const r = await a.svc.tick();
    expect(r.sent).toHaveLength(1);
    const [m] = await api.waitForMessages(1);
    expect(m.chatId).toBe(CHAT);
    expect(text(m)).toContain(`<at id=${ALICE.open_id}>${ALICE.name}</at>`);
    expect(text(m)).toContain('2026-12-10（周四）');
    expect(text(m)).toContain('标记完成');
    expect(text(m)).toContain(`"kind":"${REMINDER_DONE_KIND}"`);
    expect((await a.store.sendState('test|dues|2026-12-10|d3@09:00'))).toMatchObject({ state: 'sent', message_id: m.messageId });

    await a.svc.tick(); // same process, same minute
    await a.store.close();
    stores.length = 0;
    set('2026-12-07', '09:01');
    const b = await boot(); // restart
    expect((await b.svc.tick()).sent).toEqual([]);
    expect(await api.settle(100)).toHaveLength(1);
  });

  it('after downtime over two reminder times, sends the missed reminder once', async () => {
    set('2026-12-06', '12:00');
    const a = await boot();
    await a.svc.tick(); // running on Sunday: nothing due yet
    await a.store.close();
    stores.length = 0;
    // Down from Sunday noon until Wednesday 09:30: both the 12-07 and the 12-09 09:00 reminders were missed.
    set('2026-12-09', '09:30');
    const b = await boot();
    const r = await b.svc.tick();
    expect(r.sent).toHaveLength(1);
    expect(r.sent[0].keys.sort()).toEqual(['test|dues|2026-12-10|d1@09:00', 'test|dues|2026-12-10|d3@09:00']);
    const msgs = await api.settle(100);
    expect(msgs).toHaveLength(1);
    expect(text(msgs[0]).match(/收缴党费/g)).toHaveLength(1);
    set('2026-12-09', '09:31');
    expect((await b.svc.tick()).sent).toEqual([]);
  });

  it('holds reminders during quiet hours and sends them after', async () => {
    set('2026-12-06', '12:00');
    await (await boot()).svc.tick();
    set('2026-12-08', '22:00'); // restart inside quiet hours (21:30–08:00)
    const b = await boot();
    const r = await b.svc.tick();
    expect(r).toMatchObject({ sent: [], deferred: 1 });
    set('2026-12-09', '08:00');
    // the held reminder goes out when quiet hours end, and takes the same day's 09:00 reminder along (one card a day)
    expect((await b.svc.tick()).sent.map((s) => s.keys)).toEqual([['test|dues|2026-12-10|d3@09:00', 'test|dues|2026-12-10|d1@09:00']]);
    set('2026-12-09', '09:00');
    expect((await b.svc.tick()).sent).toEqual([]);
  });

  it('the 标记完成 button records who and when and returns the updated card for the callback response', async () => {
    set('2026-12-07', '09:00');
    const { store, svc } = await boot();
    await svc.tick();
    const [m] = await api.waitForMessages(1);
    set('2026-12-07', '10:15');
    const route = svc.cardActionRoutes().find((r) => r.kind === REMINDER_DONE_KIND)!;
    const value = { kind: 'reminder.done', checklist: 'test', item: 'dues', occurrence: '2026-12-10', view: 'reminder' };
    const res = await route.handle({ openId: ALICE.open_id, chatId: CHAT, messageId: m.messageId, value });
    expect((await store.getDone('test', 'dues', '2026-12-10'))).toMatchObject({ by_open_id: ALICE.open_id, by_name: ALICE.name, at: now, via: 'button' });
    // The clicked card is replaced by the callback response, not patched through the API.
    await svc.idle();
    expect(api.requestsFor('message.patch')).toHaveLength(0);
    const updated = JSON.stringify(res?.card);
    expect(updated).toContain(`已由 <at id=${ALICE.open_id}>${ALICE.name}</at> 于 12-07 10:15 标记完成`);
    expect(updated).not.toContain(`"kind":"${REMINDER_DONE_KIND}"`);
    expect(updated).toContain('撤销');
    expect((await svc.tasks(CHAT)).find((t) => t.id === 'dues')).toMatchObject({ state: 'done', done_by: { open_id: ALICE.open_id } });
    // A second click changes nothing; the 12-09 reminder is not sent for a done item.
    await route.handle({ openId: OWNER.open_id, chatId: CHAT, messageId: m.messageId, value });
    expect((await store.getDone('test', 'dues', '2026-12-10'))!.by_open_id).toBe(ALICE.open_id);
    set('2026-12-09', '09:00');
    expect((await svc.tick()).sent).toEqual([]);
    expect(await api.settle(50)).toHaveLength(1);
  });

  it('escalates an overdue item to the owner once, and not a done one', async () => {
    set('2026-12-10', '12:00');
    const a = await boot();
    await a.svc.markDone('test', 'report', '2026-12-10', OWNER.open_id, 'command');
    await a.store.close();
    stores.length = 0;
    set('2026-12-14', '10:00');
    const b = await boot();
    const r = await b.svc.tick();
    expect(r.sent.map((s) => [s.kind, s.chatId])).toEqual([['escalation', 'oc_owner_p2p']]);
    const [m] = await api.waitForMessages(1);
    expect(text(m)).toContain(`<at id=${OWNER.open_id}>${OWNER.name}</at> 以下事项已逾期`);
    expect(text(m)).toContain('收缴党费');
    expect(text(m)).not.toContain('报送材料');
    set('2026-12-14', '10:01');
    expect((await b.svc.tick()).sent).toEqual([]);
    await b.store.close();
    stores.length = 0;
    set('2026-12-15', '10:00');
    expect((await (await boot()).svc.tick()).sent).toEqual([]);
    expect(await api.settle(50)).toHaveLength(1);
  });

  it('retries after a failed send and re-sends a send left unconfirmed by a crash, once', async () => {
    set('2026-12-07', '09:00');
    const a = await boot();
    api.failNext('message.create', 1, 500);
    const r1 = await a.svc.tick();
    expect(r1).toMatchObject({ sent: [], failed: 1 });
    expect((await a.store.sendState('test|dues|2026-12-10|d3@09:00'))).toBeUndefined();
    set('2026-12-07', '09:01');
    expect((await a.svc.tick()).sent).toHaveLength(1);

    // Crash between claim and confirm: the claim is left behind by a dead process.
    set('2026-12-09', '09:00');
    const crashed = await openReminderStore(dbFile(), { env: {}, leaseMs: 1 });
    await crashed.claim(['test|dues|2026-12-10|d1@09:00'], 'reminder', CHAT, now);
    await crashed.close();
    await new Promise((r) => setTimeout(r, 5)); // its lease expires
    await a.store.close();
    stores.length = 0;
    const b = await boot();
    const r2 = await b.svc.tick();
    expect(r2.sent.map((s) => s.keys)).toEqual([['test|dues|2026-12-10|d1@09:00']]);
    expect((await b.store.sendState('test|dues|2026-12-10|d1@09:00'))!.state).toBe('sent');
    expect((await b.svc.tick()).sent).toEqual([]);
    expect(api.messages).toHaveLength(2);
  });

  it('a send that reached Feishu before the crash is not posted again (same request uuid)', async () => {
    set('2026-12-09', '09:00');
    const key = 'test|dues|2026-12-10|d1@09:00';
    // the dead process claimed the chat's card of the day and the key, and its card reached Feishu, but it never confirmed
    const dayKey = dayCardKey(CHAT, '2026-12-09');
    const crashed = await openReminderStore(dbFile(), { env: {}, leaseMs: 1 });
    await crashed.claim([dayKey], 'day', CHAT, now);
    await crashed.claim([key], 'reminder', CHAT, now);
    await crashed.close();
    await new Promise((r) => setTimeout(r, 5)); // its lease expires
    const first = await messenger.sendCard(CHAT, { schema: '2.0', body: { elements: [] } }, { idempotencyKey: sendIdempotencyKey('day', [dayKey]) });
    const b = await boot();
    const r = await b.svc.tick();
    expect(r.sent).toHaveLength(1);
    expect(r.sent[0]!.messageId).toBe(first);
    expect(api.messages).toHaveLength(1);
    expect((await b.store.sendState(key))!.state).toBe('sent');
    expect((await b.store.sendState(dayKey))!.message_id).toBe(first);
  });

  it('/tasks lists the open items and /done marks one done and updates the reminder card', async () => {
    set('2026-12-07', '09:00');
    const { svc } = await boot();
    await svc.tick();
    const [tasksCmd, doneCmd] = svc.chatCommands();
    expect(tasksCmd.names[0]).toBe('/tasks');
    const ctx = { chatId: CHAT, chatType: 'group' as const, messageId: 'om_x', senderOpenId: ALICE.open_id, args: '' };
    const card = JSON.stringify(await tasksCmd.run(ctx));
    expect(card).toContain('收缴党费');
    expect(card).toContain('报送材料');
    expect(await doneCmd.run({ ...ctx, args: '' })).toMatch(/用法/);
    expect(await doneCmd.run({ ...ctx, args: 'nothing-like-this' })).toMatch(/没有/);
    const done = JSON.stringify(await doneCmd.run({ ...ctx, args: 'dues' }));
    expect(done).toContain('已标记完成');
    expect(done).toContain('收缴党费');
    await svc.idle();
    expect(api.requestsFor('message.patch')).toHaveLength(1);
    const after = JSON.stringify(await tasksCmd.run(ctx));
    expect(after).not.toContain('收缴党费');
    expect(await tasksCmd.run({ ...ctx, chatId: 'oc_other' })).toMatch(/没有配置/);
  });

  it('startReminders: a broken checklist file is reported while the others run', async () => {
    const t = tempDir({
      'good.yaml': checklistYaml(ITEMS),
      'broken.yaml': checklistYaml('  - { id: x, title: X, due: 2026-12-10 }').replace('chat_id: oc_test_group', 'chat_id: group-without-prefix'),
    });
    const { startReminders } = await import('../../src/reminders/index.js');
    const ext: import('../../src/reminders/index.js').ReminderExtensionSlots = { commands: [], cardRoutes: [] };
    const prev = process.env.REMINDERS;
    process.env.REMINDERS = 'off';
    try {
      set('2026-12-07', '09:00');
      const svc = await startReminders(messenger, ext, { checklistDir: t.dir, calendarDir: 'data/calendar', dbPath: join(tmp.dir, 'x.sqlite'), clock });
      expect(ext.commands.map((c) => c.names[0])).toEqual(['/tasks', '/done', '/启用', '/负责', '/提醒设置']);
      expect(ext.cardRoutes.map((r) => r.kind)).toEqual(['reminder.done', 'reminder.undo', 'reminder.enable', 'reminder.settings']);
      expect((await svc.tick()).sent.map((s) => s.chatId)).toEqual([CHAT]);
      await ext.close!();
    } finally {
      process.env.REMINDERS = prev;
      t.cleanup();
    }
  });

  it('sends the weekly digest once per week', async () => {
    tmp.cleanup();
    tmp = tempDir({ 'lists/test.yaml': checklistYaml(ITEMS, "digest: { weekday: 5, at: '16:30' }") });
    checklists = loadChecklists(join(tmp.dir, 'lists')).checklists;
    set('2026-12-11', '12:00');
    const { svc } = await boot();
    await svc.markDone('test', 'report', '2026-12-10', OWNER.open_id, 'command');
    await svc.tick();
    api.reset();
    set('2026-12-11', '16:30');
    const r = await svc.tick();
    expect(r.sent.map((s) => s.kind)).toEqual(['digest']);
    const [m] = await api.waitForMessages(1);
    expect(text(m)).toContain('本周已完成（1）');
    expect(text(m)).toContain('已逾期（1）');
    set('2026-12-11', '17:00');
    expect((await svc.tick()).sent).toEqual([]);
  });
});
