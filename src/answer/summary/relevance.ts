/**
 * Whether the retrieved passages are about the topic at all: the idf-weighted share of the topic's content
 * words that the passages contain. Computed here from the records' texts (no search-index internals).
 */
import type { Glossary } from '../../retrieval/glossary.js';
import type { KnowledgeIndex } from '../../retrieval/knowledge-index.js';
import { tokenize } from '../../retrieval/tokenize.js';
import { dictionaryTag, FRAMING_TAG, topWords } from '../ground.js';

/**
 * Words a summary request adds that no report states (主要举措, 经验, 成效…); they do not count as topic.
 */
const REQUEST_WORDS = new Set(
  '总结 归纳 概括 梳理 汇总 主要 举措 措施 做法 办法 经验 成效 亮点 特色 工作 情况 方面 内容 要点 要求 规定 有关 报道 文件 文章 材料 简报 草稿 起草 一份 写 相关'.split(' '),
);

/** A passage set must hold this share of the topic's weight (checked on the dev summaries and on 浦东新区/城市更新). */
export const MIN_TOPIC_SHARE = 0.6;

/** Per index: the number of chunks and the substring document frequency of each word asked so far. */
const statsCache = new WeakMap<KnowledgeIndex, { chunks: number; df: Map<string, number> }>();

function chunkStats(index: KnowledgeIndex): { chunks: number; df: Map<string, number> } {
  let stats = statsCache.get(index);
  if (!stats) statsCache.set(index, (stats = { chunks: index.records.filter((r) => r.type === 'chunk').length, df: new Map() }));
  return stats;
}

function docFreq(index: KnowledgeIndex, word: string): number {
  const { df: cache } = chunkStats(index);
  let df = cache.get(word);
  if (df === undefined) {
    df = index.records.filter((r) => r.type === 'chunk' && (r.text.includes(word) || r.section.includes(word))).length;
    cache.set(word, df);
  }
  return df;
}

/** The topic's content words in the order written: jieba words without request words, a search-mode sub-word only inside its longest word. */
export function topicWords(topic: string): string[] {
  // (a word closed by a request word, 试点经验 or 整改情况, is its stem: 试点, 整改)
  const stem = (w: string) => {
    const closing = [...REQUEST_WORDS].find((r) => w.length >= r.length + 2 && w.endsWith(r));
    return closing ? w.slice(0, w.length - closing.length) : w;
  };
  const words = [...new Set(tokenize(topic).map(stem))].filter((w) => !REQUEST_WORDS.has(w) && (w.length > 1 || /\d/.test(w)));
  const kept = new Set(topWords(words));
  return words.filter((w) => kept.has(w));
}

/**
 * True for a topic word that only frames the topic (`FRAMING_TAG` of ground.ts) and that no passage of the index holds: “村里” of
 * 村里后备干部 says where the 后备干部 are, and a corpus that writes 村级 never says 村里, so its absence says nothing
 * about whether the materials cover the topic. A noun or verb the corpus lacks (养老保险, 城市更新) still counts against.
 */
function framingOnly(word: string, index: KnowledgeIndex): boolean {
  const tag = dictionaryTag(word);
  return !!tag && FRAMING_TAG.test(tag) && docFreq(index, word) === 0;
}

/** `topicWords` without the framing words the index never uses (`framingOnly`). */
function indexedTopicWords(topic: string, index: KnowledgeIndex): string[] {
  return topicWords(topic).filter((w) => !framingOnly(w, index));
}

function idfOf(index: KnowledgeIndex): (word: string) => number {
  const n = chunkStats(index).chunks;
  return (word) => {
    const df = docFreq(index, word);
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  };
}

/**
 * Topic words (and phrases) → their share of the topic's weight, the glossary's official words that stand for them and
 * the words a compound is made of (`compoundParts`).
 */
export type TopicWeights = Map<string, { weight: number; alts: string[]; parts?: string[] }>;

/**
 * The words a compound topic word is written with, left to right, when its search-mode sub-words tile it (干部队伍 →
 * 干部 + 队伍; the overlapping 部队 is no part of it); empty for a word that is not such a compound (减负, 党员).
 */
export function compoundParts(word: string): string[] {
  const subs = tokenize(word).filter((p) => p !== word && p.length >= 2);
  const parts: string[] = [];
  for (let at = 0; at < word.length; ) {
    const next = subs.filter((p) => word.startsWith(p, at)).sort((a, b) => b.length - a.length)[0];
    if (!next) return [];
    parts.push(next);
    at += next.length;
  }
  return parts.length >= 2 ? parts : [];
}

/**
 * The topic's content words, and each pair of adjacent ones as written in the topic, with their share of its
 * idf weight (summing to 1; a pair weighs its two words), place names left out (the search is already
 * restricted to the place), each with the official words the glossary gives for it (外卖小哥 → 骑手, 新业态…):
 * how much a sentence or passage is about the topic.
 */
export function topicWeights(topic: string, index: KnowledgeIndex, glossary: Glossary, isPlace: (w: string) => boolean, phrases = true): TopicWeights {
  const idf = idfOf(index);
  const explained = glossary.expand(topic).explained;
  const words = indexedTopicWords(topic, index).filter((w) => !isPlace(w));
  // adjacent topic words also count as a phrase (党员+教育 → 党员教育): 主题教育 is not 党员教育
  const pairs = phrases ? words.slice(1).map((w, i) => `${words[i]}${w}`).filter((p) => topic.includes(p)) : [];
  const raw = new Map<string, number>([...words.map((w) => [w, idf(w)] as const), ...pairs.map((p, i) => [p, idf(words[i]!) + idf(words[i + 1]!)] as const)]);
  const total = [...raw.values()].reduce((t, x) => t + x, 0);
  // (a glossary word that is itself a word of the topic stands for nothing else: 没职务的党员 → 无职党员 gives 无职 and
  // 党员 for 职务, and 党员, already counted, would make any passage on 党员 a passage on 职务)
  const alts = (w: string) => [...new Set((explained.get(w) ?? []).filter((o) => o.length >= 2 && !words.includes(o)))];
  return new Map([...raw].map(([w, x]) => [w, { weight: total ? x / total : 0, alts: alts(w), parts: compoundParts(w) }]));
}

/**
 * The head of the topic: its last content word that jieba's dictionary tags a noun, places left out (集体经济 of
 * 发展壮大村级集体经济, 考核 is no noun of 精简优化基层考核 but 基层 is); undefined when it has none. In a Chinese noun
 * phrase, and in the verb phrases policy topics are (发展壮大 + its object), the last noun is what it is about.
 */
export function topicHead(topic: string, index: KnowledgeIndex, isPlace: (w: string) => boolean): string | undefined {
  return indexedTopicWords(topic, index)
    .filter((w) => !isPlace(w) && w.length >= 2 && /^n/.test(dictionaryTag(w) ?? ''))
    .at(-1);
}

/**
 * How much a passage is about the topic (0–1): the mean of the share of its single words and the share with
 * its phrases, so 主题教育 is less about 党员教育培训 than 党员教育 is, while 优化考核方式 still counts for
 * 精简优化基层考核. A topic that is only a place (西宁市) gives 1: the search already kept to the place.
 */
export function passageRelevance(topic: string, index: KnowledgeIndex, glossary: Glossary, isPlace: (w: string) => boolean): (text: string) => number {
  const words = topicWeights(topic, index, glossary, isPlace, false);
  const phrases = topicWeights(topic, index, glossary, isPlace, true);
  if (!words.size) return () => 1;
  return (text) => (weightIn(text, words, true) + weightIn(text, phrases, true)) / 2;
}

/**
 * Times a part of a compound must occur in a passage to count for it: named in passing (领导干部 once in a paragraph on
 * teaching resources) it is mentioned, named again and again it is the subject. Measured on data/corpus for 干部队伍:
 * the paragraphs on 选派、调整干部 name 干部 7 times, the education paragraphs that pass by it once or twice.
 */
export const PART_MENTIONS = 3;

function occurrences(text: string, word: string): number {
  let n = 0;
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length)) n++;
  return n;
}

/**
 * Share (0–1) of the topic's weight whose words (or their glossary wording) occur in `text`. With `partial`, a compound
 * topic word that is absent counts by the share of its parts the passage is about, each named `PART_MENTIONS` times or
 * more (干部队伍 in a passage that keeps naming 干部: half), as `topicShare` counts a compound found when all its parts
 * are: a paragraph on 选派干部、调整干部 is about 干部队伍建设 in part, one naming 领导干部 in passing is not.
 */
export function weightIn(text: string, weights: TopicWeights, partial = false): number {
  let share = 0;
  for (const [w, { weight, alts, parts }] of weights) {
    if (text.includes(w) || alts.some((a) => text.includes(a))) share += weight;
    else if (partial && parts?.length) share += (weight * parts.filter((p) => occurrences(text, p) >= PART_MENTIONS).length) / parts.length;
  }
  return share;
}

/** Share of the topic covered by the passages, and the words they miss (most specific first). */
export interface TopicShare {
  share: number;
  missing: string[];
}

/**
 * Weights each topic word by its idf over the chunks (a word no report uses weighs the maximum, so 浦东新区
 * counts fully against); a word counts as found when a passage holds it, the official wording the glossary
 * gives for it, or all its 2+ character parts; a framing word the index never uses (`framingOnly`) is left out. Returns
 * share 0 for a topic without content words.
 */
export function topicShare(topic: string, passages: string[], index: KnowledgeIndex, glossary: Glossary): TopicShare {
  const words = indexedTopicWords(topic, index);
  if (!words.length) return { share: 0, missing: [] };
  const idf = idfOf(index);
  const text = passages.join('\n');
  const expanded = glossary.expand(topic);
  let total = 0;
  let found = 0;
  const missing: { w: string; weight: number }[] = [];
  for (const w of words) {
    const weight = idf(w);
    total += weight;
    const parts = tokenize(w).filter((p) => p !== w && p.length >= 2);
    const hit =
      text.includes(w) ||
      (expanded.explained.get(w) ?? []).some((o) => text.includes(o)) ||
      (parts.length > 0 && parts.every((p) => text.includes(p)));
    if (hit) found += weight;
    else missing.push({ w, weight });
  }
  return { share: total ? found / total : 0, missing: missing.sort((a, b) => b.weight - a.weight).map((m) => m.w) };
}
