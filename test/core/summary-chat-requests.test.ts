import { describe, expect, it } from 'vitest';
import { understand } from '../../src/answer/query.js';
import { draftTopic } from '../../src/answer/summarize.js';
import { summaryTopic } from '../../src/answer/query.js';
import { assistantOn } from './support.js';

/** The topic a chat request leaves once its request words are gone (summaryTopic, then draftTopic, as summarize reads it). */
const topicOf = (request: string) => draftTopic(summaryTopic(request) || request);

describe('a summary request closing a chat message in a clause of its own', () => {
  it('drops a clause of request words after a comma (帮我提炼下要点, 给我捋一捋, 大概讲了些什么)', () => {
    expect(topicOf('青禾以“三联”为引领那篇，帮我提炼下要点')).toBe('青禾以“三联”为引领');
    expect(topicOf('青禾县后备干部怎么选怎么培养，给我捋一捋')).toBe('青禾县后备干部怎么选怎么培养');
    expect(topicOf('阵地督查那个通报，大概讲了些什么')).toBe('阵地督查通报');
    expect(topicOf('青禾县人才工作，简单划下重点')).toBe('青禾县人才工作');
  });

  it('drops a clause asking to write the digest (帮我写个总结, 出一份简报) and reads the message as a summary request', () => {
    expect(topicOf('青禾县领办合作社去年干得怎么样，帮我写个总结')).toBe('青禾县领办合作社去年干得怎么样');
    expect(topicOf('青禾县人才工作，出一份简报')).toBe('青禾县人才工作');
    const ctx = { lexicon: { places: () => [] }, glossary: { definitionAsked: () => undefined }, documents: [] } as never;
    expect(understand('青禾县领办合作社去年干得怎么样，帮我写个总结', ctx).intent).toBe('summary');
  });

  it('leaves a clause that asks something else (这钱谁掏, 上面要怎么处理)', () => {
    expect(topicOf('后备干部每个月能拿多少补贴，这钱谁掏')).toBe('后备干部每个月能拿多少补贴，这钱谁掏');
  });

  it('reads such a chat message as a summary request, and a question ending in a question as a question', () => {
    const ctx = { lexicon: { places: () => [] }, glossary: { definitionAsked: () => undefined }, documents: [] } as never;
    expect(understand('青禾县后备干部怎么选怎么培养，给我捋一捋', ctx).intent).toBe('summary');
    expect(understand('阵地督查那个通报，大概讲了些什么', ctx).intent).toBe('summary');
    expect(understand('活动室租出去当仓库的，上面要怎么处理', ctx).intent).toBe('question');
  });
});

/** A synthetic 政策解读 of questions and answers (fictional 青禾县): no 第X条, no 一、 outline, one topic throughout. */
const JIEDU = [
  '《青禾县村级后备干部培养管理办法》政策解读',
  '近日，县委组织部印发《青禾县村级后备干部培养管理办法》。现就几个问题解读如下。',
  '问一：后备干部从哪些人里面选？',
  '答：主要从致富带头人、退役军人、高校毕业生中选拔，人选年龄一般在35周岁以下。',
  '问二：每个村要储备多少人？',
  '答：每个村按照不少于2名的标准储备后备干部，全县储备总数不少于260名。',
  '问三：选进来以后怎么培养后备干部？',
  '答：实行导师帮带，每年参加集中培训不少于40学时，安排到乡镇站所跟岗锻炼3个月。',
  '问四：后备干部有没有补贴？',
  '答：纳入储备库的后备干部，每月发放生活补贴500元。',
  '问五：后备干部进了库是不是就一直在库里？',
  '答：后备干部实行动态管理，每年考核一次，不称职的调整出库。',
].join('\n\n');

/** Another document of the county on another topic, so a topic search has more than one source to choose from. */
const TONGZHI = [
  '关于开展党费收缴专项检查的通知',
  '各乡镇党委：为规范党费收缴工作，决定开展党费收缴专项检查。',
  '一、检查内容',
  '党费收缴是否足额、按时，党费使用是否规范。',
  '二、时间安排',
  '各乡镇于12月15日前完成自查，县委组织部12月下旬抽查。',
  '中共青禾县委组织部',
  '2026年11月20日',
].join('\n\n');

/** A 工作总结 that also reports on 后备干部: a topic search for them finds two documents. */
const ZONGJIE = [
  '青禾县2026年组织工作总结',
  '一、后备干部队伍建设',
  '全年新储备村级后备干部118名，举办后备干部培训班3期，后备干部到村任职19名。',
  '二、党员教育',
  '全年开展党员集中轮训2期，轮训党员1500余人次。',
  '中共青禾县委组织部',
  '2026年12月30日',
].join('\n\n');

const corpus = assistantOn({ 'jiedu.txt': JIEDU, 'tongzhi.txt': TONGZHI });
const two = assistantOn({ 'jiedu.txt': JIEDU, 'zongjie.txt': ZONGJIE });

describe('a topic one document answers, asked in chat words', () => {
  it('drafts the whole 解读 for a topic only it answers, though the request says 村里 where the document says 村级', async () => {
    const s = await corpus.assistant.summarize('青禾县村里后备干部怎么选怎么培养，给我捋一捋');
    expect(s.grounded).toBe(true);
    // every answer of the 解读, in its order: the draft of the document, not a few passages of it
    for (const fact of ['35周岁', '2名', '40学时', '500元', '每年考核一次']) expect(s.summary).toContain(fact);
    const bullets = s.summary.split('\n').filter((l) => l.startsWith('- ')).join('\n');
    expect(bullets.indexOf('35周岁')).toBeGreaterThanOrEqual(0);
    expect(bullets.indexOf('35周岁')).toBeLessThan(bullets.indexOf('500元'));
    expect(s.summary).not.toContain('党费');
  });

  it('drafts a topic two documents answer though a word that only frames it (村里) is in neither', async () => {
    const s = await two.assistant.summarize('青禾县村里后备干部，给我捋一捋');
    expect(s.grounded).toBe(true);
    for (const fact of ['118名', '40学时']) expect(s.summary).toContain(fact);
  });

  it('still refuses a topic whose noun the materials never use (养老保险)', async () => {
    const s = await corpus.assistant.summarize('青禾县村里养老保险怎么交，给我捋一捋');
    expect(s.grounded).toBe(false);
    expect(s.summary).toContain('资料中未找到');
  });
});

/** A township's 经验材料 whose title names the township (fictional 桂溪镇, unknown to the lexicon), beside a county 办法. */
const JINGYAN = [
  '积分一本账 党员有干劲——桂溪镇农村党员积分制管理试点的做法与成效',
  '',
  '桂溪镇党委  2026年9月',
  '',
  '桂溪镇辖12个行政村，有农村党员986名。2026年3月起，镇党委在全镇开展党员积分制管理试点。',
  '',
  '一、主要做法',
  '',
  '（一）定清单。镇党委组织各村梳理党员应尽义务，形成积分清单，共收集修改意见121条。',
  '',
  '（二）兑奖励。镇里设立“积分超市”，每10分可兑换价值5元的物品。',
  '',
  '二、初步成效',
  '',
  '试点半年来，党员参加组织生活的平均到会率由70%提高到92%。',
].join('\n');

const BANFA = [
  '青禾县农村党员积分制管理办法（试行）',
  '',
  '第一条 为加强农村党员日常教育管理，制定本办法。',
  '第二条 党员积分实行年度计分，每名党员年初基础分为100分。',
  '第三条 党员积分每季度公示一次，试点经验成熟后在全县推开。',
].join('\n');

const township = assistantOn({ 'jingyan.txt': JINGYAN, 'banfa.txt': BANFA });

describe('a topic naming a place and the words of one title', () => {
  it('drafts the document whose title holds the township and the topic (桂溪镇试点经验 → its 做法与成效), its parts in order', async () => {
    const s = await township.assistant.summarize('桂溪镇试点经验，简单说说');
    expect(s.grounded).toBe(true);
    expect(s.summary.split('\n')[0]).toContain('桂溪镇农村党员积分制管理试点的做法与成效');
    for (const fact of ['121条', '5元', '92%']) expect(s.summary).toContain(fact);
    expect(s.summary).not.toContain('100分');
  });
});
