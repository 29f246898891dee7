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
    expect(fs.existsSync(path.join(tmp.indexDir, 'index.sqlite'))).toBe(true);
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

  it('rebuilds when the index database or a derived file is damaged', async () => {
    tmp = tempData();
    const cfg = config({}, tmp);
    (await KnowledgeIndex.open(cfg)).index.close();
    const db = path.join(tmp.indexDir, 'index.sqlite');
    fs.writeFileSync(db, 'not a database at all, just text that SQLite will refuse'.repeat(100));
    for (const f of ['index.sqlite-wal', 'index.sqlite-shm']) fs.rmSync(path.join(tmp.indexDir, f), { force: true });
    const again = await KnowledgeIndex.open(cfg);
    expect(again.report?.documents).toBe(5);
    expect(again.index.records.length).toBeGreaterThan(100);
    again.index.close();
    // damaged derived files (BM25 postings, vector index) are derived again from the database when read
    fs.writeFileSync(path.join(tmp.indexDir, 'postings.bin'), 'xx');
    fs.writeFileSync(path.join(tmp.indexDir, 'vectors.sparse'), 'xx');
    const third = await KnowledgeIndex.open(cfg);
    expect(third.report).toBeUndefined();
    const top = third.index.bm25.search(new Map([['民主', 1], ['议事', 1]]), 3);
    expect(third.index.recordAt(top[0]!.label)!.text).toContain('民主议事');
    const qv = await third.index.embeddings.embedQuery('民主议事平台');
    expect(third.index.recordAt(third.index.store.search(qv, 1)[0]!.label)!.text).toContain('议事');
    third.index.close();
    expect(fs.statSync(path.join(tmp.indexDir, 'postings.bin')).size).toBeGreaterThan(1000);
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
