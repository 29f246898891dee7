/**
 * Contracts between the chat layer (src/lark) and the features that talk through it
 * (the knowledge core, the reminders). Kept in one small file so neither side imports
 * the other's internals and there are no import cycles.
 */

/** A Feishu/Lark interactive card as JSON (message `msg_type: "interactive"`). */
export type LarkCard = Record<string, unknown>;

/** Options of `Messenger.sendCard`. */
export interface SendOptions {
  /** Stable key of this logical message; the same key never posts twice within Feishu's 1-hour window. */
  idempotencyKey?: string;
}

/** Options of `Messenger.replyCard`. */
export interface ReplyOptions extends SendOptions {
  /** The chat of the message replied to: its send lane and limit, and where to post if the message is gone. */
  chatId?: string;
}

/**
 * Sends and updates messages in a chat. Implemented over the real SDK (`@larksuiteoapi/node-sdk`
 * `Client`, retried with backoff on 429/5xx) and by the local terminal chat.
 * All methods reject with an Error after the retries are exhausted; callers log, never drop silently.
 * An error with `permanent: true` means trying later cannot help (see {@link isPermanentSendFailure}).
 */
export interface Messenger {
  /**
   * Posts a card to a chat (`chat_id`, `oc_…`). Resolves to the new `message_id` (`om_…`).
   * With `idempotencyKey`, a second send with the same key (e.g. after a crash between the send and
   * its bookkeeping) returns the first message instead of posting again: Feishu keeps one message per
   * request `uuid` for 1 hour ("持有相同 uuid 的请求 1 小时内至多成功发送一条消息",
   * https://open.feishu.cn/document/server-docs/im-v1/message/create).
   */
  sendCard(chatId: string, card: LarkCard, options?: SendOptions): Promise<string>;
  /**
   * Replies to a message in its thread. Resolves to the new `message_id`. When the platform refuses
   * the thread reply, the message is gone or the card is refused, falls back to a plain reply, a message
   * in `options.chatId`, or the card's text. `idempotencyKey` works as for `sendCard`.
   */
  replyCard(messageId: string, card: LarkCard, options?: ReplyOptions): Promise<string>;
  /** Replaces the content of a card message already sent by the bot. */
  patchCard(messageId: string, card: LarkCard): Promise<void>;
  /**
   * The group's name, owner and managers (`GET /open-apis/im/v1/chats/:chat_id`, scope `im:chat:readonly`;
   * https://open.feishu.cn/document/server-docs/group/chat/get). Rejects when the platform refuses.
   * Absent where there is no such thing (the local terminal chat).
   */
  chatInfo?(chatId: string): Promise<ChatInfo>;
  /**
   * The group's members (not bots) with their display names (`GET /open-apis/im/v1/chats/:chat_id/members`,
   * `member_id_type=open_id`, scope `im:chat:readonly`; https://open.feishu.cn/document/server-docs/group/chat-member/get).
   * Rejects when the platform refuses. Absent in the local terminal chat.
   */
  chatMembers?(chatId: string): Promise<{ openId: string; name: string }[]>;
}

/** Who runs a group chat, as the platform reports it (open_ids). */
export interface ChatInfo {
  chatId: string;
  name: string;
  /** The group owner (群主), when the platform reports it as an open_id. */
  ownerOpenId?: string;
  /** The group managers (群管理员), `user_manager_id_list`. */
  managerOpenIds: string[];
}

/**
 * True when a rejected send can never succeed as it is (the chat is closed to the bot — removed,
 * dissolved, muted — or the request itself is refused), as flagged by the messenger's errors; false for
 * failures that may pass (throttling, 5xx, network), and for errors without the flag.
 */
export function isPermanentSendFailure(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { permanent?: unknown }).permanent === true;
}

/** The Open API business code of a rejected send, when the error carries one (`details.code`). */
export function sendFailureCode(err: unknown): number | undefined {
  const code = (err as { details?: { code?: unknown } } | null)?.details?.code;
  return typeof code === 'number' ? code : undefined;
}

/** A person @mentioned in a message, other than the bot (`message.mentions[]`). */
export interface MentionedUser {
  openId: string;
  name: string;
}

/** Who said what, where: the parsed part of an `im.message.receive_v1` text message. */
export interface CommandContext {
  chatId: string;
  chatType: 'group' | 'p2p';
  messageId: string;
  senderOpenId: string;
  /** Text after the command word, trimmed (the bot's mention removed, other mentions as `@name`). */
  args: string;
  /** The people @mentioned in the message, the bot excluded, in order. */
  mentions?: MentionedUser[];
}

/**
 * Sends one more card in reply to the message being handled (same thread, same idempotency scheme as the
 * handler's own replies). Resolves to the new `message_id`, or undefined when it could not be delivered.
 */
export type ReplyFn = (card: LarkCard) => Promise<string | undefined>;

/** A received message offered to the {@link MessageHandler}s: files, links, replies to a card. */
export interface MessageContext extends CommandContext {
  /** `text`, `post`, `file`, `image`, … */
  messageType: string;
  /** The raw `message.content` JSON string (for `file`: `{"file_key","file_name"}`). */
  content: string;
  /**
   * Whether the message is addressed to the bot (a private chat, or a group message that @mentions it). False
   * only for a file sent in a group without a mention, delivered because the app has `im:message.group_msg`
   * (`LARK_GROUP_MSG_SCOPE`): a handler then acts only when it is sure the sender meant the bot (an
   * administrator's file) and otherwise returns nothing, so the group is not answered on every file posted.
   */
  addressed: boolean;
  /** The text of a text/post message as in `args` (whole message); undefined for other types. */
  text?: string;
  mentions: MentionedUser[];
  /** The message this one replies to (`parent_id`), and the thread root (`root_id`), when it is a reply. */
  parentId?: string;
  rootId?: string;
}

/**
 * Handles messages that are neither a command nor a question (a file sent to the bot, a link, a reply to
 * a draft card). Offered every non-command message in registration order; the first that accepts it runs.
 */
export interface MessageHandler {
  /** For logs. */
  name: string;
  /** Cheap synchronous test; must not have side effects. */
  accepts(ctx: MessageContext): boolean;
  /** Returns the reply (a card, markdown text wrapped into a card, or nothing when `reply` already sent everything). */
  run(ctx: MessageContext, reply: ReplyFn): Promise<LarkCard | string | void>;
}

/** A file download refused by the platform or our limits, with a Chinese reason for the user. */
export class ResourceError extends Error {
  constructor(
    /** Shown to the user as is. */
    readonly reason: string,
    /** Open API business code, when the platform gave one. */
    readonly code?: number,
    readonly status?: number,
  ) {
    super(reason);
    this.name = 'ResourceError';
  }
}

/** Platform calls beyond sending, available in Feishu mode only (the local chat has none). */
export interface ChatPlatform {
  /**
   * The bytes of a file sent in a message (`GET /open-apis/im/v1/messages/:message_id/resources/:file_key?type=file`).
   * @throws ResourceError when the platform refuses (file gone, bot not in the chat, over 100 MB…) or the
   * file is larger than `maxBytes`.
   */
  downloadFile(messageId: string, fileKey: string, maxBytes: number): Promise<Buffer>;
  /** The open_id of a group's owner (`GET /open-apis/im/v1/chats/:chat_id`), or undefined when it cannot be had. */
  chatOwner(chatId: string): Promise<string | undefined>;
}

/** A slash command offered in chat (e.g. `/tasks`). Registered with the conversation handler. */
export interface ChatCommand {
  /** Command words including the slash, first is canonical: ['/tasks', '任务']. */
  names: string[];
  /** One line for `/help`. */
  help: string;
  /** Returns the reply (a card, or plain markdown text wrapped into a card by the caller); `reply` sends more cards first. */
  run(ctx: CommandContext, reply?: ReplyFn): Promise<LarkCard | string>;
  /** A button this command offers on the welcome card posted when the bot is added to a group; its click goes to the card route of `value.kind`. */
  welcomeButton?: { label: string; value: Record<string, unknown> };
}

/** A click on a card button whose `value` carries `{ kind, ... }`. */
export interface CardActionContext {
  /** open_id of the user who clicked. */
  openId: string;
  chatId: string;
  /** The card message that was clicked (`open_message_id`). */
  messageId: string;
  value: Record<string, unknown>;
}

/**
 * What a card route answers: a card that replaces the clicked one (sent back in the callback
 * response as `card: {type: "raw", data}`, the documented way to update the clicked card within the
 * 3-second window) and/or a toast (a fixed Chinese sentence).
 */
export interface CardActionResult {
  card?: LarkCard;
  toast?: { type: 'success' | 'info' | 'warning' | 'error'; content: string };
}

/** Handles card clicks whose `value.kind` equals `kind`. Must answer well within 3 s: slow work goes to the background. */
export interface CardActionRoute {
  kind: string;
  handle(ctx: CardActionContext): Promise<CardActionResult | undefined>;
}
