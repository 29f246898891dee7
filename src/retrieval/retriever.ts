import type { ExpandedQuery, Glossary } from './glossary.js';
import { reciprocalRankFusion } from './fusion.js';
import type { IndexRecord, KnowledgeIndex, RecordFilter } from './knowledge-index.js';
import { rerank, type Booster } from './reranker.js';

/** Metadata filter of a search; every field given must match (place: in it or below it; source: file name or its beginning). */
export type SearchFilter = RecordFilter;

/** Which ranking to use: both fused (default), or one of them alone (for evaluation). */
export type SearchMode = 'hybrid' | 'bm25' | 'vector';

/** Options of `HybridRetriever.search`: top-k (default 5), filter, ranking mode, candidate depth, reranker. */
export interface SearchOptions {
  k?: number;
  filter?: SearchFilter;
  mode?: SearchMode;
  /** Candidates taken from each ranking before fusion. Default 50. */
  depth?: number;
  /** Apply the reranker (boost and de-duplication; default true for hybrid, false otherwise). */
  rerank?: boolean;
  /** Score boost per record for the reranker (e.g. the answer layer's figure match), in top-rank units. */
  boost?: Booster;
}

/** One search hit. `score` is the RRF score (hybrid), the BM25 score, or the cosine similarity. */
export interface SearchHit {
  rank: number;
  score: number;
  record: IndexRecord;
  /** 1-based ranks in the BM25 and vector lists (undefined when absent from that list). */
  bm25Rank?: number;
  vectorRank?: number;
}

/**
 * Hybrid retriever: BM25 over jieba tokens (SQLite FTS5) and cosine search over embeddings (exact sparse or HNSW), fused by
 * reciprocal rank fusion (k = 60; a passage missing from one top-`depth` list counts at rank depth + 1 there), both fed
 * with the glossary-expanded query, both honouring the filter.
 */
export class HybridRetriever {
  constructor(
    readonly index: KnowledgeIndex,
    readonly glossary: Glossary,
  ) {}

  /** Expands and searches. Returns at most `k` hits (default 5), best first. */
  async search(query: string, options: SearchOptions = {}): Promise<{ expanded: ExpandedQuery; hits: SearchHit[] }> {
    const expanded = this.glossary.expand(query);
    const k = options.k ?? 5;
    const useReranker = options.rerank ?? (options.mode ?? 'hybrid') === 'hybrid';
    if (!useReranker) return { expanded, hits: await this.searchExpanded(expanded, options) };
    const pool = await this.searchExpanded(expanded, { ...options, k: Math.max(30, k * 4) });
    return { expanded, hits: rerank(pool, k, options.boost) };
  }

  /** Searches with an already expanded query (see `Glossary.expand`). */
  async searchExpanded(expanded: ExpandedQuery, options: SearchOptions = {}): Promise<SearchHit[]> {
    const { k = 5, mode = 'hybrid', depth = 50 } = options;
    const allow = this.index.labelFilter(options.filter);
    // both lists and their fusion are by index label; only the k fused hits are read from the database
    const bm25 = mode === 'vector' ? [] : this.index.bm25.search(expanded.terms, depth, allow);
    let vector: { label: number; score: number }[] = [];
    if (mode !== 'bm25') {
      const qv = await this.index.embeddings.embedQuery(expanded.text);
      vector = this.index.store.search(qv, depth, allow);
    }

    const bm25Rank = new Map(bm25.map((h, i) => [h.label, i + 1]));
    const vectorRank = new Map(vector.map((h, i) => [h.label, i + 1]));
    const ranked =
      mode === 'bm25'
        ? bm25
        : mode === 'vector'
          ? vector
          : reciprocalRankFusion([{ ids: bm25.map((h) => h.label), depth }, { ids: vector.map((h) => h.label), depth }]).map((h) => ({ label: h.id, score: h.score }));
    const hits: SearchHit[] = [];
    for (const h of ranked) {
      if (hits.length >= k) break;
      // a label whose record is gone (the index was updated in place while this object was in use) is skipped
      const record = this.index.recordAt(h.label);
      if (record) hits.push({ rank: hits.length + 1, score: h.score, record, bm25Rank: bm25Rank.get(h.label), vectorRank: vectorRank.get(h.label) });
    }
    return hits;
  }
}
