import type { Lexicon } from '../ingest/lexicon.js';
import { log } from '../log.js';
import type { Glossary } from '../retrieval/glossary.js';
import type { KnowledgeIndex } from '../retrieval/knowledge-index.js';
import type { HybridRetriever, SearchHit } from '../retrieval/retriever.js';
import type { Answer, AskOptions, IndexRecord } from '../types.js';
import { formatPassages, keepCited, toCitations } from './citations.js';
import { answerCoverage, checkGenerated, ground, MIN_ANSWER_COVERAGE_WEAK_FIGURE, namesUnstated, ordinalConflict, roleUnnamed, type TermStats } from './ground.js';
import type { ChatModel } from './llm.js';
import { renderPrompt } from './prompts.js';
import { META_LABEL, understand, type Query } from './query.js';
import { retrieve } from './retrieve.js';
import { synthesize } from './synthesize.js';

/**
 * The question pipeline, one stage per file: understand (query.ts) → retrieve (retrieve.ts) → synthesize
 * (synthesize.ts, extractive) → ground (ground.ts) → optionally generate with an LLM over the same passages,
 * checked by `checkGenerated`.
 */

/** The refusal sentence used by every answerer when the materials do not hold the answer. */
export const NOT_FOUND = '资料中未找到与该问题相关的内容。';

/** What the bot can do, for greetings and “你能做什么”. */
export const HELP_TEXT = [
  '您好！我是党建助手，可以根据已收录的党建资料回答问题并注明出处。您可以：',
  '· 直接提问，例如“海西州吸引了多少名大学生到村任职？”',
  '· 请我起草总结，例如“总结 海西州党员教育培训的主要举措”',
  '· 查询名词解释，例如“三会一课是什么意思？”',
  '· 在群里用 /tasks 查看本支部的待办清单，/done 标记完成',
  '资料中没有的内容，我会直接告诉您“资料中未找到”，不会编造。',
].join('\n');

/** Fixed notes shown when an answer degraded (details go to the log, never to the chat). */
export const NOTES = {
  llmFailed: '大模型暂时不可用，已改用摘录式回答',
  llmUncited: '大模型的回答没有标注出处，已改用摘录式回答',
  llmUnsupported: '大模型的回答含有资料中找不到的数字，已改用摘录式回答',
  truncated: '问题过长，只按前2000字作答',
} as const;

/** Everything `answerQuestion` needs. */
export interface AskContext {
  index: KnowledgeIndex;
  retriever: HybridRetriever;
  glossary: Glossary;
  lexicon: Lexicon;
  llm?: ChatModel;
}

/** Corpus statistics for grounding, from the index. */
export function termStats(index: KnowledgeIndex): TermStats {
  return { idf: (t) => index.bm25.idf(t), docFreq: (t) => index.bm25.docFreq(t) };
}

/** Reads a question in the context of the index and the thread (the “understand” stage). */
export function readQuestion(question: string, ctx: AskContext, options: AskOptions = {}): Query {
  return understand(question, { lexicon: ctx.lexicon, glossary: ctx.glossary, documents: ctx.index.documents(), history: options.history });
}

function glossaryAnswer(query: Query, hits: SearchHit[]): Answer {
  const term = query.term!;
  const names = [term.term, ...term.aliases].map((a) => a.replace(/[“”]/g, ''));
  const mentioning = hits.filter((h) => names.some((n) => h.record.text.includes(n))).slice(0, 2);
  const citations = toCitations(mentioning);
  const usage = citations.length ? `\n资料中的用法：${citations.map((c) => `[${c.n}]`).join('')}` : '';
  return { question: query.text, answer: `${term.term}：${term.definition}\n（释义来源：${term.source}）${usage}`, grounded: true, citations, mode: 'glossary' };
}

/** The refusal, with the words the materials lack. */
function refusal(question: string, missing: string[], why?: string): Answer {
  const detail = why ?? (missing.length ? `（检索到的资料未涉及：${missing.slice(0, 3).join('、')}）` : '');
  return { question, answer: `${NOT_FOUND}${detail}`, grounded: false, citations: [], mode: 'extractive' };
}

/**
 * Answers a question (see the module comment). Greetings and “你能做什么” get the help text; a glossary
 * question gets the definition with its source; a summary request is not handled here (see
 * `KnowledgeAssistant.ask`). Never throws for “no answer”: returns `grounded: false` with `NOT_FOUND`.
 */
export async function answerQuestion(question: string, ctx: AskContext, options: AskOptions = {}): Promise<Answer> {
  const query = readQuestion(question, ctx, options);
  return answerQuery(query, ctx, options);
}

/** Answers an already understood query (see `answerQuestion`). */
export async function answerQuery(query: Query, ctx: AskContext, options: AskOptions = {}): Promise<Answer> {
  if (query.intent === 'greeting' || query.intent === 'help') return { question: query.text, answer: HELP_TEXT, grounded: true, citations: [], mode: 'extractive' };
  const { expanded, hits, note: retrievalNote } = await retrieve(query, ctx.index, ctx.retriever);
  if (query.intent === 'glossary') return glossaryAnswer(query, hits);
  const notes = [query.truncated ? NOTES.truncated : '', retrievalNote ?? ''].filter(Boolean);
  const withNotes = (a: Answer, extra?: string): Answer => {
    const all = [...notes, extra ?? ''].filter(Boolean);
    return all.length ? { ...a, note: all.join('；') } : a;
  };
  if (!hits.length) return withNotes(refusal(query.text, []));

  const stats = termStats(ctx.index);
  const draft = synthesize(query, expanded, hits, { index: ctx.index, stats, lexicon: ctx.lexicon });
  if (query.meta && draft.figureFound === false) return withNotes(refusal(query.text, [], `（检索到的文件没有标注${META_LABEL[query.meta]}）`));
  if (query.when && draft.figureFound === false) return withNotes(refusal(query.text, [], '（检索到的资料中没有相关的时间表述）'));
  if (query.figure && draft.figureFound === false) {
    const noun = query.figure.noun;
    return withNotes(refusal(query.text, [], noun ? `（资料中没有关于“${noun}”数量的表述）` : ''));
  }
  if (!draft.text) return withNotes(refusal(query.text, []));
  // the topic must be in the documents the answer quotes or in other retrieved documents about the same place (a
  // question's context words may sit beside the quoted ones), never in another place's (“五星党组织” in one
  // prefecture's report does not make a county's 专项经费 its reward); with the document's date, so that a year asked
  // (2025年) is matched by a report dated that year
  const placeOf = (source: string) => ctx.index.document(source)?.place || source;
  const quoted = new Set(draft.used.map((i) => hits[i]).filter((h) => !!h).map((h) => placeOf(h.record.source)));
  // (a passage's headings are its whole section path: a measure's own heading, 三、存在的问题, is not in its `section`)
  const headings = (r: IndexRecord) => r.sectionPath?.join(' > ') || r.section;
  const evidence = hits.filter((h) => quoted.size === 0 || quoted.has(placeOf(h.record.source))).map((h) => `${h.record.title}\n${ctx.index.document(h.record.source)?.date ?? ''}\n${headings(h.record)}\n${h.record.text}`);
  const verdict = ground(query, expanded, evidence, stats, draft.figureStrong === true);
  if (!verdict.grounded) return withNotes(refusal(query.text, verdict.missing));
  // (a period the question numbers, 第二季度, must be the quoted passage's, not another it names: 《第一季度…通报》)
  const quotedRecords = draft.used.map((i) => hits[i]!.record);
  const headed = (r: IndexRecord) => `${r.title}\n${headings(r)}`;
  const quotedWithHeadings = [draft.text, ...quotedRecords.map(headed)].join('\n');
  const otherOrdinal = ordinalConflict(query.text, quotedWithHeadings);
  if (otherOrdinal) return withNotes(refusal(query.text, [otherOrdinal]));
  // (a place the lexicon does not know, named by the form of its name (大陈岛乡), must be named by the passages quoted,
  // their titles or headings: a county's 未注册的422名党员 in a 通报 whose table lists the township is not the township's)
  const quotedPassages = [...new Set(quotedRecords)].map((r) => `${headed(r)}\n${r.text}`).join('\n');
  const unnamedPlace = query.otherPlaces?.find((p) => !quotedPassages.includes(p));
  if (unnamedPlace) return withNotes(refusal(query.text, [unnamedPlace]));
  // (a role whose holder is asked, 书记叫什么名字, must be named where the answer is quoted from)
  const role = roleUnnamed(query, expanded, quotedWithHeadings);
  if (role) return withNotes(refusal(query.text, [role]));
  // (the names of people asked, 评出来的“十佳…”都有谁, must be in the answer, not only their title)
  if (namesUnstated(query, draft.text)) return withNotes(refusal(query.text, [], '（资料中没有列出具体人员姓名）'));
  // a figure that does not count the asked noun, or a date beside no event the question names, answers only from a
  // sentence about the question, not one near it (“冬训方案什么时候报” is not answered by any dated sentence)
  if ((query.figure || query.when) && !draft.figureStrong) {
    if (answerCoverage(query, expanded, quotedWithHeadings, stats) < MIN_ANSWER_COVERAGE_WEAK_FIGURE) return withNotes(refusal(query.text, verdict.missing));
  }

  const citations = toCitations(hits);
  const kept = keepCited(draft.text, citations);
  const extractive: Answer = { question: query.text, answer: kept.answer, grounded: true, citations: kept.citations, mode: 'extractive' };
  if (!ctx.llm) return withNotes(extractive);

  const history = (options.history ?? []).slice(-3).map((t) => `问：${t.question}\n答：${t.answer}`).join('\n');
  try {
    const reply = await ctx.llm.complete([
      { role: 'system', content: renderPrompt('answer.system') },
      { role: 'user', content: renderPrompt('answer.user', { passages: formatPassages(citations), question: query.text, history: history ? `【此前对话】\n${history}\n\n` : '' }) },
    ], { onText: options.onPartial });
    if (reply.includes('资料中未找到')) return withNotes(refusal(query.text, []));
    const check = checkGenerated(reply, new Map(citations.map((c) => [c.n, c.text])));
    if (!check.ok) {
      log.warn({ unsupportedFigures: check.unsupportedFigures, danglingCitations: check.danglingCitations }, 'LLM answer failed the grounding check; using the extractive answer');
      return withNotes(extractive, check.unsupportedFigures.length ? NOTES.llmUnsupported : NOTES.llmUncited);
    }
    const generated = keepCited(reply, citations);
    return withNotes({ question: query.text, answer: generated.answer, grounded: true, citations: generated.citations, mode: 'llm' });
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'LLM call failed; using the extractive answer');
    return withNotes(extractive, NOTES.llmFailed);
  }
}
