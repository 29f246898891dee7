/**
 * The reminders' records as the service sees them: the shared-state {@link ReminderState} (leased
 * claims, done marks, cards, chat holds and pauses; see `src/state/types.ts`). SQLite file `REMINDERS_DB`
 * (default `var/reminders.sqlite`) by default, the PostgreSQL database of `DATABASE_URL` when set.
 */
import { databaseUrl, openReminderState } from '../state/open.js';
import type { ReminderState, StoreOptions } from '../state/types.js';

export type { CardEntry, CardRecord, ChatHold, Claim, DoneMark, SendState } from '../state/types.js';

/** Default SQLite file (override with `REMINDERS_DB`). `var/` is git-ignored. */
export const DEFAULT_DB_PATH = process.env.REMINDERS_DB ?? 'var/reminders.sqlite';

/** The reminders' store. */
export type ReminderStore = ReminderState;

/**
 * Opens the reminders' store: on `DATABASE_URL` (PostgreSQL) when set in `env`, else on the SQLite `file`
 * (`:memory:` for tests).
 * @throws StorageError when the SQLite file cannot be created or written.
 */
export function openReminderStore(file: string = DEFAULT_DB_PATH, opts: StoreOptions & { env?: NodeJS.ProcessEnv } = {}): Promise<ReminderStore> {
  return openReminderState({ url: databaseUrl(opts.env), file, ...opts });
}
