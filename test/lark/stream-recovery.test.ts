/**
 * A streaming card left open by a crash is closed at the next start, through the real SDK against the Open
 * API stand-in (which enforces the CardKit rules: strictly increasing sequences, the streaming timeout, the
 * 14-day life of a card entity): the process that streamed records the card (card_id and its sequence
 * ceiling) in the chat state; when its lease has expired, another process turns streaming off and replaces
 * the card with “回答中断，请重新提问”, with sequences above every one used. A card still streaming (lease
 * renewed) is left alone.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type * as lark from '@larksuiteoapi/node-sdk';
import { setLogLevel } from '../../src/log.js';
import { LarkMessenger } from '../../src/lark/messenger.js';
import { openChatStore, type ChatStore } from '../../src/lark/store.js';
import { CardStreamer, INTERRUPTED_NOTE, SEQUENCE_BLOCK } from '../../src/lark/stream-card.js';
import { CARD_ENTITY_LIFE_MS } from '../support/cardkit-rules.js';
import { OpenApiStandin, standinClient } from '../support/openapi-standin.js';
import { tempDir } from '../reminders/support.js';

setLogLevel('silent');
const CHAT = 'oc_stream_recovery';
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('streaming cards interrupted by a crash', () => {
  let api: OpenApiStandin;
  let client: lark.Client;
  let messenger: LarkMessenger;
  let tmp: ReturnType<typeof tempDir>;
  const stores: ChatStore[] = [];
  /** A process: its own store handle on the shared chat state file, and a streamer recording into it. */
  const processOn = async (leaseMs: number) => {
    const store = await openChatStore(join(tmp.dir, 'chat.sqlite'), { env: {}, leaseMs });
    stores.push(store);
    return { store, streamer: new CardStreamer(client, messenger, { registry: store, retries: 0 }) };
  };
  /** Streams `pieces` into a reply to a new question message, without finishing (the process then stops). */
  const streamSome = async (streamer: CardStreamer, pieces: string[]) => {
    const question = await messenger.sendCard(CHAT, { schema: '2.0', config: { update_multi: true }, body: { elements: [{ tag: 'markdown', content: '问题' }] } });
    const stream = streamer.open({ messageId: question, chatId: CHAT, idempotencyKey: `stream:${question}` });
    let text = '';
    for (const p of pieces) {
      text += p;
      stream.update(text);
      await wait(200);
    }
    await wait(300);
    const entity = [...api.cardkit.cards.values()].at(-1)!;
    expect(entity.messageId, 'the card was sent').toBeDefined();
    return Object.assign(entity, { stream });
  };

  beforeAll(async () => {
    api = await OpenApiStandin.start();
    client = standinClient(api);
    messenger = new LarkMessenger(client, { retry: { retries: 0 } });
  });
  afterAll(async () => api.close());
  beforeEach(() => {
    api.reset();
    api.cardkit.clock = Date.now;
    tmp = tempDir();
  });
  afterEach(async () => {
    while (stores.length) await stores.pop()!.close();
    tmp.cleanup();
  });

  it('closes a card whose process stopped mid-answer: streaming off, “回答中断，请重新提问”, sequences strictly increasing', async () => {
    const a = await processOn(300);
    const entity = await streamSome(a.streamer, ['海西州', '吸引了', '467名']);
    const used = entity.lastSequence;
    expect(used).toBeGreaterThan(0);
    expect(entity.streamingSince, 'still streaming').toBeDefined();
    // the process stops: its connection to the state is gone, so its lease is not renewed any more
    await a.store.close();
    stores.splice(stores.indexOf(a.store), 1);
    const b = await processOn(300);
    // while the lease may still be live, nothing is taken
    await wait(400);
    expect(await b.streamer.closeInterrupted()).toEqual([entity.cardId]);
    expect(entity.refusals, 'the platform refused no operation').toEqual([]);
    const closing = entity.operations.filter((o) => o.sequence > used);
    expect(closing.map((o) => o.kind)).toEqual(['settings', 'update']);
    expect(closing[0]!.sequence).toBeGreaterThan(SEQUENCE_BLOCK - 1);
    expect(closing[0]!.settings).toEqual({ config: { streaming_mode: false } });
    expect(entity.streamingSince).toBeUndefined();
    expect(JSON.stringify(entity.card)).toContain(INTERRUPTED_NOTE);
    expect(JSON.stringify(entity.card)).not.toContain('生成中');
    // done once: a second sweep (here or on another process) finds nothing
    expect(await b.streamer.closeInterrupted()).toEqual([]);
  });

  it('leaves a card that is still streaming alone, and forgets one that finished', async () => {
    const a = await processOn(300);
    const entity = await streamSome(a.streamer, ['一', '二']);
    const b = await processOn(300);
    await wait(500); // longer than the lease: A renews it every 100 ms
    expect(await b.streamer.closeInterrupted()).toEqual([]);
    expect(entity.streamingSince).toBeDefined();
    expect(JSON.stringify(entity.card)).not.toContain(INTERRUPTED_NOTE);
    // the answer ends normally: the card is forgotten, so even once A stops nothing is closed
    const final = { schema: '2.0', config: { update_multi: true }, body: { elements: [{ tag: 'markdown', content: '一二三' }] } };
    expect(await entity.stream.finish(final)).toBe(true);
    await a.store.close();
    stores.splice(stores.indexOf(a.store), 1);
    await wait(400);
    expect(await b.streamer.closeInterrupted()).toEqual([]);
    expect(JSON.stringify(entity.card)).toContain('一二三');
  });

  it('a card past the streaming timeout is closed all the same; one past its 14-day life is forgotten', async () => {
    const a = await processOn(200);
    const timedOut = await streamSome(a.streamer, ['一']);
    const expired = await streamSome(a.streamer, ['二']);
    await a.store.close();
    stores.splice(stores.indexOf(a.store), 1);
    // the platform's clock moves on: 11 minutes for the first card (its streaming timed out), 15 days for the second
    const t0 = Date.now();
    api.cardkit.clock = () => Date.now() + 11 * 60_000;
    const b = await processOn(200);
    await wait(300);
    const content = await client.cardkit.v1.cardElement.content({ path: { card_id: timedOut.cardId, element_id: 'answer_md' }, data: { content: '一二', sequence: 99 } }).catch((e: { response?: { data?: { code?: number } } }) => e.response?.data);
    expect(content?.code, 'the stand-in enforces the streaming timeout').toBe(200850);
    expired.createdAt = t0 - CARD_ENTITY_LIFE_MS;
    const closed = await b.streamer.closeInterrupted();
    expect(closed).toEqual([timedOut.cardId]);
    expect(JSON.stringify(timedOut.card)).toContain(INTERRUPTED_NOTE);
    expect(expired.refusals.map((r) => r.code)).toContain(200750);
    // both are forgotten: nothing left to close
    expect(await b.streamer.closeInterrupted()).toEqual([]);
  });
});
