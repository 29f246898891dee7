import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkDocument } from '../../src/ingest/chunk.js';
import { readCorpus } from '../../src/ingest/corpus.js';
import { loadCalendar, type WorkCalendar } from '../../src/reminders/calendar.js';
import { findDocument, noticeSentences, tasksFromNotice, TaskDraftSchema, type TaskDraft } from '../../src/reminders/from-notice.js';
import type { DocumentInfo } from '../../src/types.js';

const tmp: string[] = [];
function tempDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tasks-from-'));
  tmp.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
afterAll(() => {
  for (const d of tmp) fs.rmSync(d, { recursive: true, force: true });
});

const cn2026 = fs.readFileSync('data/calendar/cn-2026.yaml', 'utf8');
/** The published 2026 calendar only: 2027 has no data. */
const only2026 = (): WorkCalendar => loadCalendar(tempDir({ 'cn-2026.yaml': cn2026 }));
/** 2026 as published plus a 2027 file with 元旦 on 1–3 January 2027 (enough for the 次年 rule). */
const with2027 = (): WorkCalendar =>
  loadCalendar(
    tempDir({
      'cn-2026.yaml': cn2026,
      'cn-2027.yaml': 'year: 2027\nstatus: published\nsource: test\nholidays:\n  - { name: 元旦, dates: [2027-01-01, 2027-01-02, 2027-01-03] }\n',
    }),
  );

/** A synthetic notice read by the real reader and chunker, as the index would hold it. */
async function draft(body: string, date: string | undefined, cal: WorkCalendar, year?: number): Promise<TaskDraft> {
  const corpus = tempDir({ 'n.md': `# 关于做好有关工作的通知\n\n${body}\n` });
  const { docs } = await readCorpus(corpus);
  const doc = docs[0]!;
  const sentences = noticeSentences(chunkDocument(doc));
  return tasksFromNotice({ document: { source: doc.source, title: doc.title, date }, sentences }, cal, { year });
}

describe('tasks-from: deadline rules on small notices', () => {
  it('年月日前: the printed date, the action clause, who and the section', async () => {
    const d = await draft('一、工作安排\n\n各党支部于2026年6月30日前完成党员信息核查，并报党委备案。', '2026-03-02', only2026());
    expect(d.tasks).toHaveLength(1);
    expect(d.tasks[0]).toMatchObject({ title: '完成党员信息核查', who: '各党支部', due: '2026-06-30', printedDue: '2026年6月30日前', section: '一、工作安排' });
    expect(d.tasks[0]!.sentence).toBe('各党支部于2026年6月30日前完成党员信息核查，并报党委备案。');
    expect(d.tasks[0]!.movedFrom).toBeUndefined();
  });

  it('月日前 is read in the notice’s year, or in --year when the notice has no date', async () => {
    const text = '各单位于4月10日前报送工作总结。';
    expect((await draft(text, '2026-03-02', only2026())).tasks[0]).toMatchObject({ due: '2026-04-10', who: '各单位', title: '报送工作总结' });
    expect((await draft(text, undefined, only2026(), 2026)).tasks[0]!.due).toBe('2026-04-10');
    await expect(draft(text, undefined, only2026())).rejects.toThrow(/--year/);
  });

  it('a month-day before the notice’s own date is the next year, and the draft says so', async () => {
    const d = await draft('各单位于1月8日前报送材料。', '2026-11-20', with2027());
    expect(d.tasks[0]!.due).toBe('2027-01-08');
    expect(d.problems.map((p) => p.message).join()).toMatch(/早于通知日期/);
  });

  it('次年1月8日前 is in the following year, without a problem', async () => {
    const d = await draft('各乡镇党委于次年1月8日前将考核结果报送县委组织部。', '2026-11-20', with2027());
    expect(d.tasks[0]).toMatchObject({ due: '2027-01-08', printedDue: '次年1月8日前', who: '各乡镇党委' });
    expect(d.problems).toEqual([]);
  });

  it('每季度末月25日前 gives the quarterly rule and its next occurrence, moved off a holiday', async () => {
    const d = await draft('各乡镇党委要建立工作台账，每季度末月25日前更新一次台账。', '2026-08-01', only2026());
    const t = d.tasks[0]!;
    expect(t.recurrence?.rule).toEqual({ every: 'quarterly', month: 3, day: 25 });
    expect(t.who).toBe('各乡镇党委'); // carried over from the sentence's first clause
    expect(t.title).toBe('更新一次台账');
    // 2026-09-25 is 中秋节 (a Friday off): the previous working day is Thursday the 24th
    expect(t).toMatchObject({ due: '2026-09-24', movedFrom: '2026-09-25', movedBecause: '中秋节' });
    expect((await draft('各支部每月5日前报送党费收缴情况。', '2026-11-20', only2026())).tasks[0]).toMatchObject({
      recurrence: { rule: { every: 'monthly', day: 5 } },
      due: '2026-12-04', // 2026-12-05 is a Saturday
    });
  });

  it('a Sunday deadline moves to the Friday before', async () => {
    const d = await draft('各乡镇党委于12月20日前召开述职评议大会。', '2026-11-20', only2026());
    expect(d.tasks[0]).toMatchObject({ title: '召开述职评议大会', due: '2026-12-18', movedFrom: '2026-12-20', movedBecause: '星期日' });
  });

  it('a deadline in a year without calendar data is kept as printed and reported for that task', async () => {
    const d = await draft('一、要求\n\n各单位于2026年12月15日前完成自查。各党支部于2027年3月6日前完成整改。', '2026-11-20', only2026());
    expect(d.tasks.map((t) => t.due)).toEqual(['2026-12-15', '2027-03-06']); // 2027-03-06 is a Saturday, not moved
    expect(d.tasks[0]!.problem).toBeUndefined();
    expect(d.tasks[1]!.problem).toMatch(/2027/);
    expect(d.problems).toHaveLength(1);
    expect(d.problems[0]!.sentence).toBe('各党支部于2027年3月6日前完成整改。');
  });

  it('reads a deadline that follows its task, and ignores 前后 and sentences without deadlines', async () => {
    const d = await draft('班子自查须于12月15日前完成。会议于12月20日前后召开。考核实行百分制。', '2026-11-20', only2026());
    expect(d.tasks).toHaveLength(1);
    expect(d.tasks[0]!.title).toBe('完成班子自查');
    expect(d.tasks[0]!.who).toBeUndefined();
  });

  it('每年年底前 is one yearly task; a rate (每人每年) and a quoted name (“每月一题”) are not tasks', async () => {
    const d = await draft('各村每年年底前开展一次评估。每人每年不低于4.8万元。建立“每月一题”工作机制。', '2026-03-02', only2026());
    expect(d.tasks).toHaveLength(1);
    expect(d.tasks[0]).toMatchObject({ printedDue: '每年年底前', recurrence: { rule: { every: 'yearly', month: 12, day: 31 } }, due: '2026-12-31' });
  });

  it('an article number opening the sentence does not hide its subject', async () => {
    const d = await draft('第七条 流出地党组织应当建立流动党员信息台账，每半年更新一次。', '2026-03-02', only2026());
    expect(d.tasks[0]).toMatchObject({ who: '流出地党组织', title: '更新一次', due: '2026-06-30' });
  });

  it('a table row whose cell is only a date takes its own item cell and who cell, not the stage or the heading', async () => {
    // the .html reader and chunker as the index holds it: one record per row with its caption, header and cells
    const corpus = tempDir({ 'n02_shuzhi_table.html': fs.readFileSync('test/fixtures/notices/n02_shuzhi_table.html', 'utf8') });
    const doc = (await readCorpus(corpus)).docs[0]!;
    const d = tasksFromNotice({ document: { source: doc.source, title: doc.title, date: '2026-11-20' }, sentences: noticeSentences(chunkDocument(doc)) }, only2026());
    expect(d.tasks.map((t) => [t.title, t.due, t.who])).toEqual([
      // the text's “各乡镇党委于12月10日前报送述职报告” is the first row's task again: one task, the fuller title
      ['报送述职报告', '2026-12-10', '各乡镇党委'],
      ['问题清单', '2026-12-15', '各乡镇党委'],
      ['测评表', '2026-12-18', '县直各党（工）委'],
      ['召开述职评议大会', '2026-12-25', '县委组织部'],
    ]);
    expect(d.tasks[1]!.sentence).toContain('事项：问题清单');
  });

  it('the same task written twice with the same deadline is listed once; different tasks on one day stay apart', async () => {
    const d = await draft('一、安排\n\n各党支部于12月10日前报送述职报告。\n\n二、要求\n\n各党支部于12月10日前报送述职报告。各党支部于12月10日前完成党员信息核查。', '2026-11-20', only2026());
    expect(d.tasks.map((t) => t.title)).toEqual(['报送述职报告', '完成党员信息核查']);
  });

  it('the draft satisfies its documented schema', async () => {
    const d = await draft('各单位于4月10日前报送工作总结。', '2026-03-02', only2026());
    expect(TaskDraftSchema.safeParse(d).success).toBe(true);
  });
});

describe('tasks-from: finding the document', () => {
  const docs = [
    { source: 'f03_tongzhi.md', title: '关于做好述职评议考核的通知' },
    { source: 'a.txt', title: '关于开展组织生活会的通知' },
  ] as DocumentInfo[];
  it('by file name, stem, title or a unique part of the title; a clear error otherwise', () => {
    expect(findDocument(docs, 'f03_tongzhi.md').source).toBe('f03_tongzhi.md');
    expect(findDocument(docs, 'f03_tongzhi').source).toBe('f03_tongzhi.md');
    expect(findDocument(docs, '关于开展组织生活会的通知').source).toBe('a.txt');
    expect(findDocument(docs, '述职评议').source).toBe('f03_tongzhi.md');
    expect(() => findDocument(docs, '通知')).toThrow(/多篇/);
    expect(() => findDocument(docs, '党费')).toThrow(/找不到/);
  });
});

describe('tasks-from on the fictional notice f03 through the CLI', () => {
  const run = promisify(execFile);
  let env: NodeJS.ProcessEnv;
  const fixture = fs.readFileSync('test/fixtures/fictional/f03_tongzhi.md', 'utf8');

  beforeAll(() => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tasks-from-cli-'));
    tmp.push(dir);
    fs.cpSync('data', path.join(dir, 'data'), { recursive: true });
    fs.rmSync(path.join(dir, 'data/calendar/cn-2027.yaml'), { force: true }); // 2027 without data, whatever data/ holds
    for (const f of ['f03_tongzhi.md', 'f03_tongzhi.meta.yaml']) fs.copyFileSync(`test/fixtures/fictional/${f}`, path.join(dir, 'data/corpus', f));
    env = { ...process.env, DJ_DATA_DIR: path.join(dir, 'data'), DJ_INDEX_DIR: path.join(dir, 'index') };
    for (const k of Object.keys(env)) if (/^(LLM_|EMBEDDING_)/.test(k)) delete env[k];
  });

  const cli = (args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { env });

  it('--json lists every deadline with its source sentence, the Sunday moved, 2027 reported', async () => {
    const d = TaskDraftSchema.parse(JSON.parse((await cli(['tasks-from', 'f03_tongzhi', '--json'])).stdout));
    expect(d).toMatchObject({ document: 'f03_tongzhi.md', year: 2026, issuer: expect.stringContaining('澄岚县委组织部') });
    const by = (printed: string) => d.tasks.find((t) => t.printedDue === printed);
    expect(by('2026年12月15日前')).toMatchObject({ due: '2026-12-15', who: '各基层党组织', title: '完成班子自查', section: '三、时间安排 > （一）自查述职阶段' });
    expect(by('12月20日前')).toMatchObject({ due: '2026-12-18', movedFrom: '2026-12-20', title: '召开述职评议大会', who: '各乡镇党委' });
    expect(by('12月31日前')).toMatchObject({ due: '2026-12-31', who: '各党支部' });
    expect(by('次年1月8日前')).toMatchObject({ due: '2027-01-08', who: '各乡镇党委、县直各党（工）委', problem: expect.stringContaining('2027') });
    expect(by('每季度末月25日前')).toMatchObject({ due: '2026-12-25', recurrence: { rule: { every: 'quarterly', month: 3, day: 25 } } });
    for (const t of d.tasks) expect(fixture).toContain(t.sentence);
    expect(d.problems.some((p) => p.sentence?.includes('次年1月8日前'))).toBe(true);
  });

  it('without --json prints the tasks for a person; an unknown document fails with a clear message', async () => {
    const text = (await cli(['tasks-from', '述职评议考核的通知'])).stdout;
    expect(text).toContain('召开述职评议大会');
    expect(text).toContain('2026-12-18（星期五）');
    expect(text).toContain('各乡镇党委于12月20日前召开述职评议大会');
    const bad = await cli(['tasks-from', '不存在的文件']).catch((e: { code: number; stderr: string }) => e);
    expect('code' in bad && bad.code).toBe(1);
    expect(bad.stderr).toContain('找不到文档');
  });
});
