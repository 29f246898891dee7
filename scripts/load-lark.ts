/**
 * Load run of the Feishu bot on the Open API stand-in (loopback only, bounded; not a unit test).
 *
 * Starts the stand-in (127.0.0.1, enforcing the platform's rules: 5 sends/s per chat → 230020,
 * 50/s and 1000/min per app → 429, uuid kept one hour; test/support/platform-rules.ts) in this
 * process and the bot as a separate process (`tsx src/main.ts`, webhook mode, real SDK, real
 * assistant over data/corpus). Then:
 * 1. delivers `--events` (500) distinct @questions across `--chats` (20) group chats all at once, plus
 *    `--dups` (100) duplicate deliveries (the same event again, or the same message in a new event);
 * 2. when about half of the answers have reached the stand-in, kills the bot with SIGKILL;
 * 3. starts it again on the same state database, and re-delivers every event whose delivery was not
 *    acknowledged with HTTP 200 (as Feishu does);
 * 4. waits until every question is answered (at most `--timeout` s), settles 3 s and checks:
 *    every distinct question answered exactly once, none lost, no chat above 5 sends in any second
 *    (as the stand-in stored them) and no send refused for a limit, ack p95 under 500 ms.
 * Prints a table; exits with code 1 when a check fails.
 *
 * Usage: `npx tsx scripts/load-lark.ts [--events 500] [--chats 20] [--dups 100] [--timeout 180]`
 */
import { freePort } from '../test/support/free-port.js';
import { numberArg, percentile } from './measure.js';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { buildMessageEvent, encryptPayload, OpenApiStandin, signBody, standinWebhookEnv, type StoredMessage } from '../test/support/openapi-standin.js';

/** Connections the driver keeps to the bot, like a webhook sender's pool. */
const MAX_CONNECTIONS = 100;

/**
 * POSTs a signed, encrypted event (body prepared beforehand) and resolves with the HTTP status and
 * the ack time: from the moment the request is written to its connection to the end of the
 * response (the driver's own queueing for a connection is not counted).
 */
function post(agent: http.Agent, url: URL, body: string, headers: Record<string, string>): Promise<{ status: number; ms: number }> {
  return new Promise((resolve, reject) => {
    let start = 0;
    const req = http.request(url, { method: 'POST', agent, headers: { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - start }));
    });
    req.on('socket', (socket) => {
      const mark = () => (start = performance.now());
      if (socket.connecting) socket.once('connect', mark);
      else mark();
    });
    req.on('error', reject);
    req.end(body);
  });
}

const QUESTIONS = [
  '海西州吸引了多少名大学生到村任职？',
  '有多少名大学生担任村党支部书记？',
  '海西州有多少个全科网格？',
  '排查整顿软弱涣散村党组织多少个？',
  '50万元以上强村有多少个？',
  '新业态新就业群体党建工作怎么做？',
  '党员教育阵地有哪些？',
  '村“两委”干部学历提升了多少？',
  '远程教育终端站点有多少个？',
  '如何加强基层党组织建设？',
];




/** Most messages stored within any sliding 1000 ms, per chat. */
function maxPerChatSecond(messages: StoredMessage[]): { max: number; chat: string } {
  const byChat = new Map<string, number[]>();
  for (const m of messages) byChat.set(m.chatId ?? '?', [...(byChat.get(m.chatId ?? '?') ?? []), m.at]);
  let best = { max: 0, chat: '' };
  for (const [chat, times] of byChat) {
    times.sort((a, b) => a - b);
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i] - times[j] >= 1000) j++;
      if (i - j + 1 > best.max) best = { max: i - j + 1, chat };
    }
  }
  return best;
}

async function main(): Promise<void> {
  const nEvents = numberArg('events', 500);
  const nChats = numberArg('chats', 20);
  const nDups = numberArg('dups', 100);
  const timeoutS = numberArg('timeout', 180);
  const api = await OpenApiStandin.start();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-load-lark-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    ...standinWebhookEnv(api.baseUrl, port, path.join(dir, 'lark.db')),
    REMINDERS: 'off',
    REMINDERS_DB: path.join(dir, 'reminders.sqlite'),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
  };
  let bot: ChildProcess | undefined;
  const startBot = async (): Promise<number> => {
    const t0 = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    bot = child;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`bot exited with code ${child.exitCode}`);
      if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) return Date.now() - t0;
      if (Date.now() - t0 > 60_000) throw new Error('bot did not start within 60 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  try {
    const firstStartMs = await startBot();
    const chats = Array.from({ length: nChats }, (_, i) => `oc_load_${String(i).padStart(2, '0')}`);
    const events = Array.from({ length: nEvents }, (_, i) =>
      buildMessageEvent({ chatId: chats[i % nChats], text: `${QUESTIONS[i % QUESTIONS.length]}（第${i + 1}问）`, mentionBot: true }),
    );
    for (const e of events) api.platform.noteEvent(e);
    const ids = events.map((e) => (e.event as { message: { message_id: string } }).message.message_id);
    const dups = Array.from({ length: nDups }, (_, i) => {
      const e = structuredClone(events[(i * 7) % nEvents]);
      if (i % 2 === 1) (e.header as { event_id: string }).event_id = `dup-${i}-${(e.header as { event_id: string }).event_id}`;
      return e;
    });

    const acks: number[] = [];
    const unacked = new Set<number>();
    let dupAcked = 0;
    const eventUrl = new URL(`${base}/webhook/event`);
    let agent = new http.Agent({ keepAlive: true, maxSockets: MAX_CONNECTIONS });
    const prepared = new Map<Record<string, unknown>, { body: string; headers: Record<string, string> }>();
    const prepare = (payload: Record<string, unknown>) => {
      const body = JSON.stringify(encryptPayload(payload));
      prepared.set(payload, { body, headers: signBody(body) });
    };
    for (const e of [...events, ...dups]) prepare(e);
    const deliver = async (payload: Record<string, unknown>, index?: number): Promise<void> => {
      try {
        const p = prepared.get(payload)!;
        const r = await post(agent, eventUrl, p.body, p.headers);
        if (r.status === 200) {
          acks.push(r.ms);
          if (index === undefined) dupAcked++;
          else unacked.delete(index);
        } else if (index !== undefined) unacked.add(index);
      } catch {
        if (index !== undefined) unacked.add(index); // the bot is down: Feishu re-delivers later
      }
    };

    // 1. everything at once (events and duplicates interleaved)
    const t0 = Date.now();
    const all: Array<Promise<void>> = [];
    events.forEach((e, i) => {
      unacked.add(i);
      all.push(deliver(e, i));
      if (i % 5 === 4 && (i / 5) < nDups) all.push(deliver(dups[Math.floor(i / 5)]));
    });
    // 2. kill -9 when about half of the answers have been posted
    const killAt = Math.floor(nEvents / 2);
    const killed = (async () => {
      while (api.messages.length < killAt) await new Promise((r) => setTimeout(r, 10));
      bot!.kill('SIGKILL');
      await new Promise((r) => bot!.once('exit', r));
      return { at: Date.now() - t0, answered: api.messages.length };
    })();
    await Promise.all(all);
    const kill = await killed;
    const unackedAtKill = unacked.size;

    // 3. restart on the same state database; re-deliver what was not acknowledged
    const restartMs = await startBot();
    agent.destroy();
    agent = new http.Agent({ keepAlive: true, maxSockets: MAX_CONNECTIONS });
    const redeliver = [...unacked];
    for (const i of redeliver) prepare(events[i]); // a fresh timestamp and signature, as a re-delivery has
    await Promise.all(redeliver.map((i) => deliver(events[i], i)));

    // 4. wait for every answer
    const deadline = Date.now() + timeoutS * 1000;
    const answered = () => new Set(api.messages.map((m) => m.replyTo)).size;
    while (answered() < nEvents && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const doneMs = Date.now() - t0;
    await new Promise((r) => setTimeout(r, 3000));

    const perMessage = new Map<string, number>();
    for (const m of api.messages) if (m.replyTo) perMessage.set(m.replyTo, (perMessage.get(m.replyTo) ?? 0) + 1);
    const once = ids.filter((id) => perMessage.get(id) === 1).length;
    const lost = ids.filter((id) => !perMessage.has(id)).length;
    const twice = ids.filter((id) => (perMessage.get(id) ?? 0) > 1).length;
    const rate = maxPerChatSecond(api.messages);
    const chatRefusals = api.platform.throttled.filter((t) => t.code === 230020).length;
    const appRefusals = api.platform.throttled.filter((t) => t.code === 99991400).length;
    const ackP95 = percentile(acks, 95);
    const checks = [
      ['every distinct question answered exactly once', once === nEvents],
      ['none lost', lost === 0],
      ['no chat above 5 sends in any second', rate.max <= 5],
      ['ack p95 under 500 ms', ackP95 < 500],
    ] as const;

    const lines = [
      `党建助手 load run on the Open API stand-in (Node ${process.version}, ${os.cpus().length} CPUs)`,
      '',
      '| measure | value |',
      '|---|---|',
      `| distinct events delivered at once / chats | ${nEvents} / ${nChats} |`,
      `| duplicate deliveries (same event, or same message in a new event) | ${nDups} (${dupAcked} acknowledged) |`,
      `| bot ready (first start / restart) | ${firstStartMs} ms / ${restartMs} ms |`,
      `| kill -9 after | ${kill.at} ms, ${kill.answered} answers posted, ${unackedAtKill} deliveries unacknowledged → re-delivered |`,
      `| all answered after | ${doneMs} ms |`,
      `| answered exactly once / lost / more than once | ${once} / ${lost} / ${twice} |`,
      `| messages posted in total | ${api.messages.length} |`,
      `| most sends to one chat in any 1 s | ${rate.max} (${rate.chat}) |`,
      `| sends refused for the chat limit (230020) / app limit (99991400) | ${chatRefusals} / ${appRefusals} |`,
      `| ack ms p50 / p95 / max (n = ${acks.length}, ≤ ${MAX_CONNECTIONS} connections) | ${percentile(acks, 50).toFixed(1)} / ${ackP95.toFixed(1)} / ${Math.max(...acks).toFixed(1)} |`,
      '',
      ...checks.map(([label, ok]) => `${ok ? 'PASS' : 'FAIL'}  ${label}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
    agent.destroy();
  } finally {
    if (bot && bot.exitCode === null) {
      bot.kill('SIGTERM');
      await new Promise((r) => bot!.once('exit', r));
    }
    await api.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
