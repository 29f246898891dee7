import crypto from 'node:crypto';
import { Embeddings } from '@langchain/core/embeddings';
import { OpenAIEmbeddings } from '@langchain/openai';
import type { EmbeddingSettings } from '../config.js';
import { tokenize } from './tokenize.js';

/**
 * The offline default embedding, honestly named: **hashed lexical features**, not a neural model.
 * A text becomes jieba search-mode words (weight 1) plus CJK character bigrams (weight 0.5), each
 * hashed (FNV-1a, 32 bit) into `dimensions` buckets with a sign bit (the "hashing trick",
 * Weinberger et al. 2009), weighted 1 + ln(tf), and L2-normalised, so cosine similarity measures
 * word and bigram overlap. It needs no download and gives partial-word matches
 * (大学毕业生 ~ 大学生 through 大学); meaning-level paraphrase comes from glossary query expansion.
 */
export class HashingEmbeddings extends Embeddings {
  readonly dimensions: number;

  constructor(dimensions = 1024) {
    super({});
    this.dimensions = dimensions;
  }

  /** Embeds one text; returns a unit vector of `dimensions` numbers (all zeros for a text without features). */
  embedText(text: string): number[] {
    return this.embedTokens(text, tokenize(text));
  }

  /** `embedText` for a text whose `tokenize` tokens are already known (ingest computes them once for BM25 too). */
  embedTokens(text: string, tokens: string[]): number[] {
    const counts = new Map<string, number>();
    const add = (f: string, w: number) => counts.set(f, (counts.get(f) ?? 0) + w);
    for (const t of tokens) add(`w:${t}`, 1);
    const cjk = text.replace(/[^\u3400-\u9fff]+/g, '|');
    for (let i = 0; i + 1 < cjk.length; i++) {
      if (cjk[i] !== '|' && cjk[i + 1] !== '|') add(`b:${cjk.slice(i, i + 2)}`, 0.5);
    }
    const v = new Float64Array(this.dimensions);
    for (const [f, c] of counts) {
      const h = fnv1a(f);
      v[h % this.dimensions]! += (h & 0x80000000 ? -1 : 1) * (1 + Math.log(c));
    }
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    return Array.from(v, (x) => x / norm);
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    return documents.map((d) => this.embedText(d));
  }

  async embedQuery(document: string): Promise<number[]> {
    return this.embedText(document);
  }
}

/** FNV-1a 32-bit hash of a string's UTF-16 units (unsigned). */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Creates the configured embedding model behind LangChain's `Embeddings` interface:
 * `hash` → `HashingEmbeddings`; `openai` → `@langchain/openai` `OpenAIEmbeddings` on the configured
 * base URL (OpenAI, DeepSeek, Qwen/DashScope, a local Ollama/vLLM/Xinference serving bge-m3, …),
 * sending `batchSize` texts per request and retrying 429/5xx/connection errors 3 times with backoff.
 */
export function createEmbeddings(s: EmbeddingSettings): Embeddings {
  if (s.provider === 'hash') return new HashingEmbeddings(s.dimensions ?? 1024);
  return new OpenAIEmbeddings({
    model: s.model,
    apiKey: s.apiKey,
    dimensions: s.dimensions,
    batchSize: s.batchSize,
    maxRetries: 3,
    configuration: { baseURL: s.baseURL },
  });
}

/**
 * Identity of the embedding space: provider, model, base URL and dimensions (not the API key).
 * Vectors from two different fingerprints are never mixed in one index.
 */
export function embeddingFingerprint(s: EmbeddingSettings): string {
  const id = JSON.stringify({ provider: s.provider, model: s.model, baseURL: s.baseURL ?? null, dimensions: s.dimensions ?? null });
  return crypto.createHash('sha256').update(id).digest('hex').slice(0, 16);
}
