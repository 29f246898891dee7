import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { DocMetaSchema } from '../ingest/corpus.js';
import type { Lexicon } from '../ingest/lexicon.js';
import type { Glossary } from '../retrieval/glossary.js';
import type { KnowledgeIndex } from '../retrieval/knowledge-index.js';
import type { HybridRetriever, SearchHit } from '../retrieval/retriever.js';
import { log } from '../log.js';
import type { DocumentInfo, IndexRecord, Summary, SummaryOptions } from '../types.js';
import { toCitations } from './citations.js';
import type { ChatModel } from './llm.js';
import { placeNames, summaryTopic } from './query.js';
import { clampMaxChars, formatDate, MIN_PASSAGE_TOPIC_SHARE, writeDraft, type DraftCandidate, type DraftInput, type LedeFacts } from './summary/draft.js';
import { FALLBACK_NOTE, llmDraft } from './summary/llm-draft.js';
import { MIN_TOPIC_SHARE, passageRelevance, topicHead, topicShare, topicWeights, topicWords, type TopicWeights } from './summary/relevance.js';
import { coordinatedItems, itemTopics, type CoordinatedTopic } from './summary/coordination.js';
import { documentRecords, MEASURE_TOPIC, topicPassages } from './summary/select.js';
import { pageArticle, pageParts } from './summary/page.js';
import { NAMING_KIND, normTitle, TRAILING_REQUEST, POINTER_HEAD, POINTER_MID, POINTER_TAIL, resolveTarget, sectionNamed, topHeading, type DocumentTarget } from './summary/target.js';
import { actionCount, extractFigures, informativeness, isBoilerplate, isScopeOrDefinition, isTitleLine, sentencesOf, shorten } from './summary/text.js';


/**
 * A colloquial question of manner closing a topic (是怎么搞的, 是如何开展的, 咋做的): it asks what was done, so the
 * topic is that subject's 做法 (which `MEASURE_TOPIC` reads as a request for measures).
 */
const MANNER_TAIL = /(是)?(怎么|怎样|如何|咋)(样)?(搞|做|干|弄|开展|推进|抓|落实|实施)(起来)?(的)?(呢|啊|呀)?$/;

/**
 * A question of manner with its own verb phrase, said with 是…的, the form that asks how a thing was done (X是怎么给党员
 * 打分的, 海西州是如何加强…的): group 1 the subject, group 2 the work asked about.
 */
const HOW_DONE = /^(.+?)是(?:怎么|怎样|如何|咋)(?:样)?([^，,？?]{2,30}?)的(?:呢|啊|呀)?$/;

/**
 * The topic of a request for a written piece: “写一份海西州人才工作的简报” → 海西州人才工作 (the request words around
 * the topic that `summaryTopic` leaves: 写一份…, …的简报/综述/信息/总结材料, a trailing “，总结一下”), a pointer
 * after a title (“…赋能党员教育那篇” → …赋能党员教育, `POINTER_TAIL`) and a colloquial question of manner
 * (“石塘镇党员中心户是怎么搞的” → 石塘镇党员中心户的做法). A request that is nothing but such words is returned as it came.
 */
export function draftTopic(topic: string): string {
  let t = topic
    .replace(TRAILING_REQUEST, '')
    // (the question mark of a question asked before the request, …都做了些什么？帮我总结一下)
    .replace(/[？?]+$/, '')
    .replace(/^(请|帮我|麻烦)?写(一份|一篇|一个|个|份|篇)?(关于)?/, '')
    .replace(/的?(工作)?(信息)?(简报|综述|总结材料|总结|信息|汇报材料)(草稿|初稿)?$/, (m) => (m.includes('工作') ? '工作' : ''))
    .trim();
  // a question of what a text requires (“…有哪些要求”) asks for its 要求, which `resolveTarget` reads as the text itself
  // (…对X都提了哪些要求: what is required of X; the documents it is asked of, 这几个文件里, are where to look, no topic)
  t = t.replace(/(?:这|那)?(?:几个|几份|些|各个|各)(?:文件|材料|资料|报道|文章)(?:里面|里|中|当中)?[，,\s]*/, '');
  t = t.replace(/^(.*?)(?:对|关于)(.{2,}?)[，,\s]*(都)?(?:提了|提出了|作了|做了|作出了|有)(哪些|什么|啥)(主要|具体)?(要求|规定|部署)[呢吗啊呀]?$/, '$1$2的$6');
  // (…or in a field, 在给基层减负方面都提了哪些要求: what is required there)
  t = t.replace(/^(.*?)在(.{2,}?)(?:方面|上)[，,\s]*(都)?(?:提了|提出了|作了|做了|作出了|有)(哪些|什么|啥)(主要|具体)?(要求|规定|部署)[呢吗啊呀]?$/, '$1$2的$6');
  t = t.replace(/[，,\s]*(都)?(有|是)(哪些|什么|啥)(主要|具体)?(要求|规定)[呢吗啊呀]?$/, '的$5');
  // (…and what was done in a field, 在党员教育阵地、师资和课程建设上都做了些什么: the 做法 of that field)
  t = t.replace(/^(.*?)在(.{2,}?)(?:方面|上)[，,\s]*(?:都|主要)?(?:做了|干了|搞了|采取了|开展了)(?:哪些|些|一些)?(?:什么|啥|工作|事情?)?[呢吗啊呀]?$/, '$1$2的做法');
  // …of what was done (…抓基层党建有啥做法, …有哪些经验): the work is the topic, its 做法 the kind of summary asked
  // (…and what came of it, 有哪些做法和成效: the 做法 are asked, the results come with them)
  t = t.replace(/[，,\s]*(都)?(有|是|采取了|用了)(哪些|什么|啥|些)(好的|主要|具体|典型)?(做法|举措|措施|经验|办法|亮点|特色)(?:[和与及、](?:成效|效果|成绩|经验|亮点|特色))*[呢吗啊呀]?$/, '的$5');
  // a span of years (这些年, 近几年, 多年来) dates the work: it names no topic
  t = t.replace(/(?:这些年|这几年|这两年|近几年|近两年|近年来|近些年|多年来)(?:来|以来)?/, '');
  // 把…总结一下: the object put before the verb by 把/将 is the topic
  t = t.replace(/^(请|帮我|麻烦)?(你)?(把|将)(?=.{2})/, '');
  // a pointer between a part of a title and a kind that names documents keeps the kind (“后备力量那个调研报告” →
  // 后备力量调研报告: `documentNamed` reads it); a generic kind (那篇报道) is dropped with its pointer
  const mid = POINTER_MID.exec(t);
  if (mid && NAMING_KIND.test(mid[2]!)) t = `${mid[1]}${mid[2]}`;
  // a colloquial “matter” closing the topic (…积分兑换的事儿) names nothing; a pointer inside it (天峻那个社区…) neither
  t = t.replace(/的?(?:事儿|事情|这事|那事|事)$/, '').replace(/(?<=[\u4e00-\u9fff]{2})(?:这|那)(?:个|些)(?=[\u4e00-\u9fff]{2})/, '');
  // (and one before it: “那个书记考核评分细则”)
  const pointed = t.replace(POINTER_TAIL, '').replace(POINTER_HEAD, '');
  if (pointed.length >= 2) t = pointed;
  const manner = t.replace(MANNER_TAIL, '');
  if (manner !== t && manner.length >= 2) t = `${manner.replace(/的$/, '')}的做法`;
  else {
    // (…or of manner with its own verb phrase, 是怎么给党员打分、评判党员表现的: the subject's 做法 of that work)
    // (one manner asked, of one verb phrase: 怎么选怎么培养 asks two things, each its own question)
    const how = HOW_DONE.exec(t);
    if (how && how[1]!.length >= 2 && !/怎么|怎样|如何|咋/.test(how[2]!)) t = `${how[1]}${how[2]}的做法`;
  }
  return t || topic;
}

/** Everything `summarize` needs (the assistant itself satisfies it). */
export interface SummaryContext {
  index: KnowledgeIndex;
  retriever: HybridRetriever;
  glossary: Glossary;
  lexicon: Lexicon;
  llm?: ChatModel;
  /** Where the corpus lives: its `.meta.yaml` files give a document's date until `DocumentInfo.date` is filled. */
  config?: { corpusDir: string };
}

const OptionsSchema = z.object({
  maxChars: z.number().finite().positive().optional(),
  history: z.array(z.object({ question: z.string(), answer: z.string(), sources: z.array(z.string()).optional() })).optional(),
});

/** Section roles that make a document “structured”: one bullet per top-level section. */
const STRUCTURE_ROLES = new Set(['chapter', 'section', 'article', 'outline', 'annex']);

/** An official document (not a newspaper page) whose top-level sections are chapters, articles, outline items or annexes. */
function isStructured(doc: DocumentInfo | undefined): boolean {
  return !!doc && doc.format !== 'newspaper' && doc.sections.some((s) => s.parentId === doc.sections[0]?.id && STRUCTURE_ROLES.has(s.role));
}

/**
 * A structured document whose top-level parts are articles only (第一条…第十六条, no 第X章, no 一、 outline, annexes
 * aside): a 办法 or 细则 whose structure is its list of provisions.
 */
function isProvisionList(doc: DocumentInfo | undefined): boolean {
  if (!doc || !isStructured(doc)) return false;
  const top = doc.sections.filter((s) => s.parentId === doc.sections[0]?.id && STRUCTURE_ROLES.has(s.role) && s.role !== 'annex');
  return top.length > 0 && top.every((s) => s.role === 'article');
}

function refusal(topic: string, title: string, why: string): Summary {
  return { topic, summary: `## ${title}\n\n${why}`, grounded: false, citations: [], mode: 'extractive' };
}

/** `documentDate` for one draft, each file read once. */
function dateLookup(ctx: SummaryContext): (source: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return (source) => {
    if (!cache.has(source)) cache.set(source, documentDate(ctx.index.document(source), ctx));
    return cache.get(source);
  };
}

/** A document's date: `DocumentInfo.date`, else the `date` of its `.meta.yaml` (undefined when neither). */
function documentDate(doc: DocumentInfo | undefined, ctx: SummaryContext): string | undefined {
  if (!doc) return undefined;
  if (doc.date) return doc.date;
  if (!ctx.config) return undefined;
  const file = path.join(ctx.config.corpusDir, doc.source.replace(/\.[^.]+$/, '.meta.yaml'));
  try {
    if (!fs.existsSync(file)) return undefined;
    return DocMetaSchema.safeParse(YAML.parse(fs.readFileSync(file, 'utf8')) ?? {}).data?.date;
  } catch {
    return undefined;
  }
}

/** The prefecture-level place of a record (祁连县 → 海北州), for grouping a topic draft by place. */
function placeGroup(r: IndexRecord, lexicon: Lexicon): string | undefined {
  const p = r.places[0];
  if (!p) return undefined;
  const line = lexicon.lineage(p);
  return line.length >= 2 ? line[line.length - 2] : line[0];
}

/** The sentence of a document's opening that best says what it is about (title words, a place, a measure). */
function thesisOf(records: IndexRecord[], title: string, lexicon: Lexicon): { sentence: string; record: IndexRecord } | undefined {
  const words = topicWords(title);
  let best: { sentence: string; record: IndexRecord; score: number } | undefined;
  for (const [k, r] of records.filter((x) => x.type === 'chunk').slice(0, 3).entries()) {
    const headings = (r.sectionPath ?? r.section.split(' > ')).map(normTitle);
    for (const s of sentencesOf(r.text)) {
      if (headings.includes(normTitle(s)) || isTitleLine(s, title)) continue;
      // a thesis says what was done (an action, no figures: they come in the bullets), without decoration
      if (s.length < 20 || s.length > 120 || informativeness(s) < 1 || actionCount(s) < 1 || extractFigures(s).length || isBoilerplate(s)) continue;
      const hits = words.filter((w) => s.includes(w)).length;
      if (!hits) continue;
      const score = 1.5 * hits + (lexicon.places(s).length ? 1 : 0) + 0.5 * Math.min(informativeness(s), 2) - 0.3 * k;
      if (!best || score > best.score) best = { sentence: shorten(s, 90), record: r, score };
    }
  }
  return best && { sentence: best.sentence, record: best.record };
}

/**
 * The records a draft of one article of a newspaper page is written from, with their relevance. A page prints
 * several articles whose columns the print extraction may interleave (an article's text can sit under the next
 * headline). The article's section is kept when it holds at least half of the page's records about the headline
 * (`MIN_PASSAGE_TOPIC_SHARE`); otherwise the page's records holding a word of it (or its place) are offered, when there are at least `MIN_NEWSPAPER_RECORDS` of
 * them (or a fifth of a short page's). Relevance is `passageRelevance` of the headline in a record's
 * text, +0.5 for the headline's place or one under it, −0.5 for other places only. Undefined for a whole page.
 */
function newspaperArticle(target: DocumentTarget, ctx: SummaryContext): { records: IndexRecord[]; relevance: Map<string, number> } | undefined {
  if (!target.heading) return undefined;
  const section = documentRecords(target, ctx.index);
  // another article printed on the page is that article only (its sections, figures and place)
  if (pageArticle(ctx.index.document(target.source), target.heading)) {
    const rel = passageRelevance(target.title, ctx.index, ctx.glossary, (w) => ctx.lexicon.isPlace(w));
    return { records: section, relevance: new Map(section.map((r) => [r.id, rel(r.text)])) };
  }
  const all = ctx.index.documentRecords(target.source);
  const rel = passageRelevance(target.title, ctx.index, ctx.glossary, (w) => ctx.lexicon.isPlace(w));
  const titlePlaces = ctx.lexicon.places(target.title);
  const placeFit = (r: IndexRecord) => {
    if (!titlePlaces.length || !r.places.length) return 0;
    return r.places.some((p) => titlePlaces.some((t) => ctx.lexicon.lineage(p).includes(t))) ? 0.5 : -0.5;
  };
  // (its text only: the section path is the very headline asked about)
  const relevance = new Map(all.map((r) => [r.id, rel(r.text) + placeFit(r)]));
  const strong = (r: IndexRecord) => relevance.get(r.id)! >= MIN_PASSAGE_TOPIC_SHARE;
  const onPage = all.filter(strong).length;
  if (onPage === 0 || 2 * section.filter(strong).length >= onPage) return { records: section, relevance };
  const about = all.filter((r) => relevance.get(r.id)! > 0);
  return { records: about.length >= Math.min(MIN_NEWSPAPER_RECORDS, Math.ceil(0.2 * all.length)) ? about : section, relevance };
}

/**
 * How a passage's place fits a document about `place`: −0.5 when it is first about a place under it (a county's
 * example in a prefecture's report: 大通县 in a 西宁市 report), else 0. A draft of the document states what the
 * document's own place did first.
 */
function placeFit(r: IndexRecord, place: string | undefined, lexicon: Lexicon): number {
  const first = r.places[0];
  if (!place || !first || first === place) return 0;
  const line = lexicon.lineage(first);
  return line.includes(place) ? -0.5 : 0;
}

/** Fewest records about a headline for a newspaper draft to keep to them (a draft has 4–8 bullets; a short page needs a fifth of its records). */
const MIN_NEWSPAPER_RECORDS = 4;

function documentInput(target: DocumentTarget, ctx: SummaryContext, maxChars: number): DraftInput | undefined {
  const doc = ctx.index.document(target.source);
  const page = doc?.format === 'newspaper' ? newspaperArticle(target, ctx) : undefined;
  const records = page?.records ?? documentRecords(target, ctx.index);
  if (!records.length) return undefined;
  const structured = isStructured(doc);
  // reading order inside the document (`documentRecords` returns them in index order)
  const pos = new Map(records.map((r, i) => [r.id, i]));
  const orderOf = (r: IndexRecord) => (r.type === 'measure' && r.start === undefined ? (pos.get(chunkOf(r, records)?.id ?? r.id) ?? 0) + 0.5 : pos.get(r.id)!);
  // a part of a document (第三章 组织生活) is drafted by its own parts (its articles), a whole one by its top-level parts
  const partOf = (r: IndexRecord) => (target.heading ? (r.sectionPath?.[1] ?? topHeading(r)) : topHeading(r));
  // in a structured document a measure repeats part of its section's passage (an article, an outline item):
  // the passage itself is the bullet, so its limits and its other sentences stay with it
  const passages = new Set(records.filter((r) => r.type === 'chunk' && r.sectionId && (r.article || structured)).map((r) => r.sectionId));
  // a whole newspaper page of several articles: one bullet per part of its lead article (the text before the first
  // headline is that article's opening: the 导语 quotes it), then one per other article printed on it
  const parts = target.heading ? undefined : pageParts(doc);
  const label = (r: IndexRecord) => (parts && !parts.isLead(topHeading(r)) ? OTHER_ARTICLES : undefined);
  const counts = new Map<string, number>();
  for (const r of records) for (const p of r.places.slice(0, 1)) counts.set(p, (counts.get(p) ?? 0) + 1);
  // another article of a page has its own place (none for a commentary) and its author
  const article = pageArticle(doc, target.heading)?.pageArticle;
  const place = article ? article.place : (doc?.place ?? [...counts].sort((a, b) => b[1] - a[1])[0]?.[0]);
  const author = article && !article.place ? article.bylines.filter((b) => !ctx.lexicon.isPlace(b)).join(' ') : undefined;
  const candidates: DraftCandidate[] = records
    .filter((r) => !(r.type === 'measure' && r.sectionId && passages.has(r.sectionId)) && !isBoilerplate(r.text) && !(parts && !topHeading(r)))
    .map((r) => ({
      record: r,
      // (an article that defines the text's terms or says whom it applies to stands for its chapter only when no other does)
      relevance: (r.type === 'measure' ? 0.3 : 0) + (page?.relevance.get(r.id) ?? 0) + (page ? 0 : placeFit(r, place, ctx.lexicon)) - (isScopeOrDefinition(r.text) ? 0.5 : 0),
      order: orderOf(r),
      group: partOf(r),
      label: label(r),
    }));
  const title = target.title;
  const lede: LedeFacts = {
    dateOf: dateLookup(ctx),
    place,
    ...(author ? { author } : {}),
    // an official document (or a part of it, or a topic it alone answers) is issued under its own title
    title: doc && doc.format !== 'newspaper' ? doc.title : title,
    issuer: doc?.issuer,
    thesis: thesisOf(records, title, ctx.lexicon),
  };
  return {
    title,
    candidates,
    bySection: structured || parts ? (r) => partOf(r) || undefined : undefined,
    // (a newspaper's parts hold lead phrases, not an outline)
    subHeadings: (key) => {
      if (!structured) return [];
      const top = doc?.sections.find((s) => s.parentId === doc.sections[0]?.id && s.path[0] === key);
      // each sub-heading by its first phrase: “坚持计划引领，优化发展结构” → 坚持计划引领
      return top ? doc!.sections.filter((s) => s.parentId === top.id && s.role !== 'article').map((s) => s.heading.split(/[，,；：]/)[0]!) : [];
    },
    lede,
    maxChars,
    hasContentWord: (t) => ctx.lexicon.domains(t).length > 0 || ctx.lexicon.places(t).length > 0,
    order: 'reading',
    // a whole text of articles alone: each article is a part of its outline
    provisions: !target.heading && isProvisionList(doc),
  };
}

/** The block heading of a page's other articles in a draft of the page (a 信息简报 lists them after the lead article). */
export const OTHER_ARTICLES = '同版其他报道';

/** A topic's best passages looked at (all of them, and at least 4) to see whether one document alone answers it. */
const SOLE_SOURCE_TOP = 8;

/**
 * The source of `hits` when they all come from one official document (a 办法 with 章/条, a 方案 with 一、（一）, a 解读
 * of questions and answers, a 通报), else undefined. A newspaper page is never one: its articles are reports of their
 * own.
 */
function soleSource(hits: { record: IndexRecord }[], index: KnowledgeIndex): string | undefined {
  const sources = new Set(hits.map((h) => h.record.source));
  if (sources.size !== 1 || hits.length < 4) return undefined;
  const doc = index.document([...sources][0]!);
  return doc && doc.format !== 'newspaper' ? doc.source : undefined;
}

/** A topic draft needs this many passages about its topic before the bar for the others is lowered (`relaxedRelevance`). */
export const MIN_ABOUT_PASSAGES = 3;

/**
 * `passageRelevance` for a topic draft, relaxed when fewer than `MIN_ABOUT_PASSAGES` of the top passages reach
 * `MIN_PASSAGE_TOPIC_SHARE`: a long policy topic (发展壮大村级集体经济) is seldom written out whole, and each document
 * states its part of it by the topic's head noun (带动村集体经济增收, 集体经济增收项目), so a passage holding the head
 * (`topicHead`) counts as about the topic. Words around the head still rank the passages.
 */
function relaxedRelevance(topic: string, hits: { record: IndexRecord }[], ctx: SummaryContext): (text: string) => number {
  const isPlace = (w: string) => ctx.lexicon.isPlace(w);
  const relevance = passageRelevance(topic, ctx.index, ctx.glossary, isPlace);
  const about = hits.slice(0, 8).filter((h) => relevance(`${h.record.title}\n${h.record.section}\n${h.record.text}`) >= MIN_PASSAGE_TOPIC_SHARE).length;
  const head = about < MIN_ABOUT_PASSAGES ? topicHead(topic, ctx.index, isPlace) : undefined;
  return head ? (text) => Math.max(relevance(text), text.includes(head) ? MIN_PASSAGE_TOPIC_SHARE : 0) : relevance;
}

/** The chunk a measure was cut from (the chunk whose text contains the measure's opening), for reading order. */
function chunkOf(m: IndexRecord, records: IndexRecord[]): IndexRecord | undefined {
  const head = m.text.slice(0, 20);
  return records.find((r) => r.type === 'chunk' && r.text.includes(head));
}

/**
 * Whether a topic's best passages (the first 8, each with its title and section, since a passage is about what its
 * document's title says too) hold `MIN_TOPIC_SHARE` of the topic's weight; logs the words they miss when not.
 */
function covers(topic: string, hits: SearchHit[], ctx: SummaryContext): boolean {
  const share = topicShare(topic, hits.slice(0, 8).map((h) => `${h.record.title}\n${h.record.section}\n${h.record.text}`), ctx.index, ctx.glossary);
  if (hits.length && share.share >= MIN_TOPIC_SHARE) return true;
  log.info({ topic, share: share.share, missing: share.missing }, 'summary: topic not covered by the materials');
  return false;
}

/** The 导语 of a topic draft: what it is about (the topic without its places and request words) and its one place. */
function topicLede(topic: string, ctx: SummaryContext): LedeFacts {
  let subject = topic;
  // (a township the lexicon does not know, 菱塘镇, is a place by the form of its name; one place named is the 导语's where)
  const named = [...new Set([...ctx.lexicon.places(topic), ...placeNames(topic)])];
  for (const p of named) subject = subject.replaceAll(p, '').replaceAll(p.slice(0, -1), '');
  subject = normTitle(subject.replace(/的?(主要)?(举措|做法|经验|成效|情况|规定|要求|内容|工作)*$/, ''));
  // “在人才工作方面” → 人才工作: the 导语 says “在…方面” itself
  // (“在干部队伍建设上” → 干部队伍建设)
  subject = subject.replace(/^在(.{2,}?)(方面|上)$/, '$1').replace(/^在/, '').replace(/方面$/, '');
  return {
    dateOf: dateLookup(ctx),
    subject: subject || undefined,
    ...(named.length === 1 ? { place: named[0] } : {}),
    kindOf: (s) => ((ctx.index.document(s)?.format ?? 'newspaper') === 'newspaper' ? '报道' : '文件'),
  };
}

/**
 * The draft input of a topic from its passages (best first): candidates ranked by the search, grouped by place (or by
 * `group` when given: the item of a coordinated topic), the topic's weights and the passages' relevance to it.
 */
function topicInput(topic: string, hits: SearchHit[], relevance: (text: string) => number, ctx: SummaryContext, maxChars: number, group?: string): DraftInput {
  return {
    title: topic,
    candidates: hits.map((h, i) => ({
      record: h.record,
      relevance: 2 * (1 - i / hits.length) + (h.record.type === 'measure' ? 0.2 : 0),
      order: i,
      group: group ?? placeGroup(h.record, ctx.lexicon),
    })),
    topicWeights: topicWeights(topic, ctx.index, ctx.glossary, (w) => ctx.lexicon.isPlace(w)),
    passageRelevance: relevance,
    lede: topicLede(topic, ctx),
    maxChars,
    hasContentWord: (t) => ctx.lexicon.domains(t).length > 0 || ctx.lexicon.places(t).length > 0,
    order: 'group',
  };
}

/**
 * The draft input of a coordinated topic (`coordinatedItems`): each item's own topic (its frame around it) searched and
 * checked as a topic is, the items the materials cover drafted under their own heading, in the order the topic names
 * them; a passage found for several items goes to the one it is most about (`passageRelevance`, the first on a tie).
 * Undefined when the materials cover none of them.
 */
async function coordinatedInput(topic: string, c: CoordinatedTopic, ctx: SummaryContext, maxChars: number): Promise<DraftInput | undefined> {
  const kept: { item: string; input: DraftInput }[] = [];
  for (const [k, sub] of itemTopics(c).entries()) {
    const hits = await topicPassages(sub, ctx);
    if (covers(sub, hits, ctx)) kept.push({ item: c.items[k]!, input: topicInput(sub, hits, relaxedRelevance(sub, hits, ctx), ctx, maxChars, c.items[k]) });
  }
  if (!kept.length) return undefined;
  const relevance = (text: string) => kept.map(({ input }) => input.passageRelevance!(text));
  // (a passage found for several items goes to the item it is most about, the first on a tie)
  const seen = new Set<string>();
  const candidates = kept
    .flatMap(({ input }) => input.candidates)
    .filter((x) => !seen.has(x.record.id) && !!seen.add(x.record.id))
    .map((x) => {
      const shares = relevance(`${x.record.title}\n${x.record.section}\n${x.record.text}`);
      return { ...x, group: kept[shares.indexOf(Math.max(...shares))]!.item };
    });
  const weights: TopicWeights = new Map();
  for (const { input } of kept) for (const [w, v] of input.topicWeights ?? []) if ((weights.get(w)?.weight ?? -1) < v.weight) weights.set(w, v);
  return {
    ...kept[0]!.input,
    title: topic,
    candidates,
    topicWeights: weights,
    passageRelevance: (text) => Math.max(...relevance(text)),
    lede: topicLede(topic, ctx),
    groupOrder: kept.map(({ item }) => item),
  };
}

/**
 * Drafts a summary of a topic, a document (title, part of a title, an article headline, a short name, a file name) or
 * “这篇报道” (resolved from `options.history`: the last turn's `sources`, else a title its text quotes).
 * Offline: `writeDraft` (title, 导语, one cited bullet per distinct measure or section, under `maxChars`,
 * default 1200, never above 1500). With an LLM: map-reduce on the passages the extractive draft cites,
 * checked by `llmDraft`; a rejected or failed LLM draft gives the extractive draft with a fixed note.
 * Refuses (“资料中未找到…”) when a topic's content words are mostly absent from the retrieved passages
 * (`MIN_TOPIC_SHARE`) or “这篇报道” has nothing to point at.
 * @throws ZodError when `options` has the wrong shape.
 */
export async function summarize(request: string, ctx: SummaryContext, options: SummaryOptions = {}): Promise<Summary> {
  const opts = OptionsSchema.parse(options);
  const maxChars = clampMaxChars(opts.maxChars);
  const topic = draftTopic(summaryTopic(request) || request.trim());
  // (a township the lexicon does not know, 芷水镇, is a place by the form of its name, as in a question)
  const target = resolveTarget(topic, ctx.index, opts.history, (t) => [...new Set([...ctx.lexicon.places(t), ...placeNames(t)])]);

  let input: DraftInput | undefined;
  if (target.kind === 'reference') {
    return refusal(topic, topic, '资料中未找到可以对应“这篇报道”的文件：请给出报道标题或文件名。');
  } else if (target.kind === 'document') {
    input = documentInput(target, ctx, maxChars);
  }
  // a topic naming several things side by side (让无职党员、离退休党员、在职党员发挥作用) is drafted thing by thing
  const coordinated = target.kind === 'topic' ? coordinatedItems(topic) : undefined;
  if (coordinated) input = await coordinatedInput(topic, coordinated, ctx, maxChars);
  const hits = target.kind === 'topic' && !coordinated ? await topicPassages(topic, ctx) : [];
  // a topic that names a part of a found document (组织生活 → 第三章 组织生活) is drafted from that part
  const part = hits.length ? sectionNamed(topic, hits.slice(0, 5).map((h) => h.record.source), ctx.index.documents(), (w) => ctx.lexicon.isPlace(w)) : undefined;
  // a topic that one official document alone answers (its top passages all come from it) is that document's
  // summary, written in its reading order, part by part
  // (a topic asking for 举措/做法 keeps to the measures the topic search found)
  // (the passages about the topic, as the draft would keep them: another document's passage that only shares a word,
  // 志愿服务 of a 简报 about something else, does not make the topic two documents')
  const relevance = hits.length ? relaxedRelevance(topic, hits, ctx) : undefined;
  const about = relevance ? hits.filter((h) => relevance(`${h.record.title}\n${h.record.section}\n${h.record.text}`) >= MIN_PASSAGE_TOPIC_SHARE) : [];
  const only = !part && about.length && !MEASURE_TOPIC.test(topic) ? soleSource(about.slice(0, SOLE_SOURCE_TOP), ctx.index) : undefined;
  if (part) input = documentInput(part, ctx, maxChars);
  else if (only) input = documentInput({ kind: 'document', source: only, title: topic }, ctx, maxChars);
  else if (target.kind === 'topic' && !coordinated) {
    if (!covers(topic, hits, ctx)) return refusal(topic, topic, '资料中未找到与该主题相关的内容。');
    input = topicInput(topic, hits, relevance!, ctx, maxChars);
  }
  if (coordinated && !input) return refusal(topic, topic, '资料中未找到与该主题相关的内容。');
  const draft = input && writeDraft(input);
  if (!draft || !draft.bullets.length) return refusal(topic, input?.title ?? topic, '资料中未找到可以写成要点的内容。');

  const citations = toCitations(draft.cited.map((record, i) => ({ rank: i + 1, score: 1, record })));
  const extractive: Summary = { topic, summary: draft.markdown, grounded: true, citations, mode: 'extractive' };
  if (!ctx.llm) return extractive;

  const sources = [...new Set(draft.cited.map((r) => r.source))];
  let background = sources
    .map((s) => {
      const d = ctx.index.document(s);
      const date = documentDate(d, ctx);
      return `《${d?.title ?? s}》${date ? `，${formatDate(date)}` : ''}${d?.place ? `，${d.place}` : ''}`;
    })
    .join('\n');
  // the other articles of a page go last, one line each, as in the extractive draft
  const others = [...new Set(draft.bullets.filter((b) => b.label === OTHER_ARTICLES).map((b) => topHeading(b.record)))];
  if (others.length) background += `\n${OTHER_ARTICLES}：${others.map((h) => `《${h}》`).join('')}`;
  const result = await llmDraft(ctx.llm, { title: input!.title, topic, background, citations, maxChars });
  if (result.ok) return { topic, summary: result.markdown, grounded: true, citations: result.citations, mode: 'llm' };
  log.warn({ topic, reason: result.reason, detail: result.detail }, 'summary: LLM draft rejected, extractive draft used');
  return { ...extractive, note: FALLBACK_NOTE[result.reason] };
}
