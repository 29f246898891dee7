import { CLOSERS } from './normalize.js';
import { Traced } from './traced.js';

/**
 * Splits Chinese text into sentences at 。！？；… (and ASCII !?) and at line breaks, keeping closing quotes and brackets
 * with the sentence they close ("……”" stays together). A sentence end inside an open quotation
 * (“党的力量来自组织。党的全面领导…”) does not split, unless the quoted run grows past
 * `maxQuoted` characters (long quoted speech then splits normally).
 */
export function splitSentences(text: Traced, maxQuoted = 160): Traced[] {
  const out: Traced[] = [];
  const s = text.text;
  let start = 0;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '“' || ch === '‘' || ch === '「') depth++;
    else if ((ch === '”' || ch === '’' || ch === '」') && depth > 0) depth--;
    // a line break ends a sentence too (a field line, an item of a list: see `joinPieces` in chunk.ts)
    if (ch === '\n' && depth === 0) {
      const piece = text.slice(start, i).trim();
      if (piece.length) out.push(piece);
      start = i + 1;
      continue;
    }
    if (!/[。！？；!?…]/.test(ch)) continue;
    let end = i + 1;
    while (end < s.length && /[…。！？!?]/.test(s[end]!)) end++;
    while (end < s.length && CLOSERS.includes(s[end]!)) {
      if ('”’」'.includes(s[end]!) && depth > 0) depth--;
      end++;
    }
    if (depth > 0 && end - start < maxQuoted) {
      i = end - 1;
      continue;
    }
    depth = 0;
    const piece = text.slice(start, end).trim();
    if (piece.length) out.push(piece);
    start = end;
    i = end - 1;
  }
  const tail = text.slice(start).trim();
  if (tail.length) out.push(tail);
  return out;
}
