import { beforeAll, describe, expect, it } from 'vitest';
import { chunkDocument, type Chunk } from '../../src/ingest/chunk.js';
import { readCorpus, type SourceDoc } from '../../src/ingest/corpus.js';
import { allSections } from '../../src/ingest/tree.js';
import type { SectionInfo } from '../../src/types.js';

let docs: SourceDoc[];
beforeAll(async () => {
  docs = (await readCorpus('data/corpus')).docs;
});

const sectionsOf = (d: SourceDoc): SectionInfo[] => allSections(d.tree.root).map((s) => s.info);

describe('the five print-extracted reports as document trees', () => {
  it('reads all five with the newspaper reader', () => {
    expect(docs.map((d) => d.format)).toEqual(['newspaper', 'newspaper', 'newspaper', 'newspaper', 'newspaper']);
  });

  it('never lets a chunk cross a section: a chunk lies inside its section and overlaps none of its subsections or other sections', () => {
    for (const d of docs) {
      const sections = sectionsOf(d);
      const byId = new Map(sections.map((s) => [s.id, s]));
      const ancestors = (id: string): Set<string> => {
        const out = new Set<string>();
        for (let s = byId.get(id); s; s = s.parentId ? byId.get(s.parentId) : undefined) out.add(s.id);
        return out;
      };
      for (const c of chunkDocument(d) as Chunk[]) {
        const own = byId.get(c.sectionId)!;
        expect(own, c.id).toBeDefined();
        expect(c.start >= own.start && c.end <= own.end, `${c.id} inside ${own.id}`).toBe(true);
        const line = ancestors(c.sectionId);
        const crossed = sections.filter((s) => !line.has(s.id) && s.start < c.end && c.start < s.end && s.end > s.start);
        expect(crossed.map((s) => s.id), c.id).toEqual([]);
        expect(c.section).toBe(own.path.join(' > '));
      }
    }
  });

  it('makes the six “把握好…的关系” paragraphs of 003 six sibling lead sections', () => {
    const d = docs.find((x) => x.source.startsWith('003'))!;
    const leads = sectionsOf(d).filter((s) => s.role === 'lead' && s.heading.startsWith('把握好'));
    expect(leads.map((s) => s.heading)).toEqual([
      '把握好引领与协同的关系',
      '把握好培养与引进的关系',
      '把握好个体与团队的关系',
      '把握好高端与实用的关系',
      '把握好管理与服务的关系',
      '把握好物质与精神的关系',
    ]);
    expect(new Set(leads.map((s) => s.parentId)).size).toBe(1);
    const parent = sectionsOf(d).find((s) => s.id === leads[0]!.parentId)!;
    expect(parent.path.join(' > ')).toContain('做好新时代人才工作需把握好“六种关系”');
  });

  it('keeps the document title out of the section paths and the bold lead phrases of 000 as lead sections', () => {
    const d = docs.find((x) => x.source.startsWith('000'))!;
    const sections = sectionsOf(d);
    expect(sections[0]).toMatchObject({ role: 'document', heading: d.title, path: [] });
    expect(sections.some((s) => s.role === 'lead' && s.heading === '铸魂赋能，以知促行“添动力”')).toBe(true);
    expect(sections.every((s) => !s.path.includes('踔厉奋发启新程 赓续前行谱新篇'))).toBe(true);
  });
});
