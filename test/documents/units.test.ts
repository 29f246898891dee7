/**
 * The parts of documents-from-chat one at a time: who is responsible from a reply, which messages are links,
 * corpus names of uploads, the checklist writer, the upload store, file downloads and group owners through
 * the real SDK against the stand-in, links from a local HTTP server, and `tasks-from` on the fictional notice.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeChecklistFile, ChecklistWriteError } from '../../src/documents/checklist-file.js';
import { readAssignments } from '../../src/documents/drafts.js';
import { linkOf } from '../../src/documents/index.js';
import { uploadSourceName } from '../../src/documents/library.js';
import { fetchLink, LinkError } from '../../src/documents/link.js';
import { FileUploadStore } from '../../src/documents/upload-store.js';
import { ResourceError } from '../../src/lark/contracts.js';
import { LarkMessenger } from '../../src/lark/messenger.js';
import { LarkPlatform } from '../../src/lark/platform.js';
import { TaskDraftSchema } from '../../src/reminders/from-notice.js';
import { OpenApiStandin, standinClient } from '../support/openapi-standin.js';

const tmp: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-doc-units-'));
  tmp.push(d);
  return d;
};
afterAll(() => tmp.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('who is responsible, from a reply to a draft card', () => {
  const none = { all: [], byTask: {} };
  const zhang = { openId: 'ou_zhang', name: '张三' };
  const li = { openId: 'ou_li', name: '李四' };
  const wang = { openId: 'ou_wang', name: '王五' };

  it('a mention without numbers is responsible for every task', () => {
    expect(readAssignments('@张三', [zhang], 4, none)).toEqual({ all: [{ open_id: 'ou_zhang', name: '张三' }], byTask: {} });
  });

  it('numbers before a mention give it those tasks, and carry over to the mentions right after it', () => {
    const a = readAssignments('1、3 @张三 @李四 2 @王五', [zhang, li, wang], 4, none);
    expect(a.all).toEqual([]);
    expect(a.byTask['1']!.map((p) => p.name)).toEqual(['张三', '李四']);
    expect(a.byTask['3']!.map((p) => p.name)).toEqual(['张三', '李四']);
    expect(a.byTask['2']!.map((p) => p.name)).toEqual(['王五']);
  });

  it('numbers outside the draft are ignored; a later reply adds to an earlier one and replaces a task it names', () => {
    const first = readAssignments('9 @张三', [zhang], 4, none);
    expect(first).toEqual({ all: [{ open_id: 'ou_zhang', name: '张三' }], byTask: {} });
    const second = readAssignments('2 @李四', [li], 4, { all: [], byTask: { '2': [{ open_id: 'ou_wang', name: '王五' }] } });
    expect(second.byTask['2']).toEqual([{ open_id: 'ou_li', name: '李四' }]);
  });
});

describe('messages that ask to add a link', () => {
  it('a message that is one URL, or one URL with 收录, is a link; a question mentioning a URL is not', () => {
    expect(linkOf('https://example.org/a.html')).toBe('https://example.org/a.html');
    expect(linkOf('收录 http://127.0.0.1:8080/通知.pdf')).toBe('http://127.0.0.1:8080/通知.pdf');
    expect(linkOf('https://a.org/x 和 https://b.org/y')).toBeUndefined();
    expect(linkOf('这个网页 https://a.org/x 讲了什么？')).toBeUndefined();
    expect(linkOf('海西州吸引了多少名大学生到村任职？')).toBeUndefined();
  });
});

describe('corpus names of uploads', () => {
  it('keep the Chinese name and extension, drop path and markup characters, and differ by content', () => {
    const a = uploadSourceName('../关于 开展<党费>核查的通知.DOCX', 'a1b2c3d4e5f6');
    expect(a).toBe('up-a1b2c3d4_关于_开展_党费_核查的通知.docx');
    expect(uploadSourceName('关于开展党费核查的通知.docx', 'ffffffff00')).not.toBe(uploadSourceName('关于开展党费核查的通知.docx', 'a1b2c3d4e5f6'));
  });
});

describe('the checklist writer', () => {
  const body = (assignees: unknown[]) => ({
    name: '第一党支部：测试',
    chat_id: 'oc_branch_one',
    owner: { open_id: 'ou_sec', name: '书记' },
    digest: false,
    items: [{ id: 't1', title: '召开专题组织生活会', assignees, due: '2026-12-18' }],
  });

  it('writes a file the reminder loader accepts, once; a second write of the same id changes nothing', () => {
    const dir = tempDir();
    const spec = { id: 'notice-d1-abc', comment: '测试', body: body([{ open_id: 'ou_sec', name: '书记' }]) };
    expect(writeChecklistFile(dir, spec).created).toBe(true);
    const text = fs.readFileSync(path.join(dir, 'notice-d1-abc.yaml'), 'utf8');
    expect(text).toMatch(/^# 测试/);
    expect(writeChecklistFile(dir, { ...spec, body: { ...spec.body, name: '改过的名字' } }).created).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'notice-d1-abc.yaml'), 'utf8')).toBe(text);
    expect(fs.readdirSync(dir)).toEqual(['notice-d1-abc.yaml']);
  });

  it('refuses a checklist the loader would reject (an item without anyone responsible) and writes nothing', () => {
    const dir = tempDir();
    expect(() => writeChecklistFile(dir, { id: 'notice-d2-abc', comment: 'x', body: body([]) })).toThrow(ChecklistWriteError);
    try {
      writeChecklistFile(dir, { id: 'notice-d2-abc', comment: 'x', body: body([]) });
    } catch (e) {
      expect((e as ChecklistWriteError).problems.join()).toMatch(/notice-d2-abc\.yaml:\d+:\d+: .*没有负责人/);
    }
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('the file upload store', () => {
  it('keeps bytes and who/when across a reopen, numbers uploads, and removes one with its bytes', async () => {
    const dir = tempDir();
    let t = 1_700_000_000_000;
    const a = new FileUploadStore(dir, () => t);
    const r1 = await a.save(Buffer.from('一'), { fileName: '一.txt', source: 'up-1_一.txt', addedBy: 'ou_a', chatId: 'oc_x', via: 'file' });
    t += 1000;
    const r2 = await a.save(Buffer.from('二'), { fileName: '二.md', source: 'up-2_二.md', addedBy: 'ou_b', chatId: 'oc_x', via: 'link', url: 'http://127.0.0.1/二.md' });
    await a.close();
    const b = new FileUploadStore(dir);
    expect((await b.list()).map((u) => [u.id, u.fileName, u.addedBy, u.addedAt])).toEqual([
      [r1.id, '一.txt', 'ou_a', 1_700_000_000_000],
      [r2.id, '二.md', 'ou_b', 1_700_000_001_000],
    ]);
    expect((await b.get(r2.id))!.bytes.toString()).toBe('二');
    expect(await b.remove(r1.id)).toBe(true);
    expect(await b.remove(r1.id)).toBe(false);
    expect(await b.get(r1.id)).toBeUndefined();
    expect(fs.readdirSync(path.join(dir, 'files'))).toHaveLength(1);
    await expect(b.save(Buffer.from('x'), { fileName: '', source: 's', addedBy: 'ou', chatId: 'oc', via: 'file' })).rejects.toThrow();
    await b.close();
  });
});

describe('file downloads and group owners through the real SDK against the stand-in', () => {
  let api: OpenApiStandin;
  let platform: LarkPlatform;
  beforeAll(async () => {
    api = await OpenApiStandin.start();
    const client = standinClient(api);
    const messenger = new LarkMessenger(client, { retry: { retries: 0 } });
    platform = new LarkPlatform(client, (chatId) => messenger.chatInfo(chatId));
  });
  afterAll(async () => api?.close());

  it('downloads a file with type=file', async () => {
    api.addResource('om_1', 'file_1', Buffer.from('通知正文'), { contentType: 'application/octet-stream' });
    expect((await platform.downloadFile('om_1', 'file_1', 1024)).toString()).toBe('通知正文');
    expect(api.requestsFor('message.resource').at(-1)).toMatchObject({ path: '/open-apis/im/v1/messages/om_1/resources/file_1', query: { type: 'file' } });
  });

  it('says why in Chinese when the platform refuses: bot left the chat, file not in the message, over 100 MB', async () => {
    api.addResource('om_2', 'file_2', Buffer.from('x'));
    api.refuseResource('om_2', 234004);
    await expect(platform.downloadFile('om_2', 'file_2', 1024)).rejects.toMatchObject({ code: 234004, reason: expect.stringContaining('机器人不在该群') });
    await expect(platform.downloadFile('om_1', 'file_other', 1024)).rejects.toMatchObject({ code: 234003 });
    api.addResource('om_3', 'file_3', Buffer.from('x'), { size: 200 * 1024 * 1024 });
    await expect(platform.downloadFile('om_3', 'file_3', 1024)).rejects.toMatchObject({ code: 234037, reason: expect.stringContaining('100 MB') });
  });

  it('refuses a file over our own limit from its Content-Length, and retries a throttled download', async () => {
    api.addResource('om_4', 'file_4', Buffer.alloc(4096, 0x41));
    await expect(platform.downloadFile('om_4', 'file_4', 1024)).rejects.toBeInstanceOf(ResourceError);
    api.failNext('message.resource', 1, 429);
    expect((await platform.downloadFile('om_4', 'file_4', 8192)).length).toBe(4096);
  });

  it("reads a group's owner, and nothing for a chat the bot is not in or an unknown chat", async () => {
    api.addChat('oc_g1', { ownerOpenId: 'ou_owner' });
    api.addChat('oc_g2', { ownerOpenId: 'ou_owner2', botIn: false });
    expect(await platform.chatOwner('oc_g1')).toBe('ou_owner');
    expect(await platform.chatOwner('oc_g2')).toBeUndefined();
    expect(await platform.chatOwner('oc_unknown')).toBeUndefined();
  });
});

describe('links', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/page') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<html><body><p>正文</p></body></html>');
      else if (req.url === '/file.pdf') res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from('%PDF-1.4'));
      else if (req.url === '/big') res.writeHead(200, { 'content-type': 'text/plain' }).end(Buffer.alloc(5000, 0x41));
      else if (req.url === '/zip') res.writeHead(200, { 'content-type': 'application/zip' }).end('PK');
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => new Promise<void>((r) => server.close(() => r())));

  it('reads a page or a file, naming it by its type', async () => {
    expect(await fetchLink(`${base}/page`, { maxBytes: 1000 })).toMatchObject({ fileName: 'page.html', contentType: 'text/html' });
    expect((await fetchLink(`${base}/file.pdf`, { maxBytes: 1000 })).fileName).toBe('file.pdf');
  });

  it('refuses other types, too large, missing pages and other schemes, with the reason', async () => {
    await expect(fetchLink(`${base}/zip`, { maxBytes: 1000 })).rejects.toThrow(/application\/zip/);
    await expect(fetchLink(`${base}/big`, { maxBytes: 1000 })).rejects.toThrow(/上限/);
    await expect(fetchLink(`${base}/missing`, { maxBytes: 1000 })).rejects.toThrow(/HTTP 404/);
    await expect(fetchLink('file:///etc/passwd', { maxBytes: 1000 })).rejects.toBeInstanceOf(LinkError);
  });
});

describe('tasks-from on the fictional notice with four deadlines, through the CLI', () => {
  it('lists every deadline with its source sentence, the Sunday moved to Friday', async () => {
    const dir = tempDir();
    for (const d of ['corpus', 'calendar']) fs.cpSync(path.join('data', d), path.join(dir, 'data', d), { recursive: true });
    for (const f of ['lexicon.yaml', 'glossary.yaml']) fs.copyFileSync(path.join('data', f), path.join(dir, 'data', f));
    const fixture = fs.readFileSync('test/fixtures/notices/n01_dangfei_tongzhi.md', 'utf8');
    fs.writeFileSync(path.join(dir, 'data/corpus/n01_dangfei_tongzhi.md'), fixture);
    const env: NodeJS.ProcessEnv = { ...process.env, DJ_DATA_DIR: path.join(dir, 'data'), DJ_INDEX_DIR: path.join(dir, 'index') };
    for (const k of Object.keys(env)) if (/^(LLM_|EMBEDDING_)/.test(k)) delete env[k];
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'tasks-from', 'n01_dangfei_tongzhi', '--json'], { env });
    const d = TaskDraftSchema.parse(JSON.parse(stdout));
    expect(d.tasks.map((t) => [t.printedDue, t.due])).toEqual([
      ['2026年12月4日前', '2026-12-04'],
      ['12月13日前', '2026-12-11'],
      ['12月18日前', '2026-12-18'],
      ['12月30日前', '2026-12-30'],
    ]);
    expect(d.tasks[1]).toMatchObject({ movedFrom: '2026-12-13', movedBecause: '星期日' });
    for (const t of d.tasks) expect(fixture).toContain(t.sentence);
    expect(d.problems).toEqual([]);
  }, 60_000);
});
