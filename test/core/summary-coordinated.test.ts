import { describe, expect, it } from 'vitest';
import { coordinatedItems, itemTopics } from '../../src/answer/summary/coordination.js';
import { assistantOn } from './support.js';

describe('a topic naming things side by side', () => {
  it('reads the items and their frame (在让X、Y、Z发挥作用上, 对X、Y和Z的关怀, X、Y、Z方面)', () => {
    const a = coordinatedItems('桐溪县在让无职党员、离退休党员、在职党员发挥作用上的做法');
    expect(a?.items).toEqual(['无职党员', '离退休党员', '在职党员']);
    expect(itemTopics(a!)).toContain('桐溪县在让离退休党员发挥作用上的做法');
    expect(coordinatedItems('对老党员、困难党员和流动党员的关心关怀')?.items).toEqual(['老党员', '困难党员', '流动党员']);
    expect(coordinatedItems('海西州在村级集体经济、基层治理、党员教育方面的做法')?.items).toEqual(['村级集体经济', '基层治理', '党员教育']);
  });

  it('reads no items in a topic that names one thing (海西州党员教育培训)', () => {
    expect(coordinatedItems('海西州党员教育培训')).toBeUndefined();
  });
});

/**
 * Three documents of one county, each about one of the things a topic names side by side; the third is a 简报 whose
 * title names no place (城关组工信息) and whose body names the county (桐溪县委组织部).
 */
const on = assistantOn({
  'shegang.txt': [
    '关于在农村开展无职党员设岗定责工作的通知（虚构）',
    '',
    '各乡镇党委：',
    '一、设岗方式。按照“支部定岗、党员认岗、群众评岗”的方式，为每名无职党员设定1个岗位。',
    '二、履岗管理。无职党员每月至少履岗2次，履岗情况记入纪实手册。',
    '',
    '中共桐溪县委组织部',
    '2027年3月1日',
  ].join('\n'),
  'lituixiu.txt': [
    '桐溪县加强离退休干部党支部建设实施方案（虚构）',
    '',
    '一、发挥作用。依托离退休干部党支部组建“银发先锋”服务队，开展政策宣讲和矛盾调解。',
    '二、强化保障。离退休干部党支部书记每月发放工作补贴300元。',
  ].join('\n'),
  'jianbao.txt': [
    '城关组工信息（第3期）（虚构）',
    '',
    '桐溪县委组织部编',
    '',
    '城关街道组织辖区机关党组织与网格结对，引导860名在职党员到居住地社区报到，每名在职党员每年参加社区服务不少于4次。',
  ].join('\n'),
});

describe('a summary of a topic naming things side by side', () => {
  it('drafts each thing under its own heading, in the order named, from the document about it', async () => {
    const s = await on.assistant.summarize('桐溪县在让无职党员、离退休干部党员、在职党员发挥作用上都有哪些做法，汇总一下');
    expect(s.grounded).toBe(true);
    const heads = ['**无职党员**', '**离退休干部党员**', '**在职党员**'].map((h) => s.summary.indexOf(h));
    expect(heads.every((i) => i >= 0), s.summary).toBe(true);
    expect(heads).toEqual([...heads].sort((x, y) => x - y));
    expect(s.summary).toContain('每月至少履岗2次');
    expect(s.summary).toContain('银发先锋');
    expect(s.summary).toContain('860名在职党员');
  });

  it('a text that names its county only in its body (城关组工信息) is that county’s', () => {
    expect(on.assistant.index.documents().find((d) => d.source === 'jianbao.txt')?.place).toBe('桐溪县');
  });
});
