import { createHash } from 'node:crypto';
import path from 'node:path';
import { DateTime } from 'luxon';
import type { KnowledgeAssistant } from '../assistant.js';
import { ReadError, readDocument } from '../ingest/readers/index.js';
import { log } from '../log.js';
import { ZONE, type WorkCalendar } from '../reminders/calendar.js';
import { noticeSentences, tasksFromNotice, type TaskDraft } from '../reminders/from-notice.js';
import type { DocumentInfo } from '../types.js';
import { applyCorpusChange } from './index-update.js';
import type { UploadMeta, UploadRecord, UploadStore } from './upload-store.js';

/** Extensions accepted from files sent in chat and from links: every format a reader reads (src/ingest/readers). */
export const FILE_EXTENSIONS = ['.docx', '.pdf', '.txt', '.md', '.html', '.htm'] as const;
const LINK_EXTENSIONS = FILE_EXTENSIONS;
/** {@link FILE_EXTENSIONS} as every message names them (.htm is .html's alias): `.docx、.pdf、.txt、.md、.html`. */
export const FILE_TYPES_TEXT = FILE_EXTENSIONS.filter((e) => e !== '.htm').join('、');

/** Largest document accepted, in bytes (our limit, far under Feishu's 100 MB download limit: the readers hold a file in memory). */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

/** What an accepted document brought: its record, its indexed structure, measures and the deadlines found. */
export interface AddedDocument {
  upload: UploadRecord;
  document: DocumentInfo;
  /** Titles of the measures extracted from it. */
  measures: string[];
  /** Its deadlines as a draft checklist (`tasksFromNotice`); no tasks when it has none. */
  draft: TaskDraft;
}

/** The outcome of {@link DocumentLibrary.add}: added, already there, or refused with a Chinese reason (nothing changed). */
export type AddResult = { ok: true; added: AddedDocument } | { ok: false; reason: string; existing?: UploadRecord };

/** A document of the knowledge base with where it came from (an upload, or the corpus folder). */
export interface ListedDocument {
  document: DocumentInfo;
  upload?: UploadRecord;
}

/**
 * A corpus file name for an uploaded file: `up-<first 8 hex of its sha256>_<name>` with characters other
 * than letters, digits, CJK, `-`, `_`, `.` replaced by `_`, at most 60 characters of stem.
 */
export function uploadSourceName(fileName: string, sha256: string): string {
  const ext = path.extname(fileName).toLowerCase();
  const stem = path
    .basename(fileName, path.extname(fileName))
    .replace(/[^\p{L}\p{N}\-_.]+/gu, '_')
    .replace(/^[._]+/, '')
    .slice(0, 60);
  return `up-${sha256.slice(0, 8)}_${stem || 'document'}${ext}`;
}

/**
 * The knowledge base as the chat changes it: documents are checked (type, size, readable by the
 * knowledge core's readers) before anything is stored, then kept in the {@link UploadStore} and added to
 * the index through {@link applyCorpusChange}. A refused file changes nothing.
 */
export class DocumentLibrary {
  constructor(
    readonly assistant: KnowledgeAssistant,
    readonly uploads: UploadStore,
    private readonly calendar: WorkCalendar,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Adds a document. `fileName` chooses the reader by its extension ({@link FILE_EXTENSIONS}, files and links alike).
   * Refused, with the reason: another type, more than {@link MAX_DOCUMENT_BYTES}, a file the readers cannot
   * read (scanned PDF, corrupt .docx, no Chinese text), the same bytes already added.
   * @throws Error only when storage or the index rebuild fails (the corpus file is rolled back).
   */
  async add(bytes: Buffer, meta: Omit<UploadMeta, 'source' | 'title'>): Promise<AddResult> {
    const ext = path.extname(meta.fileName).toLowerCase();
    const allowed: readonly string[] = meta.via === 'link' ? LINK_EXTENSIONS : FILE_EXTENSIONS;
    if (!allowed.includes(ext)) return { ok: false, reason: `不支持的文件类型${ext ? ` ${ext}` : ''}：请发送 ${FILE_TYPES_TEXT} 文件（PDF 要带文字层）` };
    if (bytes.length > MAX_DOCUMENT_BYTES) return { ok: false, reason: `文件超过 ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB 的上限` };
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const existing = (await this.uploads.list()).find((u) => u.sha256 === sha256);
    if (existing) return { ok: false, reason: `同一文件已于 ${formatTime(existing.addedAt)} 收录（#${existing.id}《${existing.title ?? existing.fileName}》）`, existing };
    const source = uploadSourceName(meta.fileName, sha256);
    try {
      await readDocument({ source, bytes });
    } catch (err) {
      if (err instanceof ReadError) return { ok: false, reason: err.message };
      return { ok: false, reason: `文件无法读取（${(err as Error).message.slice(0, 120)}）` };
    }
    const report = await applyCorpusChange(this.assistant, { add: { source, bytes } });
    const problem = report?.problems.find((p) => p.source === source);
    const document = this.assistant.index.document(source);
    if (problem || !document) {
      await applyCorpusChange(this.assistant, { remove: source });
      return { ok: false, reason: problem?.reason ?? '文件未能加入索引' };
    }
    let upload: UploadRecord;
    try {
      upload = await this.uploads.save(bytes, { ...meta, source, title: document.title });
    } catch (err) {
      await applyCorpusChange(this.assistant, { remove: source });
      throw err;
    }
    log.info({ id: upload.id, source, title: document.title, by: meta.addedBy, via: meta.via }, 'documents: added');
    return { ok: true, added: { upload, document, measures: this.measureTitles(source), draft: this.draft(source) } };
  }

  /** Removes an uploaded document from the index and the store. @returns the removed record, or undefined when there is none. */
  async remove(id: number): Promise<UploadRecord | undefined> {
    const found = await this.uploads.get(id);
    if (!found) return undefined;
    await applyCorpusChange(this.assistant, { remove: found.record.source });
    await this.uploads.remove(id);
    log.info({ id, source: found.record.source }, 'documents: removed');
    return found.record;
  }

  /** Every indexed document (corpus order) with its upload record when it came from the chat. */
  async list(): Promise<ListedDocument[]> {
    const bySource = new Map((await this.uploads.list()).map((u) => [u.source, u]));
    return this.assistant.index.documents().map((d) => ({ document: d, ...(bySource.has(d.source) ? { upload: bySource.get(d.source)! } : {}) }));
  }

  /**
   * The draft checklist of an indexed document (every deadline, working-day adjusted). Month-day deadlines
   * are read in the document's year, or the current year (Asia/Shanghai) when it has no date.
   */
  draft(source: string): TaskDraft {
    const document = this.assistant.index.document(source);
    if (!document) throw new Error(`文档 ${source} 不在索引中`);
    const sentences = noticeSentences(this.assistant.index.documentRecords(source));
    const year = document.date ? undefined : DateTime.fromMillis(this.clock(), { zone: ZONE }).year;
    return tasksFromNotice({ document, sentences }, this.calendar, { year });
  }

  private measureTitles(source: string): string[] {
    return this.assistant.index.documentRecords(source).filter((r) => r.type === 'measure').map((r) => r.measureTitle ?? r.text.slice(0, 30));
  }
}

/** Epoch ms as `YYYY-MM-DD HH:mm`, Asia/Shanghai. */
export function formatTime(ms: number): string {
  return DateTime.fromMillis(ms, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm');
}
