import { log } from '../log.js';
import type { ExpandedQuery } from '../retrieval/glossary.js';
import type { KnowledgeIndex } from '../retrieval/knowledge-index.js';
import type { HybridRetriever, SearchFilter, SearchHit } from '../retrieval/retriever.js';
import type { IndexRecord, SectionInfo } from '../types.js';
import { DATE_OR_PERIOD, figureScore, findFigures, matchFigure, questionBigrams } from './figures.js';
import { askedAmount, type Query } from './query.js';
import { ANNOUNCES_ITEMS, countingItems, introducedItemsOf, itemsLedBy, namesSet, numberedItems, PART_WORDS } from './items.js';
import { ownWordsOfPart, questionPhrases, quotedNames } from './wording.js';

/** Passages retrieved for an answer (top-k). */
export const ANSWER_TOP_K = 5;

/** A passage stating where something is or takes place: a 地点/地址 field, 设在, 位于, 在…举行/举办. */
export const PLACE_STATED = /(?:地点|地址|场所)[：:]|设在|位于|在[\u4e00-\u9fff]{2,16}(?:举行|举办|召开)/;

/** A passage naming who to ask or who is in charge: a 联系人/负责人 field, 由…负责/牵头. */
export const PERSON_STATED = /(?:联系人|负责人|咨询人|经办人)[：:]|由[\u4e00-\u9fff]{2,16}(?:负责|牵头)/;

/** How deep a figure question looks for passages that count exactly the asked noun (see `retrieve`). */
export const WIDEN_FIGURE_K = 15;

/**
 * The most passages a phrase of the question may be written in for the phrase to boost them (see `retrieve`): a
 * passage and the measure drawn from it write it twice, and a third copy is allowed for a summary line.
 */
export const RARE_PHRASE_DF = 3;

/** Per list of records (a new one after every index update): how many passages write each phrase counted so far. */
const phraseCounts = new WeakMap<IndexRecord[], Map<string, number>>();

/** The number of passages (chunks and measures) of `index` whose text holds `phrase` as written; counted once per index state. */
function passagesWriting(index: KnowledgeIndex, phrase: string): number {
  const records = index.records;
  let counts = phraseCounts.get(records);
  if (!counts) phraseCounts.set(records, (counts = new Map()));
  let n = counts.get(phrase);
  if (n === undefined) counts.set(phrase, (n = records.filter((r) => r.text.includes(phrase)).length));
  return n;
}

/** How long the vector side is skipped after the embedding endpoint failed (ms). */
export const VECTOR_RETRY_AFTER_MS = 60_000;
const vectorsDownUntil = new WeakMap<HybridRetriever, number>();

/** What the retrieve stage returns. */
export interface Retrieved {
  expanded: ExpandedQuery;
  hits: SearchHit[];
  /** Set when retrieval degraded (the embedding endpoint failed and BM25 alone answered). */
  note?: string;
}

/**
 * The “retrieve” stage: hybrid search for the query's search text, restricted to the one place it names
 * and to the document it names by title. An article asked by number (第十八条) is looked up directly and
 * put first. When the vector side fails (an embedding endpoint that is down), BM25 alone answers and the
 * result says so; the vector side is then skipped for `VECTOR_RETRY_AFTER_MS`.
 */
export async function retrieve(query: Query, index: KnowledgeIndex, retriever: HybridRetriever, k = ANSWER_TOP_K): Promise<Retrieved> {
  const filter: SearchFilter = {};
  if (query.places.length === 1) filter.place = query.places[0];
  if (query.source) filter.source = query.source;
  // the figure matcher as the reranker's boost: the asked figure counting the asked noun moves a passage up about one rank
  const figure = query.figure;
  const bigrams = questionBigrams(query.text);
  // (the first kind of answer the question asks, in this order)
  const asks: [boolean, (r: IndexRecord) => number][] = [
    [!!figure, (r) => (figure!.noun ? 1.5 : 0.5) * figureScore(r.text, figure!, bigrams).score],
    [!!query.when, (r) => (DATE_OR_PERIOD.test(r.text) ? 0.5 : 0)],
    [!!query.defines, (r) => (r.text.includes(query.defines!) && /所称|是指|指的是/.test(r.text) ? 1 : 0)],
    // a where-question is answered by a passage that states a place (培训地点：…, 地址：…, 设在…, 位于…)
    [!!query.where, (r) => (PLACE_STATED.test(r.text) ? 0.5 : 0)],
    // a who-question by a passage that names a person in charge (联系人：…, 由…负责)
    [!!query.who, (r) => (PERSON_STATED.test(r.text) ? 0.5 : 0)],
  ];
  const ask = asks.find(([asked]) => asked)?.[1];
  // a name the question quotes (“三百活动”, “一肩挑”) is asked as written: a passage that holds it whole is worth about one
  // top rank more (BM25 sees its characters apart, the vector side not at all); a document whose title holds it is about
  // it in every passage, so the title counts as the passage's own
  const quoted = quotedNames(query.text);
  // a list asked by its noun (先进单位是哪几家): a passage that introduces that noun's items (先进单位（5个）：A、B…) is
  // worth about one top rank more (not a table row, whose every “header：cells” reads so: 主要内容：A、B of any row), and
  // so is one that names items and then counts the noun (行政管理、农村经济管理、法学3个专业), unless the noun is a word for
  // parts (四个方面): every text divides its subject so
  const listed = query.list?.noun && query.list.noun.length >= 2 ? query.list.noun : undefined;
  // (…or by the glossary's word for it: 哪些情况 is answered by 有下列情形之一的：)
  const listedAs = listed ? [listed, ...(query.list?.alternatives ?? [])] : [];
  // (asked by no noun, 都干哪些事 or 有哪些, a passage announcing items, 主要包括以下内容：, is worth half a top rank more)
  const announces = query.list && !listed ? (r: IndexRecord) => (ANNOUNCES_ITEMS.test(r.text) ? 0.5 : 0) : () => 0;
  // a table row the question names by two of its cells of words (白荡乡菱角村的代办员: its 乡镇 and its 村) is the row asked
  const named = (r: IndexRecord) => cellsNamedIn(r, query.text).length >= 2;
  // (…and so is a passage whose own heading names it and that numbers its items: 二、存在的问题 “一是…二是…” for 发现了哪些问题)
  const head = query.list?.head && query.list.head.length >= 2 ? query.list.head : undefined;
  const itemsUnder = (r: IndexRecord) => !!head && !!r.sectionPath?.at(-1)?.includes(head) && (numberedItems(r.text)?.items.length ?? 0) >= 2;
  // a passage writing one of the question's phrases (`questionPhrases`, four words or more) as the question does
  // (党员教育阵地集群) is worth half a top rank more, as an exact phrase is: BM25 sees its words apart, and a long passage
  // holding it loses by its length
  // (a rare phrase only, written by at most `RARE_PHRASE_DF` passages, as a name is: a phrase many passages write,
  // 述职评议考核 in a 述职评议 通知, tells none of them apart)
  const phrases = questionPhrases(query.text).filter((p) => passagesWriting(index, p) <= RARE_PHRASE_DF);
  const phrased = (r: IndexRecord) => (phrases.some((p) => r.text.includes(p)) ? 0.5 : 0);
  const boost = (r: IndexRecord) =>
    phrased(r) + (ask?.(r) ?? 0) + (quoted.some((n) => `${r.title}${r.text}`.replace(/\s+/g, '').includes(n)) ? 1 : 0) + (listedAs.some((n) => introducedItemsOf(r, n) || (!PART_WORDS.test(n) && countingItems(r.text, n)) || itemsLedBy(r.text, n)) || itemsUnder(r) ? 1 : 0) + announces(r) + (named(r) ? 1 : 0);
  const bm25Only = async (f: SearchFilter) => ({
    ...(await retriever.search(query.searchText, { k, filter: f, mode: 'bm25', rerank: true, boost })),
    note: '向量检索暂不可用，本次仅按关键词检索',
  });
  // a figure asked of a noun: passages ranked below the top k that state a figure counting exactly that noun (“7个党员教育阵地”
  // in a long passage about something else) join the hits after them, at most two, for the synthesizer to weigh (a
  // postprocessor widening the candidates; the answer cites only what it uses)
  // (a specific noun of three characters or more, counted as written: 党员 is too general to be looked for below the top k)
  // (…and a figure asked in a measure word with no noun, 一共结了多少对: when no top passage states a figure in that
  // measure word, the best-ranked below that do join, at most two)
  const inUnit = (r: IndexRecord) => !!figure?.unit && findFigures(r.text).some((f) => f.unit === figure.unit);
  const byUnit = !!figure?.unit && !figure.noun && figure.unit !== '钱';
  const widen = (figure?.noun && figure.noun.length >= 3) || byUnit ? WIDEN_FIGURE_K : k;
  const widened = (r: { expanded: ExpandedQuery; hits: SearchHit[] }) => {
    if (widen === k) return r;
    const top = r.hits.slice(0, k);
    const exact = figure!.noun
      ? r.hits.slice(k).filter((h) => {
          const m = matchFigure(h.record.text, figure!);
          return m.exact && m.figure?.counted.replace(/[“”]/g, '') === figure!.noun;
        })
      : top.some((h) => inUnit(h.record))
        ? []
        : r.hits.slice(k).filter((h) => inUnit(h.record));
    return { ...r, hits: [...top, ...exact.slice(0, 2).map((h, i) => ({ ...h, rank: k + i + 1 }))] };
  };
  const search = async (f: SearchFilter) => {
    // after a failure the vector side rests for a while, so every question does not wait out the endpoint's retries
    if ((vectorsDownUntil.get(retriever) ?? 0) > Date.now()) return bm25Only(f);
    try {
      return widened(await retriever.search(query.searchText, { k: widen, filter: f, boost }));
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'vector search failed; answering from BM25 alone');
      vectorsDownUntil.set(retriever, Date.now() + VECTOR_RETRY_AFTER_MS);
      return bm25Only(f);
    }
  };
  let result: Retrieved = await search(filter);
  // a named document that holds nothing for the words asked: search everywhere rather than answer from nothing
  if (!result.hits.length && filter.source) result = await search({ place: filter.place });
  // a place the lexicon does not know, named by the form of its name (青溪镇), restricts the passages to the documents
  // that write it, as a known place restricts them by its tag: another county's 导师帮带 is not 青溪镇's (when no
  // document writes it, grounding refuses the place)
  const unknown = query.otherPlaces ?? [];
  if (unknown.length) {
    const writes = new Map<string, boolean>();
    const namesPlace = (source: string) => {
      if (!writes.has(source)) writes.set(source, index.documentRecords(source).some((r) => unknown.some((p) => `${r.title}${r.text}`.includes(p))));
      return writes.get(source)!;
    };
    const kept = result.hits.filter((h) => namesPlace(h.record.source));
    if (kept.length && kept.length < result.hits.length) result = { ...result, hits: kept.map((h, i) => ({ ...h, rank: i + 1 })) };
  }
  // several articles (第四条和第五条): each is looked up, the last asked first, so the first asked ends on top
  for (const article of [...(query.articles ?? (query.article ? [query.article] : []))].reverse()) {
    const articles = index.articleChunks(article, query.source);
    if (articles.length) {
      // among several documents with this article, the one retrieval ranks best (or the first) comes first
      const bySource = new Map(result.hits.map((h, i) => [h.record.source, i]));
      articles.sort((a, b) => (bySource.get(a.source) ?? 99) - (bySource.get(b.source) ?? 99));
      // (a short name that fits several documents, 流动党员管理办法 of two counties: each one's article)
      const first = articles.filter((r) => r.source === articles[0]!.source || (query.sources?.includes(r.source) ?? false));
      const rest = result.hits.filter((h) => !first.some((r) => r.id === h.record.id));
      result = { ...result, hits: [...first.map((record, i) => ({ rank: i + 1, score: 1, record })), ...rest].slice(0, Math.max(k, first.length)) };
    }
  }
  // a part of a multi-part question whose most specific own word no passage found for the whole question holds (…一年拨
  // 多少钱？乡镇那边要不要配套: 配套) is searched by its own words too: its passage may rank below the top k for the whole question
  // (the rule's next clause, 予以配套). The best passage it finds in a document the whole question retrieved joins the
  // hits after them (a postprocessor widening the candidates per part; the answer cites only what it uses)
  if (query.parts.length >= 2 && result.hits.length) {
    const sources = new Set(result.hits.slice(0, k).map((h) => h.record.source));
    const held = result.hits.map((h) => `${h.record.section ?? ''}${h.record.text}`).join('\n');
    for (const part of query.parts) {
      // (its most specific own word, by idf: 配套 of 乡镇|配套, not 负责 of 积分|负责)
      const own = ownWordsOfPart(part.text, query.parts.filter((p) => p !== part).map((p) => p.text));
      const specific = own.sort((a, b) => index.bm25.idf(b) - index.bm25.idf(a))[0];
      if (!specific || held.includes(specific)) continue;
      const found = await retriever.search(part.text, { k: 3, filter, mode: 'bm25', rerank: true });
      const extra = found.hits.find((h) => sources.has(h.record.source) && !result.hits.some((x) => x.record.id === h.record.id || x.record.text.includes(h.record.text)));
      if (extra) result = { ...result, hits: [...result.hits, { ...extra, rank: result.hits.length + 1 }] };
    }
  }
  // a set asked by its name (哪四议, “三大课堂”分别是什么) that a retrieved document heads a section with (（一）“四议”): that
  // section's passages join the hits after them, for the synthesizer to list its parts (the passages naming the set in
  // a longer name, “四议两公开”, do not list it)
  const phrase = query.list?.phrase;
  if (phrase && !result.hits.some((h) => namesSet(h.record.text, phrase))) {
    result = joined(result, sectionPassages(index, result.hits.slice(0, k), (s) => namesSet(s.heading, phrase)), 8);
  }
  // a list asked by its noun (通报里点出来哪些问题) that a retrieved document heads a section with (三、存在的问题) whose
  // parts are sections of their own (（一）年龄结构偏大。…): that section's passages join the hits after them, for the
  // synthesizer to list its parts
  // (or by the glossary's word for it: 毛病 → 问题)
  const noun = query.list && !query.list.phrase ? (query.list.noun ?? query.list.head) : undefined;
  if (noun && noun.length >= 2) {
    const nouns = [noun, ...(query.list?.alternatives ?? [])];
    const heads = (s: SectionInfo, sections: SectionInfo[]) => nouns.some((n) => s.heading.includes(n)) && sections.filter((c) => c.parentId === s.id).length >= 2;
    result = joined(result, sectionPassages(index, result.hits.slice(0, 3), heads), 8);
  }
  // which row is highest or lowest (哪个领域…最低), which pass a bound (哪几个…超过50), or which values a column holds
  // (有哪些主题): every row of the best-ranked table is compared, so its rows are all
  // brought in after the top k (the answer cites only the rows it uses)
  // (and so are they when the question gives an amount that a row's range may hold: 月工资8000元 ← “5000元以上至10000元”)
  // (a total, 加起来多少, reads the table's row of sums, so that row is brought in too)
  const row = query.extreme || query.rowFilter || query.list || query.figure?.total || askedAmount(query.text) !== undefined ? result.hits.find((h) => h.record.unit === 'table-row' && h.record.sectionId) : undefined;
  if (row) result = joined(result, index.recordsInSection(row.record.sectionId!, { type: 'chunk' }).filter((r) => sameTable(r, row.record)));
  return result;
}

/**
 * `result` with those of `records` not among its hits yet joined after them, at most `limit`, in the order given (score
 * 0, ranked on): the candidates a postprocessor adds for the synthesizer, which cites only what it uses.
 */
function joined(result: Retrieved, records: IndexRecord[], limit = Infinity): Retrieved {
  const fresh = records.filter((r) => !result.hits.some((h) => h.record.id === r.id)).slice(0, limit);
  return { ...result, hits: [...result.hits, ...fresh.map((record, i) => ({ rank: result.hits.length + i + 1, score: 0, record }))] };
}

/**
 * The passages (chunks, sub-sections included, in document order) of the first section `heads` accepts in the
 * documents of `hits`, taken in the order the hits name them; empty when no document has one. `heads` sees the
 * section and all its document's sections.
 */
function sectionPassages(index: KnowledgeIndex, hits: SearchHit[], heads: (s: SectionInfo, sections: SectionInfo[]) => boolean): IndexRecord[] {
  for (const source of new Set(hits.map((h) => h.record.source))) {
    const sections = index.document(source)?.sections ?? [];
    const section = sections.find((s) => heads(s, sections));
    if (section) return index.recordsInSection(section.id, { deep: true, type: 'chunk' });
  }
  return [];
}

/**
 * The cells of words (two or more Chinese characters) of a table-row record that `text` writes whole, each with its
 * column index; empty for any other record.
 */
export function cellsNamedIn(r: IndexRecord, text: string): { cell: string; column: number }[] {
  if (r.unit !== 'table-row') return [];
  return (r.table?.cells ?? []).map((cell, column) => ({ cell, column })).filter(({ cell }) => cell.length >= 2 && /^[\u4e00-\u9fff]+$/.test(cell) && text.includes(cell));
}

/** True when both records are rows of one table: table rows with the same caption and header cells. */
export function sameTable(a: IndexRecord, b: IndexRecord): boolean {
  return a.unit === 'table-row' && b.unit === 'table-row' && a.table?.caption === b.table?.caption && a.table?.header.join('|') === b.table?.header.join('|');
}
