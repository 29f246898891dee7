/**
 * The passages a draft is written from: every record of a named document (or article), or, for a topic,
 * a broad hybrid search diversified with MMR.
 */
import type { Lexicon } from '../../ingest/lexicon.js';
import type { KnowledgeIndex } from '../../retrieval/knowledge-index.js';
import type { HybridRetriever, SearchHit } from '../../retrieval/retriever.js';
import type { IndexRecord } from '../../types.js';
import { topHeading, type DocumentTarget } from './target.js';

/** Candidates a topic search hands to the draft (more than its bullets: some are merged or dropped). */
export const TOPIC_CANDIDATES = 14;

/**
 * Maximal marginal relevance (Carbonell & Goldstein, SIGIR 1998): greedily picks items maximising
 * λ·relevance − (1−λ)·max-similarity-to-picked, with cosine similarity of the stored embeddings.
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

/** The records of a document (or of one top-level section of it), in reading order. */
export function documentRecords(target: DocumentTarget, index: KnowledgeIndex): IndexRecord[] {
  return index.documentRecords(target.source).filter((r) => !target.heading || topHeading(r) === target.heading);
}

/** Topics that ask for what was done. */
export const MEASURE_TOPIC = /举措|做法|措施|经验|办法|工作法|怎么做|如何做/;

/**
 * Passages for a topic: hybrid search (top 30, restricted to the place the topic names), kept to the
 * topic's domain when at least 4 hits remain, to the measures when the topic asks for 举措/做法 and at least 4 are
 * found, then MMR (λ = 0.8; relevance by rank since RRF scores are
 * flat; measures +0.1) over the stored embeddings. Returned best first.
 */
export async function topicPassages(
  topic: string,
  ctx: { index: KnowledgeIndex; retriever: HybridRetriever; lexicon: Lexicon },
  n = TOPIC_CANDIDATES,
): Promise<SearchHit[]> {
  const place = ctx.lexicon.places(topic)[0];
  // (the kind of summary asked, …的办法 or …的主要做法, is no topic: searched for, 办法 finds every 管理办法's articles)
  const searched = topic.replace(/的?(?:主要)?(?:举措|做法|办法|措施|经验|成效)$/, '') || topic;
  const { hits: all } = await ctx.retriever.search(searched, { k: 30, filter: place ? { place } : undefined });
  const domains = ctx.lexicon.domains(topic);
  const inDomain = all.filter((h) => h.record.domains.some((d) => domains.includes(d)));
  const inScope = domains.length && inDomain.length >= 4 ? inDomain : all;
  // a topic asking for 举措/做法/措施 is summarised from the measures when there are enough of them (the framing
  // of a 方案 — 指导思想, 总体要求, its preamble — is not a measure)
  // (the passage of a lead paragraph found as text then stands for that paragraph's measure: 001's 聚才兴产)
  const seen = new Set<string>();
  const measures = inScope.filter((h) => h.record.type === 'measure');
  // (…and a passage that measures were cut from, 创新城市基层治理模式's paragraph on 一肩挑 of a report page, stands for
  // those measures at its rank)
  const withLeads = inScope
    .flatMap((h) => {
      if (h.record.type === 'measure') return [h];
      const lead = leadMeasure(h, ctx.index);
      return [...(lead ? [lead] : []), ...measuresCutFrom(h, ctx.index)];
    })
    .filter((h) => !seen.has(h.record.id) && !!seen.add(h.record.id));
  // (…when the search found measures for the topic itself: two of its top five passages are measures or lead to one; a
  // 简报 or a 方案 has none, and the measures of other reports further down are not about the topic)
  const measureLed = inScope.slice(0, 5).filter((h) => h.record.type === 'measure' || leadMeasure(h, ctx.index)).length >= 2;
  const hits = MEASURE_TOPIC.test(topic) && measures.length >= 4 && measureLed ? withLeads : inScope;
  const candidates = hits.map((hit, i) => ({
    hit,
    vector: ctx.index.vector(hit.record.id),
    relevance: 1 - i / hits.length + (hit.record.type === 'measure' ? 0.1 : 0),
  }));
  return mmr(candidates, n, 0.8);
}

/** The measures cut from the text of the chunk `h` (their opening is in it), in reading order, at the chunk's rank. */
function measuresCutFrom(h: SearchHit, index: KnowledgeIndex): SearchHit[] {
  const id = h.record.sectionId;
  if (!id || h.record.type !== 'chunk') return [];
  return index.recordsInSection(id, { type: 'measure' }).filter((m) => h.record.text.includes(m.text.slice(0, 20))).map((m) => ({ ...h, record: m }));
}

/** The measure of the lead paragraph a chunk is the text of (same section, titled by its lead phrase), at the chunk's rank. */
function leadMeasure(h: SearchHit, index: KnowledgeIndex): SearchHit | undefined {
  const id = h.record.sectionId;
  const section = id ? index.section(id) : undefined;
  if (!section || section.role !== 'lead') return undefined;
  const m = index.recordsInSection(section.id, { type: 'measure' }).find((r) => r.measureTitle === section.heading);
  return m && { ...h, record: m };
}
