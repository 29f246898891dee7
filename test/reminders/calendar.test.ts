import { describe, expect, it } from 'vitest';
import { CalendarMissingError, loadCalendar } from '../../src/reminders/calendar.js';
import { loadChecklists } from '../../src/reminders/checklist.js';
import { dryRun, parseAt } from '../../src/reminders/plan.js';

const cal = loadCalendar('data/calendar');

describe('working-day calendar (data/calendar)', () => {
  it('knows the 2026 holidays and the 调休 working weekends', () => {
    expect(cal.isWorkday('2026-10-01')).toBe(false); // 国庆节
    expect(cal.isWorkday('2026-10-07')).toBe(false);
    expect(cal.isWorkday('2026-10-10')).toBe(true); // 周六，调休上班
    expect(cal.isWorkday('2026-02-14')).toBe(true); // 周六，调休上班
    expect(cal.isWorkday('2026-02-23')).toBe(false); // 周一，春节
    expect(cal.isWorkday('2026-12-19')).toBe(false); // ordinary Saturday
    expect(cal.isWorkday('2026-12-21')).toBe(true);
    expect(cal.holidayName('2026-02-17')).toBe('春节');
    expect(cal.onOrBeforeWorkday('2026-10-05')).toBe('2026-09-30');
    expect(cal.onOrBeforeWorkday('2026-02-15')).toBe('2026-02-14');
    expect(cal.addWorkdays('2026-09-30', 1)).toBe('2026-10-08');
  });

  it('fails loudly for a year without published data instead of guessing', () => {
    expect(() => cal.isWorkday('2027-01-01')).toThrow(CalendarMissingError);
    expect(() => cal.isWorkday('2027-01-01')).toThrow(/2027/);
    expect(() => cal.isWorkday('2031-06-02')).toThrow(/没有 cn-2031\.yaml/);
    expect(() => cal.onOrBeforeWorkday('2027-03-06')).toThrow(CalendarMissingError);
    const { checklists } = loadChecklists('data/checklists');
    expect(() => dryRun(checklists, cal, parseAt('2027-03-01T09:00'))).toThrow(CalendarMissingError);
  });
});
