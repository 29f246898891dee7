/**
 * The durable inbox, as a user would see it: the bot (`src/main.ts`, webhook mode, a separate process)
 * acknowledges questions, is killed with SIGKILL while a slow LLM is still answering (and while some
 * answers have reached Feishu without the bot hearing back), and is started again on the same state
 * database: every question is answered exactly once.
 */
import { freePort } from '../support/free-port.js';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openChatStore } from '../../src/lark/store.js';
import { OpenAiStandin } from '../support/openai-standin.js';
import { buildMessageEvent, deliverWebhook, OpenApiStandin, standinWebhookEnv } from '../support/openapi-standin.js';
import { cardText } from './harness.js';

const root = path.resolve(import.meta.dirname, '../..');
const QUESTION = '海西州吸引了多少名大学生到村任职？';


describe('durable inbox: SIGKILL after the ack, then a restart', () => {
  let dir: string;
  let api: OpenApiStandin;
  let llm: OpenAiStandin;
  const bots: ChildProcess[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-lark-crash-'));
    api = await OpenApiStandin.start();
    llm = await OpenAiStandin.start();
    llm.chatDelayMs = 1500;
    llm.chatReply = () => '海西州吸引467名大学生到村任职[1]。';
  });
  afterAll(async () => {
    for (const b of bots) if (b.exitCode === null) b.kill('SIGKILL');
    await api.close();
    await llm.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function startBot(port: number): Promise<ChildProcess> {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('LARK_') && !k.startsWith('LLM_')) env[k] = v;
    const bot = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      stdio: 'ignore',
      env: {
        ...env,
        ...standinWebhookEnv(api.baseUrl, port, path.join(dir, 'lark.db')),
        DJ_INDEX_DIR: path.join(dir, 'index'),
        REMINDERS: 'off',
        // the killed process's inbox leases expire after 3 s, then the restarted one answers its leftovers
        STATE_LEASE_MS: '3000',
        REMINDERS_DB: path.join(dir, 'reminders.sqlite'),
        LOG_LEVEL: 'error',
        LLM_BASE_URL: llm.baseUrl,
        LLM_MODEL: 'standin-model',
        LLM_MAX_RETRIES: '0',
      },
    });
    bots.push(bot);
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (bot.exitCode !== null) throw new Error(`bot exited with ${bot.exitCode}`);
      if (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)) return bot;
      if (Date.now() > deadline) throw new Error('bot did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('every acknowledged question is answered once, with the same request uuid as before the crash', async () => {
    const port = await freePort();
    const first = await startBot(port);
    const chats = ['oc_crash_a', 'oc_crash_b', 'oc_crash_c'];
    const events = Array.from({ length: 12 }, (_, i) => buildMessageEvent({ chatId: chats[i % 3], text: QUESTION, mentionBot: true }));
    const ids = events.map((e) => (e.event as { message: { message_id: string } }).message.message_id);
    for (const e of events) api.platform.noteEvent(e);
    // posted answers are not acknowledged for a while: the bot dies not knowing they were sent
    api.platform.responseDelayMs = 10_000;
    const acks = await Promise.all(events.map((e) => deliverWebhook(`http://127.0.0.1:${port}/webhook/event`, e)));
    expect(acks.map((a) => a.status)).toEqual(events.map(() => 200));

    await api.waitForMessages(1, 20_000); // the first answer has reached the chat; the LLM is still busy with others
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const beforeRestart = api.messages.length;
    expect(beforeRestart).toBeGreaterThan(0);
    expect(beforeRestart, 'some questions were still unanswered at the crash').toBeLessThan(12);
    const uuidsBefore = new Map(api.messages.map((m) => [m.replyTo, m.uuid]));

    api.platform.responseDelayMs = 0;
    const second = await startBot(port);
    await api.waitForMessages(12, 60_000);
    await api.settle(2000);
    for (const id of ids) {
      const replies = api.messages.filter((m) => m.replyTo === id);
      expect(replies, `question ${id}`).toHaveLength(1);
      expect(cardText(replies[0].content)).toContain('467');
    }
    // the answers posted before the crash were requested again with the same uuid, and not posted twice
    for (const [replyTo, uuid] of uuidsBefore) {
      const again = api.requestsFor('message.reply').filter((r) => r.path.includes(replyTo!));
      expect(new Set(again.map((r) => (r.body as { uuid: string }).uuid))).toEqual(new Set([uuid]));
    }
    expect(api.messages).toHaveLength(12);

    second.kill('SIGTERM');
    await new Promise((r) => second.once('exit', r));
    const store = await openChatStore(path.join(dir, 'lark.db'), { env: {} });
    try {
      expect((await store.inbox()), 'inbox empty once everything is answered').toEqual([]);
    } finally {
      await store.close();
    }
  }, 150_000);

  it('an answer streaming at the crash: its card does not stay 生成中, it is closed as interrupted after the restart', async () => {
    api.reset();
    llm.chatDelayMs = 0;
    llm.streamPieceChars = 2;
    llm.streamPieceDelayMs = 150;
    llm.chatReply = () => '根据资料，海西州以“书记领题”方式实施大学生到村任职“青苗兴村”计划，吸引467名大学生到村任职[1]。这些大学生在基层一线发挥作用[1]。';
    const port = await freePort();
    const first = await startBot(port);
    const event = buildMessageEvent({ chatId: 'oc_crash_p2p', chatType: 'p2p', text: QUESTION });
    api.platform.noteEvent(event);
    expect((await deliverWebhook(`http://127.0.0.1:${port}/webhook/event`, event)).status).toBe(200);
    // wait until the card shows some text, then kill the bot mid-answer
    const deadline = Date.now() + 20_000;
    let entity = [...api.cardkit.cards.values()][0];
    while (!(entity && entity.operations.filter((o) => o.kind === 'content').length >= 2)) {
      if (Date.now() > deadline) throw new Error('no streaming card');
      await new Promise((r) => setTimeout(r, 50));
      entity = [...api.cardkit.cards.values()][0];
    }
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    expect(entity.streamingSince, 'left streaming by the crash').toBeDefined();

    const second = await startBot(port);
    try {
      const until = Date.now() + 20_000;
      while (!JSON.stringify(entity.card).includes('回答中断，请重新提问')) {
        if (Date.now() > until) throw new Error('the interrupted card was not closed');
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(entity.streamingSince).toBeUndefined();
      expect(entity.refusals, 'no operation refused (sequences strictly increasing)').toEqual([]);
      const seqs = entity.operations.map((o) => o.sequence);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(entity.operations.slice(-2).map((o) => o.kind)).toEqual(['settings', 'update']);
    } finally {
      second.kill('SIGTERM');
      await new Promise((r) => second.once('exit', r));
    }
  }, 90_000);
});
