/**
 * Per-member context in groups: an elliptical follow-up (那…呢) is resolved against the asker's own earlier
 * question in that chat, never against another member's, whether it is asked in the thread of that
 * question or in the chat. Through the real SDK, the real assistant and the Open API stand-in.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildMessageEvent, deliverWebhook, type StoredMessage } from '../support/openapi-standin.js';
import { cardText, realAssistant, startHarness, type Harness } from './harness.js';

const GROUP = 'oc_group_members';
const ALICE = 'ou_member_alice';
const BOB = 'ou_member_bob';
const QUESTION = '海西州吸引了多少名大学生到村任职？';
/** Elliptical: alone it asks about 西宁市; after QUESTION it asks how many university graduates 西宁市 attracted. */
const FOLLOW_UP = '那西宁市呢？';

describe('group follow-ups stay within one member', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(await realAssistant(), { allowedChats: [GROUP] });
  }, 120_000);
  afterAll(async () => h?.close());
  beforeEach(async () => {
    await h.service.handler.idle();
    h.api.reset();
  });

  /** Sends one @bot message and resolves with the reply (and the question's message_id). */
  async function say(senderOpenId: string, text: string, rootId?: string): Promise<{ id: string; reply: StoredMessage }> {
    const event = buildMessageEvent({ chatId: GROUP, text, mentionBot: true, senderOpenId, ...(rootId ? { rootId, parentId: rootId } : {}) });
    const id = (event.event as { message: { message_id: string } }).message.message_id;
    const before = h.api.messages.length;
    await deliverWebhook(h.eventUrl, event);
    const all = await h.api.waitForMessages(before + 1);
    await h.service.handler.idle();
    return { id, reply: all.find((m) => m.replyTo === id)! };
  }

  it("member B's 那…呢 in A's thread is not resolved against A's question; A's own is", async () => {
    const a = await say(ALICE, QUESTION);
    expect(cardText(a.reply.content)).toContain('467');

    const b = await say(BOB, FOLLOW_UP, a.id);
    // read alone, the follow-up is about 西宁市 — nothing about university graduates
    expect(cardText(b.reply.content)).toContain('西宁市');
    expect(cardText(b.reply.content)).not.toMatch(/大学生/);

    const a2 = await say(ALICE, FOLLOW_UP, a.id);
    // read with A's question, it asks about 大学生 in 西宁市 (which the materials do not state)
    expect(cardText(a2.reply.content)).toMatch(/大学生/);
  });

  it("outside threads too: B's follow-up in the chat does not use A's last question", async () => {
    await say(ALICE, QUESTION);
    const b = await say(BOB, FOLLOW_UP);
    expect(cardText(b.reply.content)).not.toMatch(/大学生/);
    const a2 = await say(ALICE, FOLLOW_UP);
    expect(cardText(a2.reply.content)).toMatch(/大学生/);
  });
});
