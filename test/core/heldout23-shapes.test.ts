import { describe, expect, it } from 'vitest';
import { readQuestion } from '../../src/answer/ask.js';
import { readExtreme } from '../../src/answer/query.js';
import { draftTopic } from '../../src/answer/summarize.js';
import { assistantOn } from './support.js';

/**
 * Question shapes from heldout-23's failures (retired to tuning in the seventeenth round), on a synthetic 办法, 通知,
 * 通报, 简报 and 实施方案 of 申川县 (which does not exist): a count asked after a verb and its aspect particle (建了多少套);
 * a document kind named as a thing to file (体检的工作总结); a case asked how it is dealt with; the cases a rule lists as
 * 情形 asked as 情况; the items checked asked by 哪几项; a table row named by most of a cell and a column named by the
 * glossary's word; a whole asked how it is divided; a set whose items a colon opens; a change and its two sides; the
 * duties of someone the question names; and questions the documents do not answer: an e-mail address, the largest of
 * things never ranked, and a county's total where only one community's figure is given.
 */
const on = assistantOn({
  'pingyi-banfa.txt': [
    '申川县民主评议党员工作办法（本文件为虚构示例：申川县是不存在的县，仅用于测试）',
    '',
    '第一章 总则',
    '第四条 民主评议党员一般每年开展一次，原则上在每年1月至3月完成。',
    '第二章 评定等次',
    '第十条 民主评议党员的评定结果分为优秀、合格、基本合格、不合格四个等次。',
    '第十一条 民主评议党员情况应当如实记录，评定为不合格的党员名单报乡镇党委备案。',
    '第十二条 党员有下列情形之一的，应当评定为不合格：（一）理想信念动摇的；（二）无正当理由连续3个月不参加党的组织生活的；（三）无正当理由连续3个月不交纳党费的。',
    '第十三条 民主评议党员结果作为评先评优的依据，评定为不合格的党员当年不得评先评优。',
    '第十四条 民主评议党员工作开展情况纳入党组织书记述职评议考核内容，评议走过场的，评议结果不合格的党员名单重新审核。',
    '第三章 结果运用',
    '第十五条 对评定为不合格的党员，党支部应当区别情况，进行限期改正、劝其退党或者除名。限期改正的期限一般为6个月至1年。',
  ].join('\n'),
  'pingyi-banfa.meta.yaml': ['title: 申川县民主评议党员工作办法', 'place: 申川县', 'date: "2032-10-08"'].join('\n'),
  'pingyi-tongzhi.txt': [
    '关于做好2032年度民主评议党员工作的通知（虚构）',
    '',
    '各党支部于12月31日前完成年度民主评议党员工作，评议结果分为优秀、合格、基本合格、不合格四个等次。',
    '接下来，各乡镇党委要抓好督导。',
    '县委组织部负责全县流动党员管理工作的统筹指导，主要履行下列职责：（一）制定流动党员管理的制度规定；（二）指导各乡镇党委建立流动党员党组织；（三）对流动党员管理工作进行督促检查。',
  ].join('\n'),
  'tijian-tongzhi.md': [
    '# 关于开展2033年度党员“政治体检”工作的通知（虚构）',
    '',
    '## 一、体检项目',
    '',
    '### （一）政治“血压”',
    '',
    '检查理想信念、政治立场方面有无“偏高偏低”。',
    '',
    '### （二）作风“血脂”',
    '',
    '检查有无形式主义、官僚主义问题。',
    '',
    '### （三）纪律“心电图”',
    '',
    '检查遵守组织纪律、廉洁纪律情况。',
    '',
    '### （四）作用“体能”',
    '',
    '检查岗位作用、志愿服务情况。',
    '',
    '## 二、工作要求',
    '',
    '各基层党委于2033年5月15日前将体检工作总结和《政治体检情况统计表》报县委组织部组织科，电子版发送至指定邮箱。',
    '',
    '附件：1. 党员“政治体检”项目及评分标准 2. 党员政治体检表（样式略）',
    '',
    '## 附件1 党员“政治体检”项目及评分标准',
    '',
    '| 体检项目 | 主要检查内容 | 满分 | 评分方式 |',
    '| --- | --- | --- | --- |',
    '| 政治“血压” | 理想信念、政治立场 | 30分 | 支部委员会评分 |',
    '| 作风“血脂” | 形式主义、官僚主义 | 25分 | 党员互评 |',
    '| 纪律“心电图” | 组织、廉洁、群众、工作纪律 | 25分 | 支部委员会评分 |',
    '| 作用“体能” | 岗位作用、志愿服务、联系群众 | 20分 | 群众代表评分 |',
  ].join('\n'),
  'fazhan-zongjie.txt': [
    '申川县2025年度发展党员工作总结（虚构）',
    '',
    '一、下一步工作打算。年底前实现发展党员纪实档案电子化全覆盖，组织党支部书记专题培训1期。',
  ].join('\n'),
  'fazhan-zongjie.meta.yaml': ['title: 申川县2025年度发展党员工作总结', 'place: 申川县', 'date: "2026-01-10"'].join('\n'),
  'hongheibang-tongbao.txt': [
    '申川县基层党建工作“红黑榜”情况通报（虚构）',
    '',
    '一、评价情况。评价满分100分，其中组织建设35分、党员管理25分、服务群众25分、工作创新15分。',
    '二、典型做法。石桥社区推行党员“责任区”管理，将辖区划分为12个责任区，实现党员服务全覆盖。枫林村党组织评价得分位列全县第一。',
  ].join('\n'),
  'xiaowei-jianbao.txt': [
    '申川县溪口镇推行村级小微项目“阳光公示”（虚构）',
    '',
    '一、明确范围。投资额在50万元以下的村级基础设施建设、环境整治等项目，均纳入小微项目公示范围。',
    '二、实行“四公示”。小微项目实行“四公示”：立项前公示项目名称和预算资金；招标前公示施工单位选定方式；施工中公示工程进度；验收后公示决算资金和验收结果。',
    '三、取得成效。2032年，全镇共公示小微项目214个，涉及资金2860万元。全镇因村级工程引发的信访件由2031年的23件下降到4件，项目平均结算周期由45天缩短到28天。',
  ].join('\n'),
  'rencai-jianbao.txt': [
    '申川县人才工作简报（虚构）',
    '',
    '县委组织部实施“申川英才”计划，年度人才资金增至1100万元。',
    '建立博士服务工作站，县乡两级打造拎包入住人才公寓670套，人才服务体系持续优化。',
  ].join('\n'),
  'jianfu-jianbao.txt': [
    '申川县精简基层考核简报（虚构）',
    '',
    '清理规范前，县级层面共有考核事项91项，考核指标2254条；清理规范后，县级层面仅有考核事项12项，考核指标214条。',
  ].join('\n'),
  'guapai-jianbao.txt': [
    '申川县规范村级组织挂牌简报（虚构）',
    '',
    '规范村级组织挂牌，村级组织外挂牌子平均由每村14块减少到4块。',
  ].join('\n'),
  'biwu-tongzhi.md': [
    '# 关于举办申川县村党组织书记“擂台比武”的通知（虚构）',
    '',
    '## 一、比武环节',
    '',
    '### （一）晒实绩',
    '',
    '结合图片、视频展示任职以来的具体成效，时间不超过8分钟。',
    '',
    '### （二）讲思路',
    '',
    '围绕本村发展存在的短板，讲清下一步工作打算，时间不超过5分钟。',
  ].join('\n'),
  'dangxiao-banfa.txt': [
    '申川县乡镇党校管理办法（虚构）',
    '',
    '第八条 每所乡镇党校建立不少于15人的兼职教师库。',
    '第九条 兼职教师从以下人员中选聘：（一）乡镇领导班子成员；（二）县委党校教师；（三）优秀村党组织书记和乡土人才。',
    '第十条 兼职教师课酬按照每课时200元的标准发放。',
  ].join('\n'),
  'sanzi-fangan.txt': [
    '申川县村级“三资”规范管理实施方案（虚构）',
    '',
    '一、规范支出审批。村级各项支出实行“村报账员申请、村党组织书记审核、村务监督委员会审查、乡镇农经站审批”的程序。',
    '二、日常监督。村务监督委员会每季度对村级“三资”管理情况检查1次。',
  ].join('\n'),
  'jifen-jianbao.md': [
    '# 海西州社区治理简报（虚构示例：文中社区和数据均为虚构，仅用于测试）',
    '',
    '## “小积分”撬动社区“大治理”',
    '',
    '天峻县新源镇城西社区党群服务中心“积分小超市”里热闹非凡，辖区党员群众和在职党员干部走进积分超市，仔细核对自己通过参加社区环境卫生整治、志愿服务、邻里互助等活动攒下的积分，用积分兑换洗衣液、毛巾、大米等生活用品。社区党支部以城市基层党建引领基层治理为契机，紧盯社区服务“枢纽”作用不突出、群众参与共建共治不积极、驻区单位“驻而不建、联而不合”等难题，充分发挥社区“大党委”的“吹哨人”职能，以“积分制”“点亮微心愿”活动为抓手，推动形成共建共治共享的社区治理格局，让辖区党员群众在参与中增强获得感。',
    '',
    '通讯员 王某',
    '',
    '“参与社区环境卫生整治活动加2分，义务帮助他人、解决困难诉求加3分……”社区党支部书记介绍。',
    '',
    '## 红色驿站',
    '',
    '海西州各地推进红色驿站建设。天峻县新源镇城东社区设立“红色驿站”。驿站由社区党员轮流值守。驿站工作日每天开放8小时。',
    '',
    '## 乌兰县积分兑换',
    '',
    '乌兰县河口社区规定，义务帮助他人加5分。',
  ].join('\n'),
  'jianxi-fangan.md': [
    '# 申川县高校毕业生党员教育管理实施方案（虚构）',
    '',
    '## 任务分解',
    '',
    '| 序号 | 工作任务 | 牵头单位 | 完成时限 |',
    '| --- | --- | --- | --- |',
    '| 1 | 设立毕业生党员服务窗口 | 县人才服务中心党委 | 2032年6月底前 |',
    '| 2 | 摸清毕业生党员底数 | 县委组织部 | 2032年7月底前 |',
    '| 4 | 征集见习岗位120个 | 县人力资源和社会保障局 | 2032年8月底前 |',
  ].join('\n'),
  'guanxi-banfa.txt': [
    '申川县党员组织关系管理办法（虚构）',
    '',
    '第十条 对少交党费的党员，应当督促其补交；对连续6个月不交纳党费又没有正当理由的党员，按照党章规定处理。',
    '第十一条 党员未按规定时间到接收党组织报到的，转出党组织应当主动联系了解情况，督促其在15个工作日内报到。',
  ].join('\n'),
  'zerenqu-fangan.md': [
    '# 申川县农村党员“责任区”划分和管理实施方案（虚构）',
    '',
    '## 一、划分责任区',
    '',
    '以村民小组为基本单元划分责任区，每个责任区确定1名责任党员。',
    '',
    '## 二、明确责任党员职责',
    '',
    '1. 宣传政策。每季度至少开展1次入户宣讲。',
    '',
    '2. 收集民情。及时了解责任区内群众的困难和诉求。',
    '',
    '3. 调解矛盾。参与化解责任区内的邻里纠纷。',
    '',
    '4. 监督环境。督促农户落实“门前三包”。',
  ].join('\n'),
  'zerenqu-fangan.meta.yaml': ['title: 申川县农村党员“责任区”划分和管理实施方案', 'place: 申川县', 'date: "2033-02-20"'].join('\n'),
});

describe('heldout-23 shapes: what a question asks', () => {
  it('answers a count asked after a verb and its aspect particle (人才公寓建了多少套) as its own part of a two-part question', async () => {
    const a = await on.assistant.ask('申川县一年的人才资金有多少？人才公寓建了多少套？');
    expect(a.answer).toContain('1100万元');
    expect(a.answer).toContain('670套');
  });

  it('answers the deadline of a 工作总结 to be filed (体检的工作总结最晚哪天报) from the 通知, not from the one document titled 工作总结', async () => {
    const a = await on.assistant.ask('政治体检的工作总结最晚哪天要报到县委组织部？');
    expect(a.answer).toContain('5月15日');
  });

  it('answers how a case is dealt with (评了不合格，怎么处理) by the rule for that case, beside the sentence that only names it', async () => {
    const a = await on.assistant.ask('支部里有个党员评了不合格，接下来能怎么处理？给他改正的时间一般多长？');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('劝其退党');
    expect(a.answer).toContain('6个月至1年');
  });

  it('answers how a case is dealt with (不按时报到怎么办) by its own rule, not by rules whose case only names 党员', async () => {
    const a = await on.assistant.ask('党员不按时去新的党组织报到怎么办？');
    expect(a.answer).toContain('15个工作日');
    expect(a.answer).not.toContain('党费');
  });

  it('lists the cases a rule lists as 情形 when they are asked as 情况', async () => {
    const a = await on.assistant.ask('民主评议的时候，党员出现哪些情况就得直接评成不合格？');
    expect(a.answer).toContain('组织生活');
    expect(a.answer).toContain('党费');
  });

  it('lists the items checked (都查哪几项) from the section of 项目, not the 附件 list', async () => {
    const a = await on.assistant.ask('今年党员“政治体检”都查哪几项？');
    for (const item of ['血压', '血脂', '心电图', '体能']) expect(a.answer).toContain(item);
    expect(a.answer).not.toContain('体检表');
  });

  it('answers a table row\'s two cells, one asked by the glossary\'s word for its column (谁来打分 → 评分方式)', async () => {
    const a = await on.assistant.ask('政治体检评分表里，作风“血脂”那一项满分几分？是谁来打分？');
    expect(a.answer).toContain('25分');
    expect(a.answer).toContain('党员互评');
  });

  it('names the row held by most of a cell (群众代表来打分 → 群众代表评分), not one that lists 群众 among its items', async () => {
    const a = await on.assistant.ask('政治体检四个项目里，哪一项是让群众代表来打分的？');
    expect(a.answer).toContain('体能');
    expect(a.answer).not.toContain('心电图');
  });

  it('answers how a whole is divided (100分是怎么分配的) by its parts after 其中', async () => {
    const a = await on.assistant.ask('红黑榜评价的100分是怎么分配的？');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('组织建设35分');
  });

  it('lists a set whose items a colon after its name opens (“四公示”：…；…；…；…)', async () => {
    const a = await on.assistant.ask('溪口镇小微项目的“四公示”分别在哪几个环节公示？');
    for (const item of ['立项前', '招标前', '施工中', '验收后']) expect(a.answer).toContain(item);
  });

  it('answers a change (信访少了多少) and both its sides (前后各是多少件) from the sentence stating them', async () => {
    const a = await on.assistant.ask('溪口镇搞了阳光公示以后，村级工程引起的信访少了多少？前后各是多少件？');
    const [first, second] = a.answer.split('②');
    expect(first).toContain('23件');
    expect(second).toContain('23件');
    expect(second).toContain('4件');
  });

  it('lists the duties of the one the question names (责任党员负责哪些事), not another body\'s 下列职责', async () => {
    const a = await on.assistant.ask('责任党员平时主要负责哪些事？');
    for (const item of ['宣传政策', '收集民情', '调解矛盾', '监督环境']) expect(a.answer).toContain(item);
    expect(a.answer).not.toContain('流动党员');
  });
});

describe('tuning sets\' two-part questions: a locative glued to a level (清理前后州一级)', () => {
  it('reads 前后 before a level (前后县一级) as framing, not as an unknown place, and answers both sides', async () => {
    const a = await on.assistant.ask('申川县精简基层考核，清理前后县一级考核事项和考核指标各是多少？');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('91项');
    expect(a.answer).toContain('12项');
  });
});

describe('fresh-17 shapes (a tuning set written this round)', () => {
  it('reads 多少块 of a thing counted by 块 (牌子) as a count, and answers both sides of its change from one sentence', async () => {
    expect(readQuestion('每个村外面挂的牌子平均原来有多少块？', on.assistant).figure).toMatchObject({ unit: '块', cls: 'count', noun: '牌子' });
    expect(readQuestion('补贴一个月多少块？', on.assistant).figure?.unit).toBe('元');
    const a = await on.assistant.ask('申川县规范村级挂牌以后，每个村外面挂的牌子平均从多少块降到了几块？');
    const [first, second] = a.answer.split('②');
    expect(first).toContain('14块');
    expect(second).toContain('4块');
  });

  it('answers each part under its own heading (（一）晒实绩, （二）讲思路) when the sentence itself does not name it', async () => {
    const a = await on.assistant.ask('擂台比武晒实绩这一环节最多给几分钟？那讲思路呢？');
    const [first, second] = a.answer.split('②');
    expect(first).toContain('8分钟');
    expect(second).toContain('5分钟');
  });

  it('lists the people a rule picks from (从以下人员中选聘：) when asked 从哪几类人里面选', async () => {
    expect(readQuestion('可以从哪几类人里面选？', on.assistant).list?.noun).toBe('人员');
    const a = await on.assistant.ask('申川县乡镇党校请兼职老师，可以从哪几类人里面选？');
    expect(a.answer).toContain('县委党校教师');
    expect(a.answer).toContain('乡土人才');
  });

  it('answers the steps asked by their measure word (审批得过哪几道手) from the 程序 a rule sets out', async () => {
    const a = await on.assistant.ask('按申川县三资方案，村里要花一笔钱，审批得过哪几道手？');
    for (const step of ['村报账员申请', '村党组织书记审核', '村务监督委员会审查', '乡镇农经站审批']) expect(a.answer).toContain(step);
  });

  it('keeps the place a passage last named as the scope of its figures (海西州…。天峻县…城东社区…。…。…开放8小时)', async () => {
    const a = await on.assistant.ask('天峻县城东社区的红色驿站工作日每天开放几个小时？');
    expect(a.answer).toContain('8小时');
  });

  it('keeps a place named earlier in a section as the scope of the figures after it (城西社区 … 加3分), not another place\'s', async () => {
    const a = await on.assistant.ask('天峻县城西社区的积分小超市，义务帮别人解决困难能加几分？');
    expect(a.answer).toContain('3分');
    expect(a.answer).not.toContain('5分');
  });
});

describe('fresh-17 shapes: a task table', () => {
  it('names a row by every word of its cell in another order, never by a 序号 inside a number, and reads 几月底前 as a when', async () => {
    const a = await on.assistant.ask('申川县毕业生党员那个方案里，那120个见习岗位由哪个部门牵头去征集？几月底前要弄好？');
    expect(a.answer).toContain('县人力资源和社会保障局');
    expect(a.answer).toContain('8月底前');
    expect(a.answer).not.toContain('县委组织部');
  });

  it('reads 几个小时 as hours asked', () => {
    expect(readQuestion('驿站每天开放几个小时？', on.assistant).figure).toMatchObject({ unit: '小时', cls: 'time' });
  });
});

describe('heldout-23 shapes: what the documents do not say', () => {
  it('refuses an e-mail address asked with 哪个邮箱 where the 通知 only says 指定邮箱', async () => {
    const a = await on.assistant.ask('政治体检材料的电子版具体要发到哪个邮箱？');
    expect(a.grounded).toBe(false);
  });

  it('refuses the largest of things no passage ranks (投资最大的是哪个项目)', async () => {
    const a = await on.assistant.ask('溪口镇2032年公示的小微项目里，投资最大的是哪个项目？');
    expect(a.grounded).toBe(false);
  });

  it('refuses a first place (排第一) where no passage ranks by what is asked, and answers it where one does', async () => {
    expect((await on.assistant.ask('申川县哪个村的党建考核排第一？')).grounded).toBe(false);
    const a = await on.assistant.ask('申川县哪个村的评价得分排第一？');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('枫林村');
  });

  it('refuses a county\'s total (申川县一共划分了多少个责任区) where only one community\'s figure is given', async () => {
    const a = await on.assistant.ask('申川县到现在一共划分了多少个党员责任区？');
    expect(a.grounded).toBe(false);
    expect(a.answer).not.toContain('12个');
  });
});

describe('heldout-23 shapes: reading the question', () => {
  it('reads the noun counted before a verb and its aspect particle (人才公寓建了多少套, 责任区划分了多少个)', () => {
    const a = on.assistant;
    expect(readQuestion('人才公寓建了多少套？', a).figure?.noun).toBe('人才公寓');
    expect(readQuestion('党员责任区划分了多少个？', a).figure?.noun).toBe('党员责任区');
    expect(readQuestion('前后各是多少件？', a).figure?.noun).toBeUndefined();
    expect(readQuestion('村级工程引起的信访少了多少？', a).figure?.noun).toBe('信访');
  });

  it('reads a list asked by 哪几项 with no noun as 项目, and 负责哪些事 as 职责', () => {
    expect(readQuestion('今年党员“政治体检”都查哪几项？', on.assistant).list?.noun).toBe('项目');
    expect(readQuestion('责任党员平时主要负责哪些事？', on.assistant).list?.noun).toBe('职责');
  });

  it('reads a superlative said before 哪 (投资最大的是哪个项目) or a first place (排第一) as an extreme of what is compared', () => {
    expect(readExtreme('小微项目里，投资最大的是哪个项目？')).toEqual({ direction: 'max', of: '投资' });
    expect(readExtreme('各区县里，哪个区的基层党建考核排第一？')).toEqual({ direction: 'max', of: '基层党建考核' });
  });
});

describe('heldout-23 shapes: a topic asked as a question', () => {
  it('reads a question of manner with its own verb phrase (是怎么给党员打分的) as that work\'s 做法, the request after it dropped', () => {
    expect(draftTopic('申川县是怎么给党员“打分”、评判党员表现的？把几种办法归纳一下')).toBe('申川县给党员“打分”、评判党员表现的做法');
    expect(draftTopic('海西州是如何加强基层党组织建设的？')).toBe('海西州加强基层党组织建设的做法');
  });

  it('reads what was done in a field (在…上都做了些什么) as the 做法 of that field', () => {
    expect(draftTopic('海西州在党员教育阵地、师资和课程建设上都做了些什么？帮我总结一下')).toBe('海西州党员教育阵地、师资和课程建设的做法');
  });
});
