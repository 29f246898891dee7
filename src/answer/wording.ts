/** How a question is worded: its colloquial question words and the names it quotes (no dependencies inside src/answer). */
import { dictionaryEntry, getJieba } from '../ingest/segment.js';

/**
 * Colloquial question words and their standard forms (啥时候 → 什么时候, 咋 → 怎么, 多会儿 → 什么时候), 几 of an
 * indefinite amount (好几万 → 数万, 十几个 → 十多个, 这几年 → 这些年), which asks nothing, and the nouns 女的/男的 (女性/男性): a question is
 * read for what it asks in its standard wording, so every rule that knows 什么时候 knows 啥时候 (xiandai hanyu cidian
 * gives 啥 as 〈方〉什么, 咋 as 〈方〉怎么).
 */
const COLLOQUIAL_INTERROGATIVES: [RegExp, string][] = [
  // 几 in an indefinite amount asks nothing: 好几万 and 几十个 are 数万 and 数十个, 十几 is 十多
  [/好几|几(?=[十百千万亿])/g, '数'],
  [/(?<=十)几/g, '多'],
  // (and so does 几 of a stretch of time pointed at, 这几年, 近几年, 前几天: 这些年, 近些年; not 提前几天, which asks)
  [/(?<=(?:^|[^提])[这那近前头])几(?=年|天|个?月|个?星期|周)/g, '些'],
  // (…and 这几, 那几 before a measure word point at things already named: 那几场集体婚礼 is 那些, asking nothing)
  [/(?<=[这那])几(?=[个场次项件位名家条批户])/g, '些'],
  [/啥时候|啥时|多会儿|哪会儿|几时/g, '什么时候'],
  [/干啥|干嘛|干吗/g, '做什么'],
  [/啥/g, '什么'],
  [/咋/g, '怎么'],
  // (and the colloquial nouns of sex: 女的, 男的 are 女性, 男性 as a noun; not 妇女的, 子女的)
  [/(?<![妇子儿])女的(?=比例|占比|有|是|多少|几|[，,？?]|$)/g, '女性'],
  [/(?<![子儿])男的(?=比例|占比|有|是|多少|几|[，,？?]|$)/g, '男性'],
];

/** `q` with its colloquial question words in their standard form, and indefinite amounts with 几 written without it (see COLLOQUIAL_INTERROGATIVES). */
export function standardInterrogatives(q: string): string {
  let out = q;
  for (const [re, to] of COLLOQUIAL_INTERROGATIVES) out = out.replace(re, to);
  return out;
}

/**
 * True when the 得 at `at` of `q` is the colloquial modal děi (讲解员得配几个, 党费得交多少): a one-character verb follows
 * it, and it makes a dictionary word with neither neighbour (not 获得, 得到, 得分) and follows no verb of one character (not
 * the complement marker of 看得见, 说得清). jieba's HMM glues it to the verb (得配, tagged x), hiding the verb (xiandai
 * hanyu cidian: 得 děi 〈口〉需要；必须).
 */
export function modalDei(q: string, at: number): boolean {
  if (q[at] !== '得') return false;
  const after = q[at + 1];
  const before = q[at - 1];
  if (!after || !/[\u4e00-\u9fff]/.test(after) || !/^v/.test(dictionaryEntry(after)?.tag ?? '')) return false;
  if (dictionaryEntry(`得${after}`) || (before && dictionaryEntry(`${before}得`))) return false;
  // (the word before, as jieba cuts the text before 得: a verb of one character is a complement's, 看|得见; a word of
  // two or more, 党费|得交, is a subject)
  const last = before ? getJieba().tag(q.slice(Math.max(0, at - 8), at), true).at(-1) : undefined;
  return !last || last.word.length >= 2 || !/^v/.test(last.tag);
}

/** The names a question quotes (“三百活动”, "一肩挑"), 2–16 characters, without white space. */
export function quotedNames(question: string): string[] {
  return [...question.matchAll(/[“"「]([^”"」]{2,16})[”"」]/g)].map((m) => m[1]!.replace(/\s+/g, ''));
}

/**
 * A verb with a complement of completion (开完, 交齐, 报完; 搞好 and 弄好 of the light verbs): it asks by when the work
 * is finished, whatever the document calls the finishing (完成, 办结, 前).
 */
export const DONE = /^(?:[\u4e00-\u9fff][完齐]|[搞弄做办干整]好)$/;

/**
 * The verb of finishing itself (完成, 完毕). Alone after a when-word (哪天之前完成) it asks by when the work named before
 * it is done, as DONE does, whatever verb the document dates it by (8月31日前实现…全覆盖).
 */
export const FINISH = /^(?:完成|完毕)$/;

/**
 * The words of a deadline asked (…什么时候前要开完, 几号前交, 哪天前报): a completion verb, 前 glued to the one character
 * after it (前要, 前得, 前交) and the day glued to 前 (哪|天前, 几|号前), as jieba's HMM cuts them.
 */
export const DEADLINE_FRAME = /^(?:[\u4e00-\u9fff][完齐]|[搞弄做办干整]好|前[\u4e00-\u9fff]|[天号日]前)$/;

/**
 * A complement of direction closing a verb (报上去, 交上来, 借出去, 寄回来): 趋向补语, which says where the action goes, not
 * what it is (《现代汉语八百词》, 趋向动词). Two characters (上去, 出来…) or one (去, 来) after the verb.
 */
export const DIRECTION_COMPLEMENT = /(?:上去|上来|下去|下来|出去|出来|进去|进来|过去|过来|回去|回来|起来)$/;

/** True for a two-character complement of direction (`DIRECTION_COMPLEMENT`) as a word of its own, cut off its verb by jieba (建|起来, 点|出来). */
export function isDirectionWord(word: string): boolean {
  return word.length === 2 && DIRECTION_COMPLEMENT.test(word);
}

/**
 * The verbs a verb with a complement of direction is said without (借出去 → 借出, 借; 寄回来 → 寄回, 寄), longest first;
 * empty for a word with no such complement. The caller decides which stem the documents use.
 */
export function directedStems(word: string): string[] {
  const out: string[] = [];
  if (word.length >= 3 && /[去来]$/.test(word)) out.push(word.slice(0, -1));
  const two = DIRECTION_COMPLEMENT.exec(word);
  if (two && word.length > 2) out.push(word.slice(0, two.index));
  return [...new Set(out)];
}

/** Modal verbs, as asked (能不能, 可不可以, 需不需要) or said (不能, 必须): the modality of a rule, not its topic. */
export const MODAL = /^(能|能不能|不能|能否|可以|可不可以|不可以|可否|需要|需不需要|不需要|必须|要不要|应该|应不应该|应当|允许|准不准)$/;

/**
 * Verbs that frame an amount asked rather than name a topic (提到多少, 提高到, 超过多少, 达到, 打算/计划提到): the figure
 * answers them whatever verb the document uses (由76%提高到93%, 达到5.3万元).
 */
export const FIGURE_FRAME = /^(提到|提高到|提升到|增加到|增至|涨到|降到|减到|降低到|减少到|超过|达到|达|打算|计划|准备)$/;

/**
 * The role whose holder a who-question asks by name (溆浦社区的党组织书记叫什么名字 → 书记; 组长是谁 → 组长): the last
 * word of two characters or more before the asking words that is no function word, place or person's name (jieba's
 * dictionary tags); undefined when it asks no role's holder (哪个单位负责).
 */
export function askedRole(question: string): string | undefined {
  const m = /([\u4e00-\u9fff]{2,12}?)(?:叫什么名字|叫什么|叫啥名字|叫啥|姓什么|的名字是什么|的姓名是什么|是谁|由谁|是哪位|是哪一位)/.exec(question.replace(/\s+/g, ''));
  if (!m) return undefined;
  // (the last word that is no adjective, adverb or function word: 理事长 of 合作社理事长一般由谁当, not the adverb 一般;
  // jieba's dictionary tags 组长 a verb)
  // (a person named by what he is, 那个党员叫啥, asks a name, not a role's holder)
  const word = getJieba().tag(m[1]!, false).filter((w) => w.word.length >= 2 && !/^(a|ad|d|r|p|c|u|m|q|t|y|f|ns|nr)/.test(w.tag)).at(-1)?.word;
  return word && !/^(党员|同志|人员|干部|群众|居民|村民|老人)$/.test(word) ? word : undefined;
}

/** Parts of speech (jieba's) of words that name a topic: nouns, verbs, adjectives, idioms and abbreviations. */
const CONTENT_TAG = /^(n|v|a|l|i|j)/;

/**
 * The words that one part of a multi-part question names and no other part does (乡镇那边要不要配套 → 乡镇, 配套): jieba's
 * content words of two characters or more, without modals. Used to tell whether the passages found for the whole
 * question hold anything for that part.
 */
export function ownWordsOfPart(part: string, others: string[]): string[] {
  const tagged = getJieba().tag(part.replace(/\s+/g, ''), true);
  return tagged
    // (the verb right after 谁 frames the asking of an agent, 谁负责 or 谁牵头 as 谁 alone: it names no topic)
    .filter((w, i) => w.word.length >= 2 && CONTENT_TAG.test(w.tag) && !MODAL.test(w.word) && !/^(?:多少|几|什么|哪|怎)/.test(w.word) && tagged[i - 1]?.word !== '谁' && !others.some((o) => o.includes(w.word)))
    .map((w) => w.word);
}

/**
 * True for a modal jieba's HMM glued to a one-character verb (能|带, 可|借, 要|配, 需|交, the colloquial 得|配 of
 * `modalDei`): a word of two characters outside jieba's verbs whose second is a verb. It asks whether or what must be,
 * as the modal alone does, and the verb is the question's predicate.
 */
export function gluedModal(w: { word: string; tag: string }): boolean {
  return /^[能可要得需须][\u4e00-\u9fff]$/.test(w.word) && !/^v/.test(w.tag) && /^v/.test(dictionaryEntry(w.word[1]!)?.tag ?? '') && (w.word[0] !== '得' || modalDei(w.word, 0));
}

/**
 * True for a one-character verb glued to its negation where the two make no dictionary word (没改, 没交, 未报; not 没收,
 * 不足, 未来): a part asking what is left undone (还剩几个没改完) names the verb only, a one-character verb, which names no
 * topic (a document says 其余…持续整改, not 没改).
 */
export function negatedVerb(word: string): boolean {
  return word.length === 2 && /^[没未不]/.test(word) && !dictionaryEntry(word) && /^v/.test(dictionaryEntry(word[1]!)?.tag ?? '');
}

/**
 * The fewest words of a question's phrase (see `questionPhrases`). Measured on the tuning sets: three words, e.g.
 * 县委|组织部|备案, are a predicate's fragment two rules of one 办法 share, and moved heldout-12's deadline question to the
 * wrong rule; four words name a thing (党员|教育|阵地|集群).
 */
export const PHRASE_WORDS = 4;

/**
 * The question's phrases that a passage may write as the question does: runs of `PHRASE_WORDS` or more consecutive
 * content words of two or more Chinese characters each (jieba; no adverb, pronoun or other function word), longest
 * first (党员教育阵地集群 = 党员|教育|阵地|集群). A passage writing one of them word for word is about what the question
 * asks (a phrase match, as search engines boost an exact phrase over its words apart); BM25 sees the words apart and
 * long passages lose by it.
 */
export function questionPhrases(q: string): string[] {
  const words = getJieba().tag(q, true);
  // (words of content: an adverb, a modifier such as 主要, a pronoun, numeral, time or other function word ends a phrase)
  const content = (w: { word: string; tag: string }) => /^[\u4e00-\u9fff]{2,}$/.test(w.word) && !/^[bdrpcumqfty]/.test(w.tag);
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    let run = '';
    for (let j = i; j < words.length && content(words[j]!); j++) {
      run += words[j]!.word;
      if (j - i + 1 >= PHRASE_WORDS) out.push(run);
    }
  }
  return [...new Set(out)].sort((a, b) => b.length - a.length);
}
