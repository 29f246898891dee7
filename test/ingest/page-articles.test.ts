import { describe, expect, it } from 'vitest';
import { toCitations } from '../../src/answer/citations.js';
import { pageParts } from '../../src/answer/summary/page.js';
import type { SourceDoc } from '../../src/ingest/corpus.js';
import { Lexicon } from '../../src/ingest/lexicon.js';
import { readNewspaper } from '../../src/ingest/readers/newspaper.js';
import { repairReport } from '../../src/ingest/repair.js';
import { allSections, isSection, type SectionNode } from '../../src/ingest/tree.js';
import { pageArticles, prepareDocument } from '../../src/retrieval/prepare.js';
import type { IndexRecord } from '../../src/types.js';

// Small synthetic newspaper pages (fictional places 西川市, 溪川州, 新村社区), each built for one rule of the reader.

const top = (root: SectionNode) => root.nodes.filter(isSection);
const textOf = (n: SectionNode): string => n.nodes.map((c) => (isSection(c) ? textOf(c) : c.kind === 'paragraph' ? c.text.text : '')).join('');
const docOf = (text: string, title: string, place: string): SourceDoc => {
  const tree = readNewspaper(text, 'page.txt', title);
  return { source: 'page.txt', title, meta: { place }, hash: '', format: 'newspaper', text, tree };
};

const SIGNED_PAGE = `# 西川 以“三个一”为引领 构建基层党建新格局

本报记者 王五

今年以来，西川市各级党组织扎实推进基层党建工作，建立党建责任清单120份。

## 压实责任链 提升基层党建质效

西川市建立市级领导包联机制，解决基层党建重点问题30个。

# 做好新时代人才工作需把握好“两种关系”

赵六

## 党建新论

做好人才工作，需要正确把握好以下两种关系，让人才既有名又有利。

## 先锋力量

祁连

# 党建赋能 夯实乡村振兴之基

本报记者 王五 通讯员 钱七

近年来，当地把抓党建促乡村振兴摆在突出位置，培育小微企业3家。
`;

describe('a newspaper page read into its articles', () => {
  it('makes a column label printed next to a headline no section: the commentary’s text is its own, under its headline', () => {
    const tree = readNewspaper(SIGNED_PAGE, 'page.txt', '西川 以“三个一”为引领 构建基层党建新格局');
    const headings = allSections(tree.root).map((s) => s.info.heading);
    expect(headings).not.toContain('党建新论');
    expect(headings).not.toContain('先锋力量');
    const talent = top(tree.root).find((s) => s.info.heading.startsWith('做好新时代人才工作'))!;
    expect(talent.info.pageArticle).toMatchObject({ column: '党建新论', bylines: ['赵六'] });
    expect(textOf(talent)).toContain('做好人才工作');
  });

  it('gives a place tag printed above a headline to the article below it, not to the text above', () => {
    const tree = readNewspaper(SIGNED_PAGE, 'page.txt', '西川 以“三个一”为引领 构建基层党建新格局');
    const rural = top(tree.root).find((s) => s.info.heading.startsWith('党建赋能'))!;
    expect(rural.info.pageArticle?.bylines).toContain('祁连');
    expect(rural.info.pageArticle?.column).toBe('先锋力量');
    // a deeper headline of the lead article stays a part of it
    expect(top(tree.root).find((s) => s.info.heading.startsWith('压实责任链'))!.info.pageArticle).toBeUndefined();
  });

  it('resolves an article’s place from its place tag, and leaves a commentary naming no place without one', () => {
    const lexicon = Lexicon.load('data');
    const doc = docOf(SIGNED_PAGE, '西川 以“三个一”为引领 构建基层党建新格局', '西川市');
    const articles = pageArticles(doc, lexicon);
    expect(articles.get('党建赋能 夯实乡村振兴之基')?.place).toBe('祁连县');
    expect(articles.get('做好新时代人才工作需把握好“两种关系”')?.place).toBeUndefined();
    const records = prepareDocument(doc, lexicon).rows.map((r) => JSON.parse(r.json) as IndexRecord);
    const rural = records.find((r) => r.text.includes('培育小微企业3家') && r.type === 'chunk')!;
    expect(rural.pageArticle).toBe('党建赋能 夯实乡村振兴之基');
    expect(rural.places).toContain('祁连县');
    expect(rural.places).not.toContain('西川市');
    const lead = records.find((r) => r.text.includes('党建责任清单120份'))!;
    expect(lead.pageArticle).toBeUndefined();
  });

  it('cites a passage of another article by its headline, with the page as 刊于', () => {
    const lexicon = Lexicon.load('data');
    const doc = docOf(SIGNED_PAGE, '西川 以“三个一”为引领 构建基层党建新格局', '西川市');
    const record = prepareDocument(doc, lexicon).rows.map((r) => JSON.parse(r.json) as IndexRecord).find((r) => r.text.includes('培育小微企业3家'))!;
    const [c] = toCitations([{ rank: 1, score: 1, record }]);
    expect(c!.title).toBe('党建赋能 夯实乡村振兴之基');
    expect(c!.page).toBe('西川 以“三个一”为引领 构建基层党建新格局');
    // the headline is not repeated as the section: the passage is the article's own text
    expect(c!.section).toBe('');
  });

  it('gives the text printed between the title and a signed headline to that headline when it is about it', () => {
    const page = `主题教育走深走实 基层党建提质增效

□ 本报记者 张三

“积分能换东西，大家参加志愿服务都很积极。”新村社区积分超市里热闹非凡，居民用积分兑换商品。

截至目前，新村社区积分兑换物品80件，积分超市服务居民300人次。

“小积分”撬动社区“大治理”

□本报记者 李四

全州主题教育工作成效怎么样？各级党组织深入开展主题教育，推动基层党建工作提质增效。

在盘点检视中推动主题教育见行见效

主题教育开展以来，各级党组织检视问题、整改落实，推动基层党建工作提质增效。
`;
    const tree = readNewspaper(page, 'page.txt', '主题教育走深走实 基层党建提质增效');
    const points = top(tree.root).find((s) => s.info.heading === '“小积分”撬动社区“大治理”')!;
    expect(points.info.pageArticle).toBeDefined();
    expect(textOf(points)).toContain('积分兑换物品80件');
    expect(textOf(points)).not.toContain('主题教育工作成效');
    const rootText = tree.root.nodes.filter((n) => !isSection(n) && n.kind === 'paragraph').map((n) => (n as { text: { text: string } }).text.text).join('');
    expect(rootText).toContain('全州主题教育工作成效怎么样');
    // the lead article's own sub-headline after it is a part, not another article
    expect(top(tree.root).find((s) => s.info.heading.startsWith('在盘点检视中'))!.info.pageArticle).toBeUndefined();
  });

  it('reads a headline after an article made of lead paragraphs as another article, and one after a plain opening as a part', () => {
    const leads = `厚植基层党建沃土 汇聚高质量发展动能

今年以来，溪川州聚焦发展大局，推动基层党建提质增效，全州党组织达到1200个。

**压实责任链条。**出台涵盖7个方面的责任清单，层层传导压力，推动各级党组织责任落实落细。

**激活乡村动能。**实施大学生到村任职计划，选派大学生120名到村任职，带动村集体增收。

聚焦考准考精考实 助力基层减负增效

溪川州深入开展基层减负工作，清理规范考核事项，考核指标精简到214条。
`;
    const a = readNewspaper(leads, 'a.txt', '厚植基层党建沃土 汇聚高质量发展动能');
    expect(top(a.root).find((s) => s.info.heading.startsWith('聚焦考准考精考实'))!.info.pageArticle).toBeDefined();
    const plain = leads.replace(/\*\*(.+?)\*\*/g, '').replace('压实责任链条。', '').replace('激活乡村动能。', '');
    const b = readNewspaper(plain, 'b.txt', '厚植基层党建沃土 汇聚高质量发展动能');
    expect(top(b.root).find((s) => s.info.heading.startsWith('聚焦考准考精考实'))!.info.pageArticle).toBeUndefined();
    // the summary's page split follows the reader's marks
    const info = (t: typeof a) => ({ source: 'a.txt', title: '厚植基层党建沃土 汇聚高质量发展动能', format: 'newspaper' as const, sections: allSections(t.root).map((s) => s.info) });
    expect(pageParts(info(a))?.others).toEqual(['聚焦考准考精考实 助力基层减负增效']);
    expect(pageParts(info(b))).toBeUndefined();
  });

  it('marks the seam of a column cut, where the text resumes by closing a quotation it never opened', () => {
    const raw = `把握好个体与团队的关系。个体人才有先进的服务理念，可以在各自岗位上充分发挥示范带动作用。团队人才具备技术、项目、信息、资金等资源和优势，通过资源共享、信息共\n\n突破”，又鼓励团队“作战”，做到“多点出彩”。\n`;
    const para = repairReport(raw).find((b) => b.kind === 'paragraph')!;
    expect(para.text.text).toContain('信息共……突破”');
    // a quotation broken across lines is no cut
    const quoted = repairReport(`把握好个体与团队的关系。个体人才有先进的服务理念，可以在各自岗位上发挥作用。他说：“以前在职党员进社区参与率低，现在社区推出\n\n活动。”大家都很满意。\n`).find((b) => b.kind === 'paragraph')!;
    expect(quoted.text.text).not.toContain('……');
  });
});
