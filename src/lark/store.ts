/**
 * The chat layer's durable state, as the bot sees it: the shared-state {@link ChatState} (see
 * `src/state/types.ts`) typed with {@link IncomingMessage}. SQLite file `LARK_STATE_DB` (default
 * `var/lark.db`) by default, the PostgreSQL database of `DATABASE_URL` when set.
 */
import { databaseUrl, openChatState } from '../state/open.js';
import type { ChatState, InboxEntry as StateInboxEntry, StoreOptions } from '../state/types.js';
import type { IncomingMessage } from './conversation.js';

export type { FeedbackRecord, UndeliverableRecord } from '../state/types.js';

/** The bot's state store. */
export type ChatStore = ChatState<IncomingMessage>;

/** An accepted message not yet answered (the durable inbox). */
export type InboxEntry = StateInboxEntry<IncomingMessage>;

/**
 * Opens the chat store: on `DATABASE_URL` (PostgreSQL) when set in `env`, else on the SQLite `file`
 * (`':memory:'` for a throwaway store).
 * @throws StorageError when the SQLite file cannot be created or written; pg errors as they come.
 */
export function openChatStore(file: string, opts: StoreOptions & { env?: NodeJS.ProcessEnv } = {}): Promise<ChatStore> {
  return openChatState<IncomingMessage>({ url: databaseUrl(opts.env), file, ...opts });
}
