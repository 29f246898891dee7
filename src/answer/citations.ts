import { displaySection } from '../retrieval/knowledge-index.js';
import type { SearchHit } from '../retrieval/retriever.js';
import type { Citation } from '../types.js';

/**
 * Numbers passages 1..n for a prompt or an answer, in the order given. A passage of another article printed on a
 * newspaper page (`IndexRecord.pageArticle`) is cited by that article's headline, with the page's title as `page`.
 */
export function toCitations(hits: SearchHit[]): Citation[] {
  return hits.map((h, i) => ({
    n: i + 1,
    source: h.record.source,
    title: h.record.pageArticle ?? h.record.title,
    ...(h.record.pageArticle ? { page: h.record.title } : {}),
    // (the article's headline is its title: the section says where inside it)
    section: h.record.pageArticle ? withinArticle(displaySection(h.record), h.record.pageArticle) : displaySection(h.record),
    text: h.record.text,
  }));
}

/** A section path without the article headline it starts with ("" for the article's own text). */
function withinArticle(section: string, headline: string): string {
  return section === headline ? '' : section.startsWith(`${headline} > `) ? section.slice(headline.length + 3) : section;
}

/** “《title》” of a citation, with “（刊于《page》）” for an article printed on a page named otherwise. */
export function citedTitle(c: Pick<Citation, 'title' | 'page'>): string {
  return `《${c.title}》${c.page ? `（刊于《${c.page}》）` : ''}`;
}

/** Passages formatted for a prompt: "[n] 《title》（刊于《page》） section\ntext". */
export function formatPassages(citations: Citation[]): string {
  return citations.map((c) => `[${c.n}] ${citedTitle(c)}${c.section ? ` ${c.section}` : ''}\n${c.text}`).join('\n\n');
}

/**
 * Keeps the citations an answer refers to (`[n]` markers) and renumbers them 1..m in order of first
 * use, rewriting the markers. Markers pointing at no passage are removed.
 */
export function keepCited(answer: string, citations: Citation[]): { answer: string; citations: Citation[] } {
  const order: number[] = [];
  for (const m of answer.matchAll(/\[(\d+)\]/g)) {
    const n = Number(m[1]);
    if (citations.some((c) => c.n === n) && !order.includes(n)) order.push(n);
  }
  const renumber = new Map(order.map((n, i) => [n, i + 1]));
  const text = answer.replace(/\[(\d+)\]/g, (_, d: string) => (renumber.has(Number(d)) ? `[${renumber.get(Number(d))}]` : ''));
  return { answer: text, citations: order.map((n, i) => ({ ...citations.find((c) => c.n === n)!, n: i + 1 })) };
}
