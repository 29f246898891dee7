/**
 * The Open API stand-in's CardKit routes behave as the cardkit-v1 pages say, through the real SDK
 * (`client.cardkit.v1.*`), so that the streaming tests can trust what it records.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type * as lark from '@larksuiteoapi/node-sdk';
import { OpenApiStandin, standinClient } from '../support/openapi-standin.js';

/** The Open API code of a call: from the body, or from the HTTP error the SDK throws. */
async function codeOf(call: Promise<{ code?: number }>): Promise<number | undefined> {
  try {
    return (await call).code;
  } catch (err) {
    return (err as { response?: { data?: { code?: number } } }).response?.data?.code;
  }
}

const card = (extra: Record<string, unknown> = {}) => ({
  schema: '2.0',
  config: { update_multi: true, streaming_mode: true, ...extra },
  body: { elements: [{ tag: 'markdown', element_id: 'md', content: '…' }, { tag: 'hr', element_id: 'line' }] },
});

describe('stand-in CardKit routes (real SDK)', () => {
  let api: OpenApiStandin;
  let client: lark.Client;
  beforeAll(async () => {
    api = await OpenApiStandin.start();
    client = standinClient(api);
  });
  afterAll(async () => api.close());
  beforeEach(() => api.reset());

  async function create(c: unknown = card()): Promise<string> {
    const res = await client.cardkit.v1.card.create({ data: { type: 'card_json', data: JSON.stringify(c) } });
    expect(res.code).toBe(0);
    return res.data!.card_id;
  }
  const content = (cardId: string, text: string, sequence: number, element = 'md') =>
    codeOf(client.cardkit.v1.cardElement.content({ path: { card_id: cardId, element_id: element }, data: { content: text, sequence } }));

  it('creation refuses JSON 1.0, update_multi false, duplicate element ids, 201 components and more than 30 KB', async () => {
    const make = (c: unknown) => codeOf(client.cardkit.v1.card.create({ data: { type: 'card_json', data: JSON.stringify(c) } }));
    expect(await make({ elements: [{ tag: 'markdown', content: 'x' }] })).toBe(300303);
    expect(await make(card({ update_multi: false }))).toBe(300302);
    expect(await make({ schema: '2.0', body: { elements: [{ tag: 'markdown', element_id: 'a', content: 'x' }, { tag: 'markdown', element_id: 'a', content: 'y' }] } })).toBe(300301);
    expect(await make({ schema: '2.0', body: { elements: Array.from({ length: 201 }, () => ({ tag: 'hr' })) } })).toBe(300305);
    expect(await make({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: '字'.repeat(11_000) }] } })).toBe(200860);
    expect(await make(card())).toBe(0);
  });

  it('sequence must strictly increase across all operations on a card; streaming text only while streaming is on', async () => {
    const id = await create();
    expect(await content(id, '一', 1)).toBe(0);
    expect(await content(id, '一二', 1)).toBe(300317);
    expect(await content(id, '一二', 3)).toBe(0);
    expect(await content(id, '一二三', 2)).toBe(300317);
    expect(await content(id, '一二三', 4, 'nope')).toBe(10002);
    expect(await content(id, '一二三', 4, 'line')).toBe(300310);
    const close = await codeOf(client.cardkit.v1.card.settings({ path: { card_id: id }, data: { settings: JSON.stringify({ config: { streaming_mode: false } }), sequence: 4 } }));
    expect(close).toBe(0);
    expect(await content(id, '一二三', 5)).toBe(300309);
    const final = { schema: '2.0', config: { update_multi: true }, body: { elements: [{ tag: 'markdown', content: '定稿' }] } };
    expect(await codeOf(client.cardkit.v1.card.update({ path: { card_id: id }, data: { card: { type: 'card_json', data: JSON.stringify(final) }, sequence: 4 } }))).toBe(300317);
    expect(await codeOf(client.cardkit.v1.card.update({ path: { card_id: id }, data: { card: { type: 'card_json', data: JSON.stringify(final) }, sequence: 6 } }))).toBe(0);
    const e = api.cardkit.cards.get(id)!;
    expect(e.operations.map((o) => [o.kind, o.sequence])).toEqual([['content', 1], ['content', 3], ['settings', 4], ['update', 6]]);
    expect(e.card).toEqual(final);
    expect(await codeOf(client.cardkit.v1.card.settings({ path: { card_id: '7000000000000000001' }, data: { settings: '{}', sequence: 9 } }))).toBe(200740);
  });

  it('at most 10 operations per second per card; streaming closes itself after its timeout', async () => {
    const id = await create();
    const codes: Array<number | undefined> = [];
    const clock = api.cardkit.clock;
    const frozen = clock();
    api.cardkit.clock = () => frozen; // all twelve within the same second, however slow the machine
    try {
      for (let s = 1; s <= 12; s++) codes.push(await content(id, '字'.repeat(s), s));
    } finally {
      api.cardkit.clock = clock;
    }
    expect(codes.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(codes.slice(10)).toEqual([99991400, 99991400]);
    const other = await create();
    expect(await content(other, '另一张卡片不受影响', 1)).toBe(0);

    api.platform.advance(api.cardkit.streamingTimeoutMs + 1000);
    expect(await content(other, '超时之后', 2)).toBe(200850);
    expect(await content(other, '超时之后', 3)).toBe(300309);
  });

  it('a card entity is sent once, by reference', async () => {
    const id = await create();
    const send = (uuid: string) =>
      codeOf(client.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: 'oc_cardkit', msg_type: 'interactive', content: JSON.stringify({ type: 'card', data: { card_id: id } }), uuid } }));
    expect(await send('u1')).toBe(0);
    expect(api.cardkit.byMessage(api.messages[0].messageId)?.cardId).toBe(id);
    expect(await send('u2')).toBe(230099);
    const missing = await codeOf(client.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: 'oc_cardkit', msg_type: 'interactive', content: JSON.stringify({ type: 'card', data: { card_id: '7000000000000000001' } }) } }));
    expect(missing).toBe(230099);
  });
});
