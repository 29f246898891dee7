import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAssistant, type KnowledgeAssistant } from '../../src/assistant.js';
import { config, tempCorpus } from './support.js';

// two different documents whose file names differ only by extension, and one with a name of its own
const TXT = '关于开展党员冬训的通知\n\n一、冬训安排\n\n全县党员冬训于12月1日开始，为期20天，参训党员共计860名。\n';
const MD = '# 关于报送党费收缴情况的通知\n\n## 一、报送内容\n\n各支部于12月10日前报送党费收缴情况，全县共有党支部132个。\n';
const OTHER = '关于组织生活会的通知\n\n一、会议安排\n\n各支部于1月15日前召开组织生活会，参会党员不少于总数的90%。\n';

let a: KnowledgeAssistant;
let cleanup = () => {};
beforeAll(async () => {
  const t = tempCorpus({ 'notice.txt': TXT, 'notice.md': MD, 'other.txt': OTHER });
  cleanup = t.cleanup;
  a = await openAssistant({ config: config({}, t) });
});
afterAll(() => {
  a.index.close();
  cleanup();
});

describe('documents whose file names differ only by extension', () => {
  it('keep distinct record and section ids', () => {
    const txt = a.index.documentRecords('notice.txt');
    const md = a.index.documentRecords('notice.md');
    expect(txt.length).toBeGreaterThan(0);
    expect(md.length).toBeGreaterThan(0);
    const ids = [...txt, ...md].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const sections = a.index.documents().flatMap((d) => d.sections.map((s) => s.id));
    expect(new Set(sections).size).toBe(sections.length);
  });

  it('are each answered and cited from their own text', async () => {
    const fromMd = await a.ask('全县共有党支部多少个？');
    expect(fromMd.answer).toContain('132');
    expect(fromMd.citations.map((c) => c.source)).toContain('notice.md');
    const fromTxt = await a.ask('参训党员共计多少名？');
    expect(fromTxt.answer).toContain('860');
    expect(fromTxt.citations.map((c) => c.source)).toContain('notice.txt');
  });

  it('resolve an id written without the extension only when one file has that stem', () => {
    expect(a.index.record('other#c0')?.source).toBe('other.txt');
    expect(a.index.record('notice#c0')).toBeUndefined();
  });
});
