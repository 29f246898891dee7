import { describe, expect, it } from 'vitest';
import { findFigures, matchFigure } from '../../src/answer/figures.js';
import { readFigureAsk, understand } from '../../src/answer/query.js';
import { standardInterrogatives } from '../../src/answer/wording.js';
import { Lexicon } from '../../src/ingest/lexicon.js';
import { Glossary } from '../../src/retrieval/glossary.js';

/** What a figure counts, on synthetic sentences (one rule per test). */
const counted = (text: string) => findFigures(text).map((f) => `${f.text}:${f.counted}`);

describe('reading what a figure counts', () => {
  it('does not take a verb phrase after a figure as its noun (12个村|设立党员中心户), nor inherit it across a noun', () => {
    // (个 counts 村; 个村 is no measure word)
    expect(counted('某镇在全镇12个村设立党员中心户86户。')).toEqual(['12个:村', '86户:党员中心户']);
  });

  it('keeps a noun closed by a one-character measure word (党员中心户) and answers 多少户党员中心户 from it', () => {
    const ask = readFigureAsk('某镇设立了多少户党员中心户？')!;
    expect(matchFigure('某镇在全镇12个村设立党员中心户86户。', ask).figure?.text).toBe('86户');
  });

  it('counts the members of a body of people (红色代办员队伍46人 answers 红色代办员有多少人)', () => {
    expect(counted('某乡组建红色代办员队伍46人。')).toEqual(['46人:红色代办员队伍']);
    expect(matchFigure('某乡组建红色代办员队伍46人。', readFigureAsk('红色代办员有多少人？')!).strength).toBe(2);
    // a body counted in its own measure word is not its members
    expect(matchFigure('某乡组建代办员队伍3支。', readFigureAsk('红色代办员有多少人？')!).strength).toBe(0);
  });

  it('cuts a township the lexicon does not know off the counted noun (西林乡红色代办员 → 红色代办员)', () => {
    const ctx = { lexicon: Lexicon.load('data'), glossary: Glossary.load('data'), documents: [] };
    expect(understand('西林乡红色代办员有多少人？', ctx).figure?.noun).toBe('红色代办员');
  });

  it('reads a Chinese-numeral duration where a rule text states one (一个月内, 为一年。, 一年以上), not inside a phrase (一年来, 三年行动)', () => {
    const times = (text: string) => findFigures(text).filter((f) => f.cls === 'time').map((f) => f.text);
    expect(times('党组织收到入党申请书后，应当在一个月内派人谈话。')).toEqual(['一个月']);
    expect(times('预备党员的预备期为一年。')).toEqual(['一年']);
    expect(times('一般要经过一年以上的培养教育。')).toEqual(['一年']);
    expect(times('应当在三个工作日内办结。')).toEqual(['三个工作日']);
    expect(times('一年来，全县实施三年行动计划，一年一度开展评比。')).toEqual([]);
    // a question asking how long is answered by it
    expect(matchFigure('党组织收到入党申请书后，应当在一个月内派人同入党申请人谈话。', readFigureAsk('多长时间内要找申请人谈话？')!).figure?.text).toBe('一个月');
  });

  it('counts a name the sentence spells in full and then shortens (推行“党员中心户”……选出中心户46户), but not 党员 for 流动党员', () => {
    const s = '某镇推行“党员中心户”工作法，从农村党员中选出中心户46户，共联系群众830户。';
    expect(matchFigure(s, readFigureAsk('某镇一共选了多少户党员中心户？')!).figure?.text).toBe('46户');
    expect(matchFigure('某县加强流动党员管理，全县共有党员3000名。', readFigureAsk('某县一共有多少名流动党员？')!).strength).toBe(0);
  });

  it('answers a total whose modifier the question states itself (一共新发展了多少党员 ← 全县新发展党员200名), not one it does not (女性党员)', () => {
    const s = '会议指出，2026年全县新发展党员200名，其中女性党员60名。';
    expect(matchFigure(s, readFigureAsk('全县去年一共新发展了多少党员')!).figure?.text).toBe('200名');
    expect(matchFigure('2026年全县女性党员60名。', readFigureAsk('全县一共有多少名党员？')!).strength).toBe(0);
  });

  it('reads past a comparison to the noun a change counts (学历较上届提升11%), and reads the question the same way (学历比上届提高了多少)', () => {
    const s = '推动实现村“两委”干部队伍学历较上届提升11%，“一肩挑”比例达94.3%。';
    expect(counted(s)[0]).toBe('11%:村两委干部队伍学历');
    const ask = readFigureAsk('村两委干部队伍学历比上届提高了多少？')!;
    expect(ask.noun).toBe('村两委干部队伍学历');
    expect(matchFigure(s, ask).figure?.text).toBe('11%');
  });

  it('takes 里面 as one word before the counted noun (分红里面脱贫户有多少户 asks about 脱贫户)', () => {
    expect(readFigureAsk('景点分红里面脱贫户有多少户')?.noun).toMatch(/^脱贫/);
    expect(matchFigure('景点收益由群众分红，涉及1504户，包括脱贫户269户901人。', readFigureAsk('景点分红里面脱贫户有多少户')!).figure?.text).toBe('269户');
  });

  it('reads 多久要整改完 as a time limit (限期1个月整改), not a rule’s condition (一年以上的培养)', () => {
    const ask = readFigureAsk('查出问题多久要整改完？')!;
    expect(ask.threshold).toBeUndefined();
    expect(readFigureAsk('外出多久要转组织关系？')?.threshold).toBe(true);
    expect(matchFigure('发现问题的限期1个月整改。', ask).strength).toBe(2);
  });

  it('ends the counted noun at a verb before 了 whatever jieba tags it (多少大学生|当上了村支书 counts 大学生)', () => {
    expect(readFigureAsk('有多少大学生当上了村支书')?.noun).toBe('大学生');
  });

  it('counts two nouns joined by 和 as one phrase (几个人才超市和专家工作室 ← “人才超市”和专家工作室8个)', () => {
    const ask = readFigureAsk('建了几个人才超市和专家工作室')!;
    expect(ask.noun).toBe('人才超市和专家工作室');
    expect(matchFigure('建立“人才超市”和专家工作室8个，培育小微企业3家。', ask).figure?.text).toBe('8个');
  });

  it('takes the verb of giving before 多少 as what the amount follows (一年资助多少 ← 每人每年资助3000元, not 慰问金2000元)', () => {
    const ask = readFigureAsk('党员的子女上大学一年资助多少')!;
    expect(ask.noun).toBe('资助');
    expect(matchFigure('慰问金每户2000元；其子女接受高等教育期间，每人每年资助3000元。', ask).figure?.text).toBe('3000元');
  });

  it('reads 给多少 after a named sum of money (有没有慰问金，给多少) as the amount of that money, not a count', () => {
    const ask = readFigureAsk('家里困难的老党员有没有慰问金，给多少')!;
    expect(ask).toMatchObject({ cls: 'money', noun: '慰问金' });
    const text = '颁发时要同步开展一次走访慰问。县委组织部对生活困难的党员每人发放慰问金500元。';
    expect(matchFigure('颁发时要同步开展一次走访慰问。', ask).strength).toBe(0);
    expect(matchFigure(text, ask).figure?.text).toBe('500元');
  });

  it('leaves an adverb of the amount (满意度平均为91.3%) out of what the figure counts', () => {
    expect(counted('整顿村党员群众满意度平均为91.3%。')).toEqual(['91.3%:村党员群众满意度']);
    // and the time of the amount before a change (由去年的76%) stands between the noun and its figure
    expect(counted('全镇党员的平均出勤率由去年的76%提高到93%。')[0]).toBe('76%:平均出勤率');
    expect(matchFigure('整顿村党员群众满意度平均为91.3%。', readFigureAsk('群众满意度是多少')!).strength).toBe(2);
  });

  it('reads 由几个人组成 as the members of the body named before it (选举委员会), not any number of people', () => {
    const ask = readFigureAsk('每个村的选举委员会由几个人组成？')!;
    expect(ask.noun).toBe('选举委员会');
    expect(matchFigure('每个村“两委”班子中至少有1名35周岁以下的年轻成员。', ask).strength).toBeLessThan(2);
    expect(matchFigure('村民选举委员会由5至7人组成。', ask).strength).toBe(2);
  });

  it('reads 好几万 and 十几个 as amounts, not as questions (掏了好几万，能救助多少 asks one thing)', () => {
    const ask = readFigureAsk(standardInterrogatives('自己掏了好几万，能救助多少'))!;
    expect(ask.unit).toBeUndefined();
    expect(ask.noun).toBe('救助');
    expect(standardInterrogatives('来了十几个人')).toBe('来了十多个人');
  });

  it('reads the share of a noun before 比例 (大专及以上学历的比例达到多少) as a percentage of that noun, not a count of it', () => {
    const ask = readFigureAsk('村党组织书记中大专及以上学历的比例达到多少？')!;
    expect(ask).toMatchObject({ unit: '%', noun: '大专及以上学历' });
    expect(matchFigure('全县村党组织书记中，大专及以上学历的比例达到60%以上。', ask).strength).toBe(2);
    expect(matchFigure('具有大专及以上学历的38名，占55.1%。', ask).strength).toBeLessThan(2);
  });
});

describe('a place opening the counted noun', () => {
  it('reads 海西州新业态企业一共有多少家 as counting 新业态企业 in 海西州, answered by a sentence of 全州 that counts them', () => {
    const ask = readFigureAsk('海西州新业态企业一共有多少家')!;
    expect(ask.noun).toBe('新业态企业');
    expect(matchFigure('目前，全州共有物流运输、快递外卖、互联网等新业态企业129家，从业人员2100余人。', ask).strength).toBe(2);
  });
});
