import { createHash } from 'node:crypto';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { loadChecklists, type Person } from '../reminders/checklist.js';
import type { TaskDraft } from '../reminders/from-notice.js';
import { openSqlite } from '../storage.js';
import type { MentionedUser } from '../lark/contracts.js';
import type { ChecklistFileSpec } from './checklist-file.js';

/** Who is responsible: for every task (`all`) and per task number (1-based, as shown on the card). */
export interface Assignments {
  all: Person[];
  byTask: Record<string, Person[]>;
}

/** A branch chat a draft was confirmed for, and the checklist file written for it. */
export interface Confirmation {
  chatId: string;
  name: string;
  file: string;
  by: string;
  at: number;
}

/** A draft checklist offered in a chat, waiting for @mentions and confirmation. */
export interface DraftRecord {
  id: number;
  /** Corpus file name of the notice. */
  source: string;
  draft: TaskDraft;
  /** Chat the draft card was offered in, and the message that asked for it. */
  chatId: string;
  originMessageId: string;
  /** The draft card's message id once sent (a reply to it carries @mentions). */
  cardMessageId?: string;
  createdBy: string;
  assignments: Assignments;
  confirmed: Confirmation[];
  createdAt: number;
}

/** A group chat a checklist can be confirmed for: a chat of an existing checklist, with its name and owner. */
export interface BranchChat {
  chatId: string;
  name: string;
  owner?: Person;
}

interface Row {
  id: number;
  source: string;
  draft: string;
  chat_id: string;
  origin_message_id: string;
  card_message_id: string | null;
  created_by: string;
  assignments: string;
  confirmed: string;
  created_at: number;
}

function toRecord(r: Row): DraftRecord {
  return {
    id: r.id,
    source: r.source,
    draft: JSON.parse(r.draft) as TaskDraft,
    chatId: r.chat_id,
    originMessageId: r.origin_message_id,
    ...(r.card_message_id ? { cardMessageId: r.card_message_id } : {}),
    createdBy: r.created_by,
    assignments: JSON.parse(r.assignments) as Assignments,
    confirmed: JSON.parse(r.confirmed) as Confirmation[],
    createdAt: r.created_at,
  };
}

/** Drafts in SQLite (`<dir>/drafts.sqlite`), so a confirmation still works after a restart. */
export class DraftStore {
  private readonly db: Database.Database;

  constructor(dir: string, private readonly clock: () => number = Date.now) {
    this.db = openSqlite(
      path.join(dir, 'drafts.sqlite'),
      `CREATE TABLE IF NOT EXISTS drafts (
        id INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL, draft TEXT NOT NULL, chat_id TEXT NOT NULL,
        origin_message_id TEXT NOT NULL, card_message_id TEXT, created_by TEXT NOT NULL,
        assignments TEXT NOT NULL, confirmed TEXT NOT NULL, created_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS draft_cards (message_id TEXT PRIMARY KEY, draft_id INTEGER NOT NULL);`,
    );
  }

  create(d: Pick<DraftRecord, 'source' | 'draft' | 'chatId' | 'originMessageId' | 'createdBy'>): DraftRecord {
    const info = this.db
      .prepare('INSERT INTO drafts (source, draft, chat_id, origin_message_id, created_by, assignments, confirmed, created_at) VALUES (?,?,?,?,?,?,?,?)')
      .run(d.source, JSON.stringify(d.draft), d.chatId, d.originMessageId, d.createdBy, JSON.stringify({ all: [], byTask: {} }), '[]', this.clock());
    return this.get(Number(info.lastInsertRowid))!;
  }

  get(id: number): DraftRecord | undefined {
    const r = this.db.prepare('SELECT * FROM drafts WHERE id = ?').get(id) as Row | undefined;
    return r ? toRecord(r) : undefined;
  }

  /** The draft whose card (any card of it sent so far) or whose asking message is `messageId`. */
  byMessage(messageId: string): DraftRecord | undefined {
    const r = this.db
      .prepare('SELECT * FROM drafts WHERE card_message_id = ? OR origin_message_id = ? OR id IN (SELECT draft_id FROM draft_cards WHERE message_id = ?) ORDER BY id DESC LIMIT 1')
      .get(messageId, messageId, messageId) as Row | undefined;
    return r ? toRecord(r) : undefined;
  }

  /** The latest draft of the document `source` (corpus file name), if any: a document has one draft, offered again when asked again. */
  latestFor(source: string): DraftRecord | undefined {
    const r = this.db.prepare('SELECT * FROM drafts WHERE source = ? ORDER BY id DESC LIMIT 1').get(source) as Row | undefined;
    return r ? toRecord(r) : undefined;
  }

  /** The most recent drafts, newest first (at most `limit`). */
  recent(limit = 10): DraftRecord[] {
    return (this.db.prepare('SELECT * FROM drafts ORDER BY id DESC LIMIT ?').all(limit) as Row[]).map(toRecord);
  }

  /** Records a card showing draft `id`: the latest is the one updated on confirmation; a reply to any of them sets who is responsible. */
  setCard(id: number, messageId: string): void {
    this.db.transaction(() => {
      this.db.prepare('UPDATE drafts SET card_message_id = ? WHERE id = ?').run(messageId, id);
      this.db.prepare('INSERT OR IGNORE INTO draft_cards (message_id, draft_id) VALUES (?, ?)').run(messageId, id);
    })();
  }

  setAssignments(id: number, a: Assignments): void {
    this.db.prepare('UPDATE drafts SET assignments = ? WHERE id = ?').run(JSON.stringify(a), id);
  }

  addConfirmation(id: number, c: Confirmation): void {
    const d = this.get(id);
    if (!d || d.confirmed.some((x) => x.chatId === c.chatId)) return;
    this.db.prepare('UPDATE drafts SET confirmed = ? WHERE id = ?').run(JSON.stringify([...d.confirmed, c]), id);
  }

  /** Drops the drafts of a document (it was removed). */
  removeFor(source: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM draft_cards WHERE draft_id IN (SELECT id FROM drafts WHERE source = ?)').run(source);
      this.db.prepare('DELETE FROM drafts WHERE source = ?').run(source);
    })();
  }

  close(): void {
    this.db.close();
  }
}

/**
 * Reads who is responsible from a reply to a draft card: the text (mentions shown as `@name`) and the
 * mentioned people in order. Task numbers written before a mention apply to it and to the mentions right
 * after it (“1、3 @张三 @李四 2 @王五”); mentions with no number before them are responsible for every
 * task. Numbers outside 1..`taskCount` are ignored. Returns the updated assignments (later replies add to
 * earlier ones; a task given people explicitly keeps only those).
 */
export function readAssignments(text: string, mentions: MentionedUser[], taskCount: number, previous: Assignments): Assignments {
  const next: Assignments = { all: [...previous.all], byTask: { ...previous.byTask } };
  let from = 0;
  let numbers: number[] = [];
  const pending = new Map<string, Person[]>();
  for (const m of mentions) {
    const at = text.indexOf(`@${m.name}`, from);
    const before = at >= 0 ? text.slice(from, at) : '';
    const found = [...before.matchAll(/\d+/g)].map((x) => Number(x[0])).filter((n) => n >= 1 && n <= taskCount);
    if (found.length) numbers = found;
    else if (before.trim() && !/^[\s,，、和及与]*$/.test(before)) numbers = [];
    if (at >= 0) from = at + m.name.length + 1;
    const person = { open_id: m.openId, name: m.name };
    if (!numbers.length) {
      if (!next.all.some((p) => p.open_id === person.open_id)) next.all.push(person);
    } else for (const n of numbers) pending.set(String(n), [...(pending.get(String(n)) ?? []), person]);
  }
  for (const [n, people] of pending) next.byTask[n] = [...new Map(people.map((p) => [p.open_id, p])).values()];
  return next;
}

/**
 * The group chats known from the checklist folder (`dir`): one per chat_id, named by its checklist
 * (a checklist made from a notice names the chat only when no other does), with that checklist's owner.
 * Broken files are skipped (the reminder service reports them).
 */
export function branchChats(dir: string): BranchChat[] {
  const out = new Map<string, BranchChat>();
  const { checklists } = loadChecklists(dir);
  for (const c of [...checklists].sort((a, b) => Number(a.id.startsWith('notice-')) - Number(b.id.startsWith('notice-')))) {
    if (!out.has(c.chat_id)) out.set(c.chat_id, { chatId: c.chat_id, name: c.name.split('：')[0]!, owner: { open_id: c.owner.open_id, name: c.owner.name } });
  }
  return [...out.values()];
}

/** The checklist id of a draft confirmed for a chat: `notice-d<draft>-<8 hex of the chat_id>`. */
export function draftChecklistId(draftId: number, chatId: string): string {
  return `notice-d${draftId}-${createHash('sha256').update(chatId).digest('hex').slice(0, 8)}`;
}

/** Why a draft cannot be confirmed for a chat yet (a task without anyone responsible), or undefined. */
export function missingAssignees(d: DraftRecord, target: BranchChat): number[] {
  return d.draft.tasks.map((_, i) => i + 1).filter((n) => !(d.assignments.byTask[String(n)]?.length || d.assignments.all.length || target.owner));
}

/**
 * Who is responsible for task `n` (1-based) of a draft confirmed for `target`: the people @mentioned for
 * that task, else everyone @mentioned for the draft, else the chat's checklist owner (empty when none).
 */
export function taskPeople(d: DraftRecord, target: BranchChat, n: number): Person[] {
  return d.assignments.byTask[String(n)] ?? (d.assignments.all.length ? d.assignments.all : target.owner ? [target.owner] : []);
}

/**
 * The checklist file of a draft confirmed for `target`, in the schema of `src/reminders/checklist.ts`:
 * one item per task (`t1`, `t2`…) with the printed deadline as `due` (the scheduler moves it to the
 * previous working day, as the draft showed) or the recurrence, its people (per task, else everyone
 * @mentioned, else the chat's checklist owner), the notice and sentence as `source`/`note`. The owner is
 * the chat's checklist owner, else the first person responsible. No digest (the branch's own checklist has one).
 */
export function checklistSpec(d: DraftRecord, target: BranchChat, confirmedBy: string, today: string): ChecklistFileSpec {
  const peopleOf = (n: number): Person[] => taskPeople(d, target, n);
  const owner = target.owner ?? peopleOf(1)[0];
  const items = d.draft.tasks.map((t, i) => {
    const base = {
      id: `t${i + 1}`,
      title: t.title.slice(0, 120),
      assignees: peopleOf(i + 1),
      source: `《${d.draft.title}》${t.section ? ` ${t.section}` : ''}`,
      note: `原文：${t.sentence}`,
    };
    if (t.recurrence) return { ...base, recurrence: t.recurrence.rule, starts: today };
    return { ...base, due: t.movedFrom ?? t.due };
  });
  return {
    id: draftChecklistId(d.id, target.chatId),
    comment: `由通知《${d.draft.title}》（${d.source}）的清单草稿 #${d.id} 生成，${today} 由 ${confirmedBy} 确认。\n可以直接编辑本文件（格式见 docs/reminders.md）；截止日期为原文日期，遇休息日由提醒服务提前到前一个工作日。`,
    body: {
      id: draftChecklistId(d.id, target.chatId),
      name: `${target.name}：${d.draft.title}`.slice(0, 100),
      chat_id: target.chatId,
      owner: owner ? { open_id: owner.open_id, name: owner.name } : undefined,
      digest: false,
      items,
    },
  };
}
