import { dictionaryEntry, getJieba } from '../ingest/segment.js';
import { dictionaryTag, GLUED_PREPOSITION, isEverydayWord } from './ground.js';
import type { Lexicon } from '../ingest/lexicon.js';
import { articleNumber, parseNumeral } from '../ingest/numerals.js';
import { PER_EACH, type Glossary, type GlossaryTerm } from '../retrieval/glossary.js';
import { queryTerms } from '../retrieval/tokenize.js';
import { gluedModal, MODAL, standardInterrogatives } from './wording.js';
import type { DocumentInfo, Turn } from '../types.js';
import { documentNamed, documentsNamed, fromHistory, REFERENCE, titleMentioned, TRAILING_REQUEST } from './summary/target.js';
import { COMPARISON, DURATION_NOUN, isPeopleUnit, leadingUnit, measureClosesNoun, unitClass, VERBAL_UNITS, type FigureAsk, type Limit, type UnitClass } from './figures.js';

export type { FigureAsk } from './figures.js';

/**
 * The “understand” stage of the question pipeline: a question is read once, here, into a typed `Query`
 * that every later stage (retrieve → postprocess → synthesize → ground) uses. Nothing after this stage
 * re-reads the question with regular expressions.
 */

/** What the user wants. */
export type Intent = 'question' | 'summary' | 'glossary' | 'greeting' | 'help';

/** An enumeration the question asks for: 哪些, 分别是, 哪几, 哪“六种关系”, “三大课堂”分别是什么. */
export interface ListAsk {
  /** Number of items announced in the question (六种关系 → 6), when given. */
  count?: number;
  /** Head noun of the announced set (关系, 课堂), when given. */
  head?: string;
  /** The announced phrase as printed (“六种关系”), to find the announcing passage. */
  phrase?: string;
  /** For 哪些/哪几 questions: the noun phrase listed (“服务阵地”, “实施步骤”). */
  noun?: string;
  /** The glossary's official words for a colloquial listed noun (毛病 → 问题), when it has any. */
  alternatives?: string[];
}

/** A question read once into its parts. */
export interface Query {
  /** The text as asked, trimmed and capped at `MAX_QUESTION_CHARS`. */
  text: string;
  /** True when the question was longer than the cap and cut. */
  truncated: boolean;
  intent: Intent;
  /** For `summary`: the topic without the request words. */
  topic?: string;
  /** For `glossary`: the term asked about. */
  term?: GlossaryTerm;
  /** The question without white space and with its colloquial question words standardised (啥时候 → 什么时候): what rules read. */
  standard: string;
  /** The text used for retrieval: the question, with the previous turn's question prepended when elliptical. */
  searchText: string;
  /** True when the question only makes sense with the previous turn (那…呢, 其中, 它, 这些, 该, 上述). */
  elliptical: boolean;
  figure?: FigureAsk;
  /** A term the question asks to define (什么是X, 什么样的…算X, X是指什么), not in the glossary. */
  defines?: string;
  /** The question asks when (什么时候, 何时, 哪天, 截止, 多久一次): answered by a sentence with a date or a period. */
  when?: boolean;
  /** The question asks who (谁, 哪个单位, 哪个部门): answered by a person or a body, e.g. a table's 责任单位 column. */
  who?: boolean;
  /** The question asks where (在哪, 在哪里, 什么地方, 地址): answered by a place, e.g. a table's 地址 column. */
  where?: boolean;
  list?: ListAsk;
  /** Sub-questions of a multi-part question (“以前有多少项，现在剩几项？”), each read on its own; empty otherwise. */
  parts: Query[];
  /** Canonical places named in the question (or, when elliptical, in the previous question). */
  places: string[];
  /** A year named in the question (“2024年”). */
  year?: string;
  /** An article asked for (“第十八条”), normalised to Chinese numerals. */
  article?: string;
  /** Every article asked for when there are several (“第四条和第五条”), in the order asked; `article` is the first. */
  articles?: string[];
  /** The document the question names by its title (or by “这篇报道” in a thread), as a corpus file name. */
  source?: string;
  /**
   * The documents a short name fits when it fits several (“流动党员管理办法” of two counties), as corpus file names: an
   * article asked of it is quoted from each. Set only with an article asked and no `source`.
   */
  sources?: string[];
  /** A fact about a document rather than in it: its 发文字号, its issuer, its date (see `readMetaAsk`). */
  meta?: MetaAsk;
  /** Names of counties, cities, prefectures and townships the question names that the lexicon does not know (see `placeNames`). */
  otherPlaces?: string[];
  /** Which one is highest or lowest (哪个…最高, 哪个乡镇…最少): answered by comparing the rows of a table (see `readExtreme`). */
  extreme?: Extreme;
  /** Which ones pass a bound (…超过50人的是哪几个乡镇): answered by filtering the rows of a table (see `readRowFilter`). */
  rowFilter?: RowFilter;
  /**
   * A condition the question states and asks the consequence of (评了优秀有啥好处 → 优秀, 要是不合格呢 → 不合格): answered by
   * a rule's conditional clause (“考核不合格的，暂停拨付…”), see `readConditionAsk`.
   */
  condition?: string;
}

/**
 * Reads a condition whose consequence is asked: a hypothetical (要是, 如果, 假如, 万一, 一旦 … 的话/呢/怎么办/会…) or a
 * grade reached (评了, 评上, 被评为, 考核为 … 有什么/会/能/呢), or a consequence asked after it (不合格会怎么样). Returns
 * the condition's words (不合格, 优秀), or undefined. The synthesizer answers it only for a question asking no amount or
 * date (those answer by their figure or date). Source of the words: 《现代汉语八百词》 (要是 = 如果, 口语).
 */
export function readConditionAsk(q: string): string | undefined {
  const m =
    /(?:要是|如果|假如|假若|倘若|若是|万一|一旦)([^，。？?！!,]{2,12}?)(?:的话|了|呢|怎么办|咋办|怎么处理|如何处理|会|该|有什么|要|就|[？?]|$)/.exec(q) ??
    /(?:评了|评上了?|被评为|评为|评到|考核为|考评为|定为|获评|被定为)([^，。？?！!,]{2,6}?)(?:的话|以后|之后|后|了|呢|有什么|有啥|会|能|可以|就|[？?]|$)/.exec(q);
  const c = m?.[1]?.replace(/^(?:考核|评议|考评|测评)?(?:被)?(?:评为|定为|为)?/, '');
  if (c && c.length >= 2) return c;
  // a consequence asked after the condition (考核不合格会怎么样, 逾期不交有什么后果): the condition is the last word before
  // it, with its negation (the words before name the subject, which the rule may not repeat)
  const after = /([^，。？?！!,]{2,12}?)(?:的话)?(?:会怎么样|会怎样|会咋样|怎么办|咋办|怎么处理|如何处理|会有什么后果|有什么后果|会受到什么处理)/.exec(q)?.[1];
  const last = after ? getJieba().cut(after, false).filter((w) => w.length >= 2).at(-1) : undefined;
  if (!last || !after!.endsWith(last)) return undefined;
  // (jieba cuts a negation off its word, 不|合格: it is part of the condition)
  const negation = after!.slice(0, -last.length).match(/[不没未无]$/)?.[0] ?? '';
  return negation + last;
}

/**
 * An amount the question gives (月工资8000元的党员, 年满65岁的): the first Arabic number followed by a measure word of money,
 * age or count, as a number; undefined when none. A table row whose range holds it answers (see `inRange` in figures.ts).
 */
export function askedAmount(q: string): number | undefined {
  // (块 is 元 in speech: 挣了8万块)
  const m = /(\d+(?:\.\d+)?)(万)?(?:元|块|岁|周岁|名|人|个|户|年)/.exec(q.replace(/[,，](?=\d{3})/g, ''));
  return m ? Number(m[1]) * (m[2] ? 10_000 : 1) : undefined;
}


/** A superlative asked of a set: the thing compared (the words before 最) and the direction. */
export interface Extreme {
  direction: 'max' | 'min';
  /** The compared quantity as asked, e.g. “党组织覆盖率” in “哪个领域的党组织覆盖率最低”. */
  of: string;
}

/** Rows asked by a bound on a quantity: `of` compared with `value` (gt: 超过/多于, ge: 不少于/以上, lt: 低于/少于, le: 以下). */
export interface RowFilter {
  op: 'gt' | 'ge' | 'lt' | 'le';
  value: number;
  /** The compared quantity as asked (入党申请人 in “入党申请人超过50人的是哪几个乡镇”). */
  of: string;
}

const BOUND_OP: Record<string, RowFilter['op']> = { 超过: 'gt', 多于: 'gt', 大于: 'gt', 高于: 'gt', 不少于: 'ge', 不低于: 'ge', 达到: 'ge', 低于: 'lt', 少于: 'lt', 小于: 'lt', 不足: 'lt', 不到: 'lt', 以上: 'ge', 以下: 'le' };

/**
 * Reads “which ones pass a bound”: a 哪 word (哪些, 哪几个, 哪个) with a quantity bounded by a number (入党申请人超过50人,
 * 发展党员在10名以上, 覆盖率低于70%). Undefined without a 哪 word or a bound. (以上/以下 include the bound, as in
 * statistical usage; 超过/低于 exclude it.)
 */
export function readRowFilter(q: string): RowFilter | undefined {
  if (!/哪/.test(q)) return undefined;
  const t = q.replace(/哪(?:一个|[个一些几家类位])?[个些家类]?[\u4e00-\u9fff]{0,4}?(?=[\u4e00-\u9fff]{2})/, '');
  const before = /([\u4e00-\u9fff]{2,12}?)(?:在|有|数|是)?(超过|多于|大于|高于|不少于|不低于|达到|低于|少于|小于|不足|不到)(\d+(?:\.\d+)?)/.exec(t);
  if (before) return { op: BOUND_OP[before[2]!]!, value: Number(before[3]), of: before[1]! };
  const after = /([\u4e00-\u9fff]{2,12}?)(?:在|有|达|数)?(\d+(?:\.\d+)?)[^\d，。？?]{0,3}?(以上|以下)/.exec(t);
  return after ? { op: BOUND_OP[after[3]!]!, value: Number(after[2]), of: after[1]! } : undefined;
}

/**
 * Reads “which one is highest/lowest”: a 哪 word (哪个, 哪一, 哪些, 哪家) with 最高/最多/最大/最长 or 最低/最少/最小/最短.
 * Without a 哪 word, 最多/最少 is a bound (最多能推迟几天), not a comparison.
 */
export function readExtreme(q: string): Extreme | undefined {
  const which = /哪(?:一个|[个一些家类位])?/.exec(q);
  if (!which) return undefined;
  // (or the superlative first: 小微项目里，投资最大的是哪个项目)
  const first = /([\u4e00-\u9fff]{1,12}?)最(高|多|大|长|低|少|小|短)的?(?:是|为|要数|数)哪/.exec(q.slice(0, which.index + 1));
  if (first) return { direction: /[高多大长]/.test(first[2]!) ? 'max' : 'min', of: first[1]!.replace(/^.*(?:里面?|中|当中|之中)/, '') };
  // the compared quantity follows the set asked for (哪个领域的|党组织覆盖率, 哪个乡镇|发展党员)
  const rest = q.slice(which.index + which[0].length).replace(/^[\u4e00-\u9fff]{1,6}?的/, '');
  const m = /([\u4e00-\u9fff]{0,12}?)(?:是|的)?最(高|多|大|长|低|少|小|短)/.exec(rest);
  if (m) return { direction: /[高多大长]/.test(m[2]!) ? 'max' : 'min', of: m[1]! };
  // (a first or last place asked, 哪个区的基层党建考核排第一, ranks as a superlative does)
  const placed = /([\u4e00-\u9fff]{0,12}?)(?:是|的)?(?:排|排名|排在|位列|名列)(?:第一|第1|首位|倒数第一|最后)/.exec(rest);
  if (placed) return { direction: /倒数|最后/.test(placed[0]) ? 'min' : 'max', of: placed[1]! };
  return undefined;
}

/** Characters that end no place name's stem: words of scope (全县, 该市, 各乡) and function words (的超市, 到海东市). */
const NOT_A_STEM = /[全该本各每外我其此邻同两多少几个哪那这的了是有在和与及或对从到向给把被让为县市州镇乡省区族治]/;

/**
 * The administrative place names a question writes: two characters and 县, 市, 州, 镇 or 乡 (桐屿县, 新城镇), the
 * most common form of county and township names (GB/T 2260 行政区划代码: a county-level name ends in 县/市/区/旗, a
 * township's in 镇/乡; 区 is left out, as 社区, 山区 and 园区 end with it too). Not a name: a stem holding a word of scope
 * or a function word (全县, 各乡镇, 的超市), an everyday word ending so (超市, 城市, 集镇), and three characters that
 * cross a word of the question (党建|促|乡村 holds no 建促乡). Longer names are left to the lexicon.
 */
export function placeNames(q: string): string[] {
  const out: string[] = [];
  // (a name starts and ends where jieba's dictionary words do, HMM off, as with HMM jieba glues 市|有: 党建|促|乡村 holds no
  // 建促乡)
  const bounds = new Set([0]);
  let at = 0;
  for (const w of getJieba().cut(q, false)) bounds.add((at += w.length));
  for (const m of q.matchAll(/([\u4e00-\u9fff]{2})(县|市|州|镇|乡)(?![委级直属域内里长场镇县市])/g)) {
    const [, stem, kind] = m as unknown as [string, string, string];
    if (!bounds.has(m.index!) || !bounds.has(m.index! + 3)) continue;
    // (nor a locative or time word of the dictionary, 清理前后|州一级: 前后 frames the figure, it names no place)
    if (NOT_A_STEM.test(stem) || /^(f|t)$/.test(dictionaryTag(stem) ?? '') || isEverydayWord(`${stem[1]}${kind}`) || isEverydayWord(`${stem}${kind}`)) continue;
    out.push(`${stem}${kind}`);
  }
  return [...new Set(out)];
}

/** What a metadata question asks of a document. */
export type MetaAsk = 'docNumber' | 'issuer' | 'date';

/** The official name of each document fact (GB/T 9704-2012), for answers and refusals. */
export const META_LABEL: Record<MetaAsk, string> = { docNumber: '发文字号', issuer: '发文单位', date: '成文日期' };

/**
 * The document fact a question asks for, from the words official documents use for their 版头 and 落款
 * (GB/T 9704-2012 党政机关公文格式: 发文字号, 发文机关署名, 成文日期): “……通知的文号是什么” → docNumber, “是哪个单位
 * 印发的” → issuer, “什么时候印发的” → date. Undefined for any other question.
 */
export function readMetaAsk(q: string): MetaAsk | undefined {
  if (/文号|发文字号|发文号/.test(q)) return 'docNumber';
  if (/(?:哪个|哪家|什么|哪一?级)(?:单位|部门|机关|机构)(?:发|印发|下发|制定|出台|发布|起草)|发文(?:单位|机关)|印发单位|制发单位|(?:由|是)?谁(?:发|印发|下发|制定|出台|发布)的|落款/.test(q)) return 'issuer';
  if (/(?:什么时候|何时|哪天|哪一天|哪年|几月几[日号])(?:印发|发布|下发|发文|出台|制定|成文|发(?:的|出))|(?:印发|发文|成文|发布)(?:日期|时间)/.test(q)) return 'date';
  return undefined;
}

/** Longest question the pipeline reads (characters); the rest is cut and the answer says so. */
export const MAX_QUESTION_CHARS = 2000;

/** Everything `understand` consults. */
export interface UnderstandContext {
  lexicon: Lexicon;
  glossary: Glossary;
  documents: DocumentInfo[];
  history?: Turn[];
}

const GREETING = /^(你好|您好|hi|hello|hey|嗨|哈喽|在吗|在不在|早上好|上午好|下午好|晚上好|早安|谢谢|多谢|感谢|辛苦了)[呀啊！!。.~～？?\s]*$/i;
const HELP = /^(你(能|可以|会)(做|干|帮我做|帮我干|帮)?(什么|啥|哪些事)|你是谁|你是干什么的|怎么用|如何使用|使用说明|帮助|help|\/help|功能|有什么功能)[呢吗？?！!。\s]*$/i;
const SUMMARY = /^(?:请|帮我|麻烦|能否|可以)?(?:你)?(?:总结|归纳|概括|梳理|汇总|写(?:一份|一篇|个)?(?:总结|简报|综述|信息))/;
/**
 * A request for what a document or topic says, asked in chat words rather than with 总结: 主题党日活动安排讲了什么,
 * 介绍一下…, 说说…, 帮我写个…的简报. It is answered by a summary draft (read on the standardised question: 讲了啥 is
 * 讲了什么).
 */
const CONTENT_HEAD = /^(?:请|帮我|麻烦)?(?:你)?(?:介绍|说说|讲讲|谈谈)(?:一下)?/;
// (or the contents of a document named by its kind: …的通知主要内容是什么, 那个办法都有啥内容; 培训内容是什么 asks a section)
const CONTENT_TAIL = /(?:主要)?(?:讲|说|写)(?:了|的是|的)(?:些)?(?:什么|哪些|啥)(?:内容|东西)?(?=[？?。]*$)|(?<=(?:通知|办法|方案|细则|规定|规则|纪要|决定|条例|意见|报告|简报|要点|制度))(?:的|里)?(?:都)?(?:主要|具体)?(?:有)?(?:什么|啥|哪些)?(?:主要|具体)?内容(?:是什么|是啥|有哪些|有什么)?(?=[？?。]*$)/;
const CONTENT_ASK = new RegExp(
  `${CONTENT_HEAD.source}(?=[\\u4e00-\\u9fff“《]{2})|${CONTENT_TAIL.source}|^(?:请|帮我|麻烦)?(?:你)?写(?:一份|一篇|一个|个)?(?=.{2,30}(?:简报|总结|综述)[？?。]*$)`,
);

/** A question asking when, how often or at what time of day (几点开门). */
const WHEN = /什么时候|什么时间|何时|哪天|哪一天|哪几天|几月几[日号]|几月份|几月(?:底|初|中旬|上旬|下旬|末)|哪个月|哪一个月|几号|截止|截至|期限|时限|(?:多久|多长时间)[^，。？?]{0,12}一[次回趟]|哪年|哪一年|起始时间|开始施行|施行日期|生效|几点(?:钟|半)?(?=开|关|上班|下班|到|报到|开始|结束|前|以前|之前|出发|集合|[？?]?$)/;
/** A question asking where: 在哪, 在哪里, 在哪儿, 什么地方, 什么位置, 地址是 (a place, not a figure). */
const WHERE = /在哪|哪里|哪儿|什么地方|什么位置|地址/;

/** A question asking who: a person or a body (谁负责, 哪个单位牵头, 由哪个部门). */
const WHO = /谁|哪(?:个|家|一?级)?(?:单位|部门|机关|机构|人)|叫什么(?:名字)?|名字是什么|姓名是什么|姓什么/;
const ELLIPSIS_START = /^(那|那么|那其中|其中|另外|还有|此外|它|它们|他们|这些|这个|那个|该|上述|此|这)/;

/** An article named in `text` (“第18条”, “第十八条”), normalised to Chinese numerals; undefined when none. */
export function articleOf(text: string): string | undefined {
  return articlesOf(text)[0];
}

/** Every article number in `text`, normalised and each once (“第4条和第五条” → [第四条, 第五条]). */
export function articlesOf(text: string): string[] {
  return [...new Set([...text.matchAll(/第\s*[0-9零〇一二两三四五六七八九十百千]{1,5}\s*条/g)].map((m) => articleNumber(m[0])).filter((a): a is string => !!a))];
}

/** The request words of a summary request removed: “请总结海西州党员教育的做法” → “海西州党员教育的做法”. */
export function summaryTopic(text: string): string {
  // (not read in standard words: a title's 好几种 is its own wording)
  return text
    .replace(/^[\s/]*(summary|总结)\s+/i, '')
    // a request put after the topic (…，简单说说; …总结一下) before the chat words it follows (…讲了些啥)
    .replace(TRAILING_REQUEST, '')
    .replace(SUMMARY, '')
    // the chat words of a content request (介绍一下, 说说, …讲了什么; see CONTENT_ASK)
    .replace(CONTENT_HEAD, '')
    .replace(CONTENT_TAIL, '')
    .replace(/^(一下|下)/, '')
    .replace(/[。？?！!]+$/, '')
    .trim();
}

/** Words that end a noun phrase after 多少/几 + measure word (a modal verb opens what a threshold leads to: 超过多少|要|理事会研究). */
const NP_STOP = /^(的|了|呢|吗|呀|啊|吧|？|\?|，|,|。|；|、|是|有|在|到|被|把|给|和|与|及|或|还是|以上|以下|左右|要|须|需要|应当|得|才)$/;

/**
 * The noun phrase right after a measure word: “多少份|党建责任清单？” → 党建责任清单 (`unknownAsNoun`: a word jieba does
 * not know, tagged x, counts as a noun).
 */
function nounPhrase(after: string, unknownAsNoun = false): { noun?: string; head?: string } {
  // (with `unknownAsNoun`, a word jieba's dictionary lacks, 县直部门 found by its HMM and tagged x, is a noun when it is
  // of Chinese characters: the thing a list asks for after 哪几个)
  const words = getJieba().tag(after.split(/[，。？！?!,;；：:“”"]/)[0]!, true).map((w) => (unknownAsNoun && w.tag === 'x' && /^[\u4e00-\u9fff]{2,}$/.test(w.word) ? { ...w, tag: 'n' } : w));
  const kept: string[] = [];
  const keptTags: string[] = [];
  // 和/与/及 between two nouns joins them into one phrase (几个人才超市和专家工作室: both are counted by one figure)
  const joins = (k: number) => /^(和|与|及|以及)$/.test(words[k]?.word ?? '') && /^n/.test(words[k + 1]?.tag ?? '');
  for (const [i, w] of words.entries()) {
    if (kept.length > 0 && joins(i)) {
      kept.push(w.word);
      keptTags.push(w.tag);
      continue;
    }
    // a place word that 的 makes a modifier (几个|县里的|党校, 多少个|村上的|党员) is not the counted noun: the noun after 的
    // is (几个乡镇的党委书记 still counts 乡镇)
    // nor is a relative clause without a noun (几个|接班的|后备干部, 多少名|新入党的|党员): the noun after 的 is counted
    const clause = keptTags.length > 0 && keptTags.every((t) => /^(v|a|d)/.test(t) && t !== 'vn');
    if (kept.length > 0 && w.word === '的' && (/[里上中内]$/.test(kept.join('')) || clause) && /^n/.test(words[i + 1]?.tag ?? '') && (words[i + 1]?.word.length ?? 0) >= 2) {
      kept.length = 0;
      keptTags.length = 0;
      continue;
    }
    // (a place pronoun modifying the noun opens the phrase: 本地|讲师, 当地|干部; a demonstrative does not)
    const modifier = kept.length === 0 && w.tag === 'r' && w.word.length >= 2 && /^n/.test(words[i + 1]?.tag ?? '') && /^(本地|当地|本土|外地|异地)$/.test(w.word);
    if (!modifier && (NP_STOP.test(w.word) || /^(x|y|u|r|p|c|d|m)/.test(w.tag))) break;
    // a word other than a noun before an aspect particle is a verb whatever jieba tags it (大学生|当了村支书: 当 is
    // tagged t, and so is 当上 in 大学生当上了村支书)
    if (kept.length > 0 && (w.word.length === 1 || !/^n/.test(w.tag)) && /^(了|过|着)$/.test(words[i + 1]?.word ?? '')) break;
    // (a “verb” before 和 and a noun is a noun jieba tags wrongly: 人才|超市 is tagged v)
    if (w.tag.startsWith('v') && w.tag !== 'vn' && kept.length > 0 && !/^(zg|ng)$/.test(words[i + 1]?.tag ?? '') && !joins(i + 1)) break;
    // a verb of judgement right after the measure word (多少分|算优秀, 几分|评为) is a rule's threshold, it counts nothing;
    // so is 才 (多少分|才能评上: 才能 is “only then can”, not the noun “talent”)
    if (kept.length === 0 && (/^(算|算是|评为|定为|视为|认定为)$/.test(w.word) || /^才/.test(w.word))) break;
    // nor is a modal verb there (几天|能办完, 多少人|要参加): it opens the predicate the amount measures
    if (kept.length === 0 && MODAL.test(w.word)) break;
    kept.push(w.word);
    keptTags.push(w.tag);
    if (kept.join('').length >= 10) break;
  }
  const noun = kept.join('');
  if (!noun || noun.length < 1) return {};
  const head = [...kept].reverse().find((w) => w.length >= 2) ?? noun;
  return { noun, head: noun.length <= 3 ? noun : head };
}

/** The noun phrase before a verb of amount: “年度人才资金|增至多少”, “大专以上学历|占比多少”, “考核事项|以前有多少项”. */
function nounBeforeAmount(before: string): { noun?: string; head?: string; others?: string[]; qualifier?: string } {
  const clauses = before.split(/[，。？！?!,;；：:]/);
  const clause = clauses.at(-1)!.replace(/(各|都|分别|各自)(?=(占|是|为|有))/, '');
  // “日常考核、述职评议和民主测评各占多少”: several nouns, each asked
  // (及以上, 及以下 close one noun: 大专及以上学历 is one level of schooling, not 大专 and 以上学历)
  const listed = clause.replace(/(占比|占|是|为|有)$/, '').split(/[、和与]|及(?!以[上下])/).filter((x) => x.length >= 2);
  if (listed.length >= 2) {
    const first = nounBeforeAmount(listed.at(-1)! + '占');
    const others = listed.slice(0, -1).map((x) => x.replace(/^.*[中里的]/, '')).filter((x) => x.length >= 2);
    if (first.noun) return { ...first, others };
  }
  // (a bound asked right after the noun, 现金最多多少 or 人数至少多少, closes it as a verb does)
  const m = /([\u4e00-\u9fff“”A-Za-z]{2,14}?)(?:以前|之前|过去|原来|现在|目前|如今|今年|去年)?(?:一共|总共|共|累计)?(?:增至|增加到|增加了|达到|达|攒到|攒够|攒满|凑够|凑到|提升至|提高到|提高了|占比|占到|占了|占|是|为|有|剩|剩下|减少到|压减到|精简到|拿|能拿|能领|领|最多|顶多|最高|最少|至少|起码|最低)$/.exec(clause);
  if (!m) return {};
  // (“分红里面脱贫户”: 里面 is one word; a comparison, 比上届 or 较去年同期, measures the noun, it is not part of it)
  let noun = m[1]!
    .replace(/[“”]/g, '')
    // (the whole a share is taken of, said after the noun, 考核结果|在科室年度考核里|占多大比重, is no part of it)
    .replace(/(?<=[\u4e00-\u9fff]{2})在[\u4e00-\u9fff]{2,12}?(?:里面|里头|当中|之中|里|中)(?=占?$)/, '')
    .replace(/^.+?(?:里面|里头|当中|之中|[中里内])(?=[\u4e00-\u9fff]{2})/, '')
    .replace(/^(其中|那么|那|另外|还有)/, '')
    // (a time the question sets, 换届以后 or 培训期间, is not part of the noun)
    .replace(/^[\u4e00-\u9fff]{1,6}?(?:以后|之后|以来|期间)(?=[\u4e00-\u9fff]{2})/, '')
    // (and a point of time before it, 到2027年底 or 年底, whose year the character class left out)
    .replace(/^(?:年底|年末|年初|年中|年内|月底|底前|底)(?:前|时)?(?=[\u4e00-\u9fff]{2})/, '')
    .replace(COMPARISON, '')
    // (a period inside the phrase, 村支书|一年|报酬, is the rate's period, no part of the noun: 年均报酬 states it)
    .replace(/(?<=[\u4e00-\u9fff]{2})(?:一年|每年|每月|一个月|一季度|每季度)(?=[\u4e00-\u9fff]{2})/, '')
    .replace(/(以前|之前|过去|原来|现在|目前|如今|一年|每年|每月|一个月|能|可以|要|平均下来|平均)+$/, '')
    // (a time said after the noun by an event, 满意度|整顿前, 出勤率|整改后, is not part of it)
    .replace(/(?<=[\u4e00-\u9fff]{2})[\u4e00-\u9fff]{2}[以之]?[前后]$/, '');
  // (a clause that names only the time of an event, 精简前|是多少项 or 整改后|剩几个, comments on the topic of the clause
  // before it: 督查检查考核事项，精简前是多少项 counts 事项)
  if (/^[\u4e00-\u9fff]{1,3}[以之]?[前后]$/.test(noun)) {
    const topic = trailingNoun(clauses.at(-2) ?? '');
    if (topic.noun) return topic;
  }
  // “担任村党支部书记的有多少名”: a relative clause without its noun counts nothing of its own
  if (noun.endsWith('的')) return {};
  // (a noun phrase before 的, 实地考核|的事项, says which of the noun's figures is asked: its qualifier)
  const modifier = noun.includes('的') ? noun.slice(0, noun.lastIndexOf('的')) : '';
  const qualifier = modifier.length >= 2 && modifier.length <= 8 && getJieba().tag(modifier, true).every((w) => /^(n|vn|l)/.test(w.tag) && w.tag !== 'nr') ? modifier : undefined;
  if (noun.includes('的')) noun = noun.slice(noun.lastIndexOf('的') + 1);
  // (a demonstrative with a word for a part after the noun, 群众代表|那部分 or 工资|这一块, points back at the noun: it is
  // that noun's share or amount that is asked)
  noun = trimNonNominal(noun).replace(/(?<=[\u4e00-\u9fff]{2})[这那]一?(?:部分|块|方面)$/, '');
  // (an amount and its measure word, 一次 of 一次顶多能拿多少, say how often, not what: no noun)
  // (nor does a locative alone, 前后|各是多少件: before and after, of the noun the question named)
  if (noun.length < 2 || getJieba().tag(noun, true).every((w) => /^(m|q|mq|d|r|t|f)/.test(w.tag))) return {};
  const words = getJieba().cut(noun, true).filter((w) => w.length >= 2);
  return { noun, head: words.at(-1) ?? noun, ...(qualifier ? { qualifier } : {}) };
}

/**
 * The noun phrase closing `before` (各乡镇一共|发展党员 → 发展党员): its last words back to the first that is neither a
 * noun (jieba n*, vn, or l: 发展党员 is tagged a fixed phrase) nor a verb of two characters or more standing right
 * before one (发展|党员). Empty when it ends in no noun (a verbal noun ends it only when `verbalLast`: 基本|服务 is listed,
 * 全县要|储备 counts nothing).
 */
function trailingNoun(before: string, verbalLast = false): { noun?: string; head?: string } {
  // (a period after the noun, 学费|一年|多少钱, is the rate's period, as in `nounBeforeAmount`: the noun stands before it)
  const clause = before.split(/[，。？！?!,;；：:]/).pop()!.replace(/(?<=[\u4e00-\u9fff]{2})(?:一年|每年|每月|一个月|每季度|一学年|每学年|一学期|每学期)$/, '');
  const words = getJieba().tag(clause, true);
  const kept: string[] = [];
  for (let i = words.length - 1; i >= 0; i--) {
    const w = words[i]!;
    // (the last word must be a noun: 全县要|储备 is a verb whatever jieba tags it, vn)
    // (a pronoun jieba tags a noun, 给人家|多少钱, names no one counted)
    // (a verb right after 的 is nominal by its place, 引起的|信访: jieba tags 信访 v)
    const afterDe = kept.length === 0 && words[i - 1]?.word === '的' && /^v/.test(w.tag) && w.word.length >= 2 && !LIGHT_VERBS.test(w.word);
    const nominal = afterDe || ((kept.length || verbalLast ? /^(n|vn|l)/ : /^(n|l)/).test(w.tag) && w.tag !== 'nr' && !/^(各|全|每)/.test(w.word) && !NOMINAL_PRONOUN.test(w.word));
    if (nominal || (kept.length > 0 && w.tag === 'v' && w.word.length >= 2 && !LIGHT_VERBS.test(w.word))) kept.unshift(w.word);
    else break;
  }
  const noun = kept.join('');
  return noun.length >= 2 ? { noun, head: kept.filter((w) => w.length >= 2).at(-1) ?? noun } : {};
}

/** Nouns that name a measure, not a thing counted (比例, 人数, 总数): the thing measured stands elsewhere. */
const MEASURE_NOUN = /^(比例|比重|占比|百分比|数量|人数|数目|总数|个数)$/;

/** Pronouns that jieba's dictionary tags as nouns (人家, 大家; xiandai hanyu cidian: 人家 rénjia 代词). */
const NOMINAL_PRONOUN = /^(?:人家|大家|别人|他人|旁人|对方)$/;

/** Modal verbs and adverbs of amount between a fronted object and its verb (讲解员|最少|得|配): they name nothing counted. */
const BEFORE_VERB = /^(?:要|得|需|须|需要|必须|应|应当|应该|能|可以|最少|至少|起码|最起码|最多|顶多|至多|一共|总共|共|还|都|一般|每年|一年)$/;

/**
 * The object a question fronts as its topic before a modal and a verb, asking its amount after them (讲解员|得配|几个,
 * 联络员|要|选派|几名): the noun run (jieba n*, not a place, not opened by 每/各) before one verb — a verb alone or glued
 * by jieba's HMM to its modal (得配, 要配: see `gluedModal`) — and the modals and adverbs of `BEFORE_VERB`. Empty when the words
 * before the amount are not of that shape (Chinese topic-comment order: the topic is the verb's object).
 */
function frontedObject(tagged: { word: string; tag: string }[]): { noun?: string; head?: string } {
  let i = tagged.length - 1;
  // (an aspect particle after the verb, 人才公寓|建|了|多少套, leaves the verb and its object as they are)
  // (…and so does one jieba's HMM glued to a one-character verb, 示范点|建了, tagged x)
  if (i >= 1 && /^(?:了|过)$/.test(tagged[i]!.word)) i--;
  const last = tagged[i];
  const verb = last && last.tag === 'x' && /^[\u4e00-\u9fff][了过]$/.test(last.word) ? { word: last.word[0]!, tag: 'v' } : last;
  if (!verb || !(/^v/.test(verb.tag) || gluedModal(verb)) || LIGHT_VERBS.test(verb.word)) return {};
  i--;
  while (i >= 0 && BEFORE_VERB.test(tagged[i]!.word)) i--;
  const kept: string[] = [];
  for (; i >= 0; i--) {
    const w = tagged[i]!;
    if (!/^(n|nz|l)/.test(w.tag) || /^(nr|ns)$/.test(w.tag) || /^(各|全|每)/.test(w.word)) break;
    kept.unshift(w.word);
  }
  const noun = kept.join('');
  // (a body or a place before the verb, 乡镇一年要培训几个, 每个支部要发展几名, is the agent acting, not the object)
  if (noun.length < 2 || ACTING_BODY.test(noun) || /^(每|各)/.test(tagged[i]?.word ?? '')) return {};
  return { noun, head: kept.filter((w) => w.length >= 2).at(-1) ?? noun };
}

/**
 * Bodies and levels that act (乡镇, 支部, 党委, 组织部, 单位): before a verb they are its agent, not an object counted.
 * (区 is not among them: a district is a place name, jieba ns, which ends the noun run before this test, while 责任区,
 * 示范区 and 园区 are things built or marked out.)
 */
const ACTING_BODY = /(?:党委|党工委|支部|党组织|总支|单位|部门|乡镇|街道|社区|[村县镇乡州市]|组织部|政府|委员会)$/;

/**
 * A counted noun without the words after it that are not nominal: time words, adverbs, numerals and pronouns
 * and a one-character verb (“村支书一年大概|能拿多少钱” → 村支书, “培训班办|了几期” → 培训班). jieba tags t, d, m, q, r, p, c, u, v.
 */
function trimNonNominal(noun: string): string {
  const words = getJieba().tag(noun, true);
  // (a one-character measure word right after a noun is part of a compound noun: 基础|分 is the base score of a 先锋指数,
  // not a noun and its measure; see `measureClosesNoun`)
  while (words.length > 1 && !measureClosesNoun(words, words.length - 1) && (/^(t|d|m|q|r|mq|p|c|u)/.test(words.at(-1)!.tag) || (words.at(-1)!.word.length === 1 && words.at(-1)!.tag.startsWith('v')))) words.pop();
  return words.map((w) => w.word).join('');
}

/**
 * `q` with a verb-object word split by its amount asked joined again (离合词: 分了多少红 → 分红了多少, 请几回假 → 请假几回),
 * when jieba's dictionary has the pair as a verb and the object is no measure word (分多少钱 stays: 钱 is what is
 * counted). Chinese separates such a word to count it; the question asks the amount of the whole word.
 */
export function joinSplitVerb(q: string): string {
  return q.replace(/([\u4e00-\u9fff])(了?)(多少|几)([\u4e00-\u9fff])(?=[？?。！!，,]|$)/g, (m, v: string, le: string, ask: string, o: string) =>
    o !== '钱' && !leadingUnit(o) && /^v/.test(dictionaryEntry(v + o)?.tag ?? '') ? `${v}${o}${le}${ask}` : m,
  );
}

/**
 * `q` with a verb-object word split by an aspect particle joined again (离合词: 摘了牌 → 摘牌了, 请过假 → 请假过), when
 * jieba's dictionary has the pair as a verb and the object closes the clause (or 的/后 follows it): the document writes
 * the word whole (予以摘牌), and BM25 and the vector side see only whole words.
 */
export function joinAspectSplitVerb(q: string): string {
  return q.replace(/([\u4e00-\u9fff])(了|过)([\u4e00-\u9fff])(?=[，,。？?！!、；;\s]|的|后|以后|之后|$)/g, (m, v: string, asp: string, o: string) =>
    /^v/.test(dictionaryEntry(v + o)?.tag ?? '') ? `${v}${o}${asp}` : m,
  );
}

/** The words of a floor asked (最少, 至少, 起码, 不能少于): a bound the question asks for, from below. */
const FLOOR_ASKED = /最少|至少|起码|最低|最短|下限|不少于|不低于|不(?:能|得|可|准)(?:少于|低于)/;
/** The words of a ceiling asked (最多, 最长, 上限, 不得超过): a bound the question asks for, from above. */
const CEILING_ASKED = /最多|顶多|最高|最长|上限|不超过|不(?:能|得|可|准)(?:超过|多于|高于)/;

/** Reads the figure a question asks for, or undefined when it asks for none. */
export function readFigureAsk(asked: string): FigureAsk | undefined {
  const q = joinSplitVerb(asked);
  // a telephone number, a post code or an address is a field to read (受理电话：8806177), not a quantity
  if (/(?:电话|号码|手机|传真|邮编|邮箱|地址|网址)(?:号)?(?:是|为)?(?:多少|几)/.test(q)) return undefined;
  // a bound (最多, 至少) or a rule's threshold (达到多少名就应当……) is asked, not a count
  // (a target — 要/应当/计划 — is stated as a bound too: “全县要储备多少人” ← “储备……不少于256名”)
  // a threshold (多少人以上的村, 多少……就要, 缺课多少要补训, 外出多久要, 多少分算优秀) is answered by a rule's condition (“3人以上的”, “6个月以上的”,
  // “90分以上为优秀”)
  // an age that qualifies people (多大年纪的党员可以……, 几岁以上要……) is a rule's threshold as well, and so is a
  // period served (干满几年能考, 任职满几年可以)
  let threshold = /(多大年纪|多大岁数|多少岁|几岁).{0,12}(的|可以|能|要|应当|须|就|才)|(多大年纪|多大岁数)(以上|以下)|(多少|几).{0,3}(以上|以下)|(多少|几).{0,8}(就|才|即)(应当|要|能|可以|需要|须|得)|(多久|多长时间).{0,8}(就|才|即)?(应当|要|能|可以|需要|须)|(满|达到|超过|攒到|攒够|攒满|凑够|凑到)(多少|几).{0,8}(能|可以|才|就|要|方可)|(多少|几)[^，。？?]{0,2}(算|算是|评为|定为|视为|认定为)|(多少|几)[个名次天学时分项条]{0,2}(要|得|须|需要)(?=[\u4e00-\u9fff]{2})/.test(q);
  // what a grade or a right requires, asked with no verb (五星要多少分, 入党须几岁), is a threshold too (“95分以上的为五星”)
  // (not after a time word: 以前要几天 asks how long it took then, a figure on one side of a change)
  threshold ||= /[\u4e00-\u9fff](?:要|需要|须)(?:多少|几)[个名分岁周岁年天]{0,2}[？?]?$/.test(q) && !/(?:以前|之前|原来|过去|现在|如今|目前|后来|以后)(?:要|需要|须)(?:多少|几)/.test(q);
  // (多久要整改完 asks for a time limit to finish within, not a rule's condition: a limit stated as 限期1个月 answers it)
  if (threshold && /(?:多久|多长时间)[^，。？?]{0,8}(?:要|须|需要|应当)[^，。？?]{0,6}(?:完|完成|办结|结束|到位)/.test(q)) threshold = false;
  // (…and so does 多久 counted from an event, 被召回以后多久要重新派人: a limit stated as 在1个月内 answers it)
  if (threshold && /(?:以后|之后|后)(?:多久|多长时间)/.test(q)) threshold = false;
  const bound = threshold || FLOOR_ASKED.test(q) || CEILING_ASKED.test(q) || /(要|应当|应|须|需要|计划|目标是?)[\u4e00-\u9fff]{0,6}(多少|几)/.test(q);
  const f0 = readFigure(q);
  const f = f0 && { ...f0, asked: q.replace(/\s+/g, '') };
  // (which way: 最少/至少/起码 ask a floor, 最多/最长/上限 a ceiling; a threshold's direction is the rule's, not asked)
  const limit: Limit | undefined = threshold ? undefined : FLOOR_ASKED.test(q) ? 'min' : CEILING_ASKED.test(q) || /封顶/.test(q) ? 'max' : undefined;
  return f && bound ? { ...f, bound, ...(limit ? { limit } : {}), ...(threshold ? { threshold } : {}) } : f;
}

/** People in general (当地人, 群众): any figure counting people answers, whatever noun it names (周边农牧民96名). */
const GENERIC_PEOPLE = /^(人|人员|当地人|本地人|老百姓|百姓|群众|人们|大家)$/;

/** Verbs of giving or paying an amount (资助, 补贴, 奖励, 救助, 慰问, 发放, 报销): the amount follows them in the text. */
const GIVING = /^(资助|补助|补贴|奖励|救助|慰问|发放|报销|支付|拨付|补偿|扶持|帮扶|奖补)$/;

/**
 * Words of money in a question: the amount asked is a sum (元, 万元); a loan (贷, 能贷多少) and its interest are sums too,
 * and so is a fund or an allowance given (帮扶基金, 临时救助, 奖补), and what one pays out of pocket (掏: 自己还得掏多少;
 * xiandai hanyu cidian: 掏 ‹口› 掏钱).
 */
const MONEY = /钱|资金|经费|报酬|工资|收入|补贴|补助|奖补|奖金|奖励金|资助|救助金?|基金(?!会)|投入|分红|红利|贷|利息|贴息|掏/;
/** A sum of money named by its purpose: 慰问金, 抚恤金, 补助金, 保证金 (a noun closed by 金), or a `MONEY` word. */
const isMoney = (w: string) => MONEY.test(w) || (/^[\u4e00-\u9fff]{1,3}金$/.test(w) && !/^(黄金|现金流|基金会)$/.test(w));

/**
 * One use, one head or one piece an amount is asked for (坐一趟, 每次, 一个人, 每户, 一盆卖多少钱): the amount is a rate or a
 * price (see `FigureAsk.perUse`); the pieces are common measure words (量词) of goods and services.
 */
const PER_USE = /[每一](?:趟|次(?!性)|回|张|人|个人|户|份|场|位|盆|斤|公斤|件|瓶|袋|箱|本|套|台|辆|间|亩|头|只|棵|株|桌|晚)/;

/**
 * An average asked per unit (平均每个村, 每户平均 as the glossary's `PER_EACH` reads them, or 人均, 村均): the amount is a
 * rate (see `FigureAsk.perUse`).
 */
const AVERAGE_PER = new RegExp(`${PER_EACH.source}|[人户村]均`);

/**
 * Things counted by the measure word 块 (a board or sign, a screen, a plot of land; xiandai hanyu cidian 块 ②): 多少块 of
 * them is no sum of money. Words, not single characters that many words hold (地 of 各地, 表 of 代表).
 */
const PIECE_NOUN = /牌|匾|展板|屏幕|显示屏|石碑|宣传栏|公示栏|土地|耕地|农田|菜地/;

/** Verbs that say nothing about what a 次 counts (开展几次, 召开几次): the thing is named elsewhere. */
const LIGHT_VERBS = /^(开展|召开|举办|举行|进行|组织|参加|开|办|搞|做|弄|去|来|有|是|要|能|会|得)$/;

/** A verb of going or taking part, the last word before a count of people (去了, 来了, 参加, 到场; not 加起来): 多少人 counts who did. */
const ATTENDED = /^(?:去|来|到|参加|参与|出席|到场|报名)了?$/;

function readFigure(q: string): FigureAsk | undefined {
  // a duration or a waiting time: 外出多久, 多长时间内 (多久一次 asks for a period: a when-question)
  if (/多久|多长时间/.test(q)) return { cls: 'time' };
  // an area: 多大面积, 面积有多大, 面积最少要多大, 多少平米 (平方米, 亩 and 公顷 answer it, a count of 套 or 间 does not)
  if (/多大面积|面积[^，。？?、]{0,6}?(?:多大|多少)|多少平(?:方米?|米)|多少亩/.test(q)) return { unit: /亩/.test(q) ? '亩' : '平方米', cls: 'count' };
  // an age: 多大年纪, 几岁, 年龄多大
  if (/多大年纪|多大岁数|多少岁|几岁|年龄(?:是|有)?(?:多大|多少)|岁数(?:是|有)?(?:多大|多少)/.test(q)) return { unit: '岁', cls: 'age' };
  // 哪几项/哪几个 asks for the items, not their number
  const m = /(?<!哪)(多少|几)(.{0,12})/.exec(q);
  if (m) {
    // (quotation marks are orthography: 多少个“红色物业”示范点 counts 红色物业示范点)
    // (几个人才能设… is 几个人|才能: jieba reads the noun 人才, talent, which no question of a threshold counts)
    // (几块钱 is 几元 in speech: 块 is the colloquial 元)
    // (多少块 is 多少元 in speech, unless a thing counted by 块 is named and no money is: 牌子…从多少块降到了几块)
    const piecesOf = /^块(?![\u4e00-\u9fff钱])/.test(m[2]!) && !MONEY.test(q) && PIECE_NOUN.test(q.slice(0, m.index));
    // (几个小时 counts hours, as 几小时 does: 个 is the measure word of the unit, not of a thing; 几个钟头 is read below)
    const rest = m[2]!.replace(/[“”"]/g, '').replace(/^个(?=小时)/, '').replace(/^(个?)人才(?=能|可以|可|会|行|够)/, '$1人，').replace(piecesOf ? /^$/ : /^块钱?(?![\u4e00-\u9fff])/, '元');
    // (a measure word is not the first character of a word: 多少|本地讲师 counts 讲师, not 本, 多少|周边农牧民 no 周; 个 is left alone, as
    // 几个人 is read 几个|人 whatever jieba makes of 个人)
    const first = getJieba().tag(rest, true)[0];
    const read = rest.startsWith('钱') ? '钱' : leadingUnit(rest);
    const unit = read && read !== '个' && first && first.word.length > read.length && first.word.startsWith(read) && /^(n|r|s|f)/.test(first.tag) && !/数$/.test(first.word) && !leadingUnit(first.word.slice(read.length)) && !/^(?:内|以内|之内)$/.test(first.word.slice(read.length)) ? undefined : read;
    // (几天内, 多少日以内: “within” closes the amount, it is no part of a noun)
    const afterUnit = (unit && unit !== '钱' ? rest.slice(unit.length) : rest.startsWith('钱') ? '' : rest).replace(unit && unitClass(unit) === 'time' ? /^(?:以内|之内|内)/ : /^$/, '');
    // (what stands before the amount, and jieba's tagging of it, read once for the rules below that look there)
    const before = q.slice(0, m.index);
    let tagged: { word: string; tag: string }[] | undefined;
    const taggedBefore = () => (tagged ??= getJieba().tag(before, true));
    const nothingAfter = !afterUnit.replace(/[？?。！!呢吗啊呀]/g, '');
    let np: { noun?: string; head?: string; others?: string[]; action?: boolean; qualifier?: string } = unit === '钱' ? {} : nounPhrase(afterUnit);
    // 多少比例, 多少人数: the word after 多少 names the measure, the thing measured stands before
    if (np.noun && MEASURE_NOUN.test(np.noun)) np = {};
    // “材料要留存几年”, “要公示几天”: a length of time asked right after a verb measures that verb's action (“保存期限不少于10年”),
    // not the thing it acts on
    if (!np.noun && nothingAfter && unit && unitClass(unit) === 'time') {
      // (a bound's words, 公开时间不能少于几天, are no action: the noun before them is what is measured)
      const bounded = /(?:不能|不得|不可|不准|不|最多|最少|至少)?(?:少于|低于|超过|多于|高于|达到)$/.exec(before);
      const last = taggedBefore().at(-1);
      if (bounded) np = trailingNoun(before.slice(0, bounded.index));
      else if (last && last.word.length >= 2 && last.tag === 'v' && !LIGHT_VERBS.test(last.word)) np = { noun: last.word, head: last.word, action: true };
    }
    // people counted after a verb of going or taking part (现场观摩|去了多少人, 培训班|参加了几个人): the noun before is
    // the event they attended, not what is counted (“150余人参与的现场观摩”)
    if (!np.noun && nothingAfter && unit && isPeopleUnit(unit) && ATTENDED.test(taggedBefore().map((w) => w.word).filter((w) => !/^(?:了|有|共|一共|总共)$/.test(w)).at(-1) ?? '')) return { unit, cls: 'count', asked: q };
    if (!np.noun) {
      // a share bounded or stated (女性成员比例不低于多少, 一肩挑的比例是多少) is the share of the noun before 比例
      const share = /^(.+?)的?(?:比例|比重|占比|百分比)(?:要|应|应当|须|必须|能|可以)?(?:不能|不得|不应)?(?:不低于|不少于|不超过|不高于|低于|高于|超过|达到|达|为|是|有)?$/.exec(before);
      np = nounBeforeAmount(share ? `${share[1]}占` : before);
      // (…and so does it before a bound asked, 评优秀的比例|最多多少: the share has no noun of its own there)
      if (np.noun && MEASURE_NOUN.test(np.noun)) np = {};
      if (share && np.noun && !unit) return { unit: '%', cls: 'percent', noun: np.noun, head: np.head, alternatives: np.others, asked: q };
    }
    // nothing after the amount (各乡镇一共发展党员多少名): the nouns right before 多少 are counted
    if (!np.noun && nothingAfter) np = trailingNoun(before);
    // (…and before a verb of change or difference, 彩礼|降了多少, 彩礼平均下来前后|差了多少, 收入|相差多少: the noun that
    // changed, past the words that frame the comparison)
    const changed = nothingAfter ? CHANGE_ASK_TAIL.exec(before) : null;
    if (!np.noun && changed) np = trailingNoun(changed[1]!);
    // “讲解员得配几个”, “联络员要选派几名”: with nothing after the amount, the noun before a modal and its verb is the object
    // fronted as the topic, and it is what is counted (a verbal measure word counts the action instead, below)
    // (only a count in a measure word of things or people: 记录本得留几年 measures the keeping, 报酬上浮多少 the change)
    if (!np.noun && nothingAfter && unit && unitClass(unit) === 'count' && !VERBAL_UNITS.test(unit)) np = frontedObject(taggedBefore());
    // “一年考核几次”: a verbal measure word counts the action before it
    if (!np.noun && unit && VERBAL_UNITS.test(unit)) {
      const last = taggedBefore().at(-1);
      if (last && last.word.length >= 2 && /^v/.test(last.tag) && !LIGHT_VERBS.test(last.word)) np = { noun: last.word, head: last.word };
    }
    // “一年资助多少”, “能救助多少”: with no noun, the verb of giving right before the amount is what the figure follows
    // in the text (每人每年资助3000元)
    if (!np.noun && !unit) {
      const last = taggedBefore().at(-1);
      if (last && last.word.length >= 2 && /^(v|vn|n)$/.test(last.tag) && !LIGHT_VERBS.test(last.word) && GIVING.test(last.word)) np = { noun: last.word, head: last.word };
    }
    // “有没有慰问金，给多少”: an amount given (给, 发, 交) with nothing after it, where the question named a sum of money, is
    // that money's amount (每人发放慰问金500元)
    if (!np.noun && !unit && nothingAfter && /(?:给|发|交|拿|领|补|付|出|奖|发放)$/.test(before)) {
      // (or a relief or subsidy given, 申请临时救助，一次能拿多少: jieba tags 救助 vn)
      const money = taggedBefore().filter((w) => (/^n/.test(w.tag) || (w.tag === 'vn' && GIVING.test(w.word))) && isMoney(w.word)).at(-1);
      if (money) np = { noun: money.word, head: money.word };
    }
    // “门票收了多少钱”, “党费交了多少钱”: a sum asked after a one-character verb of taking or paying is a sum of the noun
    // before that verb (门票收入530万元 answers it, 收入530余万元 does not)
    if (!np.noun && nothingAfter && unit === '钱') {
      const paid = /^(.*?[\u4e00-\u9fff]{2})(?:收|交|缴|花|挣|赚|卖|付)了?$/.exec(before);
      if (paid) np = trailingNoun(paid[1]!);
    }
    // “招了多少个当地人”: people in general are counted by any figure of people
    if (np.noun && GENERIC_PEOPLE.test(np.noun)) {
      const people = !unit || unit === '个' || unit === '位' ? '人' : unit;
      // (a place said with a locative, 村里|有多少人, is where they are, no body they make up)
      const topic = (t: { noun?: string; head?: string }) => (t.noun && !/(?:里|上|内|中|这边|那边)$/.test(t.noun) ? t : {});
      // …unless they make up a body named before (选举委员会由几个人组成): its members are counted (由5至7人组成)
      // (…and so are they of a body named as the topic right before the count, 评委|一共几个人 or 小组|有几个人)
      const body = /由$/.test(before) && /^[个名位]?人(?:组成|构成)/.test(rest)
        ? trailingNoun(before.slice(0, -1))
        : /^[个名位]?人[？?。！!呢吗啊呀]*$/.test(afterUnit) ? topic(trailingNoun(before.replace(/(?:一共|总共|共|合计)?(?:有|是)?$/, ''))) : {};
      return { unit: people, cls: 'count', ...(body.noun ? { noun: body.noun, head: body.head } : {}) };
    }
    // a change (上浮, 增长多少) is a percentage unless a measure word says otherwise (涨了多少 is one only when no money is
    // named: 收入跟2024年比涨了多少 asks the sums before and after)
    const cls: UnitClass = unit
      ? (unitClass(unit) ?? 'count')
      : /占比|比例|比重|百分之|百分比|率|(?:满意|知晓|认可|参与|信任)度|占(?:到|了)?(?:多少|几)|(上浮|下浮|上涨|增长|下降|提高|降低)(了)?(多少|几)/.test(q) || (/涨了?(?:多少|几)/.test(q) && !MONEY.test(q))
        ? 'percent'
        : MONEY.test(q) || (np.noun && isMoney(np.noun))
          ? 'money'
          : // (a noun that is a length of time, 志愿时长攒到多少, is measured in hours or days)
            np.noun && DURATION_NOUN.test(np.noun)
            ? 'time'
            : 'count';
    // (a place opening the counted noun, 海西州|新业态企业, is the count's scope, not a kind of the noun)
    const place = np.noun ? placeNames(np.noun).find((p) => np.noun!.startsWith(p) && np.noun!.length >= p.length + 2) : undefined;
    if (place) np = { ...np, noun: np.noun!.slice(place.length) };
    const total = /一共|总共|共有|总数|合计|总计|总共有|加起来|加在一起|总和/.test(q);
    // (a noun closed by 总数/总量, 党员总数, asks the total of the noun: 共有党员1847名)
    const whole = np.noun?.replace(/(?:总数|总量|总额|合计|总计)$/, '');
    if (whole && whole !== np.noun && whole.length >= 2) np = { ...np, noun: whole, head: np.head && whole.includes(np.head) ? np.head : (getJieba().cut(whole, true).filter((w) => w.length >= 2).at(-1) ?? whole) };
    // (money asked per use or per head, 坐一趟收多少钱 or 每人发多少钱, is a rate: not 一次性, a one-off payment)
    // (…and so is any amount asked as an average per unit, 平均每个村: 村均突破20万元 answers, a total does not)
    const perUse = (cls === 'money' && PER_USE.test(q)) || AVERAGE_PER.test(q);
    return { unit, cls, noun: np.noun, head: np.head, alternatives: np.others, ...(np.qualifier && np.noun ? { qualifier: np.qualifier } : {}), ...(np.action ? { action: true } : {}), ...(unit ? {} : { anyClass: true }), ...(total ? { total } : {}), ...(perUse ? { perUse } : {}) };
  }
  if (/占比|比例|比重|覆盖率|百分之/.test(q)) {
    // (the share of a noun said after it, 谈到多大比例的党员: that noun; the words asking the share, 多大/多高/什么, are no noun)
    const of = /(?:比例|比重|占比)的([\u4e00-\u9fff]{2,8}?)(?:[？?，。！!]|$)/.exec(q)?.[1];
    const np: { noun?: string; head?: string; others?: string[] } = of ? nounPhrase(of) : nounBeforeAmount(q.replace(/的?(?:多大|多高|多少|什么|啥)?的?(占比|比例|比重|覆盖率).*$/, '占比'));
    return { unit: '%', cls: 'percent', noun: np.noun, head: np.head, alternatives: np.others };
  }
  if (/(增至|增加到|达到|提升至|提高到)(了)?[？?]?$/.test(q.replace(/(多少|几)/, ''))) {
    const np = nounBeforeAmount(q.replace(/[？?]$/, ''));
    return { cls: 'count', noun: np.noun, head: np.head };
  }
  return undefined;
}

/** Reads an enumeration ask: 哪些, 分别是, 哪几, 有哪, 包括什么, 哪“六种关系”, “三大课堂”分别是什么. */
export function readListAsk(q: string): ListAsk | undefined {
  // (在什么情况下/什么情形 asks the cases a rule lists: “有下列情形之一的，……：（一）……”)
  const wants = /哪些|分别是|分别有|分别为|哪几|有哪|包括哪|包括什么|包含哪|是哪[^个里儿]|都有什么|有什么|[些点]什么|主要举措|主要做法|哪[“"]|(?:什么|啥|哪种)(?:情况|情形)下?/.test(q);
  // a quoted name opening with a number names a set whatever follows the number (“七型发展模式”, “三百活动”)
  // (the quote may open after the measure word: 哪三个“员” names 员)
  let announced = /[“"]?([一二两三四五六七八九十]|\d{1,2})(种|个|大|项|条|类|方面|件|张|支|队|化|心|新|有|强|抓)[“"]?([^“”"，。？?、]{1,6}?)[”"]/.exec(q) ??
    /[“"]([一二两三四五六七八九十]|\d{1,2})([\u4e00-\u9fff])([^”"，。？?、]{1,6}?)[”"]/.exec(q) ??
    // a count and one character quoted after 哪 (哪“三员”, 哪“两委”), or not quoted (哪四议, 具体是哪三员): the character is
    // the head the items end in (a measure word is none: 哪三个 asks the set named before it)
    (/哪[“"]?([一二两三四五六七八九十]|\d{1,2})((?![个种项条类件位名家所次批])[\u4e00-\u9fff])[”"]?(?![\u4e00-\u9fff])/.exec(q) as RegExpExecArray | null) ?? /([一二两三四五六七八九十]|\d{1,2})(种|大|项|类|个方面)的?([\u4e00-\u9fff]{2,4}?)(?=是|有|分别|包括|包含|指|都|具体|[？?，,。！!]|$)/.exec(q) ??
    // unquoted with 个 only when the set is asked for (“那五个不得都是啥”), not in a count (三个村有多少党员)
    /([一二两三四五六七八九十]|\d{1,2})(个)([\u4e00-\u9fff]{2,4}?)(?=都是|分别|是什么|是啥|是哪|有哪|都有|包括|具体)/.exec(q);
  // one thing is no set: “一肩挑”, “一村一策” are names
  if (announced && (parseNumeral(announced[1]!) ?? 2) < 2) announced = null;
  // a set named without quotes and then asked of by another noun (那7个年轻干部都是哪些单位的) is the subject: the noun
  // after 哪些 is what is listed (单位), not the set's members
  if (announced && !/[“"]/.test(announced[0]!) && /(?:哪些|哪几[个项类种条家所位名]?)[\u4e00-\u9fff]{2}/.test(q.slice(announced.index + announced[0].length))) announced = null;
  if (!wants && !announced) return undefined;
  // where something comes from, asked as a list (钱都是从哪几块来的, 从哪些渠道筹): the sources a text lists as its 来源
  // (“帮扶基金的来源包括：（一）…”, a chapter 基金来源), whatever the measure word of the asking
  if (/从哪(?:些|几)[个块类种条项笔部分方面]{0,3}(?:地方|渠道|途径|方面)?(?:来|出|筹|募集|筹集)/.test(q)) return { noun: '来源', head: '来源' };
  // a set named only as a modifier of what is counted (评上“四议两公开”规范村的，县里奖励多少钱) is no list asked: the
  // question asks an amount after it
  if (!wants && announced && /多少|几(?![个种项条类大])/.test(q.slice(announced.index + announced[0].length))) return undefined;
  if (!announced) {
    // the thing listed: the noun after 哪些/哪几项/有什么 (“有哪些服务阵地” → 服务阵地)
    // (方面 after the ask is the kind of the items, 哪几方面问题 or 哪些方面的问题: the noun after it is listed)
    // (the measure word is the ask's, never the noun's first character: 哪几个乡 names no noun 个乡)
    // (a count asked with 哪, 哪两个村, asks the same as 哪几个村)
    const after = /(?:哪些|哪几(?:方面|[个项类种条家所位名])?(?![个项类种条家所位名])|哪[两二三四五六七八九十][个项类种条家所位名]|有什么|[些点]什么|包括哪些|都有什么)(?:方面的?)?([\u4e00-\u9fff]{2,8})/.exec(q)?.[1];
    // (steps asked by their measure word, 审批得过哪几道手 or 要走哪几道程序: the 程序 or 环节 a rule sets out)
    if (/哪(?:几|些)道(?:手|关|程序|环节|流程)?(?![\u4e00-\u9fff])/.test(q)) return { head: '程序', noun: '程序', alternatives: ['环节', '步骤', '流程'] };
    // (the set the items are picked from, 哪几类人|里面选, ends at its locative: the verb after it is no part of the noun;
    // people asked by 人 alone are the 人员 a rule lists, 从以下人员中选聘)
    const pickedFrom = after?.replace(/(?:里面|里头|当中|之中|中间|中|里)[\u4e00-\u9fff]*$/, '');
    if (pickedFrom === '人' && pickedFrom !== after) return { head: '人员', noun: '人员', alternatives: ['人选'] };
    let np: { noun?: string; head?: string } = pickedFrom && pickedFrom.length >= 2 ? nounPhrase(pickedFrom, true) : after && pickedFrom === after ? nounPhrase(after, true) : {};
    // nothing named after the ask (基本服务有哪几项): the noun right before it is what is listed
    if (!np.noun) {
      const at = /(?:都|主要|一共|共)?(?:有|包括|包含|分为|分)?(?:哪些|哪几)/.exec(q);
      // (the copula before the ask is no part of the noun: 先进单位是|哪几家)
      if (at && at.index > 0) np = trailingNoun(q.slice(0, at.index).replace(/(?:是|为|有)$/, ''), true);
      // (a kind asked of a set named before 里/中, 先锋岗里|窗口服务类的有哪些: the set's noun is what is listed)
      const within = /^(?:.*?[^\u4e00-\u9fff])?([\u4e00-\u9fff]{2,8}?)(?:里面|里头|当中|之中|里|中)(?=[\u4e00-\u9fff]{2,}?的?(?:都|主要)?(?:有|是)?(?:哪些|哪几))/.exec(q)?.[1];
      if (within && (!np.noun || /的$/.test(q.slice(0, at?.index ?? 0).replace(/(?:都|主要|一共|共)?(?:有|是|为)?$/, '')))) np = trailingNoun(within, true);
    }
    // (the things someone is in charge of, 负责哪些事 or 都管啥事, are the duties a text lists as 职责 or 任务: 明确责任党员职责)
    // (not 干哪些事, 做哪些事: what is done, the 内容 of an activity, 志愿服务主要包括以下内容)
    if (!np.noun && /(?:负责|管|承担)(?:些|的)?(?:哪些|哪几件|什么|啥)(?:事|事情|事儿|活儿?)/.test(q)) return { head: '职责', noun: '职责', alternatives: ['任务'] };
    // (nothing named at all, 都查哪几项: the measure word 项 counts 项目, as a 通知's 检查项目 or a table's 项目 column
    // names what is checked or scored)
    if (!np.noun && /哪(?:些|几)项(?![\u4e00-\u9fff])/.test(q)) return { head: '项目', noun: '项目' };
    return np.noun ? { head: np.head, noun: np.noun } : {};
  }
  const count = parseNumeral(announced[1]!);
  // (a set asked again by its count and a character, “三步走”，是哪三步: that character is what each item is, 第一步…)
  const again = new RegExp(`哪(?:${announced[1]})((?![个种项条类件位名家所次批])[\u4e00-\u9fff])`).exec(q)?.[1];
  const headRaw = again ?? (announced[3] || announced[2]!);
  // a quote opening after the measure word quotes the head only (哪三个“员”): the phrase is no name in the text
  // (哪“五员” quotes the count with the head: the phrase 五员 is the set's name in the text)
  const headOnlyQuoted = /^[^“"]*[一二两三四五六七八九十\d][^“"]*[“"]/.test(announced[0]!);
  return { count, head: headRaw.length > 2 ? headRaw.slice(-2) : headRaw, ...(headOnlyQuoted ? {} : { phrase: announced[0]!.replace(/[“”"]/g, '').replace(/^哪/, '') }) };
}

/** The term of a definition question: 什么是X, 何为X, 什么样的…算X, X是指什么, X指的是什么. */
export function readDefinitionAsk(q: string): string | undefined {
  const t = q.replace(/[？?。！!\s]/g, '');
  const m =
    /^(?:什么是|何为|什么叫|何谓)(.{2,12})$/.exec(t) ??
    /什么样的.{0,8}(?:算|属于|才算|称为|是)(.{2,12})$/.exec(t) ??
    /^(.{2,12}?)(?:是指什么|指的是什么|指什么|是什么意思|的定义是什么|怎么界定|如何界定)$/.exec(t);
  return m?.[1]?.replace(/^[“"]|[”"]$/g, '');
}

/** Verbs of a change to an amount said before 到/至 (减少到, 提高到, 提到, 涨到). */
export const CHANGE_VERB = '(?:减少|减|降低|降|压减|精简|缩减|增加|增|提高|提升|提|扩大|上升|升|涨|掉)';
/** Words before 多少 asking a change or a difference of the noun before them (彩礼平均下来前后|差了, 彩礼|降了): group 1 ends with the noun. */
const CHANGE_ASK_TAIL = new RegExp(`^(.*?)(?:平均下来|平均|算下来|下来|前后|之间)*(?:${CHANGE_VERB}了?|[少多]了|相差了?|差距|差了?|变化了?|变了?)$`);
/** A change asked as “从多少……减到了多少”: the subject, the first ask and its unit, the verb, the second ask, the rest. */
// (a change said as becoming, 从多少变成了多少, states its after side as 变成/变为 does: no 到 after it)
const CHANGE_ASKED = new RegExp(`^(.*?)(?:从|由)(?:原来的?)?(多少|几)([^，。？?从由]{0,8}?)(${CHANGE_VERB}了?(?:到|至)了?|变成了?|变为了?|成了)(多少|几)(.*?)[？?]*$`);

/**
 * Splits a multi-part question at commas, semicolons, inner question marks and spaces into the pieces that each ask
 * something of their own (a piece asking nothing is joined to the next one as its context). Empty for one question.
 */
function splitParts(q: string): string[] {
  // a change asked as “从多少……减到了多少” asks two figures of one thing: before and after
  const change = CHANGE_ASKED.exec(q);
  if (change) {
    const [, subject, ask1, unit1, verb, ask2, rest] = change;
    const to = /^变|^成/.test(verb!) ? '提高到' : verb!.replace(/(?:到|至)了?$/, '').replace(/了$/, '') + '到';
    return [`${subject}原来有${ask1}${unit1}`, `${subject}${to}${ask2}${rest}`];
  }
  // (a question mark or a space between two questions separates them as a comma does: “支委会多久开一次？要是…得多少委员在场”,
  // “多长时间抽查一回 抽多少比例”)
  // (a piece closed by 呢 asks again what the piece before asked, of its own subject: “女性比例不低于多少，一肩挑比例呢”)
  // (an A-not-A verb asks yes or no as 吗 does: 有没有能放宽的情况, 能不能补发, 是不是要公示)
  const asks = (p: string) => /多少|多久|多长|多大|几[个名项人家次期条辆年]|几|哪些|什么|如何|怎么|怎样|是否|吗|哪|谁|呢$|([\u4e00-\u9fff])[没不]\1/.test(p);
  // (asks joined by 、, 去了多少人、走了几天、看了多少个点, are parts as asks joined by commas are; a list of things in one
  // ask, 物流、快递外卖企业有多少家, is one piece)
  const pieces = q
    .replace(/[？?！!\s]+$/, '')
    .split(/[，,；;？?！!\s]+|(?:另外|还有|以及|同时)/)
    .flatMap((p) => {
      const listed = p.split('、');
      return listed.length >= 2 && listed.every(asks) ? listed : [p];
    })
    .map((p) => p.trim())
    .filter(Boolean);
  if (pieces.length < 2) return [];
  // a piece that asks nothing sets the context of the question after it (“照县里的规定，支委会多久开一次”): it is joined
  // to it, or, closing the question, to the one before; two asking pieces make two parts
  // (a condition closed by 呢 before a question that follows it, 要是镇里领导自己上去讲呢，也有钱拿吗, is that question's
  // condition, not a question of its own)
  const conditionOf = (p: string, next?: string) => !!next && asks(next) && /^(?:那)?(?:要是|如果|假如|假若|若是|万一|倘若)/.test(p) && /呢$/.test(p);
  const parts: string[] = [];
  // (the context keeps its comma: in 决赛的打分，群众代表那部分占多少 打分群众代表 is no noun)
  let context: string[] = [];
  for (const [i, p] of pieces.entries()) {
    if (asks(p) && !conditionOf(p, pieces[i + 1])) {
      parts.push([...context, p].join('，'));
      context = [];
    } else context.push(p);
  }
  if (context.length && parts.length) parts[parts.length - 1] = [parts.at(-1)!, ...context].join('，');
  return parts.length >= 2 ? parts : [];
}

/** Words that ask about a part of what the previous answer named (其中, 这些, 它们, 上述). */
const PART_OF_PREVIOUS = /^(其中|这中间|这里面)|它们|这些|上述/;

/** True when a question leans on the previous turn for its subject. */
export function isElliptical(q: string): boolean {
  const t = q.trim();
  if (ELLIPSIS_START.test(t)) return true;
  if (/^(那|那么)?.{0,12}呢[？?]?$/.test(t) && !/^.{0,3}(是什么|怎么)/.test(t) && /^(那|那么)/.test(t)) return true;
  return /(它|它们|这些|上述|该(项|措施|做法|办法|文件|条例|报道|制度|活动))/.test(t);
}

/**
 * Reads a question into a `Query`. The previous turn is used only when the question is elliptical
 * (`isElliptical`), never because it is short.
 */
export function understand(raw: string, ctx: UnderstandContext): Query {
  const trimmed = raw.replace(/\s+/g, ' ').trim();
  const truncated = trimmed.length > MAX_QUESTION_CHARS;
  const text = truncated ? trimmed.slice(0, MAX_QUESTION_CHARS) : trimmed;
  const compact = standardInterrogatives(text.replace(/\s+/g, ''));
  const base = (intent: Intent): Query => ({ text, standard: compact, truncated, intent, searchText: text, elliptical: false, parts: [], places: [] });
  if (!compact) return base('help');
  if (GREETING.test(compact)) return base('greeting');
  if (HELP.test(compact)) return base('help');
  // (a request put after its topic, 把…报告总结一下 or …是怎么做的，总结一下, is a summary request too)
  if (SUMMARY.test(compact) || TRAILING_REQUEST.test(compact) || /^\/?summary\s/i.test(text)) return { ...base('summary'), topic: summaryTopic(text) || text };
  const term = ctx.glossary.definitionAsked(compact);
  if (term) return { ...base('glossary'), term };
  // (an article asked, 第十一条讲的是什么, is quoted, not summarised)
  if (CONTENT_ASK.test(compact) && !articlesOf(compact).length) return { ...base('summary'), topic: summaryTopic(compact) || text };

  const prev = ctx.history?.at(-1);
  const elliptical = !!prev && isElliptical(compact);
  const searchText = joinAspectSplitVerb(elliptical ? `${prev!.question} ${text}` : text);
  const places = ctx.lexicon.places(compact);
  const articles = articlesOf(compact);
  const prevPlaces = elliptical ? ctx.lexicon.places(prev!.question) : [];
  const meta = readMetaAsk(compact);
  const when = WHEN.test(compact);
  const q: Query = {
    ...base('question'),
    searchText,
    elliptical,
    meta,
    figure: when || meta ? undefined : readFigureAsk(compact),
    when,
    who: WHO.test(compact),
    where: WHERE.test(compact),
    defines: readDefinitionAsk(compact),
    // 是哪一年 asks when, not which items
    list: when ? undefined : readListAsk(compact),
    places: places.length ? places : prevPlaces,
    // (a preposition before a county of one-character name, 按|沛县, is no part of it)
    otherPlaces: placeNames(compact).filter((p) => !ctx.lexicon.canonicalPlace(p) && !(GLUED_PREPOSITION.test(p) && ctx.lexicon.canonicalPlace(p.slice(1)))),
    extreme: readExtreme(compact),
    rowFilter: readRowFilter(compact),
    condition: readConditionAsk(compact),
    year: /((?:19|20)\d{2})年/.exec(compact)?.[1],
    article: articles[0],
    articles: articles.length >= 2 ? articles : undefined,
    // a document named by its title (or a 《…》 part of it), else “这篇报道” resolved from the thread
    // (a part of what the previous answer counted, 其中/这些/它们 with no place of its own, is asked of the same document:
    // “海西州有多少个社区？” then “其中多少个实现了一肩挑？” is not answered from another year's report)
    source:
      (titleMentioned(text, ctx.documents) ?? documentNamed(text, ctx.documents))?.source ??
      ((REFERENCE.test(compact) || (elliptical && PART_OF_PREVIOUS.test(compact) && !places.length)) && ctx.history?.length ? fromHistory(ctx.history, ctx.documents)?.source : undefined),
  };
  if (q.article && !q.source) {
    const several = documentsNamed(text, ctx.documents).map((d) => d.source);
    if (several.length >= 2) q.sources = several;
  }
  // an elliptical figure question inherits the counted noun it leaves out (“现在剩几项？” after “考核事项以前有多少项”)
  if (q.figure && !q.figure.noun && elliptical) {
    const before = readFigureAsk(prev!.question.replace(/\s+/g, ''));
    if (before?.noun) q.figure = { ...q.figure, noun: before.noun, head: before.head };
  }
  // a place is not a counted noun (“海西有多少？” counts nothing named; “海西州年度人才资金” counts 资金)
  if (q.figure?.noun) {
    let noun = q.figure.noun;
    // a county or township the lexicon does not know (西林乡红色代办员) is cut off whole first
    for (const p of placeNames(noun)) if (noun.startsWith(p)) noun = noun.slice(p.length);
    for (const w of getJieba().tag(noun, true)) {
      if (w.tag !== 'ns' && !ctx.lexicon.canonicalPlace(w.word)) break;
      noun = noun.slice(w.word.length);
    }
    // a one-character noun is kept when it is what 多少 asks for, ending the question (缴了多少税, 分了多少地)
    const asked = noun.length === 1 && new RegExp(`(?:多少|几)${noun}[吗呢呀啊了？?。！!]*$`).test(compact) && /^n/.test(getJieba().tag(noun, true)[0]?.tag ?? '');
    q.figure = noun.length >= 2 || asked ? { ...q.figure, noun, head: q.figure.head && noun.includes(q.figure.head) ? q.figure.head : noun } : { ...q.figure, noun: undefined, head: undefined };
  }
  // (…and so do those of a colloquial listed noun: 哪几方面毛病 lists the 问题 of a 三、存在问题)
  if (q.list?.noun) {
    const noun = q.list.noun;
    const alternatives = ctx.glossary.expand(noun).substitutes.filter((x) => x.equivalent && x.say.replace(/[“”]/g, '') === noun).flatMap((x) => x.means);
    if (alternatives.length) q.list = { ...q.list, alternatives };
  }
  // the glossary's official words for a colloquial counted noun (歇脚点 → 驿站) count like the noun; a term inside
  // a longer noun is replaced in it (村党组织书记年均报酬 → 村党支部书记年均报酬), never counted alone (党组织)
  if (q.figure?.noun) {
    const noun = q.figure.noun;
    const { substitutes } = ctx.glossary.expand(noun);
    const whole = substitutes.filter((x) => x.say.replace(/[“”]/g, '').length >= noun.length - 1);
    const inside = substitutes.filter((x) => !whole.includes(x));
    // (a noun made wholly of colloquial words that all mean one official word, 讲课+老师 → 师资, is that word)
    const says = substitutes.map((x) => x.say.replace(/[“”]/g, '')).filter((x) => noun.includes(x));
    const common = substitutes.length >= 2 && says.reduce((n, x) => n + x.length, 0) >= noun.length ? substitutes.map((x) => x.means).reduce((a, b) => a.filter((w) => b.includes(w))) : [];
    const alternatives = [
      ...whole.flatMap((x) => x.means.flatMap((w) => queryTerms(w))),
      ...inside.flatMap((x) => x.means.map((w) => noun.replace(x.say.replace(/[“”]/g, ''), w))),
      ...common,
    ].filter((w) => w.length >= 2 && w !== noun);
    if (alternatives.length) q.figure = { ...q.figure, alternatives: [...new Set([...(q.figure.alternatives ?? []), ...alternatives])] };
    // a counted noun that the glossary says is a measure word (多少个|钟头 = 多少小时) asks in that measure, counting nothing
    const measure = whole.length === 1 && q.figure.unit === '个' ? whole[0]!.means.find((w) => unitClass(w) && unitClass(w) !== 'count') : undefined;
    if (measure) q.figure = { unit: measure, cls: unitClass(measure)!, ...(q.figure.asked ? { asked: q.figure.asked } : {}), ...(q.figure.bound ? { bound: true } : {}), ...(q.figure.limit ? { limit: q.figure.limit } : {}) };
  }
  // (spaces between Chinese words separate pieces as commas do; elsewhere they are dropped)
  const parts = splitParts(standardInterrogatives(text.replace(/(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])/g, '，').replace(/\s+/g, '')));
  if (parts.length >= 2) {
    let carried: FigureAsk | undefined;
    let before: Query | undefined;
    q.parts = parts.map((p) => {
      const meta = readMetaAsk(p);
      const when = WHEN.test(p);
      const sub: Query = { ...base('question'), text: p, standard: p, searchText: text, meta, figure: when || meta ? undefined : readFigureAsk(p), when, who: WHO.test(p), where: WHERE.test(p), list: readListAsk(p), places: q.places, article: articleOf(p), source: q.source, condition: readConditionAsk(p) };
      // (with the noun goes the class it is measured in when the piece names no measure word: 志愿时长…，五星那个又要多少 asks hours)
      // (not into a part asking how long an action of its own takes, 组织部收到以后多久能办下来 after 村里得公示几天: the time is
      // that action's, 办结, not the noun carried)
      const ownAction = sub.figure?.cls === 'time' && getJieba().tag(p, true).some((w) => /^v/.test(w.tag) && !LIGHT_VERBS.test(w.word) && !MODAL.test(w.word) && w.word !== '要是' && !(before?.text ?? '').includes(w.word));
      if (sub.figure && !sub.figure.noun && carried?.noun && !ownAction) sub.figure = { ...sub.figure, noun: carried.noun, head: carried.head, ...(!sub.figure.unit && sub.figure.anyClass && sub.figure.cls === 'count' ? { cls: carried.cls } : {}) };
      // a piece closed by 呢 that asks nothing of its own (“…要多少学时？支部书记呢？”) asks what the piece before asked, of
      // its own subject: the same measure and class, no noun
      if (/呢$/.test(p) && before && !sub.figure && !sub.when && !sub.list && !sub.who && !sub.where) {
        sub.when = before.when;
        if (before.figure) sub.figure = { unit: before.figure.unit, cls: before.figure.cls, asked: p, ...(before.figure.anyClass ? { anyClass: true } : {}), ...(before.figure.bound ? { bound: true } : {}), ...(before.figure.limit ? { limit: before.figure.limit } : {}) };
      }
      if (sub.figure?.noun) carried = sub.figure;
      before = sub;
      return sub;
    });
  }
  return q;
}
