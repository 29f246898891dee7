import type { Lexicon } from '../ingest/lexicon.js';
import { splitSentences } from '../ingest/sentences.js';
import { Traced } from '../ingest/traced.js';
import { extractFigures } from '../ingest/measures.js';
import type { Glossary } from '../retrieval/glossary.js';
import type { IndexRecord, KnowledgeIndex } from '../retrieval/knowledge-index.js';
import type { HybridRetriever, SearchHit } from '../retrieval/retriever.js';
import { tokenize } from '../retrieval/tokenize.js';
import { formatPassages, keepCited, toCitations } from './citations.js';
import { coverage, isCovered } from './grounding.js';
import type { ChatModel } from './llm.js';
import { renderPrompt } from './prompts.js';
import type { AskOptions, Summary } from '../types.js';

/** Most bullets in a summary draft. */
export const MAX_BULLETS = 8;

/** Strips request words so that "请总结海西州党建引领乡村振兴的主要做法" becomes the topic itself. */
export function topicOf(request: string): string {
  return request
    .replace(/^[\s/]*(summary|总结)\s*/i, '')
    .replace(/^(请|帮我|麻烦)?(总结|归纳|概括|梳理|汇总)(一下)?/, '')
    .replace(/[。？?！!]+$/, '')
    .trim();
}

/**
 * Maximal marginal relevance (Carbonell & Goldstein, SIGIR 1998): greedily picks items maximising
 * λ·relevance − (1−λ)·max-similarity-to-picked, with cosine similarity of the stored embeddings (λ = 0.8 here).
 */
export function mmr(candidates: { hit: SearchHit; vector: number[]; relevance: number }[], n: number, lambda = 0.7): SearchHit[] {
  const picked: typeof candidates = [];
  const rest = [...candidates];
  while (picked.length < n && rest.length) {
    let bestIdx = 0;
    let bestScore = -Infinity;
    rest.forEach((c, i) => {
      const sim = picked.length ? Math.max(...picked.map((p) => cosine(p.vector, c.vector))) : 0;
      const s = lambda * c.relevance - (1 - lambda) * sim;
      if (s > bestScore) {
        bestScore = s;
        bestIdx = i;
      }
    });
    picked.push(rest.splice(bestIdx, 1)[0]!);
  }
  return picked.map((p) => p.hit);
}

function cosine(a: number[], b: number[]): number {
  let d = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return d / (Math.sqrt(na * nb) || 1);
}

/** The sentence of a measure that best states it: most figures and topic words, not the bare lead phrase. */
function keySentence(r: IndexRecord, topicWords: Set<string>): string {
  const sentences = splitSentences(Traced.of(r.text)).map((s) => s.text);
  const body = r.measureTitle && sentences.length > 1 && sentences[0]!.startsWith(r.measureTitle) ? sentences.slice(1) : sentences;
  const scored = body.map((s, i) => ({
    s,
    i,
    score: extractFigures(s).length * 0.6 + tokenize(s).filter((w) => topicWords.has(w)).length + (i === 0 ? 0.5 : 0),
  }));
  scored.sort((a, b) => b.score - a.score);
  // the two best sentences in reading order, up to about 200 characters
  const picked = scored.slice(0, 2).filter((x, k) => k === 0 || scored[0]!.s.length + x.s.length <= 200);
  const text = picked.sort((a, b) => a.i - b.i).map((x) => x.s).join('') || r.text;
  return text.length > 200 ? `${text.slice(0, 198)}……` : text;
}

/** Everything `summarize` needs. */
export interface SummaryContext {
  index: KnowledgeIndex;
  retriever: HybridRetriever;
  glossary: Glossary;
  lexicon: Lexicon;
  llm?: ChatModel;
}

/**
 * Picks the passages for a summary: all measures of a document when the topic names its title,
 * otherwise a broad hybrid search (top 30, restricted to the place the topic names), diversified with MMR.
 */
export async function selectForSummary(topic: string, ctx: SummaryContext): Promise<SearchHit[]> {
  // a document title, or the headline of an article inside a report page (001 prints four articles)
  const norm = (s: string) => s.replace(/[\s“”"《》—]/g, '');
  const t = norm(topic);
  const named = (r: IndexRecord) =>
    t.length >= 6 && (norm(r.title) === t || norm(r.title).startsWith(t) || r.section.split(' > ').some((h) => norm(h) === t));
  const inNamed = ctx.index.records.filter((r) => named(r));
  if (inNamed.length) {
    const measures = inNamed.filter((r) => r.type === 'measure');
    const picked = measures.length >= 2 ? measures : inNamed.filter((r) => r.type === 'chunk');
    return picked.slice(0, MAX_BULLETS).map((record, i) => ({ rank: i + 1, score: 1, record }));
  }
  const place = ctx.lexicon.places(topic)[0];
  const { hits: all } = await ctx.retriever.search(topic, { k: 30, filter: place ? { place } : undefined });
  // a topic naming a domain (党员教育, 乡村振兴…) keeps to records of that domain when enough remain
  const domains = ctx.lexicon.domains(topic);
  const inDomain = all.filter((h) => h.record.domains.some((d) => domains.includes(d)));
  const hits = domains.length && inDomain.length >= 4 ? inDomain : all;
  // relevance by rank (RRF scores are too flat to compare), measures preferred over raw chunks; the
  // similarity of two passages uses their stored embeddings (no model call)
  const candidates = hits.map((hit, i) => ({
    hit,
    vector: ctx.index.vector(hit.record.id),
    relevance: 1 - i / hits.length + (hit.record.type === 'measure' ? 0.1 : 0),
  }));
  return mmr(candidates, MAX_BULLETS, 0.8);
}

/**
 * Drafts a summary of a topic or a document. Offline: one bullet per selected measure or passage —
 * its title in bold, its key sentence with figures, a citation. With an LLM: map (bullets per group of
 * passages, prompts/summary-map) then reduce (one draft, prompts/summary-reduce); on failure the
 * extractive draft is returned with a note.
 */
export async function summarize(request: string, ctx: SummaryContext, _options: AskOptions = {}): Promise<Summary> {
  const topic = topicOf(request) || request.trim();
  const hits = await selectForSummary(topic, ctx);
  const expanded = ctx.glossary.expand(topic);
  const cov = coverage(expanded, hits.slice(0, 8).map((h) => `${h.record.section}\n${h.record.text}`), ctx.index);
  if (!hits.length || !isCovered(cov)) {
    return { topic, summary: `## ${topic}\n\n资料中未找到与该主题相关的内容。`, grounded: false, citations: [], mode: 'extractive' };
  }
  const citations = toCitations(hits);
  const topicWords = new Set(tokenize(expanded.text));
  const bullets = hits.map((h, i) => {
    const title = h.record.measureTitle ?? (h.record.section.split(' > ').pop() || h.record.title);
    return `- **${title}**：${keySentence(h.record, topicWords)} [${i + 1}]`;
  });
  const extractive = keepCited(`## ${topic}\n\n${bullets.join('\n')}`, citations);
  const draft: Summary = { topic, summary: extractive.answer, grounded: true, citations: extractive.citations, mode: 'extractive' };
  if (!ctx.llm) return draft;
  try {
    const groups: (typeof citations)[] = [];
    for (let i = 0; i < citations.length; i += 3) groups.push(citations.slice(i, i + 3));
    const points = await Promise.all(
      groups.map((g) =>
        ctx.llm!.complete([
          { role: 'system', content: renderPrompt('summary-map.system') },
          { role: 'user', content: renderPrompt('summary-map.user', { topic, passages: formatPassages(g) }) },
        ]),
      ),
    );
    const merged = points.filter((p) => !p.includes('无相关内容')).join('\n');
    if (!merged.trim()) return draft;
    const reduced = await ctx.llm.complete([
      { role: 'system', content: renderPrompt('summary-reduce.system') },
      { role: 'user', content: renderPrompt('summary-reduce.user', { topic, points: merged }) },
    ]);
    const kept = keepCited(reduced, citations);
    if (!kept.citations.length) return { ...draft, note: '大模型生成的草稿没有引用资料，已改用摘录式草稿' };
    return { topic, summary: kept.answer, grounded: true, citations: kept.citations, mode: 'llm' };
  } catch (err) {
    return { ...draft, note: `大模型调用失败（${(err as Error).message}），已改用摘录式草稿` };
  }
}
