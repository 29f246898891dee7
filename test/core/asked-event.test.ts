import { describe, expect, it } from 'vitest';
import { assistantOn } from './support.js';

/**
 * What a question asks of the evidence beyond its nouns: the verb of a yes-no question, an ordinal, the event of a
 * deadline said with a complement of direction (synthetic documents; 癸县 does not exist).
 */
const on = assistantOn({
  '癸县技能培训通知.txt': [
    '关于举办癸县农村党员实用技能培训班的通知（虚构）',
    '',
    '一、培训结束后进行实操考核，考核合格的颁发结业证书。',
    '三、培训时间：2027年3月8日至3月12日，3月7日下午14:00至18:00报到。培训地点：癸县职业技术教育中心（东坪镇茶园路16号）。',
    '四、各乡镇要严格把关培训班学员，培训期间实行封闭管理。联系人：县委组织部组织科 方晓，电话：0000-1234567。',
    '附件：1. 癸县农村党员实用技能培训名额分配表',
    '二、各乡镇党委于12月15日前将参训人员名单报县委组织部组织科。',
  ].join('\n'),
  '癸县领导小组会议纪要.txt': [
    '癸县党员教育工作领导小组会议纪要（虚构）',
    '',
    '会议同意在东坪镇建设全县第二个党员教育实训基地，2027年6月底前投入使用。',
  ].join('\n'),
  '癸县党员信息核查通知.txt': [
    '关于开展癸县流动党员信息核查工作的通知（虚构）',
    '',
    '县委组织部决定于2026年11月下旬至2027年1月31日，在全县开展流动党员信息核查。',
  ].join('\n'),
  '癸县星级评定细则.txt': [
    '癸县村党组织星级评定细则（虚构）',
    '',
    '一、评定方式。按照一星至五星五个等次，每年开展一次星级评定，评定结果与绩效报酬直接挂钩，五星级书记绩效报酬上浮20%。',
    '五、等次确定。得分95分以上的为五星，85分至94分的为四星，75分至84分的为三星。',
    '六、结果运用。评为五星的党组织，党组织书记当年绩效报酬上浮10%。',
  ].join('\n'),
  '癸县党员先锋岗管理办法.txt': [
    '癸县“党员先锋岗”管理办法（虚构）',
    '',
    '第八条 先锋岗负责人受到党纪处分、岗位连续6个月无实际活动的，撤销命名。',
  ].join('\n'),
});

describe('the evidence must hold what the question asks, not only its nouns', () => {
  it('refuses a yes-no question whose verb (补考) no document uses, though its nouns (培训, 考核) are there', async () => {
    const a = await on.assistant.ask('技能培训结业考核没过能补考吗');
    expect(a.grounded).toBe(false);
  });

  it('answers a yes-no question whose verb the document uses (颁发结业证书)', async () => {
    const a = await on.assistant.ask('技能培训考核合格了能颁发结业证书吗');
    expect(a.grounded).toBe(true);
  });

  it('refuses 第一个 when the documents only speak of the 第二个', async () => {
    const a = await on.assistant.ask('县里第一个党员教育实训基地在哪个镇');
    expect(a.grounded).toBe(false);
    expect(a.answer).not.toContain('东坪镇');
  });

  it('dates a deadline asked with a complement of direction (报上去) by the sentence that says 报', async () => {
    const a = await on.assistant.ask('培训班的参训人员名单几号前要报上去');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('12月15日');
  });

  it('answers 什么情况下会被摘牌 from the article that says 撤销命名 (the glossary’s official word)', async () => {
    const a = await on.assistant.ask('先锋岗什么情况下会被摘牌');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('6个月');
  });

  it('finds 报到 for 几点报到, which jieba cuts 几点|报|到 in a short question', async () => {
    const a = await on.assistant.ask('几点报到');
    expect(a.answer).toContain('14:00');
  });

  it('answers 在哪儿办 with the sentence that states the place (培训地点：…), not a line that shares more words', async () => {
    const a = await on.assistant.ask('技能培训班在哪儿办');
    expect(a.answer).toContain('职业技术教育中心');
  });

  it('reads 五星要多少分 as the threshold of the grade (95分以上的为五星), not an amount near it', async () => {
    const a = await on.assistant.ask('星级评定五星要多少分');
    expect(a.answer).toContain('95分以上');
  });

  it('answers 培训班的事找谁问 with the 联系人 line (事 names no topic; a who-question wants a person in charge)', async () => {
    const a = await on.assistant.ask('培训班的事找谁问');
    expect(a.grounded).toBe(true);
    // (quoted first, before sentences that only share the question's words)
    expect(a.answer.split('\n')[1]).toContain('方晓');
  });

  it('dates 什么时候结束 by the span of the work the question names (…至2027年1月31日), though no sentence says 结束', async () => {
    const a = await on.assistant.ask('流动党员信息核查什么时候结束');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('1月31日');
  });
});

/** A deadline asked of an event (入党时间得在哪天以前) among many dated passages about the same 纪念章. */
const medal = assistantOn({
  '辛县纪念章通知.txt': [
    '关于做好“光荣在党50年”纪念章颁发工作的通知（虚构）',
    '',
    '一、颁发对象',
    '（一）颁发对象为截至2027年6月30日党龄达到50周年的党员，即1977年6月30日以前（含当日）入党的党员。',
    '二、名单核实',
    '（一）各党支部逐人核实党员入党时间、转正时间，填写《“光荣在党50年”纪念章颁发对象审核表》。',
    '三、时间安排',
    '（一）2027年4月30日前，各乡镇党委完成“光荣在党50年”纪念章颁发名单核实。',
    '（二）2027年5月31日前，县委组织部统一审核并向各单位下发“光荣在党50年”纪念章。',
    '（三）2027年7月1日前，各单位完成“光荣在党50年”纪念章颁发，并于7月10日前报送颁发情况。',
    '附件：1.“光荣在党50年”纪念章颁发对象审核表；2.2027年“光荣在党50年”纪念章颁发对象统计表',
  ].join('\n'),
});

describe('a date asked of an event', () => {
  it('answers 入党时间得在哪天以前 from a passage under the document’s title, which quotes the name asked (“光荣在党50年”), not only from passages quoting it again', async () => {
    const a = await medal.assistant.ask('今年领“光荣在党50年”纪念章，入党时间得在哪天以前');
    expect(a.answer).toContain('1977年6月30日');
  });
});
