import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const run = (...args: string[]) =>
  execFileSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' } });

describe('CLI', () => {
  it('remind --dry-run --json --at prints exactly what would be sent, without a database', () => {
    const out = run('remind', '--dry-run', '--json', '--at', '2026-12-15T09:00', '--checklists', 'data/checklists');
    const json = JSON.parse(out);
    expect(Object.keys(json)).toEqual(['at', 'reminders', 'digests']);
    expect(json.digests).toEqual([]);
    expect(json.at).toBe('2026-12-15T09:00+08:00');
    expect(json.reminders).toHaveLength(1);
    expect(Object.keys(json.reminders[0])).toEqual(['chat_id', 'checklists']);
    expect(Object.keys(json.reminders[0].checklists[0])).toEqual(['checklist', 'title', 'items', 'escalations']);
    expect(json.reminders[0].checklists[0].items.map((i: { id: string; due: string }) => `${i.id} ${i.due}`)).toEqual([
      'committee-meeting 2026-12-15',
      'group-meeting 2026-12-18',
      'members-meeting 2026-12-18',
    ]);
    expect(Object.keys(json.reminders[0].checklists[0].items[0])).toEqual(['id', 'title', 'due', 'assignees']);
  });

  it('remind --dry-run shows the weekly digest (周报) due at its minute (Friday 16:30 in the example)', () => {
    const json = JSON.parse(run('remind', '--dry-run', '--json', '--at', '2026-12-04T16:30', '--checklists', 'data/checklists'));
    expect(json.digests).toEqual([{ chat_id: 'oc_example0000000000000000000001', checklist: 'example-branch', title: '示例第一党支部' }]);
    expect(JSON.parse(run('remind', '--dry-run', '--json', '--at', '2026-12-04T16:31', '--checklists', 'data/checklists')).digests).toEqual([]);
  });

  it('tasks --json lists items with their state', () => {
    const json = JSON.parse(run('tasks', '--json', '--at', '2026-12-21T12:00', '--db', '/nonexistent/reminders.sqlite'));
    expect(json.tasks.find((t: { id: string }) => t.id === 'org-life-meeting')).toMatchObject({ state: 'open', due: '2026-12-22' });
  });
});
