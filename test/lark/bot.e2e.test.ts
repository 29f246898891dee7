/**
 * End-to-end: Feishu deliveries (signed + encrypted, as Feishu sends them) → webhook server →
 * real SDK → real assistant → real SDK Client → Open API stand-in on 127.0.0.1.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Assistant } from '../../src/types.js';
import type { CardActionRoute, ChatCommand } from '../../src/lark/contracts.js';
import { CARD_BODY_LIMIT_BYTES } from '../../src/lark/cards.js';
import {
  buildCardActionEvent,
  buildMessageEvent,
  buildUrlVerification,
  deliverWebhook,
  STANDIN_BOT_OPEN_ID,
  type StoredMessage,
} from '../support/openapi-standin.js';
import { cardText, findTag, realAssistant, startHarness, type Harness } from './harness.js';

const GROUP = 'oc_group_allowed';
const OTHER_GROUP = 'oc_group_other';
const DM = 'oc_p2p_chat';
const QUESTION = '海西州吸引了多少名大学生到村任职？';

describe('Feishu bot through the real SDK and the stand-in Open API', () => {
  let assistant: Assistant;
  let h: Harness;
  const tasksCalls: string[] = [];
  const extraCommand: ChatCommand = {
    names: ['/tasks', '任务'],
    help: '列出本群待办',
    run: async (ctx) => {
      tasksCalls.push(ctx.args);
      return `待办（${ctx.chatId}）：无`;
    },
  };
  const doneRoute: CardActionRoute = {
    kind: 'reminder.done',
    handle: async (ctx) => ({ card: { schema: '2.0', body: { elements: [{ tag: 'markdown', content: `已完成：${String(ctx.value.task)}` }] } } }),
  };

  beforeAll(async () => {
    assistant = await realAssistant();
    h = await startHarness(assistant, {
      allowedChats: [GROUP, DM],
      adminOpenIds: ['ou_admin'],
      service: { extensions: () => ({ commands: [extraCommand], cardRoutes: [doneRoute] }) },
    });
  }, 120_000);
  afterAll(async () => h?.close());
  beforeEach(async () => {
    await h.service.handler.idle();
    h.api.reset();
  });

  async function ask(spec: Parameters<typeof buildMessageEvent>[0]): Promise<StoredMessage> {
    const event = buildMessageEvent(spec);
    const res = await deliverWebhook(h.eventUrl, event);
    expect(res.status).toBe(200);
    const [reply] = await h.api.waitForMessages(1);
    return reply;
  }

  it('answers the url_verification challenge, and refuses one with a wrong token', async () => {
    const ok = await deliverWebhook(h.eventUrl, buildUrlVerification('c-123'));
    expect(ok).toMatchObject({ status: 200, body: { challenge: 'c-123' } });
    const bad = await deliverWebhook(h.eventUrl, buildUrlVerification('c-456', 'wrong-token'));
    expect(bad.status).toBe(401);
  });

  it('group @question → exactly one threaded card reply with 467 and its sources', async () => {
    const event = buildMessageEvent({ chatId: GROUP, text: QUESTION, mentionBot: true });
    const messageId = (event.event as { message: { message_id: string } }).message.message_id;
    const res = await deliverWebhook(h.eventUrl, event);
    expect(res.status).toBe(200);
    const [reply] = await h.api.waitForMessages(1);
    expect(await h.api.settle(300)).toHaveLength(1);

    expect(reply).toMatchObject({ kind: 'reply', replyTo: messageId, replyInThread: true, msgType: 'interactive' });
    const answerMd = String((findTag(reply.content, 'markdown') as { content: string }).content);
    expect(answerMd).toContain('467');
    const panel = findTag(reply.content, 'collapsible_panel');
    expect(panel, 'sources are folded in a collapsible panel').toBeDefined();
    const sources = cardText(panel);
    expect(sources).toMatch(/来源（[1-9]\d*）/);
    expect(sources).toContain('467');
    expect(sources).toMatch(/《[^》]+》/);
    const buttons = cardText(findTag(reply.content, 'column_set'));
    expect(buttons).toContain('👍');
    expect(buttons).toContain('👎');
  });

  it('acknowledges the event before the answer is sent (Feishu retries after 3 s)', async () => {
    h.api.latencyMs = 800;
    try {
      const res = await deliverWebhook(h.eventUrl, buildMessageEvent({ chatId: GROUP, text: QUESTION, mentionBot: true }));
      expect(res.status).toBe(200);
      expect(res.ms).toBeLessThan(500);
      expect(h.api.messages).toHaveLength(0);
      await h.api.waitForMessages(1);
    } finally {
      h.api.latencyMs = 0;
    }
  });

  it('the same event delivered twice, or the same message in a new event, gets one reply', async () => {
    const event = buildMessageEvent({ chatId: GROUP, text: QUESTION, mentionBot: true });
    await deliverWebhook(h.eventUrl, event);
    await deliverWebhook(h.eventUrl, event);
    const replay = structuredClone(event);
    (replay.header as { event_id: string }).event_id = 'another-event-id';
    await deliverWebhook(h.eventUrl, replay);
    await h.api.waitForMessages(1);
    expect(await h.api.settle(400)).toHaveLength(1);
  });

  it('a retried event after a restart still gets no second reply', async () => {
    const event = buildMessageEvent({ chatId: GROUP, text: QUESTION, mentionBot: true });
    await deliverWebhook(h.eventUrl, event);
    await h.api.waitForMessages(1);
    await h.stopService();
    await h.restartService();
    const res = await deliverWebhook(h.eventUrl, event);
    expect(res.status).toBe(200);
    expect(await h.api.settle(400)).toHaveLength(1);
  });

  it('ignores group messages that do not @mention the bot', async () => {
    await deliverWebhook(h.eventUrl, buildMessageEvent({ chatId: GROUP, text: QUESTION }));
    await deliverWebhook(
      h.eventUrl,
      buildMessageEvent({ chatId: GROUP, text: `@_user_1 ${QUESTION}`, mentions: [{ key: '@_user_1', openId: 'ou_someone_else', name: '张三' }] }),
    );
    expect(await h.api.settle(400)).toHaveLength(0);
  });

  it('answers a p2p question without a mention', async () => {
    const reply = await ask({ chatId: DM, chatType: 'p2p', text: QUESTION });
    expect(cardText(reply.content)).toContain('467');
  });

  it('never answers in a chat that is not allowed', async () => {
    await deliverWebhook(h.eventUrl, buildMessageEvent({ chatId: OTHER_GROUP, text: QUESTION, mentionBot: true }));
    await deliverWebhook(h.eventUrl, buildMessageEvent({ chatId: OTHER_GROUP, chatType: 'p2p', text: '/help' }));
    expect(await h.api.settle(400)).toHaveLength(0);
    const click = await deliverWebhook(h.cardUrl, buildCardActionEvent({ chatId: OTHER_GROUP, messageId: 'om_x', value: { kind: 'feedback', vote: 'up', q: 'x' } }));
    expect(click.body).toMatchObject({ toast: { type: 'error' } });
    expect((await h.service.store.listFeedback()).filter((f) => f.chatId === OTHER_GROUP)).toHaveLength(0);
  });

  it('rejects deliveries with a bad or missing signature', async () => {
    const event = buildMessageEvent({ chatId: GROUP, text: QUESTION, mentionBot: true });
    const forged = await deliverWebhook(h.eventUrl, event, { signWithKey: 'not-the-key' });
    expect(forged.status).toBe(401);
    const unsigned = await deliverWebhook(h.eventUrl, event, { unsigned: true });
    expect(unsigned.status).toBe(401);
    const wrongKey = await deliverWebhook(h.eventUrl, event, { encryptKey: 'another-app-key' });
    expect(wrongKey.status).toBe(401);
    expect(await h.api.settle(300)).toHaveLength(0);
    // The genuine delivery of the same event is still answered (a rejected forgery does not burn its id).
    await deliverWebhook(h.eventUrl, event);
    await h.api.waitForMessages(1);
  });

  it('retries a reply answered with 429 and delivers it once', async () => {
    h.api.failNext('message.reply', 2, 429);
    const reply = await ask({ chatId: GROUP, text: QUESTION, mentionBot: true });
    expect(cardText(reply.content)).toContain('467');
    expect(h.api.requestsFor('message.reply').map((r) => r.status)).toEqual([429, 429, 200]);
    const uuids = new Set(h.api.requestsFor('message.reply').map((r) => (r.body as { uuid: string }).uuid));
    expect(uuids.size).toBe(1);
    expect(await h.api.settle(200)).toHaveLength(1);
  });

  it('retries 5xx and a dropped connection, but not a 400', async () => {
    h.api.failNext('message.reply', 1, 503);
    h.api.failNext('message.reply', 1, { status: 0, drop: true });
    await ask({ chatId: GROUP, text: QUESTION, mentionBot: true });
    expect(h.api.requestsFor('message.reply').map((r) => r.status)).toEqual([503, -1, 200]);

    h.api.reset();
    h.api.failNext('message.reply', 1, { status: 400, code: 230002, msg: 'bot not in chat' });
    await deliverWebhook(h.eventUrl, buildMessageEvent({ chatId: GROUP, text: QUESTION, mentionBot: true }));
    await h.service.handler.idle();
    expect(h.api.requestsFor('message.reply')).toHaveLength(1);
    expect(h.api.messages).toHaveLength(0);
  });

  it('records a 👍/👎 click from the card callback URL and from the event stream', async () => {
    const reply = await ask({ chatId: GROUP, text: QUESTION, mentionBot: true });
    const up = findTag(reply.content, 'column_set') as { columns: Array<{ elements: Array<{ behaviors: Array<{ value: Record<string, unknown> }> }> }> };
    const upValue = up.columns[0].elements[0].behaviors[0].value;
    const downValue = up.columns[1].elements[0].behaviors[0].value;

    const res = await deliverWebhook(h.cardUrl, buildCardActionEvent({ chatId: GROUP, messageId: reply.messageId, openId: 'ou_voter', value: upValue }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ toast: { type: 'success' } });
    // ws-mode path: card.action.trigger handled by the EventDispatcher
    const res2 = await deliverWebhook(h.eventUrl, buildCardActionEvent({ chatId: GROUP, messageId: reply.messageId, openId: 'ou_voter2', value: downValue }));
    expect(res2.body).toMatchObject({ toast: { type: 'success' } });

    const votes = (await h.service.store.listFeedback()).filter((f) => f.messageId === reply.messageId);
    expect(votes.map((v) => [v.openId, v.vote, v.question])).toEqual([
      ['ou_voter', 'up', QUESTION],
      ['ou_voter2', 'down', QUESTION],
    ]);
    const forged = await deliverWebhook(h.cardUrl, buildCardActionEvent({ chatId: GROUP, messageId: reply.messageId, openId: 'ou_forger', value: upValue }), { signWithKey: 'x' });
    expect(forged.status).toBe(401);
    expect((await h.service.store.listFeedback()).some((f) => f.openId === 'ou_forger')).toBe(false);
  });

  it('routes other card buttons and commands to the registered extensions', async () => {
    const res = await deliverWebhook(h.cardUrl, buildCardActionEvent({ chatId: GROUP, messageId: 'om_card', value: { kind: 'reminder.done', task: '三会一课' } }));
    expect(res.body).toMatchObject({ card: { type: 'raw', data: { schema: '2.0' } } });
    expect(cardText(res.body)).toContain('已完成：三会一课');

    const reply = await ask({ chatId: GROUP, text: '/tasks 本周', mentionBot: true });
    expect(tasksCalls).toContain('本周');
    expect(cardText(reply.content)).toContain(`待办（${GROUP}）`);
    h.api.reset();
    const help = await ask({ chatId: GROUP, text: '/help', mentionBot: true });
    expect(cardText(help.content)).toContain('/tasks');
    expect(cardText(help.content)).toContain('列出本群待办');
  });

  it('gives short helpful replies to images, empty mentions and unknown commands', async () => {
    const image = await ask({ chatId: GROUP, mentionBot: true, messageType: 'image', content: { image_key: 'img_v2_x' } });
    expect(cardText(image.content)).toContain('文字');
    h.api.reset();
    const empty = await ask({ chatId: GROUP, text: '', mentionBot: true });
    expect(cardText(empty.content)).toContain('@我');
    h.api.reset();
    const unknown = await ask({ chatId: GROUP, text: '/frobnicate now', mentionBot: true });
    expect(cardText(unknown.content)).toContain('/frobnicate');
    expect(cardText(unknown.content)).toContain('/help');
    // an unknown command in Chinese is an unknown command too, not a question answered from the corpus
    h.api.reset();
    const unknownZh = await ask({ chatId: GROUP, text: '/不存在的命令', mentionBot: true });
    expect(cardText(unknownZh.content)).toContain('不认识命令');
    expect(cardText(unknownZh.content)).not.toMatch(/\[\d+\]/);
  });

  it('drafts a summary and lists measures; every card stays under 30 KB', async () => {
    const summary = await ask({ chatId: GROUP, text: '总结 海西州 人才工作', mentionBot: true });
    expect(summary.msgType).toBe('interactive');
    // The body, not the card title: cited bullets about the talent work (柴达木英才, 1100万元 in the 001 report).
    const draft = String((findTag(summary.content, 'markdown') as { content: string }).content);
    expect(draft).not.toContain('资料中未找到');
    expect(draft).toMatch(/柴达木英才|1100万元/);
    expect(draft).toMatch(/\[\d+\]/);

    h.api.reset();
    await deliverWebhook(h.eventUrl, buildMessageEvent({ chatId: GROUP, text: '/measures', mentionBot: true }));
    await h.service.handler.idle();
    expect(h.api.messages.length).toBeGreaterThanOrEqual(1);
    for (const r of h.api.requestsFor('message.reply')) {
      expect(r.status).toBe(200);
      expect(r.bodyBytes).toBeLessThanOrEqual(CARD_BODY_LIMIT_BYTES);
    }
    expect(cardText(h.api.messages[0].content)).toMatch(/共 \d+ 条举措/);

    h.api.reset();
    const hx = await ask({ chatId: GROUP, text: '/measures 海西州', mentionBot: true });
    // Not just the echoed place name (the "no measures found" notice echoes it too): a non-empty list.
    expect(cardText(hx.content)).not.toContain('没有找到');
    expect(cardText(hx.content)).toMatch(/共 [1-9]\d* 条举措/);
  });

  it('keeps the thread history: a follow-up in the thread is asked with the earlier turn', async () => {
    const calls: Array<{ q: string; history: number }> = [];
    const spy = assistant.ask.bind(assistant);
    const recordingAssistant: Assistant = {
      ask: async (q, o) => {
        calls.push({ q, history: o?.history?.length ?? 0 });
        return spy(q, o);
      },
      summarize: (t) => assistant.summarize(t),
      measures: (f) => assistant.measures(f),
    };
    const h2 = await startHarness(recordingAssistant, { allowedChats: [GROUP] });
    try {
      const first = buildMessageEvent({ chatId: GROUP, text: QUESTION, mentionBot: true });
      const firstId = (first.event as { message: { message_id: string } }).message.message_id;
      await deliverWebhook(h2.eventUrl, first);
      await h2.api.waitForMessages(1);
      await deliverWebhook(h2.eventUrl, buildMessageEvent({ chatId: GROUP, text: '其中担任村党支部书记的有多少？', mentionBot: true, rootId: firstId, parentId: firstId }));
      await h2.api.waitForMessages(2);
      expect(calls).toEqual([
        { q: QUESTION, history: 0 },
        { q: '其中担任村党支部书记的有多少？', history: 1 },
      ]);
    } finally {
      await h2.close();
    }
  });
});

describe('bot identity', () => {
  it('uses /open-apis/bot/v3/info to recognise its own mention', async () => {
    const h = await startHarness(await realAssistant());
    try {
      expect(h.service.botOpenId).toBe(STANDIN_BOT_OPEN_ID);
    } finally {
      await h.close();
    }
  });
});

describe('long connection (LARK_MODE=ws, the default) through the SDK WSClient', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(await realAssistant(), { mode: 'ws', allowedChats: [GROUP] });
    await h.api.waitForWsClient();
  }, 120_000);
  afterAll(async () => h?.close());

  it('answers an event pushed on the connection once, and records a card click sent the same way', async () => {
    const event = buildMessageEvent({ chatId: GROUP, text: QUESTION, mentionBot: true });
    const ack = await h.api.pushEvent(event);
    expect(ack.code).toBe(200);
    const again = await h.api.pushEvent(event);
    expect(again.code).toBe(200);
    const [reply] = await h.api.waitForMessages(1);
    expect(reply.replyInThread).toBe(true);
    expect(cardText(reply.content)).toContain('467');
    expect(await h.api.settle(300)).toHaveLength(1);

    const click = await h.api.pushEvent(buildCardActionEvent({ chatId: GROUP, messageId: reply.messageId, openId: 'ou_ws_voter', value: { kind: 'feedback', vote: 'down', q: QUESTION } }));
    expect(click).toMatchObject({ code: 200, data: { toast: { type: 'success' } } });
    expect((await h.service.store.listFeedback()).filter((f) => f.openId === 'ou_ws_voter').map((f) => f.vote)).toEqual(['down']);
  });
});
