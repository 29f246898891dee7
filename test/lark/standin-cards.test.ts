/**
 * The stand-in enforces the card rules of the Open Platform (test/support/card-rules.ts,
 * test/support/callbacks.ts), checked here through the real SDK.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverCallback } from '../support/callbacks.js';
import { buildCardActionEvent, OpenApiStandin, standinClient } from '../support/openapi-standin.js';

const card = (elements: unknown[], extra: Record<string, unknown> = {}, updateMulti = true) => ({
  schema: '2.0',
  config: { update_multi: updateMulti },
  header: { title: { tag: 'plain_text', content: 't' } },
  body: { elements },
  ...extra,
});

describe('stand-in card rules through the real SDK', () => {
  let api: OpenApiStandin;
  let client: lark.Client;
  beforeAll(async () => {
    api = await OpenApiStandin.start();
    client = standinClient(api);
  });
  afterAll(async () => api.close());

  const create = (c: unknown) =>
    client.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: 'oc_1', msg_type: 'interactive', content: JSON.stringify(c) } });
  const patch = (id: string, c: unknown) => client.im.message.patch({ path: { message_id: id }, data: { content: JSON.stringify(c) } });

  it('refuses a JSON 2.0 card with an unknown top-level property, or more than 200 components', async () => {
    await expect(create(card([{ tag: 'markdown', content: 'x' }], { elements: [] }))).rejects.toMatchObject({ response: { status: 400, data: { code: 230099 } } });
    const many = Array.from({ length: 201 }, () => ({ tag: 'markdown', content: 'x' }));
    await expect(create(card(many))).rejects.toMatchObject({ response: { status: 400, data: { code: 300305 } } });
    await expect(create(card(many.slice(0, 150)))).resolves.toMatchObject({ code: 0 });
  });

  it('patches only shared cards (update_multi), only within 14 days, at most 5 per second per message', async () => {
    const notShared = await create(card([{ tag: 'markdown', content: 'a' }], {}, false));
    await expect(patch(notShared.data!.message_id!, card([{ tag: 'markdown', content: 'b' }]))).rejects.toMatchObject({ response: { data: { code: 230099 } } });
    const shared = await create(card([{ tag: 'markdown', content: 'a' }]));
    const id = shared.data!.message_id!;
    await expect(patch(id, card([{ tag: 'markdown', content: 'b' }], {}, false))).rejects.toMatchObject({ response: { data: { code: 230099 } } });
    for (let i = 0; i < 5; i++) await expect(patch(id, card([{ tag: 'markdown', content: `v${i}` }]))).resolves.toMatchObject({ code: 0 });
    await expect(patch(id, card([{ tag: 'markdown', content: 'v6' }]))).rejects.toMatchObject({ response: { data: { code: 230020 } } });
    const old = await create(card([{ tag: 'markdown', content: 'a' }]));
    api.messages.find((m) => m.messageId === old.data!.message_id)!.at -= 15 * 86400_000;
    await expect(patch(old.data!.message_id!, card([{ tag: 'markdown', content: 'b' }]))).rejects.toMatchObject({ response: { data: { code: 230099 } } });
  });

  it('counts a callback answered after 3 s as failed, and checks the card in the answer', async () => {
    let delay = 0;
    let answer: unknown = { toast: { type: 'success', content: 'ok' } };
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer)), delay));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/card`;
    const event = buildCardActionEvent({ chatId: 'oc_1', messageId: 'om_1', value: { kind: 'x' } });
    try {
      expect(await deliverCallback(url, event)).toMatchObject({ ok: true, code: 0, toast: { type: 'success' } });
      answer = { card: { type: 'raw', data: { elements: [] } } };
      expect((await deliverCallback(url, event)).code).toBe(200830);
      answer = { card: { type: 'raw', data: card([{ tag: 'markdown', content: 'x' }], { extra: 1 }) } };
      expect((await deliverCallback(url, event)).code).toBe(230099);
      answer = { toast: { type: 'success', content: 'ok' } };
      delay = 3_100;
      expect((await deliverCallback(url, event)).code).toBe(200341);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
