import { createServer, type IncomingMessage as HttpRequest, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import * as lark from '@larksuiteoapi/node-sdk';
import type { Assistant } from '../types.js';
import { log } from '../log.js';
import type { LarkConfig } from './config.js';
import type { CardActionRoute, ChatCommand, ChatPlatform, MessageHandler, Messenger } from './contracts.js';
import { ConversationHandler } from './conversation.js';
import { toCardActionContext, toIncomingMessage, type ReceiveEventData } from './events.js';
import { LarkMessenger, sdkLogger, type RetryPolicy } from './messenger.js';
import { LarkPlatform } from './platform.js';
import type { SendLimits } from './send-limiter.js';
import { openChatStore, type ChatStore } from './store.js';
import { CardStreamer } from './stream-card.js';
import { TokenCache } from './token-cache.js';
import { verifyLarkRequest } from './request-verification.js';

/**
 * Creates the SDK client for the configured app and domain (`domain` accepts a base URL), with its
 * own token cache (pass `tokens` to keep a handle for dropping a refused tenant_access_token).
 */
export function createLarkClient(cfg: Pick<LarkConfig, 'appId' | 'appSecret' | 'baseUrl'>, tokens = new TokenCache()): lark.Client {
  return new lark.Client({
    appId: cfg.appId,
    appSecret: cfg.appSecret,
    appType: lark.AppType.SelfBuild,
    domain: cfg.baseUrl,
    cache: tokens,
    logger: sdkLogger,
    loggerLevel: lark.LoggerLevel.warn,
  });
}

/**
 * Looks up the bot's own open_id (`GET /open-apis/bot/v3/info`, through the SDK's generic request).
 * Returns undefined (and logs) when the call fails.
 */
export async function fetchBotOpenId(client: lark.Client): Promise<string | undefined> {
  try {
    const res = (await client.request({ method: 'GET', url: '/open-apis/bot/v3/info' })) as { code?: number; bot?: { open_id?: string } };
    if (res?.bot?.open_id) return res.bot.open_id;
    log.warn({ code: res?.code }, 'lark: bot/v3/info returned no open_id');
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'lark: could not fetch the bot open_id; only exact mentions of the bot name count until it is known');
  }
  return undefined;
}

/** Delays between attempts of {@link BotIdentity}: 1 s doubling to at most 5 minutes. */
export interface IdentityRetry {
  firstDelayMs: number;
  maxDelayMs: number;
}

/**
 * The bot's open_id, fetched in the background and retried (1 s doubling, at most every 5 minutes)
 * until known. `get()` is undefined until then; the conversation handler then counts only mentions
 * whose name is exactly the bot's name.
 */
export class BotIdentity {
  private openId: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly client: lark.Client,
    configured?: string,
    private readonly retry: IdentityRetry = { firstDelayMs: 1_000, maxDelayMs: 300_000 },
  ) {
    this.openId = configured;
  }

  /** The open_id when known. */
  get(): string | undefined {
    return this.openId;
  }

  /** Tries once now; if that fails keeps retrying in the background. Resolves after the first attempt. */
  async start(): Promise<void> {
    if (this.openId) return;
    let delay = this.retry.firstDelayMs;
    const attempt = async (): Promise<void> => {
      if (this.stopped) return;
      this.openId = await fetchBotOpenId(this.client);
      if (this.openId) {
        log.info({ botOpenId: this.openId }, 'lark: bot open_id known');
        return;
      }
      if (this.stopped) return;
      this.timer = setTimeout(() => void attempt(), delay);
      this.timer.unref?.();
      delay = Math.min(delay * 2, this.retry.maxDelayMs);
    };
    await attempt();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}

/** The fields we read from the lifecycle events (`chat_id`, `operator_id`; header merged in by the SDK). */
interface LifecycleData {
  event_id?: string;
  chat_id?: string;
  operator_id?: { open_id?: string };
}

/** Builds the EventDispatcher with our handlers: messages are acknowledged at once and answered in the background. */
export function createEventDispatcher(cfg: Pick<LarkConfig, 'encryptKey' | 'verificationToken'>, handler: ConversationHandler): lark.EventDispatcher {
  const dispatcher = new lark.EventDispatcher({
    encryptKey: cfg.encryptKey,
    verificationToken: cfg.verificationToken,
    logger: sdkLogger,
    loggerLevel: lark.LoggerLevel.warn,
  });
  return dispatcher.register<{ 'card.action.trigger': (data: Record<string, unknown>) => Promise<unknown> }>({
    'im.message.receive_v1': async (data) => {
      // acknowledged only once the message is durably accepted (or known as a duplicate)
      const r = await handler.receive(toIncomingMessage(data as ReceiveEventData));
      return { accepted: r.accepted };
    },
    'im.chat.member.bot.added_v1': (data) => {
      const d = data as LifecycleData;
      void handler.handleLifecycle({ kind: 'bot-added', eventId: d.event_id, chatId: d.chat_id ?? '', operatorOpenId: d.operator_id?.open_id });
      return {};
    },
    'im.chat.member.bot.deleted_v1': (data) => {
      const d = data as LifecycleData;
      void handler.handleLifecycle({ kind: 'bot-removed', eventId: d.event_id, chatId: d.chat_id ?? '', operatorOpenId: d.operator_id?.open_id });
      return {};
    },
    'im.chat.access_event.bot_p2p_chat_entered_v1': (data) => {
      const d = data as LifecycleData;
      void handler.handleLifecycle({ kind: 'p2p-entered', eventId: d.event_id, chatId: d.chat_id ?? '', operatorOpenId: d.operator_id?.open_id });
      return {};
    },
    // In ws mode card callbacks arrive as events on the long connection.
    'card.action.trigger': async (data) => {
      const ctx = toCardActionContext(data);
      return ctx ? handler.handleCardAction(ctx) : {};
    },
  });
}

/** Builds the CardActionHandler used for the card callback URL in webhook mode. */
export function createCardActionHandler(cfg: Pick<LarkConfig, 'encryptKey' | 'verificationToken'>, handler: ConversationHandler): lark.CardActionHandler {
  return new lark.CardActionHandler(
    { encryptKey: cfg.encryptKey, verificationToken: cfg.verificationToken, logger: sdkLogger, loggerLevel: lark.LoggerLevel.warn },
    async (data: Record<string, unknown>) => {
      const ctx = toCardActionContext(data);
      return ctx ? handler.handleCardAction(ctx) : {};
    },
  );
}

/** A running transport (long connection or webhook server). */
export interface LarkTransport {
  mode: 'ws' | 'webhook';
  /** Webhook mode: the base URL actually listened on, e.g. `http://127.0.0.1:3000`. */
  url?: string;
  close(): Promise<void>;
}

async function readBody(req: HttpRequest, limit = 1024 * 1024): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Replays a body we already read into a request-like stream for the SDK's `adaptDefault`. */
function replay(req: HttpRequest, path: string, raw: string): PassThrough & { url: string; headers: HttpRequest['headers']; method?: string } {
  const s = Object.assign(new PassThrough(), { url: path, headers: req.headers, method: req.method });
  s.end(raw);
  return s;
}

/**
 * Starts the webhook server: `POST eventPath` (events, via `adaptDefault` + EventDispatcher with
 * auto-challenge), `POST cardPath` (card callbacks, via `adaptDefault` + CardActionHandler), and
 * `GET /healthz`. Each delivery is checked with {@link verifyLarkRequest} first (401 on failure).
 * Message events are acknowledged at once (well inside Feishu's 3-second window) and answered asynchronously.
 */
export async function startWebhookServer(cfg: LarkConfig, handler: ConversationHandler): Promise<LarkTransport> {
  const { eventPath, cardPath, host, port } = cfg.webhook;
  const events = lark.adaptDefault(eventPath, createEventDispatcher(cfg, handler), { autoChallenge: true });
  const cards = lark.adaptDefault(cardPath, createCardActionHandler(cfg, handler), { autoChallenge: true });
  // acknowledgements first: while deliveries are in flight, no new answer starts (see holdAnswering)
  let inFlight = 0;
  const server: Server = createServer((req: HttpRequest, res: ServerResponse) => {
    if (inFlight++ === 0) handler.holdAnswering();
    res.once('close', () => {
      if (--inFlight === 0) handler.resumeAnswering();
    });
    void (async () => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'GET' && path === '/healthz') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        return;
      }
      if (req.method !== 'POST' || (path !== eventPath && path !== cardPath)) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"msg":"not found"}');
        return;
      }
      const raw = await readBody(req);
      if (raw === undefined) {
        res.writeHead(413, { 'content-type': 'application/json' }).end('{"msg":"body too large"}');
        return;
      }
      const check = verifyLarkRequest(raw, req.headers, cfg);
      if (!check.ok) {
        log.warn({ path, reason: check.reason, remote: req.socket.remoteAddress }, 'lark: webhook delivery rejected');
        res.writeHead(check.status, { 'content-type': 'application/json' }).end(JSON.stringify({ msg: check.reason }));
        return;
      }
      res.setHeader('content-type', 'application/json; charset=utf-8');
      await (path === eventPath ? events : cards)(replay(req, path, raw), res);
      if (!res.writableEnded) res.end();
    })().catch((err: unknown) => {
      log.error({ err }, 'lark: webhook request failed');
      if (!res.headersSent) res.writeHead(500);
      if (!res.writableEnded) res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // a deep accept queue: Feishu may open many connections at once after an outage
    server.listen({ port, host, backlog: 2048 }, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const url = `http://${addr.address.includes(':') ? `[${addr.address}]` : addr.address}:${addr.port}`;
  log.info({ url, eventPath, cardPath }, 'lark: webhook server listening');
  return {
    mode: 'webhook',
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/**
 * Starts the long connection (WSClient); events and card callbacks arrive on it. No public address
 * needed. Waits up to `readyTimeoutMs` (default 15 s) for the first handshake; if it has not
 * succeeded by then it logs an error and keeps retrying in the background (the SDK reconnects).
 * @throws Error when the SDK gives up at once (e.g. bad credentials) before the timeout.
 */
export async function startLongConnection(cfg: LarkConfig, handler: ConversationHandler, readyTimeoutMs = 15_000): Promise<LarkTransport> {
  let markReady: () => void = () => {};
  let markFailed: (err: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    markFailed = reject;
  });
  const ws = new lark.WSClient({
    appId: cfg.appId,
    appSecret: cfg.appSecret,
    domain: cfg.baseUrl,
    logger: sdkLogger,
    loggerLevel: lark.LoggerLevel.info,
    onReady: () => {
      log.info('lark: long connection ready');
      markReady();
    },
    onError: (err) => {
      log.error({ err: err.message }, 'lark: long connection failed');
      markFailed(err);
    },
    onReconnecting: () => log.warn('lark: long connection lost, reconnecting'),
    onReconnected: () => log.info('lark: long connection restored'),
  });
  await ws.start({ eventDispatcher: createEventDispatcher(cfg, handler) });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), readyTimeoutMs);
  });
  try {
    const r = await Promise.race([ready, timeout]);
    if (r === 'timeout') log.error({ readyTimeoutMs }, 'lark: long connection not ready yet; still retrying in the background');
  } catch (err) {
    ws.close({ force: true });
    throw new Error(`lark: long connection could not start: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
  return { mode: 'ws', close: async () => ws.close({ force: true }) };
}

/** Commands, card routes and message handlers contributed by other features (reminders, documents), created with the messenger. */
export interface Extensions {
  commands?: ChatCommand[];
  cardRoutes?: CardActionRoute[];
  /** Handlers of files, links and replies to cards (see `MessageHandler`). */
  messageHandlers?: MessageHandler[];
  /** Called on shutdown. */
  close?: () => Promise<void> | void;
  /** The bot was removed from a group (`im.chat.member.bot.deleted_v1`). */
  onBotRemoved?: (chatId: string) => Promise<void> | void;
  /** The bot was added to a group (`im.chat.member.bot.added_v1`). */
  onBotAdded?: (chatId: string) => Promise<void> | void;
}

/** Options of {@link startLarkService}. */
export interface LarkServiceOptions {
  assistant: Assistant;
  /** Defaults to a store on `DATABASE_URL` when set, else on the SQLite file `cfg.stateDb`. */
  store?: ChatStore;
  retry?: Partial<RetryPolicy>;
  /** Send rates (default: the platform's, see `SendLimiter`). */
  limits?: Partial<SendLimits>;
  /** How often deferred answers in the inbox are retried, ms (default 15 000). */
  recoveryIntervalMs?: number;
  /** Hook to start features that send through the messenger and add commands/routes; `platform` downloads files and looks up chats. */
  extensions?: (messenger: Messenger, platform?: ChatPlatform) => Promise<Extensions> | Extensions;
  /** Retry delays of the bot open_id lookup (default 1 s doubling to 5 min). */
  identityRetry?: IdentityRetry;
}

/** The running Feishu/Lark bot. */
export interface LarkService {
  client: lark.Client;
  messenger: LarkMessenger;
  handler: ConversationHandler;
  store: ChatStore;
  transport: LarkTransport;
  /** The bot's open_id once known (fetched and retried in the background). */
  readonly botOpenId?: string;
  /** Stops the transport, waits for answers in flight, closes extensions and the store. */
  close(): Promise<void>;
}

/**
 * Starts the bot: SDK client → messenger (with retries) → extensions (reminders) → conversation
 * handler → transport (`ws` long connection or `webhook` server).
 * @throws when the webhook port cannot be bound or the long connection cannot start.
 */
export async function startLarkService(cfg: LarkConfig, opts: LarkServiceOptions): Promise<LarkService> {
  const tokens = new TokenCache();
  const client = createLarkClient(cfg, tokens);
  const store = opts.store ?? (await openChatStore(cfg.stateDb));
  const messenger = new LarkMessenger(client, {
    retry: opts.retry,
    tokens,
    limits: opts.limits,
    onUndeliverable: (chat) => {
      store.recordUndeliverable(chat).catch((err: unknown) => log.error({ err, chatId: chat.chatId }, 'lark: could not record an undeliverable chat'));
      log.error({ chatId: chat.chatId, code: chat.code, msg: chat.msg }, 'lark: the bot cannot post to this chat (removed or chat closed); recorded');
    },
  });
  const identity = new BotIdentity(client, cfg.botOpenId, opts.identityRetry);
  await identity.start();
  const ext = (await opts.extensions?.(messenger, new LarkPlatform(client, (chatId) => messenger.chatInfo(chatId)))) ?? {};
  // streaming cards are recorded in the chat state until closed; those a stopped process left open are closed
  // now and at every lease length (so a card of a replica that stopped a moment ago is closed once its lease expired)
  const streamer = cfg.stream === false ? undefined : new CardStreamer(client, messenger, { registry: store });
  const closeInterrupted = () => void streamer?.closeInterrupted();
  closeInterrupted();
  const streamSweep = streamer ? setInterval(closeInterrupted, Math.max(store.leaseMs, 1000)) : undefined;
  streamSweep?.unref();
  const handler = new ConversationHandler({
    assistant: opts.assistant,
    messenger,
    store,
    commands: ext.commands,
    cardRoutes: ext.cardRoutes,
    messageHandlers: ext.messageHandlers,
    allowedChats: cfg.allowedChats,
    botOpenId: () => identity.get(),
    botName: cfg.botName,
    onBotRemoved: ext.onBotRemoved,
    onBotAdded: ext.onBotAdded,
    historyTurns: cfg.historyTurns,
    adminOpenIds: cfg.adminOpenIds,
    streamer,
    streamInGroups: cfg.streamInGroups,
    groupFilesWithoutMention: cfg.groupMsgScope,
  });
  const transport = cfg.mode === 'webhook' ? await startWebhookServer(cfg, handler) : await startLongConnection(cfg, handler);
  // answer what an earlier run accepted but did not answer, then keep retrying deferred answers
  handler.startRecovery(opts.recoveryIntervalMs);
  log.info({ mode: cfg.mode, domain: cfg.baseUrl, botOpenId: identity.get(), allowedChats: cfg.allowedChats.length || 'all' }, 'lark: bot started');
  return {
    client,
    messenger,
    handler,
    store,
    transport,
    get botOpenId() {
      return identity.get();
    },
    async close() {
      identity.stop();
      clearInterval(streamSweep);
      await transport.close();
      handler.stopRecovery();
      await handler.idle();
      await ext.close?.();
      if (!opts.store) await store.close();
    },
  };
}
