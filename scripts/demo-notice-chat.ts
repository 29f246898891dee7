/**
 * A local-chat session (the terminal chat of `npm start`, cards printed as text) on a temporary copy of
 * data/ with two fictional branch chats, each with a checklist of its own (收缴当月党费, due 2026-12-04): a notice
 * in (`/上传`), its draft checklist confirmed for both branches (`/确认清单`, each branch chat gets a notice card),
 * then the one reminder card each branch gets at 2026-12-01 09:00, merging both checklists. Usage:
 *   npx tsx scripts/demo-notice-chat.ts [notice file]   (default test/fixtures/notices/n01_dangfei_tongzhi.md)
 * `/时间 <YYYY-MM-DDTHH:MM>` exists only in this script: it sets the reminders' clock (Asia/Shanghai) and runs
 * one scheduling pass, as the minute tick of the running bot would. Nothing outside the temporary folder changes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { openAssistant } from '../src/assistant.js';
import { chatFeatures, type FeatureExtensions } from '../src/features.js';
import { runLocalChat } from '../src/lark/local.js';
import { setLogLevel } from '../src/log.js';
import { parseAt } from '../src/reminders/plan.js';
import { localInstant } from '../src/reminders/schedule.js';

setLogLevel('error');
process.env.REMINDERS = 'off';
const notice = process.argv[2] ?? 'test/fixtures/notices/n01_dangfei_tongzhi.md';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-demo-'));
const data = path.join(tmp, 'data');
fs.mkdirSync(path.join(data, 'checklists'), { recursive: true });
for (const d of ['corpus', 'calendar']) fs.cpSync(path.join('data', d), path.join(data, d), { recursive: true });
for (const f of ['lexicon.yaml', 'glossary.yaml']) fs.copyFileSync(path.join('data', f), path.join(data, f));
for (const [file, name, chat, owner] of [
  ['branch-1.yaml', '第一党支部（示例）', 'oc_demo_branch_1', 'ou_demo_secretary_1'],
  ['branch-2.yaml', '第二党支部（示例）', 'oc_demo_branch_2', 'ou_demo_secretary_2'],
]) {
  fs.writeFileSync(
    path.join(data, 'checklists', file!),
    `# 虚构示例\nname: ${name}\nchat_id: ${chat}\nowner: { open_id: ${owner}, name: ${name}书记 }\ndigest: false\nitems:\n  - id: dues\n    title: 收缴当月党费\n    assignees: [{ open_id: ${owner}, name: ${name}书记 }]\n    due: 2026-12-04\n`,
  );
}

let now = localInstant('2026-11-28', '10:00');
const assistant = await openAssistant({ dataDir: data, indexDir: path.join(tmp, 'index') });
const features = chatFeatures(assistant, { remindersDb: path.join(tmp, 'reminders.sqlite'), uploadsDir: path.join(tmp, 'uploads'), clock: () => now });
let ext: FeatureExtensions | undefined;
const input = new PassThrough();
for (const line of [`/上传 ${notice}`, '/确认清单 1 全部', '/时间 2026-12-01T09:00', '/时间 2026-12-01T09:05']) input.write(`${line}\n`);
input.end();
await runLocalChat({
  assistant,
  input,
  output: process.stdout,
  interactive: false,
  extensions: async (messenger) => {
    ext = await features(messenger);
    ext.commands!.push({
      names: ['/时间'],
      help: '（仅演示）设定提醒时钟并运行一次提醒调度',
      run: async (ctx) => {
        now = parseAt(ctx.args);
        const r = await ext!.reminders.tick();
        return r.sent.length ? `（${ctx.args}：提醒服务发送了 ${r.sent.length} 张卡片，见上）` : `（${ctx.args}：没有需要发送的提醒）`;
      },
    });
    return ext;
  },
});
process.stdout.write(`\n写入的清单文件（<tmp>/data/checklists）：\n`);
for (const f of fs.readdirSync(path.join(data, 'checklists')).filter((f) => f.startsWith('notice-'))) {
  process.stdout.write(`--- ${f}\n${fs.readFileSync(path.join(data, 'checklists', f), 'utf8')}`);
}
fs.rmSync(tmp, { recursive: true, force: true });
