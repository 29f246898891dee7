/**
 * The extractive draft: a title line, a 导语 (when, where, what, the headline figures), then one bullet per
 * distinct measure or section (lead phrase + its key sentence + its figures) ending with its citation.
 */
import { cutWords } from '../../ingest/segment.js';
import { findFigures } from '../figures.js';
import type { IndexRecord } from '../../types.js';
import { weightIn, type TopicWeights } from './relevance.js';
import { normTitle } from './target.js';
import {
  DUPLICATE_CONTAINMENT,
  actionCount,
  containment,
  extractFigures,
  figureClause,
  informativeness,
  namedTerms,
  isApparatus,
  isBoilerplate,
  isTitleLine,
  isContactLine,
  isDateline,
  isLayoutLine,
  isOutlook,
  isSlogan,
  isSpeech,
  isScopeOrDefinition,
  sentencesOf,
  shorten,
  isCutTail,
} from './text.js';

/** Default length of a draft in characters (a 信息简报 item fits on one screen). */
export const DEFAULT_MAX_CHARS = 1200;
/** Hard ceiling of a draft's length, whatever the option says (issue 7: summaries under 1,500 characters). */
export const HARD_MAX_CHARS = 1500;
/** Shortest draft the length option allows (a title, a 导语 and two bullets). */
export const MIN_MAX_CHARS = 300;
/** Most bullets in a draft of the default length. */
export const MAX_BULLETS = 8;

/** The bullet cap for a length: `MAX_BULLETS` at the default 1200, scaled by 140 characters a bullet above it. */
export function maxBullets(maxChars: number): number {
  return Math.max(MAX_BULLETS, Math.floor(maxChars / 140));
}

/** A passage offered to the draft, with its relevance (higher first) and its reading position. */
export interface DraftCandidate {
  record: IndexRecord;
  relevance: number;
  /** Position in the corpus (index order): documents keep their reading order. */
  order: number;
  /** Place group of a topic draft across reports (海西州, 西宁市, 海北州…); the article or section inside one document. */
  group?: string;
  /**
   * In a document draft, the block a bullet is shown under (“同版其他报道” for the other articles of a newspaper
   * page): bullets with a label come after those without, under one bold line per label, and their groups get
   * one bullet each before the unlabelled groups get a second.
   */
  label?: string;
}

/** One bullet of the draft. */
export interface Bullet {
  /** Lead phrase, assigned when the bullets to show are known (each distinct). */
  lead: string;
  sentence: string;
  figures: string[];
  record: IndexRecord;
  score: number;
  order: number;
  group?: string;
  label?: string;
  /** Key for “one bullet per section” (the top-level heading) when the document is structured. */
  sectionKey?: string;
  /**
   * Sentences worth quoting when the draft has room left, best first (each shortened): the record's own, and
   * the key sentences of the other passages of its section, each with the record it cites.
   */
  more?: { text: string; record: IndexRecord; part?: boolean }[];
  /** Sentences of other records added by the fill, cited after the bullet's own citation. */
  added?: { text: string; record: IndexRecord }[];
}

/** Longest sentence of a bullet standing for another article of a page (labelled): a line of a 信息简报's 同版 list. */
export const OTHER_ARTICLE_SENTENCE = 60;

/** A draft shorter than this share of its length limit quotes further sentences of its bullets' passages. */
export const FILL_SHARE = 0.92;

/** What the 导语 says about the documents behind the draft. */
export interface LedeFacts {
  /** Date of a document as `DocumentInfo.date` (YYYY, YYYY-MM or YYYY-MM-DD), when known. */
  dateOf: (source: string) => string | undefined;
  /** Place of a document draft; a topic draft names the place groups of its bullets. */
  place?: string;
  /** Byline of a document draft about no place (an article of a page signed by its author: a commentary). */
  author?: string;
  /** For a document draft: its title, issuer and the sentence that states what it is about. */
  title?: string;
  issuer?: string;
  thesis?: { sentence: string; record: IndexRecord };
  /** For a topic draft: the topic without places and request words (党员教育培训). */
  subject?: string;
  /** What a source is called in the 导语: 报道 (a newspaper report, the default) or 文件 (a policy text). */
  kindOf?: (source: string) => '报道' | '文件';
}

/** Everything the draft is built from. */
export interface DraftInput {
  title: string;
  candidates: DraftCandidate[];
  /** Topic words and phrases with their share of the topic's weight (a topic draft): sentences holding more are preferred. */
  topicWeights?: TopicWeights;
  /** How much a passage is about the topic (0–1); passages under `MIN_PASSAGE_TOPIC_SHARE` give no bullet. */
  passageRelevance?: (text: string) => number;
  /** One bullet per top-level section (structured documents: 章, 一、…) instead of one per measure. */
  bySection?: (r: IndexRecord) => string | undefined;
  /** The sub-headings of a top-level section (（一）计划引领…), named in its bullet before the key sentence. */
  subHeadings?: (sectionKey: string) => string[];
  lede: LedeFacts;
  maxChars: number;
  /** True when a text holds a domain word (slogans hold none). */
  hasContentWord: (text: string) => boolean;
  /** Display order: `reading` for one document, `group` for a topic across reports. */
  order: 'reading' | 'group';
  /** With `group`: the groups in the order to show them (the items of a coordinated topic as named); else by best bullet. */
  groupOrder?: string[];
  /**
   * The document is a run of articles and nothing above them (a 办法 of 第一条…第十六条 without 第X章): its
   * articles are its structure, so each gets a bullet while the draft fits (no `maxBullets` cap), each quoted
   * within its share of the length (`provisionSentence`).
   */
  provisions?: boolean;
}

/** Characters a draft keeps for its title and 导语 when it shares the rest among its parts (measured: 120–200). */
export const LEDE_RESERVE = 200;
/** Characters a bullet line takes besides its sentence: “- **第十一条**：” and “ [12]”. */
export const BULLET_OVERHEAD = 16;
/** Shortest quote of an article in a draft of provisions: below it a provision loses its condition or its consequence. */
export const MIN_PROVISION_SENTENCE = 40;

/**
 * The sentence length each of `parts` articles gets when all are to fit in `maxChars` after the 导语
 * (`LEDE_RESERVE`) and the bullet marks (`BULLET_OVERHEAD`), within [`MIN_PROVISION_SENTENCE`, `max`].
 * 14 articles in 1,200 characters → 55 characters each.
 */
export function provisionSentence(parts: number, maxChars: number, max: number): number {
  if (parts <= 0) return max;
  const share = Math.floor((maxChars - LEDE_RESERVE) / parts) - BULLET_OVERHEAD;
  return Math.max(MIN_PROVISION_SENTENCE, Math.min(max, share));
}

/** The draft as markdown and the records it cites, numbered 1..n in order of first use. */
export interface Draft {
  markdown: string;
  cited: IndexRecord[];
  bullets: Bullet[];
}

/** Clamps a requested length to [MIN_MAX_CHARS, HARD_MAX_CHARS]; undefined → DEFAULT_MAX_CHARS. */
export function clampMaxChars(n?: number): number {
  if (n === undefined || !Number.isFinite(n)) return DEFAULT_MAX_CHARS;
  return Math.max(MIN_MAX_CHARS, Math.min(HARD_MAX_CHARS, Math.round(n)));
}

/** “2022” → 2022年, “2022-10” → 2022年10月, “2022-10-05” → 2022年10月5日. */
export function formatDate(d: string): string {
  const m = d.match(/^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?/);
  if (!m) return d;
  return `${m[1]}年${m[2] ? `${Number(m[2])}月` : ''}${m[3] ? `${Number(m[3])}日` : ''}`;
}

function dateSpan(dates: string[]): string {
  const sorted = [...new Set(dates)].sort();
  if (!sorted.length) return '';
  if (sorted.length === 1) return formatDate(sorted[0]!);
  const a = sorted[0]!.slice(0, 4);
  const b = sorted.at(-1)!.slice(0, 4);
  return a === b ? `${a}年` : `${a}—${b}年`;
}

/**
 * A passage of a topic draft must be this much about the topic (`passageRelevance`). Measured on the five
 * topics of the summary evaluation: 0.4 keeps 清零 (0.51) for 党建引领乡村振兴 and 优化考核方式 (0.46) for
 * 精简优化基层考核, and drops 主题教育 (0.39) for 党员教育培训.
 */
export const MIN_PASSAGE_TOPIC_SHARE = 0.4;

/**
 * Leading clauses that set time or connect (近年来，2024年以来，此外，值得一提的是，) and belong with the clause after
 * them. The discourse markers of news writing (值得一提的是, 不止于此, 现如今, 近日) are a closed class: 现代汉语虚词
 * (连词, 篇章连接成分) as feature stories use them.
 */
const TIME_OR_CONNECTIVE =
  /^(近年来|今年以来|目前|期间|同时|此外|另外|其中|与此同时|值得一提的是|不止于此|不仅如此|除此之外|更为重要的是|更重要的是|现如今|如今|近日|日前|这段时间|这几年|眼下|当前|截至[^，]*|\d{4}年[^，]*|自[^，]*以来|[^，]{0,3})，$/;
/** Connectives (此外，同时，值得一提的是，) are dropped from a lead; time clauses stay with it. */
const CONNECTIVE = /^(此外|另外|同时|与此同时|其中|期间|对此|为此|值得一提的是|不止于此|不仅如此|除此之外|更为重要的是|更重要的是)，$/;

/**
 * Splits a sentence into a lead and the rest at the clause holding `phrase` (or at its first clause of
 * substance when `phrase` is undefined), keeping time clauses before it with the lead:
 * “近年来，海西州共实施党建项目49个，州级财政投入…” → lead “近年来，海西州共实施党建项目49个”, rest “州级财政投入…”.
 * Undefined when that lead would be longer than `max` characters.
 */
export function splitLead(sentence: string, phrase: string | undefined, max = 30): { lead: string; rest: string } | undefined {
  const clauses = sentence.split(/(?<=，|……)/);
  const setting = (c: string) => TIME_OR_CONNECTIVE.test(c.replace(/……$/, '，'));
  let k = phrase ? clauses.findIndex((c) => c.includes(phrase)) : clauses.findIndex((c) => !setting(c));
  if (k < 0) return undefined;
  if (phrase && !clauses.slice(0, k).every(setting)) k = -1;
  if (k < 0) return undefined;
  const before = clauses.slice(0, k).filter((c) => !CONNECTIVE.test(c) && !/……$/.test(c));
  const lead = [...before, clauses[k]!].join('').replace(/([，。；]|……)$/, '');
  if (lead.length < 4 || lead.length > max) return undefined;
  return { lead, rest: clauses.slice(k + 1).join('') };
}

/** The longest run of whole jieba words of `text` within `max` characters (never 以城市基层党建引…). */
export function wordPrefix(text: string, max: number): string {
  let out = '';
  for (const w of cutWords(text)) {
    if (out.length + w.length > max) break;
    out += w;
  }
  return out || text.slice(0, max);
}

/** The sentence without the clause that holds `phrase` (unchanged when the phrase is not a whole clause's content). */
function withoutClause(sentence: string, phrase: string): string {
  const clauses = sentence.split(/(?<=[，；])/);
  const k = clauses.findIndex((c) => c.replace(/[，；。]$/, '').replace(/……$/, '') === phrase);
  if (k < 0) {
    // the phrase as the whole of a clause cut short by …… (“近年来，海西着力构建…机制……部署实施…”): the sentence goes on after it
    const at = sentence.indexOf(phrase);
    const after = sentence.slice(at + phrase.length);
    if (at >= 0 && /^(……|，)/.test(after) && (at === 0 || /[，；]$/.test(sentence.slice(0, at)))) {
      const rest = after.replace(/^(……|，)/, '');
      if (rest.length >= 8) return sentence.slice(0, at) + rest;
    }
    return sentence;
  }
  // the last clause gone, the sentence ends where the one before it ended: with a full stop, not a comma
  return clauses.filter((_, i) => i !== k).join('').replace(/[，；、：]$/, '。');
}

/**
 * Gives each shown bullet a distinct lead: its measure title, article number or innermost heading (not a
 * slogan, at most 32 characters); when that lead opens the key sentence the sentence continues after it;
 * when every heading is taken by an earlier bullet, the sentence's first clause of substance.
 */
function assignLeads(bullets: Bullet[], hasContentWord: (t: string) => boolean): { lead: string; sentence: string }[] {
  const taken = new Set<string>();
  return bullets.map((b) => {
    const r = b.record;
    const path = r.sectionPath ?? (r.section ? r.section.split(' > ') : []);
    // a structured document's bullet stands for its top-level section: the section heading leads
    // the innermost numbered heading of a policy text (（二）实施能力提升工程, 第三章…) names the measure better than a phrase inside it
    const numbered = [...path].reverse().find((h) => /^(（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|第[一二三四五六七八九十百]+[章节])/.test(h));
    // a bullet standing for a whole other article of a page (a labelled bullet) is led by that article's headline
    const options = [b.label ? path[0] : undefined, b.sectionKey, numbered, r.measureTitle, r.article, path.at(-1)]
      .filter((x): x is string => !!x)
      .map((x) => x.replace(/^——/, '').replace(/[。；]$/, ''))
      // a heading that repeats the document's (sub)title is not a lead (004 prints its subtitle as a heading)
      // (a section's own heading names it even when printed as a couplet, 压实责任链 提升党建质效: the slogan rule is for running text)
      .filter((x) => x.length >= 2 && x.length <= 32 && (x === b.sectionKey || !isSlogan(x, hasContentWord)) && !taken.has(x) && !normTitle(r.title).includes(normTitle(x)));
    for (const o of options) {
      // an article number or heading that opens the sentence is not repeated after the lead
      if (b.sentence.startsWith(o) && b.sentence.length > o.length + 8) {
        taken.add(o);
        return { lead: o, sentence: b.sentence.slice(o.length).replace(/^[\s，：。]+/, '') };
      }
      if (!b.sentence.includes(o)) {
        taken.add(o);
        return { lead: o, sentence: b.sentence };
      }
      const split = splitLead(b.sentence, o);
      if (split && !taken.has(split.lead)) {
        taken.add(split.lead);
        return { lead: split.lead, sentence: split.rest };
      }
      // the lead sits inside the sentence: drop its clause there when it is a whole clause, else repeat it
      taken.add(o);
      return { lead: o, sentence: withoutClause(b.sentence, o) };
    }
    const split = splitLead(b.sentence, undefined, 24);
    if (split && !taken.has(split.lead)) {
      taken.add(split.lead);
      return { lead: split.lead, sentence: split.rest };
    }
    // last resort: the first usable lead even when it sits inside the sentence; its clause is then dropped there
    const first = b.sentence.split(/，|……/).find((c) => c && !TIME_OR_CONNECTIVE.test(`${c}，`)) ?? b.sentence;
    const lead = options[0] ?? (first.length > 16 ? `${wordPrefix(first, 15)}…` : first);
    taken.add(lead);
    return { lead, sentence: withoutClause(b.sentence, lead) };
  });
}

/**
 * Builds a bullet from one record: drops the lead sentence (the heading repeated as the paragraph's
 * opening), slogans and sentences that tell nothing (`informativeness` < 1 and no topic word), picks the
 * sentence that tells most (plus its neighbour when short and it adds figures), shortened to `maxSentence`.
 * Undefined when nothing in the record is worth a bullet (a caption, a closing pledge, scene-setting).
 */
export function makeBullet(
  c: DraftCandidate,
  input: Pick<DraftInput, 'topicWeights' | 'passageRelevance' | 'hasContentWord' | 'bySection'>,
  maxSentence: number,
): Bullet | undefined {
  const r = c.record;
  const weights: TopicWeights = input.topicWeights ?? new Map();
  if (input.passageRelevance && input.passageRelevance(`${r.title}\n${r.section}\n${r.text}`) < MIN_PASSAGE_TOPIC_SHARE) return undefined;
  const heads = [r.measureTitle, ...(r.sectionPath ?? r.section.split(' > '))].filter(Boolean).map((h) => h!.replace(/[。；]$/, ''));
  // a table row reads as its name and its other cells (河口村：所在乡镇青石镇，建筑面积（平方米）320), not as the
  // indexed “caption · header：cell” line
  if (r.unit === 'table-row' && r.table) {
    // a cell (or header) with words parted by spaces holds several cells a print extraction ran together: the row is unreadable
    if ([...r.table.header, ...r.table.cells].some((cell) => isLayoutLine(cell))) return undefined;
    const sentence = rowSentence(r.table);
    if (!sentence) return undefined;
    return { lead: '', sentence, more: [], figures: extractFigures(sentence), record: r, score: c.relevance, order: c.order, group: c.group, label: c.label, sectionKey: input.bySection?.(r) };
  }
  const sentences = sentencesOf(r.text).filter((s) => {
    const bare = s.replace(/[。；！]$/, '');
    return (
      !heads.includes(bare) &&
      !isTitleLine(bare, r.title) &&
      !isSlogan(bare, input.hasContentWord) &&
      !isContactLine(bare) &&
      !isCutTail(bare) &&
      !isApparatus(bare) &&
      !isBoilerplate(bare) &&
      !isDateline(bare) &&
      !isLayoutLine(s)
    );
  });
  const scored = sentences.map((s, i) => {
    const info = informativeness(s);
    const topical = weightIn(s, weights);
    // a sentence that would lose more than a third of itself to fit reads as fragments: one that fits is preferred
    const cut = s.length > 1.5 * maxSentence ? 1.5 : 0;
    return { s, i, info, topical, score: info + 3 * topical + (i === 0 ? 0.3 : 0) - (s.length < 12 ? 2 : 0) - cut };
  });
  // a topic draft quotes sentences that name the topic, or tell something under a heading that names it;
  // a document draft any sentence that tells something
  const headingTopical = weightIn(heads.join(' '), weights) > 0;
  // (an interviewee's words, “…”某某说, are colour, not a measure: never a bullet's key sentence)
  let eligible = scored.filter((x) => !isSpeech(x.s) && (weights.size ? (x.topical > 0 && x.info >= 0) || (headingTopical && x.info >= 1) : x.info >= 1));
  // a lead paragraph of a document draft is a part of it even when it states no measure (one of a commentary's
  // “六种关系”): its plainest sentence stands for it
  // and so is an article (第十条 …由村党组织进行谈心谈话): a provision binds whether or not it counts or names an action
  if (!eligible.length && !weights.size && ((r.type === 'measure' && r.measureTitle) || r.article || r.unit === 'article')) eligible = scored.filter((x) => !isSpeech(x.s) && x.info >= 0);
  if (!eligible.length) return undefined;
  const best = eligible.reduce((a, b) => (b.score > a.score ? b : a));
  // its figures: a second sentence joins when it carries figures the best one lacks (in reading order, shortened to fit)
  const bestFigures = new Set(extractFigures(best.s));
  const second = scored
    .filter((x) => x !== best && x.info >= 2 && extractFigures(x.s).some((f) => !bestFigures.has(f)))
    .sort((a, b) => b.score - a.score)[0];
  const room = Math.round(maxSentence * 1.2) - Math.min(best.s.length, maxSentence);
  let text = shorten(best.s, maxSentence);
  // an article (第八条) is one provision: when it fits, it is quoted whole, its exceptions and limits with it
  const whole = r.article ? sentences.join('') : '';
  if (whole && whole.length <= Math.round(maxSentence * 1.2)) text = whole;
  else if (second && room >= 30) {
    const extra = shorten(second.s, room);
    text = second.i < best.i ? extra + text : text + extra;
  }
  const sentence = text.replace(/[，、：]$/, '……').replace(/；$/, '。');
  const more = eligible
    .filter((x) => x !== best && x.info >= 1 && !text.includes(x.s.slice(0, 12)))
    .sort((a, b) => b.score - a.score)
    .map((x) => ({ text: shorten(x.s, maxSentence).replace(/[，、：]$/, '……').replace(/；$/, '。'), record: r }));
  // a stated next step is no measure, but a concrete one (an action on a named programme or with a figure: 下一步…年底
  // 评选“十佳党员中心户”) closes its passage's quotes when the draft has room left
  const plans = scored
    .filter((x) => x !== best && isOutlook(x.s) && !isSpeech(x.s) && actionCount(x.s) >= 1 && (namedTerms(x.s).length > 0 || extractFigures(x.s).length > 0))
    .filter((x) => (!weights.size || x.topical > 0 || headingTopical) && !text.includes(x.s.slice(0, 12)))
    .map((x) => ({ text: shorten(x.s, maxSentence).replace(/[，、：]$/, '……').replace(/；$/, '。'), record: r }));
  more.push(...plans);
  return {
    lead: '',
    sentence,
    more,
    figures: extractFigures(sentence),
    record: r,
    score: best.score + c.relevance,
    order: c.order,
    group: c.group,
    label: c.label,
    sectionKey: input.bySection?.(r),
  };
}

/**
 * A table row as one sentence: the cell that names it (the first, or after a 序号 the cell under a name header such as
 * 村名, else the first cell of words), then
 * every other cell after its header (“河口村：所在乡镇青石镇，建筑面积（平方米）320，建成年份2021。”).
 */
function rowSentence(table: { header: string[]; cells: string[] }): string | undefined {
  const { header, cells } = table;
  const numbered = /^\d+$/.test(cells[0] ?? '');
  const wordy = (k: number) => k > 0 && /[\u4e00-\u9fff]/.test(cells[k] ?? '');
  // (a column headed as a name, 村名/党支部名称/姓名/项目, before the first column of words)
  const named = header.findIndex((h, k) => wordy(k) && /名称|名$|姓名|项目/.test(h));
  const name = numbered ? (named >= 0 ? named : cells.findIndex((_, k) => wordy(k))) : 0;
  if (name < 0 || !cells[name]) return undefined;
  const rest = cells.map((c, k) => (k === name || (numbered && k === 0) || !c ? '' : withUnit(header[k] ?? '', c))).filter(Boolean);
  return `${cells[name]}：${rest.join('，')}。`;
}

/**
 * A cell as the row sentence says it, after its header: a bare number takes the measure word the header gives in
 * brackets (建成数量（个）30 → 建成数量30个) or 分 under a score (分值20 → 分值20分), so a figure reads with its unit;
 * any other cell follows its header as it is.
 */
function withUnit(header: string, cell: string): string {
  const bare = /^\d+(?:\.\d+)?$/.test(cell.trim());
  const bracket = /[（(]([\u4e00-\u9fff%]{1,3})[）)]\s*$/.exec(header);
  if (bare && bracket) return `${header.slice(0, bracket.index)}${cell}${bracket[1]}`;
  return `${header}${cell}${bare && /分值|得分|分数|满分/.test(header) ? '分' : ''}`;
}

/**
 * A bullet's quotes of one passage with one more (`next`), each where it stands in the passage's `text`: a staff
 * member reads 截至…共储备436名。从年龄看…从学历看…从来源看… in the report's order, not in the order the draft picked
 * them. A quote not found in `text` keeps its place after those found before it.
 */
export function inReadingOrder(sentence: string, next: string, text: string): string {
  const pieces = [...sentencesOf(sentence.replace(/……$/, '。')), next];
  let last = -1;
  const at = pieces.map((p) => {
    const i = text.indexOf(p.replace(/^[\s，：]+/, '').slice(0, 10));
    return (last = i >= 0 ? i : last + 0.5);
  });
  return pieces
    .map((p, k) => ({ p, at: at[k]!, k }))
    .sort((x, y) => x.at - y.at || x.k - y.k)
    .map((x) => x.p)
    .join('');
}

/**
 * Quotes of other passages of one document (`source`) in the order the document prints them (第五条 before 第六条), by
 * their records' offsets; quotes from several documents (a topic draft) keep the order the draft took them in.
 */
export function readingOrder<T extends { record: IndexRecord }>(added: T[], source: string): T[] {
  if (!added.every((a) => a.record.source === source && a.record.start !== undefined)) return added;
  return [...added].sort((x, y) => x.record.start! - y.record.start!);
}

/**
 * The parts of a section in the order a draft short of room should state them: in turns by sub-section (the first
 * passage of （一）, of （二）, … then the second of each), so every sub-section is stated once before one is stated
 * twice; within a turn an article that only defines the text's terms or its scope (`isScopeOrDefinition`) last, one
 * that states a figure (a standard, a limit, an amount: 课酬每课时200元) before one that states none, the others in
 * the order given (reading order: （二） before （四）, as the document ranks them). The
 * sub-section is a passage's second heading (`sectionPath[1]`: （二）选好配强支部书记 under 二、主要任务); an article
 * (第十三条) is its own; the `bullet`'s own passage has stated its sub-section once. The draft shows the parts it keeps in reading order (`readingOrder`).
 */
export function bySubPart<T extends { text: string; record: IndexRecord }>(parts: T[], bullet?: IndexRecord): T[] {
  const key = (r: IndexRecord) => r.sectionPath?.[1] ?? '';
  // (the bullet's own passage has stated its sub-section once already)
  const seen = new Map<string, number>(bullet && key(bullet) ? [[key(bullet), 1]] : []);
  const turn = parts.map((p) => {
    const k = key(p.record);
    const n = seen.get(k) ?? 0;
    seen.set(k, n + 1);
    return k ? n : 0;
  });
  const last = parts.map((p) => (isScopeOrDefinition(p.record.text) ? 1 : 0));
  const figureless = parts.map((p) => (extractFigures(p.text).length ? 0 : 1));
  return parts
    .map((p, i) => ({ p, i }))
    .sort((a, b) => turn[a.i]! - turn[b.i]! || last[a.i]! - last[b.i]! || figureless[a.i]! - figureless[b.i]! || a.i - b.i)
    .map(({ p }) => p);
}

function bulletLine(b: Bullet, n: number): string {
  return `- **${b.lead}**${b.sentence ? `：${b.sentence}` : '。'} [${n}]`;
}

/**
 * Interleaves a list ordered best first by key: the best of every key, then the second best of every key…
 * With `secondary`, the keys it marks take their turn after the others' first round and then only after every
 * other key is used up (a page's other articles get one bullet each; the lead article gets the rest).
 */
export function roundRobin<T>(items: T[], key: (t: T) => string, secondary?: (t: T) => boolean): T[] {
  if (secondary) {
    const main = roundRobin(items.filter((t) => !secondary(t)), key);
    const side = roundRobin(items.filter(secondary), key);
    const firstRound = new Set(main.map(key)).size;
    const sideFirst = new Set(side.map(key)).size;
    return [...main.slice(0, firstRound), ...side.slice(0, sideFirst), ...main.slice(firstRound), ...side.slice(sideFirst)];
  }
  const queues = new Map<string, T[]>();
  for (const t of items) {
    const k = key(t);
    if (!queues.has(k)) queues.set(k, []);
    queues.get(k)!.push(t);
  }
  const out: T[] = [];
  for (let round = 0; out.length < items.length; round++) for (const q of queues.values()) if (q[round]) out.push(q[round]!);
  return out;
}

/** Weight of a figure for the 导语: money and people first, percentages last, larger counts slightly first. */
function figureWeight(f: string): number {
  const value = Number(f.match(/\d+(?:\.\d+)?/)?.[0] ?? 0) * (/亿/.test(f) ? 1e8 : /万/.test(f) ? 1e4 : 1);
  const unit = /元/.test(f) ? 3 : /(名|人)/.test(f) ? 2.5 : /[%％]|百分点/.test(f) ? 1 : 2;
  return unit + 0.3 * Math.log10(value + 1);
}

/**
 * How a document came from its issuer: a 通知, 办法 or 方案 is 印发 (sent down to be carried out); a report, a summary or
 * minutes (调研报告, 工作总结, 会议纪要) is 形成 (written up and sent up). 《党政机关公文处理工作条例》 第八条 (报告: 向上级机关
 * 汇报工作、反映情况; 通知: 发布、传达要求下级机关执行).
 */
export function issuingVerb(title: string): string {
  return /(报告|总结|纪要|汇报)$/.test(title.replace(/[（(][^（）()]*[）)]$/, '')) ? '形成' : '印发';
}

/** The 导语: when and where, what the document or topic is about, and up to three headline figures with their citations. */
export function ledeLine(facts: LedeFacts, bullets: Bullet[], cite: (r: IndexRecord) => number): string {
  const sources = [...new Set(bullets.map((b) => b.record.source))];
  const when = dateSpan(sources.map(facts.dateOf).filter((d): d is string => !!d));
  // a topic draft's groups are places; a document draft's are its sections, never a place
  const where = facts.place ?? (facts.title ? '' : [...new Set(bullets.map((b) => b.group).filter(Boolean))].slice(0, 3).join('、'));
  let opening: string;
  if (facts.title) {
    const lead = when ? `${when}，` : '';
    // a title that opens with the 《》 of the document it explains (《…办法》政策解读) gets no second pair
    const named = /^《[^》]+》/.test(facts.title) ? facts.title : `《${facts.title}》`;
    opening = facts.issuer
      ? `${lead}${facts.issuer}${issuingVerb(facts.title)}${named}。`
      : where || !facts.author
        ? `${lead}${named}记述${where ? `${where}的` : '有关'}做法。`
        : `${lead}${named}为${facts.author}署名文章。`;
    // the thesis sentence, unless a bullet already quotes it
    const thesis = facts.thesis;
    if (thesis && !bullets.some((b) => containment(b.sentence, thesis.sentence) >= DUPLICATE_CONTAINMENT)) opening += `${thesis.sentence}[${cite(thesis.record)}]`;
  } else {
    const kinds = new Set(sources.map((s) => facts.kindOf?.(s) ?? '报道'));
    const kind = kinds.size === 1 ? [...kinds][0]! : '资料';
    const scope = sources.length > 1 ? `${sources.length}${kind === '报道' ? '篇' : '份'}${kind}` : kind;
    const subject = facts.subject ? `在${facts.subject}方面` : '';
    opening = `据${when ? `${when}的` : ''}${scope}，${where || '各地'}${subject}的主要做法如下。`;
  }
  // a condition (“有正式党员3人以上的村”) is not a headline figure; the figures are the draft's subject's (its
  // unlabelled bullets), not those of other articles printed on the same page
  const own = bullets.filter((b) => !b.label);
  const figures = (own.length ? own : bullets)
    .flatMap((b) => {
      const conditions = new Set(findFigures(b.sentence).filter((x) => x.condition).map((x) => x.text));
      return b.figures.filter((f) => !conditions.has(f)).map((f) => ({ b, f, w: figureWeight(f) + 0.5 * b.score }));
    })
    .sort((x, y) => y.w - x.w);
  const picked: string[] = [];
  const used = new Set<Bullet>();
  for (const { b, f } of figures) {
    if (picked.length >= 3 || used.has(b)) continue;
    const clause = figureClause(b.sentence, f);
    if (!clause || picked.some((p) => p.includes(clause) || clause.includes(p.replace(/\[\d+\]$/, '')))) continue;
    picked.push(`${clause}[${cite(b.record)}]`);
    used.add(b);
  }
  return `**导语**：${opening}${picked.length ? `主要数据：${picked.join('；')}。` : ''}`;
}

/**
 * Writes the draft. Bullets are made from the candidates in relevance order, near-duplicates merged
 * (`containment` ≥ `DUPLICATE_CONTAINMENT`, one bullet per lead, one per section when `bySection`), then
 * kept by score while the whole draft fits `maxChars`; shown in reading order (one document) or grouped by
 * place (a topic). The length stays under `maxChars`.
 */
export function writeDraft(input: DraftInput): Draft {
  const maxChars = clampMaxChars(input.maxChars);
  const fullSentence = maxChars >= 900 ? 120 : maxChars >= 600 ? 90 : 60;
  const parts = new Set(input.candidates.map((c) => input.bySection?.(c.record)).filter((k) => k !== undefined)).size;
  const maxSentence = input.provisions ? provisionSentence(parts, maxChars, fullSentence) : fullSentence;
  const cap = input.provisions ? Infinity : maxBullets(maxChars);
  const bullets: Bullet[] = [];
  for (const c of [...input.candidates].sort((a, b) => b.relevance - a.relevance)) {
    // another article of a page gets one short sentence: the draft is about its lead article
    const b = makeBullet(c, input, c.label ? Math.min(maxSentence, OTHER_ARTICLE_SENTENCE) : maxSentence);
    if (!b) continue;
    const dup = bullets.findIndex(
      (o) =>
        (b.sectionKey !== undefined && o.sectionKey === b.sectionKey) ||
        containment(o.record.text, b.record.text) >= DUPLICATE_CONTAINMENT ||
        containment(o.sentence, b.sentence) >= DUPLICATE_CONTAINMENT,
    );
    if (dup < 0) bullets.push(b);
    // another passage of a section that already has its bullet (（三）强化运行管理 under 二、主要措施) offers its key
    // sentence for the fill below
    else if (b.sectionKey !== undefined && bullets[dup]!.sectionKey === b.sectionKey && containment(bullets[dup]!.sentence, b.sentence) < DUPLICATE_CONTAINMENT) {
      // (the key sentences of its sub-parts in the order the document prints them: （一）（二）（三）, each before any
      // second sentence of one of them)
      const kept = bullets[dup]!;
      const more = kept.more ?? [];
      const parts = bySubPart(readingOrder([...more.filter((m) => m.part), { text: b.sentence, record: b.record, part: true }], kept.record.source), kept.record);
      const first = more[0] && !more[0].part ? [more[0]] : [];
      kept.more = [...first, ...parts, ...more.slice(first.length).filter((m) => !m.part)];
    } else {
      // the passage a measure was cut from (a chunk holding the measure's text) offers its other sentences for the fill
      const kept = bullets[dup]!;
      if (kept.record.type === 'measure' && b.record.type === 'chunk' && b.record.text.length > kept.record.text.length && containment(kept.record.text, b.record.text) >= DUPLICATE_CONTAINMENT) {
        // (sentence by sentence: the chunk's key sentence may have joined a second one the measure lacks)
        const offered = [...sentencesOf(b.sentence).map((text) => ({ text, record: b.record })), ...(b.more ?? [])];
        const fresh = offered.filter((o) => containment(kept.sentence, o.text) < DUPLICATE_CONTAINMENT && !(kept.more ?? []).some((m) => containment(m.text, o.text) >= DUPLICATE_CONTAINMENT));
        // right after the measure's own sentences: the paragraph it stands in reads on before other passages do
        const own = (kept.more ?? []).filter((m) => m.record === kept.record);
        kept.more = [...own, ...fresh, ...(kept.more ?? []).filter((m) => m.record !== kept.record)];
      }
    }
  }
  // a bullet under a label (another article of a page) is one sentence: the fill below is for the draft's own subject
  for (const b of bullets) if (b.label) b.more = [];
  const byScore = [...bullets].sort((a, b) => b.score - a.score);
  // one document: its articles or sections take turns (best of each first), so a page of five articles shows all five
  // (so do the items of a coordinated topic, `groupOrder`: each item's best bullet before any item's second)
  const ranked = input.order === 'reading' || input.groupOrder ? roundRobin(byScore, (b) => b.group ?? '', (b) => !!b.label) : byScore;
  const display = (list: Bullet[]): Bullet[] => {
    if (input.order === 'reading') return [...list].sort((a, b) => Number(!!a.label) - Number(!!b.label) || a.order - b.order);
    const rank = (g: string) => (input.groupOrder?.includes(g) ? input.groupOrder.indexOf(g) : (input.groupOrder?.length ?? 0));
    const groups = [...new Set(list.map((b) => b.group ?? ''))].sort((a, b) => rank(a) - rank(b));
    // (within a group, one document's bullets follow its reading order, a document after the one of the better bullet:
    // 一、…二、…三、… of one 简报 read as the 简报 does)
    const readingWithin = (g: Bullet[]) => {
      const sources = [...new Set(g.map((b) => b.record.source))];
      return sources.flatMap((src) => g.filter((b) => b.record.source === src).sort((a, b) => (a.record.start ?? 0) - (b.record.start ?? 0)));
    };
    return groups.flatMap((g) => readingWithin(list.filter((b) => (b.group ?? '') === g)));
  };
  const render = (chosen: Bullet[]): Draft => {
    const leads = assignLeads(display(chosen), input.hasContentWord);
    const shown = display(chosen).map((b, i) => {
      const { lead, sentence } = leads[i]!;
      // a section with sub-sections names them (a table of contents in one line) before its key sentence
      const subs = b.sectionKey ? (input.subHeadings?.(b.sectionKey) ?? []) : [];
      const outline = subs.length >= 2 && subs.join('、').length <= 60 ? `${subs.join('、')}。` : '';
      return { ...b, lead, sentence: outline && !sentence.startsWith(outline) ? `${outline}${sentence}` : sentence };
    });
    const cited: IndexRecord[] = [];
    const cite = (r: IndexRecord) => {
      let i = cited.indexOf(r);
      if (i < 0) i = cited.push(r) - 1;
      return i + 1;
    };
    // bullets are numbered first so that [n] follows the order of the list
    const lines: string[] = [];
    const grouped = input.order === 'group' && new Set(shown.map((b) => b.group ?? '')).size > 1;
    let group: string | undefined;
    let label: string | undefined;
    for (const b of shown) {
      if (grouped && b.group !== group) {
        group = b.group;
        lines.push(`**${group || '其他'}**`);
      }
      if (input.order === 'reading' && b.label && b.label !== label) {
        label = b.label;
        lines.push(`**${label}**`);
      }
      const own = cite(b.record);
      lines.push(`${bulletLine(b, own)}${readingOrder(b.added ?? [], b.record.source).map((a) => ` ${a.text} [${cite(a.record)}]`).join('')}`);
    }
    const lede = ledeLine(input.lede, shown, cite);
    return { markdown: [`## ${input.title}`, '', lede, '', ...lines].join('\n'), cited, bullets: shown };
  };
  const chosen: Bullet[] = [];
  for (const b of ranked) {
    if (chosen.length >= cap) break;
    if (render([...chosen, b]).markdown.length < maxChars) chosen.push(b);
  }
  let draft = render(chosen);
  while (draft.markdown.length >= maxChars && chosen.length) {
    chosen.pop();
    draft = render(chosen);
  }
  // room left: each bullet in turn, the shortest first (sections end up balanced), quotes its passage's next-best
  // sentence while the draft stays under FILL_SHARE
  const fill = Math.floor(maxChars * FILL_SHARE);
  const queue = chosen.map((b) => [...(b.more ?? [])]);
  const size = (b: Bullet) => b.sentence.length + (b.added ?? []).reduce((n, a) => n + a.text.length, 0);
  // (a section with more to say, 主要任务 of five sub-parts beside 工作要求 of three, gets room in proportion: its size is
  // weighed against the number of sentences it had to offer; measured on the tuning sets' document summaries, where
  // equal turns and a square root each lost a key point of a 方案's tasks that this keeps)
  const weight = queue.map((q) => 1 + q.length);
  for (let grew = true; grew && draft.markdown.length < fill; ) {
    grew = false;
    const turns = chosen.map((_, i) => i).sort((x, y) => size(chosen[x]!) / weight[x]! - size(chosen[y]!) / weight[y]! || x - y);
    for (const i of turns) {
      const b = chosen[i]!;
      const next = queue[i]!.shift();
      if (!next) continue;
      // a quote whose figures the bullet already states (a table's 合计 row under the paragraph it sums) adds nothing
      const said = [b.sentence, ...(b.added ?? []).map((a) => a.text)].join('');
      const its = extractFigures(next.text);
      if (its.length && its.every((f) => said.includes(f))) {
        grew = true;
        continue;
      }
      const figures = [...b.figures, ...extractFigures(next.text)];
      const longer =
        next.record === b.record
          ? { ...b, sentence: inReadingOrder(b.sentence, next.text, b.record.text), figures }
          : { ...b, added: [...(b.added ?? []), next], figures };
      const tried = render(chosen.map((c) => (c === b ? longer : c)));
      if (tried.markdown.length > fill) continue;
      chosen[i] = longer;
      draft = tried;
      grew = true;
      // (one sentence at a time, then the turns are weighed again)
      break;
    }
  }
  return draft;
}
