import fs from 'node:fs';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAssistant, type KnowledgeAssistant } from '../../src/assistant.js';
import { draftTopic } from '../../src/answer/summarize.js';
import { clampMaxChars, HARD_MAX_CHARS, splitLead, writeDraft, type DraftCandidate } from '../../src/answer/summary/draft.js';
import { FALLBACK_NOTE, unsupportedFigures } from '../../src/answer/summary/llm-draft.js';
import { containment, DUPLICATE_CONTAINMENT, extractFigures, figureClause, informativeness, isSlogan } from '../../src/answer/summary/text.js';
import type { IndexRecord, Summary } from '../../src/types.js';
import { OpenAiStandin } from '../support/openai-standin.js';
import { config, offlineAssistant, tempData } from './support.js';

const REPORTS = fs
  .readdirSync('data/corpus')
  .filter((f) => f.endsWith('.txt'))
  .map((source) => ({ source, title: (YAML.parse(fs.readFileSync(`data/corpus/${source.replace(/\.txt$/, '.meta.yaml')}`, 'utf8')) as { title: string }).title }));

/** The lines of a draft that are bullets. */
const bullets = (s: Summary) => s.summary.split('\n').filter((l) => l.startsWith('- '));

/** Every [n] refers to a citation, every citation is used, every bullet ends with its [n]. */
function expectWellCited(s: Summary): void {
  expect(s.citations.length).toBeGreaterThan(0);
  for (const b of bullets(s)) expect(b).toMatch(/\[\d+\]$/);
  const used = new Set([...s.summary.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])));
  for (const n of used) expect(n >= 1 && n <= s.citations.length).toBe(true);
  expect(used.size).toBe(s.citations.length);
}

/**
 * Every figure of a bullet occurs in the passage it cites (an extractive draft quotes, it never computes); a bullet
 * that quotes a second passage cites it after that sentence (“… [1] 成立…131个… [2]”), each part checked against its own.
 */
function expectFiguresGrounded(s: Summary): void {
  for (const b of bullets(s)) {
    expect(b).toMatch(/\[\d+\]$/);
    for (const m of b.matchAll(/([^\[\]]*)\[(\d+)\]/g)) {
      const n = Number(m[2]);
      const passage = s.citations.find((c) => c.n === n)!.text;
      for (const f of extractFigures(m[1]!)) expect(passage, `${f} in [${n}]`).toContain(f);
    }
  }
}

const hasContentWord = (t: string) => /(党|组织|干部|人才|教育|治理|振兴|社区|考核)/.test(t);

describe('sentence rules (synthetic)', () => {
  it('a short parallel couplet without content words is a slogan; lead phrases with a quoted term or a domain word are not', () => {
    expect(isSlogan('同舟共济扬帆起，乘风破浪万里行', hasContentWord)).toBe(true);
    expect(isSlogan('时间镌刻着奋进，也勾勒出变迁。', hasContentWord)).toBe(true);
    expect(isSlogan('铸魂赋能，以知促行“添动力”', hasContentWord)).toBe(false);
    expect(isSlogan('点面结合，织密网络阵地', hasContentWord)).toBe(false);
    expect(isSlogan('强化党建责任落实，拧紧干部责任链', hasContentWord)).toBe(false);
  });

  it('outlook, questions and quoted speech tell less than a sentence with a measure and its figures', () => {
    const measure = '全州建立商圈党支部5个、楼宇党支部3个，下派党建指导员522名。';
    for (const deco of ['下一步，我们将继续深化“党建+”模式，建立更多服务站点。', '基层党建工作要求落实情况如何？', '“现在社区的事大家一起商量。”居民王某说。']) {
      expect(informativeness(deco)).toBeLessThan(1);
    }
    expect(informativeness(measure)).toBeGreaterThanOrEqual(4);
  });

  it('a measure and the chunk it was cut from are near-duplicates; two measures are not', () => {
    const chunk = '打造一批样板典型。成立全省首个外卖行业党支部，培育打造131个“夏都红骑手”爱心驿站，组织动员115个爱心商家提供餐饮优惠服务。';
    expect(containment(chunk, '成立全省首个外卖行业党支部，培育打造131个“夏都红骑手”爱心驿站。')).toBeGreaterThanOrEqual(DUPLICATE_CONTAINMENT);
    expect(containment('评定五星党组织493个，整顿软弱涣散村党组织10个。', '吸引467名大学生到村任职，169名担任村党支部书记。')).toBeLessThan(DUPLICATE_CONTAINMENT);
  });

  it('a lead keeps its time clause, drops a connective, and the sentence continues after it', () => {
    expect(splitLead('近年来，海西州共实施党建项目49个，州级财政投入2600余万元。', '海西州共实施党建项目49个')).toEqual({ lead: '近年来，海西州共实施党建项目49个', rest: '州级财政投入2600余万元。' });
    expect(splitLead('此外，西宁市建立包联机制，市级领导认领问题20条。', undefined)).toEqual({ lead: '西宁市建立包联机制', rest: '市级领导认领问题20条。' });
    // a discourse marker of news writing never leads a bullet on its own
    expect(splitLead('值得一提的是，某社区推出点单服务，按需购买兑换物品。', undefined)).toEqual({ lead: '某社区推出点单服务', rest: '按需购买兑换物品。' });
    expect(splitLead('不止于此，某社区打造图书室、调解室等活动室。', undefined)?.lead).toBe('某社区打造图书室、调解室等活动室');
  });

  it('the 导语 quotes a figure with the words that say what was counted', () => {
    expect(figureClause('推行“三治融合”机制，搭建“有事好商量”等民主议事平台79个，体系不断完善。', '79个')).toBe('搭建“有事好商量”等民主议事平台79个');
    expect(figureClause('举办各类党组织书记培训班32期，覆盖2100余人次。', '2100余人次')).toBe('举办各类党组织书记培训班32期，覆盖2100余人次');
  });

  it('an LLM figure must occur in the passage its line cites', () => {
    const citations = [{ n: 1, source: 'a.txt', title: 'A', section: '', text: '吸纳71名本土讲师，打造精品课程103门。' }];
    expect(unsupportedFigures('- **师资**：吸纳71名本土讲师 [1]', citations, '')).toEqual([]);
    expect(unsupportedFigures('- **师资**：吸纳171名本土讲师 [1]', citations, '')).toHaveLength(1);
    expect(unsupportedFigures('## A\n\n**导语**：2025年，打造精品课程103门。', citations, '《A》，2025年')).toEqual([]);
  });

  it('the request words around a 简报 topic are not its title', () => {
    expect(draftTopic('写一份海西州人才工作的简报')).toBe('海西州人才工作');
    expect(draftTopic('写一篇关于基层减负的信息')).toBe('基层减负');
    expect(draftTopic('党旗引领映初心')).toBe('党旗引领映初心');
    // (做法 asked with what came of them, 做法和成效, is a request for 做法)
    expect(draftTopic('海西州在城市社区党建和基层治理上有哪些做法和成效')).toBe('海西州在城市社区党建和基层治理上的做法');
  });

  it('a length option is clamped to [300, 1500]', () => {
    expect(clampMaxChars()).toBe(1200);
    expect(clampMaxChars(5000)).toBe(HARD_MAX_CHARS);
    expect(clampMaxChars(10)).toBe(300);
  });
});

describe('a structured document (synthetic records with section paths)', () => {
  const rec = (i: number, path: string[], text: string): IndexRecord => ({
    id: `doc#c${i}`,
    type: 'chunk',
    unit: path.at(-1)!.startsWith('第') && path.at(-1)!.endsWith('条') ? 'article' : 'text',
    source: 'doc.md',
    title: '某某县党员积分管理办法（虚构）',
    section: path.join(' > '),
    sectionPath: path,
    text,
    places: [],
    domains: [],
    figures: extractFigures(text),
  });
  // as the official-text reader yields them: one article per chunk, its number printed before a space
  const records = [
    rec(0, ['第一章 总则', '第一条'], '第一条 为加强党员日常管理，根据有关规定，制定本办法。'),
    rec(1, ['第一章 总则', '第二条'], '第二条 本办法适用于全县各级党组织的正式党员和预备党员。'),
    rec(2, ['第二章 积分标准', '第五条'], '第五条 党员参加组织生活每次积2分，全年基础分不超过60分。'),
    rec(3, ['第二章 积分标准', '第六条'], '第六条 党员参加志愿服务每次积3分，全年不超过30分。'),
    rec(4, ['第三章 结果运用', '第九条'], '第九条 年度积分排名前10%的党员，由党支部推荐参加评先评优。'),
    rec(5, ['第四章 附则', '第十二条'], '第十二条 本办法自印发之日起施行。'),
  ];
  const candidates: DraftCandidate[] = records.map((record, order) => ({ record, relevance: 0, order, group: record.sectionPath![0] }));

  it('gets one bullet per top-level section, in reading order, each with its key sentence and citation', () => {
    const d = writeDraft({
      title: '某某县党员积分管理办法（虚构）',
      candidates,
      bySection: (r) => r.sectionPath?.[0],
      subHeadings: (key) => (key === '第二章 积分标准' ? ['基础积分', '奖励积分'] : []),
      lede: { dateOf: () => '2025-03-01', title: '某某县党员积分管理办法（虚构）', issuer: '中共某某县委组织部' },
      maxChars: 1200,
      hasContentWord,
      order: 'reading',
    });
    const lines = d.markdown.split('\n');
    expect(lines[0]).toBe('## 某某县党员积分管理办法（虚构）');
    expect(d.markdown).toContain('2025年3月1日，中共某某县委组织部印发《某某县党员积分管理办法（虚构）》');
    const bulletLines = lines.filter((l) => l.startsWith('- '));
    expect(new Set(d.bullets.map((b) => b.sectionKey)).size).toBe(d.bullets.length);
    expect(d.bullets.map((b) => b.sectionKey)).toEqual(['第一章 总则', '第二章 积分标准', '第三章 结果运用', '第四章 附则']);
    expect(bulletLines[1]).toMatch(/^- \*\*第二章 积分标准\*\*：基础积分、奖励积分。/);
    expect(d.markdown).toContain('积2分');
    expect(d.markdown).toContain('前10%');
    for (const l of bulletLines) expect(l).toMatch(/\[\d+\]$/);
  });
});

describe('summaries of the real reports (offline)', () => {
  let a: KnowledgeAssistant;
  let cleanup: () => void;
  beforeAll(async () => {
    ({ assistant: a, cleanup } = await offlineAssistant());
  });
  afterAll(() => cleanup());

  it.each(REPORTS)('by its title, $source is summarised from that report only, grounded and cited', async ({ source, title }) => {
    const s = await a.summarize(title);
    expect(s.grounded).toBe(true);
    expect(s.summary.split('\n')[0]).toBe(`## ${title}`);
    expect(s.summary).toContain('**导语**：');
    expect(bullets(s).length).toBeGreaterThanOrEqual(4);
    for (const c of s.citations) expect(c.source).toBe(source);
    expectWellCited(s);
    expectFiguresGrounded(s);
    expect(s.summary.length).toBeLessThan(1200);
    // 002 closes with a slogan couplet and a pledge, 001 prints a photo caption as a paragraph lead
    for (const deco of ['同舟共济扬帆起', '时间镌刻着奋进', '转移受灾群众', '将继续坚持']) expect(s.summary).not.toContain(deco);
  });

  it('drafts a topic of 做法 from the measures cut from the passages found, also in a section whose measures the search ranks low', async () => {
    // (002's 创新城市基层治理模式 section: its passages rank high for the topic, its measures — 522名 党建指导员,
    // “双报到”3600余次 — do not)
    const s = await a.summarize('海西州在城市社区党建和基层治理上有哪些做法和成效');
    expect(s.grounded).toBe(true);
    expect(s.summary).toContain('522名');
    expect(s.summary).toContain('3600余次');
  });

  it('finds a report by its title without spaces or 《》, by a part of it, by an article headline and by file name', async () => {
    const only = (s: Summary, source: string) => s.grounded && s.citations.length > 0 && s.citations.every((c) => c.source === source);
    expect(only(await a.summarize('总结《党旗引领映初心》'), '002_5ea1243e8e1bd75c.txt')).toBe(true);
    expect(only(await a.summarize('厚植基层党建沃土汇聚高质量发展动能'), '001_02e902364aa12d71.txt')).toBe(true);
    expect(only(await a.summarize('踔厉奋发启新程'), '000_dd9fc999d4f06d2b.txt')).toBe(true);
    expect(only(await a.summarize('001_02e902364aa12d71.txt'), '001_02e902364aa12d71.txt')).toBe(true);
    expect(only(await a.summarize('003_50fb'), '003_50fb352426c234d0.txt')).toBe(true);
    const article = await a.summarize('三措并举提升党员教育培训质效');
    expect(only(article, '001_02e902364aa12d71.txt')).toBe(true);
    // another article of the page is cited by its own headline, the page as 刊于
    for (const c of article.citations) expect([c.title, c.page]).toEqual(['三措并举提升党员教育培训质效', '厚植基层党建沃土 汇聚高质量发展动能']);
  });

  it('a topic that is also part of a headline stays a topic across reports', async () => {
    const s = await a.summarize('党员教育培训');
    expect(s.grounded).toBe(true);
    expect(new Set(s.citations.map((c) => c.source)).size).toBeGreaterThan(1);
  });

  it('a topic draft keeps the key figures of its passages and no caption, slogan or closing pledge', async () => {
    const s = await a.summarize('总结海西州城市基层治理的主要做法');
    expect(s.grounded).toBe(true);
    expect(s.summary).toContain('464个');
    expect(s.summary).toContain('79个');
    for (const deco of ['同舟共济扬帆起', '乘风破浪万里行', '时间镌刻着奋进', '转移受灾群众', '将继续坚持']) expect(s.summary).not.toContain(deco);
    for (const line of s.summary.split('\n')) expect(isSlogan(line.replace(/^- \*\*|\*\*.*$/g, ''), hasContentWord)).toBe(false);
    expectWellCited(s);
    expectFiguresGrounded(s);
    // no two bullets quote the same passage
    const texts = bullets(s).map((b) => b.replace(/^- \*\*[^*]+\*\*：/, ''));
    for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) expect(containment(texts[i]!, texts[j]!)).toBeLessThan(DUPLICATE_CONTAINMENT);
  });

  it('a topic across reports is grouped by place', async () => {
    const s = await a.summarize('基层党建责任落实');
    expect(s.grounded).toBe(true);
    const groups = s.summary.split('\n').filter((l) => /^\*\*[^*]+\*\*$/.test(l));
    if (new Set(s.citations.map((c) => c.source)).size > 1 && groups.length) {
      expect(new Set(groups).size).toBe(groups.length);
    }
    expectWellCited(s);
  });

  it('is under 1,200 characters by default, respects maxChars, and never exceeds 1,500', async () => {
    const topic = '海西州党员教育培训';
    const full = await a.summarize(topic);
    expect(full.summary.length).toBeLessThan(1200);
    const short = await a.summarize(topic, { maxChars: 600 });
    expect(short.summary.length).toBeLessThanOrEqual(600);
    expect(bullets(short).length).toBeGreaterThanOrEqual(2);
    expectWellCited(short);
    const long = await a.summarize(topic, { maxChars: 9000 });
    expect(long.summary.length).toBeLessThanOrEqual(1500);
    expect(bullets(long).length).toBeGreaterThanOrEqual(bullets(full).length);
  });

  it('“这篇报道” after a question about one report summarises that report (cited sources, or the title quoted)', async () => {
    const ans = await a.ask('海西州吸引了多少名大学生到村任职？');
    const history = [{ question: ans.question, answer: ans.answer, sources: ans.citations.map((c) => c.source) }];
    const s = await a.summarize('总结一下这篇报道', { history });
    expect(s.grounded).toBe(true);
    for (const c of s.citations) expect(c.source).toBe(ans.citations[0]!.source);
    const byTitle = await a.summarize('请概括这篇报道', { history: [{ question: '《党旗引领映初心》讲了哪些方面？', answer: '……' }] });
    expect(byTitle.grounded).toBe(true);
    for (const c of byTitle.citations) expect(c.source).toBe('002_5ea1243e8e1bd75c.txt');
    const viaAsk = await a.ask('请总结这篇报道', { history });
    expect(viaAsk.citations.every((c) => c.source === ans.citations[0]!.source)).toBe(true);
    const none = await a.summarize('总结这篇报道');
    expect(none.grounded).toBe(false);
  });

  it('drafts a 简报 request under its topic, a colloquial topic through the glossary, and a place alone', async () => {
    const brief = await a.summarize('写一份海西州人才工作的简报');
    expect(brief.summary.split('\n')[0]).toBe('## 海西州人才工作');
    expect(brief.grounded).toBe(true);
    const riders = await a.summarize('总结送外卖小哥的党建工作');
    expect(riders.grounded).toBe(true);
    expect(riders.summary).toMatch(/骑手|新业态|外卖/);
    const place = await a.summarize('总结西宁市的做法');
    expect(place.grounded).toBe(true);
    expect(bullets(place).length).toBeGreaterThanOrEqual(3);
  });

  it('a topic asked as “在…方面” is named once in the 导语', async () => {
    const s = await a.summarize('请总结海西州在人才工作方面的做法');
    expect(s.summary).toContain('在人才工作方面');
    expect(s.summary).not.toMatch(/在在|方面方面/);
  });

  it('refuses a topic the materials do not cover', async () => {
    const s = await a.summarize('总结上海市浦东新区的城市更新经验');
    expect(s.grounded).toBe(false);
    expect(s.summary).toContain('资料中未找到');
    expect(s.citations).toEqual([]);
  });
});

describe('LLM drafts (OpenAI-compatible stand-in on 127.0.0.1)', () => {
  let api: OpenAiStandin;
  let tmp: ReturnType<typeof tempData>;
  let a: KnowledgeAssistant;
  beforeAll(async () => {
    api = await OpenAiStandin.start();
    tmp = tempData();
    a = await openAssistant({ config: config({ LLM_BASE_URL: api.baseUrl, LLM_MODEL: 'standin-chat', LLM_API_KEY: 'k', LLM_TIMEOUT_MS: '2000', LLM_MAX_RETRIES: '0' }, tmp) });
  });
  afterAll(async () => {
    await api.close();
    tmp.cleanup();
  });

  /** A model that follows the prompts: map = one bullet per passage quoting a figure of it (or `invent`), reduce = the outline. */
  const model = (invent?: string) => (body: { messages: { content: string }[] }) => {
    const [sys, user] = [body.messages[0]!.content, body.messages[1]!.content];
    if (sys.includes('合并为一份')) {
      const title = user.match(/【标题】(.+)/)![1]!;
      return `## ${title}\n\n**导语**：海西州的主要做法如下。\n\n${user.split('【要点】')[1]!.trim()}`;
    }
    return [...user.matchAll(/\[(\d+)\][^\n]*\n([^\n]+)/g)]
      .map(([, n, text]) => `- **要点**：${invent ?? (extractFigures(text!)[0] ? `数量为${extractFigures(text!)[0]}` : '有关做法')} [${n}]`)
      .join('\n');
  };

  it('sends the outline to the prompts and keeps a draft whose figures are all in the cited passages', async () => {
    api.chatReply = model();
    const before = api.chatRequests().length;
    const s = await a.summarize('总结海西州党员教育培训的主要举措');
    expect(s.mode).toBe('llm');
    expect(s.note).toBeUndefined();
    const reduce = api.chatRequests().slice(before).find((r) => r.body.messages[0].content.includes('合并为一份'))!;
    expect(reduce.body.messages[0].content).toContain('**导语**');
    expect(reduce.body.messages[1].content).toContain('【标题】海西州党员教育培训的主要举措');
    expectWellCited(s);
  });

  it('asks the reduce step for the page outline: the lead article first, the other articles of the page last, one line each', async () => {
    api.chatReply = model();
    const before = api.chatRequests().length;
    await a.summarize('总结 西宁 以“六个一”为引领 构建基层党建新格局');
    const reduce = api.chatRequests().slice(before).find((r) => r.body.messages[0].content.includes('合并为一份'))!;
    expect(reduce.body.messages[0].content).toContain('**同版其他报道**');
    expect(reduce.body.messages[0].content).toContain('按地方分组');
    const background = reduce.body.messages[1].content.split('【要点】')[0]!;
    expect(background).toMatch(/同版其他报道：.*《党建赋能 夯实乡村振兴之基》/);
    expect(background).not.toMatch(/同版其他报道：.*压实责任链/);
  });

  it('falls back to the extractive draft with the fixed note when the LLM invents a figure', async () => {
    api.chatReply = model('培训党员98765名');
    const s = await a.summarize('总结海西州党员教育培训的主要举措');
    expect(s.mode).toBe('extractive');
    expect(s.note).toBe(FALLBACK_NOTE.figures);
    expect(s.summary).not.toContain('98765');
    expectWellCited(s);
  });

  it('falls back with a fixed note, not the error text, when the endpoint fails', async () => {
    api.failNext(5, 500);
    const s = await a.summarize('总结海西州党员教育培训的主要举措');
    expect(s.mode).toBe('extractive');
    expect(s.note).toBe(FALLBACK_NOTE.failed);
    expect(s.note).not.toMatch(/500|error/i);
  });
});
