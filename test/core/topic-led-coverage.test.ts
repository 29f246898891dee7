import { describe, expect, it } from 'vitest';
import { readQuestion, termStats } from '../../src/answer/ask.js';
import { ground } from '../../src/answer/ground.js';
import { assistantOn } from './support.js';

/**
 * Grounding led by the question's topic (ground.ts, PREDICATE_WEIGHT): a question whose topic words are all in the
 * evidence is grounded although its predicate words (verbs, adjectives) are not there, as when a colloquial question
 * says its predicate otherwise than the document (最差 for 最低, 点出来 for 指出, 执行 for 施行); a question whose
 * topic is missing is still refused. On a synthetic corpus of a 通报, a 办法 and a table (午县 does not exist).
 */
const on = assistantOn({
  'e-guanli-tongbao.txt': [
    '午县党员“e管理”平台应用情况通报（虚构）',
    '',
    '一、基本情况。全县党员在“e管理”平台实名注册率为93%。其中，东坝镇注册率最低，为71%；西河乡注册率最高，为99%。党员人均在线学习时长11.6小时，比上季度的7.9小时增加3.7小时。',
    '二、存在的问题。（一）应用不平衡。部分党支部长期不登录平台。（二）重记录轻实效。部分党支部只上传照片。（三）信息更新不及时。部分党员信息未及时维护。',
    '三、下步工作。各乡镇党委要在2031年6月30日前完成信息核对。',
  ].join('\n'),
  'cunwu-dangan-banfa.txt': [
    '午县村务档案管理办法（虚构）',
    '',
    '第一条 为规范村务档案管理，制定本办法。',
    '第十二条 村务档案由村党组织指定专人管理，保管期限不少于10年。',
    '第二十条 本办法自2031年3月1日起施行，原《午县村务档案管理暂行规定》同时废止。',
  ].join('\n'),
  'pingxuan-biao.md': [
    '# 午县党员示范岗评选安排表（虚构）',
    '',
    '| 乡镇 | 评选名额 | 复评周期 |',
    '| --- | --- | --- |',
    '| 东坝镇 | 12 | 3年 |',
    '| 西河乡 | 8 | 2年 |',
    '',
    '因人员变动，西河乡评选名额减少2个，复评周期相应调整为2年。',
  ].join('\n'),
});

describe('topic-led coverage', () => {
  // a question of topic words (村务, 档案, 期限) and two predicate words the corpus uses once elsewhere (减少, 调整), so
  // that by idf the predicate words weigh about as much as the topic
  const q = '村务档案期限减少调整了吗？';
  const verdict = (evidence: string) => {
    const query = readQuestion(q, on.assistant);
    return ground(query, on.assistant.glossary.expand(query.searchText), [evidence], termStats(on.assistant.index));
  };

  it('grounds a question whose topic words are all in the evidence though its predicate words are not', () => {
    const g = verdict('第十二条 村务档案由村党组织指定专人管理，保管期限不少于10年。');
    expect(g.missing).toEqual(expect.arrayContaining(['减少', '调整']));
    expect(g.grounded).toBe(true);
  });

  it('still refuses when the evidence holds the predicate words but none of the topic', () => {
    const g = verdict('部分乡镇减少了上传频次，调整了维护方式。');
    expect(g.grounded).toBe(false);
  });

  it('weighs a missing predicate word less than a missing topic word, though the predicate is the rarer', () => {
    expect(verdict('村务档案 期限 调整').ratio).toBeGreaterThan(verdict('档案 期限 减少 调整').ratio);
  });

  it('weighs an everyday predicate the materials never use (最差) half in a figure question answered by a weak figure', () => {
    const q2 = 'e管理哪个乡镇最差？注册率多少？';
    const query = readQuestion(q2, on.assistant);
    // (the passage with its title, as grounding sees it; figureFound false: the figure does not count the asked noun,
    // so the question's everyday words are weighed)
    const g = ground(query, on.assistant.glossary.expand(query.searchText), ['午县党员“e管理”平台应用情况通报（虚构）\n其中，东坝镇注册率最低，为71%；西河乡注册率最高，为99%。'], termStats(on.assistant.index), false);
    expect(g.missing).toContain('最差');
    expect(g.grounded).toBe(true);
  });

  it('takes a period named relative to now (上个季度) as when, not as a word the evidence must write', () => {
    const q3 = '党员在线学习时长上个季度是多少小时？';
    const query = readQuestion(q3, on.assistant);
    const g = ground(query, on.assistant.glossary.expand(query.searchText), ['党员人均在线学习时长11.6小时，比上季度的7.9小时增加3.7小时。'], termStats(on.assistant.index), false);
    expect(g.missing).not.toContain('上个季度');
    expect(g.grounded).toBe(true);
  });
});
