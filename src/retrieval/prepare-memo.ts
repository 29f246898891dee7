import { ftsToken } from './full-text.js';
import { tokenize } from './tokenize.js';

/** What preparing derives from one text alone: its `tokenize` tokens and its FTS5 column. */
export interface TextCut {
  /** `tokenize(text)`. */
  tokens: string[];
  /** The tokens as the FTS5 table stores them (`ftsToken`, empty ones dropped), space-joined. */
  fts: string;
  /** Number of tokens in `fts`. */
  ftsCount: number;
}

/**
 * A bounded memo, kept by one thread across the documents it prepares, of what depends on a text alone: its jieba
 * tokens with its FTS5 column (`cut`), and a record's hashed vector by its embedded text (`vector`). Texts repeat: a
 * measure is often a whole paragraph that is also a chunk (the five reports: 180 records, 131 distinct texts, 30 % of
 * their characters cut twice), a document's chunks share section paths, and copies of a document (a notice
 * forwarding another with its full text, the synthetic 1000× corpus) repeat most texts. Results are the same with
 * or without the memo; the least recently used entries go once `capacity` is reached.
 */
export class PrepareMemo {
  private readonly cuts = new Map<string, TextCut>();
  private readonly vectors = new Map<string, Uint8Array>();

  /** @param capacity entries kept in each of the two maps (about 5 kB a text, 1.2 kB a vector) */
  constructor(readonly capacity = 8192) {}

  /** The tokens and FTS5 column of `text`, cut once while remembered. */
  cut(text: string): TextCut {
    let c = this.cuts.get(text);
    if (c) {
      this.cuts.delete(text); // most recently used last
    } else {
      const tokens = tokenize(text);
      const fts: string[] = [];
      for (const t of tokens) {
        const f = ftsToken(t);
        if (f) fts.push(f);
      }
      c = { tokens, fts: fts.join(' '), ftsCount: fts.length };
      if (this.cuts.size >= this.capacity) this.cuts.delete(this.cuts.keys().next().value!);
    }
    this.cuts.set(text, c);
    return c;
  }

  /**
   * The vector remembered under `key` (a key that determines the embedded text), else `compute()`'s, remembered.
   * Returns a copy each time, so the caller may transfer its buffer to another thread.
   */
  vector(key: string, compute: () => Uint8Array): Uint8Array {
    let v = this.vectors.get(key);
    if (v) {
      this.vectors.delete(key);
    } else {
      v = compute();
      if (this.vectors.size >= this.capacity) this.vectors.delete(this.vectors.keys().next().value!);
    }
    this.vectors.set(key, v);
    return new Uint8Array(v);
  }
}
