import { describe, expect, it } from 'vitest';
import { loadCalendar } from '../../src/reminders/calendar.js';
import { loadChecklists, parseChecklist, type Checklist } from '../../src/reminders/checklist.js';
import { dryRun, parseAt } from '../../src/reminders/plan.js';
import { eventsBetween, localInstant } from '../../src/reminders/schedule.js';
import { checklistYaml } from './support.js';

const cal = loadCalendar('data/calendar');

function one(items: string): Checklist {
  const r = parseChecklist('t.yaml', checklistYaml(items), () => undefined);
  expect(r.problems).toEqual([]);
  return r.checklist!;
}

const fires = (c: Checklist, from: string, to: string) =>
  eventsBetween([c], cal, localInstant(from, '00:00'), localInstant(to, '23:59'))
    .events.filter((e) => e.kind === 'reminder')
    .map((e) => `${new Date(e.fireAt).toISOString()} ${e.key}`);

describe('scheduling in Asia/Shanghai with the working-day calendar', () => {
  it('moves a reminder off a public holiday to the previous working day', () => {
    // Due Thu 2026-10-08; "1 day before" is 10-07 (国庆节) → Wed 09-30 09:00 (+08:00).
    const c = one(`  - { id: report, title: 报送材料, assignees: [{ open_id: ou_a, name: A }], due: 2026-10-08, reminders: [{ days_before: 1, at: '09:00' }] }`);
    expect(fires(c, '2026-09-25', '2026-10-09')).toEqual(['2026-09-30T01:00:00.000Z t|report|2026-10-08|d1@09:00']);
  });

  it('moves a deadline on a holiday to the previous working day (and its reminders with it)', () => {
    const c = one(`  - { id: meet, title: 开会, assignees: [{ open_id: ou_a, name: A }], due: 2026-10-05, reminders: [{ days_before: 0, at: '09:00' }] }`);
    expect(fires(c, '2026-09-25', '2026-10-09')).toEqual(['2026-09-30T01:00:00.000Z t|meet|2026-10-05|d0@09:00']);
  });

  it('counts an adjusted working weekend (调休) as a working day', () => {
    // Due Mon 2026-10-12; 2 days before is Sat 10-10, a 调休 working day: the reminder stays there.
    const c = one(`  - { id: dues, title: 收党费, assignees: [{ open_id: ou_a, name: A }], due: 2026-10-12, reminders: [{ days_before: 2, at: '09:30' }] }`);
    expect(fires(c, '2026-10-01', '2026-10-13')).toEqual(['2026-10-10T01:30:00.000Z t|dues|2026-10-12|d2@09:30']);
    // A deadline on Sat 2026-02-14 (调休上班) is not moved.
    const d = one(`  - { id: x, title: X, assignees: [{ open_id: ou_a, name: A }], due: 2026-02-14, reminders: [{ days_before: 0, at: '09:00' }] }`);
    expect(fires(d, '2026-02-10', '2026-02-20')).toEqual(['2026-02-14T01:00:00.000Z t|x|2026-02-14|d0@09:00']);
  });

  it('evaluates monthly, quarterly, yearly and RRULE recurrences', () => {
    const c = one(`  - { id: m, title: M, assignees: [{ open_id: ou_a, name: A }], recurrence: { every: monthly, day: 31 }, reminders: [{ days_before: 0, at: '09:00' }] }
  - { id: q, title: Q, assignees: [{ open_id: ou_a, name: A }], recurrence: { every: quarterly, month: 3, day: 18 }, reminders: [{ days_before: 0, at: '09:00' }] }
  - { id: r, title: R, assignees: [{ open_id: ou_a, name: A }], recurrence: { rrule: 'FREQ=MONTHLY;BYDAY=FR;BYSETPOS=1' }, starts: 2026-01-01, reminders: [{ days_before: 0, at: '09:00' }] }`);
    const keys = fires(c, '2026-11-01', '2026-12-31').map((s) => s.split(' ')[1]);
    // 11-30 is a Monday; 12-31 Thursday; first Fridays 11-06 and 12-04; quarterly 12-18.
    expect(keys).toEqual(['t|r|2026-11-06|d0@09:00', 't|m|2026-11-30|d0@09:00', 't|r|2026-12-04|d0@09:00', 't|q|2026-12-18|d0@09:00', 't|m|2026-12-31|d0@09:00']);
  });

  it('remind --dry-run shape for the shipped example at 2026-12-01T09:00', () => {
    const { checklists, problems } = loadChecklists('data/checklists');
    expect(problems).toEqual([]);
    const { result } = dryRun(checklists, cal, parseAt('2026-12-01T09:00'));
    expect(result).toEqual({
      at: '2026-12-01T09:00+08:00',
      digests: [],
      reminders: [
        {
          chat_id: 'oc_example0000000000000000000001',
          checklists: [
            {
              checklist: 'example-branch',
              title: checklists.find((c) => c.id === 'example-branch')!.name,
              items: [{ id: 'theme-day', title: '主题党日', due: '2026-12-04', assignees: [{ open_id: 'ou_example000000000000000000001', name: '王书记（示例）' }] }],
              escalations: [],
            },
          ],
        },
      ],
    });
    expect(dryRun(checklists, cal, parseAt('2026-12-01T09:01')).result.reminders).toEqual([]);
  });

  it('the dry run lists escalations: alone at their time, or in the morning card of the same day', () => {
    const { checklists } = loadChecklists('data/checklists');
    const owner = { open_id: 'ou_example000000000000000000001', name: '王书记（示例）' };
    // 主题党日 was due Fri 12-04; its escalation is on the 2nd working day after, Tue 12-08 10:00, a day without reminders
    expect(dryRun(checklists, cal, parseAt('2026-12-08T09:00')).result.reminders).toEqual([]);
    const alone = dryRun(checklists, cal, parseAt('2026-12-08T10:00')).result.reminders;
    expect(alone).toHaveLength(1);
    expect(alone[0].checklists[0].items).toEqual([]);
    expect(alone[0].checklists[0].escalations).toMatchObject([{ id: 'theme-day', due: '2026-12-04', owner }]);
    // 党费 was due Thu 12-10, escalated Mon 12-14 10:00: it joins that day's 09:00 reminder card (委员会会议, due 12-15)
    const merged = dryRun(checklists, cal, parseAt('2026-12-14T09:00')).result.reminders;
    expect(merged).toHaveLength(1);
    expect(merged[0].checklists[0].items.map((i) => i.id)).toEqual(['committee-meeting']);
    expect(merged[0].checklists[0].escalations.map((i) => i.id)).toEqual(['party-dues']);
    expect(dryRun(checklists, cal, parseAt('2026-12-14T10:00')).result.reminders).toEqual([]);
  });
});

describe('task view', () => {
  it('lists recent and next occurrences with their state; a missing year hides only what it affects', async () => {
    const { listTasks } = await import('../../src/reminders/service.js');
    const { checklists } = loadChecklists('data/checklists');
    const tasks = (await listTasks(checklists, cal, undefined, parseAt('2026-12-21T12:00')));
    const theme = tasks.filter((t) => t.id === 'theme-day');
    // 12-04 is overdue; the next one (first Friday of 2027 = 01-01) cannot be judged without 2027 data.
    expect(theme.map((t) => [t.due, t.state])).toEqual([
      ['2026-11-06', 'overdue'],
      ['2026-12-04', 'overdue'],
    ]);
    expect(tasks.find((t) => t.id === 'org-life-meeting')).toMatchObject({ due: '2026-12-22', state: 'open', chat_id: 'oc_example0000000000000000000001' });
    expect(tasks.find((t) => t.id === 'group-meeting' && t.occurrence === '2026-12-20')).toMatchObject({ due: '2026-12-18', state: 'overdue' });
  });
});
