/**
 * The local terminal chat (`npm start` without Feishu credentials) with the chat features of src/features.ts:
 * `/上传 <path>` adds a notice (the person at the terminal is the administrator), `/确认清单` writes the branch
 * checklists, `/docs` lists the upload with its source, `/删除文档` removes it, and the reminder cards print
 * as text once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { openAssistant } from '../../src/assistant.js';
import { chatFeatures, type FeatureExtensions } from '../../src/features.js';
import { runLocalChat } from '../../src/lark/local.js';
import { setLogLevel } from '../../src/log.js';
import { localInstant } from '../../src/reminders/schedule.js';

if (!process.env.LOG_LEVEL) setLogLevel('error');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-local-docs-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('documents and notices in the local chat', () => {
  it('/上传 a notice, /确认清单 for every branch, /docs, a reminder printed once, /删除文档', async () => {
    const data = path.join(tmp, 'data');
    fs.mkdirSync(path.join(data, 'checklists'), { recursive: true });
    for (const d of ['corpus', 'calendar']) fs.cpSync(path.join('data', d), path.join(data, d), { recursive: true });
    for (const f of ['lexicon.yaml', 'glossary.yaml']) fs.copyFileSync(path.join('data', f), path.join(data, f));
    for (const n of [1, 2]) {
      fs.writeFileSync(
        path.join(data, 'checklists', `b${n}.yaml`),
        `name: 第${n}支部\nchat_id: oc_local_branch_${n}\nowner: { open_id: ou_sec_${n}, name: 书记${n} }\ndigest: false\nitems:\n  - { id: x, title: 其他事项, assignees: [{ open_id: ou_sec_${n}, name: 书记${n} }], due: 2026-12-31 }\n`,
      );
    }
    process.env.REMINDERS = 'off';
    let now = localInstant('2026-11-28', '10:00');
    const assistant = await openAssistant({ dataDir: data, indexDir: path.join(tmp, 'index') });
    let ext: FeatureExtensions | undefined;
    const features = chatFeatures(assistant, { remindersDb: path.join(tmp, 'r.sqlite'), uploadsDir: path.join(tmp, 'uploads'), clock: () => now });
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (c: Buffer) => (text += c.toString()));
    const lines = ['/上传 test/fixtures/notices/n01_dangfei_tongzhi.md', '/上传 no/such/file.md', '/确认清单 1 全部', '/docs', '/tick', '/tick', '/删除文档 1', '/docs'];
    for (const l of lines) input.write(`${l}\n`);
    input.end();
    const sentPerTick: number[] = [];
    await runLocalChat({
      assistant,
      input,
      output,
      interactive: false,
      extensions: async (m) => {
        ext = await features(m);
        ext.commands!.push({
          names: ['/tick'],
          help: 'test only',
          run: async () => {
            now = localInstant('2026-12-01', '09:00');
            sentPerTick.push((await ext!.reminders.tick()).sent.length);
            return '';
          },
        });
        return ext;
      },
    });
    delete process.env.REMINDERS;
    expect(text).toContain('【党建助手 · 已收录：关于开展2026年度党费收缴核查和专题组织生活会工作的通知】');
    expect(text).toContain('【党建助手 · 清单草稿 #1】');
    expect(text).toContain('原定 2026-12-13 为星期日');
    expect(text).toContain('找不到文件 no/such/file.md');
    expect(text).toContain('✅ 已写入提醒清单：第1支部、第2支部');
    expect(text).toContain('#1 《关于开展2026年度党费收缴核查和专题组织生活会工作的通知》');
    expect(text).toContain('n01_dangfei_tongzhi.md');
    expect(sentPerTick).toEqual([2, 0]);
    expect(text.match(/【📋 待办提醒 · 第\d支部：关于开展2026年度党费收缴核查和专题组织生活会工作的通知】/g)).toHaveLength(2);
    expect(text).toContain('第 1 号文档《关于开展2026年度党费收缴核查和专题组织生活会工作的通知》已删除');
    expect(text.split('你：/docs').at(-1)).toContain('还没有在对话中添加的文档');
    expect(assistant.index.documents().some((d) => d.source.startsWith('up-'))).toBe(false);
  }, 60_000);
});
