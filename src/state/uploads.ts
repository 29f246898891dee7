/**
 * The documents added from chat as an upload store: `save(bytes, meta)`, `list()`, `get(n)`, `remove(n)`,
 * `close()` over a {@link DocumentState}, with numeric ids and the caller's meta (which must carry the
 * `fileName` and the `addedBy`) kept as JSON next to the bytes. Shaped like the `UploadStore` of the
 * documents-from-chat feature (`src/documents/upload-store.ts`), so it plugs in there as
 * `uploads: uploadStoreOn<UploadMeta>(await openDocuments())` (`src/state/open.ts`)
 * and every replica then sees the same uploads. Differences from a store on disk: `remove` marks the
 * document deleted and keeps its bytes (for audit), and the same bytes under the same file name saved
 * again return the first record.
 */
import type { DocumentState, StoredDocument } from './types.js';

/** What an upload record adds to the caller's meta. Times are epoch ms. */
export interface UploadFields {
  id: number;
  /** Size in bytes. */
  bytes: number;
  sha256: string;
  addedAt: number;
}

/** The upload store over `docs` (see the module doc). `M` is the caller's meta type. */
export function uploadStoreOn<M extends { fileName: string; addedBy: string }>(docs: DocumentState) {
  const toRecord = (d: StoredDocument): M & UploadFields => ({ ...(d.meta as M), id: Number(d.id), bytes: d.size, sha256: d.sha256, addedAt: d.addedAt });
  return {
    /** Stores the bytes and meta; resolves to the record with its number. */
    async save(bytes: Buffer, meta: M): Promise<M & UploadFields> {
      return toRecord(await docs.save({ name: meta.fileName, bytes, addedBy: meta.addedBy, meta: { ...meta } }));
    },
    /** Every upload not removed, oldest first. */
    async list(): Promise<(M & UploadFields)[]> {
      return (await docs.list()).map(toRecord);
    },
    /** One upload (not removed) with its bytes, or undefined. */
    async get(id: number): Promise<{ record: M & UploadFields; bytes: Buffer } | undefined> {
      const d = await docs.get(String(id));
      const bytes = d && !d.deleted ? await docs.getBytes(d.id) : undefined;
      return d && bytes ? { record: toRecord(d), bytes } : undefined;
    },
    /** Removes an upload (marked deleted by `by`, an open_id; every replica is told); false when there was none. */
    async remove(id: number, by = 'unknown'): Promise<boolean> {
      return docs.remove(String(id), by);
    },
    /** Subscribes to additions and removals by any replica. */
    onChanged: docs.onDocumentsChanged.bind(docs),
    close: () => docs.close(),
  };
}
