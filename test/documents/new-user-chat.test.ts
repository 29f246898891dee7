/**
 * The local chat (`npm start` without Feishu credentials) as a new user meets it, with the chat features of
 * src/features.ts given nothing but the assistant (as src/main.ts does): the data folder is a copy of
 * data/ elsewhere (DJ_DATA_DIR), holding the example checklist. One session, read per answer.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAssistant } from '../../src/assistant.js';
import { chatFeatures } from '../../src/features.js';
import { runLocalChat } from '../../src/lark/local.js';
import { setLogLevel } from '../../src/log.js';
import { localInstant } from '../../src/reminders/schedule.js';

if (!process.env.LOG_LEVEL) setLogLevel('error');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-new-user-'));
const data = path.join(tmp, 'data');
const repoChecklists = () => fs.readdirSync('data/checklists').sort();
let repoBefore: string[];
/** Answer to each line typed, by the line. */
const answers = new Map<string, string>();

const LINES = [
  '/tasks',
  '/done 主题党日',
  '/上传 test/fixtures/notices/n01_dangfei_tongzhi.md',
  '/清单 党费收缴核查',
  '/确认清单 99 全部',
  '/确认清单 1 全部',
  '谢谢',
  '好的',
  '/help',
  `/上传 ${path.join(tmp, '表格.xlsx')}`,
  '/上传 test/fixtures/notices/n02_shuzhi_table.html',
];

beforeAll(async () => {
  fs.mkdirSync(path.join(data, 'checklists'), { recursive: true });
  for (const d of ['corpus', 'calendar']) fs.cpSync(path.join('data', d), path.join(data, d), { recursive: true });
  for (const f of ['lexicon.yaml', 'glossary.yaml']) fs.copyFileSync(path.join('data', f), path.join(data, f));
  fs.copyFileSync('data/checklists/example-branch.yaml', path.join(data, 'checklists', 'example-branch.yaml'));
  fs.cpSync('data/checklists/templates', path.join(data, 'checklists', 'templates'), { recursive: true });
  fs.writeFileSync(path.join(tmp, '表格.xlsx'), 'x');
  repoBefore = repoChecklists();
  process.env.REMINDERS = 'off';
  const assistant = await openAssistant({ dataDir: data, indexDir: path.join(tmp, 'index') });
  // no checklistDir/calendarDir: they come from the assistant's data folder, as in npm start
  const features = chatFeatures(assistant, { remindersDb: path.join(tmp, 'r.sqlite'), uploadsDir: path.join(tmp, 'uploads'), clock: () => localInstant('2026-11-28', '10:00') });
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (c: Buffer) => (text += c.toString()));
  for (const l of LINES) input.write(`${l}\n`);
  input.end();
  try {
    await runLocalChat({ assistant, input, output, interactive: false, extensions: features });
  } finally {
    delete process.env.REMINDERS;
  }
  const parts = text.split(/^你：/m).slice(1);
  for (const p of parts) {
    const nl = p.indexOf('\n');
    answers.set(p.slice(0, nl), p.slice(nl + 1));
  }
}, 90_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const answer = (line: string) => {
  const a = answers.get(line);
  if (a === undefined) throw new Error(`no answer to ${line}`);
  return a;
};

describe('the local chat for a new user, on a data folder elsewhere (DJ_DATA_DIR)', () => {
  it('a confirmed draft is written to the data folder’s checklists, not the repository’s data/checklists', () => {
    expect(answer('/确认清单 1 全部')).toContain('✅ 已写入提醒清单：示例第一党支部');
    expect(fs.readdirSync(path.join(data, 'checklists')).filter((f) => f.startsWith('notice-'))).toHaveLength(1);
    expect(repoChecklists()).toEqual(repoBefore);
  });

  it('/tasks names people as the checklist file does (@王书记（示例）), never by open_id', () => {
    const tasks = answer('/tasks');
    expect(tasks).toContain('负责：@王书记（示例）');
    expect(tasks).toContain('负责：@李组织委员（示例）');
    expect(tasks).not.toContain('@ou_');
    // the branch's notice of its new checklist names its owner the same way
    expect(answer('/确认清单 1 全部')).toContain('负责：@王书记（示例）');
  });

  it('/done in the private chat says to send it in the branch’s group', () => {
    const done = answer('/done 主题党日');
    expect(done).toContain('请在该支部的群里 @党建助手 发送 /done 主题党日');
    expect(done).toContain('「示例第一党支部」');
    expect(done).not.toContain('只有');
  });

  it('asking for the draft of a notice that has one shows that draft again, no second draft', () => {
    expect(answer('/上传 test/fixtures/notices/n01_dangfei_tongzhi.md')).toContain('【党建助手 · 清单草稿 #1】');
    const again = answer('/清单 党费收缴核查');
    expect(again).toContain('【党建助手 · 清单草稿 #1】');
    expect(again).toContain('这份通知已有清单草稿 #1');
    // the drafts listed afterwards: that one only
    expect(answer('/确认清单 99 全部')).not.toContain('#2');
  });

  it('/确认清单 with a draft number that does not exist says so and lists the drafts', () => {
    const r = answer('/确认清单 99 全部');
    expect(r).toContain('没有第 99 号草稿');
    expect(r).toContain('#1 《关于开展2026年度党费收缴核查和专题组织生活会工作的通知》（未确认）');
  });

  it('谢谢 and 好的 get a one-line reply without the greeting or 👍/👎 buttons', () => {
    for (const line of ['谢谢', '好的']) {
      const r = answer(line);
      expect(r.trim().split('\n')).toHaveLength(2); // the card title and one line
      expect(r).not.toContain('👍');
      expect(r).not.toContain('我是党建助手');
      expect(r).not.toContain('未找到');
    }
  });

  it('/help, a refused file and an .html notice agree on the file types /上传 takes', () => {
    const help = answer('/help').split('\n').find((l) => l.startsWith('/上传'))!;
    const refused = answer(`/上传 ${path.join(tmp, '表格.xlsx')}`);
    expect(refused).toContain('不支持的文件类型 .xlsx');
    for (const ext of ['.docx', '.pdf', '.txt', '.md', '.html']) {
      expect(help).toContain(ext);
      expect(refused).toContain(ext);
    }
    expect(answer('/上传 test/fixtures/notices/n02_shuzhi_table.html')).toContain('已收录：关于开展2026年度基层党组织书记述职评议工作的通知');
  });
});
