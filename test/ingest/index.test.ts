import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KnowledgeIndex } from '../../src/retrieval/knowledge-index.js';
import { config, tempData } from '../core/support.js';

let tmp: ReturnType<typeof tempData> | undefined;
afterEach(() => {
  tmp?.cleanup();
  tmp = undefined;
});

const POLICY = `某某县党员教育管理办法（虚构）
第一章 总则
第一条 为加强党员教育管理，制定本办法。
第二章 党员管理
第十八条 党员应当按月交纳党费。党员连续六个月不交纳党费的，按照有关规定处理。
第十九条 党支部应当建立党员档案。
`;

/** A pid that is certainly not running: a child process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

describe('KnowledgeIndex with document trees', () => {
  it('persists the documents with their sections and answers section lookups after a reload', async () => {
    tmp = tempData();
    fs.writeFileSync(path.join(tmp.dataDir, 'corpus', 'banfa.txt'), POLICY);
    const cfg = config({}, tmp);
    await KnowledgeIndex.open(cfg);
    expect(fs.existsSync(path.join(tmp.indexDir, 'documents.json'))).toBe(true);
    const { index, report } = await KnowledgeIndex.open(cfg);
    expect(report).toBeUndefined(); // loaded, not rebuilt
    const doc = index.document('banfa.txt')!;
    expect(doc).toMatchObject({ title: '某某县党员教育管理办法（虚构）', format: 'official' });
    const chapter = doc.sections.find((s) => s.number === '第二章')!;
    expect(index.section(chapter.id)).toEqual(chapter);
    expect(index.childSections(chapter.id).map((s) => s.number)).toEqual(['第十八条', '第十九条']);
    expect(index.recordsInSection(chapter.id)).toEqual([]);
    const deep = index.recordsInSection(chapter.id, { deep: true, type: 'chunk' });
    expect(deep.map((r) => r.article)).toEqual(['第十八条', '第十九条']);
    expect(deep[0]).toMatchObject({ unit: 'article', sectionPath: ['第二章 党员管理', '第十八条'], section: '第二章 党员管理 > 第十八条' });
    // the newspaper reports keep their trees too
    const r003 = index.documents().find((d) => d.source.startsWith('003'))!;
    const leads = r003.sections.filter((s) => s.role === 'lead' && s.heading.startsWith('把握好'));
    expect(index.childSections(leads[0]!.parentId!).filter((s) => s.role === 'lead')).toHaveLength(6);
  });

  it('rebuilds when manifest.json is truncated or records.json is damaged', async () => {
    tmp = tempData();
    const cfg = config({}, tmp);
    await KnowledgeIndex.open(cfg);
    const manifest = path.join(tmp.indexDir, 'manifest.json');
    fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').slice(0, 40));
    const again = await KnowledgeIndex.open(cfg);
    expect(again.report?.documents).toBe(5);
    fs.writeFileSync(path.join(tmp.indexDir, 'records.json'), '[{"id":');
    const third = await KnowledgeIndex.open(cfg);
    expect(third.report?.documents).toBe(5);
    expect(third.index.records.length).toBeGreaterThan(100);
  });

  it('takes over the lock of a killed build and removes its temporary folder', async () => {
    tmp = tempData();
    const cfg = config({}, tmp);
    const dead = deadPid();
    fs.mkdirSync(path.dirname(tmp.indexDir), { recursive: true });
    fs.writeFileSync(`${tmp.indexDir}.lock`, String(dead));
    fs.mkdirSync(`${tmp.indexDir}.tmp-${dead}`);
    const report = await KnowledgeIndex.build(cfg);
    expect(report.documents).toBe(5);
    expect(fs.existsSync(`${tmp.indexDir}.lock`)).toBe(false);
    expect(fs.existsSync(`${tmp.indexDir}.tmp-${dead}`)).toBe(false);
  });

  it('runs one build at a time: two concurrent opens build once and agree', async () => {
    tmp = tempData();
    const cfg = config({}, tmp);
    const [a, b] = await Promise.all([KnowledgeIndex.open(cfg), KnowledgeIndex.open(cfg)]);
    expect([a.report, b.report].filter(Boolean)).toHaveLength(1);
    expect(a.index.records.length).toBe(b.index.records.length);
  });

  it('reports an unreadable document in IngestReport.problems and indexes the rest', async () => {
    tmp = tempData();
    fs.writeFileSync(path.join(tmp.dataDir, 'corpus', 'broken.docx'), 'not a word file');
    const report = await KnowledgeIndex.build(config({}, tmp));
    expect(report.documents).toBe(5);
    expect(report.problems).toEqual([{ source: 'broken.docx', reason: expect.stringContaining('损坏') }]);
  });
});
