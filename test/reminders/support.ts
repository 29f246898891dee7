import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LarkMessenger } from '../../src/lark/messenger.js';
import { OpenApiStandin, standinClient } from '../support/openapi-standin.js';


/** Starts the stand-in and an SDK-backed messenger on it. */
export async function startApi(): Promise<{ api: OpenApiStandin; messenger: LarkMessenger }> {
  const api = await OpenApiStandin.start();
  const client = standinClient(api);
  // the product's messenger, without retries so that a failure reaches the reminder service at once
  return { api, messenger: new LarkMessenger(client, { retry: { retries: 0 } }) };
}

/** A temporary directory with `files` (relative path → text); `cleanup()` removes it. */
export function tempDir(files: Record<string, string> = {}): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'reminders-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A controllable clock: `clock.now` is epoch ms, `clock.set('2026-12-01T09:00')` sets Asia/Shanghai wall time. */
export { localInstant } from '../../src/reminders/schedule.js';

export const CHAT = 'oc_test_group';
export const OWNER = { open_id: 'ou_owner', name: '王书记' };
export const ALICE = { open_id: 'ou_alice', name: '李组织委员' };

/** A checklist YAML for the service tests (no template, no digest unless asked). */
export function checklistYaml(items: string, extra = 'digest: false'): string {
  return `name: 测试支部
chat_id: ${CHAT}
owner: { open_id: ${OWNER.open_id}, name: ${OWNER.name}, chat_id: oc_owner_p2p }
quiet_hours: { start: '21:30', end: '08:00' }
${extra}
items:
${items}`;
}
