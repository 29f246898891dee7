import type { PageArticleInfo } from '../../types.js';
import { repairReport, type Block } from '../repair.js';
import { cutWords } from '../segment.js';
import { TreeBuilder, isSection, type DocTree, type SectionNode } from '../tree.js';

/** Rank of a lead section: below every headline, closed by the next block. */
const LEAD_RANK = 100;
/** Rank of an implicit (unmarked) headline; a part of another article nests one step below it. */
const IMPLICIT_RANK = 2;
/** Lead paragraphs that make an article one of lead-phrase parts (a single implicit lead is an opening question). */
const MIN_LEAD_PARTS = 2;
/** Longest heading read as a column label (栏目 “党建新论”, “先锋力量”) when it stands next to a headline. */
const MAX_LABEL = 6;

/** Headings printed together (nothing but bylines and captions between them), and what stands around them. */
interface HeadRun {
  type: 'head';
  headings: Block[];
  bylines: Block[];
  captions: Block[];
}
type Entry = HeadRun | { type: 'block'; block: Block };

/** Groups the repaired blocks: each run of headings with the bylines printed just before, between and after them. */
function entries(blocks: Block[]): Entry[] {
  const out: Entry[] = [];
  let run: HeadRun | undefined;
  // bylines and captions since the last paragraph or heading
  let loose: Block[] = [];
  const flushLoose = () => {
    for (const b of loose) out.push({ type: 'block', block: b });
    loose = [];
  };
  for (const b of blocks) {
    if (b.kind === 'heading') {
      if (!run) {
        // a tag printed above a headline (003 “共和”) is its article's; a full byline or a credit there ends the
        // text above (002 “■文/图 本报记者 索南江措” after the opening)
        const above = loose.filter((l) => l.kind === 'byline' && isLabel(l));
        loose = loose.filter((l) => !above.includes(l));
        flushLoose();
        run = { type: 'head', headings: [], bylines: above, captions: [] };
      }
      for (const l of loose) (l.kind === 'byline' ? run.bylines : run.captions).push(l);
      loose = [];
      run.headings.push(b);
      continue;
    }
    if (b.kind === 'byline' || b.kind === 'caption') {
      loose.push(b);
      continue;
    }
    if (run) {
      for (const l of loose) (l.kind === 'byline' ? run.bylines : run.captions).push(l);
      loose = [];
      out.push(run);
      run = undefined;
    }
    flushLoose();
    out.push({ type: 'block', block: b });
  }
  if (run) {
    for (const l of loose) (l.kind === 'byline' ? run.bylines : run.captions).push(l);
    loose = [];
    out.push(run);
  }
  flushLoose();
  return out;
}

/** A heading short enough to be a column label or a kicker (“党建新论”), not an article's headline. */
const isLabel = (h: Block) => h.text.text.replace(/\s/g, '').length <= MAX_LABEL;

/**
 * The headline of a run of headings and the labels printed with it: a column label (up to 6 characters) or,
 * unmarked, a banner above the headline (001 “海西·党建引领聚合力强基赋能促发展”, 002 “…特刊”) labels the run's
 * last other heading; headings of different printed levels that are not labels nest (an article and its first part).
 */
function splitRun(run: Block[]): { headlines: Block[]; labels: string[] } {
  const headlines: Block[] = [];
  const labels: string[] = [];
  run.forEach((h, i) => {
    const rest = run.slice(i + 1);
    const later = rest.find((x) => !isLabel(x));
    const kicker = later && !h.marked && !later.marked;
    const sameLevelLater = later && h.marked && later.marked && later.level === h.level;
    if ((isLabel(h) && run.some((x) => !isLabel(x))) || kicker || sameLevelLater) labels.push(h.text.text.trim());
    else headlines.push(h);
  });
  return { headlines, labels };
}

/**
 * Share of the page's mentions of a heading's words (jieba words of 2+ characters) that fall in `segment`, averaged
 * over the words the page body names: how much a stretch of text is about a headline (lexical cohesion, as in
 * TextTiling). 0 when the body names none of them.
 */
function cohesion(heading: string, segment: string, body: string): number {
  const words = [...new Set(cutWords(heading).filter((w) => w.length >= 2 && /[\u4e00-\u9fff]/.test(w)))];
  const count = (t: string, w: string) => t.split(w).length - 1;
  const shares = words.filter((w) => count(body, w) > 0).map((w) => count(segment, w) / count(body, w));
  return shares.length ? shares.reduce((a, b) => a + b, 0) / shares.length : 0;
}

/**
 * Reads a newspaper page as extracted from print (the five reports of data/corpus): the print repair of
 * `repair.ts` gives headlines, paragraphs with their lead phrase, captions and bylines. A page prints its lead
 * article (the one its title names: the root) and often other articles of other authors and places; this reader
 * tells them apart and marks each other article's top-level section with `SectionInfo.pageArticle` (its bylines,
 * column label, place tag):
 * - headings printed together are one headline with its labels (`splitRun`): a column label (003 “党建新论”,
 *   “先锋力量”) or a banner is not a section; headings contained in the title (a “——” subtitle) are the title;
 * - bylines and place tags printed above a headline (003 “共和”) belong to its article, not to the text before;
 * - when the title is printed as a Markdown heading, its level decides: a headline at that level or above is
 *   another article, a deeper one a part of the article above it (003's `##` parts of the 西宁 article);
 * - on a page without printed levels, a headline is another article when its own byline, place tag or column label
 *   is printed with it (001 周学武, 004 “小积分”), or when the article before it is made of lead-phrase paragraphs
 *   (an article's parts are all lead paragraphs or all sub-headlines: 001's 考核 article after the lead's three
 *   lead paragraphs); otherwise it is a part of the article before it (002's three sub-headlines);
 * - an article whose headline is printed after its text (004: the 积分超市 text sits between the page title and
 *   “小积分”撬动社区“大治理”, the lead article's text follows the headline) takes that text when the text is more
 *   about its headline than about the title and the text after it is not (`cohesion`).
 * A paragraph opened by a lead phrase (bold or implicit) becomes a section with role `lead` whose heading is the
 * phrase, so the six “把握好…的关系” paragraphs of 003 are six sibling sections under their headline. A Markdown
 * title's level is kept on the root (`SectionInfo.level`), and every Markdown headline carries its own.
 * Offsets point into `text` (the decoded file).
 */
export function readNewspaper(text: string, stem: string, knownTitle?: string): DocTree {
  const blocks = repairReport(text);
  const firstHeading = blocks.find((x) => x.kind === 'heading')?.text.text;
  const title = knownTitle ?? firstHeading;
  const b = new TreeBuilder(stem, title ?? stem);
  const norm = (x: string) => x.replace(/[\s—]/g, '');
  const list = entries(blocks);
  const body = blocks.filter((x) => x.kind === 'paragraph').map((x) => x.text.text).join('\n');

  let seenText = false;
  /** The article whose text is being read: the root (lead) or another article's section, and how it is made. */
  let article: { node: SectionNode; leads: number; rank: number } = { node: b.root, leads: 0, rank: -Infinity };
  const bylinesOf = (bs: Block[]) => bs.map((x) => x.text.text.replace(/^[□■\s]+/, '').trim()).filter(Boolean);

  for (let i = 0; i < list.length; i++) {
    const e = list[i]!;
    if (e.type === 'block') {
      const blk = e.block;
      if (blk.kind === 'paragraph') seenText = true;
      if (blk.kind === 'paragraph' && blk.lead) {
        if (b.current === article.node) article.leads++;
        b.open(LEAD_RANK, { role: 'lead', heading: blk.lead, label: blk.lead, at: blk.text.span(0, Math.min(blk.lead.length, blk.text.length)) });
        b.add({ kind: 'paragraph', text: blk.text });
        b.close(LEAD_RANK);
        continue;
      }
      b.add({ kind: blk.kind === 'heading' ? 'paragraph' : blk.kind, text: blk.text });
      continue;
    }
    // the title printed as headings (a “——” subtitle too), before any text: its level tells the lead article's parts
    // (deeper) from the page's other articles
    let heads = e.headings;
    if (!seenText && title) {
      const inTitle = (h: Block) => norm(h.text.text).length >= 2 && norm(title).includes(norm(h.text.text));
      const at = heads.findIndex(inTitle);
      if (at >= 0) {
        const first = heads[at]!;
        if (b.root.info.level === undefined && first.marked) b.root.info.level = first.level;
        // a banner printed above the title (002 “中国共产党第二十次全国代表大会特刊”) is the page's, not a section
        heads = heads.slice(at).filter((h) => !inTitle(h));
      }
    }
    const { headlines, labels } = splitRun(heads);
    const captions = e.captions.map((c) => ({ kind: 'caption' as const, text: c.text }));
    const bylines = e.bylines.map((c) => ({ kind: 'byline' as const, text: c.text }));
    if (!headlines.length) {
      for (const x of [...bylines, ...captions]) b.add(x);
      continue;
    }
    const titleLevel = b.root.info.level;
    headlines.forEach((h, k) => {
      const first = k === 0;
      const marked = h.marked && titleLevel !== undefined;
      const signed = first && (e.bylines.length > 0 || labels.length > 0);
      const other = marked ? h.level <= titleLevel! : first && (signed || article.leads >= MIN_LEAD_PARTS);
      const rank = h.marked ? h.level : other || article.node === b.root ? IMPLICIT_RANK : IMPLICIT_RANK + 0.5;
      const info: PageArticleInfo | undefined = other ? { bylines: bylinesOf(e.bylines), ...(labels.length ? { column: labels.join(' ') } : {}) } : undefined;
      // the text printed between the title and this headline is this article's when it is about it (004)
      let moved: (typeof b.root.nodes)[number][] = [];
      if (other && !h.marked && article.node === b.root && b.current === b.root && b.root.nodes.every((n) => !isSection(n))) {
        const run = b.root.nodes.filter((n) => !isSection(n) && n.kind === 'paragraph') as { kind: 'paragraph'; text: { text: string } }[];
        const after = nextText(list, i);
        const before = run.map((n) => n.text.text).join('\n');
        if (run.length && title && cohesion(h.text.text, before, body) > cohesion(title, before, body) && cohesion(title, after, body) >= cohesion(h.text.text, after, body)) {
          moved = b.root.nodes.filter((n) => !isSection(n) && n.kind === 'paragraph');
          b.root.nodes = b.root.nodes.filter((n) => !moved.includes(n));
        }
      }
      const node = b.open(rank, {
        role: 'headline',
        heading: h.text.text,
        label: h.text.text,
        ...(h.marked ? { level: h.level } : {}),
        at: h.text.span(),
      });
      if (info) node.info.pageArticle = info;
      if (first) for (const x of [...bylines, ...captions]) b.add(x);
      if (moved.length) {
        node.nodes.push(...moved);
        // the lead article's text resumes after the headline
        b.close(rank);
        article = { node: b.root, leads: 0, rank: -Infinity };
        return;
      }
      if (other) article = { node, leads: 0, rank };
      else if (article.node !== b.root && article.rank >= rank) article = { node: b.root, leads: 0, rank: -Infinity };
    });
  }
  return { format: 'newspaper', text, ...(title ? { title } : {}), root: b.finish(text.length) };
}

/** The paragraphs after entry `i` up to the next heading, joined. */
function nextText(list: Entry[], i: number): string {
  const out: string[] = [];
  for (let k = i + 1; k < list.length; k++) {
    const e = list[k]!;
    if (e.type === 'head') break;
    if (e.block.kind === 'paragraph') out.push(e.block.text.text);
  }
  return out.join('\n');
}
