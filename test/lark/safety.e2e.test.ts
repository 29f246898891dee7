/**
 * Issue 8, security / authorization / card limits / lifecycle: every test goes through the real SDK
 * (webhook deliveries signed and encrypted as Feishu sends them, the SDK Client for sends) against
 * the Open API stand-in, with the real assistant and the real reminder service.
 */
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Assistant } from '../../src/types.js';
import { loadCoreConfig } from '../../src/config.js';
import { ChatConfigError, loadChatConfig } from '../../src/lark/config.js';
import { escapeAnswerText, escapeText, unescapeText } from '../../src/lark/escape.js';
import type { Extensions } from '../../src/lark/feishu.js';
import { REMINDER_DONE_KIND, REMINDER_UNDO_KIND } from '../../src/reminders/cards.js';
import { startReminders, type ReminderService } from '../../src/reminders/index.js';
import { localInstant } from '../../src/reminders/schedule.js';
import { deliverCallback } from '../support/callbacks.js';
import { buildLifecycleEvent } from '../support/lifecycle-events.js';
import { OpenAiStandin } from '../support/openai-standin.js';
import { buildCardActionEvent, buildMessageEvent, deliverWebhook, encryptPayload, signBody, STANDIN_BOT_OPEN_ID, type StoredMessage, standinClient } from '../support/openapi-standin.js';
import { ALICE, CHAT, checklistYaml, OWNER, tempDir } from '../reminders/support.js';
import { cardText, realAssistant, startHarness, type Harness } from './harness.js';

process.env.REMINDERS = 'off';

const OTHER_CHAT = 'oc_other_group';
const STRANGER = 'ou_stranger';
const ADMIN = 'ou_admin_1';
const ITEMS = `  - id: dues
    title: 收缴党费
    assignees: [{ open_id: ${ALICE.open_id}, name: ${ALICE.name} }]
    due: 2026-12-10
    reminders: [{ days_before: 3, at: '09:00' }, { days_before: 1, at: '09:00' }]
    escalation: { after_workdays: 2, at: '10:00' }
`;
/** `n` items due on the same day, each with a long title: together far beyond 200 components and 30 KB. */
function manyItems(n: number): string {
  return Array.from({ length: n }, (_, i) => `  - id: item-${i}
    title: 第${i}项 ${'按照支部工作条例要求认真落实三会一课制度并做好会议记录整理归档'.repeat(3)}
    assignees: [{ open_id: ${ALICE.open_id}, name: ${ALICE.name} }]
    due: 2026-12-10
    reminders: [{ days_before: 3, at: '09:00' }]
`).join('');
}

/** Every markdown text of a card. */
function markdownOf(card: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.tag === 'markdown' && typeof o.content === 'string') out.push(o.content);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

/** Live markup that must never come from text that is not ours. */
function liveMarkup(card: unknown): string[] {
  return markdownOf(card).flatMap((md) => [...md.matchAll(/<at id=["']?all|<at id=["']?ou_evil|\]\(|:\/\/|<font color=["']?red["']?>假|<link/g)].map((m) => m[0]));
}

function buttonValues(card: unknown, kind: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'callback' && (o.value as { kind?: string })?.kind === kind) out.push(o.value as Record<string, unknown>);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

const HOSTILE = '<at id=all></at> [紧急通知](http://evil.example/x) <font color=red>假通知</font> &lt;at id=all&gt;';

describe('escapeText: one function for text that is not ours', () => {
  it('renders hostile text literally and round-trips', () => {
    const samples = [HOSTILE, '**粗体** _斜体_ ~~删除~~ `code` # 标题', '- 列表\n1. 有序\n> 引用', 'www.evil.example 与 a.b.cn', '![图](img_v2_x) <link url="http://x">y</link> @_all $x$'];
    for (const s of samples) {
      const e = escapeText(s);
      const bare = e.replace(/&(#\d+|[a-z]+);/g, ' ');
      expect(bare).not.toMatch(/[<>*_~`[\]()#!$|:&]/);
      expect(bare).not.toMatch(/^\s*[-+>]|^\s*\d+\./m);
      expect(bare).not.toMatch(/[A-Za-z]\.[A-Za-z]/);
      expect(unescapeText(e)).toBe(s);
    }
    // A typed entity stays an entity on screen, it does not become a tag.
    expect(escapeText('&lt;at id=all&gt;')).toBe('&amp;lt;at id=all&amp;gt;');
  });

  it('answer text keeps only bold and [n] markers', () => {
    const e = escapeAnswerText('**467名**大学生到村任职[1]，见[2](http://evil.example)');
    expect(e).toContain('**467名**');
    expect(e).toContain('[1]');
    expect(e).not.toContain('](');
    expect(e).not.toContain('://');
  });
});

describe('configuration boundaries', () => {
  const base = { LARK_APP_ID: 'cli_a1b2c3d4e5f60718', LARK_APP_SECRET: 's' };
  it('LARK_ALLOWED_CHATS with an empty entry is a config error, not "every chat"', () => {
    for (const v of [',', 'oc_a,,oc_b', 'oc_a,']) expect(() => loadChatConfig({ ...base, LARK_ALLOWED_CHATS: v })).toThrow(ChatConfigError);
    expect(loadChatConfig({ ...base, LARK_ALLOWED_CHATS: ' ' })).toMatchObject({ allowedChats: [] });
    expect(() => loadChatConfig({ ...base, LARK_ADMIN_OPEN_IDS: 'ou_a,' })).toThrow(/LARK_ADMIN_OPEN_IDS/);
  });
});

describe('the bot in a real tenant: escaping, authorization, card limits, lifecycle', () => {
  let assistant: Assistant;
  let h: Harness;
  let svc: ReminderService;
  let now = localInstant('2026-12-07', '09:00');
  let tmp: ReturnType<typeof tempDir>;
  const set = (date: string, hhmm: string) => {
    now = localInstant(date, hhmm);
  };

  async function boot(items: string): Promise<void> {
    tmp = tempDir({ 'lists/test.yaml': checklistYaml(items) });
    h = await startHarness(assistant, {
      adminOpenIds: [ADMIN],
      service: {
        extensions: async (messenger) => {
          const ext: Extensions & { commands: []; cardRoutes: [] } = { commands: [], cardRoutes: [] };
          svc = await startReminders(messenger, ext, {
            checklistDir: path.join(tmp.dir, 'lists'),
            calendarDir: 'data/calendar',
            dbPath: path.join(tmp.dir, 'reminders.sqlite'),
            clock: () => now,
            adminOpenIds: [ADMIN],
          });
          return ext;
        },
      },
    });
  }

  async function send(spec: Parameters<typeof buildMessageEvent>[0]): Promise<StoredMessage> {
    const before = h.api.messages.length;
    const res = await deliverWebhook(h.eventUrl, buildMessageEvent(spec));
    expect(res.status).toBe(200);
    await h.service.handler.idle();
    const all = await h.api.waitForMessages(before + 1);
    return all[all.length - 1];
  }

  function click(message: StoredMessage, value: Record<string, unknown>, openId: string, chatId = message.chatId!) {
    return deliverCallback(h.cardUrl, buildCardActionEvent({ chatId, messageId: message.messageId, openId, value }));
  }

  beforeAll(async () => {
    assistant = await realAssistant();
  }, 120_000);
  beforeEach(() => set('2026-12-07', '09:00'));
  afterEach(async () => {
    await svc?.idle();
    await h?.close();
    tmp?.cleanup();
  });

  it('a question, a summary topic and /done arguments with <at id=all>, links and <font> are shown as text', async () => {
    await boot(ITEMS);
    const summary = await send({ chatId: CHAT, text: `总结 海西州 ${HOSTILE}`, mentionBot: true });
    const question = await send({ chatId: CHAT, text: `海西州吸引了多少名大学生到村任职？${HOSTILE}`, mentionBot: true });
    const measures = await send({ chatId: CHAT, text: `/measures ${HOSTILE}`, mentionBot: true });
    const done = await send({ chatId: CHAT, text: `/done ${HOSTILE}`, mentionBot: true, senderOpenId: ALICE.open_id });
    const unknown = await send({ chatId: CHAT, text: `/frob${HOSTILE}`, mentionBot: true });
    for (const m of [summary, question, measures, done, unknown]) {
      expect(liveMarkup(m.content), cardText(m.content)).toEqual([]);
    }
    // What the user typed is still visible (as text).
    expect(unescapeText(markdownOf(done.content).join('\n'))).toContain('[紧急通知](http://evil.example/x)');
  }, 60_000);

  it('LLM output with @all, links and HTML is shown as text', async () => {
    const llm = await OpenAiStandin.start();
    llm.chatReply = () => `海西州吸引467名大学生到村任职[1]。<at id=all></at>[点此领取](http://evil.example/x)<font color=red>假通知</font>`;
    try {
      const config = loadCoreConfig({ ...process.env, LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'standin', LLM_API_KEY: 'k' }, { indexDir: path.join(os.tmpdir(), 'dj-lark-test-index') });
      const { openAssistant } = await import('../../src/assistant.js');
      assistant = await openAssistant({ config });
      await boot(ITEMS);
      const reply = await send({ chatId: CHAT, text: '海西州吸引了多少名大学生到村任职？', mentionBot: true });
      expect(liveMarkup(reply.content), cardText(reply.content)).toEqual([]);
    } finally {
      assistant = await realAssistant();
      await llm.close?.();
    }
  }, 60_000);

  it('标记完成 acts only for an assignee, on an item of the chat it came from, for an occurrence that was sent', async () => {
    await boot(ITEMS);
    await svc.tick();
    const [card] = await h.api.waitForMessages(1);
    expect(card.chatId).toBe(CHAT);
    const [value] = buttonValues(card.content, REMINDER_DONE_KIND);
    set('2026-12-07', '10:00');

    const fromOtherChat = await click(card, value, ALICE.open_id, OTHER_CHAT);
    expect(fromOtherChat.toast?.type).toBe('error');
    const madeUp = await click(card, { ...value, occurrence: '2031-01-01' }, ALICE.open_id);
    expect(madeUp.toast?.type).toBe('error');
    const stranger = await click(card, value, STRANGER);
    expect(stranger.toast?.type).toBe('error');
    expect((await svc.tasks(CHAT)).find((t) => t.id === 'dues')?.state).toBe('open');

    const ok = await click(card, value, ALICE.open_id);
    expect(ok).toMatchObject({ ok: true, toast: { type: 'success' } });
    expect((await svc.tasks(CHAT)).find((t) => t.id === 'dues')).toMatchObject({ state: 'done', done_by: { open_id: ALICE.open_id } });
    // The clicked card is replaced through the callback response, with a 撤销 button.
    expect(cardText(ok.card)).toContain('标记完成');
    const [undo] = buttonValues(ok.card, REMINDER_UNDO_KIND);
    expect(undo).toBeDefined();

    // 撤销: not by a stranger, yes by the one who marked it, within a day.
    expect((await click(card, undo, STRANGER)).toast?.type).toBe('error');
    const undone = await click(card, undo, ALICE.open_id);
    expect(undone).toMatchObject({ ok: true, toast: { type: 'success' } });
    expect((await svc.tasks(CHAT)).find((t) => t.id === 'dues')?.state).toBe('open');
    expect(buttonValues(undone.card, REMINDER_DONE_KIND)).toHaveLength(1);

    // An administrator may act; after a day the undo is refused.
    expect((await click(card, value, ADMIN)).toast?.type).toBe('success');
    set('2026-12-08', '10:01');
    expect((await click(card, undo, ADMIN)).toast?.type).toBe('warning');
    expect((await svc.tasks(CHAT)).find((t) => t.id === 'dues')?.state).toBe('done');
  }, 60_000);

  it('/done works only for an assignee or the owner, also in a private chat', async () => {
    await boot(ITEMS);
    const groupStranger = await send({ chatId: CHAT, text: '/done dues', mentionBot: true, senderOpenId: STRANGER });
    expect(cardText(groupStranger.content)).toContain('只有');
    const p2pStranger = await send({ chatId: 'oc_p2p_stranger', chatType: 'p2p', text: '/done dues', senderOpenId: STRANGER });
    expect(cardText(p2pStranger.content)).not.toContain('已标记完成');
    expect((await svc.tasks(CHAT)).find((t) => t.id === 'dues')?.state).toBe('open');

    const owner = await send({ chatId: 'oc_owner_p2p', chatType: 'p2p', text: '/done dues', senderOpenId: OWNER.open_id });
    expect(cardText(owner.content)).toContain('已标记完成');
    expect((await svc.tasks(CHAT)).find((t) => t.id === 'dues')?.state).toBe('done');
    // The /done card carries 撤销 for the chat it was sent to; a copy forwarded elsewhere is refused.
    const [undo] = buttonValues(owner.content, REMINDER_UNDO_KIND);
    expect((await click(owner, undo, OWNER.open_id, OTHER_CHAT)).toast?.type).toBe('error');
    expect((await click(owner, undo, OWNER.open_id, 'oc_owner_p2p')).toast?.type).toBe('success');
    expect((await svc.tasks(CHAT)).find((t) => t.id === 'dues')?.state).toBe('open');
  }, 60_000);

  it('refuses a signed webhook delivery whose timestamp is older than 5 minutes', async () => {
    await boot(ITEMS);
    const deliver = async (ageSeconds: number) => {
      const body = JSON.stringify(encryptPayload(buildMessageEvent({ chatId: CHAT, text: '你好', mentionBot: true })));
      const headers = signBody(body, undefined, String(Math.floor(Date.now() / 1000) - ageSeconds));
      return (await fetch(h.eventUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })).status;
    };
    expect(await deliver(6 * 60)).toBe(401);
    expect(await h.api.settle(200)).toHaveLength(0);
    expect(await deliver(10)).toBe(200);
    await h.api.waitForMessages(1);
  }, 60_000);

  it('the clicked card is updated in the callback response within 3 s; other copies are patched afterwards', async () => {
    await boot(ITEMS);
    await svc.tick();
    set('2026-12-09', '09:00');
    await svc.tick();
    const [first, second] = await h.api.waitForMessages(2);
    set('2026-12-09', '10:00');
    h.api.latencyMs = 1_600; // every Open API call is slow
    try {
      const res = await click(second, buttonValues(second.content, REMINDER_DONE_KIND)[0], ALICE.open_id);
      expect(res.code, 'answered within Feishu\'s 3-second callback window').toBe(0);
      expect(cardText(res.card)).toContain('已由');
      await svc.idle();
    } finally {
      h.api.latencyMs = 0;
    }
    const patches = h.api.requestsFor('message.patch');
    expect(patches.map((p) => p.path)).toEqual([`/open-apis/im/v1/messages/${first.messageId}`]);
    expect(patches[0].status).toBe(200);
    expect(cardText(first.patchedContent)).toContain('已由');
  }, 60_000);

  it('copies older than 14 days are not patched', async () => {
    await boot(ITEMS);
    await svc.tick();
    set('2026-12-09', '09:00');
    await svc.tick();
    const [first, second] = await h.api.waitForMessages(2);
    set('2026-12-22', '10:00'); // the 12-07 card is 15 days old, the clicked 12-09 card 13
    const res = await click(second, buttonValues(second.content, REMINDER_DONE_KIND)[0], ALICE.open_id);
    expect(res.ok).toBe(true);
    await svc.idle();
    expect(h.api.requestsFor('message.patch').filter((p) => p.path.endsWith(first.messageId))).toHaveLength(0);
  }, 60_000);

  it('a reminder and /tasks with 60 items stay under 30 KB and 200 components, with "还有N项未显示"', async () => {
    await boot(manyItems(60));
    const tick = await svc.tick();
    expect(tick.failed).toBe(0);
    const [reminder] = await h.api.waitForMessages(1);
    expect(cardText(reminder.content)).toMatch(/还有\d+项未显示，发送 \/tasks 查看/);
    const tasks = await send({ chatId: CHAT, text: '/tasks', mentionBot: true });
    expect(cardText(tasks.content)).toMatch(/还有\d+项未显示/);
    for (const r of h.api.requests.filter((x) => x.route === 'message.create' || x.route === 'message.reply')) expect(r.status).toBe(200);
  }, 60_000);

  it('welcomes when added to a group (once per event) or when a private chat opens (once per chat)', async () => {
    await boot(ITEMS);
    const added = buildLifecycleEvent('im.chat.member.bot.added_v1', { chatId: OTHER_CHAT });
    expect((await deliverWebhook(h.eventUrl, added)).status).toBe(200);
    await deliverWebhook(h.eventUrl, added);
    expect((await deliverWebhook(h.eventUrl, buildLifecycleEvent('im.chat.access_event.bot_p2p_chat_entered_v1', { chatId: 'oc_p2p_new' }))).status).toBe(200);
    // Feishu fires this each time the user opens the chat: greeted once.
    await deliverWebhook(h.eventUrl, buildLifecycleEvent('im.chat.access_event.bot_p2p_chat_entered_v1', { chatId: 'oc_p2p_new' }));
    await h.service.handler.idle();
    const msgs = await h.api.waitForMessages(2);
    expect(await h.api.settle(300)).toHaveLength(2);
    expect(msgs.map((m) => [m.kind, m.chatId])).toEqual([
      ['create', OTHER_CHAT],
      ['create', 'oc_p2p_new'],
    ]);
    for (const m of msgs) expect(cardText(m.content)).toContain('/tasks');
  }, 60_000);

  it('mention keys are replaced whole (@_user_1 does not eat @_user_10) and @_all is dropped from the question', async () => {
    await boot(ITEMS);
    const reply = await send({
      chatId: CHAT,
      text: '@_user_1 海西州吸引了多少名大学生到村任职？@_user_10 @_all',
      mentions: [
        { key: '@_user_1', openId: STANDIN_BOT_OPEN_ID, name: '党建助手' },
        { key: '@_user_10', openId: 'ou_lisi', name: '李四' },
      ],
    });
    const [vote] = buttonValues(reply.content, 'feedback');
    expect(vote.q).toBe('海西州吸引了多少名大学生到村任职？@李四');
  }, 60_000);

  it('greetings and 你能做什么 get the help card', async () => {
    await boot(ITEMS);
    for (const text of ['你好', '你能做什么？']) {
      const reply = await send({ chatId: 'oc_p2p_greet', chatType: 'p2p', text });
      expect(cardText(reply.content)).toContain('使用说明');
    }
  }, 60_000);

  it('removed from a group: its reminders are paused and the owner sees it in /tasks of the private chat', async () => {
    await boot(ITEMS);
    await deliverWebhook(h.eventUrl, buildLifecycleEvent('im.chat.member.bot.deleted_v1', { chatId: CHAT }));
    await h.service.handler.idle();
    const tick = await svc.tick();
    expect(tick.sent).toEqual([]);
    expect(await h.api.settle(200)).toHaveLength(0);
    const tasks = await send({ chatId: 'oc_owner_p2p', chatType: 'p2p', text: '/tasks', senderOpenId: OWNER.open_id });
    expect(cardText(tasks.content)).toContain('被移出');
    // Added back: the reminder goes out.
    await deliverWebhook(h.eventUrl, buildLifecycleEvent('im.chat.member.bot.added_v1', { chatId: CHAT }));
    await h.service.handler.idle();
    expect((await svc.tick()).sent.map((s) => s.chatId)).toEqual([CHAT]);
  }, 60_000);
});

describe('bot open_id unknown at start', () => {
  let h: Harness;
  afterAll(async () => h?.close());

  it('counts only an exact bot-name mention until the open_id is known, and keeps retrying', async () => {
    const assistant = await realAssistant();
    // The stand-in starts fresh inside the harness: fail bot/v3/info before the service asks.
    const { OpenApiStandin } = await import('../support/openapi-standin.js');
    const origStart = OpenApiStandin.start.bind(OpenApiStandin);
    OpenApiStandin.start = async (o) => {
      const api = await origStart(o);
      api.failNext('bot.info', 3, 500);
      return api;
    };
    try {
      h = await startHarness(assistant, { service: { identityRetry: { firstDelayMs: 300, maxDelayMs: 300 } } });
    } finally {
      OpenApiStandin.start = origStart;
    }
    expect(h.service.botOpenId).toBeUndefined();
    const other = buildMessageEvent({ chatId: CHAT, text: '@_user_1 海西州吸引了多少名大学生到村任职？', mentions: [{ key: '@_user_1', openId: 'ou_zhangsan', name: '张三' }] });
    await deliverWebhook(h.eventUrl, other);
    expect(await h.api.settle(400)).toHaveLength(0);
    await deliverWebhook(h.eventUrl, buildMessageEvent({ chatId: CHAT, text: '你好', mentionBot: true }));
    await h.api.waitForMessages(1);
    const deadline = Date.now() + 5_000;
    while (!h.service.botOpenId && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(h.service.botOpenId).toBe(STANDIN_BOT_OPEN_ID);
    expect(h.api.requestsFor('bot.info').length).toBeGreaterThanOrEqual(4);
  }, 60_000);
});

describe('background card updates through the real SDK', () => {
  it('patch one message at most 5 times per second (the stand-in refuses a 6th with 230020) and skip cards older than 14 days', async () => {
    const { OpenApiStandin, STANDIN_APP_ID, STANDIN_APP_SECRET } = await import('../support/openapi-standin.js');
    const lark = await import('@larksuiteoapi/node-sdk');
    const { LarkMessenger } = await import('../../src/lark/messenger.js');
    const { CardPatcher } = await import('../../src/lark/card-patcher.js');
    const api = await OpenApiStandin.start();
    try {
            const messenger = new LarkMessenger(standinClient(api), { retry: { retries: 0 } });
      const card = (n: number) => ({ schema: '2.0', config: { update_multi: true }, body: { elements: [{ tag: 'markdown', content: `v${n}` }] } });
      const id = await messenger.sendCard(CHAT, card(0));
      const patcher = new CardPatcher(messenger);
      let n = 0;
      for (let i = 0; i < 12; i++) {
        patcher.schedule(id, Date.now(), () => card(++n));
        await new Promise((r) => setTimeout(r, 20)); // a new click every 20 ms
      }
      await patcher.idle();
      const statuses = api.requestsFor('message.patch').map((r) => r.status);
      expect(statuses.every((s) => s === 200), statuses.join(',')).toBe(true);
      expect(JSON.stringify(api.messages[0].patchedContent)).toContain(`v${n}`);
      expect(patcher.schedule(id, Date.now() - 15 * 86400_000, () => card(99))).toBe(false);
    } finally {
      await api.close();
    }
  }, 30_000);
});
