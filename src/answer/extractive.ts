import { splitSentences } from '../ingest/sentences.js';
import { Traced } from '../ingest/traced.js';
import { answerType, figureMatch, type AnswerType } from '../retrieval/answer-type.js';
import type { ExpandedQuery } from '../retrieval/glossary.js';
import type { KnowledgeIndex } from '../retrieval/knowledge-index.js';
import type { SearchHit } from '../retrieval/retriever.js';
import { keepCited, toCitations } from './citations.js';
import { coverage, isCovered } from './grounding.js';
import type { Answer } from '../types.js';

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
 * The query terms found in `text`, without search-mode sub-words of a longer found term
 * (唐古拉山镇 counts once, not also as 唐古拉, 山镇…).
 */
export function matchedTerms(text: string, terms: Iterable<string>): string[] {
  const found = [...terms].filter((t) => (t.length > 1 || /\d/.test(t)) && text.includes(t));
  return found.filter((t) => !found.some((o) => o !== t && o.includes(t)));
}

/**
 * Scores every sentence of the top passages: idf-weighted overlap with the question's words
 * (glossary additions at their weight), plus the answer-type bonus (the asked figure next to the asked
 * noun: +0.5; a figure of the asked unit: +0.2; an enumeration for a 哪些 question: +0.2), plus a small
 * prior for the passage's rank.
 */
export function scoreSentences(question: string, expanded: ExpandedQuery, hits: SearchHit[], index: KnowledgeIndex): ScoredSentence[] {
  const t = answerType(question, expanded);
  const allTerms = [...expanded.terms.keys()];
  const topTerms = allTerms.filter((term) => !allTerms.some((o) => o !== term && o.includes(term)));
  let norm = 0;
  for (const term of topTerms) norm += expanded.terms.get(term)! * index.bm25.idf(term);
  const out: ScoredSentence[] = [];
  hits.forEach((h, i) => {
    splitSentences(Traced.of(h.record.text)).forEach((s, position) => {
      let overlap = 0;
      for (const term of matchedTerms(s.text, allTerms)) overlap += expanded.terms.get(term)! * index.bm25.idf(term);
      const figure = figureMatch(s.text, t);
      // a 哪些 question is answered by an enumeration: “司机之家”“户外劳动者服务驿站”… or X、Y、Z等
      const enumerates = t.wantsList && (/“[^”]{2,12}”[“、]/.test(s.text) || /(、[^、，。]{1,10}){2,}等/.test(s.text));
      const score = (norm ? overlap / norm : 0) + (figure === 2 ? 0.5 : figure === 1 ? 0.2 : 0) + (enumerates ? 0.2 : 0) + 0.1 / (i + 1);
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
  const weight = clauses.map((c) => figureMatch(c, t) * 3 + matchedTerms(c, expanded.terms.keys()).length);
  const anchor = weight.indexOf(Math.max(...weight));
  if (weight[anchor] === 0) return sentence.slice(0, max) + '……';
  // all relevant clauses fit: quote from the first to the last of them
  const firstRel = weight.findIndex((w) => w > 0);
  const lastRel = weight.length - 1 - [...weight].reverse().findIndex((w) => w > 0);
  if (clauses.slice(firstRel, lastRel + 1).join('').length <= max) {
    const span = clauses.slice(firstRel, lastRel + 1).join('').replace(/[，；：]$/, '');
    return `${firstRel > 0 ? '……' : ''}${span}${lastRel < clauses.length - 1 ? '……' : ''}`;
  }
  // grow around the best clause towards the more relevant neighbour while under the limit
  let first = anchor;
  let last = anchor;
  const len = () => clauses.slice(first, last + 1).join('').length;
  while (true) {
    const left = first > 0 ? weight[first - 1]! : -1;
    const right = last < clauses.length - 1 ? weight[last + 1]! : -1;
    if (left <= 0 && right <= 0) break;
    const grow = right >= left ? 'right' : 'left';
    const next = grow === 'right' ? clauses[last + 1]! : clauses[first - 1]!;
    if (len() + next.length > max) break;
    if (grow === 'right') last++;
    else first--;
  }
  const body = clauses.slice(first, last + 1).join('').replace(/[，；：]$/, '');
  return `${first > 0 ? '……' : ''}${body}${last < clauses.length - 1 ? '……' : ''}`;
}

/**
 * The offline answerer: quotes the 1-3 best sentences of the retrieved passages, each followed by its
 * citation marker, or refuses with `NOT_FOUND` when the evidence does not cover the question
 * (`isCovered`) or, for a 多少/几 question, holds no figure of the asked kind.
 */
export function extractiveAnswer(question: string, expanded: ExpandedQuery, hits: SearchHit[], index: KnowledgeIndex): Answer {
  const citations = toCitations(hits);
  const refuse = (why: string): Answer => ({ question, answer: `${NOT_FOUND}${why}`, grounded: false, citations: [], mode: 'extractive' });
  if (!hits.length) return refuse('');
  const t = answerType(question, expanded);
  const scored = scoreSentences(question, expanded, hits, index);
  const best = scored[0]!;
  const evidence = hits.map((h) => `${h.record.section}\n${h.record.text}`);
  const cov = coverage(expanded, evidence, index);
  if (!isCovered(cov)) return refuse(cov.missing.length ? `（检索到的资料未涉及：${cov.missing.slice(0, 3).join('、')}）` : '');
  // the asked figure must be there; next to the asked noun when the noun follows 多少 ("多少名党员")
  if (t.wantsFigure && !scored.some((s) => s.figure === 2 || (s.figure === 1 && t.nounFrom !== 'after'))) {
    return refuse(t.noun ? `（资料中没有关于“${t.noun}”数量的表述）` : '');
  }
  const limit = t.wantsList ? 3 : t.wantsFigure ? 2 : 3;
  const chosen: ScoredSentence[] = [best];
  for (const s of scored.slice(1)) {
    if (chosen.length >= limit) break;
    if (s.score < best.score * 0.7) break;
    if (chosen.some((c) => c.text.includes(s.text.slice(0, 20)) || s.text.includes(c.text.slice(0, 20)))) continue;
    // a figure answer adds only sentences that also hold the asked figure next to the asked noun, from the same passage
    if (t.wantsFigure && (best.figure < 2 || s.figure < 2 || s.n !== best.n)) continue;
    chosen.push(s);
  }
  const body = chosen.map((s) => `“${focusSentence(s.text, expanded, t)}”[${s.n}]`).join('\n');
  const kept = keepCited(`根据资料：\n${body}`, citations);
  return { question, answer: kept.answer, grounded: true, citations: kept.citations, mode: 'extractive' };
}
