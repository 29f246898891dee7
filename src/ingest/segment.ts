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

let dictText: string | undefined;

/**
 * The line of `word` in jieba's default dictionary (“word freq tag”: its count in the dictionary's source corpus and
 * its part of speech), or undefined for a word outside it. Looked up by searching the dictionary text, one `indexOf`
 * per word not seen before (a few ms; parsing the 350k entries would take 0.6 s), and remembered.
 */
export function dictionaryEntry(word: string): { freq: number; tag?: string } | undefined {
  if (entryCache.has(word)) return entryCache.get(word);
  dictText ??= `\n${new TextDecoder().decode(dict)}`;
  const at = dictText.indexOf(`\n${word} `);
  const fields = at < 0 ? undefined : dictText.slice(at + 1, dictText.indexOf('\n', at + 1)).split(' ');
  const entry = fields ? { freq: Number(fields[1]) || 0, tag: fields[2] } : undefined;
  if (entryCache.size >= ENTRY_CACHE_SIZE) entryCache.clear();
  entryCache.set(word, entry);
  return entry;
}

/** Words looked up so far (questions repeat their words; each new lookup scans the dictionary text). */
const entryCache = new Map<string, { freq: number; tag?: string } | undefined>();
const ENTRY_CACHE_SIZE = 50_000;

/** True when `word` is an entry of jieba's default dictionary (see `dictionaryEntry`). */
export function isDictionaryWord(word: string): boolean {
  return dictionaryEntry(word) !== undefined;
}
