import { noticeCard, type CardElement } from '../lark/cards.js';
import type { LarkCard } from '../lark/contracts.js';
import { escapeText } from '../lark/escape.js';
import { formatDue } from '../reminders/cards.js';
import { mention, mentions } from '../reminders/people.js';
import type { DraftTask, TaskDraft } from '../reminders/from-notice.js';
import { taskPeople, type BranchChat, type DraftRecord } from './drafts.js';
import { FILE_TYPES_TEXT, formatTime, type AddedDocument, type ListedDocument } from './library.js';
import type { UploadRecord } from './upload-store.js';

/** `value.kind` of the card buttons of this feature. */
export const DOC_UNDO_KIND = 'document.undo';
export const DOC_DELETE_KIND = 'document.delete';
export const DRAFT_CONFIRM_KIND = 'checklist.confirm';

const MAX_SECTIONS = 12;
const MAX_MEASURES = 8;
const MAX_TASKS = 20;
/** Documents listed per group in `/docs` (a card holds 30 KB). */
const MAX_LISTED = 40;

function shorten(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function card(title: string, template: string, summary: string, elements: CardElement[]): LarkCard {
  return { schema: '2.0', config: { update_multi: true, summary: { content: summary } }, header: { title: { tag: 'plain_text', content: title }, template }, body: { elements } };
}

function button(label: string, type: string, name: string, value: Record<string, unknown>): CardElement {
  return { tag: 'button', name: name.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 60), text: { tag: 'plain_text', content: label }, type, size: 'small', behaviors: [{ type: 'callback', value }] };
}

function buttonRow(buttons: CardElement[]): CardElement {
  return { tag: 'column_set', flex_mode: 'flow', horizontal_spacing: '8px', columns: buttons.map((b) => ({ tag: 'column', width: 'auto', elements: [b] })) };
}

function grey(text: string): CardElement {
  return { tag: 'markdown', content: `<font color='grey'>${escapeText(text)}</font>`, text_size: 'notation' };
}

/** One deadline as a line: the working-day due date, what was printed, and the move off a rest day. */
function deadlineLine(t: DraftTask): string {
  const moved = t.movedFrom ? `，原定 ${t.movedFrom} 为${t.movedBecause}，提前到前一个工作日` : '';
  const rule = t.recurrence ? `${t.recurrence.text}，下一次 ` : '';
  return `截止：${escapeText(rule)}${formatDue(t.due)}（原文“${escapeText(t.printedDue)}”${escapeText(moved)}）`;
}

/**
 * The card answering an added document: title, issuer, date, 发文字号, its sections, measures and
 * deadlines found, with 撤销 (undo the addition) and 删除 buttons (`/删除文档 <n>` does the same in text).
 */
export function documentCard(a: AddedDocument): LarkCard {
  const d = a.document;
  const meta = [d.issuer ? `发文单位：${escapeText(d.issuer)}` : '', d.date ? `日期：${escapeText(d.date)}` : '', d.docNumber ? `文号：${escapeText(d.docNumber)}` : '']
    .filter(Boolean)
    .join('　');
  const sections = d.sections.filter((s) => s.role !== 'document' && s.path.length === 1);
  const lines = [
    `**《${escapeText(d.title)}》** 已收录为第 **${a.upload.id}** 号文档，可以直接提问了。`,
    meta,
    `<font color='grey'>文件：${escapeText(a.upload.fileName)} · ${formatTime(a.upload.addedAt)} · 添加人 </font>${mention({ open_id: a.upload.addedBy })}`,
  ].filter(Boolean);
  const elements: CardElement[] = [{ tag: 'markdown', content: lines.join('\n') }];
  if (sections.length) {
    const shown = sections.slice(0, MAX_SECTIONS).map((s) => `· ${escapeText(shorten(s.heading, 40))}`);
    if (sections.length > MAX_SECTIONS) shown.push(`<font color='grey'>……共 ${sections.length} 部分</font>`);
    elements.push({ tag: 'markdown', content: `**结构**（${sections.length} 部分）\n${shown.join('\n')}` });
  }
  if (a.measures.length) {
    const shown = a.measures.slice(0, MAX_MEASURES).map((m) => `· ${escapeText(shorten(m, 40))}`);
    if (a.measures.length > MAX_MEASURES) shown.push(`<font color='grey'>……共 ${a.measures.length} 条，发送 /measures 查看</font>`);
    elements.push({ tag: 'markdown', content: `**举措**（${a.measures.length} 条）\n${shown.join('\n')}` });
  }
  if (a.draft.tasks.length) {
    const shown = a.draft.tasks.slice(0, MAX_TASKS).map((t, i) => `${i + 1}. ${escapeText(shorten(t.title, 50))}\n　${deadlineLine(t)}`);
    elements.push({ tag: 'markdown', content: `**时间节点**（${a.draft.tasks.length} 个）\n${shown.join('\n')}` });
  }
  elements.push(
    buttonRow([
      button('撤销', 'default', `doc_undo_${a.upload.id}`, { kind: DOC_UNDO_KIND, upload: a.upload.id }),
      button('删除', 'danger', `doc_delete_${a.upload.id}`, { kind: DOC_DELETE_KIND, upload: a.upload.id }),
    ]),
  );
  elements.push(grey(`也可以发送 /删除文档 ${a.upload.id} 删除；/docs 查看全部文档。`));
  return card(`党建助手 · 已收录：${shorten(d.title, 30)}`, 'green', `已收录《${shorten(d.title, 40)}》`, elements);
}

/** The card for a file or link that was not added: the name, the reason, and that nothing changed. */
export function refusedCard(fileName: string, reason: string): LarkCard {
  return noticeCard('党建助手 · 未能收录', `**${escapeText(fileName)}** 未收录：${escapeText(reason)}\n知识库没有任何改动。`, 'grey');
}

/** The polite refusal for someone who may not add documents. */
export function notAdminCard(what: string): LarkCard {
  return noticeCard('党建助手', `谢谢！不过${escapeText(what)}只能由管理员（或本群群主）操作。如需收录这份材料，请转发给管理员。`, 'grey');
}

/** The card replacing a document card after 撤销/删除 (no buttons left). */
export function removedCard(u: UploadRecord, how: '撤销' | '删除'): LarkCard {
  return card('党建助手 · 文档已移除', 'grey', `已${how}《${shorten(u.title ?? u.fileName, 40)}》`, [
    { tag: 'markdown', content: `第 ${u.id} 号文档《${escapeText(u.title ?? u.fileName)}》已${how}，不再用于回答。` },
  ]);
}

/** `/docs`: every document with where it came from (file name, who added it, when). */
export function docsCard(list: ListedDocument[]): LarkCard {
  const uploaded = list.filter((l) => l.upload);
  const corpus = list.filter((l) => !l.upload);
  const lines = uploaded.slice(-MAX_LISTED).map(({ document: d, upload: u }) => `**#${u!.id}** 《${escapeText(d.title)}》\n<font color='grey'>${escapeText(u!.via === 'link' ? (u!.url ?? u!.fileName) : u!.fileName)} · ${formatTime(u!.addedAt)} · 添加人 </font>${mention({ open_id: u!.addedBy })}`);
  const body = [
    `知识库共 **${list.length}** 篇文档。`,
    uploaded.length ? `**在对话中添加的**（${uploaded.length} 篇${uploaded.length > MAX_LISTED ? `，显示最近 ${MAX_LISTED} 篇` : ''}，可用 /删除文档 编号 删除）：\n${lines.join('\n')}` : `还没有在对话中添加的文档：管理员把 ${FILE_TYPES_TEXT} 文件或链接发给我即可。`,
    corpus.length
      ? `**资料目录中的**（${corpus.length} 篇）：\n${corpus
          .slice(0, MAX_LISTED)
          .map(({ document: d }) => `· 《${escapeText(shorten(d.title, 40))}》 <font color='grey'>${escapeText(d.source)}</font>`)
          .join('\n')}${corpus.length > MAX_LISTED ? `\n<font color='grey'>……另有 ${corpus.length - MAX_LISTED} 篇</font>` : ''}`
      : '',
  ].filter(Boolean);
  return noticeCard('党建助手 · 文档', body.join('\n\n'));
}

/**
 * The draft checklist card: each task with its due date (moved off rest days), who is responsible, and
 * its sentence; one 确认 button per branch chat not yet confirmed (and 全部支部); the chats already
 * confirmed with their files. Who is responsible is set by replying to the card with @mentions.
 * `again`: the draft is offered again (the same document was asked for once more), and the card says so.
 */
export function draftCard(d: DraftRecord, branches: BranchChat[], opts: { again?: boolean } = {}): LarkCard {
  const t: TaskDraft = d.draft;
  const elements: CardElement[] = [
    ...(opts.again ? [grey(`这份通知已有清单草稿 #${d.id}（${formatTime(d.createdAt)} 生成），不再另建；以下是它现在的内容，回复本卡片 @负责人、点确认或 /确认清单 ${d.id} 都对这份草稿生效。`)] : []),
    {
      tag: 'markdown',
      content: `**《${escapeText(t.title)}》**${t.issuer ? ` · ${escapeText(t.issuer)}` : ''}${t.date ? ` · ${escapeText(t.date)}` : ''}\n找到 **${t.tasks.length}** 项任务（日期为北京时间，遇周末、节假日提前到前一个工作日）：`,
    },
  ];
  t.tasks.slice(0, MAX_TASKS).forEach((task, i) => {
    const n = String(i + 1);
    const people = d.assignments.byTask[n] ?? d.assignments.all;
    const who = people.length ? mentions(people) : `未指定（默认为各支部清单负责人）${task.who ? `，原文：${escapeText(task.who)}` : ''}`;
    elements.push({
      tag: 'markdown',
      content: `${n}. **${escapeText(shorten(task.title, 60))}**\n${deadlineLine(task)}\n负责：${who}\n<font color='grey'>出处：${escapeText(shorten(`${task.section ? `${task.section}：` : ''}${task.sentence}`, 90))}</font>`,
    });
  });
  if (t.tasks.length > MAX_TASKS) elements.push(grey(`还有 ${t.tasks.length - MAX_TASKS} 项未显示`));
  if (t.problems.length) elements.push(grey(`未列入的内容：${t.problems.map((p) => p.message).join('；')}`));
  if (d.confirmed.length) {
    elements.push({ tag: 'markdown', content: `✅ 已确认：${d.confirmed.map((c) => `${escapeText(c.name)}（${escapeText(c.file)}）`).join('、')}` });
  }
  const open = branches.filter((b) => !d.confirmed.some((c) => c.chatId === b.chatId));
  if (open.length && t.tasks.length) {
    elements.push({ tag: 'hr' });
    const buttons = open.slice(0, 10).map((b) => button(`确认发往 ${shorten(b.name, 16)}`, 'primary', `confirm_${d.id}_${b.chatId}`, { kind: DRAFT_CONFIRM_KIND, draft: d.id, chat: b.chatId }));
    if (open.length > 1) buttons.push(button('全部支部', 'primary', `confirm_${d.id}_all`, { kind: DRAFT_CONFIRM_KIND, draft: d.id, chat: '*' }));
    elements.push(buttonRow(buttons));
  }
  elements.push(
    grey(
      `指定负责人：在群里回复本卡片并 @负责人（“@张三”负责全部事项，“2 @李四”负责第 2 项；单聊里不能 @他人，可在工作群发送 @党建助手 /清单 文档名）。确认后写入该支部的提醒清单，到期前由提醒服务在支部群提醒。文字确认：/确认清单 ${d.id} 支部名（或“全部”）。`,
    ),
  );
  return card(`党建助手 · 清单草稿 #${d.id}`, 'orange', `清单草稿：${shorten(t.title, 40)}`, elements);
}

/**
 * The card a branch chat receives when a draft is confirmed for it, so its secretary knows what is coming:
 * the notice's title and issuer, each task with its deadline (working-day adjusted, the printed one beside
 * it) and who is responsible (@mentioned), and that the bot will remind the group before each deadline.
 * @param by open_id of the administrator who confirmed it (@mentioned)
 */
export function checklistNoticeCard(d: DraftRecord, target: BranchChat, by: string): LarkCard {
  const t: TaskDraft = d.draft;
  const elements: CardElement[] = [
    {
      tag: 'markdown',
      content: `${mention({ open_id: by })} 已把通知 **《${escapeText(t.title)}》**${t.issuer ? `（${escapeText(t.issuer)}）` : ''}的 **${t.tasks.length}** 项任务写入本群的提醒清单：`,
    },
  ];
  t.tasks.slice(0, MAX_TASKS).forEach((task, i) => {
    const people = taskPeople(d, target, i + 1);
    elements.push({
      tag: 'markdown',
      content: `${i + 1}. **${escapeText(shorten(task.title, 60))}**\n${deadlineLine(task)}\n负责：${people.length ? mentions(people) : '未指定'}`,
    });
  });
  if (t.tasks.length > MAX_TASKS) elements.push(grey(`还有 ${t.tasks.length - MAX_TASKS} 项未显示，发送 /tasks 查看`));
  elements.push(grey('到期前机器人会在本群提醒（与本群其他清单合在每天一张卡片里），完成后点卡片上的“标记完成”；发送 /tasks 查看全部事项。'));
  return card(`党建助手 · 新的提醒清单：${shorten(t.title, 40)}`, 'blue', `新的提醒清单：${shorten(t.title, 40)}`, elements);
}
