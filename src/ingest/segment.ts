import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

/**
 * The shared jieba segmenter (default dictionary, HMM on). Loading the 5 MB dictionary takes
 * about 0.1 s, so it is created once, lazily. `Jieba.withDict` is required: `new Jieba()` has an
 * empty dictionary and cuts character by character (see ../shared/dependency-notes.md).
 */
let jieba: Jieba | undefined;

/** The shared segmenter, loaded on first use. */
export function getJieba(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

/** Cuts `text` into words (accurate mode, HMM for unknown words). */
export function cutWords(text: string): string[] {
  return getJieba().cut(text, true);
}

/** Cuts `text` in search mode: long words also yield their dictionary sub-words (海西州 → 海西, 海西州). */
export function cutForSearch(text: string): string[] {
  return getJieba().cutForSearch(text, true);
}

let words: Set<string> | undefined;

/** True when `word` is a two-character entry of jieba's default dictionary (read once on first use, about 0.2 s); false for any other length. */
export function isDictionaryWord(word: string): boolean {
  if (!words) {
    words = new Set();
    for (const line of new TextDecoder().decode(dict).split('\n')) {
      const w = line.slice(0, line.indexOf(' '));
      if (w.length === 2) words.add(w);
    }
  }
  return word.length === 2 ? words.has(word) : false;
}
