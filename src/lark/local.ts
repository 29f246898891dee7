import { randomUUID } from 'node:crypto';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Assistant } from '../types.js';
import type { LarkCard, Messenger } from './contracts.js';
import { ConversationHandler } from './conversation.js';
import type { Extensions } from './feishu.js';
import { renderCardText } from './render-text.js';
import { openChatStore, type ChatStore } from './store.js';

/**
 * {@link Messenger} that prints cards as text ({@link renderCardText}) to a stream, for the local chat.
 * Message ids are `local_<uuid>`. Never rejects (a write error is the stream's to report).
 */
export class TerminalMessenger implements Messenger {
  constructor(private readonly out: Writable) {}

  async sendCard(_chatId: string, card: LarkCard): Promise<string> {
    return this.print(card);
  }

  async replyCard(_messageId: string, card: LarkCard): Promise<string> {
    return this.print(card);
  }

  async patchCard(_messageId: string, card: LarkCard): Promise<void> {
    this.out.write(`（卡片已更新）\n${renderCardText(card)}\n\n`);
  }

  private print(card: LarkCard): string {
    this.out.write(`${renderCardText(card)}\n\n`);
    return `local_${randomUUID()}`;
  }
}

/** Options of {@link runLocalChat}. */
export interface LocalChatOptions {
  assistant: Assistant;
  input: Readable;
  output: Writable;
  /** Defaults to an in-memory store (nothing is written to disk). */
  store?: ChatStore;
  historyTurns?: number;
  /** Show a banner and a `你> ` prompt (for an interactive terminal). Default: `input.isTTY`. */
  interactive?: boolean;
  /** Same hook as in Feishu mode: other features (reminders) may add commands. */
  extensions?: (messenger: Messenger) => Promise<Extensions> | Extensions;
}

/**
 * Runs the conversation handler as a terminal chat: each input line is a message in a private
 * chat with the bot (so no @mention is needed), answered before the next line is read. Works with
 * piped input and resolves at end of input (or on `exit`/`quit`). Cards are printed as text.
 */
export async function runLocalChat(opts: LocalChatOptions): Promise<void> {
  const store = opts.store ?? (await openChatStore(':memory:', { env: {} }));
  const messenger = new TerminalMessenger(opts.output);
  const ext = (await opts.extensions?.(messenger)) ?? {};
  const handler = new ConversationHandler({
    assistant: opts.assistant,
    messenger,
    store,
    commands: ext.commands,
    cardRoutes: ext.cardRoutes,
    messageHandlers: ext.messageHandlers,
    historyTurns: opts.historyTurns,
  });
  const interactive = opts.interactive ?? Boolean((opts.input as Readable & { isTTY?: boolean }).isTTY);
  const rl = readline.createInterface({ input: opts.input, output: interactive ? opts.output : undefined, terminal: interactive });
  if (interactive) {
    opts.output.write('党建助手（本地对话）。直接输入问题，/help 查看用法，exit 退出。\n');
    rl.setPrompt('你> ');
    rl.prompt();
  }
  const chatId = `oc_local_${randomUUID().slice(0, 8)}`;
  try {
    for await (const raw of rl) {
      const line = raw.trim();
      if (line === 'exit' || line === 'quit' || line === '/exit') break;
      if (line) {
        if (!interactive) opts.output.write(`你：${line}\n`);
        const r = await handler.receive({
          messageId: `om_local_${randomUUID()}`,
          chatId,
          chatType: 'p2p',
          senderOpenId: 'ou_local_user',
          senderType: 'user',
          messageType: 'text',
          content: JSON.stringify({ text: line }),
          mentions: [],
        });
        if (r.accepted) await r.done;
      }
      if (interactive) rl.prompt();
    }
  } finally {
    rl.close();
    await handler.idle();
    await ext.close?.();
    if (!opts.store) await store.close();
  }
}
