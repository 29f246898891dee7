import { describe, expect, it } from 'vitest';
import { assistantOn } from './support.js';

/**
 * Lists asked by what a rule text does with them: a set named by a section heading (（一）“四议”) whose name also opens a
 * longer name used everywhere (“四议两公开”), and a 负面清单 of prohibitions written as clauses of one sentence
 * (synthetic documents; 庚县 does not exist).
 */
const on = assistantOn({
  '庚县四议两公开实施方案.md': [
    '# 庚县村级重大事项“四议两公开”实施方案（虚构）',
    '',
    '## 一、工作目标',
    '',
    '到2027年底，全县行政村全面规范落实“四议两公开”工作法，“四议两公开”程序履行率达到100%。',
    '',
    '## 二、操作流程',
    '',
    '### （一）“四议”',
    '',
    '1. **村党组织提议。** 村党组织对重大事项提出初步方案。',
    '2. **村“两委”会议商议。** 村“两委”联席会议讨论初步方案，形成商议意见。',
    '3. **党员大会审议。** 商议意见提交党员大会审议。',
    '4. **村民代表会议决议。** 决议事项须有三分之二以上的村民代表到会。',
    '',
    '### （二）“两公开”',
    '',
    '1. 决议公开。决议通过后2日内公开。',
    '2. 实施结果公开。事项实施完毕后10日内公开。',
    '',
    '## 三、保障措施',
    '',
    '将“四议两公开”落实情况纳入村党组织书记述职评议，对不按“四议两公开”程序决策的村通报批评。“四议两公开”工作记录簿由乡镇统一印制。',
  ].join('\n'),
  '庚县活动场所简报.txt': [
    '庚县规范村级活动场所使用（虚构）',
    '',
    '庚县各村活动场所实行工作日开放，群众预约后免费使用。县委组织部制定场所使用“负面清单”，明确活动场所不得出租、出借用于经营活动，不得用于堆放杂物和私人物品，不得悬挂与党建无关的牌子。',
  ].join('\n'),
  '庚县村级后备力量管理办法.txt': [
    '庚县村级后备力量管理办法（虚构）',
    '',
    '第四条 村级后备力量人选应当具有高中以上学历，年龄一般在35周岁以下。',
    '第五条 乡镇党委应当在人选确定后10个工作日内报送备案材料。备案材料包括：',
    '（一）后备力量人选推荐表；',
    '（二）乡镇党委考察材料；',
    '（三）本人学历证书复印件。',
    '第六条 有下列情形之一的，不得作为村级后备力量人选：',
    '（一）受过刑事处罚的；',
    '（二）受到党内警告以上处分未满2年的；',
    '（三）长期外出不能正常联系的。',
  ].join('\n'),
});

describe('a list asked by what the text does with it', () => {
  it('lists a set named by a section heading (哪四议 ← （一）“四议”), not passages naming a longer name (“四议两公开”)', async () => {
    const a = await on.assistant.ask('四议两公开里的“四议”具体是哪四议');
    expect(a.grounded).toBe(true);
    for (const item of ['提议', '商议', '审议', '决议']) expect(a.answer).toContain(item);
  });

  it('lists the prohibitions a sentence states as clauses (哪些事不能干 ← 不得……，不得……，不得……)', async () => {
    const a = await on.assistant.ask('村级活动场所有哪些事是明确不能干的');
    expect(a.grounded).toBe(true);
    // (each prohibition an item of its own, not the sentence quoted whole)
    for (const [k, item] of ['不得出租', '不得用于堆放杂物', '不得悬挂'].entries()) expect(a.answer).toContain(`${k + 1}. ${item}`);
  });

  it('lists the items of a list led by a prohibition (哪些人不能当 ← 有下列情形之一的，不得作为…人选：（一）…), not another list of the rule', async () => {
    const a = await on.assistant.ask('按庚县的规定，哪些人不能当村级后备力量人选，给我列一下');
    expect(a.grounded).toBe(true);
    for (const item of ['受过刑事处罚', '党内警告以上处分', '长期外出']) expect(a.answer).toContain(item);
    expect(a.answer).not.toContain('推荐表');
  });
});
