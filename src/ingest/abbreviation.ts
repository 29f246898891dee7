/**
 * Chinese short forms (简称, 缩略语). Official Chinese shortens a name by keeping some of its characters in their
 * order: 村党支部书记 → 村支书, 大通回族土族自治县 → 大通县, 远程教育终端站点 → 远程教育站点, 基层党组织 → 基层党组.
 * So a short form is a subsequence of its full form's characters that keeps the first character and ends
 * in the full form's last word. Source: 《现代汉语词典》 on 缩略语 and GB/T 2260 (自治县/自治州 names and their
 * short forms); the ratio below comes from the longest short forms of that kind (大通县: 3 of 9 characters).
 */

/** A full form is at most this many times longer than its short form (大通回族土族自治县 / 大通县 = 3). */
export const MAX_EXPANSION = 3;

/** Characters that never sit inside one name: punctuation and white space. */
const BREAK = /[\s，。；：、！？,.;:!?（）()“”"《》【】\[\]]/;

/**
 * Where `text` spells out `short` as a full form: the first span that starts with the short form's first
 * character, holds its characters in order with no punctuation between, ends with its last character, and is at
 * most `MAX_EXPANSION` times as long. Returns the span ({ start, end }, end exclusive) or undefined. A short
 * form of fewer than 3 characters is never matched this way (党费 is not 党员交费); the caller compares those
 * literally. Linear in the length of `text` times the short form's length.
 */
export function findFullForm(short: string, text: string): { start: number; end: number } | undefined {
  const chars = [...short];
  if (chars.length < 3 || !/^[\u4e00-\u9fff]+$/.test(short)) return undefined;
  const limit = chars.length * MAX_EXPANSION;
  for (let from = text.indexOf(chars[0]!); from >= 0; from = text.indexOf(chars[0]!, from + 1)) {
    let at = from + 1;
    let k = 1;
    while (k < chars.length && at < text.length && at - from < limit) {
      const c = text[at]!;
      if (BREAK.test(c)) break;
      if (c === chars[k]) k++;
      at++;
    }
    if (k === chars.length) return { start: from, end: at };
  }
  return undefined;
}

/**
 * True when `full` (a word or phrase) is a full form of `short` or equal to it (see `findFullForm`): the match
 * starts at its first character and ends in its last two (村支书 ends in 书 of 村党支部书记's last word 书记).
 */
export function isShortFormOf(short: string, full: string): boolean {
  if (short === full) return true;
  if (full.length <= short.length) return false;
  const span = findFullForm(short, full);
  return !!span && span.start === 0 && full.length - span.end <= 1;
}

/** True when `text` names `word`, as written or by a full form of it (村支书 in “村党支部书记年均报酬”; see `findFullForm`). */
export function namesForm(text: string, word: string): boolean {
  return text.includes(word) || findFullForm(word, text) !== undefined;
}
