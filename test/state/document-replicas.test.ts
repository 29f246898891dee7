import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAssistant, type KnowledgeAssistant } from '../../src/assistant.js';
import { ReplicaSync } from '../../src/documents/replica-sync.js';
import type { UploadMeta } from '../../src/documents/upload-store.js';
import { openDocumentState } from '../../src/state/open.js';
import { uploadStoreOn } from '../../src/state/uploads.js';
import { config, tempCorpus } from '../core/support.js';
import { freshDatabase, skipPostgres } from '../support/postgres.js';

/**
 * Documents added from chat on one replica reach another through the shared PostgreSQL store
 * (LISTEN/NOTIFY → ReplicaSync → the corpus folder → the index), and a removal there removes them here.
 * Each replica has a corpus of one small fictional text of its own, so only the shared upload can answer.
 */
const BASE = '某县党建工作要点（虚构）\n\n一、总体目标\n全县今年新建党群服务中心12个，培训党员3200人次。\n';
const ADDED = '某县红色驿站建设通知（虚构）\n\n一、建设任务\n全县今年建成红色驿站47个，每个驿站配备1名党员站长。\n';

async function replica(): Promise<{ assistant: KnowledgeAssistant; cleanup: () => void }> {
  const t = tempCorpus({ 'base.txt': BASE });
  return { assistant: await openAssistant({ config: config({}, t) }), cleanup: t.cleanup };
}

async function until(check: () => Promise<boolean>, ms = 40_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(skipPostgres)('documents shared by replicas (PostgreSQL)', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  const open: { close: () => Promise<void> }[] = [];
  const cleanups: (() => void)[] = [];
  beforeAll(async () => {
    db = await freshDatabase('docsync');
  });
  afterAll(async () => {
    for (const o of open) await o.close();
    for (const c of cleanups) c();
    await db?.drop();
  });

  it('an upload on replica A is answerable on replica B, and its removal removes it there', async () => {
    const [a, b] = [await replica(), await replica()];
    cleanups.push(a.cleanup, b.cleanup);
    const storeA = uploadStoreOn<UploadMeta>(await openDocumentState({ url: db.url, file: '' }));
    const docsB = await openDocumentState({ url: db.url, file: '' });
    const storeB = uploadStoreOn<UploadMeta>(docsB);
    open.push(storeA, storeB);
    const syncB = new ReplicaSync(b.assistant, storeB);
    storeB.onChanged(() => void syncB.sync());
    // the LISTEN connection is up before A changes anything (a change made earlier is found by the periodic sync)
    await (docsB as { listening?: () => Promise<void> }).listening?.();
    expect((await b.assistant.ask('全县今年建成红色驿站多少个？')).answer).not.toContain('47个');

    const saved = await storeA.save(Buffer.from(ADDED), { fileName: 'yizhan.txt', source: 'upload-1-yizhan.txt', addedBy: 'ou_admin', chatId: 'oc_admin', via: 'file' });
    await until(async () => (await b.assistant.ask('全县今年建成红色驿站多少个？')).answer.includes('47个'));

    await storeA.remove(saved.id, 'ou_admin');
    await until(async () => !fs.existsSync(path.join(b.assistant.config.corpusDir, 'upload-1-yizhan.txt')));
    expect((await b.assistant.ask('全县今年建成红色驿站多少个？')).answer).not.toContain('47个');
  }, 120_000);
});
