import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openAssistant } from '../../src/assistant.js';
import { config, tempCorpus } from './support.js';

const NOTICE = '关于开展党员冬训的通知\n\n一、冬训时间\n\n全县党员冬训于12月1日开始，为期20天，参训党员共计860名。\n';
const OTHER = '关于报送党费收缴情况的通知\n\n一、报送内容\n\n各支部于12月10日前报送党费收缴情况，全县共有党支部132个。\n';

let cleanup = () => {};
afterEach(() => cleanup());

describe('reloadIndex', () => {
  it('closes the previous index database once the new index is in use, and answers from the new corpus', async () => {
    const t = tempCorpus({ 'notice.txt': NOTICE });
    cleanup = t.cleanup;
    const a = await openAssistant({ config: config({}, t) });
    const before = a.index;
    fs.writeFileSync(path.join(t.dataDir, 'corpus', 'other.txt'), OTHER);
    await a.reloadIndex();
    expect(before.open).toBe(false);
    expect(a.index.open).toBe(true);
    expect((await a.ask('全县共有党支部多少个？')).answer).toContain('132');
    a.index.close();
  });

  it('lets a question started before the reload finish on the previous index, then closes it', async () => {
    const t = tempCorpus({ 'notice.txt': NOTICE });
    cleanup = t.cleanup;
    const a = await openAssistant({ config: config({}, t) });
    const before = a.index;
    fs.writeFileSync(path.join(t.dataDir, 'corpus', 'other.txt'), OTHER);
    const running = a.ask('参训党员共计多少名？');
    await a.reloadIndex();
    expect((await running).answer).toContain('860');
    expect(before.open).toBe(false);
    a.index.close();
  });
});
