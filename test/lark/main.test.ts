/**
 * `npm start` as a user runs it: the local chat with piped input, a bad configuration, and the
 * Feishu webhook mode against the Open API stand-in (a separate bot process, real SDK and corpus).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildMessageEvent,
  deliverWebhook,
  OpenApiStandin,
  standinWebhookEnv,
} from '../support/openapi-standin.js';
import { cardText } from './harness.js';

const root = path.resolve(import.meta.dirname, '../..');
let dir: string;

/** process.env without any LARK_* variable, with temp paths for the index and the databases. */
function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('LARK_')) env[k] = v;
  return { ...env, DJ_INDEX_DIR: path.join(dir, 'index'), REMINDERS: 'off', REMINDERS_DB: path.join(dir, 'reminders.sqlite'), LOG_LEVEL: 'error', ...extra };
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
    p.stdin.end(stdin);
  });
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-lark-main-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('npm start', () => {
  it('with no credentials, answers piped questions as a local chat and exits at end of input', async () => {
    const r = await run('npm', ['start', '--silent'], baseEnv(), '海西州吸引了多少名大学生到村任职？\n/help\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('你：海西州吸引了多少名大学生到村任职？');
    const answer = r.stdout.split('你：/help')[0];
    expect(answer).toContain('【党建助手 · 回答】');
    expect(answer).toContain('467');
    expect(answer).toMatch(/▸ 来源（\d+）/);
    expect(r.stdout).toContain('【党建助手 · 使用说明】');
  }, 60_000);

  it('exits with code 2 and names the bad variable', async () => {
    const r = await run(process.execPath, ['--import', 'tsx', 'src/main.ts'], baseEnv({ LARK_APP_ID: 'cli_a1', LARK_APP_SECRET: 's', LARK_MODE: 'http' }), '');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('LARK_MODE: must be "ws" (long connection) or "webhook" (got "http")');
  }, 60_000);

  it('with credentials and LARK_MODE=webhook, answers a Feishu event through the stand-in and stops on SIGTERM', async () => {
    const api = await OpenApiStandin.start();
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const bot = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      stdio: 'ignore',
      env: baseEnv({ ...standinWebhookEnv(api.baseUrl, port, path.join(dir, 'lark.db')), LARK_ALLOWED_CHATS: 'oc_main_test' }),
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 40_000;
      for (;;) {
        expect(bot.exitCode).toBeNull();
        const up = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
        if (up) break;
        if (Date.now() > deadline) throw new Error('bot did not start');
        await new Promise((r) => setTimeout(r, 100));
      }
      const res = await deliverWebhook(`${base}/webhook/event`, buildMessageEvent({ chatId: 'oc_main_test', text: '海西州吸引了多少名大学生到村任职？', mentionBot: true }));
      expect(res.status).toBe(200);
      const [reply] = await api.waitForMessages(1);
      expect(reply.replyInThread).toBe(true);
      expect(cardText(reply.content)).toContain('467');
      bot.kill('SIGTERM');
      const code = await new Promise<number | null>((r) => bot.once('exit', (c) => r(c)));
      expect(code).toBe(0);
    } finally {
      if (bot.exitCode === null) bot.kill('SIGKILL');
      await api.close();
    }
  }, 60_000);
});
