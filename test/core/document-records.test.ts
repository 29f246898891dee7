import { describe, expect, it } from 'vitest';
import { assistantOn } from './support.js';

// two notices whose records interleave nothing: each has chunks and measures (一、… headings with 各支部 duties)
const A =
  '关于开展党员冬训的通知\n\n一、冬训安排\n\n全县党员冬训于12月1日开始，为期20天，参训党员共计860名。\n\n二、工作要求\n\n各支部于12月25日前报送冬训总结，组织委员负责汇总。\n';
const B = '关于报送党费收缴情况的通知\n\n一、报送内容\n\n各支部于12月10日前报送党费收缴情况，全县共有党支部132个。\n\n二、时间安排\n\n1月15日前召开组织生活会。\n';

const on = assistantOn({ 'winter.txt': A, 'dues.txt': B });

describe('the records of one document (an indexed look-up used by tasks-from and the document library)', () => {
  it('are exactly the records a scan of the whole index finds for it, in index order', () => {
    const index = on.assistant.index;
    for (const doc of index.documents()) {
      const looked = index.documentRecords(doc.source).map((r) => r.id);
      expect(looked.length).toBeGreaterThan(0);
      expect(looked).toEqual(index.records.filter((r) => r.source === doc.source).map((r) => r.id));
    }
  });

  it('hold no record of another document', () => {
    const index = on.assistant.index;
    expect(index.documentRecords('winter.txt').every((r) => r.source === 'winter.txt')).toBe(true);
    expect(index.documentRecords('missing.txt')).toEqual([]);
  });
});
