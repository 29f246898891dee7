/**
 * Streaming chat completions (`stream: true`) through the real `openai` SDK against the OpenAI stand-in:
 * the text is reported as it grows, the whole reply is returned, and a stream that breaks off fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatModel } from '../../src/answer/llm.js';
import { OpenAiStandin } from '../support/openai-standin.js';

let api: OpenAiStandin;
beforeAll(async () => {
  api = await OpenAiStandin.start();
});
afterAll(async () => api.close());

const model = (timeoutMs = 2000) => new ChatModel({ baseURL: api.baseUrl, apiKey: 'k', model: 'standin-chat', timeoutMs, maxRetries: 0 });
const REPLY = '  海西州吸引467名大学生到村任职[1]。  ';

describe('ChatModel.complete with onText', () => {
  it('asks for a stream, reports the growing text and returns the whole reply trimmed', async () => {
    api.chatReply = () => REPLY;
    api.streamPieceChars = 4;
    const seen: string[] = [];
    const text = await model().complete([{ role: 'user', content: '问' }], { onText: (t) => seen.push(t) });
    expect(api.chatRequests().at(-1)!.body.stream).toBe(true);
    expect(text).toBe(REPLY.trim());
    expect(seen.length).toBe(Math.ceil([...REPLY].length / 4));
    expect(seen.every((t, i) => REPLY.startsWith(t) && (i === 0 || t.length > seen[i - 1].length))).toBe(true);
    expect(seen.at(-1)).toBe(REPLY);
  });

  it('without onText it does not stream', async () => {
    api.chatReply = () => REPLY;
    expect(await model().complete([{ role: 'user', content: '问' }])).toBe(REPLY.trim());
    expect(api.chatRequests().at(-1)!.body.stream).toBeUndefined();
  });

  it('an empty streamed reply is an error, as an empty complete one is', async () => {
    api.chatReply = () => '   ';
    await expect(model().complete([{ role: 'user', content: '问' }], { onText: () => {} })).rejects.toThrow(/empty chat completion/);
  });

  it('a stream that stalls midway fails after timeoutMs without a chunk, with the text so far reported', async () => {
    api.chatReply = () => REPLY;
    api.streamPieceChars = 2;
    api.streamStallAfterPieces = 3;
    const seen: string[] = [];
    try {
      const t0 = Date.now();
      await expect(model(300).complete([{ role: 'user', content: '问' }], { onText: (t) => seen.push(t) })).rejects.toThrow();
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect(seen.at(-1)).toBe([...REPLY].slice(0, 6).join(''));
    } finally {
      api.streamStallAfterPieces = Infinity;
    }
  });
});
