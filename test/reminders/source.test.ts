import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setLogLevel } from '../../src/log.js';
import type { Checklist } from '../../src/reminders/checklist.js';
import { ChecklistSource, type BrokenFile } from '../../src/reminders/source.js';
import { checklistYaml, tempDir } from './support.js';

setLogLevel('silent');
const item = (day: number) => `  - { id: dues, title: 收党费, assignees: [{ open_id: ou_a, name: A }], recurrence: { every: monthly, day: ${day} } }`;

describe('ChecklistSource', () => {
  it('keeps the previous version of a file whose edit is broken, reports each mistake once, drops a deleted file', () => {
    const t = tempDir({ 'a.yaml': checklistYaml(item(10)), 'b.yaml': checklistYaml(item(5)).replace('oc_test_group', 'oc_other') });
    const broken: BrokenFile[] = [];
    let changes = 0;
    const src = new ChecklistSource({ dir: t.dir, onBroken: (b) => broken.push(b), onChange: () => changes++ });
    try {
      src.reload();
      const day = (c: Checklist | undefined) => (c?.items[0].recurrence as { day: number } | undefined)?.day;
      expect(src.checklists.map((c) => c.id)).toEqual(['a', 'b']);
      // a broken edit of a.yaml: the previous version stays, the mistake is reported with its position, in Chinese
      writeFileSync(join(t.dir, 'a.yaml'), checklistYaml(item(40)));
      src.reload();
      expect(day(src.checklists.find((c) => c.id === 'a'))).toBe(10);
      expect(broken).toHaveLength(1);
      expect(broken[0]).toMatchObject({ kept: true, problems: [{ line: 7, reason: expect.stringMatching(/^items\.0\.recurrence\.day: 日期 day 应为 1–31/) }] });
      // the same mistake saved again is not reported again; a fix applies
      src.reload();
      expect(broken).toHaveLength(1);
      writeFileSync(join(t.dir, 'a.yaml'), checklistYaml(item(12)));
      src.reload();
      expect(day(src.checklists.find((c) => c.id === 'a'))).toBe(12);
      // a new file that never loaded is not in force, and says so
      writeFileSync(join(t.dir, 'c.yaml'), 'name: [');
      src.reload();
      expect(src.checklists.map((c) => c.id)).toEqual(['a', 'b']);
      expect(broken.at(-1)).toMatchObject({ kept: false, problems: [{ reason: expect.stringMatching(/^YAML 语法：/) }] });
      rmSync(join(t.dir, 'b.yaml'));
      src.reload();
      expect(src.checklists.map((c) => c.id)).toEqual(['a']);
      expect(changes).toBe(3);
    } finally {
      t.cleanup();
    }
  });
});
