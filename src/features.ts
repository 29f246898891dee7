import type { KnowledgeAssistant } from './assistant.js';
import { startDocuments } from './documents/index.js';
import { ReplicaSync } from './documents/replica-sync.js';
import type { UploadMeta } from './documents/upload-store.js';
import type { ChatPlatform, Messenger } from './lark/contracts.js';
import type { Extensions } from './lark/feishu.js';
import { loadCalendar } from './reminders/calendar.js';
import { startReminders, type ReminderService } from './reminders/index.js';
import { databaseUrl, openDocuments } from './state/open.js';
import { uploadStoreOn } from './state/uploads.js';

/** Where the chat features keep their files, who administers them, and the clock (every field has a default). */
export interface FeatureOptions {
  adminOpenIds?: string[];
  /** Told about broken calendar files (`LARK_ADMIN_CHAT_ID`). */
  adminChatId?: string;
  /** Default: the assistant's data folder's `checklists/` (`<DJ_DATA_DIR>/checklists`). */
  checklistDir?: string;
  /** Default: the assistant's data folder's `calendar/`. */
  calendarDir?: string;
  /** The reminders' SQLite file (default `REMINDERS_DB` or `var/reminders.sqlite`). */
  remindersDb?: string;
  /** The uploads' folder (default `var/uploads`). */
  uploadsDir?: string;
  /** Epoch ms (default `Date.now`); for demonstrations and tests. */
  clock?: () => number;
}

/** The extensions with the reminder service, so a caller can tick it. */
export type FeatureExtensions = Extensions & { reminders: ReminderService };

/**
 * The features that talk through the chat layer, as the `extensions` hook of `startLarkService` and
 * `runLocalChat` wants them (they get the messenger and, in Feishu mode, the platform): the reminders
 * (`/tasks`, `/done`, reminder cards) and the documents (files and links into the knowledge base, `/docs`,
 * notices into draft checklists whose confirmed files the reminder service loads at once).
 */
export function chatFeatures(assistant: KnowledgeAssistant, opts: FeatureOptions = {}) {
  return async (messenger: Messenger, platform?: ChatPlatform): Promise<FeatureExtensions> => {
    const ext: Required<Pick<Extensions, 'commands' | 'cardRoutes'>> & Extensions = { commands: [], cardRoutes: [] };
    // every folder below the data folder follows DJ_DATA_DIR (the assistant's configuration), never ./data
    const checklistDir = opts.checklistDir ?? assistant.config.checklistDir;
    const calendarDir = opts.calendarDir ?? assistant.config.calendarDir;
    const reminders = await startReminders(messenger, ext, {
      checklistDir,
      calendarDir,
      dbPath: opts.remindersDb,
      clock: opts.clock,
      adminOpenIds: opts.adminOpenIds,
      adminChatId: opts.adminChatId,
      measureTitle: (id) => measureTitle(assistant, id),
    });
    // with DATABASE_URL the uploads live in PostgreSQL: every replica keeps its corpus and index in step with them
    const shared = databaseUrl() ? uploadStoreOn<UploadMeta>(await openDocuments()) : undefined;
    if (shared) {
      const sync = new ReplicaSync(assistant, shared);
      await sync.sync();
      sync.start(shared);
    }
    startDocuments(messenger, ext, {
      uploads: shared,
      assistant,
      platform,
      calendar: loadCalendar(calendarDir),
      adminOpenIds: opts.adminOpenIds,
      checklistDir,
      uploadsDir: opts.uploadsDir,
      clock: opts.clock,
      onChecklistsChanged: () => reminders.reloadChecklists(),
    });
    return { ...ext, reminders };
  };
}

/**
 * A measure's lead phrase and document as cards show it (`统筹考核事项（《厚植基层党建沃土…》）`), looked
 * up in the index as it is now (documents are added while running); undefined for an unknown id.
 */
function measureTitle(assistant: KnowledgeAssistant, id: string): string | undefined {
  // an indexed lookup (measures() would read every measure); an id without the file extension still resolves
  const r = assistant.index.record(id);
  return r?.type === 'measure' ? `${r.measureTitle ?? ''}（《${r.title}》）` : undefined;
}
