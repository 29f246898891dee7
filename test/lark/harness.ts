/**
 * Test harness: the real bot service (webhook mode, real SDK) against the Open API stand-in.
 * The assistant is the real one (`openAssistant` from src/assistant.ts), opened once per test file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Assistant } from '../../src/types.js';
import type { LarkConfig } from '../../src/lark/config.js';
import { startLarkService, type LarkService, type LarkServiceOptions } from '../../src/lark/feishu.js';
import { openChatStore } from '../../src/lark/store.js';
import { setLogLevel } from '../../src/log.js';
import {
  OpenApiStandin,
  STANDIN_APP_ID,
  STANDIN_APP_SECRET,
  STANDIN_ENCRYPT_KEY,
  STANDIN_VERIFICATION_TOKEN,
} from '../support/openapi-standin.js';

if (!process.env.LOG_LEVEL) setLogLevel('error');

let assistantPromise: Promise<Assistant> | undefined;

/** The real knowledge core over data/corpus (index built once, under a temp dir per test process). */
export function realAssistant(): Promise<Assistant> {
  assistantPromise ??= (async () => {
    const specifier = '../../src/assistant.js';
    const mod = (await import(specifier)) as { openAssistant: (o?: { dataDir?: string; indexDir?: string }) => Promise<Assistant> };
    return mod.openAssistant({ indexDir: path.join(os.tmpdir(), 'dj-lark-test-index') });
  })();
  return assistantPromise;
}

/** A running bot + stand-in pair. */
export interface Harness {
  api: OpenApiStandin;
  service: LarkService;
  cfg: LarkConfig;
  eventUrl: string;
  cardUrl: string;
  /** Stops the service (keeps the stand-in and the state DB). */
  stopService(): Promise<void>;
  /** Starts a fresh service on the same state DB (a restart). */
  restartService(): Promise<void>;
  close(): Promise<void>;
}

/** Options: config overrides and service options. */
export interface HarnessOptions {
  /** Transport (default `webhook`); `ws` connects the SDK's WSClient to the stand-in. */
  mode?: 'ws' | 'webhook';
  allowedChats?: string[];
  adminOpenIds?: string[];
  service?: Partial<LarkServiceOptions>;
  /** Other configuration (e.g. `streamInGroups`). */
  config?: Partial<LarkConfig>;
}

/** Starts the stand-in and the bot (webhook mode on 127.0.0.1, random port, unless `mode: 'ws'`), fast retries. */
export async function startHarness(assistant: Assistant, opts: HarnessOptions = {}): Promise<Harness> {
  const api = await OpenApiStandin.start();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-lark-'));
  const cfg: LarkConfig = {
    kind: 'lark',
    appId: STANDIN_APP_ID,
    appSecret: STANDIN_APP_SECRET,
    baseUrl: api.baseUrl,
    mode: opts.mode ?? 'webhook',
    encryptKey: STANDIN_ENCRYPT_KEY,
    verificationToken: STANDIN_VERIFICATION_TOKEN,
    webhook: { host: '127.0.0.1', port: 0, eventPath: '/webhook/event', cardPath: '/webhook/card' },
    allowedChats: opts.allowedChats ?? [],
    adminOpenIds: opts.adminOpenIds ?? [],
    stateDb: path.join(dir, 'lark.db'),
    historyTurns: 3,
    ...opts.config,
  };
  const start = async () =>
    startLarkService(cfg, { assistant, retry: { minDelayMs: 10, maxDelayMs: 50, retries: 4 }, ...opts.service, store: await openChatStore(cfg.stateDb, { env: {} }) });
  const h: Harness = {
    api,
    cfg,
    service: await start(),
    eventUrl: '',
    cardUrl: '',
    async stopService() {
      await h.service.close();
      await h.service.store.close();
    },
    async restartService() {
      h.service = await start();
      h.eventUrl = `${h.service.transport.url}/webhook/event`;
      h.cardUrl = `${h.service.transport.url}/webhook/card`;
    },
    async close() {
      await h.stopService();
      await api.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  h.eventUrl = `${h.service.transport.url}/webhook/event`;
  h.cardUrl = `${h.service.transport.url}/webhook/card`;
  return h;
}

/** All text of a card (markdown contents, titles, button labels), for assertions. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(card);
  return out.join('\n');
}

/** Finds the first element with this tag anywhere in a card. */
export function findTag(card: unknown, tag: string): Record<string, unknown> | undefined {
  if (Array.isArray(card)) {
    for (const x of card) {
      const f = findTag(x, tag);
      if (f) return f;
    }
  } else if (card && typeof card === 'object') {
    const o = card as Record<string, unknown>;
    if (o.tag === tag) return o;
    for (const v of Object.values(o)) {
      const f = findTag(v, tag);
      if (f) return f;
    }
  }
  return undefined;
}
