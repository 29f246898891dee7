import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeAssistant } from '../../src/assistant.js';
import { offlineAssistant } from './support.js';

interface Q {
  id: string;
  q: string;
  gold: string[];
  must: string[];
  type?: string;
}
const load = (f: string): Q[] =>
  fs
    .readFileSync(f, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
const dev = load('test/fixtures/dev-questions.jsonl');
const paraphrased = load('test/fixtures/paraphrase-questions.jsonl');
const heldout = load('test/fixtures/heldout-questions.jsonl');
const norm = (s: string) => s.replace(/\s+/g, '');

let a: KnowledgeAssistant;
let cleanup: () => void;
beforeAll(async () => {
  ({ assistant: a, cleanup } = await offlineAssistant());
});
afterAll(() => cleanup());

describe('hybrid retrieval', () => {
  it.each([...dev, ...paraphrased, ...heldout].filter((q) => q.gold.length && !q.type))('$id: finds the answering passage in the top 5: $q', async (q) => {
    const hits = await a.retrieve(q.q, 5);
    expect(hits.some((h) => q.gold.some((g) => norm(h.record.text).includes(norm(g))))).toBe(true);
  });

  it('filters by place (a county belongs to its prefecture) and by type', async () => {
    const { hits } = await a.retriever.search('乡村振兴 集体经济', { k: 10, filter: { place: '西宁市' } });
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) expect(h.record.places).toContain('西宁市');
    const measures = await a.retriever.search('党员教育培训', { k: 5, filter: { type: 'measure', place: '海西州' } });
    for (const h of measures.hits) expect(h.record.type).toBe('measure');
    expect(a.measures({ place: '海西州' }).some((m) => m.places.includes('格尔木市'))).toBe(true);
  });

  it('fuses BM25 and vector rankings: a paraphrase found by neither list alone at rank 1 still ranks high', async () => {
    const q = '送外卖的小哥在海西有没有能歇脚喝口水的地方？';
    const hybrid = await a.retriever.search(q, { k: 5 });
    const top = hybrid.hits[0]!;
    expect(top.bm25Rank).toBeDefined();
    expect(top.vectorRank).toBeDefined();
    expect(top.record.text).toContain('司机之家');
  });
});

describe('extractive answers (offline default)', () => {
  it('answers the headline question with 467 and 169, citing the 001 report', async () => {
    const ans = await a.ask('海西州吸引了多少名大学生到村任职？');
    expect(ans.grounded).toBe(true);
    expect(ans.answer).toContain('467');
    expect(ans.answer).toContain('169');
    expect(ans.answer).toMatch(/\[1\]/);
    expect(ans.citations[0]!.source).toBe('001_02e902364aa12d71.txt');
  });

  it.each(dev.filter((q) => q.must.length && !q.type))('$id: the answer carries its figure $must', async (q) => {
    const ans = await a.ask(q.q);
    expect(ans.grounded).toBe(true);
    for (const m of q.must) expect(ans.answer).toContain(m);
    for (const c of ans.citations) expect(ans.answer).toContain(`[${c.n}]`);
  });

  it.each([
    '上海市浦东新区有多少名党员？',
    '明天西宁天气怎么样？',
    '用Python写一个快速排序',
    '西宁市有多少名党员？',
    '北京市朝阳区有多少个社区？',
    ...heldout.filter((q) => q.type === 'oos').map((q) => q.q),
  ])(
    'refuses an out-of-corpus question: %s',
    async (q) => {
      const ans = await a.ask(q);
      expect(ans.grounded).toBe(false);
      expect(ans.answer).toContain('资料中未找到');
      expect(ans.citations).toEqual([]);
    },
  );

  it('answers a colloquial question through the glossary without refusing', async () => {
    const ans = await a.ask('毕业不久的年轻人去村里当干部，海西有多少？');
    expect(ans.grounded).toBe(true);
    expect(ans.answer).toContain('467');
  });

  it('explains a glossary term with the source of its definition and where the reports use it', async () => {
    const ans = await a.ask('两个覆盖是什么意思？');
    expect(ans.mode).toBe('glossary');
    expect(ans.answer).toContain('组织覆盖');
    expect(ans.answer).toContain('释义来源');
    expect(ans.citations.some((c) => c.text.includes('两个覆盖'))).toBe(true);
  });

  it('resolves a follow-up question with the thread history', async () => {
    const first = await a.ask('海西州吸引了多少名大学生到村任职？');
    const follow = await a.ask('其中担任村党支部书记的有多少名？', { history: [{ question: first.question, answer: first.answer }] });
    expect(follow.grounded).toBe(true);
    expect(follow.answer).toContain('169');
  });
});

describe('summaries', () => {
  it('drafts a structured, cited summary that covers distinct measures', async () => {
    const s = await a.summarize('总结海西州党员教育培训的主要举措');
    expect(s.grounded).toBe(true);
    const lines = s.summary.split('\n');
    expect(lines[0]).toBe('## 海西州党员教育培训的主要举措');
    const bullets = lines.filter((l) => l.startsWith('- **'));
    expect(bullets.length).toBeGreaterThanOrEqual(4);
    for (const b of bullets) expect(b).toMatch(/\[\d+\]$/);
    expect(new Set(bullets.map((b) => b.match(/\*\*(.+?)\*\*/)![1])).size).toBe(bullets.length);
    expect(s.citations.length).toBe(bullets.length);
    expect(s.summary).toMatch(/\d+(名|期|个|门)/);
  });

  it('covers 清零 when summarising rural revitalisation (dev question d12)', async () => {
    const s = await a.summarize('请总结海西州党建引领乡村振兴的主要做法');
    expect(s.summary).toContain('清零');
  });

  it('summarises a document by its title from that document only', async () => {
    const s = await a.summarize('聚焦考准考精考实 助力基层减负增效');
    expect(s.citations.length).toBeGreaterThan(0);
    for (const c of s.citations) expect(c.source).toBe('001_02e902364aa12d71.txt');
  });

  it('says so when the topic is not in the materials', async () => {
    const s = await a.summarize('总结上海市浦东新区的城市更新经验');
    expect(s.grounded).toBe(false);
    expect(s.summary).toContain('资料中未找到');
  });
});
