/**
 * Chinese numerals as used in article and outline numbers (第十八条, 第一百零一条, （二十）).
 * Covers 0-9999, which is every article or outline number printed in practice.
 */
const DIGITS = '零一二三四五六七八九';
const UNITS: [number, string][] = [
  [1000, '千'],
  [100, '百'],
  [10, '十'],
];

/** 18 → 十八, 101 → 一百零一, 110 → 一百一十, 20 → 二十 (the forms printed in 条例 and 办法). */
export function toChineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 9999) throw new Error(`numeral out of range: ${n}`);
  if (n < 10) return DIGITS[n]!;
  if (n < 20) return `十${n % 10 ? DIGITS[n % 10] : ''}`;
  let out = '';
  let rest = n;
  let zero = false;
  for (const [value, unit] of UNITS) {
    const d = Math.floor(rest / value);
    rest %= value;
    if (d) {
      if (zero) out += '零';
      out += DIGITS[d] + unit;
      zero = false;
    } else if (out) zero = true;
  }
  if (rest) out += (zero ? '零' : '') + DIGITS[rest];
  return out;
}

/**
 * Value of a number written in Chinese (十八, 一百零一, 二〇二六 digit by digit) or Arabic digits;
 * undefined when it is neither.
 */
export function parseNumeral(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s);
  const t = s.replace(/〇/g, '零').replace(/两/g, '二');
  if (!/^[零一二三四五六七八九十百千]+$/.test(t)) return undefined;
  if (!/[十百千]/.test(t)) return Number([...t].map((c) => DIGITS.indexOf(c)).join(''));
  let total = 0;
  let digit = 0;
  for (const c of t) {
    const d = DIGITS.indexOf(c);
    if (d >= 0) {
      digit = d;
      continue;
    }
    const unit = c === '十' ? 10 : c === '百' ? 100 : 1000;
    total += (digit || 1) * unit;
    digit = 0;
  }
  return total + digit;
}

/** An article number in its canonical form: “第18条”, “第 18 条”, “第十八条” → “第十八条”; undefined when `s` is none. */
export function articleNumber(s: string): string | undefined {
  const m = /^第\s*([0-9零〇一二两三四五六七八九十百千]+)\s*条$/.exec(s.trim());
  const n = m ? parseNumeral(m[1]!) : undefined;
  return n === undefined ? undefined : `第${toChineseNumeral(n)}条`;
}
