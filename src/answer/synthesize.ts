import { dropInsertedAlternatives, foldOptionalChars } from '../ingest/normalize.js';
import { splitSentences } from '../ingest/sentences.js';
import { Traced } from '../ingest/traced.js';
import { isShortFormOf } from '../ingest/abbreviation.js';
import type { ExpandedQuery } from '../retrieval/glossary.js';
import type { Lexicon } from '../ingest/lexicon.js';
import type { KnowledgeIndex } from '../retrieval/knowledge-index.js';
import type { SearchHit } from '../retrieval/retriever.js';
import { cellsNamedIn, PERSON_STATED, PLACE_STATED, sameTable } from './retrieve.js';
import type { IndexRecord, SectionInfo } from '../types.js';
import { conditionFit, DATE_OR_PERIOD, figureScore, findFigures, inRange, isPeopleUnit, leadingUnit, looseFigure, matchFigure, PERIOD, questionBigrams, sameKind, statedAmounts, unitClass, type FigureAsk, type UnitClass } from './figures.js';
import type { TermStats } from './ground.js';
import { FUNCTION_TAG, topWords } from './ground.js';
import { parseNumeral } from '../ingest/numerals.js';
import { dictionaryEntry, getJieba } from '../ingest/segment.js';
import { ANNOUNCES_ITEMS, announcedItems, countingNoun, introducedItemsOf, ledItems, namesSet, numberedItems, PART_WORDS, PROVISION_WORDS } from './items.js';
import { formatDate } from './summary/draft.js';
import { normTitle } from './summary/target.js';
import { askedRole, DIRECTION_COMPLEMENT, DONE, FIGURE_FRAME, FINISH, isDirectionWord, MODAL, negatedVerb, ownWordsOfPart } from './wording.js';
import { askedAmount, CHANGE_VERB, META_LABEL, type ListAsk, type Query, type RowFilter } from './query.js';
import escapeRegExp from 'escape-string-regexp';

/**
 * The extractive synthesizer: builds an answer from the retrieved passages by the shape of the question —
 * an article by number, an enumeration (sibling sections, list items, the N things a sentence announces),
 * a table cell, one sentence per part of a multi-part question, or the sentence holding the asked figure
 * next to the asked noun. Every statement carries its `[n]` (n = 1-based position in `hits`).
 */

/** A synthesized answer before grounding: its text, the hits it cites, and the evidence it stands on. */
export interface Draft {
  /** Answer text with `[n]` markers (n = 1-based index into the hits). */
  text: string;
  /** Indexes (0-based) of the hits cited. */
  used: number[];
  /** For figure questions: the asked figure was found (else the draft is empty). */
  figureFound?: boolean;
  /** The figure found counts the asked noun (or is in the asked measure word): strength 2. */
  figureStrong?: boolean;
}

/** Everything the synthesizer needs besides the query and the hits. */
export interface SynthesisContext {
  index: KnowledgeIndex;
  stats: TermStats;
  /** Place names and their hierarchy; without it a figure is not checked against the place asked. */
  lexicon?: Lexicon;
}

/**
 * The share of the best sentence's score at which a sentence is still about the question (see `scoreSentences`): a
 * sentence scoring less only shares some of its words. Used where a rule prefers a kind of sentence (one stating a
 * place, one stating the asked condition, a passage numbering items) over the best one.
 */
const ABOUT_SHARE = 0.5;

interface Scored {
  text: string;
  hit: number;
  position: number;
  score: number;
  figure: 0 | 1 | 2;
}

/** Sentences of a record (table rows and list records are one unit each). */
function sentencesOf(r: IndexRecord): string[] {
  if (r.unit === 'table-row') return [r.text];
  return splitSentences(Traced.of(r.text)).map((s) => s.text);
}

/** The query terms found in `text`, without sub-words of a longer found term. */
export function matchedTerms(text: string, terms: Iterable<string>): string[] {
  return topWords([...terms].filter((t) => (t.length > 1 || /\d/.test(t)) && text.includes(t)));
}

/**
 * Scores every sentence of the hits: idf-weighted overlap with the question's words (glossary additions at
 * their weight), +0.5 for the asked figure next to the asked noun, +0.2 for a weaker figure match, and a small
 * prior for the passage's rank. Linear in the number of sentences times question words.
 */
export function scoreSentences(expanded: ExpandedQuery, hits: SearchHit[], stats: TermStats, figure?: FigureAsk, question = '', defines?: string): Scored[] {
  const terms = [...expanded.terms.keys()];
  const qBigrams = questionBigrams(question);
  // (the amounts a question states, not years: 50 of 收入过50万, not 2026 of 2026年)
  // (in the measure word the question gives, if any: 请5天假 is not “每月5日前”)
  const stated = [...question.matchAll(/(?<![\d.])(\d+(?:\.\d+)?)(?![\d.])(?!年)/g)].map((m) => {
    const unit = leadingUnit(question.slice(m.index! + m[0].length));
    return new RegExp(`(?<![\\d.])${m[1]!.replace('.', '\\.')}(?![\\d.])${unit ? `(?=${unit[0]})` : ''}`);
  });
  const amounts = statedAmounts(question);
  const fitOf = amounts.length ? conditionFit(amounts) : undefined;
  const asksNow = NOW_ASKED.test(question) && !TARGET_ASKED.test(question);
  // (a question about what has not happened, 还没找着工作的党员, is answered by the clause that says so, 暂未落实工作单位的,
  // before its positive sibling, 已落实工作单位的; an A-not-A question, 有没有, negates nothing)
  const negated = NOT_DONE.test(question.replace(/([\u4e00-\u9fff])[没不]\1/g, ''));
  const handlingAsked = HANDLING_ASKED.test(question);
  // (the question's own words as jieba tags them: 接下来 is one word, no 接下 of it, and 报到 one, not 报|到)
  // (specific words only: at least a quarter of the largest idf, and 0.6 of the most specific one's; 党员 of 对少交党费的
  // 党员 names no case)
  const candidates = handlingAsked ? [...new Set(getJieba().tag(question, true).filter((w) => w.word.length >= 2 && /^(n|nz|vn|v|a)$/.test(w.tag) && !HANDLING_ASKED.test(`怎么${w.word}`)).map((w) => w.word))] : [];
  const topIdf = Math.max(0, ...candidates.map((w) => stats.idf(w)));
  const caseWords = candidates.filter((w) => stats.idf(w) >= 0.6 * topIdf && stats.idf(w) >= 0.25 * stats.idf('\u0000')).sort((a, b) => stats.idf(b) - stats.idf(a)).slice(0, 2);
  let norm = 0;
  for (const t of topWords(terms)) norm += expanded.terms.get(t)! * stats.idf(t);
  const out: Scored[] = [];
  hits.forEach((h, i) => {
    const context = `${h.record.section}`;
    sentencesOf(h.record).forEach((s, position) => {
      let overlap = 0;
      // (both readings of a bracket: 4600余人（次） as 人次, 乡镇（街道）党（工）委 as 乡镇党委)
      for (const t of matchedTerms(`${foldOptionalChars(s)}\n${dropInsertedAlternatives(s)}`, terms)) overlap += expanded.terms.get(t)! * stats.idf(t);
      // words found only in the section path count half (the sentence belongs to that section)
      for (const t of matchedTerms(context, terms)) if (!s.includes(t)) overlap += 0.5 * expanded.terms.get(t)! * stats.idf(t);
      const { score: figureBonus, strength: f } = figure ? figureScore(s, figure, qBigrams) : { score: 0, strength: 0 as const };
      // a definition (“本办法所称流动党员，是指……”) answers 什么是/什么样的…算; a date answers 什么时候
      const definitionBonus = defines && s.includes(defines) && /所称|是指|指的是|系指|是[^，。]{0,20}的统称/.test(s) ? 0.6 : 0;
      // a rule's item for a category the question names (考核为“好”的，… ← 评了好的): the category quoted and taken as a
      // noun by 的, a grade often too short for the word overlap to see; a quoted modifier (“两新”组织) is not one
      const quotedBonus = question && [...s.matchAll(/“([^”]{1,4})”的/g)].some((m) => question.includes(m[1]!)) ? 0.5 : 0;
      // an amount the question states (收入过50万的村) is a condition the answer repeats (50万元以上强村达38个)
      // or a condition the stated amount meets (请5天假 ← “3天以上的，由……共同审批”, not “3天以内的”)
      const fit = fitOf ? fitOf(s) : 0;
      const statedBonus = (stated.length ? (0.3 * stated.filter((n) => n.test(s)).length) / stated.length : 0) + 0.3 * fit;
      // a question of what is now (现在有多少) is not answered by a target (力争……达到120个, 计划, 到2027年底)
      const targetPenalty = asksNow && TARGET.test(s) ? 0.3 : 0;
      const polarity = negated && NOT_DONE_STATED.test(s) ? 0.15 : 0;
      // a question of how a case is dealt with (评了不合格，怎么处理) is answered by the rule for that case, written
      // 对……的(党员)，(应当)…… (对评定为不合格的党员，党支部应当……), not by a sentence that merely names the case
      // (a rule for the case asked: its case clause holds one of the question's two most specific words, 不合格 of 评了不合格;
      // 对少交党费的党员 is no rule for 不按时报到)
      const caseClause = handlingAsked ? HANDLING_RULE.exec(s)?.[1] : undefined;
      const handling = caseClause ? (0.3 * caseWords.filter((w) => caseClause.includes(w)).length) / Math.max(1, caseWords.length) : 0;
      const bonus = figureBonus + definitionBonus + quotedBonus + statedBonus + polarity + handling - targetPenalty;
      out.push({ text: s, hit: i, position, score: (norm ? overlap / norm : 0) + bonus + 0.1 / (i + 1), figure: f });
    });
  });
  return out.sort((a, b) => b.score - a.score);
}

/** A question of how a case is dealt with: 怎么处理, 如何处置, 咋办, 会怎么样, 有什么后果. */
const HANDLING_ASKED = /(?:怎么|怎样|如何|咋)(?:处理|处置|办|弄|对待|管)|会怎么样|会咋样|什么后果|什么处理|哪些处理/;
/** A rule for a case: 对 + the case closed by 的 (or 的 + its noun) + a comma (对评定为不合格的党员，…; 对逾期未报的，…); group 1 the case clause. */
const HANDLING_RULE = /(?:^|[，；。：])(?:（[一二三四五六七八九十]+）)?(对[^，；。]{2,30}的[^，；。]{0,6})，/;

/** A question about the present state (现在, 目前, 如今, 已经, 已有, 截至目前). */
const NOW_ASKED = /现在|目前|如今|眼下|已经|已有|截至目前/;
/** A question about a plan or a target (计划, 打算, 目标, 力争, 明年, 要达到, 争取). */
const TARGET_ASKED = /计划|打算|目标|力争|争取|预计|明年|下一步|要达到|准备/;
/** A sentence stating a target or a plan, not a state: 力争, 争取, 计划, 预计, 目标, 到2027年底. */
const TARGET = /力争|争取|计划|预计|目标|打算|到20\d\d年(?:底|末)?/;

/**
 * Shortens a long sentence to the run of clauses that carry the question's words or the asked figure,
 * marking cuts with “……”. Sentences up to `max` characters are kept whole.
 */
export function focusSentence(sentence: string, expanded: ExpandedQuery, figure?: FigureAsk, max = 120): string {
  if (sentence.length <= max) return sentence;
  const clauses = sentence.split(/(?<=[，；：])/);
  const weight = clauses.map((c) => (figure ? matchFigure(c, figure).strength * 3 : 0) + matchedTerms(c, expanded.terms.keys()).length);
  const best = Math.max(...weight);
  if (best === 0) return `${sentence.slice(0, max)}……`;
  const anchor = weight.indexOf(best);
  let first = anchor;
  let last = anchor;
  const len = () => clauses.slice(first, last + 1).join('').length;
  for (;;) {
    const left = first > 0 ? weight[first - 1]! : -1;
    const right = last < clauses.length - 1 ? weight[last + 1]! : -1;
    if (left < 0 && right < 0) break;
    const grow = right >= left ? 'right' : 'left';
    const next = grow === 'right' ? clauses[last + 1]! : clauses[first - 1]!;
    if (len() + next.length > max) break;
    if (grow === 'right') last++;
    else first--;
  }
  const body = clauses.slice(first, last + 1).join('').replace(/[，；：]$/, '');
  return `${first > 0 ? '……' : ''}${body}${last < clauses.length - 1 ? '……' : ''}`;
}

const quote = (s: string) => `“${s.replace(/^“(.*)”$/, '$1')}”`;

/** “（《title》，2025年）”: where a figure comes from, so a reader sees its place and year. */
function provenance(r: IndexRecord, index: KnowledgeIndex): string {
  const doc = index.document(r.source);
  const year = /^(\d{4})/.exec(doc?.date ?? '')?.[1];
  // a page holding several articles (a newspaper page, a 简报): the article the passage belongs to is named by its
  // headline, and a passage about another place than the page's (祁连县 on a 西宁 page) by its own place
  let section = r.sectionId ? index.section(r.sectionId) : undefined;
  while (section?.parentId && index.section(section.parentId)?.role !== 'document') section = index.section(section.parentId);
  const headline = section?.role === 'headline' && section.heading !== r.title ? `“${section.heading}”` : '';
  const place = doc?.place && r.places.length && !r.places.includes(doc.place) ? r.places[0] : (doc?.place ?? r.places[0]);
  // another article printed on the page is cited by its own headline and place (none for a commentary)
  if (section?.pageArticle) return `（${[`《${section.heading}》`, `刊于《${r.title}》`, section.pageArticle.place, year ? `${year}年` : ''].filter(Boolean).join('，')}）`;
  return `（${[`《${r.title}》${headline}`, place, year ? `${year}年` : ''].filter(Boolean).join('，')}）`;
}

/**
 * A fact about a document (its 发文字号, issuer or date, read from its 版头 and 落款 at ingest): the document the
 * question names, else the top passage's. Cites that document's first retrieved passage. When the document does not
 * state the fact the draft is empty with `figureFound: false` (the refusal says what is missing).
 */
function synthesizeMeta(query: Query, hits: SearchHit[], index: KnowledgeIndex): Draft {
  const source = query.source ?? hits[0]!.record.source;
  const at = hits.findIndex((h) => h.record.source === source);
  const doc = index.document(source);
  const value = doc?.[query.meta!];
  if (at < 0 || !doc || !value) return { text: '', used: [], figureFound: false };
  // (a date is written as Chinese documents write it: 2026年12月5日, not 2026-12-05)
  const shown = query.meta === 'date' ? formatDate(value) : value;
  return { text: `《${doc.title}》的${META_LABEL[query.meta!]}：${shown}[${at + 1}]`, used: [at], figureFound: true, figureStrong: true };
}

/** An article asked by number: the article's text, whole, with its document. */
function synthesizeArticle(query: Query, hits: SearchHit[]): Draft | undefined {
  const idx = hits.map((h, i) => i).filter((i) => hits[i]!.record.article === query.article);
  if (!idx.length) return undefined;
  // the named document's article; for a short name that fits several documents, each one's (at most three)
  const sources = [...new Set(idx.map((i) => hits[i]!.record.source))].filter((s, k) => k === 0 || (query.sources?.includes(s) ?? false)).slice(0, 3);
  const one = (source: string) => {
    const mine = idx.filter((i) => hits[i]!.record.source === source);
    const text = mine.map((i) => hits[i]!.record.text).join('');
    const body = text.length > 600 ? `${text.slice(0, 598)}……` : text;
    return { text: `《${hits[mine[0]!]!.record.title}》${query.article}规定：\n${quote(body)}[${mine[0]! + 1}]`, hit: mine[0]! };
  };
  const parts = sources.map(one);
  return {
    text: parts.length > 1 ? `问题所说的文件有${parts.length}份，各自的${query.article}如下：\n${parts.map((p) => p.text).join('\n')}` : parts[0]!.text,
    used: parts.map((p) => p.hit),
  };
}

/** Items found for an enumeration, each with the hit it comes from, and the sentence announcing them. */
interface Enumeration {
  items: { text: string; hit: number }[];
  intro?: { text: string; hit: number };
}

/** Items of an announced set (“六种关系”, “三大课堂”) found in the hits and the document's sections. */
function enumerate(list: ListAsk, hits: SearchHit[], index: KnowledgeIndex): Enumeration | undefined {
  const phrase = list.phrase;
  // every passage naming the set (any passage, for a set named by its head only: 哪“三员”), best first: a report that
  // only mentions the “六个一” does not list them, the 安排 that announces them does
  for (const [at, h] of hits.entries()) {
    if (phrase && !namesSet(h.record.text, phrase) && !namesSet(h.record.section, phrase)) continue;
    const found = enumerateAt(list, hits, index, at);
    if (found) return found;
  }
  return undefined;
}

/** `enumerate` for the set as the hit at `announcing` names it. */
function enumerateAt(list: ListAsk, hits: SearchHit[], index: KnowledgeIndex, announcing: number): Enumeration | undefined {
  const head = list.head;
  const phrase = list.phrase;
  const rec = hits[announcing]!.record;
  const items: { text: string; hit: number }[] = [];
  // 1. sibling sections after the announcement whose heading holds the head noun (the six “把握好…的关系”)
  const doc = index.document(rec.source);
  if (doc && head) {
    const path = rec.sectionPath ?? (rec.section ? rec.section.split(' > ') : []);
    // a one-character head (员, 制) is a suffix: 党员 is no “员” of the set; or it follows an ordinal opening the heading
    // (第一步：摸清底数 of “三步走”, 第二阶段)
    const ordinal = new RegExp(`^第[一二三四五六七八九十\\d]{1,3}${head}`);
    const hasHead = (heading: string) => (head.length === 1 ? heading.replace(/[”"。；：:]+$/, '').endsWith(head) || ordinal.test(heading) : heading.includes(head));
    const under = (p: string[]) => doc.sections.filter((s) => s.path.length > p.length && s.path.slice(0, p.length).join('>') === p.join('>') && hasHead(s.heading));
    // the sections announced are the announcing passage's sub-sections, else those of the section named by the phrase
    let children = under(path);
    if (children.length < 2 && phrase && path.some((p) => p.includes(phrase))) children = under(path.slice(0, path.findIndex((p) => p.includes(phrase)) + 1));
    if (children.length < 2) children = under(path.slice(0, -1));
    // a heading that holds the phrase announces the set (七问：有哪些“五个不得”？), it is not one of its items; one
    // section is no set
    children = children.filter((s) => !phrase || !s.heading.includes(phrase));
    if (children.length < 2) children = [];
    for (const s of children) {
      const hit = hits.findIndex((h) => h.record.section.includes(s.heading));
      items.push({ text: s.heading, hit: hit >= 0 ? hit : announcing });
    }
  }
  // 2. a list record's items
  if (items.length < 2 && rec.unit === 'list' && rec.items?.length) for (const it of rec.items) items.push({ text: it, hit: announcing });
  // 3. quoted names ending in the head noun, in order of appearance (“头雁课堂”“先锋课堂”“云端课堂”)
  if (items.length < 2 && head) {
    const seen = new Set<string>();
    hits.forEach((h, i) => {
      if (h.record.source !== rec.source) return;
      for (const m of h.record.text.matchAll(/“([^”]{1,12})”/g)) {
        const name = m[1]!;
        if (!name.endsWith(head) || name === phrase || /^[一二两三四五六七八九十\d]/.test(name) || seen.has(name)) continue;
        seen.add(name);
        // the sentence the name opens or stands in describes it
        const sentence = sentencesOf(h.record).find((s) => s.startsWith(`“${name}”`)) ?? '';
        items.push({ text: sentence && sentence.length <= 40 ? sentence.replace(/[。；]$/, '') : `“${name}”`, hit: i });
      }
    });
  }
  // 4. the series the set's sentence or the next one writes, exactly as many items as the set counts: “（一）实行“四个一”包联。
  // 对每个整顿村，落实1名县级领导联系、1个县直部门结对、……” (read before the items written before the phrase: a count
  // met exactly is the stronger reading, and an outline number before the name, 二、实行“四公示”, lists nothing)
  if (items.length < 2 && phrase && list.count) {
    const series = seriesAfter(rec, phrase, list.count);
    if (series.length) items.splice(0, items.length, ...series.map((text) => ({ text, hit: announcing })));
  }
  // 5. the items written right before the phrase: “畜牧养殖、特色种植、乡村旅游等“七型发展模式””, ““百名头雁领飞”
  // “百名雏雁培育”“百名归雁回引”三百活动”
  if (items.length < 2 && phrase) {
    const before = itemsBefore(rec, phrase);
    if (before.length >= 2) items.splice(0, items.length, ...before.map((text) => ({ text, hit: announcing })));
  }
  if (items.length < 2) return undefined;
  const limited = list.count && items.length > list.count ? items.slice(0, list.count) : items;
  // (the sentence naming the set, up to the colon that opens its items: 小微项目实行“四公示”：)
  const intro = phrase ? sentencesOf(rec).find((s) => namesSet(s, phrase))?.replace(new RegExp(`(${nameAndColon(phrase)}).+$`), '$1') : undefined;
  return { items: limited, intro: intro ? { text: intro, hit: announcing } : undefined };
}

/** A set's name followed by its closing quote, if any, and a colon (“四公示”：), as a RegExp source. */
const nameAndColon = (phrase: string) => `${escapeRegExp(phrase)}[”"]?[：:]`;

/**
 * The items of a set counted `count` that the passage writes as one series of clauses joined by 、, after the set's name
 * in its sentence or in the sentence after: `count` items exactly, else none. A verb before the first item that the
 * others lack (落实|1名…、1个…) is the series' verb, not part of the item.
 */
function seriesAfter(rec: IndexRecord, phrase: string, count: number): string[] {
  // (or the clauses a colon after the name opens, up to the full stop, as many as the set counts: 实行“四公示”：立项前
  // 公示…；招标前公示…；施工中公示…；验收后公示…。)
  const colon = new RegExp(`${nameAndColon(phrase)}([^。\n]+)`).exec(rec.text)?.[1];
  const clauses = colon?.split(/[；;]/).map((x) => x.trim()).filter(Boolean) ?? [];
  if (clauses.length === count && clauses.every((x) => x.length >= 2 && x.length <= 60)) return clauses;
  const sentences = sentencesOf(rec);
  const at = sentences.findIndex((s) => namesSet(s, phrase));
  if (at < 0) return [];
  const own = sentences[at]!;
  for (const s of [own.slice(own.indexOf(phrase) + phrase.length), sentences[at + 1] ?? '']) {
    for (const clause of s.split(/[，,；;。：:]/)) {
      const parts = clause.split('、').map((x) => x.trim());
      if (parts.length !== count || parts.some((x) => x.length < 2)) continue;
      const numeral = /[一二两三四五六七八九十\d]/;
      if (parts.slice(1).every((x) => x.search(numeral) === 0)) parts[0] = parts[0]!.slice(Math.max(0, parts[0]!.search(numeral)));
      return parts;
    }
  }
  return [];
}

/**
 * The compound nouns of a text: runs of two or more jieba nouns (n, nz, vn after a noun), joined (责任|党员 → 责任党员),
 * in order. Place names (ns) and person names (nr) end a run.
 */
function nounRuns(text: string): string[] {
  const runs: string[] = [];
  let run: string[] = [];
  for (const w of [...getJieba().tag(text, true), { word: '', tag: 'x' }]) {
    if (/^(n|nz|l)$/.test(w.tag) || (run.length && w.tag === 'vn')) run.push(w.word);
    else {
      if (run.length >= 2) runs.push(run.join(''));
      run = [];
    }
  }
  return runs;
}

/**
 * The items an enumeration question asks for: an announced set named in the question (“六种关系”) from `enumerate`
 * only; a set of a counted head (哪三个“员”) from `enumerate`, else as a generic list; any other list generically.
 */
function enumerateAsked(list: ListAsk, hits: SearchHit[], index: KnowledgeIndex, scored: () => Scored[], terms: string[], question: string): Enumeration | undefined {
  // (a set quoted with its count, 哪“三员”, that no passage names as written is looked for by its head, as 哪三个“员” is)
  if (list.phrase) return enumerate(list, hits, index) ?? (list.head?.length === 1 && list.count ? enumerate({ ...list, phrase: undefined }, hits, index) : undefined);
  // (the sentences are scored once, and only when a reading needs them)
  let memo: Scored[] | undefined;
  const sentences = () => (memo ??= scored());
  return sourcesEnumerated(question, sentences) ?? (list.count && list.head ? enumerate(list, hits, index) : undefined) ?? enumerateGeneric(hits, index, sentences(), terms, list, question);
}

/** Kinds of place a list may ask for (哪几个乡镇, 哪些村, 哪几个社区), each with the endings of its names. */
const PLACE_KINDS: [RegExp, string][] = [
  [/^(?:乡镇|镇|乡)$/, '乡|镇'],
  [/^(?:村|行政村)$/, '村'],
  [/^(?:社区)$/, '社区'],
  [/^(?:街道)$/, '街道'],
];

/** The endings of the names of the kind of place a list asks for (乡|镇 for 哪几个乡镇), or undefined for a list of no place kind. */
function placeKind(list: ListAsk): string | undefined {
  return PLACE_KINDS.find(([asked]) => asked.test(list.noun ?? list.head ?? ''))?.[1];
}

/**
 * The places of the asked kind that one of the best sentences names side by side (哪几个乡镇…都没办 ← “石门乡、白沙乡、马场乡
 * 全年未举办专题培训”): the first of the five best sentences with two or more names of that kind joined by 、 or 和, each a
 * name of up to six characters before its ending (芦湾乡下坪村), each may carry a short count or a bracket of its own (北山乡有2个
 * 村、…; 白岩乡（11名，完成36.7%）、…). A 通报 names the places it praises or criticises this way, so a question about
 * work not done (`NOT_DONE`) takes only a sentence that says so (`NOT_DONE_STATED`).
 */
function placesEnumerated(list: ListAsk, scored: Scored[], notDone = false): Enumeration | undefined {
  const kind = placeKind(list);
  if (!kind) return undefined;
  const name = `[\u4e00-\u9fff]{1,6}?(?:${kind})`;
  // (each name may carry a short count of its own, 岭下乡有2个村、白沙镇有1个村尚未清零, or a bracket, 白岩乡（11名，完成36.7%）)
  const tail = '(?:（[^（）]{0,16}）|[^、，。；和及（]{0,6}?)';
  // a question asking where the work is not done (还没完成清零的村在哪些乡镇: `notDone`) is answered by a sentence that says so
  // (尚未清零), not by the places a 通报 praises (3个乡镇薄弱村全部提前清零)
  for (const s of scored.slice(0, 5)) {
    if (notDone && !NOT_DONE_STATED.test(s.text)) continue;
    for (const m of s.text.matchAll(new RegExp(`${name}${tail}(?:[、和及]${name}${tail})+`, 'g'))) {
      const items = m[0].split(/[、和及]/).map((x) => new RegExp(`^${name}`).exec(x)?.[0] ?? '').filter((x) => x.length >= 2 && x.length <= 8);
      if (items.length >= 2) return { items: items.map((text) => ({ text, hit: s.hit })), intro: { text: s.text, hit: s.hit } };
    }
  }
  return undefined;
}

/** A question about work not done: 还没, 没有, 未 before a verb (还没完成清零, 没开展). */
const NOT_DONE = /(?:还没|没有|没|未)(?:有)?[\u4e00-\u9fff]/;
/** A sentence saying work is not done: 未, 尚未, 仍未, 没有, 还没 (尚未清零, 全年未举办). */
const NOT_DONE_STATED = /尚未|未|没有|仍未|还没/;

/** A question asking what may not be done (哪些事不能干, 禁止哪些行为, 有什么不准的). */
const PROHIBITION_ASKED = /不能|不得|不准|不许|不让|不可以|禁止|严禁/;
/** A clause stating a prohibition, from its marker on (不得出租, 严禁以共建名义摊派, 禁止……). */
const PROHIBITION = /(?:不得|严禁|禁止|不准|不许)[^，；。]*/g;

/**
 * The prohibitions the best sentences state, for a question asking what may not be done: the first of the five best
 * sentences that states two or more (“明确活动场所不得出租、出借用于经营活动，不得用于堆放杂物……，不得悬挂……”), each
 * clause from its marker on; or parallel conditions closed by one negated verb (`EXCLUDED`: …的不议); or numbered items
 * led by a prohibition. A rule text's 负面清单 is written this way in 通知, 办法 and 简报 alike. A passage read around a
 * measure hit joins `hits` (it is mutated) when it supplies the items.
 */
function prohibitions(scored: Scored[], hits: SearchHit[], index: KnowledgeIndex): Enumeration | undefined {
  for (const s of scored.slice(0, 5)) {
    const clauses = [...s.text.matchAll(PROHIBITION)].map((m) => m[0].trim()).filter((c) => c.length >= 4);
    if (clauses.length >= 2) return { items: clauses.map((text) => ({ text, hit: s.hit })), intro: { text: s.text.slice(0, s.text.indexOf(clauses[0]!)).replace(/[，,：:]$/, ''), hit: s.hit } };
  }
  // …or as parallel conditions closed by one negated verb (“三不议”：违反法律法规和政策的不议，涉及个人隐私的不议): each clause is
  // an item; such a sentence shares few words with the question (不议 for 不能…议), so every sentence of the five best passages
  // is read, best first, and those of the passages holding a measure among them (a measure is one sentence of its paragraph)
  // (the passages around a measure are read only after the passages' own sentences, when those list nothing)
  function* sentences(): Generator<Scored & { r?: IndexRecord }> {
    yield* scored.filter((x) => x.hit < 5);
    for (const h of hits.slice(0, 5)) {
      if (h.record.type !== 'measure' || !h.record.sectionId) continue;
      for (const r of index.recordsInSection(h.record.sectionId, { type: 'chunk' })) yield* sentencesOf(r).map((text, position) => ({ text, hit: -1, position, score: 0, figure: 0 as const, r }));
    }
  }
  for (const s of sentences()) {
    const excluded = s.text.split(/[，；。：:]/).filter((c) => EXCLUDED.test(c));
    const verbs = new Set(excluded.map((c) => EXCLUDED.exec(c)![1]));
    if (excluded.length < 2 || verbs.size !== 1) continue;
    // (a passage read around a measure joins the hits, as the widenings of the retrieve stage join theirs)
    let hit = s.hit;
    const r = s.r;
    if (r) {
      hit = hits.findIndex((h) => h.record.id === r.id);
      if (hit < 0) hit = hits.push({ rank: hits.length + 1, score: 0, record: r }) - 1;
    }
    return { items: excluded.map((text) => ({ text: text.trim(), hit })), intro: { text: s.text.slice(0, s.text.indexOf(excluded[0]!)).replace(/[，,：:]$/, ''), hit } };
  }
  // …or numbered items led by a prohibition (“有下列情形之一的，不得作为村党组织书记人选：（一）……”), as 办法 and 条例 write a
  // 负面清单: the first such passage among those of the best sentences, then the rest in retrieval order
  for (const hit of new Set([...scored.slice(0, 10).map((s) => s.hit), ...hits.keys()])) {
    const led = ledItems(hits[hit]!.record.text);
    if (led && PROHIBITION_LEAD.test(led.intro)) return { items: led.items.map((text) => ({ text, hit })), intro: { text: led.intro, hit } };
  }
  return undefined;
}

/** A condition closed by a negated verb, what a rule excludes (违反法律法规的不议, 材料不全的不予受理). */
const EXCLUDED = /^[^，；。]{2,30}的(不予?[\u4e00-\u9fff]{1,2})$/;

/** The lead of a list of what may not be (…的，不得作为人选：; 严禁下列行为：), closed by its colon. */
const PROHIBITION_LEAD = /(?:不得|严禁|禁止|不准|不许|不能)[^。；]*[：:]$/;

/** A question asking from whom or what something is drawn: 从哪些人里选, 从哪些人中推荐, 在哪些单位中产生. */
const FROM_WHICH = /[从在]哪(?:些|几类|几种)[\u4e00-\u9fff]{0,4}?(?:里面|里|中间|中|当中)(?:面)?(?:来)?([\u4e00-\u9fff])/;

/**
 * The sources a sentence enumerates for a question asking from which people or bodies something is drawn (从哪些人里选 ←
 * “主要从本村致富带头人、退役军人、高校毕业生中选拔”): the items between 从 and 中 followed by a verb starting with the
 * question's verb, split at 、/和/及, among the best sentences (the first that has two or more). The frame of the
 * question is the frame of the answer, whatever the kind of document.
 */
function sourcesEnumerated(question: string, scored: () => Scored[]): Enumeration | undefined {
  const verb = FROM_WHICH.exec(question.replace(/\s+/g, ''))?.[1];
  if (!verb) return undefined;
  for (const s of scored().slice(0, 5)) {
    const m = new RegExp(`从([^。；，]{4,80}?)(?:中|当中|里)${verb}`).exec(s.text);
    const items = m?.[1]!.split(/[、]|和|及/).map((x) => x.trim()).filter((x) => x.length >= 2);
    if (items && items.length >= 2) return { items: items.map((text) => ({ text, hit: s.hit })) };
  }
  return undefined;
}

/** A table's row of totals or averages (合计, 总计, 小计, 共计, 总体, 平均, 全县…): no item of the table's list. */
const AGGREGATE_ROW = /^(?:合计|总计|小计|共计|总体|平均|全[县市州区省镇乡旗])/;
/** A row of sums (合计, 总计, 共计, 全县, 全县合计): the row a total asked of a table reads. */
const SUM_ROW = /^(?:合计|总计|共计|全[县市州区省镇乡旗](?:合计|总计)?)$/;

/** The name of a table row: its first cell, or in a table numbered there (序号) or left blank, its first cell of words. */
function rowLabel(cells: string[]): string {
  return (/^\d*$/.test(cells[0] ?? '') ? cells.find((c) => /[\u4e00-\u9fff]/.test(c)) : cells[0]) ?? '';
}

/**
 * True when a column headed `header` (发展党员（名）, 参训党员数) counts `noun` itself, or a kind of it that `question`
 * names: its header without the unit in brackets and a closing 数 ends with the noun, and the words before it are in
 * the question (发展党员 for “新发展了多少党员”, not for “一共有多少名党员”); or the noun is the header's kind that the
 * table's `caption` names (两新组织 for 组织数（家） of a table of “两新”组织).
 */
function totalOf(header: string, noun: string, question: string, caption = ''): boolean {
  const base = header.replace(/[（(][^）)]*[）)]/g, '').replace(/数$/, '');
  // (a noun more specific than the header, 两新组织 of 组织数（家）, is the table's when its caption says so)
  if (base.length >= 2 && noun.endsWith(base)) return caption.includes(noun.slice(0, noun.length - base.length));
  if (!base.endsWith(noun)) return false;
  const modifier = base.slice(0, base.length - noun.length);
  return getJieba().cut(modifier, false).every((w) => question.includes(w));
}

/**
 * The cells of the column a list question asks by its header (全年主题党日有哪些主题 ← 活动主题, 分哪几个阶段 ← 阶段) in
 * the best-ranked table among the first three hits, over all its rows in table order (the retrieve stage brings them
 * in), each with its row's name. None when the question names a row (that is a cell question) or the table has no
 * such column.
 */
function columnItems(hits: SearchHit[], list: ListAsk, question: string): Enumeration | undefined {
  // (the header holds the noun asked whole: 特色服务 is no column of 基本服务)
  const head = list.noun ?? list.head;
  const table = firstTable(hits);
  if (!head || !table) return undefined;
  const { header, rows } = table;
  const record = table.first.record;
  const bigrams = [...questionBigrams(question)];
  let col = header.findIndex((h) => h.replace(/[（(].*?[）)]/g, '').includes(head));
  // (the parts of a thing asked by a word for parts, 评审看哪几个方面, are the rows of a table about that thing: its
  // caption or its first header shares a word of the question, 评审 of 书记项目评审计分表)
  const parts = col < 0 && PART_WORDS.test(head) && [record.table!.caption ?? '', header[0] ?? ''].some((t) => bigrams.some((b) => t.includes(b)));
  if (col < 0 && !parts) return undefined;
  if (rows.length < 2 || rows.some(({ cells }) => (cells[0] ?? '').length >= 2 && question.includes(cells[0]!))) return undefined;
  // (a table is asked only when its document says something else the question says: 冬训都学哪些内容 is not any table
  // with a 主要内容 column)
  const about = [record.title, record.table!.caption ?? '', record.section, ...rows.flatMap(({ cells }) => cells)].join(' ');
  const own = bigrams.filter((b) => !head.includes(b) && !/[哪些什么啥都有是]/.test(b));
  if (own.length && !own.some((b) => about.includes(b))) return undefined;
  // each row by its name: the first column, or in a table numbered there (序号) the first column of words
  const label = /^\d+$/.test(record.table!.cells[0] ?? '') ? Math.max(0, header.findIndex((_, c) => c > 0 && c !== col && rows.every(({ cells }) => !/^\d+$/.test(cells[c] ?? '')))) : 0;
  if (parts) col = label;
  const named = (cells: string[]) => (col === label ? cells[col]! : `${cells[label]}：${cells[col] ?? ''}`);
  return { items: rows.map(({ cells, i }) => ({ text: named(cells), hit: i })) };
}

/**
 * The best-ranked table among the first three hits: its header and its rows among the hits (the retrieve stage brings
 * them all in), in table order, without rows of totals or averages; each row with its cells and its index in `hits`.
 * Undefined when none of the first three hits is a table row.
 */
function firstTable(hits: SearchHit[]): { first: SearchHit; header: string[]; rows: { cells: string[]; i: number }[] } | undefined {
  const first = hits.slice(0, 3).find((h) => h.record.unit === 'table-row' && h.record.table);
  if (!first) return undefined;
  const rows = hits
    .map((h, i) => ({ h, i }))
    .filter(({ h }) => sameTable(h.record, first.record) && !AGGREGATE_ROW.test(rowLabel(h.record.table!.cells)))
    .sort((a, b) => (a.h.record.start ?? 0) - (b.h.record.start ?? 0))
    .map(({ h, i }) => ({ cells: h.record.table!.cells, i }));
  return { first, header: first.record.table!.header, rows };
}

/**
 * The rows of the best-ranked table (among the first three hits) that are of the kind a list question names: a column of
 * categories, whose values repeat across rows (类别, 所属乡镇; a name column's do not), holds a value the question
 * writes (窗口服务类的先锋岗都有哪几个 ← 类别：窗口服务). Each kept row, in table order, is named by the column the list asks
 * for (a header holding the asked noun or its last character: 先锋岗 → 岗位名称), else by its row name. None when no
 * column value is named, or it is every row's (then the kind selects nothing).
 */
function categoryRows(hits: SearchHit[], list: ListAsk, question: string): Enumeration | undefined {
  const table = firstTable(hits);
  if (!table) return undefined;
  const { header, rows } = table;
  const asked = question.replace(/\s+/g, '');
  let pick: { col: number; value: string } | undefined;
  header.forEach((_, col) => {
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.cells[col] ?? '', (counts.get(r.cells[col] ?? '') ?? 0) + 1);
    for (const [value, n] of counts) {
      if (n >= 2 && n < rows.length && /^[\u4e00-\u9fff]{2,}$/.test(value) && asked.includes(value) && (!pick || value.length > pick.value.length)) pick = { col, value };
    }
  });
  if (!pick) return undefined;
  const head = list.noun ?? list.head ?? '';
  const byHeader = header.findIndex((h, c) => c !== pick!.col && !!head && (h.includes(head) || h.includes(head.at(-1)!)));
  const kept = rows.filter((r) => r.cells[pick!.col] === pick!.value);
  return { items: kept.map((r) => ({ text: byHeader >= 0 ? r.cells[byHeader]! : rowLabel(r.cells), hit: r.i })) };
}

/**
 * Items a sentence lists before it counts them under the asked noun (“统一提供组织关系转接、党费交纳……等5项基本服务” for
 * 基本服务有哪几项): the first passage, best ranked first, with a count and a measure word right before the noun, and
 * two or more items before that (see `itemsBefore`); else the items a passage names after the noun and a colon.
 */
function countedItems(hits: SearchHit[], list: ListAsk, notDone = false): Enumeration | undefined {
  const noun = list.noun ?? list.head;
  if (!noun || noun.length < 2) return undefined;
  // (a modifier may stand between the count and the noun: 饮水、充电、休息、如厕4项基本服务)
  const counted = new RegExp(countingNoun(noun).source);
  // (work not done asked, 还没完成清零的…哪些乡镇: `notDone`, is not answered by the places a sentence says did it)
  for (const [hit, h] of hits.entries()) {
    const phrase = counted.exec(h.record.text)?.[0];
    if (!phrase) continue;
    if (notDone && !NOT_DONE_STATED.test(sentencesOf(h.record).find((x) => x.includes(phrase)) ?? '')) continue;
    const items = itemsBefore(h.record, phrase);
    if (items.length >= 2) return { items: items.map((text) => ({ text, hit })), intro: { text: sentencesOf(h.record).find((x) => x.includes(phrase))!, hit } };
  }
  // the items named after the noun, its count and a colon (“先进单位（5个）：县财政局机关党支部、县人民医院党委……”,
  // “责任单位：县委组织部、县民政局”), as 名单 and 通报 print them
  for (const [hit, h] of hits.entries()) {
    const found = introducedItemsOf(h.record, noun);
    if (found) return { items: found.items.map((text) => ({ text, hit })), intro: { text: found.intro, hit } };
  }
  return undefined;
}

/** The listed head noun and the glossary's words for it (情况 → 情形), empty when the list names none. */
function headWords(list: ListAsk): string[] {
  return list.head ? [list.head, ...(list.alternatives ?? [])] : [];
}

/** A generic enumeration (哪些): a list record's items, numbered items of a passage, or the child sections of the best passage's section. */
function enumerateGeneric(hits: SearchHit[], index: KnowledgeIndex, scored: Scored[], terms: string[], list: ListAsk, question = ''): Enumeration | undefined {
  const top = scored[0];
  if (!top) return undefined;
  const prohibited = PROHIBITION_ASKED.test(question) ? prohibitions(scored, hits, index) : undefined;
  if (prohibited) return prohibited;
  const kind = categoryRows(hits, list, question);
  if (kind) return kind;
  const column = columnItems(hits, list, question);
  if (column) return column;
  // (a question about work not done, `NOT_DONE`, is answered only by sentences saying so)
  const notDone = NOT_DONE.test(question);
  const counted = countedItems(hits, list, notDone);
  if (counted) return counted;
  const places = placesEnumerated(list, scored, notDone);
  if (places) return places;
  // a section the question names by its very heading (“主要任务有哪些” ← 二、主要任务; “有哪些保障措施” ← 三、保障措施) lists
  // its sub-sections, before any list of the passages (an annex list must not answer for it)
  const asked = question.replace(/\s+/g, '');
  for (const [hit, h] of hits.entries()) {
    const doc = index.document(h.record.source);
    if (!doc || !asked) continue;
    const named = (h.record.sectionPath ?? [])
      .map((_, depth) => doc.sections.find((x) => x.path.join('>') === (h.record.sectionPath ?? []).slice(0, depth + 1).join('>')))
      .filter((x): x is SectionInfo => {
        if (!x || x.heading.length < 2) return false;
        const at = asked.indexOf(x.heading.replace(/\s+/g, ''));
        if (at < 0) return false;
        // the heading is the thing listed, not the topic around it (“党员教育培训包括哪些内容” lists 内容, not 教育培训's articles)
        return list.head ? x.heading.includes(list.head) : /^(?:有哪些|有哪几|包括哪|包含哪|分别|是哪|都有|主要有)/.test(asked.slice(at + x.heading.replace(/\s+/g, '').length));
      })
      .at(-1);
    const children = named ? doc.sections.filter((x) => x.parentId === named.id) : [];
    if (named && children.length >= 2) return { items: children.map((c) => ({ text: itemLabel(c, index), hit })) };
  }
  // a document whose title ends with the listed noun (工作要点有哪些 of 《…机关党建工作要点》) lists its top-level parts
  const listed = list.noun ?? list.head;
  if (listed && listed.length >= 2) {
    for (const [hit, h] of hits.slice(0, 3).entries()) {
      const doc = index.document(h.record.source);
      // (a closing bracket, （试行）, is no part of the kind)
      if (!doc || !normTitle(doc.title.replace(/[（(][^）)]*[）)]\s*$/, '')).endsWith(listed)) continue;
      const root = doc.sections[0]?.id;
      const parts = doc.sections.filter((x) => x.parentId === root && x.heading.length >= 2);
      if (parts.length >= 2) return { items: parts.map((x) => ({ text: itemLabel(x, index), hit })) };
    }
  }
  const rec = hits[top.hit]!.record;
  // a list names what it lists: one without the listed noun (附件 for 哪些基本设施) is not the answer
  // (a measure's own heading is in its section path, not in its `section`: 三、存在的问题 names the 问题 listed under it)
  const heads = headWords(list);
  const namesHead = (r: IndexRecord) => !heads.length || heads.some((w) => r.text.includes(w) || [r.section ?? '', ...(r.sectionPath ?? [])].some((s) => s.includes(w)));
  // a list of the document's own parts (附件：1. …安排表 2. …材料清单) says where the items are, it lists none of them:
  // the part it names is read instead
  const partsIndex = (r: IndexRecord, items: string[]) => {
    const headings = (index.document(r.source)?.sections ?? []).map((s) => s.heading.replace(/\s+/g, '')).filter((h) => h.length >= 4);
    return items.every((it) => {
      const name = it.replace(/\s+/g, '').replace(/[。；;，,]$/, '');
      return name.length >= 4 && headings.some((h) => h.endsWith(name));
    });
  };
  if (rec.unit === 'list' && rec.items && rec.items.length >= 2 && namesHead(rec) && !partsIndex(rec, rec.items)) return { items: rec.items.map((text) => ({ text, hit: top.hit })) };
  // the best sentences' passages, in order, that number their items
  // (with no noun naming what is listed, 什么情况下必须进入产权交易平台, nothing but the passage's words ties its list to the
  // question: it must be about it, its sentence scoring at least `ABOUT_SHARE` of the best; a 实施方案's numbered 培训内容
  // is no answer where the best sentence states the condition. A list named by its noun, 哪些事, is tied by `namesHead`)
  const floor = list.noun || list.head ? 0 : top.score * ABOUT_SHARE;
  // (…and a list whose owner the question names by a compound noun, 责任党员|负责哪些事, is the list of a passage that names
  // it: 县委组织部…主要履行下列职责 lists no 责任党员's duties)
  const owners = nounRuns(question).filter((n) => n.length >= 4 && ![list.noun, list.head, ...(list.alternatives ?? [])].some((w) => !!w && n.includes(w)));
  // (every word of the compound, not as one string: 村党组织书记|全员轮训 is named by …全员轮训。…村党组织书记示范培训班…)
  const ownedBy = (r: IndexRecord) => !owners.length || owners.some((n) => getJieba().cut(n, false).every((w) => `${r.title}${r.section}${r.text}`.includes(w)));
  for (const hit of [...new Set(scored.slice(0, 5).filter((s) => s.score >= floor && ownedBy(hits[s.hit]!.record)).map((s) => s.hit))]) {
    const r = hits[hit]!.record;
    if (r.unit === 'list' && r.items && r.items.length >= 2 && namesHead(r) && !partsIndex(r, r.items)) return { items: r.items.map((text) => ({ text, hit })) };
    const numbered = numberedItems(r.text);
    if (numbered && numbered.items.length >= 2 && namesHead(r) && !partsIndex(r, numbered.items)) {
      return { items: numbered.items.map((text) => ({ text, hit })), intro: numbered.intro ? { text: numbered.intro, hit } : undefined };
    }
  }
  // a section the question names by its heading (“重点任务有哪几项”, “分哪几个实施步骤”) lists its sub-sections
  let best: { score: number; hit: number; children: SectionInfo[] } | undefined;
  for (const [hit, h] of hits.entries()) {
    const doc = index.document(h.record.source);
    const path = h.record.sectionPath ?? [];
    if (!doc) continue;
    for (let depth = 1; depth <= path.length; depth++) {
      const prefix = path.slice(0, depth).join('>');
      const section = doc.sections.find((s) => s.path.join('>') === prefix);
      if (!section) continue;
      const children = doc.sections.filter((s) => s.parentId === section.id);
      if (children.length < 2) continue;
      // the listed noun names the section (“实施步骤”, or the glossary's word for it: 毛病 → 问题) or its items (“……工程”)
      const head = list.head;
      const namesSection = !!head && [head, ...(list.alternatives ?? [])].some((h) => section.heading.includes(h));
      if (head && !namesSection && children.filter((c) => c.heading.includes(head)).length * 2 < children.length) continue;
      // (a section whose every part is named by the listed noun, 1.动员部署阶段 2.集中培训阶段 under 二、时间安排, is named
      // by them: 冬训分哪几个阶段)
      const named = !!head && children.every((c) => c.heading.includes(head));
      const score = matchedTerms(section.heading, terms).reduce((n, t) => n + t.length, 0) + (named ? head.length : 0);
      if (score > 0 && (!best || score > best.score)) best = { score, hit, children };
    }
  }
  if (best) {
    // (…unless one of its passages lists the items itself, 第十五条 考核主要包括以下内容：（一）…（四）: the document's own
    // enumeration of what the section is about, asked by no noun, 考核主要看哪几块, is the list, not the section's articles)
    // (…and so is one announcing items of the listed noun, 帮扶基金的来源包括：（一）… under 第二章 基金来源 for 从哪几块来)
    const own = announcedUnder(best.children, hits, index);
    if (own && (!list.noun && !list.head || [list.noun, list.head].some((w) => !!w && own.intro!.text.includes(w)))) return own;
    return { items: best.children.map((s) => ({ text: itemLabel(s, index), hit: best!.hit })) };
  }
  return undefined;
}

/**
 * The numbered items that a passage of one of `sections` announces (包括以下内容：（一）…（二）…), the first such passage
 * in document order, with its hit in `hits` (joined after them when it was not retrieved); undefined when none does.
 */
function announcedUnder(sections: SectionInfo[], hits: SearchHit[], index: KnowledgeIndex): Enumeration | undefined {
  for (const section of sections) {
    for (const r of index.recordsInSection(section.id, { deep: true, type: 'chunk' })) {
      const numbered = numberedItems(r.text);
      if (!numbered || numbered.items.length < 2 || !numbered.intro || !ANNOUNCES_ITEMS.test(numbered.intro)) continue;
      let hit = hits.findIndex((h) => h.record.id === r.id);
      if (hit < 0) {
        hits.push({ rank: hits.length + 1, score: 0, record: r });
        hit = hits.length - 1;
      }
      return { items: numbered.items.map((text) => ({ text, hit })), intro: { text: numbered.intro, hit } };
    }
  }
  return undefined;
}

/** A sub-section as a list item: its number and heading (“（一）科学布局站点”), or its last path element. */
/**
 * A child section as a list item: its label, or for an article without a heading (第十条) its number with the first
 * clause of its text (第十条 关怀帮扶按照下列程序进行), at most 60 characters.
 */
function itemLabel(s: SectionInfo, index: KnowledgeIndex): string {
  if (s.heading) return sectionLabel(s);
  const text = index.recordsInSection(s.id, { type: 'chunk' })[0]?.text.replace(/^\s*第[一二三四五六七八九十百零\d]+条\s*/, '');
  const clause = text ? /^[^。；：]+/.exec(text)?.[0] : undefined;
  return clause ? `${sectionLabel(s)} ${clause.length > 60 ? `${clause.slice(0, 58)}……` : clause}` : sectionLabel(s);
}

function sectionLabel(s: SectionInfo): string {
  // (an arabic number, 1. 2., is the list's own numbering: the answer numbers its items itself)
  return s.heading ? `${s.number && !/^\d{1,2}[.．、]?$/.test(s.number) ? `${s.number} ` : ''}${s.heading}`.replace(/^(（[^）]+）|[一二三四五六七八九十]+、)\s*/, '$1') : (s.path.at(-1) ?? '');
}

/** A column of people or bodies, what a who-question asks (责任单位, 牵头单位, 负责人, 联系人, 承办部门, 姓名, a role: 代办员, 党支部书记). */
const AGENT_COLUMN = /单位|部门|机关|机构|责任人|负责人|联系人|牵头|主体|承办|姓名|名字|[^数]员$|书记$/;
/** A column of places, what a where-question asks (地址, 地点, 位置, 场所). */
const PLACE_COLUMN = /地址|地点|位置|场所|所在地/;

/** A table question: the cell of the best row in the column the question names. */
/**
 * The class of figures a table column holds: the measure word in its header's brackets (“党员数（名）”), else the
 * cell's own (“48.6%”, “5万元”), else its header's word (覆盖率/比例 → percent, 年龄 → age, 金额/经费/资金 → money,
 * 时间/日期/时限 → time); `count` otherwise.
 */
function columnClass(header: string, cell: string | undefined): UnitClass {
  const bracketed = /[（(]([^）)]{1,4})[）)]/.exec(header)?.[1];
  const fromBracket = bracketed ? unitClass(bracketed) : undefined;
  if (fromBracket) return fromBracket;
  const own = findFigures(cell ?? '')[0]?.cls;
  if (own && own !== 'count') return own;
  if (/率|比例|占比|比重/.test(header)) return 'percent';
  if (/年龄|岁/.test(header)) return 'age';
  if (/金额|经费|资金|费用|报酬|工资|元/.test(header)) return 'money';
  if (/时间|日期|时限|期限|学时|时长/.test(header)) return 'time';
  return 'count';
}

/** The leading number of a table cell (“43.7%” → 43.7, “1,200” → 1200), or undefined. */
function cellNumber(cell: string | undefined): number | undefined {
  const m = /^\s*(-?\d[\d,]*(?:\.\d+)?)/.exec(cell ?? '');
  return m ? Number(m[1]!.replace(/,/g, '')) : undefined;
}

/** The rows of the best-ranked table in the hits and their label and figure columns, as compared by a question. */
interface ComparedTable {
  caption?: string;
  header: string[];
  rows: { h: SearchHit; i: number }[];
  /** The column of figures compared. */
  col: number;
  /** The column naming the rows. */
  label: number;
  value: (r: { h: SearchHit }) => number;
}

/**
 * The table a comparison question is about (哪个…最低, 哪些…超过50): the best-ranked table in the hits, every row of it
 * but its total or average rows (合计, 总计, 平均; the retrieve stage brings all rows in), the column of figures whose
 * header best matches the compared quantity `of` (覆盖率 ← “党组织覆盖率最低”), and the column naming the rows (the
 * first; in a table numbered there, the column the question asks by, 哪个村 → 村名, else the first column of words).
 * Undefined when no table row is in the hits or no column of figures matches.
 */
function comparedTable(query: Query, expanded: ExpandedQuery, hits: SearchHit[], of: string): ComparedTable | undefined {
  const first = hits.find((h) => h.record.unit === 'table-row' && h.record.table);
  if (!first) return undefined;
  const { header, caption } = first.record.table!;
  const rows = hits
    .map((h, i) => ({ h, i }))
    .filter(({ h }) => sameTable(h.record, first.record))
    .filter(({ h }) => !AGGREGATE_ROW.test(rowLabel(h.record.table!.cells)));
  const words = [...expanded.terms.keys()].filter((t) => of.includes(t));
  // (a quantity said by one character, 哪一期参训的|人最多, is the column whose header holds it: 人数)
  const single = /^[\u4e00-\u9fff]$/.test(of) ? of : undefined;
  let col = -1;
  let best = 0;
  header.forEach((name, c) => {
    if (c === 0 || !rows.every(({ h }) => cellNumber(h.record.table!.cells[c]) !== undefined)) return;
    const score = single ? Number(name.includes(single)) : matchedTerms(name.replace(/[（(].*?[）)]/g, ''), words).reduce((n, t) => n + t.length, 0);
    if (score > best) {
      best = score;
      col = c;
    }
  });
  if (col < 0) return undefined;
  const asked = /哪(?:个|些|一个)?([\u4e00-\u9fff])/.exec(query.standard)?.[1];
  const wordy = (c: number) => c !== col && rows.every(({ h }) => cellNumber(h.record.table!.cells[c]) === undefined);
  const label = !/^\d+$/.test(first.record.table!.cells[0] ?? '')
    ? 0
    : Math.max(0, header.findIndex((hd, c) => wordy(c) && !!asked && hd.includes(asked)), header.findIndex((_, c) => c > 0 && wordy(c)));
  return { ...(caption ? { caption } : {}), header, rows, col, label, value: (r) => cellNumber(r.h.record.table!.cells[col])! };
}

/** A row as an answer names it: its label cell, the compared cell in brackets, its citation. */
const rowCited = (t: ComparedTable, r: { h: SearchHit; i: number }) => `${r.h.record.table!.cells[t.label]}（${r.h.record.table!.cells[t.col]}）[${r.i + 1}]`;

/** Which row of a table is highest or lowest (`query.extreme`, see `comparedTable`). Ties are all named. */
function synthesizeExtreme(query: Query, expanded: ExpandedQuery, hits: SearchHit[]): Draft | undefined {
  const extreme = query.extreme!;
  const t = comparedTable(query, expanded, hits, extreme.of);
  if (!t) return undefined;
  const target = extreme.direction === 'max' ? Math.max(...t.rows.map(t.value)) : Math.min(...t.rows.map(t.value));
  const winners = t.rows.filter((r) => t.value(r) === target);
  const word = extreme.direction === 'max' ? '最高' : '最低';
  const text = `${t.caption ? `${t.caption}中，` : ''}${t.rows.length}个${t.header[t.label] ?? '项'}里${t.header[t.col]}${word}的是${winners.map((r) => rowCited(t, r)).join('、')}。`;
  return { text, used: winners.map((r) => r.i), figureFound: true, figureStrong: true };
}

/** The words each bound is said with in an answer. */
const BOUND_WORD: Record<RowFilter['op'], string> = { gt: '超过', ge: '不少于', lt: '低于', le: '不超过' };

/**
 * Which rows of a table pass a bound (`query.rowFilter`, see `comparedTable`): every row whose compared cell passes,
 * in table order; none passing is said, with the highest or lowest row for reference.
 */
function synthesizeRowFilter(query: Query, expanded: ExpandedQuery, hits: SearchHit[]): Draft | undefined {
  const filter = query.rowFilter!;
  const t = comparedTable(query, expanded, hits, filter.of);
  if (!t) return undefined;
  const passes = (v: number) => (filter.op === 'gt' ? v > filter.value : filter.op === 'ge' ? v >= filter.value : filter.op === 'lt' ? v < filter.value : v <= filter.value);
  const ordered = [...t.rows].sort((a, b) => (a.h.record.start ?? 0) - (b.h.record.start ?? 0));
  const kept = ordered.filter((r) => passes(t.value(r)));
  const lead = `${t.caption ? `${t.caption}中，` : ''}${t.header[t.col]}${BOUND_WORD[filter.op]}${filter.value}的${t.header[t.label] ?? '项'}`;
  if (kept.length) return { text: `${lead}有${kept.length}个：${kept.map((r) => rowCited(t, r)).join('、')}。`, used: kept.map((r) => r.i), figureFound: true, figureStrong: true };
  const near = [...t.rows].sort((a, b) => (filter.op === 'gt' || filter.op === 'ge' ? t.value(b) - t.value(a) : t.value(a) - t.value(b)))[0]!;
  return { text: `${lead}：没有（${t.rows.length}个${t.header[t.label] ?? '项'}中${filter.op === 'gt' || filter.op === 'ge' ? '最高' : '最低'}的是${rowCited(t, near)}）。`, used: [near.i], figureFound: true, figureStrong: true };
}

function synthesizeTable(query: Query, expanded: ExpandedQuery, hits: SearchHit[], index?: KnowledgeIndex): Draft | undefined {
  if (query.extreme) {
    const extreme = synthesizeExtreme(query, expanded, hits);
    if (extreme) return extreme;
  }
  if (query.rowFilter) {
    const filtered = synthesizeRowFilter(query, expanded, hits);
    if (filtered) return filtered;
  }
  // a row the question names by its first cell (湖东镇), or whose range holds the amount it gives (月工资8000元 ←
  // “5000元以上至10000元”)
  const amount = askedAmount(query.text);
  // the row is named by its first cell, or by another cell that is a name (a 名单's 党支部名称 after its 序号), whole
  // or by most of it (柳湾社区党支部 for “青石镇柳湾社区党支部”)
  // (held whole, or by most of a name of five characters or more; never a collective such as 各乡镇党委, a 责任单位
  // shared by many rows)
  const names = (cell: string | undefined) =>
    !!cell &&
    /[\u4e00-\u9fff]{2}/.test(cell) &&
    !/^(各|全|所有)/.test(cell) &&
    (query.text.includes(cell) || (cell.length >= 5 && sharedRun(cell, query.text) >= Math.max(4, cell.length * 0.6)) || shortFormIn(query.text, cell));
  let key = 0;
  // (or by a short form of it: 非公企业 for 非公有制企业)
  // (not a 序号, a bare number: 2 is no name of row 2 in “那120个见习岗位”)
  let named = hits.findIndex((h) => h.record.unit === 'table-row' && !!h.record.table?.cells[0] && !/^\d+$/.test(h.record.table.cells[0]) && (query.text.includes(h.record.table.cells[0]) || shortFormIn(query.text, h.record.table.cells[0])));
  // a row the question names by more of its cells than that one (白荡乡菱角村 names the 代办员 row by 乡镇 and 村, not a
  // 冬训 row by 乡镇 alone) is the one asked; its longest named cell names it
  const namedCells = hits.map((h) => cellsNamedIn(h.record, query.text));
  const weight = namedCells.map((cells) => cells.reduce((n, { cell }) => n + cell.length, 0));
  const most = weight.reduce((b, w, k) => (w > (b < 0 ? 0 : weight[b]!) ? k : b), -1);
  if (most >= 0 && namedCells[most]!.length >= 2 && (named < 0 || weight[most]! > weight[named]!)) {
    named = most;
    key = [...namedCells[most]!].sort((a, b) => b.cell.length - a.cell.length || b.column - a.column)[0]!.column;
  }
  // (the table's other rows, all of them where the index has them, not only those retrieved: 县委组织部 may lead many)
  const rowsOf = (h: SearchHit): IndexRecord[] =>
    index && h.record.sectionId
      ? index.recordsInSection(h.record.sectionId, { type: 'chunk' }).filter((r) => r.id !== h.record.id && sameTable(r, h.record))
      : hits.filter((o) => o !== h && sameTable(o.record, h.record)).map((o) => o.record);
  // (a cell held whole names its row only when the question's other words are mostly the row's or the table's: 学校章程修订稿…
  // 报给县教育局审核 asks nothing of the 试点先行 row whose 责任单位 is 县教育局; in a numbered table this is asked of a cell of
  // an agent's column only, 牵头单位 县委组织部, which a question names for what it does elsewhere)
  const aboutRow = (h: SearchHit, cell: string, c: number) => {
    const rest = ownWordsOfPart(query.text, [cell]);
    const text = `${(h.record.table?.cells ?? []).filter((_, j) => j !== c).join('')}${h.record.table?.caption ?? ''}${(h.record.table?.header ?? []).join('')}`;
    return rest.filter((w) => text.includes(w)).length * 2 >= rest.length;
  };
  if (named < 0) {
    // a row named by another cell the question holds whole and no other row shares (县文明办牵头的是几月份 ← the row
    // whose 牵头单位 is 县文明办): the question asks its other cells
    let best = 0;
    hits.forEach((h, k) => {
      const cells = h.record.table?.cells ?? [];
      if (h.record.unit !== 'table-row') return;
      // (…or one item of a cell that lists several, 参训范围 “岚口镇、双井乡、马场乡”, that no other row's cell lists:
      // 岚口镇的村书记排在第几期 asks the row that lists 岚口镇)
      // (…when the question is about what the table is about: a word of its own, 轮训, in the table's title, caption or
      // header; 柏树镇一共选了多少名帮带导师 asks nothing of a 轮训 table that lists 柏树镇)
      const listed = (cell: string) => cell.split(/[、，,]/).filter((x) => x.length >= 2);
      const about = `${h.record.title}${h.record.table?.caption ?? ''}${(h.record.table?.header ?? []).join('')}`;
      // (the table's other rows, read once for every cell of this one)
      const others = rowsOf(h);
      const itemIn = (cell: string, c: number) => {
        const items = listed(cell);
        const named = items.find((x) => query.text.includes(x) && !others.some((o) => listed(o.table!.cells[c] ?? '').includes(x)));
        return items.length >= 2 && !!named && ownWordsOfPart(query.text, [named]).some((w) => about.includes(w)) ? named.length : 0;
      };
      // (…and a cell of five characters or more held mostly, 群众代表评分 by 群众代表来打分, that no other row shares that much of)
      // (…or by every word of it in another order, 征集见习岗位120个 by 那120个见习岗位由哪个部门牵头去征集, when no other row's
      // cell is so named)
      const allWords = (cell: string) => {
        const words = getJieba().cut(cell, false).filter((w) => w.length >= 2);
        return cell.length >= 5 && words.length >= 3 && words.every((w) => query.text.includes(w));
      };
      const mostly = (cell: string, c: number) => {
        if (cell.length < 5 || query.text.includes(cell)) return 0;
        const run = names(cell) ? sharedRun(cell, query.text) : 0;
        if (run && !others.some((o) => sharedRun(o.table!.cells[c] ?? '', query.text) >= run) && aboutRow(h, cell, c)) return run;
        return allWords(cell) && !others.some((o) => allWords(o.table!.cells[c] ?? '')) ? cell.length : 0;
      };
      cells.forEach((cell, c) => {
        if (c === 0) return;
        const whole = cell.length >= 3 && names(cell) && query.text.includes(cell) && !others.some((o) => o.table!.cells[c] === cell) && aboutRow(h, cell, c) ? cell.length : 0;
        // (the row named by the longest such part: 群众代表 of one row's 评分方式 before 群众 of another's 主要检查内容)
        const strength = Math.max(whole, itemIn(cell, c), mostly(cell, c));
        if (strength > best) {
          best = strength;
          named = k;
          key = c;
        }
      });
    });
  }
  if (named < 0) {
    // (only in a table numbered in its first column, whose rows have no name there)
    // (the row whose name the question holds most of: 柳溪乡党群服务中心 whole, not 白沙镇党群服务中心 by its common part)
    const numbered = (cells: string[]) => /^\d+$/.test(cells[0] ?? '');
    // (held by a part other rows' names share too, 党群服务中心, it names none of them: the table's other rows, all of them,
    // not only those retrieved, so that which rows rank in the top k does not decide it)
    const held = (cell: string) => (query.text.includes(cell) ? cell.length + 100 : sharedRun(cell, query.text));
    const common = (h: SearchHit, cell: string, c: number) => Math.max(0, ...rowsOf(h).map((o) => sharedRun(cell, o.table!.cells[c] ?? '')));
    let most = 0;
    hits.forEach((h, k) => {
      const cells = h.record.table?.cells ?? [];
      if (h.record.unit !== 'table-row' || !numbered(cells)) return;
      cells.forEach((cell, c) => {
        // (a cell held whole that another row of the table holds too, 牵头单位 县委组织部, names none of them either)
        const whole = query.text.includes(cell);
        if (names(cell) && held(cell) > most && (whole ? !rowsOf(h).some((o) => o.table!.cells[c] === cell) && (!AGENT_COLUMN.test(h.record.table!.header[c] ?? '') || aboutRow(h, cell, c)) : held(cell) > common(h, cell, c))) {
          most = held(cell);
          named = k;
          key = c;
        }
      });
    });
  }
  if (named < 0 && amount !== undefined) named = hits.findIndex((h) => h.record.unit === 'table-row' && !!h.record.table?.cells.some((c) => inRange(c, amount)));
  // a total asked of what a table counts (全县参加冬训的党员加起来多少人) is its row of sums (合计), when one is retrieved
  let sumRow = false;
  if (named < 0 && query.figure?.total) {
    named = hits.findIndex((h) => h.record.unit === 'table-row' && SUM_ROW.test(rowLabel(h.record.table?.cells ?? [])));
    if (named >= 0) key = Math.max(0, hits[named]!.record.table!.cells.indexOf(rowLabel(hits[named]!.record.table!.cells)));
    sumRow = named >= 0;
  }
  // (a question that names no row is not about a table cell: “新发展党员中35岁以下的有多少” is answered from prose)
  const i = named;
  if (i < 0) return undefined;
  const { table } = hits[i]!.record;
  const cells = table!.cells;
  // the column each part asks for (“是什么时候，建成多少个” → 时间 and 建成数量): its header's words, the asked
  // noun, a date column for a when-question, a column of figures for a figure question
  const columnFor = (q: Query): number => {
    // (…or their official wording, by the glossary: 打分 → 评分 of a 评分方式 column)
    const partWords = [...expanded.terms.keys()].filter((t) => q.text.includes(t));
    const meant = expanded.substitutes.filter((x) => x.equivalent && q.text.includes(x.say)).flatMap((x) => x.means);
    const kind = kindAsked(q.text);
    let col = -1;
    let best = 0;
    const role = q.who ? askedRole(q.text) : undefined;
    const ordinal = ORDINAL_ASKED.exec(q.text)?.[1];
    table!.header.forEach((h, c) => {
      // a figure of a class of its own (年龄, 多少钱, 比例) is never read from a column of another class
      if (q.figure && q.figure.cls !== 'count' && columnClass(h, cells[c]) !== q.figure.cls) return;
      // the name of a role asked (书记叫什么名字) is read only from a column of that role or of names, not from one of
      // another body the row names (报到单位党组织)
      if (role && !h.includes(role) && !/姓名|名字/.test(h)) return;
      const s =
        matchedTerms(h, partWords).reduce((n, t) => n + t.length, 0) +
        // (at half the weight of the part's own words: the glossary's wording is a guess at the column, 上课 → 培训班)
        (matchedTerms(h, partWords).length ? 0 : 0.5 * matchedTerms(h, meant).reduce((n, t) => n + t.length, 0)) +
        (q.figure?.head && h.includes(q.figure.head) ? 3 : 0) +
        (q.when && (/时间|日期|时限|期限|截止|完成时间|年份|年度/.test(h) || DATE_OR_PERIOD.test(cells[c] ?? '')) ? 3 : 0) +
        (q.who && AGENT_COLUMN.test(h) && !/^\d/.test(cells[c] ?? '') ? 3 : 0) +
        (q.where && PLACE_COLUMN.test(h) ? 3 : 0) +
        // (an ordinal asked, 排在第几期, is read from the column that holds the ordinals of that measure word: 期次 “第三期”)
        (ordinal && new RegExp(`^第[一二三四五六七八九十\\d]+${ordinal}$`).test(cells[c] ?? '') ? 3 : 0) +
        // (哪个村, 哪家单位: a cell of this row that names that kind of thing, 菱湖村党支部, is what is asked)
        (kind && c !== key && (cells[c] ?? '').includes(kind) && !q.text.includes(cells[c] ?? '') ? 3 : 0) +
        (q.figure && !q.when && /^\d/.test(cells[c] ?? '') && /数|量|额|人|个|名|比例|%/.test(h) ? 1 : 0) +
        // (a header the part writes around its question word, 扣几分 → 扣分标准, is what it asks)
        (h.length >= 2 && q.text.replace(/多少|几/g, '').includes(h.slice(0, 2)) && !q.text.includes(h.slice(0, 2)) ? 2 : 0) +
        // (a column headed by the asked measure word holds what is asked: 多少分 → 分值, 多少名 → 参训党员数（名）, a header's
        // （名） holding a count asked in 人)
        (q.figure?.unit && q.figure.unit !== '个' && (h.includes(q.figure.unit) || (isPeopleUnit(q.figure.unit) && /[（(][人名位][）)]/.test(h))) && /^\d/.test(cells[c] ?? '') ? 2 : 0);
      // (the first column names the rows; it is asked only of a row named by another cell: 县文明办牵头的是几月份)
      if (c !== key && (c > 0 || key > 0) && s > best) {
        best = s;
        col = c;
      }
    });
    return col;
  };
  const partCols = query.parts.map(columnFor);
  const cols = query.parts.length >= 2 ? [...new Set(partCols.filter((c) => c >= 0))] : [columnFor(query)].filter((c) => c >= 0);
  const rowName = cells[key] ?? '';
  // the row holds no figure of the class asked (平均年龄 of a row of counts), or no column of people or places a who- or
  // where-question asks (湖东镇党委书记是谁 of a row of counts): not a table answer
  if (!cols.length && [query, ...query.parts].some((q) => (q.figure && q.figure.cls !== 'count') || q.who || q.where)) return undefined;
  // a list asked (申报有啥要求) whose noun heads no column of the row is not that row's cells: the items are elsewhere
  if (!cols.length && query.list && !query.parts.length) return undefined;
  // a total read from a row of sums counts the column's thing, not a kind of it the question never names (一共有多少名党员
  // is not the 合计 of a 发展党员 column)
  if (sumRow && query.figure?.noun && !cols.every((c) => totalOf(table!.header[c] ?? '', query.figure!.noun!, query.text, (table!.caption ?? '').replace(/[“”]/g, '')))) return undefined;
  if (!rowName || !query.text.includes(rowName.slice(0, 2))) {
    if (!cols.length && !names(rowName)) return undefined;
  }
  // a figure asked with words the table never uses (全县发展党员|完成了多少 of a scoring table's 发展党员 row) is
  // answered from prose, not by the whole row
  if (!cols.length && query.figure) {
    const inTable = [table!.caption ?? '', ...table!.header, ...cells].join(' ');
    const own = [...expanded.terms].filter(([t, w]) => w === 1 && t.length >= 2 && !rowName.includes(t) && !/^(?:多少|几|什么|哪|这|那|该|此|[一二两三四五六七八九十\d])/.test(t));
    if (own.some(([t]) => !inTable.includes(t))) return undefined;
  }
  const caption = table!.caption ? `${table!.caption}中，` : '';
  // a part that no column of its own answers may be answered inside a cell of words: the clause that holds a figure in its measure
  // word and most of its wording (缺一次扣几分 ← 评分标准 “…，缺1次扣2分，…”)
  // (or a part whose column an earlier part already asked: 满分几分？缺一次扣几分？ both name 分)
  // (a part asking a figure in no measure word, 少开一次扣多少 after 满分几分, asks in the measure word of the part before it)
  const measured = query.parts.map((p, k) => (p.figure && !p.figure.unit ? { ...p, figure: { ...p.figure, unit: query.parts.slice(0, k).reverse().find((o) => o.figure?.unit)?.figure?.unit } } : p));
  const inCells = query.parts.length >= 2 ? measured.filter((p, k) => p.figure?.unit && (partCols[k]! < 0 || partCols.indexOf(partCols[k]!) < k)).map((p) => clauseInCells(p, cells, table!.header, key)).filter((x): x is string => !!x) : [];
  // an amount the question gives (一年挣了8万块) picks the clause of a cell of words whose range holds it (评分标准
  // “5万元至10万元得15分”), when the row was named otherwise
  // (a cell of one range, 5000元以上至10000元, is the row's name: the clause is read only in a cell of several)
  const clausesOf = (cell: string) => cell.split(/[，,；;。]/).filter(Boolean);
  const ranged = amount !== undefined
    ? cells.flatMap((cell, c) => (c === key || clausesOf(cell).length < 2 ? [] : clausesOf(cell).filter((clause) => inRange(clause, amount)).map((clause) => `${table!.header[c]}中“${clause}”`))).slice(0, 1)
    : [];
  const body = cols.length
    ? `${caption}${rowName}的${[...ranged, ...cols.map((c) => `${table!.header[c]}为${cells[c]}`), ...inCells].join('，')}[${i + 1}]。`
    : `${caption}${table!.header.map((h, c) => `${h}：${cells[c] ?? ''}`).join('；')}[${i + 1}]。`;
  // a cell in the asked column of the named row is the figure asked, not one near the question
  return { text: body, used: [i], ...(cols.length && query.figure ? { figureFound: true, figureStrong: true } : {}) };
}

/** An ordinal asked (第几期, 第几批, 排第几名): its measure word. */
const ORDINAL_ASKED = /第几([\u4e00-\u9fff])/;

/** The kind of thing a 哪个X question asks for, one character (哪个村 → 村, 哪家单位 → 单): the word right after 哪/哪个/哪家. */
function kindAsked(text: string): string | undefined {
  return /哪(?:个|家|一个|一家|所)?([\u4e00-\u9fff])/.exec(text)?.[1]?.replace(/[些里儿天年种类位]/, '') || undefined;
}

/**
 * The clause of a row's cell of words that answers `part` (“评分标准中“缺1次扣2分””): it holds a figure in the part's
 * measure word and at least two of the part's character bigrams (numerals read as digits: 缺一次 is 缺1次). Undefined
 * when no clause does.
 */
function clauseInCells(part: Query, cells: string[], header: string[], key: number): string | undefined {
  const unit = part.figure!.unit!;
  const digits = (t: string) => t.replace(/[一二两三四五六七八九十]/g, (c) => String(parseNumeral(c) ?? c));
  const grams = (t: string) => new Set([...digits(t)].map((_, k, a) => a.slice(k, k + 2).join('')).filter((g) => g.length === 2 && !/多少|几/.test(g)));
  const asked = grams(part.text);
  let best: { text: string; n: number } | undefined;
  cells.forEach((cell, c) => {
    if (c === key || !/[\u4e00-\u9fff]{4}/.test(cell)) return;
    for (const clause of cell.split(/[，,；;。]/)) {
      if (!new RegExp(`\\d+(?:\\.\\d+)?${unit}`).test(clause)) continue;
      const n = [...grams(clause)].filter((g) => asked.has(g)).length;
      if (n >= 2 && (!best || n > best.n)) best = { text: `${header[c]}中“${clause}”`, n };
    }
  });
  return best?.text;
}

/**
 * True when `text` names `cell` (5+ characters) by a short form of 3+ characters (非公企业 for 非公有制企业; see
 * `isShortFormOf`, from 现代汉语词典 on 缩略语).
 */
function shortFormIn(text: string, cell: string): boolean {
  if (cell.length < 5 || !/^[\u4e00-\u9fff]+$/.test(cell)) return false;
  for (let at = text.indexOf(cell[0]!); at >= 0; at = text.indexOf(cell[0]!, at + 1)) {
    for (let len = 3; len < cell.length && at + len <= text.length; len++) if (isShortFormOf(text.slice(at, at + len), cell)) return true;
  }
  return false;
}

/** The length of the longest run of characters `a` and `b` share (柳湾社区党支部 in both: 7). */
function sharedRun(a: string, b: string): number {
  let best = 0;
  for (let i = 0; i < a.length; i++) for (let j = i + best + 1; j <= a.length && b.includes(a.slice(i, j)); j++) best = j - i;
  return best;
}

/** A figure asked of each of several things (发文和会议分别降了多少, 各占多少, 各自有几个). */
const EACH_ASKED = /分别|各自|各占|各是|各有/;

/** Picks the sentences answering a (sub-)question; for figure questions only sentences with the asked figure. */
function pickSentences(
  query: Query,
  expanded: ExpandedQuery,
  hits: SearchHit[],
  ctx: SynthesisContext,
  limit: number,
  candidates = false,
): { chosen: Scored[]; figureFound?: boolean; figureStrong?: boolean } {
  const scored = scoreSentences(expanded, hits, ctx.stats, query.figure, query.text, query.defines);
  if (!scored.length) return { chosen: [] };
  if (query.when) {
    // the date of the asked event: a sentence with a date that names the event (施行, 废止, 报送), when the question names one
    const events = eventWords(query.standard);
    // a bare year (“2020年实现…全面清零”) answers too, less precisely than a month or a day
    // (a time of day asked, 几点开门, is answered by a clock time: 8:30至17:30)
    // (…and only by one when a retrieved sentence gives one: a day, 3月30日召开推进会, says nothing of the hour)
    const clock = CLOCK_ASKED.test(query.standard);
    const clocked = clock && scored.some((s) => CLOCK.test(s.text));
    // (a month or a day asked, 几月份, 哪天, is not answered by a bare year: 打牢2026年换届基础 says nothing of the month)
    const yearAnswers = !PRECISE_DATE_ASKED.test(query.standard);
    const anyDated = scored
      .filter((s) => (clocked ? CLOCK.test(s.text) : DATE_OR_PERIOD.test(s.text) || (yearAnswers && BARE_YEAR.test(s.text))))
      .map((s) => (DATE_OR_PERIOD.test(s.text) || (clock && CLOCK.test(s.text)) ? s : { ...s, score: s.score - 0.15 }));
    // (an event named in other words than the document's, 交齐 ← 完成收缴, is not found: a dated sentence without the
    // event's word may be about another event of the same thing, 施行 for 废止)
    // (…unless the glossary says the two words mean the same: 开始执行 ← 施行, 铺开 ← 推开)
    const eventForms = events.flatMap((e) => actionForms(e, expanded));
    // (a one-character event, 报 of 报上去 or 签 of 签好, is a verb of the sentence, that one or one it opens — 报送, 签订 —
    // not a character of another word: 绩效报酬)
    const byEvent = events.length ? anyDated.filter((s) => eventForms.some((e) => namesAction(s.text, e))) : [];
    const named = events.length ? byEvent : anyDated;
    // a day (1月15日前) answers “什么时候, 最晚” better than a period (年底, 每季度) among sentences about the question
    const day = /\d{1,2}月\d{1,2}日/;
    // with no event named (什么时候开的), a record's own 时间：/日期： field says when it took place (会议纪要)
    const field = (t: string) => !byEvent.length && /^(?:时间|日期)[：:]/.test(t);
    // a limit asked (最晚, 最迟, 截止) is a date with 前 (于次年1月31日前完成), not the day a rule takes effect
    const beforeDay = LIMIT_ASKED.test(query.standard) ? (t: string) => DEADLINE.test(t) : () => false;
    // how often (多久开一次) is a period (每月, 每季度), not a day
    const often = FREQUENCY_ASKED.test(query.standard);
    const dated = named
      .map((s) => ({ ...s, score: s.score + (often ? (PERIOD.test(s.text) ? 0.3 : 0) : day.test(s.text) ? 0.2 : 0) + (field(s.text) ? 0.3 : 0) + (beforeDay(s.text) ? 0.3 : 0) }))
      .sort((a, b) => b.score - a.score);
    if (!dated.length) return { chosen: [], figureFound: false };
    // a date beside the event the question names is a strong answer; any date among the retrieved sentences is
    // only near the question, and must come from a sentence about it (see ask.ts)
    // (with no place, year or document asked, another place's document dating the same event is given too: 述职评议会什么时候开
    // where two counties' texts date theirs, see `otherPlace`)
    // (compared by how much each is about the question, before the bonuses for a precise date)
    const best = dated[0]!;
    const about = (x: Scored) => scored.find((y) => y.hit === x.hit && y.position === x.position)?.score ?? x.score;
    const elsewhere = !candidates && byEvent.length && unscoped(query)
      ? dated.find((x) => x !== best && about(x) >= about(best) * 0.8 && otherPlace(ctx.index, hits[best.hit]!.record, hits[x.hit]!.record))
      : undefined;
    return { chosen: candidates ? dated.slice(0, limit) : [best, ...(elsewhere ? [elsewhere] : [])], figureFound: true, figureStrong: byEvent.length > 0 };
  }
  if (query.figure) {
    // a figure answers for the place asked when its document or its passage is about that place (or a place within
    // it), or when the sentence, its section heading, the place its passage last named before it, or its section's text
    // names it; a figure whose clause states its own scope (全州, 全县…) is about a unit of that level only: a
    // prefecture's 全州 figure is not 格尔木市's
    const place = query.places.length === 1 ? query.places[0] : undefined;
    const lexicon = ctx.lexicon;
    const within = (p: string | undefined) => !!p && !!lexicon && lexicon.lineage(lexicon.canonicalPlace(p) ?? p).includes(place!);
    // (a total asked of a county or a city, 澄溪县一共划分了多少个责任区, is not the figure of one village, community or
    // township a sentence opens with: 石桥社区推行…，将辖区划分为12个责任区 counts that community's only)
    const wholeAsked = !!place && /[县市州旗]$/.test(place) && (!!query.figure.total || /全[县市州旗]/.test(query.text));
    // (the places a section's passages name, read once a section, and the asked place's own lineage)
    const sectionPlaces = new Map<string, string[]>();
    const placesOfSection = (id: string) => {
      let named = sectionPlaces.get(id);
      if (!named) sectionPlaces.set(id, (named = lexicon!.places(ctx.index.recordsInSection(id, { type: 'chunk' }).map((x) => x.text).join('\n'))));
      return named;
    };
    const ancestors = place && lexicon ? lexicon.lineage(lexicon.canonicalPlace(place) ?? place) : [];
    const forPlace = (s: Scored) => {
      if (wholeAsked && SUB_UNIT_SUBJECT.test(s.text) && !/全[县市州旗]/.test(s.text)) return false;
      if (!place || !lexicon) return true;
      const scope = s.text
        .split(/[，；。！？]/)
        .filter((c) => findFigures(c).length)
        .map((c) => /全([省州市县区旗镇乡])/.exec(c)?.[1])
        .find(Boolean);
      if (scope && !place.endsWith(scope)) return false;
      const r = hits[s.hit]!.record;
      if (within(ctx.index.document(r.source)?.place) || within(r.places[0])) return true;
      if (lexicon.places(`${r.section}\n${s.text}`).some(within)) return true;
      // (…or the place the passage last named before it: a place stays the scope of what follows until another is named,
      // 天峻县新源镇城西社区…“积分小超市”… then “…义务帮助他人、解决困难诉求加3分……”)
      const before = sentencesOf(r).slice(0, s.position);
      for (let j = before.length - 1; j >= 0; j--) {
        const named = lexicon.places(before[j]!);
        if (named.length) return named.some(within);
      }
      // (a passage that names no place before it is in the scope of its section, a newspaper article or a part of a
      // report, when that names the place asked and no other below the document's own: the 天峻县 article's opening quote)
      if (!r.sectionId) return false;
      const named = placesOfSection(r.sectionId);
      return named.some(within) && named.every((p) => within(p) || ancestors.includes(p));
    };
    // a count of things an action was done to, said in the passive (几名党建观察员被解聘了, 几个村监委主任被约谈了), is
    // answered only by a sentence naming that action: 共选聘党建观察员86名 counts the ones appointed, not the dismissed
    const done = query.figure.cls === 'count' ? passiveAction(query.standard) : undefined;
    const doneForms = done ? actionForms(done, expanded) : [];
    const did = (s: Scored) => !done || doneForms.some((e) => namesAction(s.text, e));
    const strong = scored.filter((s) => s.figure === 2 && forPlace(s) && did(s));
    const weak = scored.filter((s) => s.figure === 1 && forPlace(s) && did(s));
    // with neither, a figure of the asked class beside a word of the asked noun is only near the question (see
    // `looseFigure`): it answers as a weak figure does, from a sentence that covers the question (ask.ts)
    const loose = strong.length || weak.length ? [] : scored.filter((s) => forPlace(s) && did(s) && looseFigure(s.text, query.figure!, `${hits[s.hit]!.record.title}\n${hits[s.hit]!.record.section ?? ''}`));
    // (a qualifier the question puts before its noun, 实地考核的事项, picks that figure of the noun: a sentence naming it
    // answers before one counting the noun at large, 考核事项91项, however well that one counts it)
    const qualifier = query.figure.qualifier;
    const qualified = qualifier ? [...strong, ...weak].filter((s) => s.text.includes(qualifier)) : [];
    const pool = qualified.length ? qualified : strong.length ? strong : weak.length ? weak : loose;
    if (!pool.length) return { chosen: [], figureFound: false };
    const best = pool[0]!;
    if (candidates) return { chosen: pool.slice(0, limit), figureFound: true };
    // a second sentence only when it also holds the asked figure next to the noun, in the same passage; a total
    // (一共, 累计) is one figure
    // neither place nor year asked: the figure as other documents give it (another place, another year's report) is
    // given too, one sentence a document (up to three), each with its provenance (“整顿了几个” asked of reports of
    // several years)
    // (a rule's threshold or bound differs by document and is asked of one: another document's is given only when it
    // is another place's rule, 积分到多少算优秀 asked where two counties' 办法 answer, since the question chose none)
    // (one sentence of each other document, in score order, at least 0.8 of the best's score)
    const otherDocuments = (pool: Scored[]) => {
      const sources = [hits[best.hit]!.record.source];
      return pool.filter((x) => {
        const source = hits[x.hit]!.record.source;
        if (x.score < best.score * 0.8 || sources.includes(source)) return false;
        sources.push(source);
        return true;
      });
    };
    if (unscoped(query) && best.figure === 2 && !candidates) {
      const others = otherDocuments(strong).filter((o) => !query.figure!.bound || otherPlace(ctx.index, hits[best.hit]!.record, hits[o.hit]!.record));
      if (others.length) return { chosen: [best, ...others.slice(0, 2)], figureFound: true, figureStrong: true };
    }
    // a share or bound that no document states beside the asked noun (评优秀的比例最多多少: each 办法 states its own cap)
    // is given as each document about the question states it, when the question names no place, year or document
    if (unscoped(query) && best.figure === 1 && !candidates && query.figure.cls === 'percent' && !query.figure.noun) {
      const others = otherDocuments(weak);
      if (others.length) return { chosen: [best, ...others.slice(0, 2)], figureFound: true, figureStrong: false };
    }
    // (a figure asked of each of several things, 发文和会议分别降了多少, is as many figures: the second may be as weak as the
    // first, a figure beside the question's words)
    const second = query.figure.total ? undefined : (qualified.length || EACH_ASKED.test(query.standard) ? pool : strong).find((s) => s !== best && s.hit === best.hit && s.score >= best.score * 0.7 && !s.text.includes(best.text.slice(0, 20)));
    return { chosen: second && limit > 1 ? [best, second] : [best], figureFound: true, figureStrong: best.figure === 2 };
  }
  // a where-question is answered by a sentence stating a place (培训地点：…), before one that only shares its words
  // (among sentences about the question: at least half the best one's score); a who-question (找谁问, 谁负责) likewise by
  // one naming a person or the one in charge (联系人：, 负责人：, 由…负责)
  // (and a question asking where something comes from, 钱从哪里出, by one stating a source: 从…经费中列支, 由…承担)
  const answerKind = SOURCE_ASKED.test(query.text) ? SOURCE_STATED : query.where ? PLACE_STATED : query.who ? PERSON_STATED : undefined;
  // (the place of an action asked, 手册去哪儿领, is answered only by a sentence stating a place or naming the action: one
  // that only names the thing, 记入《手册》, says nothing of where it is handed out)
  if (answerKind === PLACE_STATED && !scored.some((s) => answersWhere(query.text, s.text, expanded))) return { chosen: [] };
  if (answerKind) {
    const floor = scored[0]!.score * ABOUT_SHARE;
    const stated = (s: Scored) => s.score + (s.score >= floor && answerKind.test(s.text) ? 0.3 : 0);
    scored.sort((a, b) => stated(b) - stated(a));
  }
  const best = scored[0]!;
  const chosen = [best];
  for (const s of scored.slice(1)) {
    if (chosen.length >= limit || s.score < best.score * 0.7) break;
    // the same sentence from a copy of the document in another format differs only in white space
    const bare = (x: string) => x.replace(/\s+/g, '');
    if (chosen.some((c) => bare(c.text).includes(bare(s.text).slice(0, 20)) || bare(s.text).includes(bare(c.text).slice(0, 20)))) continue;
    chosen.push(s);
  }
  return { chosen };
}

/** A rule's conditional clause and its consequence (考核不合格的，暂停拨付…): the condition closed by 的 and a comma. */
const CONDITIONAL = /(?:^|[，；。：])([^，；。：]{1,40}?的)，([^；。]+)/g;

/**
 * The clause of a rule for the condition `query.condition` states (要是不合格呢 ← “考核不合格的，暂停拨付下一年度运行补助经费”):
 * among the sentences about the question (`score` ranks them, called only when a condition is stated) (at least half the best one's score, the first eight), the first holding a
 * conditional clause (…的，…) that names every word of the condition, negated as the condition is (合格 is not 不合格),
 * returned as a sentence whose text is that condition and its consequence. Undefined for a question asking a figure or a
 * date, or when no rule states the condition. Rule texts state consequences so (有下列情形之一的，…; 逾期未报送的，…); a
 * table or a report has no such clause and this adds nothing there.
 */
function conditionalClause(query: Query, score: () => Scored[]): Scored | undefined {
  const condition = query.condition;
  if (!condition || query.figure || query.when) return undefined;
  // (scored only for a question stating a condition: the sentences are scored again for it)
  const scored = score();
  if (!scored.length) return undefined;
  const negated = /^[不没未无]/.test(condition);
  const words = getJieba().cut(condition.replace(/^[不没未无]/, ''), false).filter((w) => w.length >= 2 && !negatedVerb(w));
  if (!words.length) return undefined;
  const floor = scored[0]!.score * ABOUT_SHARE;
  for (const s of scored.slice(0, 8)) {
    if (s.score < floor) break;
    for (const m of s.text.matchAll(CONDITIONAL)) {
      const clause = m[1]!;
      if (!words.every((w) => clause.includes(w))) continue;
      // (the negation must agree: 考核合格的 does not answer 要是不合格呢, 考核不合格的 does not answer 评了合格)
      if (words.some((w) => /[不没未无]$/.test(clause.slice(0, clause.indexOf(w))) !== negated)) continue;
      return { ...s, text: `${clause}，${m[2]!}` };
    }
  }
  return undefined;
}

/** The clause of `text` around position `at` (between clause or list punctuation). */
function clauseAt(text: string, at: number): string {
  const stops = '，。；、：！？';
  let a = at;
  while (a > 0 && !stops.includes(text[a - 1]!)) a--;
  let b = at;
  while (b < text.length && !stops.includes(text[b]!)) b++;
  return text.slice(a, b);
}

/**
 * One sentence that answers every part of a multi-part figure question (“新建了几个党组织，单独组建的有几个” ←
 * “全年新建党组织29个，其中单独组建17个、联合组建12个”): each part takes a figure of its own class from it, one
 * that counts the part's noun or stands in a clause holding the part's own words (those no other part uses).
 * Looked for among the five sentences best matching the whole question.
 */
function sentenceForAllParts(query: Query, expanded: ExpandedQuery, hits: SearchHit[], ctx: SynthesisContext): Scored[] {
  if (!query.parts.every((p) => p.figure)) return [];
  const found: Scored[] = [];
  // a question word with its measure word (几天, 多少人) is the ask, not a word of the part's own
  const terms = [...expanded.terms.keys()].filter((t) => t.length >= 2 && !/^(?:几|多少|哪|什么)/.test(t));
  const own = query.parts.map((p, k) => terms.filter((t) => p.text.includes(t) && !query.parts.some((o, j) => j !== k && o.text.includes(t))));
  // (the best sentence of the first five; with no place, year or document asked, also the best of another place's
  // document among the first ten, see `otherPlace`)
  const open = unscoped(query);
  for (const [rank, s] of scoreSentences(expanded, hits, ctx.stats, undefined, query.text).slice(0, open ? 10 : 5).entries()) {
    if (found.length && (!open || found.length >= 2 || !otherPlace(ctx.index, hits[found[0]!.hit]!.record, hits[s.hit]!.record) || s.score < found[0]!.score * 0.8)) continue;
    if (!found.length && rank >= 5) break;
    const figures = findFigures(s.text);
    const taken = new Set<number>();
    let previousClause: string | undefined;
    const answersAll = query.parts.every((p, k) => {
      const ask = p.figure!;
      const f = figures.find((g) => {
        if (taken.has(g.start) || g.cls !== ask.cls || (ask.unit && g.cls === 'count' && !sameKind(ask.unit, g.unit))) return false;
        // (a figure the part itself states, 两批 of 前面两批加起来派了多少, is what it gives, not what it asks)
        if (p.text.includes(g.text)) return false;
        const clause = clauseAt(s.text, g.start);
        // (a part that counts a noun is answered only by a clause naming it or a figure counting it: 两委 near
        // 学历…提升11% does not answer 两委里女性比例)
        // (a noun carried from the part before, 多少人次 after 几期书记培训, is not required of the clause)
        const nounOwn = !!ask.noun && p.text.includes(ask.noun);
        if (own[k]!.some((t) => clause.includes(t)) && (!nounOwn || clause.replace(/[“”]/g, '').includes(ask.noun!) || matchFigure(clause, ask).strength === 2)) return true;
        // an elliptical part (看了几天 after 观摩团有多少人: no words of its own) asks about what the part before it
        // found: a figure of its class in that figure's clause answers it (“4天时间里…接受了78人观摩团”)
        if (k > 0 && !own[k]!.length && clause === previousClause) return true;
        // …or, asking one side of a change (现在到多少了), about the other figure of a sentence comparing two (满意度为91.3%，比
        // 整顿前的68.5%提高…; 由去年的76%提高到93%)
        if (k > 0 && previousClause !== undefined && asksSide(p.text) && own[k]!.every((t) => asksSide(t)) && COMPARED.test(s.text)) return true;
        // (a part naming no counted noun but words of its own, 支部书记呢, is answered only beside those words: any figure in
        // its measure word is not about it)
        const m = matchFigure(clause, ask);
        return m.strength === 2 && m.figure?.text === g.text && (!!ask.noun || !own[k]!.length);
      });
      if (f) {
        taken.add(f.start);
        previousClause = clauseAt(s.text, f.start);
      }
      return !!f;
    });
    if (answersAll) found.push(s);
  }
  return found;
}

/**
 * The head noun a part without a subject shares with the part before it (要不要交钱 after 手册去哪儿领 → 手册): the last
 * noun of two characters or more before the earlier part's question word; undefined when `part` opens
 * with a noun or pronoun of its own (subject), or the earlier part names no noun. Chinese drops the subject a clause
 * shares with the clause before (零形回指, zero anaphora).
 */
export function carriedHead(part: string, before: string): string | undefined {
  const first = getJieba().tag(part, false)[0];
  if (!first || !/^(v|d|a|ad|p|c)/.test(first.tag)) return undefined;
  const words = getJieba().tag(before, false);
  const asked = words.findIndex((w) => /多少|几|哪|什么|谁|多久|多长|怎么|如何|吗/.test(w.word));
  // (a place or a framing word, 县里 or 村里, says where, not what)
  return (asked < 0 ? words : words.slice(0, asked)).filter((w) => w.word.length >= 2 && /^(n|vn)/.test(w.tag) && !/^(ns|nr)/.test(w.tag) && !/[里上内]$/.test(w.word)).at(-1)?.word;
}

/**
 * The action a where-question asks the place of (去哪儿领 → 领, 在哪里办 → 办, 到哪儿报名 → 报名): the verb right after
 * the where-word; undefined when none follows (会议地点在哪里).
 */
export function whereAction(question: string): string | undefined {
  const m = /(?:在哪|到哪|去哪|上哪|哪里|哪儿|什么地方)[里儿]?(?:去|来)?([\u4e00-\u9fff]{1,4})/.exec(question.replace(/\s+/g, ''));
  if (!m) return undefined;
  const first = getJieba().tag(m[1]!, false)[0];
  return first && /^v/.test(first.tag) && !MODAL.test(first.word) && !/^(是|有|在)$/.test(first.word) ? first.word : undefined;
}

/**
 * Whether `sentence` answers a where-question: it states a place (地点：, 设在, 位于, 在…举行), or names the action the
 * question asks the place of (`whereAction`: 领 by 领取 or 发放's own verb, a glossary word for it); true when the
 * question names no action.
 */
function answersWhere(question: string, sentence: string, expanded: ExpandedQuery): boolean {
  if (PLACE_STATED.test(sentence)) return true;
  const action = whereAction(question);
  if (!action) return true;
  return actionForms(action, expanded).some((e) => namesAction(sentence, e));
}

/**
 * The action a question says was done to what it asks about, in the passive: the first verb of two characters or more
 * within four words after 被 (被|解聘, 被|乡镇党委|约谈, 被|选进); undefined without 被. A verb jieba's dictionary lacks
 * and cuts into two one-character words, the second a verb (约|谈 of 约谈), is read whole.
 */
export function passiveAction(question: string): string | undefined {
  const words = getJieba().tag(question, true);
  const at = words.findIndex((w) => w.word === '被');
  if (at < 0) return undefined;
  const after = words.slice(at + 1, at + 5);
  for (const [i, w] of after.entries()) {
    if (/^v/.test(w.tag) && w.word.length >= 2) return w.word;
    const next = after[i + 1];
    if (w.word.length === 1 && /^[\u4e00-\u9fff]$/.test(w.word) && next && next.word.length === 1 && /^v/.test(next.tag)) return w.word + next.word;
  }
  return undefined;
}

/** An action as asked and the words the glossary says mean the same (交齐 → 完成收缴 when a glossary line says so). */
function actionForms(e: string, expanded: ExpandedQuery): string[] {
  return [e, ...expanded.substitutes.filter((x) => x.equivalent && x.say.includes(e)).flatMap((x) => x.means)];
}

/**
 * Whether `text` names the action `e`: as written for two characters or more; a one-character action (报, 领, 交) only as
 * a verb of the text, that one or one it opens (报送, 领取), never as a character of another word (绩效报酬, 领导).
 */
function namesAction(text: string, e: string): boolean {
  return e.length >= 2 ? text.includes(e) : getJieba().tag(text, false).some((w) => w.word === e || (w.word.startsWith(e) && /^v/.test(w.tag)));
}

/** A question asking where something comes from: 钱从哪里出, 经费由哪儿出, 资金哪里来, 什么渠道. */
const SOURCE_ASKED = /[从由]哪[里儿]?|哪[里儿]来|什么渠道|来源是/;
/** A sentence stating where something comes from: 从党建工作经费中列支, 由县财政承担, 来源于, 来自. */
const SOURCE_STATED = /从[^，。；]{2,20}?(?:中|里)?(?:列支|支出|开支|安排|解决|筹集|拨付)|由[^，。；]{2,16}?(?:承担|负担|支付|列支|解决|出资|拨付)|来源于|来自/;

/** A sentence comparing an amount with an earlier one: 比整顿前的68.5%提高, 较上年增加, 由去年的76%提高到93%. */
const COMPARED = /[比较].{1,12}?(?:提高|提升|增加|增长|上升|下降|降低|减少)|由.{1,16}?(?:提高|提升|增加|增长|上升|下降|降低|减少|压减|精简)(?:到|至)/;

/** A change to an amount, as asked (提到了多少, 降到几个) or said: its verb with 到/至. */
const CHANGED_TO = new RegExp(`(?:增长|${CHANGE_VERB})了?(?:到|至)`);
/** True when a question part (or one of its words) asks one side of a change: 原来, 现在, 整顿前, 提到了多少. */
const asksSide = (t: string) => !!timeSide(t) || /[前后]$/.test(t) || CHANGED_TO.test(t);

/** A part asking both sides of a change: 前后各是多少, 之前之后分别是多少, 从多少到多少. */
const BOTH_SIDES_ASKED = /前后|之前之后|之前和之后|以前和现在|原来和现在|从多少[^？?]*到多少/;
/** A sentence stating both sides of a change: 由2031年的23件下降到4件, 从45天缩短至28天. */
const CHANGE_STATED = /[由从][^，。；]{0,20}?\d[^，。；]{0,20}?(?:到|至|为)[^，。；\d]{0,4}?\d/;

/** Words of a question part asking the amount before a change (原来是多少) or after it (现在, 还剩多少). */
const PART_BEFORE = /原来|原先|本来|以前|之前|过去|此前/;
const PART_AFTER = /现在|目前|如今|以后|之后|后来|剩/;

/** Which side of a change a question part asks: 'before', 'after', or undefined (both or neither). */
function timeSide(part: string): 'before' | 'after' | undefined {
  const before = PART_BEFORE.test(part);
  const after = PART_AFTER.test(part);
  return before === after ? undefined : before ? 'before' : 'after';
}

/**
 * Which side of a change a sentence states: before (清理规范前，…; 原来…) or after (清理规范后，…; 目前…, 仅有…, 减少到…), read
 * from its opening clause; undefined when it states neither or both.
 */
function sentenceSide(text: string): 'before' | 'after' | undefined {
  const opening = text.split(/[，,：:]/)[0] ?? '';
  const before = /前$|以前|之前|原来|原先|过去/.test(opening);
  const after = /后$|以后|之后|目前|现在|如今/.test(opening) || /仅有|仅剩|减少到|减少至|压减到|压减至|精简为|精简到/.test(text);
  return before === after ? undefined : before ? 'before' : 'after';
}

/** A sentence whose subject is a named village, community or township (石桥社区推行…, 枫林村党总支…, 溪口镇党委…). */
const SUB_UNIT_SUBJECT = /^(?![各全每本该所其])(?:[\u4e00-\u9fff]{2,4}(?:镇|乡|街道))?[\u4e00-\u9fff]{2,4}(?:村|社区|镇|乡|街道)(?![委民级务里内])/;

/** True when a question names no place, year or document: the documents that answer it may each be given (see `otherPlace`). */
function unscoped(query: Query): boolean {
  return !query.places.length && !query.year && !query.source;
}

/**
 * True when two records come from documents of different places, both known (溪川县's 办法 and 蘅川县's): a rule asked
 * with no place named is then given as each place's document states it.
 */
function otherPlace(index: KnowledgeIndex, a: IndexRecord, b: IndexRecord): boolean {
  const pa = index.document(a.source)?.place;
  const pb = index.document(b.source)?.place;
  return !!pa && !!pb && pa !== pb;
}

/** Synthesizes the extractive answer for `query` from `hits` (see the module comment). */
export function synthesize(query: Query, expanded: ExpandedQuery, hits: SearchHit[], ctx: SynthesisContext): Draft {
  const empty: Draft = { text: '', used: [] };
  if (!hits.length) return empty;

  if (query.articles && query.articles.length >= 2) {
    // several articles asked: each quoted whole, one after the other
    const drafts = query.articles.map((article) => synthesizeArticle({ ...query, article }, hits));
    const found = drafts.filter((d): d is Draft => !!d);
    if (found.length) {
      const text = drafts.map((d, k) => `${'①②③④⑤⑥⑦⑧⑨⑩'[k] ?? `${k + 1}.`} ${d ? d.text : `${query.articles![k]}：资料中未找到。`}`).join('\n');
      return { text, used: [...new Set(found.flatMap((d) => d.used))] };
    }
  }
  if (query.article) {
    const a = synthesizeArticle(query, hits);
    if (a) return a;
  }
  // (a message asking two facts of a document, 啥时候发的，文号是多少, gets each)
  if (query.meta && query.parts.length >= 2 && query.parts.every((p) => p.meta)) {
    const facts = query.parts.map((p) => synthesizeMeta({ ...query, meta: p.meta }, hits, ctx.index));
    const found = facts.filter((f) => f.text);
    if (found.length) return { text: facts.map((f, k) => `${'①②③④⑤'[k]} ${f.text || `${query.parts[k]!.text}：资料中未找到。`}`).join('\n'), used: [...new Set(found.flatMap((f) => f.used))], figureFound: true, figureStrong: true };
  }
  if (query.meta) return synthesizeMeta(query, hits, ctx.index);
  // (a list of a kind of row, 窗口服务类的先锋岗有哪几个, names a cell of those rows: it is no question about that one row)
  const kind = query.list && !query.parts.some((p, k) => k > 0 && p.text) ? categoryRows(hits, query.list, query.text) : undefined;
  if (kind) return listDraft(kind);
  const table = synthesizeTable(query, expanded, hits, ctx.index);
  if (table) return table;

  if (query.parts.length >= 2) {
    const wholes = sentenceForAllParts(query, expanded, hits, ctx);
    if (wholes.length) {
      return {
        text: `根据资料：\n${wholes.map((w) => `${quote(w.text)}[${w.hit + 1}]\n${provenance(hits[w.hit]!.record, ctx.index)}`).join('\n')}`,
        used: wholes.map((w) => w.hit),
        figureFound: true,
        figureStrong: true,
      };
    }
    const lines: string[] = [];
    const used: number[] = [];
    // (in a document the question names, the words of its title named it: they tell none of its sentences apart —
    // “照三会一课规定，支委会多久开一次” is not answered by the one article that writes “三会一课”)
    const title = query.source ? (ctx.index.document(query.source)?.title ?? '') : '';
    const picks = query.parts.map((part) => {
      const own = (t: string) => part.text.includes(t) && !(title.includes(t) && !(part.figure?.noun ?? '').includes(t));
      const partExpanded: ExpandedQuery = { ...expanded, terms: new Map([...expanded.terms].filter(([t]) => own(t) || !query.text.includes(t) || (part.figure?.noun ?? '').includes(t))) };
      return { part, partExpanded, ...pickSentences(part, partExpanded, hits, ctx, 3, true) };
    });
    // parts asking the same thing (“以前有多少项，现在剩几项”) are answered by different sentences, in reading order
    // (not when one part asks a target and another what is now, 现在有多少个…达标了？到2028年底要达到多少: each is its own ask)
    const targets = picks.filter((p) => TARGET_ASKED.test(p.part.text)).length;
    const sameAsk = (targets === 0 || targets === picks.length) && picks.every((p) => p.part.figure?.noun && p.part.figure.noun === picks[0]!.part.figure?.noun && p.part.figure.cls === picks[0]!.part.figure?.cls);
    const taken = new Set<string>();
    const byText = new Map(picks.flatMap((p) => p.chosen.slice(0, picks.length + 1)).map((s) => [s.text, s]));
    const at = (s: Scored) => [hits[s.hit]!.record.source, (hits[s.hit]!.record.start ?? 0) + s.position] as const;
    const source = picks[0]!.chosen[0] ? hits[picks[0]!.chosen[0].hit]!.record.source : '';
    // (…unless the parts ask before and after a change, 原来是多少 / 还剩多少: each takes the sentence stating its side,
    // 清理规范前… / 清理规范后…, whatever their order)
    const sides = sameAsk ? picks.map((p) => timeSide(p.part.text)) : [];
    const bySide = sides.length >= 2 && sides.every(Boolean) && new Set(sides).size === sides.length
      ? sides.map((side) => [...byText.values()].filter((s) => sentenceSide(s.text) === side).sort((a, b) => b.score - a.score)[0])
      : undefined;
    const ordered = bySide?.every(Boolean)
      ? (bySide as Scored[])
      : sameAsk
        ? [...byText.values()].filter((s) => at(s)[0] === source).sort((a, b) => at(a)[1] - at(b)[1]).slice(0, picks.length)
        : [];
    // a sentence that names words only another part names and none only this part names (停止党籍2年后…按照除名处理 for
    // “党员失联多久会被停止党籍？停止党籍以后多久按除名处理？”) answers that part, not this one; and a part closed by 呢 asks
    // the same of another subject (“党员…要多少学时？支部书记呢？”), so a sentence naming that subject answers it rather
    // than the other parts. Such sentences come after the others among a part's candidates (words are compared as
    // jieba words: 委员 is not named by 党支部委员会). A part with no words of its own (走了多少个点) is about what the others
    // name, so no sentence is foreign to it.
    // (question words, numerals and a measure word jieba joins to its noun, 哪天, 一个 or 个点, are no words of a part's own)
    // (nor is a one-character verb jieba glued to its negation, 没|改 of 还剩几个没改完: see `negatedVerb`)
    const ownWords = picks.map(({ part }) => [...expanded.terms.keys()].filter((t) => t.length >= 2 && !/^(?:多少|几|哪|什么|怎|个|[一二两三四五六七八九十\d])/.test(t) && !negatedVerb(t) && part.text.includes(t) && !title.includes(t) && !picks.some((o) => o.part !== part && o.part.text.includes(t))));
    const wordsOf = (text: string) => new Set(getJieba().cut(text, true));
    // (a word is named by its sub-words apart too: 党建联络员 by 党建…联络员, and a word of the dictionary with no
    // sub-words by its character and the dictionary word that make it up: 村两委 by 村（社区）“两委”)
    const spelled = (text: string, w: string) => {
      if (text.includes(w)) return true;
      const subs = getJieba().cut(w, true).filter((x) => x !== w && x.length >= 2);
      if (subs.length) return subs.every((x) => text.includes(x));
      if (w.length < 3) return false;
      return [[w.slice(0, 1), w.slice(1)], [w.slice(-1), w.slice(0, -1)]].some(([char, word]) => !!dictionaryEntry(word!) && text.includes(word!) && text.includes(char!));
    };
    for (const [k, p] of picks.entries()) {
      const others = ownWords.filter((_, j) => j !== k);
      const contrasted = ownWords.filter((_, j) => j !== k && /呢$/.test(picks[j]!.part.text)).flat();
      const elliptical = /呢$/.test(p.part.text);
      const rank = (c: Scored) => {
        const words = wordsOf(c.text);
        const own = ownWords[k]!.filter((w) => words.has(w) || spelled(c.text, w)).length;
        const foreign = others.flat().some((w) => words.has(w));
        return (contrasted.some((w) => words.has(w) || spelled(c.text, w)) ? 1 : 0) + (foreign && !own && ownWords[k]!.length ? 1 : 0) + (elliptical && !own ? 1 : 0);
      };
      p.chosen = p.chosen.map((c, i) => ({ c, i, r: rank(c) })).sort((a, b) => a.r - b.r || a.i - b.i).map(({ c }) => c);
    }
    // a sentence answers a part only when it is about that part: it holds a content word the part alone names (交钱 of
    // 要不要交钱), a glossary word for one, or all the parts of one, when the part names any (a part naming none, 看了几天,
    // asks of what the others name); and a where-part (去哪儿领) is answered by a sentence stating a place or naming
    // the action asked where (领, 领取)
    // (a one-character verb glued to a modal, an aspect particle or a complement of result, 能评, 评了, 登完, names no
    // topic, as a one-character verb alone does not)
    const bareVerb = (w: string) => w.replace(/^[能可要得会该]/, '').replace(/[了过着完好齐掉]$/, '').length < 2;
    // (nor does a verb framing the amount a part asks, 打算|提到|多少: see FIGURE_FRAME)
    // (nor does a verb's complement of direction jieba cuts off, 加|起来, 点|出来: it says where the action goes)
    const contentOf = (k: number) =>
      ownWords[k]!.filter((w) => !MODAL.test(w) && !bareVerb(w) && !isDirectionWord(w) && !(picks[k]!.part.figure && FIGURE_FRAME.test(w)) && !FUNCTION_TAG.test(getJieba().tag(w, false)[0]?.tag ?? ''));
    const aboutPart = (s: Scored, k: number) => {
      const content = contentOf(k);
      // (a word of the heading the sentence stands under counts as its own: （一）晒实绩 names what “时间不超过8分钟” limits)
      const section = hits[s.hit]!.record.section ?? '';
      // (a topic word only, a noun: a time word of the heading, 第四季度, says when, not what)
      const holds = (w: string) => spelled(s.text, w) || (expanded.explained.get(w) ?? []).some((o) => s.text.includes(o)) || (w.length >= 2 && section.includes(w) && /^(n|nz|vn|l)$/.test(getJieba().tag(w, false)[0]?.tag ?? ''));
      if (content.length && !content.some(holds)) return false;
      // (a part without a subject, 要不要交钱 or 最长能借多久, shares the subject of the part before it, as a Chinese clause
      // with a zero subject does: its passage must name that subject's head noun, or it is another thing's fee)
      // (only a part whose whole content is its predicate, one word: a part naming things of its own, 讨论发展党员得多少委员在场,
      // has its own subject)
      const carried = k > 0 && content.length <= 1 ? carriedHead(picks[k]!.part.text, picks[k - 1]!.part.text) : undefined;
      const r = hits[s.hit]!.record;
      if (carried && ![carried, ...(expanded.explained.get(carried) ?? [])].some((w) => `${r.title}\n${r.section}\n${r.text}`.includes(w))) return false;
      return !picks[k]!.part.where || answersWhere(picks[k]!.part.text, s.text, expanded);
    };
    let offTopicParts = 0;
    let previous: Scored | undefined;
    picks.forEach(({ part, partExpanded, chosen, figureFound }, k) => {
      // a part stating a condition (要是不合格呢) gets the rule's clause for that condition
      const ruled = conditionalClause(part, () => scoreSentences(partExpanded, hits, ctx.stats));
      if (ruled) {
        previous = ruled;
        taken.add(ruled.text);
        used.push(ruled.hit);
        lines.push(`${'①②③④⑤'[k]} ${part.text}：${quote(ruled.text)}[${ruled.hit + 1}]`);
        return;
      }
      // a part asking for a list (主要学哪些内容) gets the items, as a list question would
      const listed = part.list && !part.figure ? enumerateAsked(part.list, hits, ctx.index, () => scoreSentences(partExpanded, hits, ctx.stats), [...partExpanded.terms.keys()], part.text) : undefined;
      // (items from a passage about none of the part's own words, 要求 of another 通知 for “红色代办员对年纪有啥要求”, are not its answer)
      const about = ownWords[k]!.filter((w) => !`${part.list?.noun ?? ''}${part.list?.head ?? ''}`.includes(w));
      const items = listed && (!about.length || listed.items.some((it) => about.some((w) => `${hits[it.hit]!.record.title}${hits[it.hit]!.record.text}`.includes(w)))) ? listed : undefined;
      if (items?.items.length) {
        const intro = items.intro ? `${quote(items.intro.text)}[${items.intro.hit + 1}]` : '';
        if (items.intro) previous = { text: items.intro.text, hit: items.intro.hit, position: 0, score: 0, figure: 0 };
        used.push(...(items.intro ? [items.intro.hit] : []), ...items.items.map((it) => it.hit));
        lines.push(`${'①②③④⑤'[k]} ${part.text}：${intro}\n${items.items.map((it, j) => `  ${j + 1}. ${it.text}[${it.hit + 1}]`).join('\n')}`);
        return;
      }
      // a part asking about what the previous part found (“……有多少，占比多少？”) is answered from the same sentence when it can be
      // (a share that names no noun, 抽多少比例, asks of the previous part's thing: a share there answers it)
      // (not a part that names words of its own: “停止党籍以后多久按除名处理” asks of its own event)
      // (…or a part whose glossary words the previous sentence holds: “一个村配几个” after the sentence with 每村配备1至2名)
      // (a glossary word another part names, 整改 of 改完 after 整改好了几个, is no word of this part's own)
      const partSays = expanded.substitutes.filter((x) => x.equivalent && part.text.includes(x.say)).flatMap((x) => x.means).filter((w) => !query.parts.some((o) => o !== part && o.text.includes(w)));
      const weakAgain = partSays.some((w) => previous?.text.includes(w));
      // (…and not when the part's glossary words are in its own best sentence and not in the previous one: 还剩几个 after
      // 整改好了几个 asks the 其余 of another sentence)
      const saysElsewhere = !weakAgain && partSays.some((w) => chosen[0]?.text.includes(w));
      // (a noun carried from the part before, 督导组 for 看了几天, is what that sentence is about: the part asks its measure
      // word there)
      const carried = part.figure?.noun && !part.text.includes(part.figure.noun) ? { ...part.figure, noun: undefined, head: undefined, alternatives: undefined } : part.figure;
      const again = !sameAsk && !saysElsewhere && previous && carried && (weakAgain || !ownWords[k]!.some((w) => !/多少|几|比例|占比|比重/.test(w))) && matchFigure(previous.text, carried).strength >= (carried.noun || (carried.cls !== 'percent' && !weakAgain) ? 2 : 1) && !/[\u4e00-\u9fff]{2,}(?=的?(?:有|是|占))/.test(part.text.replace(/占比|比例|多少|几/g, '')) ? previous : undefined;
      // the sentence that answered an earlier part may answer this one too when it is this part's best and holds
      // what the part asks: a date (什么时候清零的), a figure counting its noun, or the words of a what-question (签订的是什么)
      const best = chosen[0];
      const shared = !sameAsk && best && taken.has(best.text) && (part.when || (part.figure ? best.figure === 2 : !part.list)) ? best : undefined;
      // (a part closed by 呢 asks in the context of the part before: its answer comes from the same document when one does)
      const sameSource = /呢$/.test(part.text) && previous ? chosen.find((c) => !taken.has(c.text) && hits[c.hit]!.record.source === hits[previous!.hit]!.record.source) : undefined;
      // a part that refers back to what the part before found (县里对这些乡镇采取了什么措施) asks of the sentence that named
      // them: it is quoted again when it says more than the names (…尚未清零，县委组织部已对两个乡镇党委书记进行约谈)
      const referred = !part.figure && !part.when && REFERS_BACK.test(part.text) && previous && k > 0 ? previous : undefined;
      // a part asking both sides of a change (前后各是多少件) after the part asking the change (信访少了多少) is answered
      // by that part's sentence when it states both sides (信访件由2031年的23件下降到4件)
      // (…and so is the other side of one change asked in two parts, 从多少块降到了几块, when no sentence of its own states it)
      const bothSides = k > 0 && previous && (BOTH_SIDES_ASKED.test(part.text) || (sameAsk && ordered.length < picks.length)) && CHANGE_STATED.test(previous.text) && !!part.figure?.noun && part.figure.noun === picks[k - 1]!.part.figure?.noun ? previous : undefined;
      const s = referred ?? again ?? bothSides ?? shared ?? (sameAsk && ordered.length >= picks.length ? ordered[k] : (sameSource ?? chosen.find((c) => !taken.has(c.text) && aboutPart(c, k)) ?? chosen.find((c) => !taken.has(c.text))));
      previous = s;
      const offTopic = !!s && s !== referred && !(figureFound === false && !again) && !aboutPart(s, k);
      if ((figureFound === false && !again) || !s || offTopic) {
        lines.push(`${'①②③④⑤'[k]} ${part.text}：资料中未找到。`);
        if (offTopic) offTopicParts++;
        return;
      }
      taken.add(s.text);
      used.push(s.hit);
      lines.push(`${'①②③④⑤'[k]} ${part.text}：${quote(focusSentence(s.text, partExpanded, part.figure))}[${s.hit + 1}]`);
    });
    // parts not found say so on their own line; the answer stands when any part was found, and none stands when every
    // part's sentence was about another thing (when no part found any, the whole question is answered below)
    if (used.length) return { text: lines.join('\n'), used, figureFound: query.figure ? true : undefined };
    if (offTopicParts === picks.length) return { ...empty, figureFound: false };
  }

  const ruled = conditionalClause(query, () => scoreSentences(expanded, hits, ctx.stats));
  if (ruled) return { text: `根据资料：\n${quote(ruled.text)}[${ruled.hit + 1}]`, used: [ruled.hit] };

  if (query.list) {
    const found = enumerateAsked(query.list, hits, ctx.index, () => scoreSentences(expanded, hits, ctx.stats), [...expanded.terms.keys()], query.text);
    // places of a kind asked (哪两个村, 哪几个乡镇) are answered by names of that kind, or not at all: the problems a 通报
    // lists are no villages
    const kind = placeKind(query.list);
    const placeName = kind ? new RegExp(`^[\u4e00-\u9fff]{1,10}?(?:${kind})(?:[（(][^（）()]*[）)])?$`) : undefined;
    if (placeName && !found?.items.some((it) => placeName.test(it.text.replace(/[“”。；，\s]/g, '')))) return empty;
    if (found) return listDraft(found);
  }

  const { chosen, figureFound, figureStrong } = pickSentences(query, expanded, hits, ctx, query.list ? 3 : query.figure ? 2 : 3);
  if (!chosen.length) return { ...empty, figureFound };
  // a list asked by its noun (哪几个县直部门) whose items were found nowhere is not answered by sentences that do not name
  // that noun either (部分单位仍有变相督查检查现象): the documents do not say which
  // (a word for parts, 哪几个方面, names no thing a sentence must write)
  // (nor does one of what a rule states, 有什么要求: see PROVISION_WORDS)
  const listed = query.list?.head && query.list.head.length >= 2 && !PART_WORDS.test(query.list.head) && !PROVISION_WORDS.test(query.list.head) ? headWords(query.list) : undefined;
  if (listed && !chosen.some((s) => listed.some((w) => s.text.includes(w)))) return empty;
  // a set named by its count (“十佳党员中心户”) whose members were found nowhere is not answered by a sentence that only
  // names the set (年终评选“十佳党员中心户”，每户奖励1000元): one that writes as many members in a series (群众点题、支部定题、…;
  // 街道党工委—社区党委—…), or a series cut short by 等 and the count (张建华、李秀英、王志强等10人), does answer
  const count = query.list?.phrase ? query.list.count : undefined;
  const listsSet = (t: string) => {
    const series = t.split(/[、—]|”“/).length;
    return series >= count! || (series >= 2 && /等[一二两三四五六七八九十\d]+[个名位人户家项]/.test(t));
  };
  if (count && !chosen.some((s) => listsSet(s.text))) return empty;
  // (a sentence announcing items, 有下列情形之一的，予以召回：, is quoted with them, not alone up to its colon and first item)
  const lines = chosen.map((s) => {
    // (not for a figure or a date, which one item states)
    const announced = query.figure || query.when ? undefined : announcedItems(hits[s.hit]!.record.text, s.text);
    if (announced) return `${quote(announced.intro)}[${s.hit + 1}]\n${announced.items.map((it, k) => `  ${k + 1}. ${it}`).join('\n')}`;
    return `${quote(focusSentence(s.text, expanded, query.figure))}[${s.hit + 1}]`;
  });
  // sentences of several documents (one a place) each carry their own provenance
  const sources = new Set(chosen.map((s) => hits[s.hit]!.record.source));
  const text = !query.figure && !(query.when && sources.size > 1)
    ? lines.join('\n')
    : sources.size > 1
      ? lines.map((l, k) => `${l}${provenance(hits[chosen[k]!.hit]!.record, ctx.index)}`).join('\n')
      : `${lines.join('\n')}\n${provenance(hits[chosen[0]!.hit]!.record, ctx.index)}`;
  return {
    text: `根据资料：\n${text}`,
    used: [...new Set(chosen.map((s) => s.hit))],
    figureFound,
    figureStrong,
  };
}

/** Words referring back to what was just named (这些乡镇, 这几个村, 上述问题, 它们). */
const REFERS_BACK = /这些|这几[个家项]|上述|它们|他们/;

/** A list answer: the intro sentence when there is one, then “共N项：” and the numbered items, each cited. */
function listDraft(found: Enumeration): Draft {
  const intro = found.intro ? `${quote(found.intro.text)}[${found.intro.hit + 1}]\n` : '';
  const lines = found.items.map((it, k) => `${k + 1}. ${it.text}[${it.hit + 1}]`);
  const used = [...new Set([...(found.intro ? [found.intro.hit] : []), ...found.items.map((it) => it.hit)])];
  return { text: `${intro}共${found.items.length}项：\n${lines.join('\n')}`, used };
}

/** Verbs that name no event of their own (什么时候开始, 什么时候结束: the start or end of what the question names; 需要在哪天之前). */
const LIGHT_EVENT = /^(开始|进行|需要|应当|可以|要求|是否|能够|截止|截至|之前|以前|完毕|结束)$/;

/**
 * The events a when-question asks the date of: its verbs of two or more characters (jieba v; vn is a noun's use: 管理|办法), without light
 * verbs: “管理办法是哪一年废止的” → [废止], “述职评议结果什么时候报送” → [报送]. A dated sentence that names none of
 * them dates something else. The predicate is read after the when-word, else before it.
 */
export function eventWords(question: string): string[] {
  const q = question.replace(/\s+/g, '');
  const verbs = (text: string) =>
    getJieba()
      .tag(text, true)
      // (a word of no numeral that jieba's dictionary tags a numeral, 整顿/m, is the verb it reads as: 要整顿完)
      .map((w) => (w.tag === 'm' && /^[\u4e00-\u9fff]{2,}$/.test(w.word) && !/[零〇一二两三四五六七八九十百千万亿几多少余半]/.test(w.word) ? { ...w, tag: 'v' } : w))
      // (a verbal noun counted by times or closed by an aspect particle is a verb: 多久|检查/vn|一次, 检查/vn|了)
      .map((w, i, all) => (w.tag === 'vn' && /^(?:一次|一回|一趟|几次|了|过)$/.test(all[i + 1]?.word ?? '') ? { ...w, tag: 'v' } : w))
      // a verb with a complement of direction (报上去, 交上来, 发下去) names the verb's own event (报, 交, 发): 趋向补语
      // (jieba may cut the complement off, 建|起来: the verb before it is the event, the complement no verb of its own)
      .map((w, i, all) => {
        if (/^(v|l)$/.test(w.tag) && DIRECTION_COMPLEMENT.test(w.word) && w.word.length > 2) return { word: w.word.replace(DIRECTION_COMPLEMENT, ''), tag: 'v', directed: true };
        if (w.tag === 'v' && w.word.length === 1 && isDirectionWord(all[i + 1]?.word ?? '')) return { word: w.word, tag: 'v', directed: true };
        if (isDirectionWord(w.word) && all[i - 1]?.tag === 'v' && all[i - 1]!.word.length === 1) return { word: w.word, tag: 'x', directed: false };
        return { ...w, directed: false };
      })
      // …and so does a verb with a complement of result (签好, 退掉): 结果补语; X完/X齐 and a light verb's 搞好 only say the work
      // is done (see DONE) and are dropped below
      .map((w) => (w.tag === 'v' && RESULT.test(w.word) && !DONE.test(w.word) ? { word: w.word[0]!, tag: 'v', directed: true } : w))
      // a verb with a complement of place or time (放在, 定在, 安排到) asks for the time itself, it names no event
      .filter((w) => w.tag === 'v' && (w.word.length >= 2 || w.directed) && !LIGHT_EVENT.test(w.word) && !/[在于到]$/.test(w.word))
      // a light verb with a complement of result (搞完, 弄好, 办完) asks by when the work is done: a deadline (see
      // LIMIT_ASKED), whatever the document calls the completion (完成, 办结, 完毕)
      .filter((w) => !DONE.test(w.word))
      .map((w) => w.word);
  // the predicate follows the when-word (“通知是哪一年|废止的”); a when-word at the end (“报送时间是什么时候”) follows it
  const at = WHEN_WORD.exec(q);
  const after = at ? verbs(q.slice(at.index + at[0].length)) : [];
  // a predicate that only says the work is done (哪天之前|改完, 什么时候|搞好): the words before the when-word name the
  // work, not the event dated (查出来的问题 are the problems found; their deadline is asked), so no event is named
  if (at && !after.length && getJieba().cut(q.slice(at.index + at[0].length), true).some((w) => DONE.test(w))) return [];
  // (…and so does the verb of finishing alone after work named before the when-word: …全覆盖，得在哪天之前|完成; with
  // nothing before it, 哪天前要完成 of a part, 完成 is the event itself, as a 完成时限 column dates it)
  if (at && after.length && after.every((w) => FINISH.test(w)) && verbs(q.slice(0, at.index)).length) return [];
  return after.length ? after : verbs(at ? q.slice(0, at.index) : q);
}

/** A one-character verb closed by a complement of result (签好, 退掉; 交齐 and 改完 are DONE). */
const RESULT = /^[\u4e00-\u9fff][好完齐掉]$/;

/** A question asking how often (多久开一次, 多长时间抽查一回, 几年一次, 每隔多久; 回 and 趟 count times as 次 does). */
const FREQUENCY_ASKED = /(?:多久|多长时间)[^，。？?]{0,12}一[次回趟]|几(?:年|个月|天)一次|每隔多/;

/** A question asking for the last day something may be done (最晚, 最迟, 截止, 期限, 什么时候前, 要搞完, 开完; not 完成, 完善, 齐全). */
const LIMIT_ASKED = /最晚|最迟|截止|期限|时限|限期|什么时候(?:之)?前|[\u4e00-\u9fff][完齐](?!成|善|全|整|备)|[搞弄做办干整]好/;
/**
 * A deadline: a day, a month's end or a year's end followed by 前 (12月31日前, 次年1月底之前, 年底前), or the last day
 * of a period (6月8日至6月14日).
 */
const DEADLINE = /(?:\d{1,2}月\d{1,2}日|\d{1,2}月底|年底|月底)(?:前|之前|以前)|[至到—－~-]\s*(?:\d{4}年)?\d{1,2}月\d{1,2}日/;

/** A question asking a time of day (几点开门, 几点钟报到). */
const CLOCK_ASKED = /几点/;
/** A time of day as documents print it: 8:30, 17：30, 9时, 9时30分, 9点半. */
const CLOCK = /\d{1,2}[:：]\d{2}|\d{1,2}(?:时|点)(?:\d{1,2}分|半)?/;

/** A year that dates an event (2020年实现…), not the start of a span (2022年以来) nor a 年度. */
const BARE_YEAR = /(?:19|20)\d{2}年(?!以来|来|度)/;
/** A when-question asking a month or a day (几月份, 哪个月, 哪天, 几号, 几月几日), which a year alone does not answer. */
const PRECISE_DATE_ASKED = /几月|哪个月|哪一个月|哪天|哪一天|几号|几日/;

/** The words that ask when (a subset of the understand stage's WHEN: the ones a predicate follows). */
const WHEN_WORD = /什么时候|什么时间|何时|哪天|哪一天|哪年|哪一年|几月几[日号]|几月份|哪个月|哪一个月|几号/;

/**
 * The items a sentence lists right before the phrase that names them (“A、B、C等“N型X””, or a run of quoted names
 * “A”“B”“C”NX): the last clause before the phrase, cut at 、 or at its quotes, without a verb opening the first item
 * (打造畜牧养殖 → 畜牧养殖). Empty when fewer than two items stand there.
 */
export function itemsBefore(r: IndexRecord, phrase: string): string[] {
  const sentence = sentencesOf(r).find((s) => s.includes(phrase));
  if (!sentence) return [];
  const clause = sentence
    .slice(0, sentence.indexOf(phrase))
    .replace(/[“"]$/, '')
    .replace(/(?:等|的|这|这些)+$/, '')
    .split(/[，。；：,;:]/)
    .pop()!;
  const quoted = /(?:“[^”]{2,16}”){2,}$/.exec(clause)?.[0];
  // (a run of items quoted as one, 提供“歇歇脚、喝口水、充充电、热热饭”四项基本服务, is read inside its quotes)
  const enclosed = /“([^“”]+、[^“”]+)”$/.exec(clause)?.[1];
  const items = quoted ? [...quoted.matchAll(/“([^”]+)”/g)].map((m) => m[1]!) : (enclosed ?? clause).split('、').map((s) => s.trim()).filter(Boolean);
  if (enclosed) return items.length >= 2 ? items : [];
  if (items.length < 2) return [];
  const first = getJieba().tag(items[0]!, true);
  if (first.length > 1 && first[0]!.tag.startsWith('v') && !items.slice(1).some((it) => it.startsWith(first[0]!.word))) items[0] = items[0]!.slice(first[0]!.word.length);
  // (a subject and verb before the first item, 各中心统一提供|党员组织关系转接, 为新就业群体提供|饮水, are no part of it: the
  // item starts after the last verb of two characters that has words after it)
  else {
    const k = first.findLastIndex((w, i) => w.tag === 'v' && w.word.length >= 2 && i < first.length - 1);
    if (k > 0) items[0] = first.slice(k + 1).map((w) => w.word).join('');
  }
  return items;
}
