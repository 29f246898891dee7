/**
 * Secretaries set up reminders from the chat, end to end: the real bot (webhook mode, real SDK) with the
 * reminders started as in `npm start`, against the Open API stand-in. Events and card callbacks are
 * delivered signed and encrypted as Feishu sends them; the group's owner comes from `im.chat.get`.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Messenger } from '../../src/lark/contracts.js';
import type { ReminderService } from '../../src/reminders/service.js';
import { localInstant } from '../../src/reminders/schedule.js';
import { deliverCallback } from '../support/callbacks.js';
import { buildLifecycleEvent } from '../support/lifecycle-events.js';
import { buildCardActionEvent, buildMessageEvent, deliverWebhook, type MentionSpec, type StoredMessage } from '../support/openapi-standin.js';
import { cardText as rawText, realAssistant, startHarness, type Harness } from '../lark/harness.js';
import { unescapeText } from '../../src/lark/escape.js';

/** The text of a card as a reader sees it (character references such as `&#58;` shown as `:`). */
const cardText = (card: unknown) => unescapeText(rawText(card));
import { tempDir } from './support.js';

const GROUP = 'oc_branch3group000000000000000001';
const OTHER = 'oc_branch4group000000000000000002';
const ADMIN_CHAT = 'oc_adminchat00000000000000000001';
const SECRETARY = 'ou_secretary3';
const MEMBER = 'ou_member3';
const ZHANG = { key: '@_user_1', openId: 'ou_zhangsan', name: '张三' } satisfies MentionSpec;

/** A valid checklist of another group, edited badly during the test. */
const OTHER_YAML = `name: 第四党支部
chat_id: ${OTHER}
owner: { open_id: ou_owner4, name: 刘书记 }
digest: false
items:
  - id: lecture
    title: 上党课
    assignees: [{ open_id: ou_owner4, name: 刘书记 }]
    recurrence: { every: quarterly, month: 3, day: 25 }
`;

describe('chat setup through the SDK and the stand-in', () => {
  let h: Harness;
  let svc: ReminderService;
  let tmp: ReturnType<typeof tempDir>;
  let lists: string;
  let now = localInstant('2026-11-28', '10:00');
  const prev = process.env.REMINDERS;

  beforeAll(async () => {
    process.env.REMINDERS = 'off'; // ticks are driven by the test's clock
    tmp = tempDir({ 'lists/other.yaml': OTHER_YAML });
    lists = join(tmp.dir, 'lists');
    mkdirSync(join(lists, 'templates'));
    cpSync('data/checklists/templates/branch-routine.yaml', join(lists, 'templates/branch-routine.yaml'));
    const { startReminders } = await import('../../src/reminders/index.js');
    h = await startHarness(await realAssistant(), {
      service: {
        extensions: async (messenger: Messenger) => {
          const ext = { commands: [], cardRoutes: [] };
          svc = await startReminders(messenger, ext, { checklistDir: lists, calendarDir: 'data/calendar', dbPath: join(tmp.dir, 'r.sqlite'), clock: () => now, adminChatId: ADMIN_CHAT });
          return ext;
        },
      },
    });
    h.api.addChat(GROUP, { name: '第三党支部', ownerOpenId: SECRETARY, members: [{ openId: SECRETARY, name: '周书记' }, { openId: MEMBER, name: '吴党员' }] });
    h.api.addChat(OTHER, { name: '第四党支部', ownerOpenId: 'ou_owner4' });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    tmp?.cleanup();
    process.env.REMINDERS = prev;
  });

  /** Sends `text` @bot in the group as `sender` and returns the bot's reply. */
  async function say(text: string, sender: string, mentions: MentionSpec[] = [], chatId = GROUP): Promise<StoredMessage> {
    const before = h.api.messages.length;
    const res = await deliverWebhook(h.eventUrl, buildMessageEvent({ chatId, text, mentionBot: true, senderOpenId: sender, mentions }));
    expect(res.status).toBe(200);
    await h.service.handler.idle();
    const all = await h.api.waitForMessages(before + 1);
    return all[before];
  }

  it('a secretary enables the routine from the welcome card and assigns by @mention; the next reminder @mentions that person', async () => {
    // the bot is added: the welcome card offers to enable the routine
    await deliverWebhook(h.eventUrl, buildLifecycleEvent('im.chat.member.bot.added_v1', { chatId: GROUP, operatorOpenId: SECRETARY }));
    const [welcome] = await h.api.waitForMessages(1);
    const button = JSON.stringify(welcome.content).includes('启用支部常规工作提醒');
    expect(button).toBe(true);

    // a member who is neither owner nor manager is refused, politely, and nothing is written
    const refused = await say('/启用 支部常规', MEMBER);
    expect(cardText(refused.content)).toMatch(/只有本群的群主、群管理员/);
    expect(await svc.tasks(GROUP)).toEqual([]);

    // the secretary (group owner per im.chat.get) clicks the button: nobody types a chat_id
    const click = await deliverCallback(h.cardUrl, buildCardActionEvent({ value: { kind: 'reminder.enable', template: 'branch-routine' }, chatId: GROUP, messageId: welcome.messageId, openId: SECRETARY }));
    expect(click).toMatchObject({ ok: true, toast: { type: 'success' } });
    const enabled = h.api.messages.at(-1)!;
    expect(enabled.chatId).toBe(GROUP);
    expect(cardText(enabled.content)).toMatch(/已为本群启用「党支部常规工作」提醒（8 项）/);
    expect((await svc.tasks(GROUP)).map((t) => t.id)).toContain('party-dues');
    // the owner is the secretary, by the name the group shows (im.chatMembers.get)
    expect(readFileSync(join(lists, 'branch-routine-branch3group000000000000000001.yaml'), 'utf8')).toContain('owner: { open_id: ou_secretary3, name: 周书记 }');
    expect(cardText((await say('/启用 支部常规', SECRETARY)).content)).toMatch(/本群已启用/);

    // assign by @mention: the open_id comes from the event's mentions
    const assigned = await say(`/负责 党费 ${ZHANG.key}`, SECRETARY, [ZHANG]);
    expect(cardText(assigned.content)).toContain('已指定「收缴当月党费」的负责人：<at id=ou_zhangsan>张三</at>');
    expect(cardText(assigned.content)).toContain('下次提醒：12-07 09:00（周一）');
    expect((await svc.tasks(GROUP)).find((t) => t.id === 'party-dues')!.assignees).toEqual([{ open_id: ZHANG.openId, name: '张三' }]);
    // …and by role
    const li = { key: '@_user_1', openId: 'ou_lisi', name: '李四' };
    expect(cardText((await say(`/负责 党小组组长 ${li.key}`, SECRETARY, [li])).content)).toMatch(/已指定\*\*党小组组长\*\*：<at id=ou_lisi>李四<\/at>/);
    // without a mention: the usage, never a request for an open_id to type
    expect(cardText((await say('/负责 党费', SECRETARY)).content)).toMatch(/请在输入框里输入 @ 选择成员/);

    // the next reminder of 党费 (due Thu 12-10, three days before: Mon 12-07 09:00) @mentions 张三
    now = localInstant('2026-12-04', '09:00');
    await svc.tick();
    now = localInstant('2026-12-07', '09:00');
    const r = await svc.tick();
    const reminder = r.sent.filter((s) => s.kind === 'reminder');
    expect(reminder.map((s) => s.chatId)).toEqual([GROUP]);
    const card = h.api.messages.find((m) => m.messageId === reminder[0].messageId)!;
    const dues = cardText(card.content).split('\n').findIndex((l) => l.includes('收缴当月党费'));
    expect(dues).toBeGreaterThanOrEqual(0);
    const line = cardText(card.content).split('\n').slice(dues, dues + 3).join('\n');
    expect(line).toContain('负责：<at id=ou_zhangsan>张三</at>');
    expect(line).not.toContain(SECRETARY);
  });

  it('/提醒设置 shows the times with buttons; the owner changes them, a member may not', async () => {
    const shown = await say('/提醒设置', MEMBER);
    const text = cardText(shown.content);
    expect(text).toContain('截止前 3天、1天、当天 的 09:00');
    expect(text).toContain('21:30–08:00');
    const tenOClock = { kind: 'reminder.settings', checklist: 'branch-routine-branch3group000000000000000001', field: 'time', value: '10:00' };
    const denied = await deliverCallback(h.cardUrl, buildCardActionEvent({ value: tenOClock, chatId: GROUP, messageId: shown.messageId, openId: MEMBER }));
    expect(denied).toMatchObject({ ok: true, toast: { type: 'error' } });
    const ok = await deliverCallback(h.cardUrl, buildCardActionEvent({ value: tenOClock, chatId: GROUP, messageId: shown.messageId, openId: SECRETARY }));
    expect(ok).toMatchObject({ ok: true, toast: { type: 'success', content: '已更新' } });
    expect(cardText(ok.card)).toContain('截止前 3天、1天、当天 的 10:00');
    const file = readFileSync(join(lists, 'branch-routine-branch3group000000000000000001.yaml'), 'utf8');
    expect(file).toMatch(/defaults:\n\s+reminders:\n\s+- \{ days_before: 3, at: "?'?10:00/);
    // the 12-09 reminder of 党费 now comes at 10:00, not 09:00
    now = localInstant('2026-12-08', '10:00');
    await svc.tick();
    now = localInstant('2026-12-09', '09:00');
    expect((await svc.tick()).sent).toEqual([]);
    now = localInstant('2026-12-09', '10:00');
    expect((await svc.tick()).sent.map((s) => s.keys)).toEqual([['branch-routine-branch3group000000000000000001|party-dues|2026-12-10|d1@10:00']]);
  });

  it('a broken checklist edit keeps the previous version and reports file:line:col with a Chinese reason in the admin chat', async () => {
    const before = h.api.messages.length;
    writeFileSync(join(lists, 'other.yaml'), OTHER_YAML.replace('month: 3, day: 25', 'month: 12, day: 25'));
    const all = await h.api.waitForMessages(before + 1);
    const report = all.slice(before).find((m) => m.chatId === ADMIN_CHAT && cardText(m.content).includes('清单文件有误'))!;
    const text = cardText(report.content);
    expect(text).toMatch(/other\.yaml:9:44: items\.0\.recurrence\.month: 季度中的第几个月应为 1–3/);
    expect(text).toContain('仍按上一版运行');
    // the previous version is in force: 上党课 is still due 2026-12-25 for the other group
    expect((await svc.tasks(OTHER)).find((t) => t.id === 'lecture')).toMatchObject({ due: '2026-12-25', assignees: [{ open_id: 'ou_owner4' }] });
    now = localInstant('2026-12-22', '09:00');
    const r = await svc.tick();
    expect(r.sent.map((s) => s.chatId)).toContain(OTHER);
    // saving the same mistake again is not reported twice
    writeFileSync(join(lists, 'other.yaml'), `${OTHER_YAML.replace('month: 3, day: 25', 'month: 12, day: 25')}\n`);
    const admin = (await h.api.settle(1200)).filter((m) => m.chatId === ADMIN_CHAT && cardText(m.content).includes('清单文件有误'));
    expect(admin.map((m) => cardText(m.content)), admin.map((m) => cardText(m.content)).join('\n----\n')).toHaveLength(1);
  });
});
