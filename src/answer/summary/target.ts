/**
 * What a summary request points at: a document (by title, a part of its title, the headline of an article
 * printed inside it, its file name, or “这篇报道” resolved from the thread), or a topic to search for.
 */
import type { KnowledgeIndex } from '../../retrieval/knowledge-index.js';
import { getJieba } from '../../ingest/segment.js';
import type { DocumentInfo, IndexRecord, Turn } from '../../types.js';

/** A document or one top-level section of it (an article inside a report page, a 第X章). */
export interface DocumentTarget {
  kind: 'document';
  source: string;
  /** Title shown on the draft: the document's title, or the section heading when `heading` is set. */
  title: string;
  /** Top-level heading (first element of a record's section path) when only that article is meant. */
  heading?: string;
}

/** Whatever the request resolves to; `reference` = “这篇报道” with nothing in the thread to resolve it. */
export type SummaryTarget = DocumentTarget | { kind: 'topic'; topic: string } | { kind: 'reference' };

/** Words that point back at a document of the conversation: 这篇报道, 该文件, 上述材料, 这份通知… */
export const REFERENCE = /(这|该|此|上述|上面的?|刚才的?|本)(一)?(篇|份|个|则)?(报道|文件|文章|材料|稿件|通知|办法|方案|文档|报告|条例)/;

/**
 * A demonstrative with a classifier closing a request, its kind noun optional: “…赋能党员教育那篇”, “…的这篇报道”,
 * “…那份通知”. The words before it name the document; the tail itself names nothing.
 */
export const POINTER_TAIL = /的?(这|那|该|此)(一)?(篇|份|个|则)(报道|文件|文章|材料|稿件|通知|办法|方案|文档|报告|条例|简报)?$/;

/**
 * A pointer between a part of a title and the document's kind: “村级后备力量那个调研报告”, “党费检查的那份通知”.
 * Group 1 is the part of the title, group 2 the kind (a `DOC_KIND` word or a generic noun such as 报道, 材料).
 */
export const POINTER_MID = /^(.{2,}?)的?(?:这|那|该|此)一?(?:篇|份|个|则)(.{2,6})$/;

/** Verbs that ask for a digest of what was said: 总结, 概括, 提炼, 捋一捋, 理一理… */
const DIGEST_VERB = '(?:总结|归纳|概括|梳理|汇总|提炼|盘点|捋(?:一)?捋|捋|理(?:一)?理)';
/** Verbs that ask to be told about it, after a comma only (说说 alone is a verb of many questions). */
const TELL_VERB = '(?:说说|讲讲|介绍(?:一下|介绍)?|说道说道|划(?:一下|下)?重点|讲了(?:些)?(?:什么|啥)|说了(?:些)?(?:什么|啥))';
/** A request to write the digest, after a comma: 帮我写个总结, 出一份简报, 整理个材料. */
const WRITE_VERB = '(?:写|出|整理|弄|搞)(?:一)?(?:个|份|篇)?(?:总结|简报|综述|材料|信息|稿子|初稿)';
/** The words around such a verb in chat: who asks and how (帮我, 给我, 简单, 大概), and what is wanted (要点, 重点). */
// (…and what is to be digested, named back by a pointer or a count: 把几种办法, 把这些做法, 把上面这些)
const REQUEST_FILL = '(?:请|帮我|给我|帮忙|麻烦|你|您|简单|大概|大致|简要|扼要|主要|一下|下|吧|呗|哈|啊|的|了|要点|重点|主要内容|内容|大意|脉络|[把将](?:上面|上述|这|那)?(?:几|些|这些|那些)?[种个条项类]?(?:办法|做法|方式|方法|措施|情况|东西)?)';

/**
 * A request to summarise put after the topic: “海西州在干部队伍建设上是怎么做的，总结一下”, “把…调研报告总结一下”, or a
 * clause after a comma made only of request words (“…那篇，帮我提炼下要点”, “…怎么培养，给我捋一捋”, “…那个通报，大概
 * 讲了些什么”, “…干得怎么样，帮我写个总结”): a digest verb (`DIGEST_VERB`) may follow the topic directly, a verb of
 * telling (`TELL_VERB`) or of writing one (`WRITE_VERB`) only after a comma. A chat message ending so asks for a summary as one opening with 总结 does (query.ts reads only the
 * opening: it may test this).
 */
export const TRAILING_REQUEST = new RegExp(
  `(?:[，,；;\\s]*${REQUEST_FILL}*${DIGEST_VERB}|[，,；;\\s]+${REQUEST_FILL}*(?:${TELL_VERB}|${WRITE_VERB}))(?:${REQUEST_FILL}|${DIGEST_VERB})*[。！!？?~～]*$`,
);

/** A demonstrative with a classifier opening a request: “那个书记考核评分细则”, “这份通知”. */
export const POINTER_HEAD = /^(这|那|该|此)(一)?(篇|份|个|则)/;

/** Strips spaces, book-title marks, quotes, dashes and punctuation for title comparison. */
export function normTitle(s: string): string {
  return s.replace(/[\s《》〈〉“”"‘’'「」『』—–\-·•：:，,、。！!？?（）()【】\[\]]/g, '');
}

/** Top-level heading of a record: the first element of its section path ("" when none). */
export function topHeading(r: IndexRecord): string {
  return r.sectionPath?.[0] ?? (r.section ? r.section.split(' > ')[0]! : '');
}

interface TitleEntry {
  source: string;
  title: string;
  heading?: string;
  key: string;
}

const entriesCache = new WeakMap<DocumentInfo[], TitleEntry[]>();

/**
 * Document titles (each half of a “主题——副题” title too) and the top-level headings inside documents,
 * normalised once per document list (the index hands out the same array until it is rebuilt).
 */
function titleEntries(documents: DocumentInfo[]): TitleEntry[] {
  const cached = entriesCache.get(documents);
  if (cached) return cached;
  const out: TitleEntry[] = [];
  entriesCache.set(documents, out);
  for (const d of documents) {
    const keys = new Set([normTitle(d.title), ...d.title.split(/——|--/).map(normTitle)]);
    for (const key of keys) if (key.length >= 4) out.push({ source: d.source, title: d.title, key });
    const root = d.sections[0]?.id;
    for (const s of d.sections) {
      if (s.parentId !== root || !s.path.length) continue;
      const heading = s.path[0]!;
      const key = normTitle(heading);
      if (key.length >= 4 && !keys.has(key)) out.push({ source: d.source, title: heading.replace(/^——/, ''), heading, key });
    }
  }
  return out;
}

/**
 * The document a title (or a part of one) names. Exact match first (document titles before headings);
 * then a part of 4+ characters, accepted only when it occurs in exactly one title and in no passage text
 * outside that document — so a topic such as 党员教育培训, which is also part of a headline, stays a topic.
 */
export function findByTitle(text: string, index: KnowledgeIndex): DocumentTarget | undefined {
  const t = normTitle(text);
  if (t.length < 4) return undefined;
  const entries = titleEntries(index.documents());
  const exact = entries.filter((e) => e.key === t).sort((a, b) => Number(!!a.heading) - Number(!!b.heading));
  const pick = (e: TitleEntry): DocumentTarget => ({ kind: 'document', source: e.source, title: e.title, heading: e.heading });
  if (exact.length) return pick(exact[0]!);
  const partial = entries.filter((e) => e.key.includes(t));
  // the halves of a “主题——副题” title are one document, and so are copies of a document in several formats
  const keys = new Map(normalizedTitles(index.documents()).map((x) => [x.d.source, x.key]));
  const titleOf = (source: string) => keys.get(source) ?? normTitle(source);
  const distinct = new Set(partial.map((e) => `${titleOf(e.source)}\u0000${e.heading ?? ''}`));
  if (distinct.size !== 1) return undefined;
  const e = partial[0]!;
  const own = titleOf(e.source);
  const elsewhere = index.records.some((r) => titleOf(r.source) !== own && normTitle(r.text).includes(t));
  return elsewhere ? undefined : pick(e);
}

/**
 * The longest title or headline (6+ characters once normalised) written anywhere in `text` — a question, or a
 * previous question or answer — or, for a 《…》 in it, the title that contains the quoted part (4+ characters).
 */
export function titleMentioned(text: string, documents: DocumentInfo[]): DocumentTarget | undefined {
  const quoted = /《([^》]{4,})》/.exec(text)?.[1];
  const q = quoted && normTitle(quoted);
  const inQuote = q ? titleEntries(documents).filter((e) => e.key.includes(q)).sort((a, b) => b.key.length - a.key.length)[0] : undefined;
  const t = normTitle(text);
  const hits = mentionedEntries(t, documents).sort((a, b) => b.key.length - a.key.length);
  const e = hits[0] && (!inQuote || hits[0].key.length >= q!.length) ? hits[0] : inQuote;
  return e && { kind: 'document', source: e.source, title: e.title, heading: e.heading };
}

/** Length of the key prefix the title entries are looked up by (the shortest key `titleMentioned` accepts). */
const MENTION_PREFIX = 6;
const byPrefixCache = new WeakMap<DocumentInfo[], Map<string, number[]>>();

/**
 * The title entries of 6+ characters whose key occurs in `t` (normalised), in entry order: each position of `t` is
 * looked up by the six characters starting there, so a question costs its length, not the number of documents
 * (5,000 documents with their headings took 3 ms a question by scanning, issue 9).
 */
function mentionedEntries(t: string, documents: DocumentInfo[]): TitleEntry[] {
  const entries = titleEntries(documents);
  let byPrefix = byPrefixCache.get(documents);
  if (!byPrefix) {
    byPrefix = new Map();
    entries.forEach((e, n) => {
      if (e.key.length < MENTION_PREFIX) return;
      const p = e.key.slice(0, MENTION_PREFIX);
      const list = byPrefix!.get(p);
      if (list) list.push(n);
      else byPrefix!.set(p, [n]);
    });
    byPrefixCache.set(documents, byPrefix);
  }
  const found = new Set<number>();
  for (let i = 0; i + MENTION_PREFIX <= t.length; i++) for (const n of byPrefix.get(t.slice(i, i + MENTION_PREFIX)) ?? []) if (t.startsWith(entries[n]!.key, i)) found.add(n);
  return [...found].sort((a, b) => a - b).map((n) => entries[n]!);
}

const titlesCache = new WeakMap<DocumentInfo[], { d: DocumentInfo; key: string }[]>();

/** Each document with its normalised title, once per document list (the index hands out the same array until it is rebuilt). */
function normalizedTitles(documents: DocumentInfo[]): { d: DocumentInfo; key: string }[] {
  let titles = titlesCache.get(documents);
  if (!titles) titlesCache.set(documents, (titles = documents.map((d) => ({ d, key: normTitle(d.title) }))));
  return titles;
}

/**
 * Kinds of document a question names by a short name (工作规则, 积分管理办法, 党费检查通知, 后备力量调研报告). Words
 * that are as often common nouns in running text (报告, 制度, 计划, 意见, 决定) are left out; 调研报告 is the genre a
 * 组织部 调研组 files (a 报告 of a survey), never a common noun.
 */
const DOC_KIND = /规则|办法|条例|方案|通知|规定|细则|准则|工作总结|纲要|调研报告/g;

/** `DOC_KIND` as a whole word: a kind that names a document (调研报告), not a generic noun (报道, 材料, 报告). */
export const NAMING_KIND = new RegExp(`^(${DOC_KIND.source})$`);

/**
 * The document a question names by a short name: a kind word (规则, 办法, 通知…) with the words right before it,
 * all of which occur in exactly one document title (“工作规则第十一条” → 《溪川县村级党组织工作规则（试行）》,
 * “积分管理办法” → the one 管理办法 about 积分). The words need not be contiguous in the title (“党费检查通知” →
 * 《关于开展…党费收缴使用管理专项检查的通知》). Undefined when no title or several titles fit.
 */
export function documentNamed(text: string, documents: DocumentInfo[]): DocumentTarget | undefined {
  const best = namedBy(text, documents).find((n) => n.one);
  return best && { kind: 'document', source: best.docs[0]!.source, title: best.docs[0]!.title };
}

/**
 * Every document a question's short name fits when it fits several (“流动党员管理办法” → the 办法 of two counties), in
 * corpus order; empty when it fits one (see `documentNamed`) or none. For an article asked of such a name, each
 * document's article is quoted.
 */
export function documentsNamed(text: string, documents: DocumentInfo[]): DocumentInfo[] {
  const named = namedBy(text, documents);
  return named.length && !named[0]!.one ? named[0]!.docs : [];
}

/** For each kind word of the question (办法, 通知…), the documents its preceding words fit, best first (see `documentNamed`). */
function namedBy(text: string, documents: DocumentInfo[]): { docs: DocumentInfo[]; words: number; one: boolean }[] {
  const t = normTitle(text);
  const titles = normalizedTitles(documents);
  const out: { docs: DocumentInfo[]; words: number; one: boolean }[] = [];
  for (const m of t.matchAll(DOC_KIND)) {
    const ofKind = titles.filter((x) => x.key.includes(m[0]));
    let fits = ofKind;
    if (!fits.length) continue;
    const before = getJieba().tag(t.slice(Math.max(0, m.index! - 16), m.index!), false);
    let words = 0;
    let matched = 0;
    let other = false;
    for (let i = before.length - 1; i >= 0; i--) {
      // a demonstrative or 的 between the name and its kind word (换届准备那个通知, 关怀帮扶的办法) is not part of the name
      if (/^(r|uj|ul)$/.test(before[i]!.tag)) continue;
      const w = before[i]!.word;
      const narrower = fits.filter((x) => x.key.includes(w));
      // (a noun right before the kind word that no title of the kind holds, 冬训 of 冬训工作总结, names another thing of
      // that kind: the 工作总结 asked for is not the only one there is, the 发展党员工作总结; after words that fit, a
      // word that does not may be another form of the title's, 村两委 of 村（社区）“两委”; so does a verb of what the thing
      // is about, 体检 of 政治体检的工作总结: the 工作总结 to be filed on it, not the one document titled so)
      if (!narrower.length) {
        other = matched === 0 && w.length >= 2 && /^(n|nz|vn|v|j)$/.test(before[i]!.tag) && !ofKind.some((x) => x.key.includes(w));
        break;
      }
      fits = narrower;
      matched += w.length;
      if (w.length >= 2) words++;
    }
    if (other) continue;
    // copies of one document in several formats (a .docx and a .pdf of one notice) share their title: one document
    const one = new Set(fits.map((x) => x.key)).size === 1;
    const onlyOfKind = new Set(ofKind.map((x) => x.key)).size === 1;
    if (one && (words > 0 || onlyOfKind)) out.push({ docs: [fits[0]!.d], words, one: true });
    else if (!one && words > 0) out.push({ docs: fits.map((x) => x.d), words, one: false });
  }
  // the name with most words first; a name fitting one document before one fitting several
  return out.sort((a, b) => Number(b.one) - Number(a.one) || b.words - a.words);
}

/** A parenthetical aside of a title (（社区）, （试行）, （2026—2027年）): a request names the document without it. */
const ASIDE = /[（(][^（）()]{1,12}[）)]/g;

/** Fewest content words (2+ characters each) for `titleHolding` to name a document by them. */
const MIN_TITLE_WORDS = 2;

/**
 * The official document (not a newspaper page) whose title holds every content word of `subject` — its jieba words of
 * 2+ characters, at least `MIN_TITLE_WORDS` of them and 5+ characters in all — in any order, the title read with and
 * without its asides (`ASIDE`: 村（社区）“两委” is named 村两委): “村两委换届准备工作” → 《关于做好2027年村（社区）“两委”
 * 换届选举准备工作的通知》. A request names a 通知 or a 办法 by the words of its title, seldom by a contiguous part.
 * Undefined when no title or several distinct titles hold them all (copies of one document in several formats are
 * one). `subject` comes without request words; `places` are the places named in it, each read as one word.
 */
export function titleHolding(subject: string, documents: DocumentInfo[], places: string[] = []): DocumentTarget | undefined {
  // (a place named in the subject is one word, though jieba cuts a name it does not know into characters: 芷|水|镇; the
  // place a document is of names its scope, not its subject: 桐岭县 picks none of 桐岭县's documents)
  let rest = normTitle(subject);
  for (const p of places) rest = rest.replaceAll(p, ' ');
  const words = [
    ...places.filter((p) => subject.includes(p) && !documents.some((d) => d.place === p)),
    ...getJieba()
      .cut(rest, false)
      .filter((w) => w.length >= 2 && !/^\d+$/.test(w) && w.trim() === w),
  ];
  if (words.length < MIN_TITLE_WORDS || words.join('').length < 5) return undefined;
  const fits = normalizedTitles(documents).filter(({ d, key }) => {
    if (d.format === 'newspaper') return false;
    const bare = normTitle(d.title.replace(ASIDE, ''));
    return words.every((w) => key.includes(w) || bare.includes(w));
  });
  if (new Set(fits.map((x) => x.key)).size !== 1) return undefined;
  return { kind: 'document', source: fits[0]!.d.source, title: fits[0]!.d.title };
}

/** A corpus file named by its file name, its stem or a prefix of it (`001_02e902364aa12d71.txt`, `001_02e9`, `001`). */
export function findByFile(text: string, index: KnowledgeIndex): DocumentTarget | undefined {
  const t = text.trim().replace(/[…\.]+$/, '');
  if (!/^[\w.-]{3,}$/.test(t)) return undefined;
  const docs = index.documents();
  const exact = docs.find((d) => d.source === t || d.source.replace(/\.[^.]+$/, '') === t);
  const matches = exact ? [exact] : docs.filter((d) => d.source.startsWith(t) && (t.includes('_') || d.source[t.length] === '_'));
  return matches.length === 1 ? { kind: 'document', source: matches[0]!.source, title: matches[0]!.title } : undefined;
}

/**
 * The document the thread is about, newest turn first: the source its answer cited most (`Turn.sources`),
 * else a title quoted in its question or answer.
 */
export function fromHistory(history: Turn[], documents: DocumentInfo[]): DocumentTarget | undefined {
  for (const turn of [...history].reverse()) {
    if (turn.sources?.length) {
      const counts = new Map<string, number>();
      for (const s of turn.sources) counts.set(s, (counts.get(s) ?? 0) + 1);
      const source = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
      const doc = documents.find((d) => d.source === source);
      if (doc) return { kind: 'document', source, title: doc.title };
    }
    const named = titleMentioned(turn.question, documents) ?? titleMentioned(turn.answer, documents);
    if (named) return named;
  }
  return undefined;
}

/**
 * Resolves a summary topic (request words already stripped): 《title》 or a title (or a part of one, also when asked
 * about as “…的做法”), a file name, a short name (`documentNamed`: 书记考核评分细则), the words of one official
 * document's title (`titleHolding`, the topic's `places` aside), a reference to the thread's document, else a topic.
 */
export function resolveTarget(topic: string, index: KnowledgeIndex, history: Turn[] = [], places: (text: string) => string[] = () => []): SummaryTarget {
  const quoted = topic.match(/《([^》]+)》/)?.[1];
  const unreferenced = topic.replace(REFERENCE, '').trim();
  const bare = topic
    .replace(REFERENCE, '')
    .replace(/(的)?(主要内容|全文|内容|要点|要求|规定)$/, '')
    .trim();
  // (“石塘镇党员中心户的做法”: a part of a headline asked about by what was done there is that article)
  const subject = bare.replace(/的?(做法|举措|经验)$/, '');
  // (“红色驿站建设通知”: a part of a title with the kind a pointer stood before, `draftTopic`; the part alone names it too)
  const kindless = bare.replace(new RegExp(`的?(${DOC_KIND.source})$`), '');
  // (“书记考核评分细则”: a short name, a kind word with words of exactly one title before it, as questions name documents)
  const doc =
    (quoted && findByTitle(quoted, index)) ||
    findByFile(bare, index) ||
    findByTitle(bare, index) ||
    (subject !== bare ? findByTitle(subject, index) : undefined) ||
    (kindless !== bare ? findByTitle(kindless, index) : undefined) ||
    documentNamed(bare, index.documents()) ||
    // (规定 is a kind word as well as what a text requires: “三会一课规定” names the 工作规定 whose title holds 三会一课)
    (bare !== unreferenced ? documentNamed(unreferenced, index.documents()) : undefined) ||
    // (a title naming the place itself, 芷水镇…试点的做法与成效, holds it; most 通知 and 办法 titles leave it out)
    titleHolding(subject, index.documents(), places(subject)) ||
    titleHolding(withoutPlaces(subject, places(subject)), index.documents());
  if (doc) return doc;
  if (REFERENCE.test(topic) && normTitle(bare).length < 4) return fromHistory(history, index.documents()) ?? { kind: 'reference' };
  return { kind: 'topic', topic };
}

/** `text` without the places named in it (棠湄县村两委换届 → 村两委换届), a county's short name (棠湄) too. */
function withoutPlaces(text: string, places: string[]): string {
  let out = text;
  for (const p of places) out = out.replaceAll(p, '').replaceAll(p.slice(0, -1), '');
  return out;
}

/** Section roles whose headings name a part of a document (a 第X章, a 一、 part, an article headline in a report). */
const PART_ROLES = new Set(['chapter', 'section', 'outline', 'headline', 'annex']);

/**
 * The top-level part of one of `sources`' documents that a topic names by its heading, the longest such
 * heading (3+ characters once normalised, without its number): “村级党组织的组织生活要求” → 第三章 组织生活 of
 * the 规则 the search found. Undefined when none, or when two documents have a part of that name.
 */
export function sectionNamed(topic: string, sources: string[], documents: DocumentInfo[], isPlace: (w: string) => boolean): DocumentTarget | undefined {
  const t = normTitle(topic);
  const found: { doc: DocumentInfo; path: string; key: string }[] = [];
  for (const source of new Set(sources)) {
    const doc = documents.find((d) => d.source === source);
    const root = doc?.sections[0]?.id;
    for (const s of doc?.sections ?? []) {
      if (s.parentId !== root || !PART_ROLES.has(s.role) || !s.path.length) continue;
      const key = normTitle(s.heading);
      // (a heading made of the title's own words, 积分管理 in 《…积分制管理办法》, does not tell the part from the whole:
      // a topic naming it names the document)
      const title = normTitle(doc!.title);
      const ofTitle = getJieba().cut(key, false).filter((w) => w.length >= 2).every((w) => title.includes(w));
      if (key.length >= 3 && t.includes(key) && !isPlace(key) && title !== key && !ofTitle) found.push({ doc: doc!, path: s.path[0]!, key });
    }
  }
  const longest = Math.max(0, ...found.map((f) => f.key.length));
  const best = found.filter((f) => f.key.length === longest);
  if (!best.length || new Set(best.map((f) => f.doc.source)).size > 1) return undefined;
  return { kind: 'document', source: best[0]!.doc.source, title: topic, heading: best[0]!.path };
}
