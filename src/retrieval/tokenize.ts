import { dropInsertedAlternatives } from '../ingest/normalize.js';
import { cutForSearch, cutWords, isDictionaryWord } from '../ingest/segment.js';

/**
 * Function words and question words that carry no topic (从资料 and 问句 alike). Kept small on purpose:
 * BM25's idf already discounts frequent words; these are the ones a question adds that a report never answers with.
 */
const STOP = new Set(
  (
    '的 了 和 与 及 以 在 是 为 对 把 被 将 从 由 等 并 也 都 而 之 其 这 那 有 个 中 上 下 到 向 于 或 就 还 又 让 使 给 ' +
    '多少 几 哪些 哪个 哪里 什么 怎么 怎么样 怎样 如何 是否 吗 呢 吧 啊 请 请问 一下 我们 你们 他们 它们 可以 能 会 要 ' +
    '情况 方面 有关 关于 进行 主要 一些 这些 那些 其中 以及 通过 各 每 该 此 啥 咋 做法 介绍 告诉 说说 讲讲 问 想 知道 ' +
    '一共 总共 共有 有没有 没有 是不是 那边 这边 那里 这里 哪个 哪家 哪儿 地方 东西 事 事儿 事情 搞 弄 一起 能 吗 的话 到底 现在 目前'
  ).split(/\s+/),
);

/** True for a token that is only punctuation, symbols or white space. */
function isPunct(t: string): boolean {
  return !/[\p{L}\p{N}]/u.test(t);
}

/**
 * Tokens for BM25 and for the hashed embedding: jieba search-mode words (海西州 also yields 海西),
 * lower-cased, without punctuation and stop words. Figures stay tokens ("467", "90%"), so a question
 * quoting a number finds it.
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const raw of cutForSearch(text)) {
    const t = raw.trim().toLowerCase();
    if (!t || isPunct(t) || STOP.has(t)) continue;
    out.push(t);
  }
  // a name written with an alternative in brackets inside it (乡镇（街道）党（工）委, 村（社区）党组织) is also the name
  // without them (乡镇党委, 村党组织): the words only that reading makes are added once each
  const other = dropInsertedAlternatives(text);
  if (other !== text) {
    const seen = new Set(out);
    for (const t of tokenize(other)) if (!seen.has(t)) seen.add(t) && out.push(t);
  }
  return out;
}

/** Content tokens of a question (same as `tokenize`, duplicates removed, order kept). */
export function queryTerms(text: string): string[] {
  return [...new Set(tokenize(text))];
}

/**
 * The dictionary words that two adjacent one-character words of a question make, which `queryTerms` does not hold:
 * jieba cuts a short question by word frequencies alone, so 几点报到 becomes 几点|报|到 while the document's
 * “18:00报到” keeps 报到. Searched with a lower weight (some pairs are no words of the question: 那|项).
 */
export function joinedWords(text: string): string[] {
  const words = cutWords(text);
  const out: string[] = [];
  for (let i = 0; i + 1 < words.length; i++) {
    const pair = words[i]! + words[i + 1]!;
    if (words[i]!.length === 1 && words[i + 1]!.length === 1 && /^[\u4e00-\u9fff]{2}$/.test(pair) && isDictionaryWord(pair)) out.push(pair);
  }
  return out;
}
