import { Traced } from './traced.js';

/**
 * Character-level clean-up of one printed line of Chinese text. Rules, all observed in the corpus
 * (see ../shared/corpus/README.md):
 * - full-width ASCII letters and digits (Ａ１) become half-width; U+3000 becomes a space;
 * - half-width , ; : ? ! ( ) next to a CJK character become their full-width forms (file 003 mixes them);
 * - print spacing is removed: spaces between a CJK character and a digit/letter ("加 2分", "10 月 28 日"),
 *   spaces next to CJK punctuation, and letter-spaced runs ("努 力 提 升" from justified lines in 004);
 *   a space between two multi-character CJK runs is kept (title halves such as "踔厉奋发启新程 赓续前行谱新篇").
 */
const CJK = '\\u3400-\\u9fff\\uf900-\\ufaff';
const CJK_PUNCT = '，。、；：？！“”‘’（）《》【】「」『』…—·';
const HALF_TO_FULL: Record<string, string> = { ',': '，', ';': '；', ':': '：', '?': '？', '!': '！', '(': '（', ')': '）' };

const fullWidthAlnum = /[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000]/g;
const halfPunctNearCjk = new RegExp(`(?<=[${CJK}${CJK_PUNCT}])[,;:?!()]|[,;:?!()](?=[${CJK}“”])`, 'g');
const spaceCjkAlnum = new RegExp(`(?<=[${CJK}])[ \\t]+(?=[0-9A-Za-z%])|(?<=[0-9A-Za-z%])[ \\t]+(?=[${CJK}])`, 'g');
const spaceNearPunct = new RegExp(`[ \\t]+(?=[${CJK_PUNCT}])|(?<=[${CJK_PUNCT}])[ \\t]+`, 'g');
const letterSpaced = new RegExp(`(?<=(?:^|[ \\t])[${CJK}])[ \\t]+(?=[${CJK}])|(?<=[${CJK}])[ \\t]+(?=[${CJK}](?:[ \\t]|$))`, 'g');

/** Applies the rules above to one line; offsets are preserved (see `Traced`). */
export function normalizeLine(line: Traced): Traced {
  return line
    .replace(fullWidthAlnum, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)))
    .replace(halfPunctNearCjk, (c) => HALF_TO_FULL[c] ?? c)
    .replace(spaceCjkAlnum, '')
    .replace(spaceNearPunct, '')
    .replace(letterSpaced, '')
    .trim();
}

/** Same as `normalizeLine` on a plain string (for questions and glossary entries). */
export function normalizeText(text: string): string {
  return text
    .split(/\r?\n/)
    .map((l) => normalizeLine(Traced.of(l)).text)
    .join('\n');
}

/**
 * Folds an optional character printed in brackets into the word it completes, for matching only (quotes keep
 * the source text): “4600余人（次）” → “4600余人次”, “党员(干部)” is left alone (more than one character).
 * Source: the reports print 人(次) for 人次 (001); official texts do the same with 人（次）, 户（次）.
 */
export function foldOptionalChars(text: string): string {
  return text.replace(/(?<=[\u3400-\u9fff])[（(]([\u3400-\u9fff])[）)]/g, '$1');
}

/**
 * The other reading of a name written with a short alternative in brackets inside it, for matching and indexing only:
 * “乡镇（街道）党（工）委” → “乡镇党委”, “村（社区）党组织” → “村党组织” (brackets of one to three Chinese characters
 * between two; `foldOptionalChars` gives the reading with them).
 */
export function dropInsertedAlternatives(text: string): string {
  return text.replace(INSERTED_ALTERNATIVE, '');
}

/** A short alternative in full-width brackets between two Chinese characters: 乡镇（街道）党, 党（工）委, 村（社区）党. */
const INSERTED_ALTERNATIVE = /(?<=[\u4e00-\u9fff])（[\u4e00-\u9fff]{1,3}）(?=[\u4e00-\u9fff])/g;

/** True for a CJK ideograph. */
export function isCjk(ch: string | undefined): boolean {
  return !!ch && new RegExp(`[${CJK}]`).test(ch);
}

/** Sentence-final punctuation of Chinese text (incl. the ellipsis and ASCII forms left over). */
export const SENTENCE_END = /[。！？；…!?]$/;
/** Closing quotes and brackets that may follow a sentence end. */
export const CLOSERS = '”’」』）)》】';

/** True when `text` ends a sentence, possibly followed by closing quotes ("…。”"). */
export function endsSentence(text: string): boolean {
  let t = text;
  while (t.length && CLOSERS.includes(t[t.length - 1]!)) t = t.slice(0, -1);
  return SENTENCE_END.test(t);
}
