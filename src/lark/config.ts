import { z } from 'zod';

/**
 * Configuration of the chat layer (`npm start`), read from environment variables and validated
 * with zod. With neither `LARK_APP_ID` nor `LARK_APP_SECRET` set, the bot runs as a local
 * terminal chat ({@link LocalConfig}); with both set it connects to Feishu/Lark ({@link LarkConfig}).
 *
 * | variable | meaning |
 * |---|---|
 * | `LARK_APP_ID`, `LARK_APP_SECRET` | the app's credentials (developer console → 凭证与基础信息) |
 * | `LARK_DOMAIN` | `feishu` (default, open.feishu.cn), `lark` (open.larksuite.com) or a base URL such as `http://127.0.0.1:8080` |
 * | `LARK_MODE` | `ws` (default: long connection, no public address needed) or `webhook` |
 * | `LARK_ENCRYPT_KEY`, `LARK_VERIFICATION_TOKEN` | required in webhook mode (console → 事件与回调 → 加密策略) |
 * | `LARK_WEBHOOK_HOST`, `LARK_WEBHOOK_PORT` | webhook listener, default `0.0.0.0:3000` |
 * | `LARK_EVENT_PATH`, `LARK_CARD_PATH` | webhook paths, default `/webhook/event` and `/webhook/card` |
 * | `LARK_ALLOWED_CHATS` | comma-separated chat_ids (`oc_…`) the bot may answer in; empty = all chats |
 * | `LARK_ADMIN_OPEN_IDS` | comma-separated open_ids (`ou_…`) of administrators (may use `/stats`, may mark any checklist item done) |
 * | `LARK_BOT_OPEN_ID` | the bot's own open_id; fetched from `/open-apis/bot/v3/info` (retried until known) when unset |
 * | `LARK_BOT_NAME` | the bot's display name, default `党建助手`: while its open_id is unknown only a mention with exactly this name counts |
 * | `LARK_STATE_DB` | SQLite file for dedupe, feedback and thread history, default `var/lark.db` |
 * | `LARK_HISTORY_TURNS` | turns of a thread passed to follow-up questions, default 3 (0–20) |
 * | `LARK_ADMIN_CHAT_ID` | chat_id (`oc_…`) told about problems found at start (e.g. a broken calendar file) |
 * | `LARK_STREAM` | `1` (default) streams LLM answers into a CardKit card while they are generated (scope `cardkit:card:write`); `0` sends them when complete |
 * | `LARK_STREAM_IN_GROUPS` | `1` streams in group chats too; default `0` (private chats only) |
 * | `LARK_GROUP_MSG_SCOPE` | `1` when the app has the sensitive scope `im:message.group_msg` (every group message is delivered): files an administrator sends in a group without @mentioning the bot are added to the knowledge base; default `0` (in groups only messages that @mention the bot are handled, and Feishu delivers no others) |
 */
const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().trim().optional());
/** `0`/`1` (also `false`/`true`, `off`/`on`), with a default. */
const flag = (dflt: boolean) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : v.trim().toLowerCase()) : v),
    z
      .enum(['0', '1', 'false', 'true', 'off', 'on'], { message: 'must be 1 or 0' })
      .default(dflt ? '1' : '0')
      .transform((v) => v === '1' || v === 'true' || v === 'on'),
  );
/**
 * A comma-separated list: unset or blank = empty list; otherwise every entry must match `pattern`.
 * An empty entry (`","`, `"oc_a,,oc_b"`, a trailing comma) is an error, never "no restriction".
 */
const csv = (pattern: RegExp, example: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? [] : v.split(',').map((s) => s.trim())) : v ?? []),
    z.array(
      z
        .string()
        .min(1, { message: `empty entry (a stray comma); each entry must look like ${example}` })
        .regex(pattern, { message: `each entry must look like ${example}` }),
    ),
  );

/** Accepts `feishu`, `lark` or an http(s) base URL without a trailing slash. */
const domainSchema = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .trim()
    .default('feishu')
    .transform((v, ctx) => {
      const lower = v.toLowerCase();
      if (lower === 'feishu') return { kind: 'feishu' as const, baseUrl: 'https://open.feishu.cn' };
      if (lower === 'lark') return { kind: 'lark' as const, baseUrl: 'https://open.larksuite.com' };
      try {
        const u = new URL(v);
        if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
        return { kind: 'url' as const, baseUrl: v.replace(/\/+$/, '') };
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be "feishu", "lark" or a base URL such as https://open.feishu.cn' });
        return z.NEVER;
      }
    }),
);

export const LarkEnvSchema = z
  .object({
    LARK_APP_ID: optionalString,
    LARK_APP_SECRET: optionalString,
    LARK_DOMAIN: domainSchema,
    LARK_MODE: z.preprocess(
      (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : v.trim().toLowerCase()) : v),
      z.enum(['ws', 'webhook'], { message: 'must be "ws" (long connection) or "webhook"' }).default('ws'),
    ),
    LARK_ENCRYPT_KEY: optionalString,
    LARK_VERIFICATION_TOKEN: optionalString,
    LARK_WEBHOOK_HOST: z.preprocess(emptyToUndefined, z.string().trim().default('0.0.0.0')),
    LARK_WEBHOOK_PORT: z.preprocess(
      emptyToUndefined,
      z.coerce.number({ message: 'must be a port number' }).int().min(0).max(65535).default(3000),
    ),
    LARK_EVENT_PATH: z.preprocess(emptyToUndefined, z.string().startsWith('/', { message: 'must start with /' }).default('/webhook/event')),
    LARK_CARD_PATH: z.preprocess(emptyToUndefined, z.string().startsWith('/', { message: 'must start with /' }).default('/webhook/card')),
    LARK_ALLOWED_CHATS: csv(/^oc_[A-Za-z0-9_-]+$/, 'oc_xxx (a chat_id)'),
    LARK_ADMIN_OPEN_IDS: csv(/^ou_[A-Za-z0-9_-]+$/, 'ou_xxx (an open_id)'),
    LARK_BOT_OPEN_ID: z.preprocess(emptyToUndefined, z.string().regex(/^ou_[A-Za-z0-9_-]+$/, { message: 'must look like ou_xxx' }).optional()),
    LARK_ADMIN_CHAT_ID: z.preprocess(emptyToUndefined, z.string().regex(/^oc_[A-Za-z0-9_-]+$/, { message: 'must look like oc_xxx (a chat_id)' }).optional()),
    LARK_BOT_NAME: z.preprocess(emptyToUndefined, z.string().trim().min(1).max(64).default('党建助手')),
    LARK_STATE_DB: z.preprocess(emptyToUndefined, z.string().default('var/lark.db')),
    LARK_STREAM: flag(true),
    LARK_STREAM_IN_GROUPS: flag(false),
    LARK_GROUP_MSG_SCOPE: flag(false),
    LARK_HISTORY_TURNS: z.preprocess(
      emptyToUndefined,
      z.coerce.number({ message: 'must be a whole number from 0 to 20' }).int({ message: 'must be a whole number from 0 to 20' }).min(0, { message: 'must be at least 0' }).max(20, { message: 'must be at most 20' }).default(3),
    ),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.LARK_APP_ID) !== Boolean(env.LARK_APP_SECRET)) {
      const missing = env.LARK_APP_ID ? 'LARK_APP_SECRET' : 'LARK_APP_ID';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'set both LARK_APP_ID and LARK_APP_SECRET (or neither, for the local chat)' });
    }
    if (env.LARK_APP_ID && !/^cli_[A-Za-z0-9_]+$/.test(env.LARK_APP_ID)) {
      ctx.addIssue({ code: 'custom', path: ['LARK_APP_ID'], message: 'must look like cli_xxxxxxxx (developer console → 凭证与基础信息)' });
    } else if (env.LARK_APP_ID && env.LARK_MODE === 'ws' && !/^cli_[0-9a-fA-F]{16}$/.test(env.LARK_APP_ID)) {
      // The SDK's WSClient.start() silently refuses other ids (node-sdk 1.74.0, WSClient.start).
      ctx.addIssue({ code: 'custom', path: ['LARK_APP_ID'], message: 'must be cli_ followed by 16 hex digits for the long connection (LARK_MODE=ws)' });
    }
    if (env.LARK_APP_ID && env.LARK_MODE === 'webhook') {
      if (!env.LARK_ENCRYPT_KEY) ctx.addIssue({ code: 'custom', path: ['LARK_ENCRYPT_KEY'], message: 'required when LARK_MODE=webhook' });
      if (!env.LARK_VERIFICATION_TOKEN) ctx.addIssue({ code: 'custom', path: ['LARK_VERIFICATION_TOKEN'], message: 'required when LARK_MODE=webhook' });
    }
  });

/** Settings shared by both modes. */
export interface CommonChatConfig {
  /** SQLite file for dedupe, feedback and thread history. */
  stateDb: string;
  historyTurns: number;
  adminOpenIds: string[];
}

/** No credentials: the terminal chat. */
export interface LocalConfig extends CommonChatConfig {
  kind: 'local';
}

/** Credentials present: connect to Feishu/Lark. */
export interface LarkConfig extends CommonChatConfig {
  kind: 'lark';
  appId: string;
  appSecret: string;
  /** Open API base URL, e.g. `https://open.feishu.cn` (passed to the SDK as `domain`). */
  baseUrl: string;
  mode: 'ws' | 'webhook';
  encryptKey?: string;
  verificationToken?: string;
  webhook: { host: string; port: number; eventPath: string; cardPath: string };
  /** Empty = every chat is allowed. */
  allowedChats: string[];
  botOpenId?: string;
  /** Chat told about problems found at start (`LARK_ADMIN_CHAT_ID`). */
  adminChatId?: string;
  /** The bot's display name (`LARK_BOT_NAME`, default 党建助手). */
  botName?: string;
  /** Stream LLM answers into a card (`LARK_STREAM`, default true when absent). */
  stream?: boolean;
  /** Stream in group chats too (`LARK_STREAM_IN_GROUPS`). */
  streamInGroups?: boolean;
  /** The app has `im:message.group_msg`: take in administrators' files sent in groups without an @mention (`LARK_GROUP_MSG_SCOPE`). */
  groupMsgScope?: boolean;
}

export type ChatConfig = LocalConfig | LarkConfig;

/** Thrown by {@link loadChatConfig} with one line per bad variable, e.g. `LARK_MODE: must be "ws" … (got "http")`. */
export class ChatConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid chat configuration:\n  ${issues.join('\n  ')}`);
    this.name = 'ChatConfigError';
  }
}

/**
 * Validates the environment and returns the chat configuration.
 * @param env usually `process.env`
 * @throws ChatConfigError listing every invalid variable with its value (secrets are not echoed)
 */
export function loadChatConfig(env: Record<string, string | undefined> = process.env): ChatConfig {
  const parsed = LarkEnvSchema.safeParse(env);
  if (!parsed.success) {
    const secret = /SECRET|KEY|TOKEN/;
    throw new ChatConfigError(
      parsed.error.issues.map((i) => {
        const name = String(i.path[0] ?? '');
        const got = env[name];
        const shown = got === undefined || got === '' ? 'unset' : secret.test(name) ? 'set' : JSON.stringify(got);
        return `${name || 'config'}: ${i.message} (got ${shown})`;
      }),
    );
  }
  const e = parsed.data;
  const common: CommonChatConfig = { stateDb: e.LARK_STATE_DB, historyTurns: e.LARK_HISTORY_TURNS, adminOpenIds: e.LARK_ADMIN_OPEN_IDS };
  if (!e.LARK_APP_ID || !e.LARK_APP_SECRET) return { kind: 'local', ...common };
  return {
    kind: 'lark',
    ...common,
    appId: e.LARK_APP_ID,
    appSecret: e.LARK_APP_SECRET,
    baseUrl: e.LARK_DOMAIN.baseUrl,
    mode: e.LARK_MODE,
    encryptKey: e.LARK_ENCRYPT_KEY,
    verificationToken: e.LARK_VERIFICATION_TOKEN,
    webhook: { host: e.LARK_WEBHOOK_HOST, port: e.LARK_WEBHOOK_PORT, eventPath: e.LARK_EVENT_PATH, cardPath: e.LARK_CARD_PATH },
    allowedChats: e.LARK_ALLOWED_CHATS,
    botOpenId: e.LARK_BOT_OPEN_ID,
    adminChatId: e.LARK_ADMIN_CHAT_ID,
    botName: e.LARK_BOT_NAME,
    stream: e.LARK_STREAM,
    streamInGroups: e.LARK_STREAM_IN_GROUPS,
    groupMsgScope: e.LARK_GROUP_MSG_SCOPE,
  };
}
