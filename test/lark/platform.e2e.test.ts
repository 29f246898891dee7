/**
 * Sends that follow the Feishu platform's rules, through the real SDK against the stand-in, which
 * enforces them (test/support/platform-rules.ts): per-chat 5 QPS and per-app limits, throttling by
 * code as well as HTTP 429, token expiry and invalidation, refused thread replies, closed chats, the
 * one-hour request uuid. And the durable inbox: an answer that could not be delivered stays there.
 */
import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Assistant } from '../../src/types.js';
import { LarkMessenger } from '../../src/lark/messenger.js';
import { createLarkClient } from '../../src/lark/feishu.js';
import { TokenCache } from '../../src/lark/token-cache.js';
import { buildMessageEvent, deliverWebhook, OpenApiStandin, STANDIN_APP_ID, STANDIN_APP_SECRET, type MessageEventSpec, type StoredMessage } from '../support/openapi-standin.js';
import { cardText, realAssistant, startHarness, type Harness } from './harness.js';

const QUESTION = '海西州吸引了多少名大学生到村任职？';
let seq = 0;
/** A fresh chat id per test: the stand-in's per-chat state is not reset between tests. */
const freshChat = () => `oc_platform_${++seq}_${Date.now()}`;

/** Most sends accepted within any sliding 1000 ms, per chat. */
function maxPerSecond(messages: StoredMessage[]): number {
  const byChat = new Map<string, number[]>();
  for (const m of messages) byChat.set(m.chatId ?? '', [...(byChat.get(m.chatId ?? '') ?? []), m.at]);
  let max = 0;
  for (const times of byChat.values()) {
    times.sort((a, b) => a - b);
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i] - times[j] >= 1000) j++;
      max = Math.max(max, i - j + 1);
    }
  }
  return max;
}

describe('sends that follow the platform (real SDK, stand-in enforcing the limits)', () => {
  let assistant: Assistant;
  let h: Harness;

  beforeAll(async () => {
    assistant = await realAssistant();
    h = await startHarness(assistant);
  }, 120_000);
  afterAll(async () => h?.close());
  beforeEach(async () => {
    await h.service.handler.idle();
    h.api.reset();
  });

  /** Delivers a question as Feishu would (the stand-in learns the message's chat) and returns its message_id. */
  async function deliver(spec: MessageEventSpec): Promise<string> {
    const event = buildMessageEvent({ mentionBot: true, text: QUESTION, ...spec });
    h.api.platform.noteEvent(event);
    const res = await deliverWebhook(h.eventUrl, event);
    expect(res.status).toBe(200);
    return (event.event as { message: { message_id: string } }).message.message_id;
  }

  const repliesTo = (id: string) => h.api.messages.filter((m) => m.replyTo === id);

  it('twelve questions at once in one chat: all answered, never above 5 sends per second, no 230020', async () => {
    const chat = freshChat();
    const ids = await Promise.all(Array.from({ length: 12 }, () => deliver({ chatId: chat })));
    await h.api.waitForMessages(12, 20_000);
    await h.service.handler.idle();
    for (const id of ids) expect(repliesTo(id)).toHaveLength(1);
    expect(h.api.platform.throttled.filter((t) => t.chatId === chat)).toEqual([]);
    expect(maxPerSecond(h.api.messages)).toBeLessThanOrEqual(5);
  }, 30_000);

  it('throttling answered as HTTP 400 with code 99991400 or 230020 is waited out and retried, once delivered', async () => {
    const chat = freshChat();
    h.api.failNext('message.reply', 1, { status: 400, code: 99991400, msg: 'request trigger frequency limit', headers: { 'x-ogw-ratelimit-reset': '1' } });
    h.api.failNext('message.reply', 1, { status: 400, code: 230020, msg: 'This operation triggers the frequency limit.' });
    const id = await deliver({ chatId: chat });
    await h.api.waitForMessages(1, 10_000);
    await h.service.handler.idle();
    const tries = h.api.requestsFor('message.reply');
    expect(tries.map((r) => r.status)).toEqual([400, 400, 200]);
    expect(tries[1].at - tries[0].at, 'waited x-ogw-ratelimit-reset (1 s)').toBeGreaterThanOrEqual(950);
    expect(new Set(tries.map((r) => (r.body as { uuid: string }).uuid)).size).toBe(1);
    expect(repliesTo(id)).toHaveLength(1);
  });

  it('a refused tenant_access_token (invalidated, or expired at the platform) is dropped and fetched again', async () => {
    const chat = freshChat();
    await deliver({ chatId: chat });
    await h.api.waitForMessages(1);
    const tokensBefore = h.api.requestsFor('token').length;

    h.api.platform.invalidateTokens();
    const id = await deliver({ chatId: chat });
    await h.api.waitForMessages(2);
    expect(repliesTo(id)).toHaveLength(1);
    expect(h.api.requestsFor('token').length).toBe(tokensBefore + 1);
    const codes = h.api.requests.filter((r) => r.route === 'message.reply').map((r) => r.status);
    expect(codes).toEqual([200, 400, 200]);

    // two hours later at the platform the token has expired, though the SDK's cache still holds it
    h.api.platform.advance(2 * 3600_000);
    const late = await deliver({ chatId: chat });
    await h.api.waitForMessages(3);
    expect(repliesTo(late)).toHaveLength(1);
    expect(h.api.requestsFor('token').length).toBe(tokensBefore + 2);
  });

  it.each([230071, 230072, 230019])('a thread reply refused with %i is sent as a plain reply', async (code) => {
    const chat = freshChat();
    h.api.platform.refuseThreadReplies(chat, code);
    const id = await deliver({ chatId: chat });
    const [reply] = await h.api.waitForMessages(1);
    expect(reply).toMatchObject({ kind: 'reply', replyTo: id, replyInThread: false, msgType: 'interactive' });
    expect(cardText(reply.content)).toContain('467');
  });

  it('a question recalled before the answer gets the answer as a message in the chat', async () => {
    const chat = freshChat();
    const event = buildMessageEvent({ chatId: chat, mentionBot: true, text: QUESTION });
    const id = (event.event as { message: { message_id: string } }).message.message_id;
    h.api.platform.noteEvent(event);
    h.api.platform.recall(id);
    await deliverWebhook(h.eventUrl, event);
    const [msg] = await h.api.waitForMessages(1);
    expect(msg).toMatchObject({ kind: 'create', chatId: chat, msgType: 'interactive' });
    expect(cardText(msg.content)).toContain('467');
  });

  it('a card the platform refuses (230099) is sent as text', async () => {
    const chat = freshChat();
    h.api.platform.refuseCards(chat);
    const id = await deliver({ chatId: chat });
    const [reply] = await h.api.waitForMessages(1);
    expect(reply).toMatchObject({ kind: 'reply', replyTo: id, msgType: 'text' });
    expect((reply.content as { text: string }).text).toContain('467');
  });

  it.each([
    ['removed', 230002],
    ['dissolved', 232009],
  ] as const)('a chat the bot was %s from: one attempt, no retries, recorded, the message settled', async (how, code) => {
    const chat = freshChat();
    h.api.platform.closeChat(chat, how);
    const id = await deliver({ chatId: chat });
    await h.service.handler.idle();
    expect(h.api.requestsFor('message.reply').map((r) => r.status)).toEqual([400]);
    expect((await h.service.store.listUndeliverable())).toContainEqual(expect.objectContaining({ chatId: chat, code }));
    expect((await h.service.store.inbox()).map((e) => e.message.messageId)).not.toContain(id);
  });

  it('an answer that could not be sent stays in the inbox and is delivered once on the next sweep', async () => {
    const chat = freshChat();
    h.api.failNext('message.reply', 5, 503); // the harness allows 4 retries: 5 attempts fail
    const id = await deliver({ chatId: chat });
    await h.service.handler.idle();
    expect(h.api.messages).toHaveLength(0);
    expect((await h.service.store.inbox()).map((e) => e.message.messageId)).toContain(id);

    expect((await h.service.handler.recover(Date.now() + 10 * 60_000))).toBe(1);
    await h.service.handler.idle();
    expect(repliesTo(id)).toHaveLength(1);
    expect((await h.service.store.inbox())).toEqual([]);
    expect(new Set(h.api.requestsFor('message.reply').map((r) => (r.body as { uuid: string }).uuid)).size, 'same request uuid in every attempt').toBe(1);
  });

  it('a 10,000-character question is answered on its first 2,000 characters, with a note saying so', async () => {
    const chat = freshChat();
    const long = `${QUESTION}${'请详细说明。'.repeat(1700)}`;
    await deliver({ chatId: chat, text: long });
    const [reply] = await h.api.waitForMessages(1, 20_000);
    const text = cardText(reply.content);
    expect(text).toContain('只按前 2000 字作答');
    expect(text).toContain('467');
  }, 30_000);
});

describe('the messenger on its own (real SDK, stand-in)', () => {
  let api: OpenApiStandin;
  beforeAll(async () => {
    api = await OpenApiStandin.start();
  });
  afterAll(async () => api.close());

  it('120 cards to 30 chats at once: the app stays within 50 per second and no send is throttled', async () => {
    const tokens = new TokenCache();
    const client = createLarkClient({ appId: STANDIN_APP_ID, appSecret: STANDIN_APP_SECRET, baseUrl: api.baseUrl }, tokens);
    const messenger = new LarkMessenger(client, { tokens, retry: { retries: 0 } });
    const card = { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'x' }] } };
    await Promise.all(Array.from({ length: 120 }, (_, i) => messenger.sendCard(`oc_fanout_${i % 30}`, card)));
    expect(api.messages).toHaveLength(120);
    expect(api.platform.throttled).toEqual([]);
    const times = api.messages.map((m) => m.at).sort((a, b) => a - b);
    let max = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i] - times[j] >= 1000) j++;
      max = Math.max(max, i - j + 1);
    }
    expect(max).toBeLessThanOrEqual(50);
  }, 20_000);

  it('the stand-in keeps a request uuid for one hour: same uuid → same message; an hour later → a new one', async () => {
    const client = new lark.Client({ appId: STANDIN_APP_ID, appSecret: STANDIN_APP_SECRET, domain: api.baseUrl, cache: new TokenCache() });
    const send = () =>
      client.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: 'oc_uuid', msg_type: 'text', content: '{"text":"hi"}', uuid: 'u-hour' } });
    const a = await send();
    const b = await send();
    expect(b.data?.message_id).toBe(a.data?.message_id);
    api.platform.advance(3600_000 + 1000);
    const c = await send();
    expect(c.data?.message_id).not.toBe(a.data?.message_id);
  });
});
