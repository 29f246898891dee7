/**
 * A stand-in for the Feishu/Lark Open API, for tests and benchmarks. It listens on 127.0.0.1
 * (random port) and speaks the Open API's wire format closely enough for the real
 * `@larksuiteoapi/node-sdk` `Client` to use it through its `domain` option:
 *
 * - `POST /open-apis/auth/v3/tenant_access_token/internal` (checks app_id/app_secret)
 * - `POST /open-apis/im/v1/messages?receive_id_type=…`         (message create)
 * - `POST /open-apis/im/v1/messages/:message_id/reply`         (reply, honours `reply_in_thread`)
 * - `PATCH /open-apis/im/v1/messages/:message_id`              (card update)
 * - `GET  /open-apis/im/v1/messages/:message_id/resources/:file_key?type=file|image` (resource download, as
 *   获取消息中的资源文件 says: `type` required (234001), the file must belong to the message (234003), ≤ 100 MB
 *   (234037), a recalled/deleted message 230110, a chat the bot left 234004; `Content-Type` and
 *   `Content-Length` headers; see {@link OpenApiStandin.addResource}, {@link OpenApiStandin.refuseResource})
 * - `GET  /open-apis/im/v1/chats/:chat_id?user_id_type=open_id`   (chat info: `owner_id` for groups the bot is
 *   in; 232006 unknown chat_id; 232011 the bot is not in the chat; see {@link OpenApiStandin.addChat})
 * - `GET  /open-apis/bot/v3/info`                              (bot identity)
 * - `GET  /open-apis/im/v1/chats/:chat_id/members`             (its members and names, bots left out, pages of `page_size`)
 * - `POST /open-apis/cardkit/v1/cards`, `PUT …/cards/:card_id`, `PATCH …/cards/:card_id/settings`,
 *   `PUT …/cards/:card_id/elements/:element_id/content` (CardKit card entities and streaming; rules and
 *   the record of every operation in `cardkit-rules.ts`, reached as {@link OpenApiStandin.cardkit})
 * - `POST /callback/ws/endpoint` + a WebSocket on `/ws`        (the long connection of `WSClient`:
 *   protobuf `pbbp2.Frame`s; {@link OpenApiStandin.pushEvent} sends an event and resolves with the
 *   bot's response frame, as Feishu's gateway does)
 *
 * Every request is recorded ({@link RecordedRequest}); failures can be injected per route
 * ({@link OpenApiStandin.failNext}). Card rules (JSON 2.0 schema, 200 components, `update_multi`, the
 * 14-day patch window, 5 patches/s per message) are in `card-rules.ts`. Card and post bodies above 30 KB are refused with code
 * 230025, as Feishu does ("卡片及富文本消息请求体最大不能超过 30 KB",
 * https://open.feishu.cn/document/server-docs/im-v1/message/create). A 429 carries code 99991400
 * ("request trigger frequency limit", https://open.feishu.cn/document/server-docs/api-call-guide/frequency-control).
 *
 * The module also builds webhook deliveries the way Feishu sends them: v2 (`schema: "2.0"`)
 * event envelopes, AES-256-CBC encryption with the app's Encrypt Key, and the
 * `X-Lark-Signature` header = sha256(timestamp + nonce + encryptKey + body)
 * (https://open.feishu.cn/document/server-docs/event-subscription-guide/event-subscription-configure-/encrypt-key-encryption-configuration-case).
 *
 * Usage:
 * ```ts
 * const api = await OpenApiStandin.start({ appId: 'cli_test', appSecret: 'secret' });
 * const client = new lark.Client({ appId: 'cli_test', appSecret: 'secret', domain: api.baseUrl });
 * api.failNext('message.reply', 2, 429);      // the next two replies answer 429
 * const [reply] = await api.waitForMessages(1); // resolves when a message was stored
 * await api.close();
 * ```
 */
import * as lark from '@larksuiteoapi/node-sdk';
import { createHash, createCipheriv, randomBytes, randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PlatformRules } from './platform-rules.js';
import { messageRefusal, patchRefusal } from './card-rules.js';
import { CardKitRules, cardReference, type CardKitAnswer } from './cardkit-rules.js';

/** One HTTP request as the stand-in received it. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/open-apis/im/v1/messages/om_1/reply`. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or the raw text when it was not JSON, or undefined when empty. */
  body: unknown;
  /** Size of the raw body in bytes. */
  bodyBytes: number;
  /** Route name ({@link StandinRoute}) or `unknown`. */
  route: StandinRoute | 'unknown';
  /** HTTP status the stand-in answered with. */
  status: number;
  /** `Date.now()` when the request arrived. */
  at: number;
  /** High-resolution arrival time (`performance.timeOrigin + performance.now()`, ms), for latency measurements. */
  hrAt: number;
}

/** Route names used to target injected failures and to filter {@link OpenApiStandin.requests}. */
export type StandinRoute =
  | 'token'
  | 'message.create'
  | 'message.reply'
  | 'message.patch'
  | 'message.resource'
  | 'chat.get'
  | 'bot.info'
  | 'chat.members'
  | 'ws.endpoint'
  | 'cardkit.create'
  | 'cardkit.update'
  | 'cardkit.settings'
  | 'cardkit.content';

/** A message the stand-in accepted (create or reply), with its content parsed. */
export interface StoredMessage {
  messageId: string;
  kind: 'create' | 'reply';
  /** Chat it was posted to: the `receive_id` for create, the parent's chat for reply (if known). */
  chatId?: string;
  receiveIdType?: string;
  /** For replies: the message replied to. */
  replyTo?: string;
  replyInThread: boolean;
  msgType: string;
  /** `content` parsed from its JSON string (a card object for `interactive`). */
  content: unknown;
  /** The raw `content` string as sent. */
  rawContent: string;
  uuid?: string;
  at: number;
  /** Content of the latest PATCH, if the message was updated. */
  patchedContent?: unknown;
}

/** What an injected failure answers. */
export interface InjectedFailure {
  status: number;
  /** Open API business code in the body (defaults: 429 → 99991400, 5xx → 1500, else 400). */
  code?: number;
  msg?: string;
  headers?: Record<string, string>;
  /** Close the socket without answering (simulates a network drop) instead of responding. */
  drop?: boolean;
}

/** Options for {@link OpenApiStandin.start}. */
export interface StandinOptions {
  appId?: string;
  appSecret?: string;
  /** open_id the stand-in reports for the bot (`/open-apis/bot/v3/info`). */
  botOpenId?: string;
  botName?: string;
  /** Delay added before answering every request, in ms (default 0). */
  latencyMs?: number;
  /** Maximum request body for `interactive`/`post` messages in bytes (default 30 KB = 30720). */
  cardBodyLimitBytes?: number;
}

/** Default credentials used by tests. */
/** Shaped like a real app id (`cli_` + 16 hex digits): the SDK's WSClient refuses any other. */
export const STANDIN_APP_ID = 'cli_5a7d1e0b9c3f2468';
export const STANDIN_APP_SECRET = 'standin-secret';
export const STANDIN_BOT_OPEN_ID = 'ou_standin_bot';

/** A logger for the SDK that says nothing (tests assert on behaviour, not on SDK log lines). */
export const QUIET_SDK_LOGGER = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };

/** The real SDK client pointed at a stand-in, with the stand-in app's credentials and a quiet logger. */
export function standinClient(api: OpenApiStandin): lark.Client {
  return new lark.Client({ appId: STANDIN_APP_ID, appSecret: STANDIN_APP_SECRET, domain: api.baseUrl, logger: QUIET_SDK_LOGGER });
}

/** The running stand-in server. Create with {@link OpenApiStandin.start}. */
export class OpenApiStandin {
  /** Base URL to pass as the SDK `domain`, e.g. `http://127.0.0.1:40123`. */
  readonly baseUrl: string;
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[] = [];
  /** Messages accepted via create or reply, oldest first. */
  readonly messages: StoredMessage[] = [];
  /** Files downloadable via the resource route: key `${messageId}/${fileKey}`. */
  readonly resources = new Map<string, StandinResource>();
  /** Open API codes the resource route answers for a message instead of its file (230110, 234004, …). */
  readonly resourceRefusals = new Map<string, number>();
  /** Chats known to the chat-info route, by chat_id. */
  readonly chats = new Map<string, StandinChat>();
  /** Rate limits, uuid lifetime, token expiry and refusals, as the platform enforces them (test/support/platform-rules.ts). */
  readonly platform = new PlatformRules();
  /** CardKit card entities: streaming rules and the record of every operation (test/support/cardkit-rules.ts). */
  readonly cardkit = new CardKitRules(() => this.platform.now());

  readonly appId: string;
  readonly appSecret: string;
  readonly botOpenId: string;
  readonly botName: string;
  latencyMs: number;
  readonly cardBodyLimitBytes: number;

  private readonly server: Server;
  private readonly failures = new Map<StandinRoute | 'any', InjectedFailure[]>();
  private readonly waiters: Array<() => void> = [];
  private readonly patchTimes = new Map<string, number[]>();
  private seq = 0;

  private constructor(server: Server, baseUrl: string, opts: StandinOptions) {
    this.server = server;
    this.baseUrl = baseUrl;
    this.appId = opts.appId ?? STANDIN_APP_ID;
    this.appSecret = opts.appSecret ?? STANDIN_APP_SECRET;
    this.botOpenId = opts.botOpenId ?? STANDIN_BOT_OPEN_ID;
    this.botName = opts.botName ?? '党建助手';
    this.latencyMs = opts.latencyMs ?? 0;
    this.cardBodyLimitBytes = opts.cardBodyLimitBytes ?? 30 * 1024;
  }

  /** Starts a stand-in on 127.0.0.1 with a random free port. */
  static async start(opts: StandinOptions = {}): Promise<OpenApiStandin> {
    let self: OpenApiStandin | undefined;
    const server = createServer((req, res) => {
      void self!.handle(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    self = new OpenApiStandin(server, `http://127.0.0.1:${port}`, opts);
    server.on('upgrade', (req, socket) => self!.upgrade(req, socket));
    return self;
  }

  /** The token the stand-in issues; deterministic per app so SDK token caches stay valid across stand-ins. */
  get tenantAccessToken(): string {
    return `t-standin-${this.appId}`;
  }

  /**
   * Makes the next `count` calls to `route` (or to any route with `'any'`) fail.
   * `failure` is an HTTP status (429 → code 99991400, 5xx → code 1500) or a full {@link InjectedFailure}.
   */
  failNext(route: StandinRoute | 'any', count: number, failure: number | InjectedFailure = 429): void {
    const f: InjectedFailure = typeof failure === 'number' ? { status: failure } : failure;
    const list = this.failures.get(route) ?? [];
    for (let i = 0; i < count; i++) list.push(f);
    this.failures.set(route, list);
  }

  /** Clears recorded requests, stored messages and pending failures. */
  reset(): void {
    this.requests.length = 0;
    this.messages.length = 0;
    this.failures.clear();
    this.cardkit.reset();
  }

  /** Requests for one route, oldest first. */
  requestsFor(route: StandinRoute): RecordedRequest[] {
    return this.requests.filter((r) => r.route === route);
  }

  /**
   * Registers a downloadable resource for the resource route. `size` pretends the file is that many bytes
   * (to exercise the 100 MB limit without allocating it); `type` is what it is (`file`, the default, or `image`).
   */
  addResource(messageId: string, fileKey: string, data: Buffer, opts: { contentType?: string; size?: number; type?: 'file' | 'image' } = {}): void {
    this.resources.set(`${messageId}/${fileKey}`, { data, contentType: opts.contentType ?? 'application/octet-stream', size: opts.size ?? data.length, type: opts.type ?? 'file' });
  }

  /**
   * Makes the resource route refuse every file of a message with a documented code: 230110 (the message
   * was recalled or deleted; also how an expired file_key shows, as the page lists no other code), 234004
   * (the bot left the chat), 234038 (restricted mode), 234043 (merged forward or card message).
   */
  refuseResource(messageId: string, code: number): void {
    this.resourceRefusals.set(messageId, code);
  }

  /**
   * Registers a chat for the chat-info and chat-members routes (`botIn: false` = the bot is not a member:
   * 232011): its owner (群主), managers (群管理员) and members with their names.
   */
  addChat(
    chatId: string,
    chat: { ownerOpenId?: string; name?: string; botIn?: boolean; chatMode?: 'group' | 'p2p'; managerOpenIds?: string[]; members?: { openId: string; name: string }[] },
  ): void {
    this.chats.set(chatId, {
      ownerOpenId: chat.ownerOpenId,
      name: chat.name ?? chatId,
      botIn: chat.botIn ?? true,
      chatMode: chat.chatMode ?? 'group',
      managerOpenIds: chat.managerOpenIds ?? [],
      members: chat.members ?? [],
    });
  }

  /**
   * Resolves with the stored messages once at least `count` exist (default timeout 10 s).
   * Rejects with an Error listing what arrived when the timeout passes.
   */
  async waitForMessages(count: number, timeoutMs = 10_000): Promise<StoredMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `stand-in: expected ${count} message(s) within ${timeoutMs} ms, got ${this.messages.length}; ` +
            `requests: ${this.requests.map((r) => `${r.method} ${r.path} ${r.status}`).join(', ')}`,
        );
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.messages.slice();
  }

  /** Waits `ms` and returns the messages stored by then (to assert that nothing more arrived). */
  async settle(ms = 300): Promise<StoredMessage[]> {
    await new Promise((r) => setTimeout(r, ms));
    return this.messages.slice();
  }

  /** Stops the server (closes open connections). */
  async close(): Promise<void> {
    this.wsSocket?.destroy();
    this.server.closeAllConnections?.();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** True while a long-connection client (the SDK's `WSClient`) is connected. */
  get wsConnected(): boolean {
    return this.wsSocket !== undefined;
  }

  /** Resolves when a `WSClient` has connected (default timeout 10 s). */
  async waitForWsClient(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.wsSocket) {
      if (Date.now() > deadline) throw new Error(`stand-in: no WSClient connected within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /**
   * Pushes an event (an envelope such as {@link buildMessageEvent} or {@link buildCardActionEvent}
   * builds, unencrypted as on the long connection) to the connected `WSClient` as a data frame, and
   * resolves with the client's response frame: `code` (200, or 500 when its handler threw) and
   * `data`, the handler's return value (base64 JSON in the frame, decoded here).
   */
  async pushEvent(payload: unknown, timeoutMs = 10_000): Promise<{ code: number; data?: unknown; ms: number }> {
    const socket = this.wsSocket;
    if (!socket) throw new Error('stand-in: no WSClient connected');
    this.wsSeq += 1;
    const messageId = `ws_msg_${this.wsSeq}`;
    const frame = encodeFrame({
      SeqID: this.wsSeq,
      LogID: this.wsSeq,
      service: 1,
      method: 1,
      headers: [
        { key: 'type', value: 'event' },
        { key: 'message_id', value: messageId },
        { key: 'sum', value: '1' },
        { key: 'seq', value: '0' },
        { key: 'trace_id', value: `trace_${this.wsSeq}` },
      ],
      payload: Buffer.from(JSON.stringify(payload), 'utf8'),
    });
    const t0 = Date.now();
    const response = new Promise<Frame>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.wsPending.delete(messageId);
        reject(new Error(`stand-in: no response frame for ${messageId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.wsPending.set(messageId, (f) => {
        clearTimeout(timer);
        resolve(f);
      });
    });
    socket.write(wsFrame(0x2, frame));
    const f = await response;
    const body = JSON.parse(Buffer.from(f.payload ?? []).toString('utf8')) as { code: number; data?: string };
    return { code: body.code, data: body.data ? JSON.parse(Buffer.from(body.data, 'base64').toString('utf8')) : undefined, ms: Date.now() - t0 };
  }

  /** Closes the long connection from the server side (the SDK will try to reconnect). */
  dropWsClient(): void {
    this.wsSocket?.destroy();
    this.wsSocket = undefined;
  }

  private wsSocket: Duplex | undefined;
  private wsSeq = 0;
  private readonly wsPending = new Map<string, (f: Frame) => void>();

  private upgrade(req: IncomingMessage, socket: Duplex): void {
    const key = req.headers['sec-websocket-key'];
    if (!req.url?.startsWith('/ws') || typeof key !== 'string') {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    this.wsSocket = socket;
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const parsed = readWsFrame(buf);
        if (!parsed) break;
        buf = buf.subarray(parsed.size);
        if (parsed.opcode === 0x8) {
          socket.end(wsFrame(0x8, Buffer.alloc(0)));
          return;
        }
        if (parsed.opcode === 0x9) socket.write(wsFrame(0xa, parsed.payload));
        if (parsed.opcode === 0x2) this.onWsFrame(decodeFrame(parsed.payload), socket);
      }
    });
    socket.on('close', () => {
      if (this.wsSocket === socket) this.wsSocket = undefined;
    });
    socket.on('error', () => {});
  }

  private onWsFrame(f: Frame, socket: Duplex): void {
    const header = (k: string) => f.headers.find((h) => h.key === k)?.value;
    if (f.method === 0 && header('type') === 'ping') {
      const pong = encodeFrame({
        SeqID: 0,
        LogID: 0,
        service: f.service,
        method: 0,
        headers: [{ key: 'type', value: 'pong' }],
        payload: Buffer.from(JSON.stringify({ PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 120, ReconnectNonce: 30 })),
      });
      socket.write(wsFrame(0x2, pong));
      return;
    }
    if (f.method === 1) {
      const id = header('message_id');
      const cb = id ? this.wsPending.get(id) : undefined;
      if (id && cb) {
        this.wsPending.delete(id);
        cb(f);
      }
    }
  }

  // ---------------------------------------------------------------- internals

  private nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}${createHash('md5').update(`${this.baseUrl}:${this.seq}`).digest('hex')}`;
  }

  private takeFailure(route: StandinRoute | 'unknown'): InjectedFailure | undefined {
    for (const key of [route, 'any'] as const) {
      const list = this.failures.get(key as StandinRoute | 'any');
      if (list && list.length > 0) return list.shift();
    }
    return undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', this.baseUrl);
    const text = raw.toString('utf8');
    let body: unknown = undefined;
    if (raw.length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    const route = routeOf(method, path);
    const record: RecordedRequest = {
      method,
      path,
      query: Object.fromEntries(url.searchParams.entries()),
      headers: req.headers,
      body,
      bodyBytes: raw.length,
      route,
      status: 0,
      at: Date.now(),
      hrAt: performance.timeOrigin + performance.now(),
    };
    this.requests.push(record);
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));

    const send = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      record.status = status;
      if (Buffer.isBuffer(payload)) {
        res.writeHead(status, { 'content-type': 'application/octet-stream', ...headers });
        res.end(payload);
      } else {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(JSON.stringify(payload));
      }
    };
    // a chat the bot may read, else the platform's answer: 232006 unknown chat_id, 232011 the bot is not in it
    const reachableChat = (chatId: string): StandinChat | undefined => {
      const chat = this.chats.get(chatId);
      if (!chat) send(400, { code: 232006, msg: 'Your request specifies a chat_id which is invalid.' });
      else if (!chat.botIn) send(400, { code: 232011, msg: 'Operator can NOT be out of the chat.' });
      else return chat;
      return undefined;
    };

    const failure = this.takeFailure(route);
    if (failure) {
      if (failure.drop) {
        record.status = -1;
        req.socket.destroy();
        return;
      }
      const code = failure.code ?? (failure.status === 429 ? 99991400 : failure.status >= 500 ? 1500 : 400);
      const headers =
        failure.status === 429
          ? { 'x-ogw-ratelimit-limit': '50', 'x-ogw-ratelimit-reset': '1', ...failure.headers }
          : { ...failure.headers };
      send(failure.status, { code, msg: failure.msg ?? (failure.status === 429 ? 'request trigger frequency limit' : 'internal error') }, headers);
      return;
    }

    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (route === 'token') {
      if (b.app_id !== this.appId || b.app_secret !== this.appSecret) {
        send(400, { code: 10014, msg: 'app secret invalid' });
        return;
      }
      const issued = this.platform.issueToken(this.tenantAccessToken);
      send(200, { code: 0, msg: 'ok', tenant_access_token: issued.token, expire: issued.expire });
      return;
    }
    const authRefusal = route !== 'unknown' && route !== 'ws.endpoint' ? this.platform.checkAuth(req.headers.authorization, this.tenantAccessToken) : undefined;
    if (authRefusal) {
      send(authRefusal.status, { code: authRefusal.code, msg: authRefusal.msg });
      return;
    }
    if (route === 'ws.endpoint') {
      if (b.AppID !== this.appId || b.AppSecret !== this.appSecret) {
        send(200, { code: 1000040351, msg: 'app id or secret invalid' });
        return;
      }
      const wsUrl = `${this.baseUrl.replace(/^http/, 'ws')}/ws?device_id=standin_device&service_id=1`;
      send(200, { code: 0, msg: 'ok', data: { URL: wsUrl, ClientConfig: { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 120, ReconnectNonce: 30 } } });
      return;
    }
    switch (route) {
      case 'bot.info':
        send(200, { code: 0, msg: 'ok', bot: { open_id: this.botOpenId, app_name: this.botName, activate_status: 2 } });
        return;
      case 'chat.members': {
        // https://open.feishu.cn/document/server-docs/group/chat-member/get: page_token is the next offset here
        const chat = reachableChat(decodeURIComponent(path.split('/')[5]!));
        if (!chat) return;
        const size = Math.min(Number(record.query.page_size ?? 20) || 20, 100);
        const from = Number(record.query.page_token ?? 0) || 0;
        const items = chat.members.slice(from, from + size).map((m) => ({ member_id_type: 'open_id', member_id: m.openId, name: m.name, tenant_key: 'standin_tenant' }));
        const more = from + size < chat.members.length;
        send(200, { code: 0, msg: 'success', data: { items, page_token: more ? String(from + size) : '', has_more: more, member_total: chat.members.length } });
        return;
      }
      case 'message.create':
      case 'message.reply': {
        const msgType = String(b.msg_type ?? '');
        const rawContent = typeof b.content === 'string' ? b.content : '';
        if (!msgType || !rawContent) {
          send(400, { code: 230001, msg: 'invalid message content: msg_type and content are required' });
          return;
        }
        let content: unknown;
        try {
          content = JSON.parse(rawContent);
        } catch {
          send(400, { code: 230001, msg: 'content is not valid JSON' });
          return;
        }
        const refused = messageRefusal(msgType, content, raw.length, this.cardBodyLimitBytes);
        if (refused) return send(refused.status, { code: refused.code, msg: refused.msg });
        const uuid = typeof b.uuid === 'string' ? b.uuid : undefined;
        const dup = this.platform.findByUuid(this.messages, uuid);
        if (dup) {
          send(200, { code: 0, msg: 'success', data: messageData(dup, this) });
          return;
        }
        const isReply = route === 'message.reply';
        const referenced = msgType === 'interactive' ? cardReference(content) : undefined;
        const entityRefusal = referenced ? this.cardkit.sendRefusal(content) : undefined;
        if (entityRefusal) return send(entityRefusal.status, { code: entityRefusal.code, msg: entityRefusal.msg });
        const replyTo = isReply ? path.split('/')[5] : undefined;
        const parent = replyTo ? this.messages.find((m) => m.messageId === replyTo) : undefined;
        const target = isReply ? (parent?.chatId ?? this.platform.chatOf(replyTo!)) : String(b.receive_id ?? '');
        const refusal = this.platform.refuse({ kind: isReply ? 'reply' : 'create', chatId: target, replyTo, replyInThread: b.reply_in_thread === true, msgType });
        if (refusal) {
          send(refusal.status, { code: refusal.code, msg: refusal.msg }, refusal.headers);
          return;
        }
        const stored: StoredMessage = {
          messageId: this.nextId('om_'),
          kind: isReply ? 'reply' : 'create',
          chatId: target,
          receiveIdType: isReply ? undefined : record.query.receive_id_type,
          replyTo,
          replyInThread: b.reply_in_thread === true,
          msgType,
          content,
          rawContent,
          uuid,
          at: Date.now(),
        };
        this.messages.push(stored);
        if (referenced) this.cardkit.cards.get(referenced)!.messageId = stored.messageId;
        this.platform.recordSend(target, stored.messageId, uuid);
        if (this.platform.responseDelayMs > 0) await new Promise((r) => setTimeout(r, this.platform.responseDelayMs));
        send(200, { code: 0, msg: 'success', data: messageData(stored, this) });
        for (const w of this.waiters.splice(0)) w();
        return;
      }
      case 'message.patch': {
        const id = path.split('/')[5];
        const m = this.messages.find((x) => x.messageId === id);
        if (!m) {
          send(400, { code: 230011, msg: 'message not found or not sent by this bot' });
          return;
        }
        let next: unknown;
        try {
          next = JSON.parse(String(b.content ?? ''));
        } catch {
          send(400, { code: 230001, msg: 'content is not valid JSON' });
          return;
        }
        const refused = patchRefusal(m, next, raw.length, this.cardBodyLimitBytes, this.patchTimes.get(id) ?? this.patchTimes.set(id, []).get(id)!);
        if (refused) return send(refused.status, { code: refused.code, msg: refused.msg });
        m.patchedContent = next;
        send(200, { code: 0, msg: 'success', data: {} });
        return;
      }
      case 'message.resource': {
        const parts = path.split('/');
        const type = record.query.type;
        if (type !== 'file' && type !== 'image') {
          send(400, { code: 234001, msg: 'Invalid request param.' });
          return;
        }
        const refusal = this.resourceRefusals.get(parts[5]!);
        if (refusal !== undefined) {
          send(400, { code: refusal, msg: RESOURCE_MESSAGES[refusal] ?? 'refused' });
          return;
        }
        const r = this.resources.get(`${parts[5]}/${parts[7]}`);
        if (!r || r.type !== type) {
          send(400, { code: 234003, msg: 'File not in message.' });
          return;
        }
        if (r.size > RESOURCE_LIMIT_BYTES) {
          send(400, { code: 234037, msg: 'Downloaded file size exceeds limit.' });
          return;
        }
        send(200, r.data, { 'content-type': r.contentType, 'content-length': String(r.data.length) });
        return;
      }
      case 'chat.get': {
        const chat = reachableChat(path.split('/')[5]!);
        if (!chat) return;
        const owner = chat.chatMode === 'group' && chat.ownerOpenId ? { owner_id_type: record.query.user_id_type ?? 'open_id', owner_id: chat.ownerOpenId } : {};
        const managers = chat.chatMode === 'group' ? { user_manager_id_list: chat.managerOpenIds, bot_manager_id_list: [] } : {};
        send(200, { code: 0, msg: 'success', data: { name: chat.name, chat_mode: chat.chatMode, chat_status: 'normal', ...owner, ...managers } });
        return;
      }
      case 'cardkit.create':
      case 'cardkit.update':
      case 'cardkit.settings':
      case 'cardkit.content': {
        const parts = path.split('/');
        const a: CardKitAnswer =
          route === 'cardkit.create'
            ? this.cardkit.create(b)
            : route === 'cardkit.update'
              ? this.cardkit.update(parts[5], b)
              : route === 'cardkit.settings'
                ? this.cardkit.settings(parts[5], b)
                : this.cardkit.content(parts[5], parts[7], b);
        send(a.status, a.body, a.headers);
        return;
      }
      default:
        send(404, { code: 404, msg: `stand-in: no route for ${method} ${path}` });
    }
  }
}

function routeOf(method: string, path: string): StandinRoute | 'unknown' {
  if (method === 'POST' && path === '/open-apis/auth/v3/tenant_access_token/internal') return 'token';
  if (method === 'GET' && path === '/open-apis/bot/v3/info') return 'bot.info';
  if (method === 'GET' && /^\/open-apis\/im\/v1\/chats\/[^/]+$/.test(path)) return 'chat.get';
  if (method === 'GET' && /^\/open-apis\/im\/v1\/chats\/[^/]+\/members$/.test(path)) return 'chat.members';
  if (method === 'POST' && path === '/callback/ws/endpoint') return 'ws.endpoint';
  if (method === 'POST' && path === '/open-apis/im/v1/messages') return 'message.create';
  if (method === 'POST' && /^\/open-apis\/im\/v1\/messages\/[^/]+\/reply$/.test(path)) return 'message.reply';
  if (method === 'PATCH' && /^\/open-apis\/im\/v1\/messages\/[^/]+$/.test(path)) return 'message.patch';
  if (method === 'GET' && /^\/open-apis\/im\/v1\/messages\/[^/]+\/resources\/[^/]+$/.test(path)) return 'message.resource';
  if (method === 'POST' && path === '/open-apis/cardkit/v1/cards') return 'cardkit.create';
  if (method === 'PUT' && /^\/open-apis\/cardkit\/v1\/cards\/[^/]+$/.test(path)) return 'cardkit.update';
  if (method === 'PATCH' && /^\/open-apis\/cardkit\/v1\/cards\/[^/]+\/settings$/.test(path)) return 'cardkit.settings';
  if (method === 'PUT' && /^\/open-apis\/cardkit\/v1\/cards\/[^/]+\/elements\/[^/]+\/content$/.test(path)) return 'cardkit.content';
  return 'unknown';
}

/** A file the resource route serves. */
export interface StandinResource {
  data: Buffer;
  contentType: string;
  /** Size checked against the 100 MB limit (defaults to the data's length). */
  size: number;
  type: 'file' | 'image';
}

/** A chat the chat-info and chat-members routes know. */
export interface StandinChat {
  ownerOpenId?: string;
  name: string;
  botIn: boolean;
  chatMode: 'group' | 'p2p';
  /** 群管理员 (`user_manager_id_list`). */
  managerOpenIds: string[];
  /** Members (not bots) and their names, for `chat.members`. */
  members: { openId: string; name: string }[];
}

/** "仅支持下载 100 MB 以内的资源文件" (获取消息中的资源文件). */
export const RESOURCE_LIMIT_BYTES = 100 * 1024 * 1024;

/** The messages of the resource route's documented codes (获取消息中的资源文件, 错误码). */
const RESOURCE_MESSAGES: Record<number, string> = {
  230110: 'Action unavailable as the message has been deleted.',
  234004: 'App not in chat.',
  234009: 'Lack of necessary permissions.',
  234038: 'Do not allow downloading of message resources in restricted mode.',
  234040: 'The message is invisible to the operator.',
  234043: 'Unsupported message type.',
};

function messageData(m: StoredMessage, api: OpenApiStandin): Record<string, unknown> {
  const t = String(m.at);
  return {
    message_id: m.messageId,
    root_id: m.replyTo ?? '',
    parent_id: m.replyTo ?? '',
    thread_id: m.replyInThread ? `omt_${m.replyTo ?? m.messageId}` : '',
    msg_type: m.msgType,
    create_time: t,
    update_time: t,
    deleted: false,
    updated: false,
    chat_id: m.chatId ?? '',
    sender: { id: api.appId, id_type: 'app_id', sender_type: 'app', tenant_key: 'standin_tenant' },
    body: { content: m.rawContent },
  };
}


// ------------------------------------------------------------------ long connection wire format

/** `pbbp2.Frame` of the long connection (field numbers from the SDK's bundled protobuf schema). */
interface Frame {
  SeqID: number;
  LogID: number;
  service: number;
  method: number;
  headers: Array<{ key: string; value: string }>;
  payloadEncoding?: string;
  payloadType?: string;
  payload?: Buffer;
  LogIDNew?: string;
}

function varint(n: number): Buffer {
  const out: number[] = [];
  let v = BigInt.asUintN(64, BigInt(n));
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return Buffer.from(out);
}

function field(id: number, wire: 0 | 2, value: number | Buffer): Buffer {
  const key = varint((id << 3) | wire);
  if (wire === 0) return Buffer.concat([key, varint(value as number)]);
  const b = value as Buffer;
  return Buffer.concat([key, varint(b.length), b]);
}

function encodeFrame(f: Frame): Buffer {
  const parts = [field(1, 0, f.SeqID), field(2, 0, f.LogID), field(3, 0, f.service), field(4, 0, f.method)];
  for (const h of f.headers) parts.push(field(5, 2, Buffer.concat([field(1, 2, Buffer.from(h.key)), field(2, 2, Buffer.from(h.value))])));
  if (f.payloadEncoding !== undefined) parts.push(field(6, 2, Buffer.from(f.payloadEncoding)));
  if (f.payloadType !== undefined) parts.push(field(7, 2, Buffer.from(f.payloadType)));
  if (f.payload !== undefined) parts.push(field(8, 2, f.payload));
  if (f.LogIDNew !== undefined) parts.push(field(9, 2, Buffer.from(f.LogIDNew)));
  return Buffer.concat(parts);
}

function readFields(buf: Buffer): Array<{ id: number; value: number | Buffer }> {
  const out: Array<{ id: number; value: number | Buffer }> = [];
  let i = 0;
  const readVarint = (): number => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = buf[i++];
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) break;
      shift += 7n;
    }
    return Number(BigInt.asIntN(64, result));
  };
  while (i < buf.length) {
    const key = readVarint();
    const id = key >>> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ id, value: readVarint() });
    else if (wire === 2) {
      const len = readVarint();
      out.push({ id, value: buf.subarray(i, i + len) });
      i += len;
    } else throw new Error(`stand-in: unsupported protobuf wire type ${wire}`);
  }
  return out;
}

function decodeFrame(buf: Buffer): Frame {
  const f: Frame = { SeqID: 0, LogID: 0, service: 0, method: 0, headers: [] };
  for (const { id, value } of readFields(buf)) {
    if (id === 1) f.SeqID = value as number;
    else if (id === 2) f.LogID = value as number;
    else if (id === 3) f.service = value as number;
    else if (id === 4) f.method = value as number;
    else if (id === 5) {
      const h = { key: '', value: '' };
      for (const x of readFields(value as Buffer)) {
        if (x.id === 1) h.key = (x.value as Buffer).toString('utf8');
        if (x.id === 2) h.value = (x.value as Buffer).toString('utf8');
      }
      f.headers.push(h);
    } else if (id === 6) f.payloadEncoding = (value as Buffer).toString('utf8');
    else if (id === 7) f.payloadType = (value as Buffer).toString('utf8');
    else if (id === 8) f.payload = Buffer.from(value as Buffer);
    else if (id === 9) f.LogIDNew = (value as Buffer).toString('utf8');
  }
  return f;
}

/** A server-to-client WebSocket frame (RFC 6455, unmasked, single fragment). */
function wsFrame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x80 | opcode, len]) : len < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (len >= 126 && len < 65536) {
    head[0] = 0x80 | opcode;
    head[1] = 126;
    head.writeUInt16BE(len, 2);
  } else if (len >= 65536) {
    head[0] = 0x80 | opcode;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([head, payload]);
}

/** Parses one (masked) client frame from the start of `buf`; undefined when incomplete. */
function readWsFrame(buf: Buffer): { opcode: number; payload: Buffer; size: number } | undefined {
  if (buf.length < 2) return undefined;
  const opcode = buf[0] & 0x0f;
  const masked = (buf[1] & 0x80) !== 0;
  let len = buf[1] & 0x7f;
  let off = 2;
  if (len === 126) {
    if (buf.length < 4) return undefined;
    len = buf.readUInt16BE(2);
    off = 4;
  } else if (len === 127) {
    if (buf.length < 10) return undefined;
    len = Number(buf.readBigUInt64BE(2));
    off = 10;
  }
  const maskLen = masked ? 4 : 0;
  if (buf.length < off + maskLen + len) return undefined;
  const payload = Buffer.from(buf.subarray(off + maskLen, off + maskLen + len));
  if (masked) {
    const mask = buf.subarray(off, off + 4);
    for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i % 4];
  }
  return { opcode, payload, size: off + maskLen + len };
}

// ------------------------------------------------------------------ webhook payload builders

/** Default Encrypt Key / Verification Token used by tests. */
export const STANDIN_ENCRYPT_KEY = 'standin-encrypt-key';
export const STANDIN_VERIFICATION_TOKEN = 'standin-verification-token';

/** A user mention inside a message event. */
export interface MentionSpec {
  /** Placeholder in the text, e.g. `@_user_1`. */
  key: string;
  openId: string;
  name: string;
}

/** Fields of a test `im.message.receive_v1` event. Unset ids are generated. */
export interface MessageEventSpec {
  chatId: string;
  chatType?: 'group' | 'p2p';
  /** Text of a `text` message, with mention placeholders such as `@_user_1`. */
  text?: string;
  /** Message type (default `text`). For other types give `content`. */
  messageType?: string;
  /** Raw content object for non-text messages (default `{ text }`). */
  content?: Record<string, unknown>;
  mentions?: MentionSpec[];
  /** Convenience: prefix the text with `@_user_1 ` and mention the bot. */
  mentionBot?: boolean;
  botOpenId?: string;
  messageId?: string;
  eventId?: string;
  senderOpenId?: string;
  rootId?: string;
  parentId?: string;
  threadId?: string;
  appId?: string;
  token?: string;
}

/**
 * Builds an `im.message.receive_v1` event envelope (schema 2.0) as Feishu sends it
 * (https://open.feishu.cn/document/server-docs/im-v1/message/events/receive).
 */
export function buildMessageEvent(spec: MessageEventSpec): Record<string, unknown> {
  const now = String(Date.now());
  const mentions = [...(spec.mentions ?? [])];
  let text = spec.text ?? '';
  if (spec.mentionBot) {
    const key = `@_user_${mentions.length + 1}`;
    mentions.unshift({ key, openId: spec.botOpenId ?? STANDIN_BOT_OPEN_ID, name: '党建助手' });
    text = `${key} ${text}`;
  }
  const messageType = spec.messageType ?? 'text';
  const content = spec.content ?? { text };
  return {
    schema: '2.0',
    header: {
      event_id: spec.eventId ?? randomUUID().replace(/-/g, ''),
      token: spec.token ?? STANDIN_VERIFICATION_TOKEN,
      create_time: now,
      event_type: 'im.message.receive_v1',
      tenant_key: 'standin_tenant',
      app_id: spec.appId ?? STANDIN_APP_ID,
    },
    event: {
      sender: {
        sender_id: { union_id: 'on_standin_user', user_id: 'standin_user', open_id: spec.senderOpenId ?? 'ou_standin_user' },
        sender_type: 'user',
        tenant_key: 'standin_tenant',
      },
      message: {
        message_id: spec.messageId ?? `om_${randomUUID().replace(/-/g, '')}`,
        root_id: spec.rootId ?? '',
        parent_id: spec.parentId ?? '',
        create_time: now,
        update_time: now,
        chat_id: spec.chatId,
        thread_id: spec.threadId ?? '',
        chat_type: spec.chatType ?? 'group',
        message_type: messageType,
        content: JSON.stringify(content),
        mentions: mentions.map((m) => ({
          key: m.key,
          id: { union_id: `on_${m.openId}`, user_id: '', open_id: m.openId },
          name: m.name,
          tenant_key: 'standin_tenant',
        })),
        user_agent: 'standin',
      },
    },
  };
}

/** Fields of a test card callback (`card.action.trigger`, schema 2.0). */
export interface CardActionSpec {
  value: Record<string, unknown>;
  openId?: string;
  chatId: string;
  /** The card message that was clicked. */
  messageId: string;
  eventId?: string;
  token?: string;
  appId?: string;
}

/**
 * Builds a `card.action.trigger` callback envelope (schema 2.0) as Feishu sends it for a button click
 * (https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-callback-communication).
 */
export function buildCardActionEvent(spec: CardActionSpec): Record<string, unknown> {
  return {
    schema: '2.0',
    header: {
      event_id: spec.eventId ?? randomUUID().replace(/-/g, ''),
      token: spec.token ?? STANDIN_VERIFICATION_TOKEN,
      create_time: String(Date.now() * 1000),
      event_type: 'card.action.trigger',
      tenant_key: 'standin_tenant',
      app_id: spec.appId ?? STANDIN_APP_ID,
    },
    event: {
      operator: { tenant_key: 'standin_tenant', user_id: 'standin_user', open_id: spec.openId ?? 'ou_standin_user', union_id: 'on_standin_user' },
      token: `c-${randomUUID()}`,
      action: { value: spec.value, tag: 'button' },
      host: 'im_message',
      context: { open_message_id: spec.messageId, open_chat_id: spec.chatId },
    },
  };
}

/** The `url_verification` challenge Feishu sends when the request URL is saved in the console. */
export function buildUrlVerification(challenge: string, token = STANDIN_VERIFICATION_TOKEN): Record<string, unknown> {
  return { challenge, token, type: 'url_verification' };
}

/**
 * Encrypts a payload as Feishu does with an Encrypt Key: AES-256-CBC, key = sha256(encryptKey),
 * random 16-byte IV prepended, base64. Returns the `{ "encrypt": "…" }` body.
 */
export function encryptPayload(payload: unknown, encryptKey = STANDIN_ENCRYPT_KEY): { encrypt: string } {
  const key = createHash('sha256').update(encryptKey).digest();
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const enc = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
  return { encrypt: Buffer.concat([iv, enc]).toString('base64') };
}

/** Signature headers for a webhook body: sha256(timestamp + nonce + encryptKey + body), hex. */
export function signBody(body: string, encryptKey = STANDIN_ENCRYPT_KEY, timestamp = String(Math.floor(Date.now() / 1000)), nonce = randomUUID()): Record<string, string> {
  const signature = createHash('sha256').update(timestamp + nonce + encryptKey + body).digest('hex');
  return {
    'x-lark-request-timestamp': timestamp,
    'x-lark-request-nonce': nonce,
    'x-lark-signature': signature,
  };
}

/** Options for {@link deliverWebhook}. */
export interface DeliverOptions {
  /** Encrypt Key; `null` sends the payload in clear text and unsigned. Default {@link STANDIN_ENCRYPT_KEY}. */
  encryptKey?: string | null;
  /** Sign with this key instead (to simulate a bad signature). */
  signWithKey?: string;
  /** Omit the signature headers entirely. */
  unsigned?: boolean;
}

/** What the webhook answered. */
export interface DeliveryResult {
  status: number;
  /** Response body parsed as JSON when possible, else the raw text. */
  body: unknown;
  /** Milliseconds from sending to the response. */
  ms: number;
}

/**
 * POSTs a payload to a webhook URL the way Feishu delivers it: encrypted (unless `encryptKey: null`)
 * and signed with the `X-Lark-*` headers, `Content-Type: application/json`.
 */
export async function deliverWebhook(url: string, payload: unknown, opts: DeliverOptions = {}): Promise<DeliveryResult> {
  const encryptKey = opts.encryptKey === undefined ? STANDIN_ENCRYPT_KEY : opts.encryptKey;
  const bodyObj = encryptKey ? encryptPayload(payload, encryptKey) : payload;
  const body = JSON.stringify(bodyObj);
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (!opts.unsigned && (encryptKey || opts.signWithKey)) {
    Object.assign(headers, signBody(body, opts.signWithKey ?? encryptKey ?? ''));
  }
  const t0 = Date.now();
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : text;
  } catch {
    /* keep text */
  }
  return { status: res.status, body: parsed, ms: Date.now() - t0 };
}

/**
 * Environment variables that make `npm start` (src/main.ts) run as a webhook bot against this stand-in:
 * the stand-in's app credentials, encrypt key and verification token, listening on 127.0.0.1:`port`,
 * with its chat state in `stateDb`.
 */
export function standinWebhookEnv(baseUrl: string, port: number, stateDb: string): Record<string, string> {
  return {
    LARK_APP_ID: STANDIN_APP_ID,
    LARK_APP_SECRET: STANDIN_APP_SECRET,
    LARK_DOMAIN: baseUrl,
    LARK_MODE: 'webhook',
    LARK_ENCRYPT_KEY: STANDIN_ENCRYPT_KEY,
    LARK_VERIFICATION_TOKEN: STANDIN_VERIFICATION_TOKEN,
    LARK_WEBHOOK_HOST: '127.0.0.1',
    LARK_WEBHOOK_PORT: String(port),
    LARK_STATE_DB: stateDb,
  };
}
