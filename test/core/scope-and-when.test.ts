import { describe, expect, it } from 'vitest';
import { readFigureAsk } from '../../src/answer/query.js';
import { assistantOn } from './support.js';

/** Whose figure a sentence gives, and which date answers a when-question (synthetic documents, one rule per test). */
const on = assistantOn({
  '海西州新业态党建简报.txt': [
    '海西州新业态新就业群体党建工作简报（虚构）',
    '',
    '一、组织覆盖',
    '格尔木市、德令哈市分别召开行业党建推进会，部署组织覆盖工作。目前，全州共有新业态企业130家，从业党员35人。',
    '格尔木市建立快递行业党支部4个，覆盖快递网点60个。',
    '二、队伍建设',
    '2019年5月，某村党支部牵头成立种植专业合作社，当年带动农户增收。',
    '推动实现村“两委”干部学历较上届提升11%，“一肩挑”比例达94.3%。',
    '三、党费收缴',
    '各党支部要在12月25日前完成全年党费收缴，并将收缴情况报送州委组织部。',
  ].join('\n'),
});

describe('a figure answers for the place it is stated for', () => {
  it('does not give a 全州 figure as a city’s (格尔木市有多少名从业党员 is not answered by 全州…从业党员35人)', async () => {
    const a = await on.assistant.ask('格尔木市有多少名从业党员？');
    expect(a.answer).not.toContain('35人');
    expect(a.grounded).toBe(false);
  });

  it('gives the figure the sentence states for the city asked (格尔木市建立快递行业党支部4个)', async () => {
    const a = await on.assistant.ask('格尔木市建了多少个快递行业党支部？');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('4个');
  });

  it('gives the 全州 figure for the prefecture itself', async () => {
    const a = await on.assistant.ask('海西州有多少名从业党员？');
    expect(a.answer).toContain('35人');
  });
});

describe('counted nouns', () => {
  it('reads a quoted name glued to the noun after it as part of the counted phrase (“一肩挑”比例 for 一肩挑比例)', async () => {
    const a = await on.assistant.ask('村“两委”一肩挑比例是多少？');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('94.3%');
  });

  it('ends the counted noun at a one-character verb before 了 (大学生|当了村支书), whatever jieba tags it', () => {
    expect(readFigureAsk('海西有多少个大学生当了村支书？')?.noun).toBe('大学生');
  });
});

describe('when-questions', () => {
  it('does not answer a when-question from a dated sentence about something else (冬训方案什么时候报)', async () => {
    const a = await on.assistant.ask('冬训方案什么时候报？');
    expect(a.grounded).toBe(false);
    expect(a.answer).not.toContain('2019年5月');
  });

  it('answers a when-question from the dated sentence about the event asked', async () => {
    const a = await on.assistant.ask('种植专业合作社是什么时候成立的？');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('2019年5月');
  });


});
