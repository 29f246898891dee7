/**
 * Issue 10, items 1 and 2, end to end: Feishu deliveries (signed, encrypted) → the bot's webhook → real SDK →
 * the real knowledge core on a temporary copy of data/ → replies, file downloads and chat lookups through the
 * real SDK Client → the Open API stand-in. Documents: an administrator's .docx and .pdf are read and
 * answerable in the next question, a link from a local HTTP server is read, a non-administrator is refused,
 * bad files change nothing. Notices: a fictional 通知 with four deadlines becomes a draft with those dates (one
 * moved off a Sunday), @mentions set who, it is confirmed into two branch chats, and the reminders go out once.
 */
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAssistant, type KnowledgeAssistant } from '../../src/assistant.js';
import { chatFeatures } from '../../src/features.js';
import type { ChatPlatform, Messenger } from '../../src/lark/contracts.js';
import { unescapeText } from '../../src/lark/escape.js';
import { loadChecklists, type ReminderService } from '../../src/reminders/index.js';
import { localInstant } from '../../src/reminders/schedule.js';
import { deliverCallback } from '../support/callbacks.js';
import { buildCardActionEvent, buildMessageEvent, deliverWebhook, type MessageEventSpec, type StoredMessage } from '../support/openapi-standin.js';
import { cardText, startHarness, type Harness } from '../lark/harness.js';

const ADMIN = 'ou_admin_doc';
const STRANGER = 'ou_someone_else';
const DM = 'oc_admin_p2p';
const GROUP = 'oc_office_group';
const GROUP_OWNER = 'ou_group_owner';
const BRANCH_A = { chat: 'oc_branch_a', owner: 'ou_secretary_a', name: '第一党支部' };
const BRANCH_B = { chat: 'oc_branch_b', owner: 'ou_secretary_b', name: '第二党支部' };
const FICTIONAL = 'test/fixtures/fictional/generated';
const NOTICE = 'test/fixtures/notices/n01_dangfei_tongzhi.md';

function branchYaml(b: typeof BRANCH_A): string {
  return `name: ${b.name}
chat_id: ${b.chat}
owner: { open_id: ${b.owner}, name: ${b.name}书记 }
digest: false
items:
  - id: dues
    title: 收缴党费
    assignees: [{ open_id: ${b.owner}, name: ${b.name}书记 }]
    due: 2026-12-31
    reminders: [{ days_before: 0, at: '09:00' }]
`;
}

describe('documents and notices from the chat, through the real SDK and the stand-in', () => {
  let tmp: string;
  let assistant: KnowledgeAssistant;
  let h: Harness;
  let reminders: ReminderService;
  let web: Server;
  let webUrl: string;
  let now = localInstant('2026-11-28', '10:00');
  let noticeDraft = 0;
  const checklistDir = () => path.join(tmp, 'data', 'checklists');

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-docs-'));
    const data = path.join(tmp, 'data');
    fs.mkdirSync(path.join(data, 'checklists'), { recursive: true });
    fs.cpSync('data/corpus', path.join(data, 'corpus'), { recursive: true });
    fs.cpSync('data/calendar', path.join(data, 'calendar'), { recursive: true });
    for (const f of ['lexicon.yaml', 'glossary.yaml']) fs.copyFileSync(path.join('data', f), path.join(data, f));
    fs.writeFileSync(path.join(data, 'checklists', 'branch-a.yaml'), branchYaml(BRANCH_A));
    fs.writeFileSync(path.join(data, 'checklists', 'branch-b.yaml'), branchYaml(BRANCH_B));
    assistant = await openAssistant({ dataDir: data, indexDir: path.join(tmp, 'index') });
    process.env.REMINDERS = 'off';
    const features = chatFeatures(assistant, {
      adminOpenIds: [ADMIN],
      remindersDb: path.join(tmp, 'reminders.sqlite'),
      uploadsDir: path.join(tmp, 'uploads'),
      clock: () => now,
    });
    const extensions = async (messenger: Messenger, platform?: ChatPlatform) => {
      const ext = await features(messenger, platform);
      reminders = ext.reminders;
      return ext;
    };
    h = await startHarness(assistant, { adminOpenIds: [ADMIN], service: { extensions } });
    h.api.addChat(GROUP, { ownerOpenId: GROUP_OWNER, name: '组织部工作群' });
    const page = `<!doctype html><html><head><meta charset="utf-8"><title>澄岚县2025年度发展党员工作总结</title></head><body><nav>首页 | 通知公告</nav><article><h1>澄岚县2025年度发展党员工作总结</h1>
<p>（本文件为虚构示例，仅用于测试）</p>
<p>2025年，县委组织部坚持把政治标准放在首位，全县发展党员工作质量稳步提升。</p>
<h2>一、基本情况</h2><p>全年共收到入党申请书287份，确定入党积极分子191名，列为发展对象79名，发展党员69名，完成年度发展计划72名的95.8%。</p>
<h2>二、主要做法</h2><p>坚持把政治审查贯穿发展党员全过程，发展对象政治审查实行“双审双签”。</p></article></body></html>`;
    web = createServer((req, res) => {
      if (req.url === '/report.html') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
      else if (req.url === '/archive.zip') res.writeHead(200, { 'content-type': 'application/zip' }).end(Buffer.alloc(64));
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', () => r()));
    webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
  }, 120_000);

  afterAll(async () => {
    delete process.env.REMINDERS;
    await h?.close();
    await new Promise<void>((r) => web?.close(() => r()));
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** Delivers a message event and waits for `replies` new messages; returns them. */
  async function send(spec: MessageEventSpec, replies = 1): Promise<StoredMessage[]> {
    const before = h.api.messages.length;
    const res = await deliverWebhook(h.eventUrl, buildMessageEvent(spec));
    expect(res.status).toBe(200);
    await h.api.waitForMessages(before + replies, 20_000);
    await h.service.handler.idle();
    return h.api.messages.slice(before);
  }

  /** An admin (or `sender`) sends a file in the private chat; the stand-in serves its bytes. */
  async function sendFile(file: string, bytes: Buffer, opts: { sender?: string; replies?: number; messageId?: string } = {}): Promise<StoredMessage[]> {
    const messageId = opts.messageId ?? `om_file_${Math.random().toString(16).slice(2)}`;
    const fileKey = `file_v3_${Math.random().toString(16).slice(2)}`;
    h.api.addResource(messageId, fileKey, bytes);
    return send({ chatId: DM, chatType: 'p2p', messageType: 'file', content: { file_key: fileKey, file_name: file }, senderOpenId: opts.sender ?? ADMIN, messageId }, opts.replies ?? 1);
  }

  async function ask(question: string): Promise<string> {
    const [reply] = await send({ chatId: DM, chatType: 'p2p', text: question, senderOpenId: STRANGER });
    return cardText(reply!.content);
  }

  it('an administrator sends a .docx: it is read, indexed, answered with its card, and answerable in the next question', async () => {
    expect(await ask('村级后备力量库全县要储备多少人？')).not.toContain('256');
    const [card] = await sendFile('红色头雁三年行动实施方案.docx', fs.readFileSync(path.join(FICTIONAL, 'f01_shishi_fangan.docx')));
    const text = cardText(card!.content);
    expect(text).toContain('已收录');
    expect(text).toContain('红色头雁');
    expect(text).toContain('撤销');
    expect(text).toContain('删除');
    expect(h.api.requestsFor('message.resource').at(-1)!.query).toMatchObject({ type: 'file' });
    expect(await ask('村级后备力量库全县要储备多少人？')).toContain('256');
  });

  it('an administrator sends a .pdf: indexed and answerable in the next question', async () => {
    const [card] = await sendFile('流动党员管理办法.pdf', fs.readFileSync(path.join(FICTIONAL, 'f02_guanli_banfa.pdf')));
    expect(cardText(card!.content)).toContain('流动党员管理办法');
    expect(await ask('流动党员达到多少名就应当成立流动党员党支部？')).toContain('3名以上');
  });

  it("a non-administrator's file is refused politely and never downloaded", async () => {
    const downloads = h.api.requestsFor('message.resource').length;
    const docs = assistant.index.documents().length;
    const [card] = await sendFile('随手发的材料.docx', fs.readFileSync(path.join(FICTIONAL, 'f03_tongzhi.docx')), { sender: STRANGER });
    expect(cardText(card!.content)).toContain('只能由管理员');
    expect(h.api.requestsFor('message.resource')).toHaveLength(downloads);
    expect(assistant.index.documents()).toHaveLength(docs);
  });

  it('bad files get a card saying why, and nothing changes: corrupt .docx, wrong type, over 100 MB, recalled message', async () => {
    const docs = assistant.index.documents().length;
    const corrupt = cardText((await sendFile('损坏的文件.docx', Buffer.from('PK\u0003\u0004 definitely not a word document')))[0]!.content);
    expect(corrupt).toContain('未收录');
    expect(corrupt).toContain('Word');
    expect(cardText((await sendFile('表格.xlsx', Buffer.from('x')))[0]!.content)).toContain('不支持的文件类型 .xlsx');
    expect(cardText((await sendFile('扫描件.pdf', await scannedPdf()))[0]!.content)).toContain('没有文字层');
    const bigId = 'om_file_too_big';
    h.api.addResource(bigId, 'file_big', Buffer.from('tiny'), { size: 101 * 1024 * 1024 });
    const big = await send({ chatId: DM, chatType: 'p2p', messageType: 'file', content: { file_key: 'file_big', file_name: '很大的文件.pdf' }, senderOpenId: ADMIN, messageId: bigId });
    expect(cardText(big[0]!.content)).toContain('100 MB');
    const goneId = 'om_file_recalled';
    h.api.addResource(goneId, 'file_gone', Buffer.from('x'));
    h.api.refuseResource(goneId, 230110);
    const gone = await send({ chatId: DM, chatType: 'p2p', messageType: 'file', content: { file_key: 'file_gone', file_name: '已撤回.docx' }, senderOpenId: ADMIN, messageId: goneId });
    expect(cardText(gone[0]!.content)).toContain('撤回');
    expect(assistant.index.documents()).toHaveLength(docs);
  });

  it('a link from an administrator is fetched and read; a group owner may add one in the group, another member may not', async () => {
    const [card] = await send({ chatId: DM, chatType: 'p2p', text: `${webUrl}/report.html`, senderOpenId: ADMIN });
    expect(cardText(card!.content)).toContain('发展党员工作总结');
    expect(await ask('全年共收到入党申请书多少份？')).toContain('287');
    const refused = await send({ chatId: GROUP, text: `收录 ${webUrl}/archive.zip`, mentionBot: true, senderOpenId: GROUP_OWNER });
    expect(cardText(refused[0]!.content)).toContain('application/zip');
    const member = await send({ chatId: GROUP, text: `${webUrl}/report.html`, mentionBot: true, senderOpenId: STRANGER });
    expect(cardText(member[0]!.content)).toContain('只能由管理员');
    expect(h.api.requestsFor('chat.get').at(-1)!.query).toMatchObject({ user_id_type: 'open_id' });
  });

  it('/docs lists the documents with their sources; 撤销 on a document card removes it', async () => {
    const [list] = await send({ chatId: DM, chatType: 'p2p', text: '/docs', senderOpenId: STRANGER });
    const text = unescapeText(cardText(list!.content));
    expect(text).toContain('红色头雁三年行动实施方案.docx');
    expect(text).toContain(`${webUrl}/report.html`);
    expect(text).toContain(`<at id=${ADMIN}></at>`);
    const before = assistant.index.documents().length;
    const added = await sendFile('说明.txt', Buffer.from('关于测试撤销的说明\n\n（本文件为虚构示例，仅用于测试）\n\n一、测试内容\n这是一份用于测试撤销按钮的文字材料，包含中文内容。\n', 'utf8'));
    expect(assistant.index.documents()).toHaveLength(before + 1);
    const undo = JSON.parse(JSON.stringify(added[0]!.content)) as unknown;
    const value = findValue(undo, 'document.undo');
    const stranger = await deliverCallback(h.cardUrl, buildCardActionEvent({ value, chatId: DM, messageId: added[0]!.messageId, openId: STRANGER }));
    expect(stranger.toast?.type).toBe('error');
    const ok = await deliverCallback(h.cardUrl, buildCardActionEvent({ value, chatId: DM, messageId: added[0]!.messageId, openId: ADMIN }));
    expect(ok.ok).toBe(true);
    expect(cardText(ok.card)).toContain('已撤销');
    expect(assistant.index.documents()).toHaveLength(before);
  });

  it('a notice with four deadlines becomes a draft with those dates, @mentions set who, it is confirmed into two branch chats and reminded once', async () => {
    const [docCard, draft] = await sendFile('关于开展党费收缴核查和专题组织生活会工作的通知.md', fs.readFileSync(NOTICE), { replies: 2 });
    expect(cardText(docCard!.content)).toContain('时间节点**（4 个）');
    const draftText = cardText(draft!.content);
    expect(draftText).toContain('清单草稿');
    for (const day of ['2026-12-04', '2026-12-11', '2026-12-18', '2026-12-30']) expect(draftText).toContain(day);
    expect(draftText).toContain('原定 2026-12-13 为星期日');

    // people are @mentioned in a group: the administrator asks for the draft in the office group …
    const [groupDraft] = await send({ chatId: GROUP, text: '/清单 党费收缴核查', mentionBot: true, senderOpenId: ADMIN });
    expect(cardText(groupDraft!.content)).toContain('2026-12-11');
    // … and replies to it @mentioning a member for task 2 (the other tasks keep the branch secretaries)
    const patchesBefore = h.api.requestsFor('message.patch').length;
    const reply = await send({
      chatId: GROUP,
      text: '2 @_user_1',
      mentionBot: true,
      mentions: [{ key: '@_user_1', openId: 'ou_zhang_san', name: '张三' }],
      senderOpenId: ADMIN,
      parentId: groupDraft!.messageId,
      rootId: groupDraft!.messageId,
    });
    expect(cardText(reply[0]!.content)).toContain('<at id=ou_zhang_san>张三</at>');
    expect(h.api.requestsFor('message.patch').at(-1)!.path).toContain(groupDraft!.messageId);
    expect(h.api.requestsFor('message.patch').length).toBe(patchesBefore + 1);

    // confirm for every branch chat with the 全部支部 button (a non-administrator cannot)
    const all = findValue(groupDraft!.content, 'checklist.confirm', '*');
    noticeDraft = Number(all.draft);
    expect((await deliverCallback(h.cardUrl, buildCardActionEvent({ value: all, chatId: GROUP, messageId: groupDraft!.messageId, openId: STRANGER }))).toast?.type).toBe('error');
    const confirmed = await deliverCallback(h.cardUrl, buildCardActionEvent({ value: all, chatId: GROUP, messageId: groupDraft!.messageId, openId: ADMIN }));
    expect(confirmed.ok).toBe(true);
    expect(confirmed.toast?.content).toContain(BRANCH_A.name);
    expect(confirmed.toast?.content).toContain(BRANCH_B.name);
    const { checklists, problems } = loadChecklists(checklistDir());
    expect(problems).toEqual([]);
    const made = checklists.filter((c) => c.id.startsWith('notice-'));
    expect(made.map((c) => c.chat_id).sort()).toEqual([BRANCH_A.chat, BRANCH_B.chat]);
    for (const c of made) {
      expect(c.items.map((i) => i.due)).toEqual(['2026-12-04', '2026-12-13', '2026-12-18', '2026-12-30']);
      expect(c.items[1]!.assignees).toEqual([{ open_id: 'ou_zhang_san', name: '张三' }]);
    }
    // each branch chat is told what was added: title, tasks, deadlines, who
    const notices = (await h.api.settle(200)).filter((m) => [BRANCH_A.chat, BRANCH_B.chat].includes(m.chatId!) && cardText(m.content).includes('新的提醒清单'));
    expect(notices.map((m) => m.chatId).sort()).toEqual([BRANCH_A.chat, BRANCH_B.chat]);
    for (const m of notices) {
      const t = cardText(m.content);
      expect(t).toContain('关于开展2026年度党费收缴核查和专题组织生活会工作的通知');
      expect(t).toContain(`<at id=${ADMIN}></at> 已把通知`);
      for (const day of ['2026-12-04', '2026-12-11', '2026-12-18', '2026-12-30']) expect(t).toContain(day);
      expect(t).toContain('完成本支部2026年度党费收缴情况自查');
      expect(t).toContain('负责：<at id=ou_zhang_san>张三</at>');
    }
    // confirming again writes nothing new and tells no one again
    const again = await deliverCallback(h.cardUrl, buildCardActionEvent({ value: all, chatId: GROUP, messageId: groupDraft!.messageId, openId: ADMIN }));
    expect(again.ok).toBe(true);
    expect(fs.readdirSync(checklistDir()).filter((f) => f.startsWith('notice-'))).toHaveLength(2);
    expect((await h.api.settle(200)).filter((m) => cardText(m.content).includes('新的提醒清单'))).toHaveLength(2);

    // 3 days before 12-04, at 09:00: one reminder card per branch chat, and no second one
    now = localInstant('2026-12-01', '09:00');
    const before = h.api.messages.length;
    const first = await reminders.tick();
    const second = await reminders.tick();
    now = localInstant('2026-12-01', '09:05');
    const third = await reminders.tick();
    expect(first.sent.map((s) => s.chatId).sort()).toEqual([BRANCH_A.chat, BRANCH_B.chat]);
    expect([...second.sent, ...third.sent]).toEqual([]);
    const cards = (await h.api.settle(200)).slice(before);
    expect(cards).toHaveLength(2);
    for (const m of cards) expect(cardText(m.content)).toContain('完成本支部2026年度党费收缴情况自查');
  });

  it('after a restart the uploads, their sources and the confirmed drafts are still there', async () => {
    await h.stopService();
    await h.restartService();
    const [list] = await send({ chatId: DM, chatType: 'p2p', text: '/docs', senderOpenId: STRANGER });
    const text = unescapeText(cardText(list!.content));
    expect(text).toContain('红色头雁三年行动实施方案.docx');
    expect(text).toContain('关于开展党费收缴核查和专题组织生活会工作的通知.md');
    expect(await ask('流动党员达到多少名就应当成立流动党员党支部？')).toContain('3名以上');
    const [again] = await send({ chatId: DM, chatType: 'p2p', text: `/确认清单 ${noticeDraft} 全部`, senderOpenId: ADMIN });
    expect(cardText(again!.content)).toContain('已经确认过了');
  });

  it('a file sent in a group without @mentioning the bot: left alone, unless LARK_GROUP_MSG_SCOPE says the app receives every group message; then only an administrator’s is taken in', async () => {
    const groupFile = async (name: string, sender: string) => {
      const messageId = `om_gfile_${Math.random().toString(16).slice(2)}`;
      const fileKey = `file_v3_${Math.random().toString(16).slice(2)}`;
      h.api.addResource(messageId, fileKey, Buffer.from(`关于${name}的说明\n\n（本文件为虚构示例，仅用于测试）\n\n一、内容\n这是一份在工作群里发送的${name}材料。\n`, 'utf8'));
      const before = h.api.messages.length;
      const res = await deliverWebhook(h.eventUrl, buildMessageEvent({ chatId: GROUP, chatType: 'group', messageType: 'file', content: { file_key: fileKey, file_name: `${name}.txt` }, senderOpenId: sender, messageId }));
      expect(res.status).toBe(200);
      await h.service.handler.idle();
      return (await h.api.settle(200)).slice(before);
    };
    const docs = () => assistant.index.documents().length;
    // default: without the scope Feishu does not deliver it; delivered anyway, it is ignored
    const n = docs();
    expect(await groupFile('群内材料甲', ADMIN)).toEqual([]);
    expect(docs()).toBe(n);
    // with the scope configured: the administrator's file is read and answered; a member's gets no answer at all
    await h.stopService();
    h.cfg.groupMsgScope = true;
    await h.restartService();
    try {
      const added = await groupFile('群内材料乙', ADMIN);
      expect(added).toHaveLength(1);
      expect(cardText(added[0]!.content)).toContain('已收录');
      expect(docs()).toBe(n + 1);
      expect(await groupFile('群内材料丙', STRANGER)).toEqual([]);
      expect(docs()).toBe(n + 1);
      // other unmentioned group messages are still not answered
      const before = h.api.messages.length;
      await deliverWebhook(h.eventUrl, buildMessageEvent({ chatId: GROUP, chatType: 'group', text: '大家好', senderOpenId: STRANGER }));
      await h.service.handler.idle();
      expect((await h.api.settle(200)).length).toBe(before);
    } finally {
      await h.stopService();
      h.cfg.groupMsgScope = false;
      await h.restartService();
    }
  });
});

/** A PDF with a drawing and no text layer, as a scanner makes it. */
async function scannedPdf(): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4' });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((r) => doc.on('end', () => r()));
  doc.rect(72, 72, 300, 400).fill('#888888');
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

/** The callback value of the first button whose value has `kind` (and `chat`, when given). */
function findValue(card: unknown, kind: string, chat?: string): Record<string, unknown> {
  let found: Record<string, unknown> | undefined;
  const walk = (v: unknown) => {
    if (found || !v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (o.kind === kind && (chat === undefined || o.chat === chat)) found = o;
    else Object.values(o).forEach(walk);
  };
  walk(card);
  if (!found) throw new Error(`no button ${kind} in ${JSON.stringify(card).slice(0, 300)}`);
  return found;
}
