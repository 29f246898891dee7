/**
 * Latency of the Feishu bot from "event received" to "reply sent", on the Open API stand-in.
 *
 * Starts the stand-in (127.0.0.1) in this process and the bot as a separate process, exactly as
 * deployed (`tsx src/main.ts` in webhook mode with `LARK_DOMAIN` = the stand-in; real SDK, real
 * assistant over data/corpus), so the driver's clock is not stalled by the bot's CPU work. It then
 * delivers 100 signed + encrypted `im.message.receive_v1` events (group, @mention) one after another
 * and measures, per question:
 * - ack:   webhook POST sent → HTTP 200 received (Feishu wants this within 3 s);
 * - reply: webhook POST sent → the `im.message.reply` request arriving at the stand-in.
 * Then the same 100 questions 10 at a time (burst). Prints p50/p95/max tables.
 *
 * Usage: `npx tsx scripts/bench-lark.ts [--n 100] [--concurrency 10]`
 */
import { freePort } from '../test/support/free-port.js';
import { numberArg, percentile } from './measure.js';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  buildMessageEvent,
  deliverWebhook,
  OpenApiStandin,
  standinWebhookEnv,
} from '../test/support/openapi-standin.js';

const QUESTIONS = [
  '海西州吸引了多少名大学生到村任职？',
  '有多少名大学生担任村党支部书记？',
  '海西州有多少个全科网格？',
  '排查整顿软弱涣散村党组织多少个？',
  '50万元以上强村有多少个？',
  '什么是“三会一课”？',
  '新业态新就业群体党建工作怎么做？',
  '党员教育阵地有哪些？',
  '村“两委”干部学历提升了多少？',
  '远程教育终端站点有多少个？',
];




const now = () => performance.timeOrigin + performance.now();

async function main(): Promise<void> {
  const n = numberArg('n', 100);
  const concurrency = numberArg('concurrency', 10);
  const api = await OpenApiStandin.start();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-bench-lark-'));
  const port = await freePort();
  const t0 = now();
  const bot = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      ...standinWebhookEnv(api.baseUrl, port, path.join(dir, 'lark.db')),
      REMINDERS: 'off',
      REMINDERS_DB: path.join(dir, 'reminders.sqlite'),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (bot.exitCode !== null) throw new Error(`bot exited with code ${bot.exitCode}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const startMs = now() - t0;
  const url = `${base}/webhook/event`;

  async function one(i: number): Promise<{ ack: number; reply: number; bytes: number }> {
    const event = buildMessageEvent({ chatId: 'oc_bench', text: QUESTIONS[i % QUESTIONS.length], mentionBot: true });
    const messageId = (event.event as { message: { message_id: string } }).message.message_id;
    const start = now();
    const res = await deliverWebhook(url, event);
    const ack = now() - start;
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    for (;;) {
      const r = api.requests.find((x) => x.route === 'message.reply' && x.path.includes(messageId));
      if (r) return { ack, reply: r.hrAt - start, bytes: r.bodyBytes };
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  for (let i = 0; i < 5; i++) await one(i); // warm-up (token fetch, JIT)

  const seq: Array<{ ack: number; reply: number; bytes: number }> = [];
  for (let i = 0; i < n; i++) seq.push(await one(i));

  const burst: Array<{ ack: number; reply: number; bytes: number }> = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) burst.push(await one(next++));
    }),
  );
  bot.kill('SIGTERM');
  await new Promise((r) => bot.once('exit', r));
  await api.close();
  fs.rmSync(dir, { recursive: true, force: true });

  const row = (label: string, xs: number[]) =>
    `| ${label.padEnd(44)} | ${String(xs.length).padStart(3)} | ${percentile(xs, 50).toFixed(1).padStart(7)} | ${percentile(xs, 95).toFixed(1).padStart(7)} | ${Math.max(...xs).toFixed(1).padStart(7)} |`;
  const lines = [
    `党建助手 bot latency on the Open API stand-in (Node ${process.version}, ${os.cpus().length} CPUs; bot process ready in ${startMs.toFixed(0)} ms)`,
    '',
    '| measure (ms)                                 |   n |     p50 |     p95 |     max |',
    '|----------------------------------------------|-----|---------|---------|---------|',
    row('event received → reply sent (serial)', seq.map((x) => x.reply)),
    row('event received → HTTP 200 ack (serial)', seq.map((x) => x.ack)),
    row(`event received → reply sent (${concurrency} at once)`, burst.map((x) => x.reply)),
    row(`event received → HTTP 200 ack (${concurrency} at once)`, burst.map((x) => x.ack)),
    '',
    `reply request body: p50 ${percentile(seq.map((x) => x.bytes), 50)} B, max ${Math.max(...seq.map((x) => x.bytes))} B (limit 30720 B)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
