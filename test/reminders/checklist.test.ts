import { describe, expect, it } from 'vitest';
import { loadChecklists } from '../../src/reminders/checklist.js';
import { checklistYaml, tempDir } from './support.js';

const good = checklistYaml(`  - { id: ok, title: 正常事项, assignees: [{ open_id: ou_a, name: A }], due: 2026-12-10 }`);

describe('checklist files', () => {
  it('reports a broken file with file, line and reason while the others load', () => {
    const t = tempDir({
      'a-good.yaml': good,
      'b-syntax.yaml': 'name: 坏文件\nchat_id: oc_x\nitems: [\n  - id: x\n',
      'c-schema.yaml': checklistYaml(
        `  - id: one\n    title: 第一项\n    assignees: [{ open_id: ou_a, name: A }]\n    due: 2026-12-10\n  - id: two\n    title: 第二项\n    assignees: [{ open_id: not-an-open-id, name: B }]\n    due: 2026-12-11\n`,
      ),
      'd-logic.yaml': checklistYaml(`  - { id: both, title: 两者都有, assignees: [{ open_id: ou_a, name: A }], due: 2026-12-10, recurrence: { every: monthly, day: 1 } }`),
      'e-quiet.yaml': checklistYaml(`  - { id: late, title: 太晚, assignees: [{ open_id: ou_a, name: A }], due: 2026-12-10, reminders: [{ days_before: 1, at: '23:00' }] }`).replace('name: 测试支部', 'id: quiet\nname: 测试支部'),
    });
    try {
      const r = loadChecklists(t.dir);
      expect(r.checklists.map((c) => c.id)).toEqual(['a-good']);
      const byFile = (f: string) => r.problems.filter((p) => p.file.endsWith(f));
      expect(byFile('b-syntax.yaml')[0]).toMatchObject({ line: 4, col: 3, reason: expect.stringMatching(/^YAML 语法：/) });
      // The bad open_id is on line 13 of c-schema.yaml (6 header lines + items).
      const schema = byFile('c-schema.yaml');
      expect(schema).toHaveLength(1);
      expect(schema[0]).toMatchObject({ line: 13, reason: expect.stringContaining('items.1.assignees.0.open_id') });
      expect(byFile('d-logic.yaml')[0].reason).toMatch(/due 或 recurrence/);
      expect(byFile('e-quiet.yaml')[0].reason).toMatch(/免打扰/);
    } finally {
      t.cleanup();
    }
  });

  it('explains every mistake in Chinese at its line and column (a quarter month of 12, an unknown form, a typo in a field name)', () => {
    const t = tempDir({
      'q.yaml': checklistYaml(
        `  - id: lecture\n    title: 上党课\n    assignees: [{ open_id: ou_a, name: A }]\n    recurrence: { every: quarterly, month: 12, day: 25 }\n` +
          `  - id: weekly\n    title: 周例会\n    assignees: [{ open_id: ou_a, name: A }]\n    recurrence: { every: weekly, day: 3 }\n` +
          `  - id: typo\n    title: 拼错\n    asignees: [{ open_id: ou_a, name: A }]\n    due: 2026-12-10\n    reminders: [{ days_before: 90 }]\n`,
      ),
    });
    try {
      const ps = loadChecklists(t.dir).problems;
      const at = (path: string) => ps.find((p) => p.reason.startsWith(`${path}:`));
      expect(at('items.0.recurrence.month')).toMatchObject({ line: 10, col: 44 });
      expect(at('items.0.recurrence.month')!.reason).toMatch(/季度中的第几个月应为 1–3/);
      expect(at('items.1.recurrence')).toMatchObject({ line: 14 });
      expect(at('items.1.recurrence')!.reason).toMatch(/every: quarterly/);
      expect(at('items.2')!.reason).toMatch(/不认识的字段：asignees/);
      expect(at('items.2.reminders.0.days_before')!.reason).toMatch(/应不大于 60，现为 90/);
      // no English left from zod
      for (const p of ps) expect(p.reason, p.reason).not.toMatch(/expected|Invalid|Too big|Unrecognized/);
    } finally {
      t.cleanup();
    }
  });

  it('merges a template: roles become assignees, skip and overrides apply, sources are kept', () => {
    const t = tempDir({
      'templates/routine.yaml': `template: routine\nname: 常规\nitems:\n  - { id: dues, title: 收党费, roles: [organizer], recurrence: { every: monthly, day: 10 }, source: 规定 }\n  - { id: meet, title: 开会, roles: [secretary], recurrence: { every: monthly, day: 15 } }\n`,
      'g.yaml': checklistYaml(`  - { id: dues, recurrence: { every: monthly, day: 5 } }`, `template: routine\nskip: [meet]\nroles:\n  organizer: [{ open_id: ou_org, name: 组织委员 }]\ndigest: false`),
      'h.yaml': checklistYaml('  []', `template: routine\nroles: {}\ndigest: false`).replace('items:\n  []', 'items: []'),
    });
    try {
      const r = loadChecklists(t.dir);
      expect(r.checklists).toHaveLength(1);
      const [c] = r.checklists;
      expect(c.items).toHaveLength(1);
      expect(c.items[0]).toMatchObject({ id: 'dues', title: '收党费', source: '规定', recurrence: { every: 'monthly', day: 5 }, assignees: [{ open_id: 'ou_org', name: '组织委员' }] });
      expect(c.items[0].reminders.map((x) => x.days_before)).toEqual([3, 1, 0]);
      // h.yaml uses roles that are not defined → reported at its `roles:` line.
      expect(r.problems.every((p) => p.file.endsWith('h.yaml'))).toBe(true);
      expect(r.problems[0]).toMatchObject({ line: 6, reason: expect.stringContaining('organizer') });
    } finally {
      t.cleanup();
    }
  });

  it('the shipped template and example load cleanly, with every template rule naming its source', () => {
    const r = loadChecklists('data/checklists');
    expect(r.problems).toEqual([]);
    const ex = r.checklists.find((c) => c.id === 'example-branch')!;
    expect(ex.example).toBe(true);
    expect(ex.items.map((i) => i.id)).toContain('members-meeting');
    for (const i of ex.items.filter((x) => x.recurrence)) expect(i.source, i.id).toBeTruthy();
    expect(ex.items.find((i) => i.id === 'key-tasks-report')!.measure).toBe('001_02e902364aa12d71#m3');
  });
});
