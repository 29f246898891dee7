import * as lark from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenApiStandin, standinClient } from '../support/openapi-standin.js';


describe('Open API stand-in through the real SDK', () => {
  let api: OpenApiStandin;
  let client: lark.Client;
  beforeAll(async () => {
    api = await OpenApiStandin.start();
    client = standinClient(api);
  });
  afterAll(async () => api.close());

  it('issues a token and stores a threaded reply', async () => {
    const created = await client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: 'oc_1', msg_type: 'text', content: JSON.stringify({ text: 'hi' }) },
    });
    expect(created.code).toBe(0);
    const reply = await client.im.message.reply({
      path: { message_id: created.data!.message_id! },
      data: { msg_type: 'interactive', content: JSON.stringify({ elements: [] }), reply_in_thread: true },
    });
    expect(reply.code).toBe(0);
    const [, stored] = await api.waitForMessages(2);
    expect(stored).toMatchObject({ kind: 'reply', replyTo: created.data!.message_id, replyInThread: true, chatId: 'oc_1' });
    expect(api.requestsFor('token')).toHaveLength(1);
    expect(api.requestsFor('message.reply')[0].headers.authorization).toBe(`Bearer ${api.tenantAccessToken}`);
  });

  it('answers injected 429s, then succeeds', async () => {
    api.failNext('message.create', 1, 429);
    const call = () =>
      client.im.message.create({
        params: { receive_id_type: 'chat_id' },
        data: { receive_id: 'oc_1', msg_type: 'text', content: JSON.stringify({ text: 'x' }) },
      });
    await expect(call()).rejects.toMatchObject({ response: { status: 429, data: { code: 99991400 } } });
    await expect(call()).resolves.toMatchObject({ code: 0 });
  });

  it('refuses cards over 30 KB with code 230025', async () => {
    const big = JSON.stringify({ elements: [{ tag: 'markdown', content: 'x'.repeat(40_000) }] });
    await expect(
      client.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: 'oc_1', msg_type: 'interactive', content: big } }),
    ).rejects.toMatchObject({ response: { status: 400, data: { code: 230025 } } });
  });
});
