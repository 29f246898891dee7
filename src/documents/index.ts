import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { KnowledgeAssistant } from '../assistant.js';
import type { CardActionContext, CardActionResult, CardActionRoute, ChatCommand, ChatPlatform, LarkCard, MessageContext, MessageHandler, Messenger, ReplyFn } from '../lark/contracts.js';
import { ResourceError } from '../lark/contracts.js';
import { escapeText } from '../lark/escape.js';
import { log } from '../log.js';
import { ZONE, type WorkCalendar } from '../reminders/calendar.js';
import { findDocument, type TaskDraft } from '../reminders/from-notice.js';
import { checklistNoticeCard, DOC_DELETE_KIND, DOC_UNDO_KIND, DRAFT_CONFIRM_KIND, docsCard, documentCard, draftCard, notAdminCard, refusedCard, removedCard } from './cards.js';
import { ChecklistWriteError, writeChecklistFile } from './checklist-file.js';
import { branchChats, checklistSpec, draftChecklistId, DraftStore, missingAssignees, readAssignments, type BranchChat, type DraftRecord } from './drafts.js';
import { DocumentLibrary, FILE_TYPES_TEXT, MAX_DOCUMENT_BYTES } from './library.js';
import { fetchLink, LinkError, URL_PATTERN } from './link.js';
import { DEFAULT_UPLOADS_DIR, FileUploadStore, type UploadStore } from './upload-store.js';

export { DocumentLibrary } from './library.js';
export { FileUploadStore, type UploadStore } from './upload-store.js';

/** How long after adding a document its 撤销 button works: one day (删除 works any time). */
export const DOC_UNDO_WINDOW_MS = 24 * 3600_000;

/** The slots of the chat layer's `Extensions` this feature fills. */
export interface DocumentExtensionSlots {
  commands: ChatCommand[];
  cardRoutes: CardActionRoute[];
  messageHandlers?: MessageHandler[];
  close?: () => Promise<void> | void;
}

/** Options of {@link startDocuments}. */
export interface StartDocumentsOptions {
  assistant: KnowledgeAssistant;
  calendar: WorkCalendar;
  /** Feishu mode: downloads files and looks up group owners. Absent in the local chat, where `/上传 <path>` reads local files and the person at the terminal is the administrator. */
  platform?: ChatPlatform;
  /** open_ids that may add and remove documents and confirm checklists (`LARK_ADMIN_OPEN_IDS`); a group's owner may too, in that group. */
  adminOpenIds?: string[];
  /** The checklist folder confirmed drafts are written to (`CoreConfig.checklistDir`, `<DJ_DATA_DIR>/checklists`). */
  checklistDir: string;
  /** Folder of the upload store and drafts (default `var/uploads`). */
  uploadsDir?: string;
  /** Use this store instead of the file/SQLite one (e.g. the shared PostgreSQL storage). */
  uploads?: UploadStore;
  /** Called after checklist files were written, so the reminder service loads them. */
  onChecklistsChanged?: () => void;
  clock?: () => number;
}

const FileContent = z.object({ file_key: z.string().min(1), file_name: z.string().min(1).max(255) });
/** Words that may stand beside a link in a message asking to add it (收录 https://…). */
const LINK_WORDS = /^(?:请|帮我|麻烦)?(?:收录|添加|上传|加入知识库|入库)?[\s:：,，。]*$/;
const ConfirmValue = z.object({ draft: z.number().int().positive(), chat: z.string().min(1) });
const UploadValue = z.object({ upload: z.number().int().positive() });

/** The one URL of a message that consists of a link (and at most a word like 收录), else undefined. */
export function linkOf(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const urls = text.match(URL_PATTERN) ?? [];
  if (urls.length !== 1) return undefined;
  return LINK_WORDS.test(text.replace(urls[0]!, '').trim()) ? urls[0] : undefined;
}

/**
 * Documents and notices from the chat (issue 10, items 1 and 2):
 * - a file ({@link FILE_TYPES_TEXT}) or a link sent by an administrator is read, indexed and answered with
 *   {@link documentCard} (title, issuer, date, sections, measures, deadlines; 撤销/删除); anyone else gets a
 *   polite refusal, a bad file a card saying why (nothing changes);
 * - `/docs` lists documents with their sources, `/删除文档 <n>` removes an uploaded one;
 * - a document with deadlines (or `/清单 <document>`) gets a draft checklist card; a reply to it with
 *   @mentions sets who is responsible; 确认发往… (or `/确认清单 <n> <支部…|全部>`) writes one checklist file
 *   per branch chat under the checklist folder, and `onChecklistsChanged` lets the reminders send them;
 * - in the local chat, `/上传 <path>` adds a local file.
 * Returns what `close` must stop.
 */
export function startDocuments(messenger: Messenger, ext: DocumentExtensionSlots, opts: StartDocumentsOptions): { library: DocumentLibrary; drafts: DraftStore } {
  const clock = opts.clock ?? Date.now;
  const uploadsDir = opts.uploadsDir ?? DEFAULT_UPLOADS_DIR;
  const uploads = opts.uploads ?? new FileUploadStore(uploadsDir, clock);
  const drafts = new DraftStore(uploadsDir, clock);
  const library = new DocumentLibrary(opts.assistant, uploads, opts.calendar, clock);
  const checklistDir = opts.checklistDir;
  const admins = new Set(opts.adminOpenIds ?? []);
  const platform = opts.platform;

  /** An administrator: configured, or the owner of this group; in the local chat, the person at the terminal. */
  const isAdmin = async (openId: string, chatId: string): Promise<boolean> => {
    if (admins.has(openId)) return true;
    if (!platform) return true;
    return (await platform.chatOwner(chatId)) === openId;
  };

  /**
   * Sends the draft checklist card of a document and remembers the card, so replies to it can set who. A
   * document has one draft: when it already has one, that draft's card is sent again (with its
   * assignments and confirmations, saying so) instead of a second draft of the same notice.
   */
  const offerDraft = async (source: string, draft: TaskDraft, ctx: { chatId: string; messageId: string; senderOpenId: string }, reply: ReplyFn): Promise<void> => {
    const existing = drafts.latestFor(source);
    const d = existing ?? drafts.create({ source, draft, chatId: ctx.chatId, originMessageId: ctx.messageId, createdBy: ctx.senderOpenId });
    const card = draftCard(d, branchChats(checklistDir), { again: Boolean(existing) });
    const id = await reply(card);
    if (id) drafts.setCard(d.id, id);
  };

  /** The drafts an administrator can confirm, newest first, as one line each (card markdown, escaped). */
  const draftList = (): string => {
    const recent = drafts.recent(10);
    if (!recent.length) return '还没有清单草稿：发送 /清单 文档名，或上传带截止日期的通知。';
    return `现有草稿：\n${recent
      .map((r) => `#${r.id} 《${escapeText(r.draft.title)}》${r.confirmed.length ? `（已确认：${escapeText(r.confirmed.map((c) => c.name).join('、'))}）` : '（未确认）'}`)
      .join('\n')}`;
  };

  /** Adds a document and answers with its card, then the draft checklist when it has deadlines. */
  const intake = async (ctx: MessageContext | { chatId: string; messageId: string; senderOpenId: string }, reply: ReplyFn, bytes: Buffer, fileName: string, via: 'file' | 'link' | 'local', url?: string): Promise<LarkCard | void> => {
    const r = await library.add(bytes, { fileName, addedBy: ctx.senderOpenId, chatId: ctx.chatId, via, ...(url ? { url } : {}) });
    if (!r.ok) return refusedCard(fileName, r.reason);
    await reply(documentCard(r.added));
    if (r.added.draft.tasks.length) await offerDraft(r.added.upload.source, r.added.draft, ctx, reply);
  };

  const today = () => DateTime.fromMillis(clock(), { zone: ZONE }).toISODate()!;

  /**
   * Confirms a draft for chats (`*` = every branch chat not yet confirmed): writes each chat's checklist file,
   * then posts {@link checklistNoticeCard} in each chat confirmed now (request uuid from the checklist id, so a
   * retried confirmation never posts twice). Returns what happened, in Chinese, and `notified`, which resolves
   * (never rejects) with the chats whose notice could not be posted (their checklists are written and will be
   * reminded all the same): a card callback answers within 3 s without waiting for it.
   */
  const confirm = (d: DraftRecord, chats: BranchChat[], by: string): { ok: string[]; failed: string[]; notified: Promise<string[]> } => {
    const ok: string[] = [];
    const failed: string[] = [];
    const written: BranchChat[] = [];
    for (const target of chats) {
      if (d.confirmed.some((c) => c.chatId === target.chatId)) continue;
      const missing = missingAssignees(d, target);
      if (missing.length) {
        failed.push(`${target.name}：第 ${missing.join('、')} 项没有负责人（请回复草稿卡片并 @负责人）`);
        continue;
      }
      try {
        const { file } = writeChecklistFile(checklistDir, checklistSpec(d, target, by, today()));
        const rel = path.relative(process.cwd(), file);
        drafts.addConfirmation(d.id, { chatId: target.chatId, name: target.name, file: rel.startsWith('..') ? file : rel, by, at: clock() });
        ok.push(target.name);
        written.push(target);
        log.info({ draft: d.id, chatId: target.chatId, file, by }, 'documents: checklist confirmed');
      } catch (err) {
        if (!(err instanceof ChecklistWriteError)) throw err;
        failed.push(`${target.name}：${err.problems.join('；')}`);
      }
    }
    if (ok.length) opts.onChecklistsChanged?.();
    const notified = (async () => {
      const unnotified: string[] = [];
      for (const target of written) {
        try {
          await messenger.sendCard(target.chatId, checklistNoticeCard(d, target, by), { idempotencyKey: `checklist-notice:${draftChecklistId(d.id, target.chatId)}` });
        } catch (err) {
          unnotified.push(target.name);
          log.error({ err, draft: d.id, chatId: target.chatId }, 'documents: the branch chat could not be told about its new checklist');
        }
      }
      return unnotified;
    })();
    pendingNotices.add(notified);
    void notified.finally(() => pendingNotices.delete(notified));
    return { ok, failed, notified };
  };
  /** Notices to branch chats still being posted (awaited on close). */
  const pendingNotices = new Set<Promise<string[]>>();

  /** The lines reporting a confirmation, in Chinese (card markdown, escaped). */
  const confirmReport = (r: { ok: string[]; failed: string[]; unnotified: string[] }): string[] => [
    r.ok.length ? `✅ 已写入提醒清单：${escapeText(r.ok.join('、'))}` : '',
    r.ok.length > r.unnotified.length ? `已在支部群发送清单通知：${escapeText(r.ok.filter((n) => !r.unnotified.includes(n)).join('、'))}` : '',
    ...r.failed.map((f) => `未写入：${escapeText(f)}`),
    r.unnotified.length ? `未能在支部群发送通知（清单已生效）：${escapeText(r.unnotified.join('、'))}` : '',
  ].filter(Boolean);

  const targetsOf = (chat: string): BranchChat[] => {
    const all = branchChats(checklistDir);
    return chat === '*' ? all : all.filter((b) => b.chatId === chat);
  };

  const commands: ChatCommand[] = [
    {
      names: ['/docs', '/文档', '文档列表'],
      help: '/docs — 列出知识库中的文档及来源（谁、何时添加）',
      run: async () => docsCard(await library.list()),
    },
    {
      names: ['/删除文档'],
      help: '/删除文档 编号 — 删除在对话中添加的文档（管理员）',
      run: async (ctx) => {
        if (!(await isAdmin(ctx.senderOpenId, ctx.chatId))) return notAdminCard('删除文档');
        const n = Number(ctx.args.replace(/^#/, ''));
        if (!Number.isInteger(n) || n <= 0) return '用法：/删除文档 编号（编号见 /docs，如 /删除文档 3）。';
        const removed = await library.remove(n);
        if (!removed) return `没有第 ${n} 号文档（只能删除在对话中添加的文档，见 /docs）。`;
        drafts.removeFor(removed.source);
        return removedCard(removed, '删除');
      },
    },
    {
      names: ['/清单'],
      help: '/清单 文档名 — 把通知中的任务和截止日期整理成清单草稿',
      run: async (ctx, reply) => {
        if (!ctx.args) return '用法：/清单 文档标题或文件名，例如 /清单 述职评议。';
        let source: string;
        try {
          source = findDocument(opts.assistant.index.documents(), ctx.args).source;
        } catch (err) {
          return escapeText((err as Error).message);
        }
        const draft = library.draft(source);
        if (!draft.tasks.length) return `《${escapeText(draft.title)}》中没有找到带截止日期的任务。`;
        await offerDraft(source, draft, ctx, reply ?? (async () => undefined));
        return '';
      },
    },
    {
      names: ['/确认清单'],
      help: '/确认清单 草稿编号 支部名…（或“全部”） — 把清单草稿写入支部的提醒清单（管理员）',
      run: async (ctx) => {
        if (!(await isAdmin(ctx.senderOpenId, ctx.chatId))) return notAdminCard('确认清单');
        const [num, ...names] = ctx.args.split(/[\s,，、]+/).filter(Boolean);
        const n = Number(String(num ?? '').replace(/^#/, '').replace(/号$/, ''));
        if (!num || !Number.isInteger(n) || n <= 0) return `用法：/确认清单 草稿编号 支部名（或“全部”），草稿编号见草稿卡片标题。\n${draftList()}`;
        const d = drafts.get(n);
        if (!d) return `没有第 ${n} 号草稿。\n${draftList()}`;
        const all = branchChats(checklistDir);
        const chats = !names.length || names.includes('全部') ? all : all.filter((b) => names.some((n) => b.name.includes(n) || b.chatId === n));
        if (!chats.length) return `没有找到支部“${escapeText(names.join('、'))}”。已知支部：${escapeText(all.map((b) => b.name).join('、') || '无（请先为支部群配置清单）')}。`;
        const c = confirm(d, chats, ctx.senderOpenId);
        const r = { ...c, unnotified: await c.notified };
        const updated = drafts.get(d.id)!;
        if (updated.cardMessageId && !updated.cardMessageId.startsWith('local_')) {
          messenger.patchCard(updated.cardMessageId, draftCard(updated, all)).catch((err: unknown) => log.warn({ err, draft: d.id }, 'documents: draft card not updated'));
        }
        return confirmReport(r).join('\n') || '这些支部已经确认过了。';
      },
    },
  ];
  if (!platform) {
    commands.push({
      names: ['/上传'],
      help: `/上传 文件路径 — 把本机的 ${FILE_TYPES_TEXT} 文件加入知识库（本地对话）`,
      run: async (ctx, reply) => {
        const file = path.resolve(ctx.args.replace(/^["']|["']$/g, ''));
        if (!ctx.args) return '用法：/上传 文件路径，例如 /上传 test/fixtures/notices/n01_dangfei_tongzhi.md';
        if (!fs.existsSync(file) || !fs.statSync(file).isFile()) return `找不到文件 ${escapeText(ctx.args)}。`;
        if (fs.statSync(file).size > MAX_DOCUMENT_BYTES) return refusedCard(path.basename(file), `文件超过 ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB 的上限`);
        const out = await intake(ctx, reply ?? (async () => undefined), fs.readFileSync(file), path.basename(file), 'local');
        return out ?? '';
      },
    });
  }

  const messageHandlers: MessageHandler[] = [
    {
      name: 'documents.file',
      accepts: (ctx) => ctx.messageType === 'file',
      run: async (ctx, reply) => {
        const parsed = (() => {
          try {
            return FileContent.safeParse(JSON.parse(ctx.content));
          } catch {
            return undefined;
          }
        })();
        if (!parsed?.success) return refusedCard('文件', '消息中没有可读取的文件');
        const { file_key: fileKey, file_name: fileName } = parsed.data;
        if (!(await isAdmin(ctx.senderOpenId, ctx.chatId))) {
          // a file posted in a group without @mentioning the bot was not meant for it: say nothing
          if (!ctx.addressed) {
            log.info({ chatId: ctx.chatId, messageId: ctx.messageId }, 'documents: a group member’s file without @mention, left alone');
            return;
          }
          return notAdminCard('向知识库添加文件');
        }
        if (!platform) return refusedCard(fileName, '本地对话不能接收文件，请用 /上传 文件路径');
        let bytes: Buffer;
        try {
          bytes = await platform.downloadFile(ctx.messageId, fileKey, MAX_DOCUMENT_BYTES);
        } catch (err) {
          return refusedCard(fileName, err instanceof ResourceError ? err.reason : '下载文件失败，请稍后重试');
        }
        return intake(ctx, reply, bytes, fileName, 'file');
      },
    },
    {
      name: 'documents.link',
      accepts: (ctx) => linkOf(ctx.text) !== undefined,
      run: async (ctx, reply) => {
        const url = linkOf(ctx.text)!;
        if (!(await isAdmin(ctx.senderOpenId, ctx.chatId))) return notAdminCard('向知识库添加链接');
        let fetched;
        try {
          fetched = await fetchLink(url, { maxBytes: MAX_DOCUMENT_BYTES });
        } catch (err) {
          if (err instanceof LinkError) return refusedCard(url, err.message);
          throw err;
        }
        return intake(ctx, reply, fetched.bytes, fetched.fileName, 'link', url);
      },
    },
    {
      name: 'documents.draft-reply',
      accepts: (ctx) => ctx.mentions.length > 0 && [ctx.parentId, ctx.rootId].some((id) => id && drafts.byMessage(id)),
      run: async (ctx) => {
        const d = [ctx.parentId, ctx.rootId].map((id) => (id ? drafts.byMessage(id) : undefined)).find(Boolean)!;
        if (!(await isAdmin(ctx.senderOpenId, ctx.chatId))) return notAdminCard('指定清单负责人');
        const assignments = readAssignments(ctx.text ?? '', ctx.mentions, d.draft.tasks.length, d.assignments);
        drafts.setAssignments(d.id, assignments);
        const updated = drafts.get(d.id)!;
        const card = draftCard(updated, branchChats(checklistDir));
        if (updated.cardMessageId) await messenger.patchCard(updated.cardMessageId, card).catch((err: unknown) => log.warn({ err, draft: d.id }, 'documents: draft card not updated'));
        return card;
      },
    },
  ];

  const uploadAction = (how: '撤销' | '删除') => async (ctx: CardActionContext): Promise<CardActionResult> => {
    const v = UploadValue.safeParse(ctx.value);
    if (!v.success) return { toast: { type: 'error', content: '这个按钮已失效' } };
    if (!(await isAdmin(ctx.openId, ctx.chatId))) return { toast: { type: 'error', content: '只有管理员可以移除文档' } };
    const found = await uploads.get(v.data.upload);
    if (!found) return { toast: { type: 'info', content: '该文档已移除' } };
    if (how === '撤销' && clock() - found.record.addedAt > DOC_UNDO_WINDOW_MS) return { toast: { type: 'warning', content: '已超过一天，不能撤销；可以点“删除”' } };
    await library.remove(v.data.upload);
    drafts.removeFor(found.record.source);
    return { card: removedCard(found.record, how), toast: { type: 'success', content: `已${how}` } };
  };

  const cardRoutes: CardActionRoute[] = [
    { kind: DOC_UNDO_KIND, handle: uploadAction('撤销') },
    { kind: DOC_DELETE_KIND, handle: uploadAction('删除') },
    {
      kind: DRAFT_CONFIRM_KIND,
      handle: async (ctx) => {
        const v = ConfirmValue.safeParse(ctx.value);
        const d = v.success ? drafts.get(v.data.draft) : undefined;
        if (!v.success || !d) return { toast: { type: 'error', content: '这个草稿已失效' } };
        if (!(await isAdmin(ctx.openId, ctx.chatId))) return { toast: { type: 'error', content: '只有管理员可以确认清单' } };
        const targets = targetsOf(v.data.chat);
        if (!targets.length) return { toast: { type: 'error', content: '找不到这个支部群' } };
        // the branch chats' notices go out after the answer (a callback is answered within 3 s)
        const r = confirm(d, targets, ctx.openId);
        const card = draftCard(drafts.get(d.id)!, branchChats(checklistDir));
        if (r.failed.length) return { card, toast: { type: 'warning', content: r.failed.join('；').slice(0, 200) } };
        return { card, toast: { type: 'success', content: r.ok.length ? `已写入提醒清单：${r.ok.join('、')}` : '已经确认过了' } };
      },
    },
  ];

  ext.commands.push(...commands);
  ext.cardRoutes.push(...cardRoutes);
  ext.messageHandlers = [...(ext.messageHandlers ?? []), ...messageHandlers];
  const previous = ext.close;
  ext.close = async () => {
    await Promise.all(pendingNotices);
    drafts.close();
    await uploads.close();
    await previous?.();
  };
  return { library, drafts };
}
