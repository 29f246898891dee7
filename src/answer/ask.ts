import type { Lexicon } from '../ingest/lexicon.js';
import type { Glossary, GlossaryTerm } from '../retrieval/glossary.js';
import type { KnowledgeIndex } from '../retrieval/knowledge-index.js';
import type { HybridRetriever } from '../retrieval/retriever.js';
import { formatPassages, keepCited, toCitations } from './citations.js';
import { extractiveAnswer, NOT_FOUND } from './extractive.js';
import type { ChatModel } from './llm.js';
import { renderPrompt } from './prompts.js';
import type { Answer, AskOptions, Turn } from '../types.js';

/** Passages retrieved for an answer. */
export const ANSWER_TOP_K = 5;

/** Everything `answerQuestion` needs. */
export interface AskContext {
  index: KnowledgeIndex;
  retriever: HybridRetriever;
  glossary: Glossary;
  lexicon: Lexicon;
  llm?: ChatModel;
}

/**
 * A follow-up ("那其中担任村党支部书记的呢？", "这个计划是哪年开始的") is searched together with the
 * previous question of the thread; a self-contained question is searched alone.
 */
export function contextualize(question: string, history: Turn[] = []): string {
  const prev = history.at(-1);
  if (!prev) return question;
  const followUp = question.length <= 12 || /^(那|那么|其中|另外|还有|它|他们|这个|这些|该|此)|呢[？?]?$/.test(question.trim());
  return followUp ? `${prev.question} ${question}` : question;
}

function glossaryAnswer(question: string, term: GlossaryTerm, ctx: AskContext, hits: Awaited<ReturnType<HybridRetriever['search']>>['hits']): Answer {
  const names = [term.term, ...term.aliases].map((a) => a.replace(/[“”]/g, ''));
  const mentioning = hits.filter((h) => names.some((n) => h.record.text.includes(n))).slice(0, 2);
  const citations = toCitations(mentioning);
  const usage = citations.length ? `\n资料中的用法：${citations.map((c) => `[${c.n}]`).join('')}` : '';
  return {
    question,
    answer: `**${term.term}**：${term.definition}\n（释义来源：${term.source}）${usage}`,
    grounded: true,
    citations,
    mode: 'glossary',
  };
}

/**
 * Answers a question from the index: a glossary definition for "什么是…" questions on a known term;
 * otherwise hybrid retrieval (top 5, restricted to the place when the question names exactly one) and the extractive answer, or, when an LLM is configured and the
 * evidence covers the question, the LLM's answer over the numbered passages. An LLM failure, timeout or
 * an answer without citations falls back to the extractive answer with a note.
 */
export async function answerQuestion(question: string, ctx: AskContext, options: AskOptions = {}): Promise<Answer> {
  const q = question.trim();
  if (!q) return { question, answer: '请输入问题。', grounded: false, citations: [], mode: 'extractive' };
  const query = contextualize(q, options.history);
  // a question about one place is answered from that place's passages (西宁市 facts never answer for 天峻县)
  const places = ctx.lexicon.places(q);
  const filter = places.length === 1 ? { place: places[0] } : undefined;
  const { expanded, hits } = await ctx.retriever.search(query, { k: ANSWER_TOP_K, filter });
  const term = ctx.glossary.definitionAsked(q);
  if (term) return glossaryAnswer(question, term, ctx, hits);

  const extractive = extractiveAnswer(query === q ? q : query, expanded, hits, ctx.index);
  extractive.question = question;
  if (!ctx.llm || !extractive.grounded) return extractive;

  const citations = toCitations(hits);
  const history = (options.history ?? []).slice(-3).map((t) => `问：${t.question}\n答：${t.answer}`).join('\n');
  try {
    const reply = await ctx.llm.complete([
      { role: 'system', content: renderPrompt('answer.system') },
      {
        role: 'user',
        content: renderPrompt('answer.user', { passages: formatPassages(citations), question: q, history: history ? `【此前对话】\n${history}\n\n` : '' }),
      },
    ]);
    if (reply.includes('资料中未找到')) return { question, answer: NOT_FOUND, grounded: false, citations: [], mode: 'llm' };
    const kept = keepCited(reply, citations);
    if (!kept.citations.length) return { ...extractive, note: '大模型的回答没有标注出处，已改用摘录式回答' };
    return { question, answer: kept.answer, grounded: true, citations: kept.citations, mode: 'llm' };
  } catch (err) {
    return { ...extractive, note: `大模型调用失败（${(err as Error).message}），已改用摘录式回答` };
  }
}
