import type { ExpandedQuery } from './glossary.js';
import { cutWords } from '../ingest/segment.js';

/**
 * What kind of answer a question asks for, read from its wording. Chinese factoid questions mark the
 * expected figure with 多少/几 + measure word (量词) + noun: "有多少个基层党组织" expects "<n>个基层党组织",
 * "占比多少" expects a percentage, "增至多少" a figure of any unit.
 */
export interface AnswerType {
  /** The question asks for a figure (多少, 几, 占比, 比例, 增至…). */
  wantsFigure: boolean;
  /** The measure word after 多少/几, when given (个, 名, 辆, 万元, %, …). */
  unit?: string;
  /** Up to 6 characters of the counted noun after the measure word ("基层党组织", "摆渡车"), or before the verb. */
  noun?: string;
  /** Where the noun was read: after 多少 (reliable) or before the verb of amount ("年度人才资金增至多少"). */
  nounFrom?: 'after' | 'before';
  /** The noun and the official words the glossary gives for its colloquial parts (歇脚点 → 驿站, 司机之家…). */
  nouns: string[];
  /** The question asks for a list (哪些, 有什么, 主要举措…). */
  wantsList: boolean;
}

const UNITS = ['人次', '万元', '亿元', '元', '个', '名', '人', '项', '条', '家', '辆', '期', '部', '次', '套', '所', '支', '件', '户', '门', '批', '处', '场', '万'];

/**
 * Reads the answer type of a question (see `AnswerType`). With the glossary-expanded query, a colloquial
 * noun also matches its official wording.
 */
export function answerType(question: string, expanded?: ExpandedQuery): AnswerType {
  const t = readAnswerType(question);
  if (t.noun && expanded) {
    const alternatives = cutWords(t.noun).flatMap((w) => expanded.explained.get(w) ?? []).filter((w) => w.length >= 2);
    t.nouns = [...new Set([t.noun, ...alternatives])];
  }
  return t;
}

function readAnswerType(question: string): AnswerType {
  const q = question.replace(/\s+/g, '');
  const wantsList = /哪些|有什么|什么样的|哪几|举措|做法|措施|经验|怎么(做|办|储备|抓|推进)|如何/.test(q);
  const m = /(多少|几)(.{0,8})/.exec(q);
  if (m) {
    const rest = m[2]!;
    const unit = UNITS.find((u) => rest.startsWith(u));
    // the counted noun follows the measure word ("多少个基层党组织") or, when nothing follows, precedes the
    // verb before 多少 ("年度人才资金增至多少", "大专以上学历占比多少")
    const after = (unit ? rest.slice(unit.length) : rest).split(/[，。？！、?,;；：“”\s]|的|呢|吗|了|呀/)[0]!.slice(0, 6);
    // only with a verb of amount: in "海西有多少" the word before 有 is the subject, not the thing counted
    const before = /([\u4e00-\u9fff]{2,6}?)(?:增至|增加到|达到|提升至|提高到|占比|占|达)$/.exec(q.slice(0, m.index))?.[1];
    const stem = before?.replace(/[了过着的]+$/, '');
    // a one-character noun ("多少个点") says nothing about the thing counted
    const noun = (after.length >= 2 ? after : '') || (stem && stem.length >= 2 ? stem.slice(-6) : undefined);
    return {
      wantsFigure: true,
      unit: unit ?? (/占比|比例|比重|百分之|率/.test(q) ? '%' : undefined),
      noun,
      nounFrom: noun ? (noun === after ? 'after' : 'before') : undefined,
      nouns: noun ? [noun] : [],
      wantsList,
    };
  }
  if (/占比|比例|比重|覆盖率|百分之/.test(q)) return { wantsFigure: true, unit: '%', nouns: [], wantsList };
  if (/增至|达到|达|提升至|提高到/.test(q) && /[？?]$/.test(q)) return { wantsFigure: true, nouns: [], wantsList };
  return { wantsFigure: false, nouns: [], wantsList };
}

/** Escapes a string for use inside a RegExp. */
function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * How well `text` holds the expected figure: 2 = a figure with the asked unit in the same clause as the asked noun
 * ("1680个基层党组织", "摆渡车32辆"); 1 = a figure with the asked unit (or any figure when no unit is
 * asked); 0 = none.
 */
export function figureMatch(text: string, t: AnswerType): 0 | 1 | 2 {
  if (!t.wantsFigure) return 0;
  const num = '\\d+(?:\\.\\d+)?(?:余|多)?(?:万|亿)?';
  // 人次 is also printed 人（次） (001: "316人(次)县级以上领导干部登台授课")
  const unit =
    t.unit === '%' ? '[%％]' : t.unit === '人次' ? '人(?:次|（次）|\\(次\\))' : t.unit ? esc(t.unit) : '(?:[个名人项条家辆期部次套所支件户门批处场]|万元|亿元|元|[%％])';
  const fig = `${num}${unit}`;
  for (const n of t.nouns) {
    const noun = esc(n.slice(0, Math.min(4, n.length)));
    // same clause: "吸纳71名党校教授、…等入选本土讲师", "购买摆渡车32辆"
    if (new RegExp(`${fig}[^，。；！？]{0,40}?${noun}|${noun}[^，。；！？]{0,40}?${fig}`).test(text)) return 2;
  }
  return new RegExp(fig).test(text) ? 1 : 0;
}
