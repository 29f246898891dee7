/**
 * Writes the changes made from the chat (/启用, /负责, /提醒设置) into the checklist YAML files, so
 * that a file stays the one source of truth and can still be edited by hand. Edits go through the
 * `yaml` package's Document API (comments and the rest of the file are kept) and are written
 * atomically (temporary file + rename), so the file watcher never reads half a file.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Person, ReminderOffset, TemplateInfo } from './checklist.js';

/** Writes `text` to `file` atomically. */
function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** The file a chat's checklist made from `template` is written to: `<dir>/<template>-<chat_id tail>.yaml`. */
export function chatChecklistFile(dir: string, chatId: string, template: string): string {
  const tail = chatId.replace(/^oc_/, '').toLowerCase().replace(/[^a-z0-9_-]/g, '-').slice(0, 40);
  return join(dir, `${template}-${tail}.yaml`);
}

/** People as a flow list (`[{ open_id: ou_…, name: 张三 }]`). */
function people(doc: Document, list: Person[]) {
  const node = doc.createNode(list.map((p) => ({ open_id: p.open_id, name: p.name })));
  node.flow = true;
  for (const item of node.items) if (isMap(item)) item.flow = true;
  return node;
}

/**
 * Creates the checklist of a group from a template: the group's chat_id and name, `owner` (who enabled
 * it), every role of the template filled with the owner until someone is assigned with /负责, items
 * counted from `starts` (today, YYYY-MM-DD). Throws when the file exists.
 */
export function createChatChecklist(file: string, o: { chatId: string; name: string; owner: Person; template: TemplateInfo; starts: string; at: string }): void {
  if (existsSync(file)) throw new Error(`${file} exists`);
  const doc = new Document({ name: o.name, chat_id: o.chatId, owner: { open_id: o.owner.open_id, name: o.owner.name }, template: o.template.id, starts: o.starts });
  doc.commentBefore =
    ` 由党建助手在群里用 /启用 创建（${o.at}）。可以直接编辑本文件，保存后自动生效；\n` +
    ` 也可以在群里用 /负责 事项或角色 @成员 指定负责人，用 /提醒设置 改提醒时间。\n` +
    ` chat_id 是群的 ID（机器人从消息事件中得知），open_id 是成员的 ID（来自 @成员）。`;
  const owner = doc.get('owner');
  if (isMap(owner)) owner.flow = true;
  doc.set('roles', doc.createNode({}));
  for (const role of Object.keys(o.template.roles)) doc.setIn(['roles', role], people(doc, [o.owner]));
  const items = doc.createNode([]);
  items.flow = false;
  doc.set('items', items);
  writeAtomic(file, doc.toString({ lineWidth: 0 }));
}

/**
 * Applies `edit` to the YAML document of `file` and writes it back. Returns the previous text, so that
 * a caller can put it back when the result does not load. Throws when the file cannot be read or parsed.
 */
export function editChecklistFile(file: string, edit: (doc: Document) => void): string {
  const before = readFileSync(file, 'utf8');
  const doc = parseDocument(before);
  if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0].message}`);
  edit(doc);
  writeAtomic(file, doc.toString({ lineWidth: 0 }));
  return before;
}

/** Puts `text` back into `file` (undo of {@link editChecklistFile}). */
export function restoreChecklistFile(file: string, text: string): void {
  writeAtomic(file, text);
}

/** Sets who fills a role (`roles.<role>`). */
export function setRole(doc: Document, role: string, list: Person[]): void {
  if (!isMap(doc.get('roles'))) doc.set('roles', doc.createNode({}));
  doc.setIn(['roles', role], people(doc, list));
}

/** Sets the owner's open_id and name, keeping `owner.chat_id`. */
export function setOwner(doc: Document, p: Person): void {
  doc.setIn(['owner', 'open_id'], p.open_id);
  doc.setIn(['owner', 'name'], p.name);
}

/** Makes `list` the assignees of item `id` (an override entry in `items`; its template roles are cleared). */
export function setItemAssignees(doc: Document, id: string, list: Person[]): void {
  let items = doc.get('items');
  if (!isSeq(items)) {
    doc.set('items', doc.createNode([]));
    items = doc.get('items');
  }
  const seq = items as { items: unknown[]; flow?: boolean };
  if (!seq.items.length) seq.flow = false; // `items: []` becomes a block list
  let i = seq.items.findIndex((n) => isMap(n) && n.get('id') === id);
  if (i < 0) {
    doc.addIn(['items'], doc.createNode({ id }));
    i = seq.items.length - 1;
  }
  doc.setIn(['items', i, 'assignees'], people(doc, list));
  // the named people replace whoever the roles gave (an override keeps the template's roles otherwise)
  const none = doc.createNode([]);
  none.flow = true;
  doc.setIn(['items', i, 'roles'], none);
}

/** Sets the default reminder offsets (`defaults.reminders`) for items that do not set their own. */
export function setDefaultReminders(doc: Document, offsets: ReminderOffset[]): void {
  const node = doc.createNode(offsets.map((o) => ({ days_before: o.days_before, at: o.at })));
  for (const item of node.items) {
    if (!isMap(item)) continue;
    item.flow = true;
    const at = item.get('at', true);
    if (isScalar(at)) at.type = 'QUOTE_SINGLE'; // '09:00', as in the shipped files (YAML 1.1 readers take 09:00 for a number)
  }
  if (!isMap(doc.get('defaults'))) doc.set('defaults', doc.createNode({}));
  doc.setIn(['defaults', 'reminders'], node);
}

/** Sets quiet hours (`false` = none). */
export function setQuietHours(doc: Document, q: { start: string; end: string } | false): void {
  const node = doc.createNode(q);
  if (isMap(node)) node.flow = true;
  doc.set('quiet_hours', node);
}

/** Sets the weekly digest (`false` = none). */
export function setDigest(doc: Document, d: { weekday: number; at: string } | false): void {
  const node = doc.createNode(d);
  if (isMap(node)) node.flow = true;
  doc.set('digest', node);
}
