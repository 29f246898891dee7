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
  /** Up to 6 characters of the counted noun after the measure word ("基层党组织", "摆渡车"). */
  noun?: string;
  /** The question asks for a list (哪些, 有什么, 主要举措…). */
  wantsList: boolean;
}

const UNITS = ['人次', '万元', '亿元', '元', '个', '名', '人', '项', '条', '家', '辆', '期', '部', '次', '套', '所', '支', '件', '户', '门', '批', '处', '场', '万'];

/** Reads the answer type of a question (see `AnswerType`). */
export function answerType(question: string): AnswerType {
  const q = question.replace(/\s+/g, '');
  const wantsList = /哪些|有什么|什么样的|哪几|举措|做法|措施|经验|怎么(做|办|储备|抓|推进)|如何/.test(q);
  const m = /(多少|几)(.{0,8})/.exec(q);
  if (m) {
    const rest = m[2]!;
    const unit = UNITS.find((u) => rest.startsWith(u));
    const noun = (unit ? rest.slice(unit.length) : rest).split(/[，。？！、?,;；：“”\s]|的|呢|吗|了|呀/)[0]!.slice(0, 6) || undefined;
    return { wantsFigure: true, unit: unit ?? (/占比|比例|比重|百分之|率/.test(q) ? '%' : undefined), noun, wantsList };
  }
  if (/占比|比例|比重|覆盖率|百分之/.test(q)) return { wantsFigure: true, unit: '%', wantsList };
  if (/增至|达到|达|提升至|提高到/.test(q) && /[？?]$/.test(q)) return { wantsFigure: true, wantsList };
  return { wantsFigure: false, wantsList };
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
  const unit = t.unit === '%' ? '[%％]' : t.unit ? esc(t.unit) : '(?:[个名人项条家辆期部次套所支件户门批处场]|万元|亿元|元|[%％])';
  const fig = `${num}${unit}`;
  if (t.noun && t.noun.length >= 2) {
    const noun = esc(t.noun.slice(0, Math.min(4, t.noun.length)));
    // same clause: "吸纳71名党校教授、…等入选本土讲师", "购买摆渡车32辆"
    if (new RegExp(`${fig}[^，。；！？]{0,40}?${noun}|${noun}[^，。；！？]{0,40}?${fig}`).test(text)) return 2;
  }
  return new RegExp(fig).test(text) ? 1 : 0;
}
