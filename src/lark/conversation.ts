import PQueue from 'p-queue';
import type { Answer, Assistant, Measure, MeasureFilter, Summary } from '../types.js';
import { log } from '../log.js';
import { acknowledgementReply } from './acknowledgement.js';
import { buildCards, FEEDBACK_KIND, noticeCard, type CardSpec } from './cards.js';
import { escapeAnswerText, escapeText } from './escape.js';
import type { CardActionContext, CardActionRoute, ChatCommand, CommandContext, LarkCard, MentionedUser, MessageContext, MessageHandler, Messenger, ReplyFn } from './contracts.js';
import { SendError } from './send-errors.js';
import type { ChatStore } from './store.js';
import type { AnswerStream, AnswerStreamer } from './stream-card.js';

/** Questions are answered on their first this many characters (a longer one gets a note saying so). */
export const MAX_QUESTION_CHARS = 2000;

/**
 * How long an unanswered message stays in the inbox: Feishu keeps a request `uuid` for one hour, so
 * within the hour a resend of the same reply is recognised and not posted twice; after it, it could be.
 */
export const INBOX_MAX_AGE_MS = 3600_000;

/** What happened to the replies of one message while it was processed. */
interface Delivery {
  /** Replies attempted so far: the n-th reply's request uuid is derived from the message id and n. */
  replies: number;
  /** Set when a reply failed: `transient` → try the message again later, `permanent` → give up. */
  failed?: 'transient' | 'permanent';
  /** The question was cut to {@link MAX_QUESTION_CHARS}; its original length. */
  cutFrom?: number;
  /** An earlier attempt at this message did not finish (it comes from the inbox). */
  retry?: boolean;
}

/** A mention inside a received message (`message.mentions[]` of `im.message.receive_v1`). */
export interface IncomingMention {
  /** Placeholder in the text, e.g. `@_user_1`. */
  key: string;
  openId?: string;
  name: string;
}

/**
 * A received chat message, independent of transport: built from `im.message.receive_v1`
 * (https://open.feishu.cn/document/server-docs/im-v1/message/events/receive) or by the local chat.
 */
export interface IncomingMessage {
  /** `header.event_id`; absent in the local chat. */
  eventId?: string;
  messageId: string;
  chatId: string;
  chatType: 'group' | 'p2p';
  senderOpenId: string;
  /** `user` or `app`; messages from apps (bots) are ignored. */
  senderType?: string;
  /** `text`, `post`, `image`, `file`, … */
  messageType: string;
  /** The raw `message.content` JSON string. */
  content: string;
  mentions: IncomingMention[];
  /** Thread root (`message.root_id`), when the message was sent inside a thread/reply chain. */
  rootId?: string;
  /** The message replied to (`message.parent_id`), when this is a reply. */
  parentId?: string;
}

/** Why a message got no answer (returned by {@link ConversationHandler.receive}). */
export type IgnoreReason = 'chat-not-allowed' | 'from-bot' | 'not-mentioned' | 'duplicate';

/** Result of {@link ConversationHandler.receive}. */
export type ReceiveResult = { accepted: true; done: Promise<void> } | { accepted: false; reason: IgnoreReason };

/** What a card callback answers: an optional toast and an optional card replacing the clicked one. */
export interface CardActionResponse {
  toast?: { type: 'success' | 'info' | 'warning' | 'error'; content: string };
  card?: { type: 'raw'; data: LarkCard };
}

/** Construction options of {@link ConversationHandler}. */
export interface ConversationOptions {
  assistant: Assistant;
  messenger: Messenger;
  store: ChatStore;
  /** Extra commands (e.g. the reminders' `/tasks`, `/done`). */
  commands?: ChatCommand[];
  /** Extra card-button routes by `value.kind` (e.g. `reminder.done`). */
  cardRoutes?: CardActionRoute[];
  /** Handlers of messages that are neither commands nor questions (files, links, replies to a card). */
  messageHandlers?: MessageHandler[];
  /** chat_ids the bot may answer in; empty or absent = all. */
  allowedChats?: string[];
  /**
   * The bot's open_id, to recognise @mentions of the bot in groups. While it is unknown (not yet
   * fetched), only a mention whose display name is exactly {@link ConversationOptions.botName} counts.
   */
  botOpenId?: () => string | undefined;
  /** The bot's display name (default `党建助手`), used only while its open_id is unknown. */
  botName?: string;
  /** Called when the bot is removed from a group (`im.chat.member.bot.deleted_v1`), e.g. to pause reminders. */
  onBotRemoved?: (chatId: string) => Promise<void> | void;
  /** Called when the bot is added to a group (`im.chat.member.bot.added_v1`), e.g. to resume reminders. */
  onBotAdded?: (chatId: string) => Promise<void> | void;
  /** Longest a card callback may take before a "processing" toast is returned instead (default 2 500 ms; Feishu's limit is 3 s). */
  callbackBudgetMs?: number;
  /** Turns of thread history passed to follow-up questions (default 3). */
  historyTurns?: number;
  /** open_ids allowed to use admin commands (`/stats`). */
  adminOpenIds?: string[];
  /**
   * Messages answered at the same time (default 4). Retrieval is CPU work on the event loop: a burst
   * of events answered all at once would hold back the acknowledgements of the next deliveries.
   */
  maxConcurrentAnswers?: number;
  /** Streams LLM answers into a card while they are generated (private chats; groups with `streamInGroups`). */
  streamer?: AnswerStreamer;
  /** Stream in group chats too (default false: private chats only). */
  streamInGroups?: boolean;
  /**
   * The app has the scope `im:message.group_msg` (`LARK_GROUP_MSG_SCOPE`), so Feishu delivers every group message,
   * not only those that @mention the bot (im-v1/message/events/receive): a **file** sent in a group without
   * @mentioning the bot is then offered to the message handlers as unaddressed (`MessageContext.addressed` false;
   * they act only for administrators and otherwise stay silent). Other unmentioned group messages are still
   * ignored. Default false: in groups only messages that @mention the bot are handled.
   */
  groupFilesWithoutMention?: boolean;
}

const HELP_EXAMPLE = '海西州吸引了多少名大学生到村任职？';

/** Messages that get the help card instead of an answer: greetings and "what can you do". */
const HELP_REQUEST = /^(?:你好|您好|嗨|哈喽|hi|hello|在吗|你能做什么|你可以做什么|你会做什么|你会什么|能做什么|怎么用|如何使用)[\s!！?？。.~～呀啊呢吗]*$/i;

/** A lifecycle event of the bot's membership, as delivered by Feishu. */
export interface LifecycleEvent {
  kind: 'bot-added' | 'bot-removed' | 'p2p-entered';
  eventId?: string;
  chatId: string;
  /** open_id of the user who added/removed the bot or opened the private chat. */
  operatorOpenId?: string;
}

/**
 * The conversation logic shared by Feishu/Lark and the local chat.
 *
 * - In groups it answers only when the bot is @mentioned (the mention is stripped); in p2p always.
 * - Plain text is a question (`Assistant.ask`, with the last turns of the same thread as history);
 *   `总结 …` / `/summary …` drafts a summary; `/measures [地名/领域]` lists measures; `/help` explains;
 *   registered {@link ChatCommand}s run by name. Non-text messages, empty mentions and unknown
 *   `/commands` get a short helpful reply.
 * - Replies go to the message's thread as interactive cards ({@link buildCards}), split or trimmed
 *   to Feishu's 30 KB limit.
 * - Chats outside `allowedChats` are ignored; each message is handled once per event_id and
 *   message_id (on every replica sharing the store), and kept in the durable inbox ({@link ChatStore.accept}) until its answer was sent or
 *   refused for good; {@link ConversationHandler.recover} answers what a crash left there.
 * - Questions longer than {@link MAX_QUESTION_CHARS} characters are cut, with a note in the answer.
 * - A failed send (after the messenger's retries) is logged with context, never thrown to the transport.
 */
export class ConversationHandler {
  private readonly opts: ConversationOptions;
  private readonly commands: ChatCommand[];
  private readonly routes = new Map<string, CardActionRoute>();
  private readonly inflight = new Set<Promise<void>>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly deliveries = new WeakMap<IncomingMessage, Delivery>();
  private sweep?: NodeJS.Timeout;
  private readonly answering: PQueue;
  private readonly allowed: Set<string> | undefined;

  constructor(opts: ConversationOptions) {
    this.opts = opts;
    this.commands = opts.commands ?? [];
    for (const r of opts.cardRoutes ?? []) this.routes.set(r.kind, r);
    this.allowed = opts.allowedChats && opts.allowedChats.length > 0 ? new Set(opts.allowedChats) : undefined;
    this.answering = new PQueue({ concurrency: opts.maxConcurrentAnswers ?? 4 });
  }

  /** True when the bot may speak in this chat. */
  isChatAllowed(chatId: string): boolean {
    return !this.allowed || this.allowed.has(chatId);
  }

  /**
   * Decides quickly (one store transaction, so the transport can acknowledge at once) whether to
   * answer, and if so starts answering in the background. `done` settles when the reply was sent or
   * its failure logged; it never rejects. Rejects only when the store cannot be reached (the delivery
   * is then not acknowledged, and Feishu delivers it again).
   */
  async receive(msg: IncomingMessage): Promise<ReceiveResult> {
    const reason = await this.ignoreReason(msg);
    if (reason) {
      log.info({ chatId: msg.chatId, messageId: msg.messageId, eventId: msg.eventId, reason }, 'lark: message ignored');
      return { accepted: false, reason };
    }
    return { accepted: true, done: this.run(msg) };
  }

  /**
   * Answers the inbox: every accepted message whose answer was not delivered (this or another replica
   * stopped, or a send failed for a reason that may pass), whose next attempt is due and whose lease is
   * free or expired ({@link ChatStore.takeInbox}), once. First renews the leases of the messages this
   * process is answering, so no other replica takes them over. Messages older than
   * {@link INBOX_MAX_AGE_MS} are dropped with an error log instead (a resend could post twice).
   * Returns how many it started. Replies carry the same request uuids as in the first attempt, so a
   * reply that reached Feishu before a crash is not posted again.
   */
  async recover(now = Date.now()): Promise<number> {
    let started = 0;
    await this.opts.store.renewInbox([...this.running.keys()]);
    for (const e of await this.opts.store.takeInbox(now)) {
      const m = e.message;
      if (this.running.has(m.messageId)) continue;
      if (now - e.receivedAt > INBOX_MAX_AGE_MS) {
        await this.opts.store.finish(m.messageId);
        log.error({ chatId: m.chatId, messageId: m.messageId, eventId: m.eventId, receivedAt: e.receivedAt, attempts: e.attempts }, 'lark: unanswered message older than an hour dropped');
        continue;
      }
      log.info({ chatId: m.chatId, messageId: m.messageId, attempts: e.attempts }, 'lark: answering a message from the inbox');
      void this.run(m, e.attempts);
      started++;
    }
    return started;
  }

  /**
   * Runs {@link recover} now and then every `intervalMs` until {@link stopRecovery}. The default is
   * 15 s, or a third of the store's lease when that is shorter (leases must be renewed before they expire).
   */
  startRecovery(intervalMs = Math.min(15_000, Math.floor(this.opts.store.leaseMs / 3))): void {
    const sweep = () => {
      this.recover().catch((err: unknown) => log.error({ err }, 'lark: inbox recovery failed'));
    };
    sweep();
    this.sweep = setInterval(sweep, intervalMs);
    this.sweep.unref();
  }

  stopRecovery(): void {
    clearInterval(this.sweep);
    this.sweep = undefined;
  }

  /** Processes one accepted message and settles its inbox entry; never rejects. */
  private run(msg: IncomingMessage, attempts = 0): Promise<void> {
    const delivery: Delivery = { replies: 0, retry: attempts > 0 };
    this.deliveries.set(msg, delivery);
    const done = this.answering
      .add(() => this.process(msg))
      .then(
        async () => {
          if (delivery.failed === 'transient') {
            const wait = Math.min(30_000 * 2 ** attempts, 600_000);
            await this.opts.store.defer(msg.messageId, Date.now() + wait);
            log.warn({ chatId: msg.chatId, messageId: msg.messageId, retryInMs: wait }, 'lark: answer not delivered; kept in the inbox');
          } else await this.opts.store.finish(msg.messageId);
        },
        async (err: unknown) => {
          log.error({ err, chatId: msg.chatId, messageId: msg.messageId }, 'lark: handling a message failed');
          await this.opts.store.finish(msg.messageId);
        },
      )
      .catch((err: unknown) => log.error({ err, messageId: msg.messageId }, 'lark: inbox update failed'))
      .finally(() => {
        this.inflight.delete(done);
        this.running.delete(msg.messageId);
      });
    this.inflight.add(done);
    this.running.set(msg.messageId, done);
    return done;
  }

  /**
   * Holds back the start of new answers while deliveries are being acknowledged (the transport calls
   * this when a delivery arrives and {@link resumeAnswering} when the last one in flight is answered):
   * answering is CPU work on the same event loop, and Feishu re-delivers an event not acknowledged
   * within 3 s. A hold lasts at most `maxMs` (default 1 s), so a steady stream of deliveries cannot
   * starve the answers.
   */
  holdAnswering(maxMs = 1000): void {
    if (this.answering.isPaused) return;
    this.answering.pause();
    clearTimeout(this.holdTimer);
    this.holdTimer = setTimeout(() => this.resumeAnswering(), maxMs);
    this.holdTimer.unref();
  }

  /** Lets answers start again (see {@link holdAnswering}). */
  resumeAnswering(): void {
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    this.answering.start();
  }

  private holdTimer?: NodeJS.Timeout;

  /** Resolves when every message accepted so far has been answered (or its failure logged). */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  /**
   * Handles a click on a card button. `value.kind === 'feedback'` records a 👍/👎 vote; other kinds
   * go to the registered {@link CardActionRoute}. Clicks in chats that are not allowed are refused.
   * Must return within Feishu's 3-second callback window; never throws.
   */
  async handleCardAction(ctx: CardActionContext): Promise<CardActionResponse> {
    // Feishu counts a callback answered after 3 s as failed: answer with a toast before that, let the work finish.
    const budget = this.opts.callbackBudgetMs ?? 2_500;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<CardActionResponse>((resolve) => {
      timer = setTimeout(() => resolve({ toast: { type: 'info', content: '正在处理，稍后刷新即可看到结果' } }), budget);
    });
    const work = this.cardAction(ctx);
    this.track(work.then(() => undefined));
    try {
      return await Promise.race([work, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Handles a lifecycle event: a welcome/help card when the bot is added to a group or a user opens
   * the private chat (at most once per private chat in 7 days); on removal calls `onBotRemoved` (the
   * reminders pause that chat). Each event_id is handled once. Chats outside `allowedChats` get no card. Never throws (failures are logged).
   */
  async handleLifecycle(ev: LifecycleEvent): Promise<void> {
    // Feishu fires bot_p2p_chat_entered_v1 every time the user opens the chat: greet a private chat
    // at most once per chat while the dedupe row is kept (7 days), other events once per event_id.
    const key = ev.kind === 'p2p-entered' ? `welcome-p2p:${ev.chatId}` : ev.eventId ? `lifecycle:${ev.eventId}` : undefined;
    try {
      if (!(await this.opts.store.claim(key, undefined))) return;
      log.info({ kind: ev.kind, chatId: ev.chatId, operator: ev.operatorOpenId }, 'lark: lifecycle event');
      if (ev.kind === 'bot-removed') {
        await this.opts.onBotRemoved?.(ev.chatId);
        return;
      }
      if (ev.kind === 'bot-added') await this.opts.onBotAdded?.(ev.chatId);
      if (!this.isChatAllowed(ev.chatId)) return;
      const card = ev.kind === 'bot-added' ? withButtons(this.helpCard('党建助手 · 已加入本群'), this.commands.flatMap((c) => c.welcomeButton ?? [])) : this.helpCard('党建助手 · 你好');
      await this.opts.messenger.sendCard(ev.chatId, card, { idempotencyKey: `welcome:${ev.eventId ?? ev.chatId}` });
    } catch (err) {
      log.error({ err: errSummary(err), kind: ev.kind, chatId: ev.chatId }, 'lark: lifecycle event failed');
    }
  }

  private track(p: Promise<void>): void {
    const done = p.catch(() => undefined);
    this.inflight.add(done);
    void done.finally(() => this.inflight.delete(done));
  }

  private async cardAction(ctx: CardActionContext): Promise<CardActionResponse> {
    if (!this.isChatAllowed(ctx.chatId)) {
      log.info({ chatId: ctx.chatId, messageId: ctx.messageId }, 'lark: card action in a chat that is not allowed');
      return { toast: { type: 'error', content: '此群未开通党建助手' } };
    }
    const kind = typeof ctx.value.kind === 'string' ? ctx.value.kind : '';
    try {
      if (kind === FEEDBACK_KIND) {
        const vote = ctx.value.vote === 'down' ? 'down' : 'up';
        await this.opts.store.recordFeedback({
          messageId: ctx.messageId,
          chatId: ctx.chatId,
          openId: ctx.openId,
          vote,
          question: typeof ctx.value.q === 'string' ? ctx.value.q : '',
          at: Date.now(),
        });
        log.info({ chatId: ctx.chatId, messageId: ctx.messageId, vote }, 'lark: feedback recorded');
        return { toast: { type: 'success', content: vote === 'up' ? '感谢反馈 👍' : '已记录 👎，我们会改进回答' } };
      }
      const route = this.routes.get(kind);
      if (!route) {
        log.warn({ kind, messageId: ctx.messageId }, 'lark: card action without a route');
        return { toast: { type: 'warning', content: '这个按钮已失效' } };
      }
      const r = (await route.handle(ctx)) ?? {};
      if (!r.card && !r.toast) return { toast: { type: 'success', content: '已处理' } };
      return { ...(r.toast ? { toast: r.toast } : {}), ...(r.card ? { card: { type: 'raw', data: r.card } } : {}) };
    } catch (err) {
      log.error({ err, kind, messageId: ctx.messageId }, 'lark: card action failed');
      return { toast: { type: 'error', content: '处理失败，请稍后再试' } };
    }
  }

  // ------------------------------------------------------------------ internals

  private async ignoreReason(msg: IncomingMessage): Promise<IgnoreReason | undefined> {
    if (!this.isChatAllowed(msg.chatId)) return 'chat-not-allowed';
    if (msg.senderType && msg.senderType !== 'user') return 'from-bot';
    if (msg.chatType === 'group' && !this.mentionsBot(msg) && !(this.opts.groupFilesWithoutMention && msg.messageType === 'file')) return 'not-mentioned';
    if (!(await this.opts.store.accept(msg))) return 'duplicate';
    return undefined;
  }

  private isBotMention(m: IncomingMention): boolean {
    const bot = this.opts.botOpenId?.();
    return bot ? m.openId === bot : m.name === (this.opts.botName ?? '党建助手');
  }

  /** Whether the message is addressed to the bot: a private chat, or a group message that @mentions it. */
  private addressed(msg: IncomingMessage): boolean {
    return msg.chatType !== 'group' || this.mentionsBot(msg);
  }

  private mentionsBot(msg: IncomingMessage): boolean {
    return msg.mentions.some((m) => this.isBotMention(m));
  }

  private botMentionKeys(msg: IncomingMessage): Set<string> {
    return new Set(msg.mentions.filter((m) => this.isBotMention(m)).map((m) => m.key));
  }

  private async process(msg: IncomingMessage): Promise<void> {
    // Yield to the event loop first, so the transport writes its acknowledgement before any
    // CPU-bound retrieval runs (Feishu re-delivers events not acknowledged within 3 s).
    await new Promise<void>((resolve) => setImmediate(resolve));
    const text = extractText(msg);
    if (!this.addressed(msg)) {
      // an unmentioned group file (LARK_GROUP_MSG_SCOPE): handled by a handler for an administrator, else nothing is said
      await this.offerToHandlers(msg, text);
      return;
    }
    if (text === undefined) {
      if (await this.offerToHandlers(msg, undefined)) return;
      await this.reply(msg, noticeCard('党建助手', '目前我只能读懂**文字消息**（管理员还可以在单聊中发送 .docx、.pdf、.html、.txt、.md 文件收录进知识库；应用开通“获取群组中所有消息”权限并设置 LARK_GROUP_MSG_SCOPE=1 时，也可以直接发在群里）。请直接用文字提问，例如：\n' + `「${HELP_EXAMPLE}」`, 'grey'));
      return;
    }
    const botKeys = this.botMentionKeys(msg);
    let clean = stripMentions(text, msg.mentions, botKeys);
    if (clean.length > MAX_QUESTION_CHARS) {
      this.deliveries.get(msg)!.cutFrom = clean.length;
      clean = clean.slice(0, MAX_QUESTION_CHARS);
    }
    if (!clean) {
      await this.reply(msg, noticeCard('党建助手', `你好，我是党建助手。请在 @我 之后写上问题，例如：\n「${HELP_EXAMPLE}」\n发送 /help 查看全部用法。`));
      return;
    }
    await this.dispatch(msg, clean);
  }

  private async dispatch(msg: IncomingMessage, text: string): Promise<unknown> {
    // a slash word in any script (/help, /启用): an unknown one is answered as such, never taken for a question
    const slash = /^(\/[^\s/]+)(?:\s+([\s\S]*))?$/.exec(text);
    if (slash) {
      const word = slash[1].toLowerCase();
      const args = (slash[2] ?? '').trim();
      if (word === '/help') return this.reply(msg, this.helpCard());
      if (word === '/summary') return this.summary(msg, args);
      if (word === '/measures') return this.measures(msg, args);
      if (word === '/stats') return this.stats(msg);
      const cmd = this.commands.find((c) => c.names.some((n) => n.toLowerCase() === word));
      if (cmd) return this.runCommand(msg, cmd, args);
      return this.reply(msg, noticeCard('党建助手', `不认识命令 **${escapeText(slash[1])}**。发送 /help 查看可用命令；直接输入文字即可提问。`, 'grey'));
    }
    if (HELP_REQUEST.test(text)) return this.reply(msg, this.helpCard());
    const ack = acknowledgementReply(text);
    if (ack) return this.reply(msg, noticeCard('党建助手', ack));
    const zh = /^(总结|帮助)(?:[\s:：，,]+|$)(?:一下)?([\s\S]*)$/.exec(text) ?? /^(总结)(?:一下)?([\s\S]+)$/.exec(text);
    if (zh?.[1] === '帮助' && !zh[2].trim()) return this.reply(msg, this.helpCard());
    if (zh?.[1] === '总结') return this.summary(msg, zh[2].replace(/^[\s:：，,]+/, '').trim());
    const [first, ...rest] = text.split(/\s+/);
    const named = this.commands.find((c) => c.names.includes(first));
    if (named) return this.runCommand(msg, named, rest.join(' '));
    if (await this.offerToHandlers(msg, text)) return;
    return this.question(msg, text);
  }

  /**
   * Where a message's turns are kept (`write`) and which turns a follow-up reads (`read`). In a private
   * chat: the thread, else the whole chat. In a group, one member's context only (chat_id + sender
   * open_id): the member's turns in the thread, else the member's turns in the chat — never another
   * member's question, even in the same thread.
   */
  private threadKeys(msg: IncomingMessage): { read?: string; write: string[] } {
    if (msg.chatType === 'p2p') {
      const own = `${msg.chatId}/${msg.rootId || msg.messageId}`;
      const chatKey = `${msg.chatId}/p2p`;
      return { read: msg.rootId ? own : chatKey, write: [own, chatKey] };
    }
    const member = `${msg.chatId}/member:${msg.senderOpenId}`;
    const memberThread = `${member}/${msg.rootId || msg.messageId}`;
    return { read: msg.rootId ? memberThread : member, write: [memberThread, member] };
  }

  private async question(msg: IncomingMessage, question: string): Promise<void> {
    const keys = this.threadKeys(msg);
    const history = keys.read ? await this.opts.store.lastTurns(keys.read, this.opts.historyTurns ?? 3) : [];
    const stream = this.openStream(msg);
    let answer: Answer;
    try {
      answer = await this.opts.assistant.ask(question, { history, ...(stream ? { onPartial: (t: string) => stream.update(t) } : {}) });
    } catch (err) {
      log.error({ err, chatId: msg.chatId, messageId: msg.messageId }, 'lark: assistant.ask failed');
      await this.replyAll(msg, [noticeCard('党建助手', '抱歉，回答时出错了，请稍后再试。', 'grey')], stream);
      return;
    }
    const sources = [...new Set(answer.citations.map((c) => c.source))];
    for (const k of keys.write) await this.opts.store.addTurn(k, { question, answer: answer.answer, sources });
    await this.replyAll(msg, answerCards(this.withCutNote(msg, answer)), stream);
  }

  /**
   * A stream for this message's answer, when streaming is on for its chat type and this is the first
   * attempt (a retry from the inbox answers with plain cards, so that its replies keep their request uuids).
   */
  private openStream(msg: IncomingMessage): AnswerStream | undefined {
    if (!this.opts.streamer || (msg.chatType === 'group' && !this.opts.streamInGroups) || this.deliveries.get(msg)?.retry) return undefined;
    return this.opts.streamer.open({ messageId: msg.messageId, chatId: msg.chatId, idempotencyKey: `stream:${msg.messageId}` });
  }

  private async summary(msg: IncomingMessage, topic: string): Promise<void> {
    if (!topic) {
      await this.reply(msg, noticeCard('党建助手', '请写上总结的主题，例如：\n「总结 海西州 人才工作」或「/summary 基层治理」', 'grey'));
      return;
    }
    let s: Summary;
    try {
      // “总结这篇报道” refers to what the thread's last answer cited
      const keys = this.threadKeys(msg);
      const history = keys.read ? await this.opts.store.lastTurns(keys.read, this.opts.historyTurns ?? 3) : [];
      s = await this.opts.assistant.summarize(topic, { history });
    } catch (err) {
      log.error({ err, chatId: msg.chatId, messageId: msg.messageId }, 'lark: assistant.summarize failed');
      await this.reply(msg, noticeCard('党建助手', '抱歉，生成总结时出错了，请稍后再试。', 'grey'));
      return;
    }
    await this.replyAll(msg, summaryCards(this.withCutNote(msg, s)));
  }

  private async measures(msg: IncomingMessage, arg: string): Promise<void> {
    let list: Measure[];
    let how = '';
    try {
      if (!arg) list = this.opts.assistant.measures();
      else {
        const tries: Array<[MeasureFilter, string]> = [
          [{ place: arg }, `地名含「${arg}」`],
          [{ domain: arg }, `领域「${arg}」`],
          [{ query: arg }, `含「${arg}」`],
        ];
        list = [];
        for (const [f, label] of tries) {
          list = this.opts.assistant.measures(f);
          how = label;
          if (list.length > 0) break;
        }
      }
    } catch (err) {
      log.error({ err, chatId: msg.chatId }, 'lark: assistant.measures failed');
      await this.reply(msg, noticeCard('党建助手', '抱歉，查询举措时出错了，请稍后再试。', 'grey'));
      return;
    }
    await this.replyAll(msg, measuresCards(list, arg, how));
  }

  private async stats(msg: IncomingMessage): Promise<void> {
    if (!(this.opts.adminOpenIds ?? []).includes(msg.senderOpenId)) {
      await this.reply(msg, noticeCard('党建助手', '/stats 仅管理员可用。', 'grey'));
      return;
    }
    const t = await this.opts.store.feedbackTotals();
    await this.reply(msg, noticeCard('党建助手 · 反馈统计', `👍 有用：**${t.up}**\n👎 没用：**${t.down}**`));
  }

  /** The people @mentioned in a message, the bot excluded. */
  private mentionedUsers(msg: IncomingMessage): MentionedUser[] {
    const bot = this.botMentionKeys(msg);
    return msg.mentions.filter((m) => !bot.has(m.key) && m.openId).map((m) => ({ openId: m.openId!, name: m.name }));
  }

  /** A {@link ReplyFn} for `msg`: each card is the next numbered reply of the message. */
  private replier(msg: IncomingMessage): ReplyFn {
    return (card) => this.reply(msg, card);
  }

  /**
   * Offers a message (text = its cleaned text, undefined for files and other types) to the message
   * handlers; runs the first that accepts it. Returns false when none did.
   */
  private async offerToHandlers(msg: IncomingMessage, text: string | undefined): Promise<boolean> {
    const ctx: MessageContext = {
      chatId: msg.chatId,
      chatType: msg.chatType,
      messageId: msg.messageId,
      senderOpenId: msg.senderOpenId,
      args: text ?? '',
      text,
      messageType: msg.messageType,
      content: msg.content,
      addressed: this.addressed(msg),
      mentions: this.mentionedUsers(msg),
      ...(msg.parentId ? { parentId: msg.parentId } : {}),
      ...(msg.rootId ? { rootId: msg.rootId } : {}),
    };
    const handler = (this.opts.messageHandlers ?? []).find((h) => {
      try {
        return h.accepts(ctx);
      } catch (err) {
        log.error({ err, handler: h.name }, 'lark: message handler check failed');
        return false;
      }
    });
    if (!handler) return false;
    let out: LarkCard | string | void;
    try {
      out = await handler.run(ctx, this.replier(msg));
    } catch (err) {
      log.error({ err, handler: handler.name, chatId: msg.chatId, messageId: msg.messageId }, 'lark: message handler failed');
      out = '处理失败，请稍后再试。';
    }
    if (typeof out === 'string') await this.replyAll(msg, buildCards({ title: '党建助手', template: 'blue', body: out }));
    else if (out) await this.reply(msg, out);
    return true;
  }

  private async runCommand(msg: IncomingMessage, cmd: ChatCommand, args: string): Promise<void> {
    const ctx: CommandContext = { chatId: msg.chatId, chatType: msg.chatType, messageId: msg.messageId, senderOpenId: msg.senderOpenId, args, mentions: this.mentionedUsers(msg) };
    let out: LarkCard | string;
    try {
      out = await cmd.run(ctx, this.replier(msg));
    } catch (err) {
      log.error({ err, command: cmd.names[0], chatId: msg.chatId }, 'lark: command failed');
      out = `命令 ${cmd.names[0]} 执行失败，请稍后再试。`;
    }
    // an empty text: the command already replied through its ReplyFn
    if (typeof out === 'string') {
      if (out) await this.replyAll(msg, buildCards({ title: '党建助手', template: 'blue', body: out }));
    } else await this.reply(msg, out);
  }

  /** The help card (also the welcome card); commands come from the registered extensions. */
  helpCard(title = '党建助手 · 使用说明'): LarkCard {
    const lines = [
      '**直接提问**：如「' + HELP_EXAMPLE + '」，回答附出处；在回答的话题里追问时，群里也要先 @党建助手。',
      '**总结 主题** 或 **/summary 主题**：起草一份带出处的工作总结要点。',
      '**/measures [地名/领域]**：列出报告中的举措，如 /measures 海西州、/measures 人才。',
      ...this.commands.map((c) => `**${c.names[0]}**：${c.help}`),
      '**/help**：显示本说明。',
      '',
      '在群里请先 @党建助手 再提问；单聊可直接发送。回答下方可点 👍/👎 反馈。',
    ];
    return noticeCard(title, lines.join('\n'));
  }

  /** Adds the polite note on a question cut to {@link MAX_QUESTION_CHARS}. */
  private withCutNote<T extends { note?: string }>(msg: IncomingMessage, a: T): T {
    const from = this.deliveries.get(msg)?.cutFrom;
    if (!from) return a;
    const note = `您的问题较长（${from} 字），只按前 ${MAX_QUESTION_CHARS} 字作答；内容较多时请分几次提问。`;
    return { ...a, note: [a.note, note].filter(Boolean).join('；') };
  }

  /**
   * Sends the cards in order; stops at the first one that could not be delivered. With a `stream` that
   * showed a partial answer, the first card replaces the streamed one instead of being sent.
   */
  private async replyAll(msg: IncomingMessage, cards: LarkCard[], stream?: AnswerStream): Promise<void> {
    if (stream && cards.length > 0 && (await stream.finish(cards[0]))) cards = cards.slice(1);
    for (const c of cards) {
      await this.reply(msg, c);
      if (this.deliveries.get(msg)?.failed) return;
    }
  }

  /**
   * Replies with one card. The n-th reply to a message carries a request uuid derived from the
   * message id and n, the same in every attempt to answer that message.
   */
  private async reply(msg: IncomingMessage, card: LarkCard): Promise<string | undefined> {
    const delivery = this.deliveries.get(msg) ?? { replies: 0 };
    const n = delivery.replies++;
    try {
      return await this.opts.messenger.replyCard(msg.messageId, card, { chatId: msg.chatId, idempotencyKey: `reply:${msg.messageId}:${n}` });
    } catch (err) {
      delivery.failed = err instanceof SendError && !err.permanent ? 'transient' : 'permanent';
      log.error({ err: errSummary(err), chatId: msg.chatId, messageId: msg.messageId, eventId: msg.eventId, outcome: delivery.failed }, 'lark: reply could not be sent');
      return undefined;
    }
  }
}

/** A card with a row of callback buttons appended (the welcome card's offers, e.g. 启用支部常规提醒). */
function withButtons(card: LarkCard, buttons: { label: string; value: Record<string, unknown> }[]): LarkCard {
  if (!buttons.length) return card;
  const body = card.body as { elements: Record<string, unknown>[] };
  const row = buttons.map((b, i) => ({
    tag: 'button',
    name: `welcome_${i}`,
    text: { tag: 'plain_text', content: b.label },
    type: 'primary',
    behaviors: [{ type: 'callback', value: b.value }],
  }));
  return { ...card, body: { ...body, elements: [...body.elements, ...row] } };
}

function errSummary(err: unknown): unknown {
  if (err instanceof Error) return { message: err.message, name: err.name };
  return err;
}

/**
 * Replaces the mention placeholders of a message text (`@_user_1`, Feishu's keys from `mentions[].key`)
 * by `@name`, or removes them for the bot's own mentions (`botKeys`), and removes `@_all`. A key
 * matches only as a whole: `@_user_1` does not eat the start of `@_user_10`. Whitespace is collapsed.
 */
export function stripMentions(text: string, mentions: IncomingMention[], botKeys: Set<string>): string {
  const byKey = new Map(mentions.map((m) => [m.key, m]));
  return text
    .replace(/@_user_\d+|@_all\b/g, (key) => {
      if (key === '@_all') return '';
      const m = byKey.get(key);
      if (!m) return key;
      return botKeys.has(key) ? '' : `@${m.name}`;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Text of a `text` or `post` message (post paragraphs joined by newlines; `at` elements become their
 * mention key). Undefined for other message types or unparsable content.
 */
export function extractText(msg: Pick<IncomingMessage, 'messageType' | 'content'>): string | undefined {
  let content: unknown;
  try {
    content = JSON.parse(msg.content);
  } catch {
    return undefined;
  }
  if (msg.messageType === 'text') {
    const t = (content as { text?: unknown }).text;
    return typeof t === 'string' ? t : undefined;
  }
  if (msg.messageType === 'post') {
    type Post = { title?: string; content?: unknown[][] };
    const c = content as Post;
    const post: Post = Array.isArray(c.content)
      ? c
      : ((Object.values(content as Record<string, unknown>).find((v) => Array.isArray((v as Post | null)?.content)) as Post | undefined) ?? { content: [] });
    const paras = (post.content ?? []).map((p) =>
      (p as Array<{ tag?: string; text?: string; user_id?: string }>)
        .map((el) => (el.tag === 'text' || el.tag === 'a' ? (el.text ?? '') : el.tag === 'at' ? ` ${el.user_id ?? ''} ` : ''))
        .join(''),
    );
    return [post.title ?? '', ...paras].filter(Boolean).join('\n');
  }
  return undefined;
}

/** Cards for an answer: the text, a grey header when not grounded, sources folded, 👍/👎. */
export function answerCards(a: Answer): LarkCard[] {
  const spec: CardSpec = {
    title: a.grounded ? '党建助手 · 回答' : '党建助手 · 未找到依据',
    template: a.grounded ? 'red' : 'grey',
    body: escapeAnswerText(a.answer),
    note: a.note,
    citations: a.citations,
    feedbackFor: a.question,
  };
  return buildCards(spec);
}

/** Cards for a summary draft, with sources and 👍/👎. */
export function summaryCards(s: Summary): LarkCard[] {
  return buildCards({
    title: `党建助手 · 总结：${s.topic}`.slice(0, 60),
    template: s.grounded ? 'orange' : 'grey',
    body: escapeAnswerText(s.summary),
    note: [s.grounded ? '' : '资料不足，以下内容仅供参考', s.note ?? ''].filter(Boolean).join('；') || undefined,
    citations: s.citations,
    feedbackFor: `总结 ${s.topic}`,
  });
}

/** At most this many measures are listed; the rest are counted in a note. */
export const MAX_MEASURES_LISTED = 30;

/** Cards listing measures, each with its figures, places, domains and source document. */
export function measuresCards(list: Measure[], arg: string, how: string): LarkCard[] {
  if (list.length === 0) {
    return [noticeCard('党建助手 · 举措', arg ? `没有找到与「${escapeText(arg)}」相关的举措。可以换个地名或领域，如 /measures 海西州、/measures 人才。` : '资料中还没有提取到举措。', 'grey')];
  }
  const shown = list.slice(0, MAX_MEASURES_LISTED);
  const lines = shown.map((m, i) => {
    const meta = [m.places.slice(0, 2).join('、'), m.domains.slice(0, 2).join('、'), `《${m.docTitle}》${m.section ? ` ${m.section}` : ''}`].filter(Boolean).join(' · ');
    const figs = m.figures.length > 0 ? `（${m.figures.slice(0, 4).join('，')}）` : '';
    return `${i + 1}. **${escapeText(m.title)}**${escapeText(figs)}\n${escapeText(m.text.length > 160 ? `${m.text.slice(0, 159)}…` : m.text)}\n<font color='grey'>${escapeText(meta)}</font>`;
  });
  const head = arg ? `共 ${list.length} 条举措（${escapeText(how)}）：` : `共 ${list.length} 条举措：`;
  const note = list.length > shown.length ? `仅显示前 ${shown.length} 条；加上地名或领域可缩小范围，如 /measures 海西州` : undefined;
  return buildCards({ title: '党建助手 · 举措', template: 'green', body: [head, ...lines].join('\n\n'), note });
}
