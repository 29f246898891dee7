import type { SectionRole } from '../../types.js';

/**
 * Structure markers of Chinese official documents, after GB/T 9704-2012 (党政机关公文格式, 7.3.3:
 * 一、 （一） 1. （1） for the levels of an outline) and the 条例/办法 layout of 编/章/节/条 (《党内法规制定条例》
 * 第十一条: 编、章、节、条、款、项、目). Each marker has a rank: a smaller rank encloses a larger one.
 */
export interface Marker {
  role: SectionRole;
  /** Nesting rank (编 10 … 条 13; 一、 14 … ① 18; 附件 0). */
  rank: number;
  /** Number as printed, without the separator: 第一章, 第十八条, 一, （一）, 1., （1）, ①, 附件1. */
  number: string;
  /** The printed marker including its separator (第一章, 一、, （一）, 1.), as it opens the line. */
  printed: string;
  /** Whether it numbers an outline level whose items may also form a list after a “：” (1. （1） ①). */
  listable: boolean;
}

/** Rank of 第X条: markers of a larger rank inside an article are its 款/项, not sections. */
export const ARTICLE_RANK = 13;

const CN = '[一二三四五六七八九十百零〇两]+';
const NUM = `(?:${CN}|\\d{1,4})`;

const RULES: { re: RegExp; role: SectionRole; rank: number; listable?: boolean; number?: (m: RegExpExecArray) => string }[] = [
  { re: new RegExp(`^(第${NUM}编)[\\s\\u3000]*`), role: 'chapter', rank: 10 },
  { re: new RegExp(`^(第${NUM}章)[\\s\\u3000]*`), role: 'chapter', rank: 11 },
  { re: new RegExp(`^(第${NUM}节)[\\s\\u3000]*`), role: 'section', rank: 12 },
  { re: new RegExp(`^(第${NUM}条)(?:[\\s\\u3000]+|(?=[\\u4e00-\\u9fff【（“]))`), role: 'article', rank: ARTICLE_RANK },
  { re: /^([一二三四五六七八九十]+)、\s*/, role: 'outline', rank: 14 },
  { re: /^([（(][一二三四五六七八九十]+[）)])\s*/, role: 'outline', rank: 15, number: (m) => m[1]!.replace('(', '（').replace(')', '）') },
  { re: /^(\d{1,2})[.．、](?![\d.．])\s*/, role: 'outline', rank: 16, listable: true, number: (m) => `${m[1]}.` },
  { re: /^([（(]\d{1,2}[）)])\s*/, role: 'outline', rank: 17, listable: true, number: (m) => m[1]!.replace('(', '（').replace(')', '）') },
  { re: /^([①-⑳])\s*/, role: 'outline', rank: 18, listable: true },
];

/** The structure marker opening `line`, or undefined. 第X条 needs a space or a character after it. */
export function matchMarker(line: string): Marker | undefined {
  for (const r of RULES) {
    const m = r.re.exec(line);
    if (!m || m[0].length >= line.length) continue;
    return { role: r.role, rank: r.rank, number: r.number ? r.number(m) : m[1]!, printed: m[0], listable: !!r.listable };
  }
  return undefined;
}

/**
 * An annex start: a line that is only `附件` or `附件2` (its title may follow on the same line after
 * “：” or a space, or on the next line). Returns the number (“附件2”) and the title on the line.
 */
export function matchAnnex(line: string): { number: string; title: string } | undefined {
  // “附件”, “附件2”, “附件：…”, “附件2 …”, “附件2…”; not “附件所列事项…” (a sentence about the annex)
  const m = /^(附件(?:\s*\d+)?)(?:\s*[:：]\s*|\s+|$)(.*)$/.exec(line) ?? /^(附件\s*\d+)(.+)$/.exec(line);
  if (!m) return undefined;
  return { number: m[1]!.replace(/\s+/g, ''), title: m[2]!.trim() };
}

/** 发文字号 as printed on the first page: 某组发〔2026〕12号, 国办发[2025]3号. */
/** A line of an official document's 版记 (GB/T 9704-2012 §7.4): the distribution (报：, 送：, 发：, 抄送：) or the print run (（共印60份）). */
export const DISTRIBUTION_LINE = /^(?:报|送|发|抄送|抄报|分送)[：:]|^[（(]共印\d+份[）)]$/;

/** A bulletin's issue line under its name: 2027年第3期（总第58期）. */
export const ISSUE_LINE = /^\d{4}\s*年\s*第\s*\d+\s*期/;

export const DOC_NUMBER = /^[\u4e00-\u9fff]{1,10}[〔［[【(（]\d{4}[〕］\]】)）]\s*第?\d{1,4}号$/;

/** The ISO date of a line that is only a date (2026年11月20日, 二〇二六年十一月二十日), or undefined. */
export function dateLine(line: string): string | undefined {
  const m = /^([0-9]{4}|[〇零一二三四五六七八九]{4})\s*年\s*([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*日$/.exec(line.trim());
  if (!m) return undefined;
  const digits = (s: string) => (/^\d+$/.test(s) ? Number(s) : cnSmall(s));
  const y = /^\d+$/.test(m[1]!) ? Number(m[1]) : Number([...m[1]!].map((c) => '〇一二三四五六七八九'.indexOf(c === '零' ? '〇' : c)).join(''));
  const mo = digits(m[2]!);
  const d = digits(m[3]!);
  if (!(mo >= 1 && mo <= 12 && d >= 1 && d <= 31)) return undefined;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function cnSmall(s: string): number {
  const D = '〇一二三四五六七八九';
  if (!s.includes('十')) return D.indexOf(s);
  const [a, b] = s.split('十');
  return (a ? D.indexOf(a) : 1) * 10 + (b ? D.indexOf(b) : 0);
}
