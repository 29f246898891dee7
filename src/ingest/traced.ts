/**
 * A string that remembers, for every character, the offset (UTF-16 code unit) it came from in the
 * original file. Repairs (joining lines, removing print spaces, mapping punctuation) keep these
 * offsets so that every chunk can cite `start`/`end` in the untouched source file.
 */
export class Traced {
  /** @param text the current text; @param offs one original offset per UTF-16 unit of `text`. */
  constructor(
    readonly text: string,
    readonly offs: readonly number[],
  ) {
    if (text.length !== offs.length) throw new Error(`Traced: ${text.length} chars but ${offs.length} offsets`);
  }

  /** Wraps `text` whose first character sits at original offset `base`. */
  static of(text: string, base = 0): Traced {
    return new Traced(text, Array.from({ length: text.length }, (_, i) => base + i));
  }

  static empty(): Traced {
    return new Traced('', []);
  }

  get length(): number {
    return this.text.length;
  }

  slice(start: number, end = this.text.length): Traced {
    return new Traced(this.text.slice(start, end), this.offs.slice(start, end));
  }

  concat(other: Traced): Traced {
    return new Traced(this.text + other.text, [...this.offs, ...other.offs]);
  }

  /** Trims white space (incl. U+3000) at both ends. */
  trim(): Traced {
    const m = /^[\s\u3000]*/.exec(this.text)![0].length;
    const n = /[\s\u3000]*$/.exec(this.text.slice(m))![0].length;
    return this.slice(m, this.text.length - n);
  }

  /**
   * Replaces every match of the global regex `re`. Characters of a replacement inherit the original
   * offset of the first matched character (or of the following character for an empty match).
   */
  replace(re: RegExp, replacement: string | ((match: string) => string)): Traced {
    if (!re.global) throw new Error('Traced.replace needs a global RegExp');
    let text = '';
    const offs: number[] = [];
    let last = 0;
    for (const m of this.text.matchAll(re)) {
      const at = m.index!;
      text += this.text.slice(last, at);
      offs.push(...this.offs.slice(last, at));
      const rep = typeof replacement === 'string' ? replacement : replacement(m[0]);
      const origin = this.offs[at] ?? this.offs[at - 1] ?? 0;
      text += rep;
      for (let i = 0; i < rep.length; i++) offs.push(origin);
      last = at + m[0].length;
    }
    text += this.text.slice(last);
    offs.push(...this.offs.slice(last));
    return new Traced(text, offs);
  }

  /** Original offset range `[start, end)` covered by `[from, to)` of this text. */
  span(from = 0, to = this.text.length): { start: number; end: number } {
    if (to <= from) return { start: this.offs[from] ?? 0, end: this.offs[from] ?? 0 };
    return { start: this.offs[from]!, end: this.offs[to - 1]! + 1 };
  }
}
