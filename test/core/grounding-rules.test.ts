import { describe, expect, it } from 'vitest';
import { assistantOn } from './support.js';

/**
 * Grounding and document facts on one small synthetic 通知 (a corpus of its own): the 发文字号 after the title, a
 * year the materials do not cover, a role nobody is named for, a dated event the materials never date, and a
 * county named by the short form of its autonomous-county name.
 */
const TONGZHI = `关于开展党员志愿服务月活动的通知（虚构）

（本文件为虚构示例，仅用于测试）

青禾县委组织部〔2026〕31号

各乡镇党委：

现将有关事项通知如下。

一、活动安排

青禾回族自治县各党支部于2026年12月20日前组织党员开展志愿服务，全县计划开展志愿服务活动120场，全县在职党员到社区报到860名。

二、工作要求

县委组织部成立督导检查组，对各乡镇活动开展情况进行督导。本通知自印发之日起施行。

中共青禾县委组织部
2026年11月30日
`;

const corpus = assistantOn({ 'tongzhi.txt': TONGZHI });

describe('document facts and grounding', () => {
  it('answers a 文号 question from the document’s front matter, cited', async () => {
    const ans = await corpus.assistant.ask('志愿服务月活动的通知文号是什么？');
    expect(ans.grounded).toBe(true);
    expect(ans.answer).toContain('青禾县委组织部〔2026〕31号');
    expect(ans.citations[0]?.source).toBe('tongzhi.txt');
  });

  it('a county named by its short form (青禾县) is the autonomous county the text names (青禾回族自治县)', async () => {
    const ans = await corpus.assistant.ask('青禾县计划开展多少场志愿服务活动？');
    expect(ans.grounded).toBe(true);
    expect(ans.answer).toContain('120场');
  });

  it('refuses a county the materials never name (石湾县), rather than answer with another county’s figure', async () => {
    const ans = await corpus.assistant.ask('石湾县计划开展多少场志愿服务活动？');
    expect(ans.grounded).toBe(false);
    expect(ans.answer).toContain('石湾县');
  });

  it('refuses a year the materials do not cover rather than give another year’s figure', async () => {
    const ans = await corpus.assistant.ask('2028年青禾县计划开展多少场志愿服务活动？');
    expect(ans.grounded).toBe(false);
    expect(ans.answer).toContain('2028');
  });

  it('refuses when the figure found does not count what is asked and the question’s everyday words (外地打工) are not in the materials', async () => {
    const ans = await corpus.assistant.ask('青禾县的党员有多少人在外地打工？');
    expect(ans.grounded).toBe(false);
  });

  it('keeps a one-character noun that 多少 asks for (缴了多少税) and refuses when no figure counts it', async () => {
    const ans = await corpus.assistant.ask('青禾县志愿服务活动一共缴了多少税？');
    expect(ans.grounded).toBe(false);
    expect(ans.answer).toContain('税');
  });

  it('refuses “who leads” when the materials name no such role', async () => {
    const ans = await corpus.assistant.ask('督导检查组的组长是谁？');
    expect(ans.grounded).toBe(false);
  });

  it('refuses the date of an event the materials never date (废止), instead of another date', async () => {
    const ans = await corpus.assistant.ask('志愿服务月活动的通知是哪一年废止的？');
    expect(ans.grounded).toBe(false);
  });
});

/**
 * A yes-no question of what may be done, in chat words: its modal verbs (能不能, 不能) and a verb's direction
 * (捎|回去, 来|不了) ask nothing of the evidence, though the corpus uses them elsewhere.
 */
const BANFA = `关于做好纪念章颁发工作的通知（虚构）

一、颁发方式

（一）纪念章由桐溪县各乡镇党委书记当面颁发，同时颁发证书。

（二）对年老体弱、行动不便的党员，由所在党组织负责同志上门颁发，不得以邮寄或者转交方式代替。
`;
/** Another county's text, where the chat words of the question (不能, 回去, 不了) are the corpus's words. */
const OTHER = `柳岸县外出务工党员管理情况（虚构）

柳岸县党员因病不能参加组织生活的，由党支部登记。外出务工党员回去以后，党支部要及时联系。对整改不了了之的，予以通报。
`;

const modal = assistantOn({ 'banfa.txt': BANFA, 'other.txt': OTHER });

describe('a yes-no question of what may be done', () => {
  it('answers 能不能寄给他或者让家里人捎回去 from the rule that forbids it, not refused for its modal verbs and complements', async () => {
    const ans = await modal.assistant.ask('老党员腿脚不好来不了，纪念章能不能寄给他或者让家里人捎回去');
    expect(ans.grounded).toBe(true);
    expect(ans.answer).toContain('不得以邮寄或者转交方式代替');
  });

  it('still refuses a yes-no question whose topic the materials lack (纪念章能不能折现)', async () => {
    const ans = await modal.assistant.ask('纪念章能不能折成现金发给本人');
    expect(ans.grounded).toBe(false);
  });
});

/** Where a thing comes from (钱是从哪儿出的): the thing must be in the evidence, however everyday its word. */
const JIANBAO = `荷塘镇过好党员“政治生日”（虚构）

荷塘镇每月集中为当月过“政治生日”的党员过一次“政治生日”，赠送一张“政治生日”贺卡。贺卡由镇党委书记签名，写明党员的入党时间和党龄。
`;
const OTHER_TOWN = `柳溪镇开展党员“政治生日”活动（虚构）

柳溪镇为党员过“政治生日”，活动所需经费从镇党委党建工作经费中列支。
`;

const source = assistantOn({ 'jianbao.txt': JIANBAO, 'other-town.txt': OTHER_TOWN });

describe('a question asking where something comes from', () => {
  it('refuses 贺卡的钱是从哪儿出的 when the passages about the cards say nothing of money', async () => {
    const ans = await source.assistant.ask('荷塘镇给党员印“政治生日”贺卡的钱是从哪儿出的');
    expect(ans.grounded).toBe(false);
  });

  it('answers 活动的钱从哪里出 from the sentence naming the funds', async () => {
    const ans = await source.assistant.ask('搞政治生日活动的钱从哪里出');
    expect(ans.grounded).toBe(true);
    expect(ans.answer).toContain('党建工作经费中列支');
  });
});

/** A count asked of a quoted name (“红色物业”示范点) where the only figure near is another thing's (12个社区案例). */
const REPORT = `庚市推进城市基层党建（虚构）

庚市推进“红色物业”建设，引导物业企业成立党组织。积极打造社区示范点，12个社区案例入选省委组织部典型案例选编。
`;

const named = assistantOn({ 'report.txt': REPORT });

describe('a figure asked of a quoted name', () => {
  it('refuses 评出了多少个“红色物业”示范点 when the sentence with a figure does not name “红色物业”', async () => {
    const ans = await named.assistant.ask('庚市评出了多少个“红色物业”示范点');
    expect(ans.grounded).toBe(false);
  });
});

/**
 * A verb said with a complement of direction (借出去) where the rule writes the verb alone (借出): the complement says
 * where the action goes, so the rule answers; a question about another action (借回家复印) is still refused.
 */
const DANGAN = `桐溪县党员档案管理办法（虚构）

第九条 党员档案原则上不得外借。因工作需要确需借出的，应当经县委组织部批准，借出期限不超过10日。

第十条 查阅党员档案应当由2名工作人员陪同。
`;

const directed = assistantOn({ 'dangan.txt': DANGAN });

describe('a verb with a complement of direction', () => {
  it('answers 档案能不能借出去用几天，要谁批 from the rule on 借出, not refused for 借出去', async () => {
    const ans = await directed.assistant.ask('党员档案能不能借出去用几天？要谁批');
    expect(ans.grounded).toBe(true);
    expect(ans.answer).toContain('不超过10日');
    expect(ans.answer).toContain('县委组织部批准');
  });

  it('still refuses a figure about an action the rule never names (复印几份)', async () => {
    const ans = await directed.assistant.ask('党员档案借出去以后最多能复印几份？');
    expect(ans.grounded).toBe(false);
  });
});

/**
 * A report of one period (第一季度) asked about another (第二季度), which it names only in passing: the ordinal names
 * another period than the one the quoted passage is about.
 */
const TONGBAO = `桐溪县2027年第一季度村党组织“晾晒比拼”情况通报（虚构）

各乡镇党委：

第一季度共评出“红旗党组织”8个、“黄旗党组织”3个，其余为达标党组织。第二季度评比将于7月上旬进行。
`;

/** Another text that writes 第二季度 (so the corpus knows the word). */
const ANPAI = `柳岸县2027年党建工作安排（虚构）

第二季度重点做好发展党员工作，第三季度开展党员教育培训。
`;

const period = assistantOn({ 'tongbao.txt': TONGBAO, 'anpai.txt': ANPAI });

describe('an ordinal period asked', () => {
  it('refuses 第二季度评出了几个黄旗党组织 when the report is of the first quarter', async () => {
    const ans = await period.assistant.ask('桐溪县第二季度评出了几个黄旗党组织');
    expect(ans.grounded).toBe(false);
  });

  it('answers the same question of the first quarter', async () => {
    const ans = await period.assistant.ask('桐溪县第一季度评出了几个黄旗党组织');
    expect(ans.grounded).toBe(true);
    expect(ans.answer).toContain('3个');
  });
});

/** Money asked per use (坐一趟收多少钱): a total spent is no fare; a sum stated per head and per time answers a rate. */
const LVYOU = `桐溪县开通乡村旅游摆渡车（虚构）

桐溪县整合资金120万元，购买摆渡车16辆，方便游客往返各景点。
`;
const ZHIYUAN = `桐溪县党员志愿服务补助办法（虚构）

参与景区服务的党员志愿者，每人每次发放交通补助30元。
`;

const rate = assistantOn({ 'lvyou.txt': LVYOU, 'zhiyuan.txt': ZHIYUAN });

describe('money asked per use', () => {
  it('refuses 摆渡车坐一趟收多少钱 when the only sum is the money spent on the buses', async () => {
    const ans = await rate.assistant.ask('桐溪县的摆渡车坐一趟收多少钱');
    expect(ans.grounded).toBe(false);
  });

  it('answers 志愿者去一次补多少钱 from the sum stated per head and per time', async () => {
    const ans = await rate.assistant.ask('桐溪县党员志愿者去景区服务一次补助多少钱');
    expect(ans.grounded).toBe(true);
    expect(ans.answer).toContain('30元');
  });
});

/**
 * Colloquial framing of a figure asked: a verb of change or bound before the amount (超过多少, 打算提到多少) and a light verb
 * of completion (没弄完) name no topic;
 * an average asked per village (平均每个村) is answered by a figure stated per village (村均), not by a total.
 */
const ZONGJIE = `桐溪县2026年村级集体经济发展情况（虚构）

全县深入实施集体经济薄弱村清零行动，村集体经济村均突破18万元。柳湾村发展乡村旅游，平均日接待游客380人次，截至目前村集体收入320余万元。
年初排查确定的9个软弱涣散村党组织，已有6个完成整改、通过乡镇验收，剩余3个均位于山区。
全县将后备力量生活补贴由每月300元提高到每月500元。
`;

const framed = assistantOn({ 'zongjie.txt': ZONGJIE });

describe('the framing words of a figure asked', () => {
  it('answers 村集体收入平均每个村超过多少了 from the figure per village, not from one village’s total', async () => {
    const ans = await framed.assistant.ask('桐溪县村集体收入平均每个村超过多少了？');
    expect(ans.grounded).toBe(true);
    expect(ans.answer).toContain('18万元');
    expect(ans.answer).not.toContain('320余万元');
  });

  it('answers 软弱涣散的村整改好了几个，还剩几个没弄完, not refused for the light verb of completion (弄完)', async () => {
    const ans = await framed.assistant.ask('桐溪县软弱涣散的村今年整改好了几个，还剩几个没弄完')
    expect(ans.grounded).toBe(true);
    expect(ans.answer).toContain('剩余3个');
  });

  it('answers 后备力量补贴打算提到多少, not refused for 打算 and 提到', async () => {
    const ans = await framed.assistant.ask('桐溪县后备力量每月补贴打算提到多少');
    expect(ans.grounded).toBe(true);
    expect(ans.answer).toContain('500元');
  });
});
