import { describe, expect, it } from 'vitest';
import { assistantOn } from './support.js';

/** A 工作要点 whose parts are its items (synthetic; 壬县 does not exist). */
const on = assistantOn({
  '壬县机关党建工作要点.md': [
    '# 壬县2027年机关党建工作要点（虚构）',
    '',
    '## 一、突出政治引领，加强机关政治建设',
    '',
    '各机关党组（党委）每年专题研究党建工作不少于2次。',
    '',
    '## 二、夯实基层基础，提升支部建设质量',
    '',
    '培育机关党建品牌15个，其中示范品牌5个。',
    '',
    '## 三、强化责任落实',
    '',
    '年底前开展机关党建述职评议。',
  ].join('\n'),
  '壬县发展党员工作总结.txt': ['壬县2026年度发展党员工作总结（虚构）', '', '全年发展党员69名，其中35岁以下的42名。'].join('\n'),
  '壬县冬训通知.txt': ['关于开展壬县党员冬训工作的通知（虚构）', '', '各乡镇于2027年2月25日前将冬训工作总结报县委组织部组织科。'].join('\n'),
});

describe('a list of what a document is made of', () => {
  it('lists the parts of a 工作要点 asked for its 工作要点, in order', async () => {
    const a = await on.assistant.ask('壬县机关党建今年的工作要点有哪些');
    const parts = ['突出政治引领', '夯实基层基础', '强化责任落实'].map((p) => a.answer.indexOf(p));
    expect(parts.every((k) => k >= 0)).toBe(true);
    expect(parts).toEqual([...parts].sort((x, y) => x - y));
  });

  it('does not take 冬训工作总结 for the only 工作总结 there is (发展党员), whose title has no 冬训', async () => {
    const a = await on.assistant.ask('冬训工作总结最晚哪天交');
    expect(a.answer).toContain('2月25日');
  });
});
