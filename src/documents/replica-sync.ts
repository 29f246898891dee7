import fs from 'node:fs';
import path from 'node:path';
import type { KnowledgeAssistant } from '../assistant.js';
import { log } from '../log.js';
import { applyCorpusChange } from './index-update.js';
import type { UploadStore } from './upload-store.js';

/**
 * Keeps this replica's corpus and index in step with the shared upload store (PostgreSQL with several
 * replicas): every upload listed there is in the corpus folder under its `source` name, and one removed
 * there (by any replica) leaves it. Runs at start and on every `documents_changed` notification
 * (`UploadStore.onChanged` of `src/state/uploads.ts`), one pass at a time; each file it adds or removes
 * goes through `applyCorpusChange`, the single place the index changes.
 */
export class ReplicaSync {
  /** Corpus files this process knows came from the upload store (so a removal there removes them here). */
  private readonly known = new Set<string>();
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly assistant: KnowledgeAssistant,
    private readonly uploads: Pick<UploadStore, 'list' | 'get'>,
  ) {}

  /** Schedules one pass after any pass already running; resolves when it is done (errors are logged, not thrown). */
  sync(): Promise<void> {
    this.running = this.running.then(() => this.pass()).catch((err) => log.error({ err: (err as Error).message }, 'replica sync failed; the next change retries'));
    return this.running;
  }

  private async pass(): Promise<void> {
    const dir = this.assistant.config.corpusDir;
    const listed = await this.uploads.list();
    const current = new Set(listed.map((u) => u.source));
    for (const u of listed) {
      this.known.add(u.source);
      if (fs.existsSync(path.join(dir, u.source))) continue;
      const found = await this.uploads.get(u.id);
      if (found) await applyCorpusChange(this.assistant, { add: { source: u.source, bytes: found.bytes } });
    }
    for (const source of [...this.known]) {
      if (current.has(source)) continue;
      this.known.delete(source);
      if (fs.existsSync(path.join(dir, source))) await applyCorpusChange(this.assistant, { remove: source });
    }
  }
}
