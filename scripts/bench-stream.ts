/**
 * Streaming answers: how soon the first text is on screen, compared with waiting for the whole LLM answer.
 *
 * Starts the Open API stand-in, the OpenAI stand-in (streaming the reply at a set token rate) and the bot
 * (webhook mode, real SDK, real assistant over data/corpus with the LLM), then asks `--n` private-chat
 * questions one after another, first with streaming on, then with `LARK_STREAM=0`, and prints per mode:
 * - first text: webhook POST sent → the message showing the answer arrives at the stand-in (streamed: the
 *   card entity with the text so far; not streamed: the complete card);
 * - final: webhook POST sent → the final card is in place (streamed: the full card update);
 * - CardKit operations per answer, the most in any second, and operations the stand-in refused.
 *
 * Usage: `npx tsx scripts/bench-stream.ts [--n 10] [--chars-per-second 40]`
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openAssistant } from '../src/assistant.js';
import { loadCoreConfig } from '../src/config.js';
import type { LarkConfig } from '../src/lark/config.js';
import { startLarkService } from '../src/lark/feishu.js';
import { setLogLevel } from '../src/log.js';
import { OpenAiStandin } from '../test/support/openai-standin.js';
import {
  buildMessageEvent,
  deliverWebhook,
  OpenApiStandin,
  STANDIN_APP_ID,
  STANDIN_APP_SECRET,
  STANDIN_ENCRYPT_KEY,
  STANDIN_VERIFICATION_TOKEN,
} from '../test/support/openapi-standin.js';
import { numberArg, percentile } from './measure.js';

const QUESTIONS = [
  '海西州吸引了多少名大学生到村任职？',
  '有多少名大学生担任村党支部书记？',
  '海西州有多少个全科网格？',
  '排查整顿软弱涣散村党组织多少个？',
  '新业态新就业群体党建工作怎么做？',
  '党员教育阵地有哪些？',
];
/** A reply without figures (so it passes the grounding check whatever the passage), about 150 characters. */
const REPLY =
  '根据资料，当地坚持党建引领，把组织优势转化为发展优势[1]。一是健全组织体系，推动党的组织和工作有效覆盖；' +
  '二是加强队伍建设，选优配强带头人，注重在一线培养锻炼干部；三是完善服务机制，推动资源力量向基层下沉，' +
  '切实把党员群众凝聚起来，为高质量发展提供坚强保证[1]。';

const now = () => performance.timeOrigin + performance.now();

async function run(stream: boolean, n: number, cps: number): Promise<void> {
  const api = await OpenApiStandin.start();
  const llm = await OpenAiStandin.start();
  llm.chatReply = () => REPLY;
  llm.streamPieceChars = 2;
  llm.streamPieceDelayMs = Math.round(2000 / cps);
  // without streaming the model's whole generation time passes before the reply
  llm.chatDelayMs = stream ? 0 : Math.round(([...REPLY].length / cps) * 1000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-bench-stream-'));
  const config = loadCoreConfig({ ...process.env, LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'standin', LLM_API_KEY: 'k', LLM_TIMEOUT_MS: '30000' }, { indexDir: path.join(dir, 'index') });
  const assistant = await openAssistant({ config });
  const cfg: LarkConfig = {
    kind: 'lark',
    appId: STANDIN_APP_ID,
    appSecret: STANDIN_APP_SECRET,
    baseUrl: api.baseUrl,
    mode: 'webhook',
    encryptKey: STANDIN_ENCRYPT_KEY,
    verificationToken: STANDIN_VERIFICATION_TOKEN,
    webhook: { host: '127.0.0.1', port: 0, eventPath: '/webhook/event', cardPath: '/webhook/card' },
    allowedChats: [],
    adminOpenIds: [],
    stateDb: path.join(dir, 'lark.db'),
    historyTurns: 3,
    stream,
  };
  const service = await startLarkService(cfg, { assistant });
  const url = `${service.transport.url}/webhook/event`;
  const first: number[] = [];
  const final: number[] = [];
  const ops: number[] = [];
  let peak = 0;
  let refused = 0;
  for (let i = 0; i < n; i++) {
    api.reset();
    const t0 = now();
    await deliverWebhook(url, buildMessageEvent({ chatId: `oc_bench_p2p_${i}`, chatType: 'p2p', text: QUESTIONS[i % QUESTIONS.length] }));
    await api.waitForMessages(1, 60_000);
    await service.handler.idle();
    const msg = api.messages[0]!;
    first.push(api.requests.find((r) => r.route === 'message.reply' && r.status === 200)!.hrAt - t0);
    const e = api.cardkit.byMessage(msg.messageId);
    if (e) {
      const done = api.requests.filter((r) => r.route === 'cardkit.update' && r.status === 200).at(-1);
      final.push((done?.hrAt ?? NaN) - t0);
      ops.push(e.operations.length);
      const at = e.operations.map((o) => o.at);
      peak = Math.max(peak, ...at.map((t) => at.filter((u) => u >= t && u - t < 1000).length));
      refused += e.refusals.length;
    } else final.push(first.at(-1)!);
  }
  const row = (name: string, xs: number[]) => `| ${stream ? 'streamed' : 'not streamed'} | ${name} | ${xs.length} | ${percentile(xs, 50).toFixed(0)} | ${percentile(xs, 95).toFixed(0)} | ${Math.max(...xs).toFixed(0)} |`;
  console.log(row('event → first text on screen (ms)', first));
  console.log(row('event → final card (ms)', final));
  if (stream) console.log(`| streamed | CardKit operations per answer | ${ops.length} | ${percentile(ops, 50)} | ${percentile(ops, 95)} | ${Math.max(...ops)} |  (most in any second: ${peak}; refused: ${refused})`);
  await service.close();
  await api.close();
  await llm.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  setLogLevel((process.env.LOG_LEVEL as Parameters<typeof setLogLevel>[0] | undefined) ?? 'error');
  const n = numberArg('n', 10);
  const cps = numberArg('chars-per-second', 40);
  console.log(`LLM stand-in streams ${[...REPLY].length} characters at ${cps} characters/s`);
  console.log('| mode | measure | n | p50 | p95 | max |\n|---|---|---|---|---|---|');
  await run(true, n, cps);
  await run(false, n, cps);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
