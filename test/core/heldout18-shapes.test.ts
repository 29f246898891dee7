import { describe, expect, it } from 'vitest';
import { readQuestion, termStats } from '../../src/answer/ask.js';
import { ground } from '../../src/answer/ground.js';
import { readFigureAsk } from '../../src/answer/query.js';
import { assistantOn } from './support.js';

/**
 * Question shapes from heldout-18's failures (retired to tuning in the thirteenth round), each on a synthetic text (辰县
 * does not exist): 几个人才能 (not the noun 人才), a verb glued to 给 (报给), a deadline a table row names by its
 * 责任单位 only, places listed with a bracket each (白岩乡（11名，完成36.7%）), and people named in everyday words
 * (大学毕业生, 打工经商的, 退伍军人).
 */
const on = assistantOn({
  'guiyan-tongbao.txt': [
    '辰县2028年上半年“归雁”人才回引工作情况通报（虚构）',
    '',
    '一、总体情况',
    '全县共回引人才300名。其中，高校毕业生120名，在外务工经商人员110名，退役军人70名。',
    '二、进度情况',
    '从进度看，青石镇（52名）、柘溪镇（47名）回引人数位列前二。进度低于50%的乡镇有2个：白岩乡（11名，完成36.7%）、高坪乡（14名，完成46.7%）。',
  ].join('\n'),
  'xiaozhang-fangan.md': [
    '# 辰县中小学校党组织领导的校长负责制实施方案（虚构）',
    '',
    '## 一、组织设置',
    '',
    '有正式党员3名以上的学校单独设立党支部，正式党员7名以上的设立支部委员会。',
    '',
    '## 二、实施步骤',
    '',
    '| 阶段 | 时间 | 主要任务 | 责任单位 |',
    '| --- | --- | --- | --- |',
    '| 试点先行 | 2028年5月至6月 | 在6所学校先行试点 | 县教育局 |',
    '| 全面推开 | 2028年7月至9月 | 制定议事规则 | 各中小学校 |',
    '',
    '## 三、工作要求',
    '',
    '学校章程修订稿于2028年8月31日前报县教育局审核。',
  ].join('\n'),
});

describe('heldout-18 shapes', () => {
  it('reads 几个人才能设… as people and 才能, not the noun 人才', async () => {
    const ask = readFigureAsk('正式党员要有几个人才能设支部委员会');
    expect(ask?.noun).not.toBe('人才');
    const a = await on.assistant.ask('辰县中小学党组织，正式党员要有几个人才能设支部委员会？');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('7名');
  });

  it('takes a verb glued to 给 (报给) as no topic the evidence must write', () => {
    const query = readQuestion('学校章程修订稿要在哪天之前报给县教育局审核？', on.assistant);
    const g = ground(query, on.assistant.glossary.expand(query.searchText), ['学校章程修订稿于2028年8月31日前报县教育局审核。'], termStats(on.assistant.index));
    expect(g.missing).not.toContain('报给');
  });

  it('does not take a table row named only by its 责任单位 (县教育局) for a question about something else', async () => {
    const a = await on.assistant.ask('学校章程修订稿要在哪天之前报给县教育局审核？');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('8月31日');
    expect(a.answer).not.toContain('5月至6月');
  });

  it('lists places named with a bracket each (白岩乡（11名，完成36.7%）、高坪乡（…）)', async () => {
    const a = await on.assistant.ask('辰县归雁回引通报里，进度不到一半的是哪几个乡镇？');
    expect(a.grounded).toBe(true);
    expect(a.answer).toMatch(/\d\. 白岩乡/);
    expect(a.answer).toMatch(/\d\. 高坪乡/);
    expect(a.answer).not.toMatch(/\d\. 青石镇/);
  });

  it('counts people named in everyday words (大学毕业生, 打工经商的, 退伍军人) as the 通报 names them', async () => {
    const a = await on.assistant.ask('辰县归雁回引的人里，大学毕业生、打工经商的、退伍军人各有多少？');
    expect(a.grounded).toBe(true);
    for (const figure of ['120名', '110名', '70名']) expect(a.answer).toContain(figure);
  });
});
