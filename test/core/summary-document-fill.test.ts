import { describe, expect, it } from 'vitest';
import { assistantOn } from './support.js';

/**
 * How a draft of one official document spends its room (synthetic documents; 桐溪县 does not exist): a chapter is
 * stated by an article that requires something before one that only defines the text's terms, and a section of many
 * sub-sections states each of them once before it states one twice.
 */
const on = assistantOn({
  'banfa.txt': [
    '桐溪县党员档案管理办法（虚构）',
    '',
    '第一章 总则',
    '第一条 为规范党员档案管理，根据有关规定，制定本办法。',
    '第二条 本办法所称党员档案，是指党组织在党员发展、教育、管理过程中形成的文字、表格等材料。',
    '第三条 党员档案管理坚持集中统一、分级负责、确保安全的原则。',
    '第二章 保管和利用',
    '第四条 党员档案原则上不得外借。因工作需要确需借出的，应当经县委组织部批准，借出期限不超过15日。',
    '第五条 党员组织关系转出本县的，应当在30日内转递其档案。',
    '第三章 附则',
    '第六条 本办法自2027年3月1日起施行。',
  ].join('\n'),
  'fangan.txt': [
    '桐溪县加强离退休干部党支部建设实施方案（虚构）',
    '',
    '一、工作目标',
    '到2027年底，全县离退休干部党支部设置全部规范，支部书记全部配齐，组织生活正常开展率达到100%。',
    '二、主要任务',
    '（一）理顺组织设置',
    '1. 离退休干部党员3人以上的单位，单独建立离退休干部党支部，不足3人的联合建立党支部，由县委老干部局统筹指导。',
    '2. 党员人数超过50人的，可以建立党总支，下设若干党小组，党小组长由支部委员会指定，每届任期与支部委员会相同。',
    '3. 离退休干部党支部的设立、调整和撤销，由原单位党组织研究决定后报县委老干部局备案，备案材料留存不少于5年。',
    '（二）选好配强支部书记',
    '1. 支部书记一般从离退休干部党员中选配，年龄一般不超过75周岁，身体健康，热心党务工作，每年参加培训不少于1次。',
    '（三）强化保障',
    '1. 离退休干部党支部工作经费按照每个支部每年3000元的标准列入原单位年度预算，支部书记每月发放工作补贴300元。',
    '三、工作要求',
    '县委组织部、县委老干部局要把离退休干部党支部建设纳入基层党建工作责任制考核，原单位党组织书记是第一责任人，每年听取汇报不少于1次。',
  ].join('\n'),
});

describe('the room of a draft of one document', () => {
  it('states a 总则 by the article that requires something (原则) before the one that defines the text’s terms (本办法所称)', async () => {
    const s = await on.assistant.summarize('总结一下桐溪县党员档案管理办法');
    const line = s.summary.split('\n').find((l) => l.includes('总则'))!;
    expect(line, s.summary).toContain('集中统一');
    const defined = line.indexOf('本办法所称');
    expect(defined < 0 || defined > line.indexOf('集中统一')).toBe(true);
  });

  it('states every sub-section of 主要任务 once (its 3000元) before it states one of them twice, in a short draft', async () => {
    const s = await on.assistant.summarize('总结一下桐溪县加强离退休干部党支部建设实施方案', { maxChars: 600 });
    expect(s.summary.length).toBeLessThan(600);
    expect(s.summary, s.summary).toContain('3000元');
    expect(s.summary).toContain('75周岁');
  });
});
