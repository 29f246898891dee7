import { describe, expect, it } from 'vitest';
import { retrieve } from '../../src/answer/retrieve.js';
import { quotedNames } from '../../src/answer/wording.js';
import { readListAsk, understand } from '../../src/answer/query.js';
import { assistantOn } from './support.js';

/** Names a question quotes (“三百活动”, “一肩挑”), on small synthetic documents (one rule per test). */
describe('reading quoted names', () => {
  it('takes the quoted names as written, without white space', () => {
    expect(quotedNames('丙县的“三 好活动”和"一肩挑"是什么？')).toEqual(['三好活动', '一肩挑']);
  });

  it('does not read a name opening with 一 as a set of one (“一肩挑”, “一村一策”), but reads “三百活动” as three', () => {
    expect(readListAsk('“一肩挑”的村支书一年能拿多少钱？')).toBeUndefined();
    expect(readListAsk('“一村一策”是怎么做的？')).toBeUndefined();
    expect(readListAsk('“三百活动”指的是哪三个？')).toMatchObject({ count: 3, phrase: '三百活动' });
  });
});

// many passages share the words of the question (三项, 计划); one holds the quoted name whole; 指 is used by
// another county's document only
const filler = (i: number) => `丙县落实三项制度、三项机制，制定年度计划、培训计划，开展主题党日活动${i + 2}次，推动工作落实。`;
const on = assistantOn({
  '丙县党建工作报告.txt': [
    '丙县党建工作报告（虚构）',
    '',
    ...Array.from({ length: 8 }, (_, i) => [`${['一', '二', '三', '四', '五', '六', '七', '八'][i]}、第${i + 1}项工作`, filler(i), ''].flat()),
    '九、人才队伍',
    '实施“青蓝结对”“能人回乡”“骨干提升”三项计划，为乡村振兴储备人才。',
  ].join('\n'),
  '丁县流动党员管理办法.txt': ['丁县流动党员管理办法（虚构）', '', '第一条 本办法中的流动党员，指外出6个月以上的党员。'].join('\n'),
});

describe('answers to a question that quotes a name', () => {
  it('puts the passage holding the quoted name whole first, above passages with its words apart', async () => {
    const { hits } = await retrieve(understand('丙县的“三项计划”指的是哪三个？', { lexicon: on.assistant.lexicon, glossary: on.assistant.glossary, documents: on.assistant.index.documents() }), on.assistant.index, on.assistant.retriever);
    expect(hits[0]!.record.text).toContain('三项计划');
  });

  it('answers 指的是哪三个 from the passage holding the quoted name, and 指 asks nothing of the evidence', async () => {
    const a = await on.assistant.ask('丙县的“三项计划”指的是哪三个？');
    expect(a.grounded).toBe(true);
    for (const item of ['青蓝结对', '能人回乡', '骨干提升']) expect(a.answer).toContain(item);
  });
});

describe('a quoted name the evidence never writes', () => {
  const on = assistantOn({
    '庚县社区治理.txt': ['庚县社区治理情况（虚构）', '', '庚县打造“红色驿站”示范点12个，服务新就业群体3000余人次。', '', '庚县推行“一线工作法”，解决群众急难愁盼问题86件。'].join('\n'),
  });

  it('refuses a question about a quoted name the materials do not hold (“红色物业”), instead of quoting another name’s figure', async () => {
    const a = await on.assistant.ask('庚县评出了多少个“红色物业”示范点？');
    expect(a.grounded).toBe(false);
    expect(a.answer).not.toContain('12个');
    const b = await on.assistant.ask('庚县评出了多少个“红色驿站”示范点？');
    expect(b.answer).toContain('12个');
  });
});
