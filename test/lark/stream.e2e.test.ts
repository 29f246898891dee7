/**
 * Streaming answers end to end: a Feishu delivery → the bot (real SDK) → the real assistant with an LLM
 * (the OpenAI stand-in, streaming) → a CardKit card entity on the Open API stand-in, which enforces the
 * CardKit rules and records every operation.
 */
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadCoreConfig } from '../../src/config.js';
import { NOTES } from '../../src/answer/ask.js';
import type { Assistant } from '../../src/types.js';
import { OpenAiStandin } from '../support/openai-standin.js';
import { CARD_OPS_PER_SECOND, type CardEntity } from '../support/cardkit-rules.js';
import { buildMessageEvent, deliverWebhook, type StoredMessage } from '../support/openapi-standin.js';
import { cardText, findTag, realAssistant, startHarness, type Harness } from './harness.js';

const QUESTION = '海西州吸引了多少名大学生到村任职？';
const DM = 'oc_p2p_stream';
const GROUP = 'oc_group_stream';
/** Passes the grounding check: its only figure, 467, is in the passage it cites. */
const GOOD_REPLY =
  '根据资料，海西州以“书记领题”方式实施大学生到村任职“青苗兴村”计划，吸引467名大学生到村任职[1]。' +
  '这些大学生在基层一线发挥作用，为乡村振兴注入新的活力，组织部门持续加强培养和管理，推动人才留得住、干得好[1]。';
/** Fails it: 9999 is in no passage. */
const BAD_REPLY = '根据资料，海西州吸引9999名大学生到村任职[1]，其中多数已担任村干部，为基层治理注入了新的活力，各项工作稳步推进[1]。';

/** The streamed card entity behind a message, with its recorded operations. */
function entityOf(h: Harness, m: StoredMessage): CardEntity {
  expect(m.content, 'the reply shows a card entity by reference').toMatchObject({ type: 'card', data: { card_id: expect.any(String) } });
  const e = h.api.cardkit.byMessage(m.messageId);
  expect(e, 'the referenced card entity exists').toBeDefined();
  return e!;
}

/** Most operations in any rolling second. */
function peakPerSecond(times: number[]): number {
  return Math.max(0, ...times.map((t) => times.filter((u) => u >= t && u - t < 1000).length));
}

describe('LLM answers stream into a CardKit card (real SDK, stand-ins)', () => {
  let llm: OpenAiStandin;
  let assistant: Assistant;
  let h: Harness;

  beforeAll(async () => {
    llm = await OpenAiStandin.start();
    llm.streamPieceChars = 2;
    llm.streamPieceDelayMs = 12;
    const config = loadCoreConfig({ ...process.env, LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'standin', LLM_API_KEY: 'k', LLM_MAX_RETRIES: '0', LLM_TIMEOUT_MS: '1500' }, { indexDir: path.join(os.tmpdir(), 'dj-lark-test-index') });
    const { openAssistant } = await import('../../src/assistant.js');
    assistant = await openAssistant({ config });
    h = await startHarness(assistant, { allowedChats: [DM, GROUP] });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await llm?.close();
  });
  beforeEach(async () => {
    await h.service.handler.idle();
    h.api.reset();
    llm.requests.length = 0;
  });

  async function askAndSettle(spec: Parameters<typeof buildMessageEvent>[0]): Promise<StoredMessage[]> {
    const res = await deliverWebhook(h.eventUrl, buildMessageEvent(spec));
    expect(res.status).toBe(200);
    await h.api.waitForMessages(1);
    await h.service.handler.idle();
    return h.api.messages.slice();
  }

  it('a private-chat answer streams: increasing sequences, ≤ 10 operations a second, marked 生成中, then the checked answer with sources and 👍/👎', async () => {
    llm.chatReply = () => GOOD_REPLY;
    const messages = await askAndSettle({ chatId: DM, chatType: 'p2p', text: QUESTION });
    expect(messages, 'one message: the streamed card').toHaveLength(1);
    expect(llm.chatRequests()[0].body.stream).toBe(true);
    const e = entityOf(h, messages[0]);

    if (process.env.DEBUG_STREAM) console.log(JSON.stringify(e.operations.map((o) => [o.kind, o.sequence, o.at - e.createdAt, o.content?.length, o.streaming])));
    expect(e.refusals, 'the platform refused no operation').toEqual([]);
    const seqs = e.operations.map((o) => o.sequence);
    expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1]), `sequences ${seqs.join(',')}`).toBe(true);
    expect(peakPerSecond(e.operations.map((o) => o.at))).toBeLessThanOrEqual(CARD_OPS_PER_SECOND);

    const pushes = e.operations.filter((o) => o.kind === 'content');
    expect(pushes.length, 'the text arrived in several updates').toBeGreaterThanOrEqual(2);
    expect(pushes.every((o) => o.streaming)).toBe(true);
    // each update carries the whole text so far: it grows, and every one is the start of the reply
    const lengths = pushes.map((o) => o.content!.length);
    expect(lengths.every((n, i) => i === 0 || n > lengths[i - 1])).toBe(true);
    expect(pushes.every((o) => GOOD_REPLY.startsWith(o.content!)), pushes.map((o) => o.content).join(' | ')).toBe(true);

    // then streaming is closed, and the whole card replaced by the final one
    expect(e.operations.slice(-2).map((o) => o.kind)).toEqual(['settings', 'update']);
    expect(e.operations.at(-2)!.streaming).toBe(false);
    const final = e.card;
    expect(cardText(final)).not.toContain('生成中');
    expect((final.header as { title: { content: string } }).title.content).toBe('党建助手 · 回答');
    expect(String((findTag(final, 'markdown') as { content: string }).content)).toContain('吸引467名大学生到村任职');
    expect(cardText(findTag(final, 'collapsible_panel'))).toMatch(/来源（[1-9]\d*）/);
    const buttons = cardText(findTag(final, 'column_set'));
    expect(buttons).toContain('👍');
    expect(buttons).toContain('👎');
    expect((final.config as { streaming_mode?: boolean }).streaming_mode).toBe(false);
  }, 30_000);

  it('while streaming, the card says the text is not yet checked', async () => {
    llm.chatReply = () => GOOD_REPLY;
    const [m] = await askAndSettle({ chatId: DM, chatType: 'p2p', text: QUESTION });
    const e = entityOf(h, m);
    const created = h.api.requestsFor('cardkit.create')[0].body as { data: string };
    const initial = JSON.parse(created.data) as Record<string, unknown>;
    expect((initial.config as { streaming_mode: boolean }).streaming_mode).toBe(true);
    expect((initial.header as { title: { content: string } }).title.content).toContain('生成中');
    expect(cardText(initial)).toMatch(/生成中：数字与出处核对后定稿/);
    expect(e.operations.filter((o) => o.kind === 'update')).toHaveLength(1);
  }, 30_000);

  it('an answer that fails the grounding check ends as the extractive answer with its note: the unchecked figure does not stay', async () => {
    llm.chatReply = () => BAD_REPLY;
    const messages = await askAndSettle({ chatId: DM, chatType: 'p2p', text: QUESTION });
    expect(messages).toHaveLength(1);
    const e = entityOf(h, messages[0]);
    expect(e.operations.some((o) => o.kind === 'content' && o.content!.includes('9999')), 'the unchecked text was streamed').toBe(true);
    expect(e.operations.at(-1)!.kind).toBe('update');
    const final = cardText(e.card);
    expect(final).not.toContain('9999');
    expect(final).not.toContain('生成中');
    expect(final).toContain('467');
    expect(final).toContain(NOTES.llmUnsupported);
    expect(cardText(findTag(e.card, 'column_set'))).toContain('👍');
  }, 30_000);

  it('a stream that breaks off midway ends as the extractive answer with its note', async () => {
    llm.chatReply = () => BAD_REPLY;
    llm.streamStallAfterPieces = 8;
    try {
      const [m] = await askAndSettle({ chatId: DM, chatType: 'p2p', text: QUESTION });
      const e = entityOf(h, m);
      expect(e.operations.some((o) => o.kind === 'content')).toBe(true);
      expect(e.operations.at(-1)!.kind).toBe('update');
      const final = cardText(e.card);
      expect(final).toContain('467');
      expect(final).toContain(NOTES.llmFailed);
      expect(final).not.toContain('生成中');
    } finally {
      llm.streamStallAfterPieces = Infinity;
    }
  }, 30_000);

  it('a throttled text update is skipped and a failed final update retried, each with a new sequence', async () => {
    llm.chatReply = () => GOOD_REPLY;
    h.api.failNext('cardkit.content', 1, 429);
    h.api.failNext('cardkit.update', 1, 500);
    const [m] = await askAndSettle({ chatId: DM, chatType: 'p2p', text: QUESTION });
    const e = entityOf(h, m);
    const tried = h.api.requests.filter((r) => r.route.startsWith('cardkit.') && r.route !== 'cardkit.create').map((r) => ({ route: r.route, status: r.status, sequence: (r.body as { sequence: number }).sequence }));
    expect(tried.filter((t) => t.status !== 200).map((t) => [t.route, t.status])).toEqual([['cardkit.content', 429], ['cardkit.update', 500]]);
    const seqs = tried.map((t) => t.sequence);
    expect(new Set(seqs).size, 'no sequence is used twice').toBe(seqs.length);
    expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1])).toBe(true);
    expect(e.operations.at(-1)!.kind).toBe('update');
    expect(cardText(e.card)).toContain('吸引467名大学生到村任职');
    expect(cardText(e.card)).not.toContain('生成中');
  }, 30_000);

  it('when the platform refuses the card reference, the answer arrives as one complete card (never as empty text)', async () => {
    llm.chatReply = () => GOOD_REPLY;
    h.api.failNext('message.reply', 1, { status: 400, code: 230099, msg: 'Failed to create card content' });
    const messages = await askAndSettle({ chatId: DM, chatType: 'p2p', text: QUESTION });
    expect(messages).toHaveLength(1);
    expect(messages[0].msgType).toBe('interactive');
    expect((messages[0].content as { schema?: string }).schema).toBe('2.0');
    expect(cardText(messages[0].content)).toContain('吸引467名大学生到村任职');
  }, 30_000);

  it('streamed text is shown as text: LLM markup (@all, links, HTML) in a partial answer never becomes live', async () => {
    llm.chatReply = () => '海西州吸引467名大学生到村任职[1]。<at id=all></at>[点此领取](http://evil.example/x)<font color=red>假通知</font>';
    const [m] = await askAndSettle({ chatId: DM, chatType: 'p2p', text: QUESTION });
    const pushed = entityOf(h, m).operations.filter((o) => o.kind === 'content').map((o) => o.content!);
    expect(pushed.length).toBeGreaterThan(0);
    for (const c of pushed) {
      expect(c).not.toMatch(/<at|<font|\]\(http|evil\.example/);
    }
  }, 30_000);

  it('groups get one complete card unless LARK_STREAM_IN_GROUPS is set', async () => {
    llm.chatReply = () => GOOD_REPLY;
    const messages = await askAndSettle({ chatId: GROUP, text: QUESTION, mentionBot: true });
    expect(messages).toHaveLength(1);
    expect((messages[0].content as { schema?: string }).schema).toBe('2.0');
    expect(cardText(messages[0].content)).toContain('吸引467名大学生到村任职');
    expect(h.api.requestsFor('cardkit.create')).toHaveLength(0);

    const hg = await startHarness(assistant, { allowedChats: [GROUP], config: { streamInGroups: true } });
    try {
      await deliverWebhook(hg.eventUrl, buildMessageEvent({ chatId: GROUP, text: QUESTION, mentionBot: true }));
      const [m] = await hg.api.waitForMessages(1);
      await hg.service.handler.idle();
      expect(hg.api.messages).toHaveLength(1);
      expect(m.replyInThread).toBe(true);
      const e = hg.api.cardkit.byMessage(m.messageId);
      expect(e?.operations.at(-1)?.kind).toBe('update');
      expect(cardText(e!.card)).toContain('吸引467名大学生到村任职');
    } finally {
      await hg.close();
    }
  }, 30_000);

  it('when the card entity cannot be created, the answer still arrives as one complete card', async () => {
    llm.chatReply = () => GOOD_REPLY;
    h.api.failNext('cardkit.create', 1, { status: 400, code: 99991672, msg: 'Access denied. One of the following scopes is required: [cardkit:card:write]' });
    const messages = await askAndSettle({ chatId: DM, chatType: 'p2p', text: QUESTION });
    expect(messages).toHaveLength(1);
    expect((messages[0].content as { schema?: string }).schema).toBe('2.0');
    expect(cardText(messages[0].content)).toContain('吸引467名大学生到村任职');
  }, 30_000);
});

describe('extractive mode keeps its single card', () => {
  it('a private-chat question without an LLM gets one complete card and no CardKit call', async () => {
    const h = await startHarness(await realAssistant(), { allowedChats: [DM] });
    try {
      await deliverWebhook(h.eventUrl, buildMessageEvent({ chatId: DM, chatType: 'p2p', text: QUESTION }));
      const [m] = await h.api.waitForMessages(1);
      await h.service.handler.idle();
      expect(await h.api.settle(200)).toHaveLength(1);
      expect((m.content as { schema?: string }).schema).toBe('2.0');
      expect(cardText(m.content)).toContain('467');
      expect(findTag(m.content, 'collapsible_panel')).toBeDefined();
      expect(h.api.requests.filter((r) => r.route.startsWith('cardkit.'))).toEqual([]);
    } finally {
      await h.close();
    }
  }, 60_000);
});
