import path from 'node:path';
import { z } from 'zod';

/**
 * Configuration of the knowledge core, read from environment variables and validated with zod.
 * Everything is optional: with nothing set the product runs on the embedded default
 * (offline hashed n-gram embeddings, extractive answers). Setting `LLM_BASE_URL`+`LLM_MODEL`
 * switches answers and summaries to an OpenAI-compatible chat model; `EMBEDDING_PROVIDER=openai`
 * switches embeddings to an OpenAI-compatible endpoint.
 */
const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const optionalUrl = z.preprocess(emptyToUndefined, z.url({ message: 'must be a URL like http://127.0.0.1:11434/v1' }).optional());
/** A whole number in [min, max] (inclusive), `def` when unset. The message names the range. */
const wholeNumber = (min: number, max: number) =>
  z.coerce
    .number({ message: `must be a whole number from ${min} to ${max}` })
    .int({ message: `must be a whole number from ${min} to ${max}` })
    .min(min, { message: `must be at least ${min}` })
    .max(max, { message: `must be at most ${max}` });
const boundedInt = (min: number, max: number, def: number) => z.preprocess(emptyToUndefined, wholeNumber(min, max).default(def));
const optionalBoundedInt = (min: number, max: number) => z.preprocess(emptyToUndefined, wholeNumber(min, max).optional());

/** Longest timer Node accepts: a larger setTimeout delay fires at once (2^31 − 1 ms, about 24.8 days). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The environment variables of the knowledge core (see README, Configuration). */
export const CoreEnvSchema = z
  .object({
    /** Folder holding corpus/, glossary.yaml, lexicon.yaml, checklists/, calendar/. Default `data` (relative to the working directory). */
    DJ_DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('data')),
    /** Folder for the persisted index (hnswlib file, chunk store, manifest). Default `var/index`. */
    DJ_INDEX_DIR: z.preprocess(emptyToUndefined, z.string().default('var/index')),
    /** `hash` (offline default: hashed character n-grams + jieba words) or `openai` (OpenAI-compatible /embeddings). */
    EMBEDDING_PROVIDER: z.preprocess(emptyToUndefined, z.enum(['hash', 'openai']).default('hash')),
    EMBEDDING_BASE_URL: optionalUrl,
    EMBEDDING_API_KEY: optionalString,
    EMBEDDING_MODEL: optionalString,
    /** Requested output dimensions (only sent when set; e.g. 1024 for bge-m3). */
    EMBEDDING_DIMENSIONS: optionalBoundedInt(1, 16_384),
    /** Texts per /embeddings request (OpenAI accepts at most 2048 inputs per request). */
    EMBEDDING_BATCH_SIZE: boundedInt(1, 2048, 32),
    /** OpenAI-compatible chat endpoint (e.g. https://api.deepseek.com/v1, http://127.0.0.1:11434/v1). */
    LLM_BASE_URL: optionalUrl,
    LLM_API_KEY: optionalString,
    LLM_MODEL: optionalString,
    /** Per-request timeout in milliseconds before falling back to the extractive answer. */
    LLM_TIMEOUT_MS: boundedInt(1, MAX_TIMER_MS, 20_000),
    /** Retries of a failed chat request (429/5xx/connection) before falling back. */
    LLM_MAX_RETRIES: boundedInt(0, 10, 1),
  })
  .superRefine((env, ctx) => {
    if (env.EMBEDDING_PROVIDER === 'openai') {
      if (!env.EMBEDDING_BASE_URL) ctx.addIssue({ code: 'custom', path: ['EMBEDDING_BASE_URL'], message: 'required when EMBEDDING_PROVIDER=openai' });
      if (!env.EMBEDDING_MODEL) ctx.addIssue({ code: 'custom', path: ['EMBEDDING_MODEL'], message: 'required when EMBEDDING_PROVIDER=openai' });
    }
    if (env.LLM_BASE_URL && !env.LLM_MODEL) ctx.addIssue({ code: 'custom', path: ['LLM_MODEL'], message: 'required when LLM_BASE_URL is set' });
    if (env.LLM_MODEL && !env.LLM_BASE_URL) ctx.addIssue({ code: 'custom', path: ['LLM_BASE_URL'], message: 'required when LLM_MODEL is set' });
  });

/** Embedding settings; their JSON is part of the index fingerprint (a change forces a rebuild). */
export interface EmbeddingSettings {
  provider: 'hash' | 'openai';
  model: string;
  baseURL?: string;
  apiKey?: string;
  dimensions?: number;
  batchSize: number;
}

/** Chat-model settings, absent on the embedded default. */
export interface LlmSettings {
  baseURL: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
  maxRetries: number;
}

/** The validated core configuration with resolved absolute paths. */
export interface CoreConfig {
  dataDir: string;
  corpusDir: string;
  /** `<dataDir>/checklists`: the reminder checklists (see {@link dataFolders}). */
  checklistDir: string;
  /** `<dataDir>/calendar`: the working-day calendar files `cn-<year>.yaml`. */
  calendarDir: string;
  indexDir: string;
  embedding: EmbeddingSettings;
  llm?: LlmSettings;
}

/**
 * The folders below a data folder (README, Configuration: `DJ_DATA_DIR`): `corpus/`, `checklists/`, `calendar/`.
 * Every path derived from the data folder comes from here, so that all of them follow `DJ_DATA_DIR`.
 */
export function dataFolders(dataDir: string): Pick<CoreConfig, 'corpusDir' | 'checklistDir' | 'calendarDir'> {
  const root = path.resolve(dataDir);
  return { corpusDir: path.join(root, 'corpus'), checklistDir: path.join(root, 'checklists'), calendarDir: path.join(root, 'calendar') };
}

/**
 * The data folder alone (`DJ_DATA_DIR`, default `data`, resolved against the working directory), for the
 * commands that need its folders but not the rest of the configuration (`remind`, `tasks`). Never throws.
 */
export function dataDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(CoreEnvSchema.shape.DJ_DATA_DIR.parse(env.DJ_DATA_DIR));
}

/** Thrown when an environment variable has a bad value; the message lists every problem. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Formats zod issues as `NAME: reason` lines. */
export function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`).join('\n');
}

/**
 * Reads and validates the core configuration.
 * @param env defaults to `process.env`; `overrides` (e.g. from CLI flags) win over it.
 * @throws ConfigError listing every invalid variable.
 */
export function loadCoreConfig(env: NodeJS.ProcessEnv = process.env, overrides: { dataDir?: string; indexDir?: string } = {}): CoreConfig {
  const parsed = CoreEnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(`invalid configuration:\n${formatIssues(parsed.error)}`);
  const e = parsed.data;
  const dataDir = path.resolve(overrides.dataDir ?? e.DJ_DATA_DIR);
  return {
    dataDir,
    ...dataFolders(dataDir),
    indexDir: path.resolve(overrides.indexDir ?? e.DJ_INDEX_DIR),
    embedding:
      e.EMBEDDING_PROVIDER === 'openai'
        ? {
            provider: 'openai',
            model: e.EMBEDDING_MODEL!,
            baseURL: e.EMBEDDING_BASE_URL,
            apiKey: e.EMBEDDING_API_KEY ?? 'not-needed',
            dimensions: e.EMBEDDING_DIMENSIONS,
            batchSize: e.EMBEDDING_BATCH_SIZE,
          }
        : { provider: 'hash', model: 'hash-ngram-v1', dimensions: 1024, batchSize: e.EMBEDDING_BATCH_SIZE },
    llm: e.LLM_BASE_URL
      ? { baseURL: e.LLM_BASE_URL, apiKey: e.LLM_API_KEY ?? 'not-needed', model: e.LLM_MODEL!, timeoutMs: e.LLM_TIMEOUT_MS, maxRetries: e.LLM_MAX_RETRIES }
      : undefined,
  };
}
