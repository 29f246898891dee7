import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openAssistant } from '../../src/assistant.js';
import { ConfigError } from '../../src/config.js';
import { KnowledgeIndex } from '../../src/retrieval/knowledge-index.js';
import { OpenAiStandin } from '../support/openai-standin.js';
import { config, tempData } from './support.js';

let api: OpenAiStandin;
let tmp: ReturnType<typeof tempData>;
beforeAll(async () => {
  api = await OpenAiStandin.start();
});
afterAll(async () => {
  await api.close();
});
afterEach(() => tmp?.cleanup());

const llmEnv = () => ({ LLM_BASE_URL: api.baseUrl, LLM_MODEL: 'standin-chat', LLM_API_KEY: 'k', LLM_TIMEOUT_MS: '800', LLM_MAX_RETRIES: '0' });

describe('OpenAI-compatible chat model (real openai SDK against a stand-in on 127.0.0.1)', () => {
  it('sends the numbered passages and the question, and keeps only the citations the reply uses', async () => {
    tmp = tempData();
    const a = await openAssistant({ config: config(llmEnv(), tmp) });
    // the model cites the passage it was given that holds the figures, whatever its number
    const citing = (body: any) => {
      const user = body.messages.find((m: { role: string }) => m.role === 'user').content as string;
      const n = [...user.matchAll(/^\[(\d+)\][^\n]*\n([^\n]*)/gm)].find((m) => m[2]!.includes('467名'))?.[1] ?? '9';
      return n;
    };
    api.chatReply = (body) => `海西州吸引467名大学生到村任职，其中169名担任村党支部书记[${citing(body)}]。`;
    const before = api.chatRequests().length;
    const ans = await a.ask('海西州吸引了多少名大学生到村任职？');
    const req = api.chatRequests().slice(before)[0]!;
    expect(req.body.model).toBe('standin-chat');
    const user = req.body.messages.find((m: { role: string }) => m.role === 'user').content as string;
    expect(user).toContain('[1]');
    expect(user).toContain('吸引467名大学生到村任职');
    expect(user).toContain('海西州吸引了多少名大学生到村任职？');
    expect(req.body.messages[0].content).toContain('只能依据');
    expect(ans.mode).toBe('llm');
    expect(ans.answer).toContain('[1]');
    expect(ans.citations).toHaveLength(1);
    expect(ans.citations[0]!.text).toBeTruthy();
  });

  it('does not present an invented figure as sourced: an LLM answer whose figure no cited passage holds falls back', async () => {
    tmp = tempData();
    const a = await openAssistant({ config: config(llmEnv(), tmp) });
    api.chatReply = () => '海西州吸引了5000名大学生到村任职[1]。';
    const ans = await a.ask('海西州吸引了多少名大学生到村任职？');
    expect(ans.mode).toBe('extractive');
    expect(ans.answer).not.toContain('5000');
    expect(ans.answer).toContain('467');
    expect(ans.note).toBe('大模型的回答含有资料中找不到的数字，已改用摘录式回答');
  });

  it('falls back to the extractive answer, and says so, on a 500', async () => {
    tmp = tempData();
    const a = await openAssistant({ config: config(llmEnv(), tmp) });
    api.failNext(1, 500);
    const ans = await a.ask('海西州吸引了多少名大学生到村任职？');
    expect(ans.mode).toBe('extractive');
    expect(ans.answer).toContain('467');
    expect(ans.note).toBe('大模型暂时不可用，已改用摘录式回答');
    expect(ans.note).not.toMatch(/500|status|error/i);
  });

  it('falls back on a timeout', async () => {
    tmp = tempData();
    const a = await openAssistant({ config: config(llmEnv(), tmp) });
    api.chatDelayMs = 2000;
    try {
      const t0 = Date.now();
      const ans = await a.ask('黑马河镇整合资金购买了多少辆摆渡车？');
      expect(Date.now() - t0).toBeLessThan(1900);
      expect(ans.answer).toContain('32');
      expect(ans.note).toBe('大模型暂时不可用，已改用摘录式回答');
    } finally {
      api.chatDelayMs = 0;
    }
  });

  it('does not call the model for an out-of-corpus question, and reports the model\'s own refusal as not grounded', async () => {
    tmp = tempData();
    const a = await openAssistant({ config: config(llmEnv(), tmp) });
    const before = api.chatRequests().length;
    expect((await a.ask('上海市浦东新区有多少名党员？')).grounded).toBe(false);
    expect(api.chatRequests().length).toBe(before);
    api.chatReply = () => '资料中未找到与该问题相关的内容。';
    const ans = await a.ask('海西州搭建了多少个民主议事平台？');
    expect(ans.grounded).toBe(false);
  });

  it('drafts a summary by map-reduce and keeps the citations', async () => {
    tmp = tempData();
    const a = await openAssistant({ config: config(llmEnv(), tmp) });
    // (the stand-in cites the passage that states the figure by the number the prompt gives it, as a model would; the
    // map step of a group without it answers 无相关内容)
    api.chatReply = (body) => {
      const sys = body.messages[0].content as string;
      const user = body.messages.at(-1)!.content as string;
      if (sys.includes('合并为一份')) return `## 海西州党员教育培训\n- **师资共享**：吸纳71名本土讲师 [${/\[(\d+)\]/.exec(user)?.[1] ?? 1}]`;
      const n = /\[(\d+)\](?:(?!\n\n\[\d+\])[\s\S])*?71名/.exec(user)?.[1];
      return n ? `- **师资共享**：吸纳71名本土讲师 [${n}]` : '无相关内容';
    };
    const s = await a.summarize('总结海西州党员教育培训的主要举措');
    expect(s.mode).toBe('llm');
    expect(s.summary).toContain('[1]');
    expect(s.citations).toHaveLength(1);
  });
});

describe('persisted index', () => {
  it('reloads without rebuilding, and rebuilds when the embedding settings change', async () => {
    tmp = tempData();
    const first = await KnowledgeIndex.open(config({}, tmp));
    expect(first.report?.documents).toBe(5);
    const again = await KnowledgeIndex.open(config({}, tmp));
    expect(again.report).toBeUndefined();
    expect(again.index.records.length).toBe(first.index.records.length);
    const other = await KnowledgeIndex.open(
      config({ EMBEDDING_PROVIDER: 'openai', EMBEDDING_BASE_URL: api.baseUrl, EMBEDDING_MODEL: 'standin-embed' }, tmp),
    );
    expect(other.report).toBeDefined();
    expect(other.index.manifest.dimensions).toBe(8);
  });

  it('answers from BM25 alone, and says so, when the embedding endpoint fails at question time', async () => {
    tmp = tempData();
    const env = { EMBEDDING_PROVIDER: 'openai', EMBEDDING_BASE_URL: api.baseUrl, EMBEDDING_MODEL: 'standin-embed' };
    const a = await openAssistant({ config: config(env, tmp) });
    api.embeddingsDown = true;
    try {
      const ans = await a.ask('黑马河镇整合资金购买了多少辆摆渡车？');
      expect(ans.grounded).toBe(true);
      expect(ans.answer).toContain('32');
      expect(ans.note).toBe('向量检索暂不可用，本次仅按关键词检索');
      // the next question does not wait for the endpoint again
      const embeddingCalls = () => api.requests.filter((r) => r.path.endsWith('/embeddings')).length;
      const before = embeddingCalls();
      const next = await a.ask('海西州搭建了多少个民主议事平台？');
      expect(next.answer).toContain('79');
      expect(embeddingCalls()).toBe(before);
      expect(next.note).toBe('向量检索暂不可用，本次仅按关键词检索');
    } finally {
      api.embeddingsDown = false;
    }
  }, 60_000);

  it('adding or removing one document embeds only that document (OpenAI-compatible embeddings via the stand-in)', async () => {
    tmp = tempData();
    const env = { EMBEDDING_PROVIDER: 'openai', EMBEDDING_BASE_URL: api.baseUrl, EMBEDDING_MODEL: 'standin-embed' };
    const corpus = path.join(tmp.dataDir, 'corpus');
    const extra = path.join(corpus, '004_5159ee9c9b1cd9bb.txt');
    const saved = fs.readFileSync(extra);
    fs.rmSync(extra);
    await KnowledgeIndex.open(config(env, tmp));
    const n0 = api.embeddedTexts().length;
    fs.writeFileSync(extra, saved);
    const { report } = await KnowledgeIndex.open(config(env, tmp));
    const sent = api.embeddedTexts().slice(n0);
    expect(report!.embedded).toBe(sent.length);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((t) => report!.documents === 5 && !t.includes('吸引467名大学生'))).toBe(true);
    fs.rmSync(extra);
    const n1 = api.embeddedTexts().length;
    const removed = await KnowledgeIndex.open(config(env, tmp));
    expect(api.embeddedTexts().length).toBe(n1);
    expect(removed.index.records.some((r) => r.source.startsWith('004'))).toBe(false);
  });

  it('skips a malformed document with a reason and indexes the others', async () => {
    tmp = tempData();
    const corpus = path.join(tmp.dataDir, 'corpus');
    fs.writeFileSync(path.join(corpus, 'broken.txt'), Buffer.from([0xff, 0xfe, 0x00, 0x41, 0xc3]));
    fs.writeFileSync(path.join(corpus, 'notes.md'), '# 新增材料\n\n某支部开展主题党日活动12次，覆盖党员300名。');
    fs.writeFileSync(path.join(corpus, 'notes.meta.yaml'), 'title: 支部工作笔记\nunknown_field: 1\n');
    const { index, report } = await KnowledgeIndex.open(config({}, tmp));
    expect(report!.problems.map((p) => p.source).sort()).toEqual(['broken.txt', 'notes.md']);
    expect(report!.problems.find((p) => p.source === 'broken.txt')!.reason).toMatch(/UTF-8|NUL/);
    expect(report!.problems.find((p) => p.source === 'notes.md')!.reason).toContain('notes.meta.yaml');
    expect(new Set(index.records.map((r) => r.source)).size).toBe(5);
    fs.writeFileSync(path.join(corpus, 'notes.meta.yaml'), 'title: 支部工作笔记\n');
    const fixed = await KnowledgeIndex.open(config({}, tmp));
    expect(fixed.index.records.some((r) => r.source === 'notes.md' && r.text.includes('主题党日活动12次'))).toBe(true);
  });

  it('rejects bad configuration with a message naming the variable', () => {
    tmp = tempData();
    expect(() => config({ EMBEDDING_PROVIDER: 'openai' }, tmp)).toThrow(ConfigError);
    expect(() => config({ EMBEDDING_PROVIDER: 'openai' }, tmp)).toThrow(/EMBEDDING_BASE_URL/);
    expect(() => config({ LLM_BASE_URL: 'not a url', LLM_MODEL: 'x' }, tmp)).toThrow(/LLM_BASE_URL/);
  });
});
