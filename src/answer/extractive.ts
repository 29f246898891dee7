import { splitSentences } from '../ingest/sentences.js';
import { Traced } from '../ingest/traced.js';
import { answerType, figureMatch, type AnswerType } from '../retrieval/answer-type.js';
import type { ExpandedQuery } from '../retrieval/glossary.js';
import type { KnowledgeIndex } from '../retrieval/knowledge-index.js';
import type { SearchHit } from '../retrieval/retriever.js';
import { tokenize } from '../retrieval/tokenize.js';
import { keepCited, toCitations } from './citations.js';
import { coverage, MIN_COVERAGE } from './grounding.js';
import type { Answer } from './types.js';

/** A sentence of a retrieved passage with its relevance score. */
export interface ScoredSentence {
  text: string;
  /** 1-based number of the passage (citation) it comes from. */
  n: number;
  /** Position inside the passage (for reading order). */
  position: number;
  score: number;
  figure: 0 | 1 | 2;
}

/** The refusal sentence used by every answerer when the materials do not hold the answer. */
export const NOT_FOUND = '资料中未找到与该问题相关的内容。';

/**
 * Scores every sentence of the top passages: idf-weighted overlap with the question's words
 * (glossary additions at their weight), plus the answer-type bonus (the asked figure next to the asked
 * noun: +0.5; a figure of the asked unit: +0.2), plus a small prior for the passage's rank.
 */
export function scoreSentences(question: string, expanded: ExpandedQuery, hits: SearchHit[], index: KnowledgeIndex): ScoredSentence[] {
  const t = answerType(question);
  let norm = 0;
  for (const [term, w] of expanded.terms) norm += w * index.bm25.idf(term);
  const out: ScoredSentence[] = [];
  hits.forEach((h, i) => {
    splitSentences(Traced.of(h.record.text)).forEach((s, position) => {
      const words = new Set(tokenize(s.text));
      let overlap = 0;
      for (const [term, w] of expanded.terms) if (words.has(term) || (term.length > 1 && s.text.includes(term))) overlap += w * index.bm25.idf(term);
      const figure = figureMatch(s.text, t);
      const score = (norm ? overlap / norm : 0) + (figure === 2 ? 0.5 : figure === 1 ? 0.2 : 0) + 0.1 / (i + 1);
      out.push({ text: s.text, n: i + 1, position, score, figure });
    });
  });
  return out.sort((a, b) => b.score - a.score);
}

/**
 * Shortens a long sentence to the run of clauses that carry the question's words or the asked figure,
 * marking cuts with "……". Sentences up to `max` characters are kept whole.
 */
export function focusSentence(sentence: string, expanded: ExpandedQuery, t: AnswerType, max = 120): string {
  if (sentence.length <= max) return sentence;
  const clauses = sentence.split(/(?<=[，；：])/);
  const relevant = clauses.map((c) => figureMatch(c, t) > 0 || [...expanded.terms.keys()].some((term) => term.length > 1 && c.includes(term)));
  let first = relevant.indexOf(true);
  let last = relevant.lastIndexOf(true);
  if (first < 0) return sentence.slice(0, max) + '……';
  // keep the span short: start from the best clause and grow while under the limit
  while (clauses.slice(first, last + 1).join('').length > max && last > first) {
    if (relevant[last] && !relevant[first]) first++;
    else last--;
  }
  const body = clauses.slice(first, last + 1).join('').replace(/[，；：]$/, '');
  return `${first > 0 ? '……' : ''}${body}${last < clauses.length - 1 ? '……' : ''}`;
}

/**
 * The offline answerer: quotes the 1-3 best sentences of the retrieved passages, each followed by its
 * citation marker, or refuses with `NOT_FOUND` when the evidence does not cover the question
 * (`MIN_COVERAGE`) or, for a 多少/几 question, holds no figure of the asked kind.
 */
export function extractiveAnswer(question: string, expanded: ExpandedQuery, hits: SearchHit[], index: KnowledgeIndex): Answer {
  const citations = toCitations(hits);
  const refuse = (why: string): Answer => ({ question, answer: `${NOT_FOUND}${why}`, grounded: false, citations: [], mode: 'extractive' });
  if (!hits.length) return refuse('');
  const t = answerType(question);
  const scored = scoreSentences(question, expanded, hits, index);
  const best = scored[0]!;
  const evidence = hits.slice(0, 3).map((h) => `${h.record.section}\n${h.record.text}`);
  const cov = coverage(expanded, evidence, index);
  if (cov.ratio < MIN_COVERAGE) return refuse(cov.missing.length ? `（资料未涉及：${cov.missing.slice(0, 3).join('、')}）` : '');
  if (t.wantsFigure && !scored.some((s) => s.figure === 2 || (s.figure === 1 && !t.noun))) {
    return refuse(t.noun ? `（资料中没有关于“${t.noun}”数量的表述）` : '');
  }
  const limit = t.wantsList ? 3 : t.wantsFigure ? 2 : 3;
  const chosen: ScoredSentence[] = [best];
  for (const s of scored.slice(1)) {
    if (chosen.length >= limit) break;
    if (s.score < best.score * 0.6) break;
    if (chosen.some((c) => c.text.includes(s.text.slice(0, 20)) || s.text.includes(c.text.slice(0, 20)))) continue;
    if (t.wantsFigure && s.figure === 0) continue;
    chosen.push(s);
  }
  const body = chosen.map((s) => `“${focusSentence(s.text, expanded, t)}”[${s.n}]`).join('\n');
  const kept = keepCited(`根据资料：\n${body}`, citations);
  return { question, answer: kept.answer, grounded: true, citations: kept.citations, mode: 'extractive' };
}
