import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

  it('remind --dry-run warns once per year without calendar data, naming its file and the items it holds back', () => {
    const calendar = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-cal-'));
    try {
      fs.copyFileSync('data/calendar/cn-2026.yaml', path.join(calendar, 'cn-2026.yaml')); // 2027 has no file
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'remind', '--dry-run', '--at', '2026-12-31T09:00', '--checklists', 'data/checklists', '--calendar', calendar], {
        encoding: 'utf8',
        env: { ...process.env, LOG_LEVEL: 'silent' },
      });
      const warnings = r.stderr.split('\n').filter((l) => l.startsWith('警告'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`工作日历缺少 2027 年数据：没有 cn-2027.yaml。请在 ${path.join(calendar, 'cn-2027.yaml')} 中`);
      expect(r.stderr).toContain('example-branch/theme-day、example-branch/party-dues');
      expect(r.stdout).toContain('报送年度党建重点任务');
    } finally {
      fs.rmSync(calendar, { recursive: true, force: true });
    }
  });

  it('remind reads the checklists and calendar of DJ_DATA_DIR, not ./data', () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-data-'));
    try {
      fs.cpSync('data/calendar', path.join(data, 'calendar'), { recursive: true });
      fs.mkdirSync(path.join(data, 'checklists'));
      fs.writeFileSync(
        path.join(data, 'checklists', 'other.yaml'),
        'name: 另一个支部\nchat_id: oc_other\nowner: { open_id: ou_other, name: 孙书记 }\ndigest: false\nitems:\n  - { id: report, title: 报送材料, assignees: [{ open_id: ou_other, name: 孙书记 }], due: 2026-12-15, reminders: [{ days_before: 0, at: "09:00" }] }\n',
      );
      const env = { ...process.env, LOG_LEVEL: 'silent', DJ_DATA_DIR: data };
      const cli = (...args: string[]) => execFileSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { encoding: 'utf8', env });
      const out = cli('remind', '--dry-run', '--at', '2026-12-15T09:00');
      expect(out).toContain('→ oc_other');
      expect(out).toContain('@孙书记');
      expect(out).not.toContain('oc_example');
    } finally {
      fs.rmSync(data, { recursive: true, force: true });
    }
  });

  it('tasks --json lists items with their state', () => {
    const json = JSON.parse(run('tasks', '--json', '--at', '2026-12-21T12:00', '--db', '/nonexistent/reminders.sqlite'));
    expect(json.tasks.find((t: { id: string }) => t.id === 'org-life-meeting')).toMatchObject({ state: 'open', due: '2026-12-22' });
  });
});
