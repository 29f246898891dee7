import { describe, expect, it } from 'vitest';
import { makeBullet, roundRobin, wordPrefix } from '../../src/answer/summary/draft.js';
import { pageParts } from '../../src/answer/summary/page.js';
import { balanceQuotes, extractFigures, figureClause, informativeness, isContactLine } from '../../src/answer/summary/text.js';
import type { DocumentInfo, IndexRecord, SectionInfo } from '../../src/types.js';
import { assistantOn } from './support.js';

/**
 * A synthetic print page (fictional places and people) marked up like data/corpus/003: the lead article's title
 * as `#`, its parts as `##`, and two further articles of other authors as `#`. Lines are hard-wrapped as in a
 * print extraction.
 */
const wrap = (s: string) => s.match(/.{1,16}/g)!.join('\n\n');
const TITLE = '青禾县 以“三个一”为引领 构建基层党建新格局';
const PAGE = [
  `# ${TITLE}`,
  '本报记者 赵某某 通讯员 钱某某',
  wrap('今年以来，青禾县各级党组织把落实“三个一”工作要求作为重要抓手，推动基层党建工作全面进步。'),
  '## 压实责任链 提升党建质效',
  wrap('青禾县坚持“书记抓、抓书记”，县委与各乡镇党委书记签订党建目标责任书，建立党建责任清单620余份。'),
  wrap('县委建立书记议事专题会“每月一题”工作机制，已研究解决社区分类管理等9项问题。'),
  '## 打造新阵地 树立党建样板',
  wrap('青禾县建成县级党建综合服务中心1个，培育打造“红色驿站”42个，组织动员爱心商家58家提供优惠服务。'),
  '# 牧场里走出振兴路',
  '□本报记者 孙某某',
  wrap('石峰镇依托高原牧场发展特色养殖，全镇村集体经济收入达到860万元，带动牧户增收致富。'),
  wrap('镇党委推行“支部+合作社”模式，组建养殖合作社14家，吸纳脱贫户230户入社分红。'),
  '# 做好人才工作需把握好几种关系',
  '□李某某',
  wrap('把握好培养与引进的关系，县里每年安排人才专项资金300万元，引进急需紧缺人才26名。'),
  '青禾县委组织部供图',
].join('\n\n');

const corpus = assistantOn({ 'page.txt': PAGE });
const implicit = assistantOn({ 'flat.txt': PAGE.replace(/^#+ /gm, '') });

describe('a newspaper page of several articles, drafted by its title', () => {
  it('records the printed heading levels: the title on the root, each Markdown headline on its section', () => {
    const doc = corpus.assistant.index.documents()[0]!;
    expect(doc.format).toBe('newspaper');
    expect(doc.sections[0]!.level).toBe(1);
    const levels = Object.fromEntries(doc.sections.filter((s) => s.role === 'headline').map((s) => [s.heading, s.level]));
    expect(levels['压实责任链 提升党建质效']).toBe(2);
    expect(levels['牧场里走出振兴路']).toBe(1);
  });

  it('gives each part of the lead article a bullet, then one short bullet per other article under 同版其他报道', async () => {
    const s = await corpus.assistant.summarize(`总结 ${TITLE}`);
    expect(s.grounded).toBe(true);
    const lines = s.summary.split('\n');
    const split = lines.indexOf('**同版其他报道**');
    expect(split).toBeGreaterThan(0);
    const lead = lines.slice(0, split).filter((l) => l.startsWith('- '));
    const others = lines.slice(split + 1).filter((l) => l.startsWith('- '));
    expect(lead.map((l) => l.match(/^- \*\*(.+?)\*\*/)![1])).toEqual(['压实责任链 提升党建质效', '打造新阵地 树立党建样板']);
    expect(others.map((l) => l.match(/^- \*\*(.+?)\*\*/)![1])).toEqual(['牧场里走出振兴路', '做好人才工作需把握好几种关系']);
    for (const fact of ['620余份', '42个']) expect(lines.slice(0, split).join('\n')).toContain(fact);
    // the 导语's headline figures are the lead article's, not those of the other articles on the page
    const lede = lines.find((l) => l.startsWith('**导语**'))!;
    for (const other of ['860万元', '230户', '300万元', '26名']) expect(lede).not.toContain(other);
    for (const l of [...lead, ...others]) expect(l).toMatch(/\[\d+\]$/);
  });

  it('splits a page whose headlines carry no printed level at a headline printed with its own byline', async () => {
    const doc = implicit.assistant.index.documents()[0]!;
    expect(doc.sections[0]!.level).toBeUndefined();
    const s = await implicit.assistant.summarize(`总结 ${TITLE}`);
    const lines = s.summary.split('\n');
    const split = lines.indexOf('**同版其他报道**');
    expect(split).toBeGreaterThan(0);
    // the lead article's sub-headlines (no byline of their own) stay its parts
    expect(lines.slice(0, split).filter((l) => l.startsWith('- ')).map((l) => l.match(/^- \*\*(.+?)\*\*/)![1])).toEqual(['压实责任链 提升党建质效', '打造新阵地 树立党建样板']);
    expect(lines.slice(split + 1).filter((l) => l.startsWith('- ')).map((l) => l.match(/^- \*\*(.+?)\*\*/)![1])).toEqual(['牧场里走出振兴路', '做好人才工作需把握好几种关系']);
  });

  it('drafts another article of the page by its headline from that article only, with its author when it names no place', async () => {
    const s = await corpus.assistant.summarize('总结 做好人才工作需把握好几种关系');
    expect(s.grounded).toBe(true);
    expect(s.summary).toContain('300万元');
    for (const other of ['620余份', '42个', '860万元', '230户']) expect(s.summary).not.toContain(other);
    const lede = s.summary.split('\n').find((l) => l.startsWith('**导语**'))!;
    expect(lede).not.toContain('青禾县的做法');
    expect(lede).toContain('李某某');
    expect(s.citations.every((c) => c.title === '做好人才工作需把握好几种关系' && c.page === TITLE)).toBe(true);
  });
});

describe('page parts (synthetic section trees)', () => {
  const section = (k: number, heading: string, level: number | undefined, parent = 0): SectionInfo => ({
    id: `p#s${k}`,
    parentId: `p#s${parent}`,
    heading,
    role: 'headline',
    ...(level !== undefined ? { level } : {}),
    path: [heading],
    start: k,
    end: k + 1,
  });
  const doc = (rootLevel: number | undefined, sections: SectionInfo[]): DocumentInfo => ({
    source: 'p.txt',
    title: '标题',
    format: 'newspaper',
    sections: [{ id: 'p#s0', heading: '标题', role: 'document', path: [], start: 0, end: 9, ...(rootLevel !== undefined ? { level: rootLevel } : {}) }, ...sections],
  });

  const article = (k: number, heading: string): SectionInfo => ({ ...section(k, heading, 1), pageArticle: { bylines: [] } });

  it('the sections the reader marked as other articles are the others; every other section is a part of the lead article', () => {
    const parts = pageParts(doc(1, [section(1, '甲', 2), section(2, '乙', 2), article(3, '丙'), article(4, '丁')]))!;
    expect(parts.others).toEqual(['丙', '丁']);
    expect(parts.isLead('甲')).toBe(true);
    expect(parts.isLead('')).toBe(true);
    expect(parts.isLead('丙')).toBe(false);
  });

  it('a page with no other article marked (an umbrella title over its parts), or a document that is no page, gives no split', () => {
    expect(pageParts(doc(1, [section(1, '甲', 2), section(2, '乙', 3)]))).toBeUndefined();
    expect(pageParts(doc(undefined, [section(1, '甲', 2), section(2, '乙', 2)]))).toBeUndefined();
    expect(pageParts({ ...doc(1, [article(1, '甲')]), format: 'official' })).toBeUndefined();
  });
});

describe('sentence rules of a draft (synthetic)', () => {
  const rec = (text: string): IndexRecord => ({
    id: 'x#c0',
    type: 'chunk',
    source: 'x.txt',
    title: '某报道',
    section: '打造阵地',
    sectionPath: ['打造阵地'],
    text,
    places: [],
    domains: [],
    figures: extractFigures(text),
  });
  const input = { hasContentWord: () => true };

  it('an interviewee’s words are never a bullet’s key sentence, even with figures in them', () => {
    const b = makeBullet({ record: rec('“现在积分能换米面油，大家干劲足了，一年能换200多件东西。”居民王某说。社区建成积分超市1个，兑换物品80件。'), relevance: 0, order: 0 }, input, 120)!;
    expect(b.sentence).toContain('积分超市1个');
    expect(b.sentence).not.toContain('王某说');
  });

  it('a simile or a panorama of 从…到… pairs tells less than a measure', () => {
    expect(informativeness('十年来，党建犹如“红色引擎”，不断为全县发展注入动力，打造幸福家园。')).toBeLessThan(1);
    expect(informativeness('从河畔的甲镇到山脚的乙乡，从工矿企业到田间地头，回眸十年发展，变化翻天覆地，打造了美丽家园。')).toBeLessThan(1);
    expect(informativeness('县委从机关干部中选派第一书记到村任职，建立帮扶机制。')).toBeGreaterThanOrEqual(1);
  });

  it('a 通知’s contact line is not content', () => {
    expect(isContactLine('联系人：县委组织部组织科，联系电话：0000-1234567。')).toBe(true);
    expect(isContactLine('邮箱：zzb@example.org')).toBe(true);
    expect(isContactLine('建立联系人制度，每个村明确1名联系人。')).toBe(false);
    const b = makeBullet({ record: rec('各乡镇于12月20日前报送总结材料。联系人：组织科，联系电话：0000-1234567。'), relevance: 0, order: 0 }, input, 120);
    expect(b?.sentence ?? '').not.toContain('联系电话');
  });

  it('a headline figure’s clause never holds half a quotation', () => {
    expect(balanceQuotes('”、机关党建“融合聚力”等8个领域', '8个')).toBe('机关党建“融合聚力”等8个领域');
    expect(balanceQuotes('建成驿站12个，打造“红色', '12个')).toBe('建成驿站12个，打造');
    const clause = figureClause('部署实施农村党建“育才强基”、社区党建“融合共治”、两新党建“提标扩面”、机关党建“融合聚力”等8个领域“质量提升工程”', '8个')!;
    expect((clause.match(/“/g) ?? []).length).toBe((clause.match(/”/g) ?? []).length);
    expect(clause.indexOf('”')).toBeGreaterThan(clause.indexOf('“'));
  });

  it('a fallback lead is cut between words, not inside one', () => {
    const p = wordPrefix('城西社区党支部以城市基层党建引领基层治理', 15);
    expect(p.length).toBeLessThanOrEqual(15);
    expect(p.endsWith('引')).toBe(false);
    expect('城西社区党支部以城市基层党建引领基层治理'.startsWith(p)).toBe(true);
  });

  it('secondary groups (a page’s other articles) get one turn after the main groups’ first round, the rest after all main ones', () => {
    const items = [
      { k: 'a', n: 1, side: false },
      { k: 'a', n: 2, side: false },
      { k: 'x', n: 1, side: true },
      { k: 'x', n: 2, side: true },
      { k: 'b', n: 1, side: false },
      { k: 'b', n: 2, side: false },
    ];
    const order = roundRobin(items, (t) => t.k, (t) => t.side).map((t) => `${t.k}${t.n}`);
    expect(order).toEqual(['a1', 'b1', 'x1', 'a2', 'b2', 'x2']);
  });
});
