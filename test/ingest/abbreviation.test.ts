import { describe, expect, it } from 'vitest';
import { findFullForm, isShortFormOf } from '../../src/ingest/abbreviation.js';

describe('Chinese short forms (简称)', () => {
  it('recognises a short form kept in order from its full form', () => {
    expect(isShortFormOf('村支书', '村党支部书记')).toBe(true);
    expect(isShortFormOf('大通县', '大通回族土族自治县')).toBe(true);
    expect(isShortFormOf('远程教育站点', '远程教育终端站点')).toBe(true);
  });

  it('does not take a different thing for a short form', () => {
    // the last character must end the full form: 村支书 is not 村党支部
    expect(isShortFormOf('村支书', '村党支部')).toBe(false);
    // two characters are too short to tell (党费 is not 党员交费)
    expect(isShortFormOf('党费', '党员交费')).toBe(false);
    // more than three times longer is another phrase
    expect(isShortFormOf('大通县', '大通回族土族蒙古族自治县')).toBe(false);
  });

  it('finds a full form in running text, never across punctuation', () => {
    const text = '大通回族土族自治县开展专题大调研，梳理汇总22条问题。';
    expect(findFullForm('大通县', text)).toEqual({ start: 0, end: 9 });
    // 检查组 in a 通知 that says 检查，组织: the comma ends the name
    expect(findFullForm('检查组', '开展专项检查，组织各支部自查')).toBeUndefined();
    // a table caption holds no full form of a word it does not spell out
    expect(findFullForm('检查组', '表1 在职党员党费交纳比例')).toBeUndefined();
  });
});
