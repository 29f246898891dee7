/**
 * Faults that must stay contained: a broken calendar file disables only its year (and says so in the
 * log and the admin chat) while the bot answers questions; a read-only `var/` stops the bot with a
 * clear Chinese/English message instead of a stack trace; every numeric setting has bounds.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreEnvSchema, loadCoreConfig } from '../../src/config.js';
import { loadChatConfig } from '../../src/lark/config.js';
import type { Messenger } from '../../src/lark/contracts.js';
import { loadCalendar } from '../../src/reminders/calendar.js';
import { startReminders, type ReminderExtensionSlots } from '../../src/reminders/index.js';
import { localInstant } from '../../src/reminders/schedule.js';
import type { Assistant } from '../../src/types.js';
import { buildMessageEvent, deliverWebhook, STANDIN_APP_ID, STANDIN_APP_SECRET, STANDIN_ENCRYPT_KEY, STANDIN_VERIFICATION_TOKEN } from '../support/openapi-standin.js';
import { cardText, realAssistant, startHarness, type Harness } from './harness.js';

const root = path.resolve(import.meta.dirname, '../..');
const ADMIN_CHAT = 'oc_admin_chat';
const GROUP = 'oc_test_group';

const BROKEN_2027 = `year: 2027
status: published
source: 国务院办公厅关于2027年部分节假日安排的通知
holidays:
  - name: 元旦
    dates: [2027-01-01
`;

function calendarDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-cal-'));
  fs.copyFileSync(path.join(root, 'data/calendar/cn-2026.yaml'), path.join(dir, 'cn-2026.yaml'));
  fs.writeFileSync(path.join(dir, 'cn-2027.yaml'), BROKEN_2027);
  return dir;
}

describe('a broken calendar file', () => {
  it('disables only its own year: 2026 dates work, 2027 dates report the file', () => {
    const cal = loadCalendar(calendarDir());
    expect(cal.problems).toEqual([expect.objectContaining({ year: 2027, reason: expect.stringContaining('not valid YAML') })]);
    expect(cal.isWorkday('2026-10-01')).toBe(false);
    expect(cal.isWorkday('2026-12-07')).toBe(true);
    expect(() => cal.isWorkday('2027-01-04')).toThrow(/cn-2027\.yaml 无法读取/);
  });

  describe('in the running bot', () => {
    let assistant: Assistant;
    let h: Harness;
    let dir: string;
    const now = localInstant('2026-12-07', '09:00');

    beforeAll(async () => {
      assistant = await realAssistant();
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-faults-'));
      fs.mkdirSync(path.join(dir, 'lists'));
      fs.writeFileSync(
        path.join(dir, 'lists', 'test.yaml'),
        `name: 测试支部
chat_id: ${GROUP}
owner: { open_id: ou_owner, name: 王书记 }
digest: false
items:
  - id: dues
    title: 收缴党费
    assignees: [{ open_id: ou_alice, name: 李组织委员 }]
    due: 2026-12-10
    reminders: [{ days_before: 3, at: '09:00' }]
  - id: newyear
    title: 新年工作计划
    assignees: [{ open_id: ou_alice, name: 李组织委员 }]
    due: 2027-01-08
    reminders: [{ days_before: 3, at: '09:00' }]
`,
      );
      const prev = process.env.REMINDERS;
      process.env.REMINDERS = 'off';
      try {
        h = await startHarness(assistant, {
          service: {
            extensions: async (messenger: Messenger) => {
              const ext: ReminderExtensionSlots = { commands: [], cardRoutes: [] };
              const svc = await startReminders(messenger, ext, {
                calendarDir: calendarDir(),
                checklistDir: path.join(dir, 'lists'),
                dbPath: path.join(dir, 'reminders.sqlite'),
                clock: () => now,
                adminChatId: ADMIN_CHAT,
              });
              await svc.tick();
              return ext;
            },
          },
        });
      } finally {
        process.env.REMINDERS = prev;
      }
    }, 120_000);
    afterAll(async () => {
      await h?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('starts, tells the admin chat which file and year, sends the 2026 reminder and answers questions', async () => {
      // the broken file's card and, from 1 December, the missing-2027 notice to the admin chat; the reminder to the group
      await h.api.waitForMessages(3);
      const admin = h.api.messages.find((m) => m.chatId === ADMIN_CHAT);
      expect(admin, 'a card in the admin chat').toBeDefined();
      expect(cardText(admin!.content)).toContain('cn-2027.yaml');
      expect(cardText(admin!.content)).toContain('2027 年');
      const reminder = h.api.messages.find((m) => m.chatId === GROUP);
      expect(cardText(reminder!.content)).toContain('收缴党费');

      const res = await deliverWebhook(h.eventUrl, buildMessageEvent({ chatId: GROUP, text: '海西州吸引了多少名大学生到村任职？', mentionBot: true }));
      expect(res.status).toBe(200);
      const all = await h.api.waitForMessages(4);
      expect(cardText(all.find((m) => m.kind === 'reply')!.content)).toContain('467');
    });
  });
});

const canMountReadOnly = spawnSync('unshare', ['-rm', 'true']).status === 0;

describe('a read-only var/', () => {
  it.skipIf(!canMountReadOnly)('npm start exits with code 2 and a clear Chinese/English message, no stack trace', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-rovar-'));
    const varDir = path.join(dir, 'var');
    fs.mkdirSync(varDir);
    try {
      const env: NodeJS.ProcessEnv = {};
      for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('LARK_') && !k.startsWith('LLM_') && !k.startsWith('DJ_')) env[k] = v;
      Object.assign(env, {
        LARK_APP_ID: STANDIN_APP_ID,
        LARK_APP_SECRET: STANDIN_APP_SECRET,
        LARK_DOMAIN: 'http://127.0.0.1:9',
        LARK_MODE: 'webhook',
        LARK_ENCRYPT_KEY: STANDIN_ENCRYPT_KEY,
        LARK_VERIFICATION_TOKEN: STANDIN_VERIFICATION_TOKEN,
        LARK_WEBHOOK_HOST: '127.0.0.1',
        LARK_WEBHOOK_PORT: '0',
        LARK_BOT_OPEN_ID: 'ou_bot',
        LARK_STATE_DB: path.join(varDir, 'lark.db'),
        REMINDERS_DB: path.join(varDir, 'reminders.sqlite'),
        DJ_INDEX_DIR: path.join(varDir, 'index'),
        REMINDERS: 'off',
        LOG_LEVEL: 'error',
      });
      // a private mount namespace where var/ is a read-only bind mount (EROFS even for root)
      const script = `mount --bind "${varDir}" "${varDir}" && mount -o remount,bind,ro "${varDir}" && exec "${process.execPath}" --import tsx src/main.ts`;
      const r = spawnSync('unshare', ['-rm', 'sh', '-c', script], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain('无法写入');
      expect(r.stderr).toContain('Cannot write');
      expect(r.stderr).toContain(varDir);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('bounds on every number in the configuration', () => {
  it('refuses an LLM timeout above 2^31 − 1 ms (Node would fire such a timer at once)', () => {
    const env = { LLM_BASE_URL: 'http://127.0.0.1:1/v1', LLM_MODEL: 'm' };
    expect(loadCoreConfig({ ...env, LLM_TIMEOUT_MS: String(2 ** 31 - 1) }).llm?.timeoutMs).toBe(2 ** 31 - 1);
    expect(() => loadCoreConfig({ ...env, LLM_TIMEOUT_MS: String(2 ** 31) })).toThrow(/LLM_TIMEOUT_MS: must be at most 2147483647/);
    expect(() => loadCoreConfig({ ...env, LLM_TIMEOUT_MS: '0' })).toThrow(/LLM_TIMEOUT_MS: must be at least 1/);
    expect(() => loadCoreConfig({ ...env, LLM_TIMEOUT_MS: '1.5' })).toThrow(/LLM_TIMEOUT_MS/);
  });

  it('every numeric core variable has an upper bound', () => {
    for (const [name, big] of [
      ['LLM_TIMEOUT_MS', '1e12'],
      ['LLM_MAX_RETRIES', '1000'],
      ['EMBEDDING_BATCH_SIZE', '100000'],
      ['EMBEDDING_DIMENSIONS', '1000000'],
    ] as const) {
      expect(CoreEnvSchema.safeParse({ [name]: big }).success, name).toBe(false);
    }
  });

  it('chat numbers have bounds too', () => {
    const base = { LARK_APP_ID: 'cli_a1b2c3d4e5f60718', LARK_APP_SECRET: 's' };
    expect(() => loadChatConfig({ ...base, LARK_HISTORY_TURNS: '1000' })).toThrow(/LARK_HISTORY_TURNS: must be at most 20/);
    expect(() => loadChatConfig({ ...base, LARK_WEBHOOK_PORT: '70000' })).toThrow(/LARK_WEBHOOK_PORT/);
    expect(() => loadChatConfig({ ...base, LARK_ADMIN_CHAT_ID: 'admins' })).toThrow(/LARK_ADMIN_CHAT_ID: must look like oc_xxx/);
  });
});
