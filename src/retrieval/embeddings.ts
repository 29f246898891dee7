import crypto from 'node:crypto';
import { Embeddings } from '@langchain/core/embeddings';
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

  /**
   * `embedText` for a text whose `tokenize` tokens are already known (ingest computes them once for BM25 too).
   * Words and bigrams are counted in two maps (a bigram keyed by its two UTF-16 units) and hashed as the strings
   * `w:<word>` and `b:<bigram>` without building them; the sums are taken in the same order (words, then bigrams,
   * each in first-seen order), so the vector is the same to the last bit.
   */
  embedTokens(text: string, tokens: string[]): number[] {
    const words = new Map<string, number>();
    for (const t of tokens) words.set(t, (words.get(t) ?? 0) + 1);
    const bigrams = new Map<number, number>();
    for (let i = 0; i + 1 < text.length; i++) {
      const a = text.charCodeAt(i);
      const b = text.charCodeAt(i + 1);
      if (a >= 0x3400 && a <= 0x9fff && b >= 0x3400 && b <= 0x9fff) {
        const key = a * 0x10000 + b;
        bigrams.set(key, (bigrams.get(key) ?? 0) + 0.5);
      }
    }
    const v = new Float64Array(this.dimensions);
    const add = (h: number, c: number) => {
      v[h % this.dimensions]! += (h & 0x80000000 ? -1 : 1) * (1 + Math.log(c));
    };
    for (const [w, c] of words) add(fnv1a(w, WORD_SEED), c);
    for (const [k, c] of bigrams) add(fnv1aStep(fnv1aStep(BIGRAM_SEED, Math.floor(k / 0x10000)), k % 0x10000) >>> 0, c);
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

const FNV_OFFSET = 0x811c9dc5;

/** One FNV-1a step: the state after hashing one more UTF-16 unit (signed 32-bit). */
function fnv1aStep(h: number, unit: number): number {
  return Math.imul(h ^ unit, 0x01000193);
}

/** FNV-1a 32-bit hash of a string's UTF-16 units (unsigned), continuing from state `seed`. */
function fnv1a(s: string, seed = FNV_OFFSET): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = fnv1aStep(h, s.charCodeAt(i));
  return h >>> 0;
}

/** FNV-1a states after the feature prefixes `w:` and `b:`. */
const WORD_SEED = fnv1aStep(fnv1aStep(FNV_OFFSET, 0x77), 0x3a);
const BIGRAM_SEED = fnv1aStep(fnv1aStep(FNV_OFFSET, 0x62), 0x3a);

/**
 * Creates the configured embedding model behind LangChain's `Embeddings` interface:
 * `hash` → `HashingEmbeddings`; `openai` → `@langchain/openai` `OpenAIEmbeddings` on the configured
 * base URL (OpenAI, DeepSeek, Qwen/DashScope, a local Ollama/vLLM/Xinference serving bge-m3, …),
 * sending `batchSize` texts per request and retrying 429/5xx/connection errors 3 times with backoff.
 */
export function createEmbeddings(s: EmbeddingSettings): Embeddings {
  if (s.provider === 'hash') return new HashingEmbeddings(s.dimensions ?? 1024);
  return new RemoteEmbeddings(s);
}

/**
 * `@langchain/openai`'s `OpenAIEmbeddings` with the settings above, loaded on the first call: the package and
 * the SDK are about 650 modules (0.9 s of CPU) that a command on the offline embedding never needs.
 */
class RemoteEmbeddings extends Embeddings {
  private model?: Promise<Embeddings>;

  constructor(private readonly settings: EmbeddingSettings) {
    super({});
  }

  private load(): Promise<Embeddings> {
    const s = this.settings;
    this.model ??= import('@langchain/openai').then(
      ({ OpenAIEmbeddings }) =>
        new OpenAIEmbeddings({ model: s.model, apiKey: s.apiKey, dimensions: s.dimensions, batchSize: s.batchSize, maxRetries: 3, configuration: { baseURL: s.baseURL } }),
    );
    return this.model;
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    return (await this.load()).embedDocuments(documents);
  }

  async embedQuery(document: string): Promise<number[]> {
    return (await this.load()).embedQuery(document);
  }
}

/**
 * Identity of the embedding space: provider, model, base URL and dimensions (not the API key).
 * Vectors from two different fingerprints are never mixed in one index.
 */
export function embeddingFingerprint(s: EmbeddingSettings): string {
  const id = JSON.stringify({ provider: s.provider, model: s.model, baseURL: s.baseURL ?? null, dimensions: s.dimensions ?? null });
  return crypto.createHash('sha256').update(id).digest('hex').slice(0, 16);
}
