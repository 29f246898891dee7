import { describe, expect, it } from 'vitest';
import { findFigures, matchFigure } from '../../src/answer/figures.js';
import { introducedItems } from '../../src/answer/items.js';
import { readFigureAsk } from '../../src/answer/query.js';
import { assistantOn } from './support.js';

/**
 * Question shapes of chat (two questions in one message, a 呢 piece, a total, a row named by two cells, a list after a
 * colon) on small synthetic documents, one rule per test. Every document is fictional (辛县 does not exist).
 */
const on = assistantOn({
  '辛县三会一课规定.txt': [
    '辛县党支部“三会一课”工作规定（虚构）',
    '',
    '第一条 支部党员大会一般每季度召开1次。',
    '第二条 党支部委员会会议一般每月召开1次，根据需要可以随时召开。会议须有半数以上委员到会方可进行，讨论决定发展党员等重要事项时，应有三分之二以上委员到会。',
    '第三条 流动党员较多的党支部，可以通过视频会议组织“三会一课”，但每年至少参加1次线下组织生活。',
    '第四条 乡镇党委每半年对所属党支部“三会一课”落实情况抽查1次，抽查比例不低于所属党支部总数的30%。',
    '第五条 本规定自2027年1月1日起施行。',
  ].join('\n'),
  '辛县党员管理细则.txt': [
    '辛县党员教育管理细则（虚构）',
    '',
    '第一条 党员每年集中学习培训时间一般不少于32学时。党支部书记、党组织班子成员每年集中学习培训时间不少于56学时。',
    '第二条 对与党组织失去联系6个月以上、查找仍没有取得联系的党员，予以停止党籍。停止党籍2年后确实无法取得联系的，按照除名处理。',
  ].join('\n'),
  '辛县冬训通知.md': [
    '# 关于开展辛县党员冬训的通知（虚构）',
    '',
    '## 附件1 各乡镇党员冬训安排表',
    '',
    '| 乡镇 | 参训党员数（名） | 培训班次（期） |',
    '|---|---|---|',
    '| 东湾镇 | 1260 | 6 |',
    '| 西荡乡 | 840 | 4 |',
    '| 合计 | 2100 | 10 |',
  ].join('\n'),
  '辛县发展党员总结.md': [
    '# 辛县2025年发展党员工作总结（虚构）',
    '',
    '## 表1 各乡镇发展党员情况',
    '',
    '| 乡镇 | 入党申请人（名） | 发展党员（名） |',
    '|---|---|---|',
    '| 北坪镇 | 68 | 18 |',
    '| 南溪乡 | 40 | 11 |',
    '| 合计 | 108 | 29 |',
  ].join('\n'),
  '辛县两新组织情况.md': [
    '# 辛县“两新”组织党建工作情况报告（虚构）',
    '',
    '## 一、基本情况',
    '',
    '表1 辛县各领域“两新”组织党建工作情况',
    '',
    '| 领域 | 组织数（家） | 已建党组织数（个） | 党员数（名） |',
    '|---|---|---|---|',
    '| 非公有制企业 | 198 | 121 | 962 |',
    '| 社会组织 | 87 | 38 | 214 |',
    '| 快递物流企业 | 23 | 13 | 155 |',
    '| 合计 | 308 | 172 | 1331 |',
  ].join('\n'),
  '辛县换届通知.txt': [
    '关于做好辛县村“两委”换届工作的通知（虚构）',
    '',
    '换届后，村“两委”班子中女性成员比例不低于22%。村党组织书记、村委会主任“一肩挑”比例保持在95%以上。',
  ].join('\n'),
  '辛州组工简报.txt': [
    '辛州组工简报（虚构）',
    '',
    '以村级换届为契机，推动实现村“两委”干部队伍学历较上届提升11%，“一肩挑”比例达94.3%。',
  ].join('\n'),
  '辛县机关党建要点.txt': [
    '辛县2027年机关党建工作要点（虚构）',
    '',
    '（1）开展“五星支部”创建，到2027年底县直机关“五星支部”占比达到30%以上。',
  ].join('\n'),
  '辛县人才工作简报.txt': [
    '辛县人才工作简报（虚构）',
    '',
    '在产业园设立研发基地，培育高新技术企业11家，获省级科研成果66项。整合县乡两级党校教师、讲师团等270名优秀师资，组建复合型师资队伍。',
  ].join('\n'),
  '辛县代办员一览表.md': [
    '# 辛县村级代办员一览表（虚构）',
    '',
    '| 序号 | 乡镇 | 村 | 代办员 | 联系电话 | 主要代办事项 |',
    '|---|---|---|---|---|---|',
    '| 1 | 东湾镇 | 蒲塘村 | 柯晓 | 0000-7100101 | 社保缴费 |',
    '| 2 | 西荡乡 | 菱角村 | 阮禾 | 0000-7100203 | 低保申请 |',
    '| 3 | 西荡乡 | 芦洲村 | 郁泽 | 0000-7100304 | 户籍业务 |',
  ].join('\n'),
  '辛县考评细则.md': [
    '# 辛县机关党支部考评细则（虚构）',
    '',
    '## 一、评分标准',
    '',
    '| 考评项目 | 分值 | 主要内容 | 评分标准 |',
    '|---|---|---|---|',
    '| 组织设置 | 10 | 按期换届 | 未按期换届扣5分 |',
    '| 组织生活 | 25 | 落实“三会一课” | 每月召开支委会，缺1次扣2分，扣完为止 |',
    '| 党员管理 | 20 | 党员教育 | 党费未按月收缴扣2分 |',
    '',
    '## 二、等次评定',
    '',
    '考评得分90分以上为“示范党支部”，75分至89分为“达标党支部”。',
  ].join('\n'),
  '辛县代办员公示.txt': [
    '辛县村级“红色代办员”服务公示（虚构）',
    '',
    '为方便群众办事，县委组织部在全县38个行政村推行“红色代办员”制度。代办员原则上由40周岁以下的党员担任，每村配备1至2名。',
  ].join('\n'),
  '辛县冬训工作通知.md': [
    '# 关于开展辛县党员冬训工作的通知（虚构）',
    '',
    '## 一、工作要求',
    '',
    '（一）严格考勤。党员缺课超过8学时的，须参加补训。',
    '',
    '（二）报送材料。各乡镇于2027年2月25日前将冬训工作总结和附件2所列材料报县委组织部。',
    '',
    '附件：',
    '',
    '1. 各乡镇冬训集中培训安排表',
    '2. 冬训报送材料清单',
    '',
    '## 附件1 各乡镇冬训集中培训安排表',
    '',
    '| 乡镇 | 培训地点 |',
    '|---|---|',
    '| 东湾镇 | 东湾镇党群服务中心 |',
    '',
    '## 附件2 冬训报送材料清单',
    '',
    '1. 乡镇冬训工作总结；',
    '2. 集中培训签到表复印件；',
    '3. 考学测试成绩汇总表。',
  ].join('\n'),
  '辛县双报到通报.txt': [
    '关于辛县“双报到”工作情况的通报（虚构）',
    '',
    '辛组通〔2026〕63号',
    '',
    '一、主要做法',
    '一是建立“双向清单”。二是推行“积分反馈”。三是开展“楼栋认领”。',
    '二、下步要求',
    '各机关党组织每季度到社区开展活动不少于1次。',
    '附：2026年度“双报到”工作先进单位（3个）：县财政局机关党支部、县人民医院党委、县税务局党委。',
    '',
    '中共辛县县委组织部',
    '2026年12月5日',
  ].join('\n'),
});

describe('questions as secretaries type them in chat', () => {
  it('answers two questions in one message, split at the inner question mark, with a context piece before them (照…规定，…？…)', async () => {
    const a = await on.assistant.ask('照县里三会一课规定，支委会多久开一次？要是讨论发展党员得多少委员在场');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('每月召开1次');
    // a fraction is a figure: the quorum for 发展党员
    expect(a.answer).toContain('三分之二');
    expect(a.answer).not.toContain('线下组织生活');
  });

  it('reads two questions separated by a space (多长时间抽查一回 抽多少比例) and answers the share from the same article', async () => {
    const a = await on.assistant.ask('乡镇多长时间抽查一回三会一课 抽多少比例');
    expect(a.answer).toContain('每半年');
    expect(a.answer).toContain('30%');
  });

  it('finds the date a rule takes effect when asked 哪天开始执行 (the text says 起施行)', async () => {
    const a = await on.assistant.ask('三会一课规定哪天开始执行');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('2027年1月1日');
  });

  it('answers a 呢 piece about another subject (…要多少学时？支部书记呢？) from the sentence about that subject, and the first piece from the other', async () => {
    const a = await on.assistant.ask('党员每年集中学习培训要多少学时？支部书记呢？');
    const [first, second] = a.answer.split('\n');
    expect(first).toContain('32学时');
    expect(second).toContain('56学时');
  });

  it('answers two questions about two events of one article each from its own sentence (停止党籍 / 除名)', async () => {
    const a = await on.assistant.ask('党员失联多久会被停止党籍？停止党籍以后多久按除名处理？');
    const [first, second] = a.answer.split('\n');
    expect(first).toContain('6个月');
    expect(second).toContain('2年');
  });

  it('reads a total asked of a table (加起来多少人) from its 合计 row', async () => {
    const a = await on.assistant.ask('全县参加冬训的党员加起来多少人');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('2100');
  });

  it('reads a total from the 合计 row even when that row is not among the passages retrieved first (入党申请人加起来)', async () => {
    const a = await on.assistant.ask('全县入党申请人加起来一共多少人');
    expect(a.answer).toContain('108');
  });

  it('reads a total of a kind the caption names (两新组织一共有多少家 ← 组织数（家） of the 合计 row)', async () => {
    const a = await on.assistant.ask('辛县两新组织一共有多少家');
    expect(a.answer).toContain('308');
  });

  it('names a row by a short form of its cell (非公企业 for 非公有制企业)', async () => {
    const a = await on.assistant.ask('非公企业有多少个党组织？');
    expect(a.answer).toContain('121');
  });

  it('does not answer a total of all 党员 with the 合计 of a 发展党员 column', async () => {
    const a = await on.assistant.ask('辛县一共有多少名党员？');
    expect(a.answer).not.toContain('29');
  });

  it('reads the row a question names by two cells (乡镇 and 村) and answers its person and phone number', async () => {
    const a = await on.assistant.ask('西荡乡菱角村帮群众跑腿办事的那个党员叫啥，电话多少');
    expect(a.answer).toContain('阮禾');
    expect(a.answer).toContain('0000-7100203');
    expect(a.answer).not.toContain('840');
  });

  it('reads 多少分 from the column headed 分值 of the row named', async () => {
    const a = await on.assistant.ask('机关支部考评里组织生活这一块占多少分');
    expect(a.answer).toContain('25');
  });

  it('reads 考多少分才能评上 as a threshold (才能 is no counted noun) and quotes the score', async () => {
    const a = await on.assistant.ask('考多少分才能评上示范党支部');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('90分以上');
  });

  it('lists the units a 通报 names after their count and a colon (先进单位是哪几家)', async () => {
    const a = await on.assistant.ask('双报到先进单位是哪几家');
    for (const unit of ['县财政局机关党支部', '县人民医院党委', '县税务局党委']) expect(a.answer).toContain(unit);
    expect(a.answer).not.toContain('双向清单');
  });
});

describe('more chat shapes (facts of a document, a threshold, 个 of people, an annex index, a summary by a short name)', () => {
  it('answers two facts of a document asked in one message (啥时候发的，文号是多少), the date as Chinese documents write it', async () => {
    const a = await on.assistant.ask('双报到那个通报啥时候发的，文号是多少');
    expect(a.answer).toContain('2026年12月5日');
    expect(a.answer).toContain('63号');
  });

  it('reads a threshold asked with neither measure word nor noun (缺多少就得补训) from a condition in any measure (超过8学时的)', async () => {
    const a = await on.assistant.ask('冬训缺课缺多少就得补训');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('8学时');
  });

  it('answers 年纪 from 周岁 and 一个村配几个 from the people each village gets (每村配备1至2名), not the villages counted', async () => {
    const a = await on.assistant.ask('红色代办员对年纪有啥要求，一个村配几个');
    const [, second] = a.answer.split('\n');
    expect(a.answer).toContain('40周岁');
    expect(second).toContain('1至2名');
  });

  it('lists the materials of the annex an 附件 list names, not the annex titles', async () => {
    const a = await on.assistant.ask('冬训完了要交哪些材料');
    expect(a.answer).toContain('签到表复印件');
    expect(a.answer).not.toContain('安排表');
  });

  it('drafts the summary of the document a request names by a short name and 那个 (三会一课那个规定)', async () => {
    const s = await on.assistant.ask('帮我总结下三会一课那个规定');
    expect(s.answer).toContain('工作规定');
    expect(s.answer).not.toContain('党员教育管理细则');
  });

  it('reads “…那篇讲了些啥，简单说说” as a summary request, not a question', async () => {
    const s = await on.assistant.ask('三会一课那个规定讲了些啥，简单说说');
    expect(s.answer).toContain('工作规定');
    expect(s.answer).not.toContain('资料中未找到与该问题相关的内容');
  });
});

describe('parts asked of one context', () => {
  it('reads 女的 as 女性 and answers a 呢 part from the document of the part before (95%, not the 94.3% of another report)', async () => {
    const a = await on.assistant.ask('换届以后两委里女的比例不能低于多少，一肩挑比例呢');
    const [first, second] = a.answer.split('\n');
    expect(first).toContain('22%');
    expect(second).toContain('95%');
  });

  it('answers a second part inside a cell of words when its column was asked already (满分几分？缺一次扣几分？)', async () => {
    const a = await on.assistant.ask('考评细则里组织生活那项满分几分？缺一次扣几分？');
    expect(a.answer).toContain('25');
    expect(a.answer).toContain('缺1次扣2分');
  });

  it('reads a share of a quoted name after a point of time (到2027年底县直机关五星支部占比)', async () => {
    const a = await on.assistant.ask('到2027年底县直机关五星支部占比要达到多少？');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('30%');
  });
});

describe('a counted thing named in other words', () => {
  it('reads a noun made of colloquial words that all mean one official word (讲课+老师 → 师资)', async () => {
    const a = await on.assistant.ask('讲课老师有多少名？');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('270名');
  });
});

describe('figure reading rules', () => {
  it('does not read a measure word from the first character of a word (多少本地讲师 counts 讲师, not 本)', () => {
    const f = readFigureAsk('师资库收了多少本地讲师');
    expect(f?.unit).toBeUndefined();
    expect(f?.noun).toBe('本地讲师');
    // (a measure word that opens a noun of its own stays one: 几个人, 多少名党员)
    expect(readFigureAsk('多少名党员')?.unit).toBe('名');
  });

  it('reads the noun after a place word made a modifier by 的 (几个县里的党校 counts 党校; 几个乡镇的党委书记 still counts 乡镇)', () => {
    expect(readFigureAsk('海西州有几个县里的党校？')?.noun).toBe('党校');
    expect(readFigureAsk('几个乡镇的党委书记参加了')?.noun).toBe('乡镇');
  });

  it('reads a noun closed by 总数 as a total of the noun (党员总数多少名 asks the total of 党员)', () => {
    expect(readFigureAsk('两新组织党员总数多少名')).toMatchObject({ noun: '党员', total: true });
  });

  it('counts the thing a list of kinds becomes (吸纳71名教授、干部等入选本土讲师)', () => {
    const m = matchFigure('吸纳71名党校教授、领导干部、专家学者等入选本土讲师，推动师资建设。', { cls: 'count', noun: '本土讲师', head: '讲师', anyClass: true });
    expect(m.strength).toBe(2);
    expect(m.figure?.text).toBe('71名');
  });

  it('reads a fraction as a share of the noun after its bound, and a share closing a clause of 的 as a condition', () => {
    const [quorum] = findFigures('应有三分之二以上委员到会。');
    expect(quorum).toMatchObject({ text: '三分之二', cls: 'percent', counted: '委员', bound: true, condition: false });
    const [rule] = findFigures('“优秀”票未超过半数的，不得评为优秀。');
    expect(rule).toMatchObject({ text: '半数', condition: true });
  });

  it('reads the items a text introduces with their noun, count and colon, but not a numbered list after the colon', () => {
    expect(introducedItems('附：先进单位（2个）：县财政局、县税务局。', '单位')).toEqual({ intro: '附：先进单位（2个）：', items: ['县财政局', '县税务局'] });
    expect(introducedItems('流动党员应当履行下列义务：（一）报告思想、工作情况；（二）交纳党费。', '义务')).toBeUndefined();
  });
});
