import { isShortFormOf, namesForm } from '../ingest/abbreviation.js';
import { dictionaryEntry, getJieba } from '../ingest/segment.js';

/**
 * Figures in Chinese text and what they count. A figure is a number (digits with decimals, or Chinese
 * numerals up to 万) with an optional 余/多 and 万/亿, followed by a measure word (量词) or a percent sign:
 * “1680个基层党组织”, “摆渡车32辆”, “年均报酬达到5.3万元”, “大专以上学历占90%”.
 *
 * Unit classes follow Chinese usage: 个/名/人/位/人次 can all count people, so a question asking 多少名党员
 * accepts “党员382人”; money (元, 万元, 亿元, 多少钱) and percentages (%, 占比, 比例) are classes of their own.
 */
export type UnitClass = 'count' | 'money' | 'percent' | 'time' | 'age';

/** Measure words by class. Sources: the five reports' printed figures and 《现代汉语量词用法词典》 common 量词. */
const MONEY_UNITS = ['亿元', '万元', '千元', '元'];
const PERCENT_UNITS = ['个百分点', '%', '％', '成'];
const TIME_UNITS = ['个月', '个工作日', '工作日', '年', '天', '日', '小时', '学时', '课时', '分钟', '周'];
/** Ages: 45周岁, 35岁以下 (asked by 多大年纪, 几岁, 年龄). */
const AGE_UNITS = ['周岁', '岁'];
const COUNT_UNITS = [
  '人次', '人（次）', '人(次)', '余人', '万千瓦', '千瓦', '平方米', '平方公里', '平米', '公顷', '公里', '亩',
  '个', '名', '人', '位', '项', '条', '家', '辆', '期', '部', '次', '套', '所', '支', '件', '户', '门', '批', '处', '场', '类',
  '级', '份', '块', '座', '间', '张', '本', '篇', '种', '台', '栋', '组', '届', '轮', '队', '册', '堂', '节', '场次', '户次', '万',
  // weights (销售稻虾米860吨)
  '公斤', '千克', '吨',
  // only after digits: points of a score (积分90分以上; 十分 is “very”, 三分之一 a fraction), the length of a text
  // (述职报告不超过3000字; 一字 is a word), pairs (结对对子128对; 对 is also “to”)
  '分', '字', '对',
];
const ALL_UNITS = [...MONEY_UNITS, ...PERCENT_UNITS, ...TIME_UNITS, ...AGE_UNITS, ...COUNT_UNITS].sort((a, b) => b.length - a.length);

/** The class of a measure word (undefined for a word that is not one). */
export function unitClass(unit: string): UnitClass | undefined {
  if (MONEY_UNITS.includes(unit) || unit === '钱') return 'money';
  if (PERCENT_UNITS.includes(unit)) return 'percent';
  if (TIME_UNITS.includes(unit)) return 'time';
  if (AGE_UNITS.includes(unit)) return 'age';
  if (COUNT_UNITS.includes(unit)) return 'count';
  return undefined;
}

/** Measure words that count only after Latin digits (see COUNT_UNITS). */
const DIGIT_ONLY_UNITS = new Set(['分', '字', '对']);

/** Measure words of actions (动量词): 考核几次 counts 考核, and 6项指标 does not answer it. */
export const VERBAL_UNITS = /^(次|遍|回|趟|轮|场次)$/;

/**
 * Measure words that count the same kind of thing, so a question in one is answered by a figure in another:
 * people (储备多少人 ↔ 储备30名), items of a list (多少条措施 ↔ 措施58项), sessions (几期 ↔ 2批), places (几处 ↔ 3座).
 * 个 is the general measure word and goes with any of them (not with a standard measure, `STANDARD_MEASURES`). Source: 《现代汉语量词用法词典》 (名量词 by what they count).
 */
const UNIT_KINDS: ReadonlySet<string>[] = [
  new Set(['名', '人', '位', '余人', '人次', '人（次）', '人(次)', '户次']),
  new Set(['项', '条', '件', '类', '种', '门']),
  new Set(['期', '批', '场', '场次', '轮', '届', '次', '堂', '节']),
  new Set(['处', '座', '所', '间', '栋']),
  // areas (使用面积不少于30平方米, 流转土地1200亩)
  new Set(['平方米', '平米', '平方公里', '公顷', '亩']),
];

/**
 * Standard measures (度量衡: areas, lengths, weights, power), which count no individual things: 个 goes with none of them
 * (多少个党群服务中心 is not answered by 200平方米). Source: 《现代汉语量词用法词典》 (度量词 beside 个体量词).
 */
const STANDARD_MEASURES = new Set(['平方米', '平米', '平方公里', '公顷', '亩', '公里', '公斤', '千克', '吨', '千瓦', '万千瓦']);

/** True when a figure in measure word `b` can answer a question asked in `a` (see `UNIT_KINDS`, `STANDARD_MEASURES`). */
export function sameKind(a: string, b: string): boolean {
  if (a === b) return true;
  if ((a === '个' && STANDARD_MEASURES.has(b)) || (b === '个' && STANDARD_MEASURES.has(a))) return false;
  if (a === '个' || b === '个' || a === '万' || b === '万' || !b) return true;
  return UNIT_KINDS.some((k) => k.has(a) && k.has(b));
}

/** Measure words that count people (名, 人, 位 are interchangeable: 储备多少人 ↔ 储备30名). */
const PEOPLE = new Set(['名', '人', '位', '余人']);

/** True when `unit` is a measure word of people (名, 人, 位, 余人; see PEOPLE). */
export function isPeopleUnit(unit: string): boolean {
  return PEOPLE.has(unit);
}

/** The measure word at the start of `text`, longest first (“万元” before “万”), or undefined. */
export function leadingUnit(text: string): string | undefined {
  return ALL_UNITS.find((u) => text.startsWith(u));
}

const CN_DIGITS = '零〇一二两三四五六七八九十百千万';
const NUMBER = new RegExp(`(?<![0-9.])\\d+(?:\\.\\d+)?|(?<![${CN_DIGITS}])[一二两三四五六七八九十百千]{1,6}(?![${CN_DIGITS}])`, 'g');

/** The direction of a bound: a floor (`min`: 不少于20天) or a ceiling (`max`: 不超过2万元, 3天以内). */
export type Limit = 'min' | 'max';

/**
 * The direction of a bound from the words before and after its figure: “不少于|20天”, “3天|以内”, “不得超过|10天”.
 * Undefined when the words set none. 超过/高于/多于 alone state a floor (超过50人的村); said with 不得/不能 they cap.
 */
export function boundLimit(before: string, after: string): Limit | undefined {
  if (/^(?:以上|及以上)/.test(after)) return 'min';
  if (/^(?:以下|以内|及以下)/.test(after)) return 'max';
  if (/(?:不得|不能|不应|不宜|不)(?:超过|高于|多于)$|(?:最多|最高|最长|不足|上限为?)$/.test(before)) return 'max';
  if (/(?:不得|不能|不应|不宜|不)(?:少于|低于)$|(?:超过|高于|多于|至少|最少|最低|最短|满|下限为?)$/.test(before)) return 'min';
  if (/(?:少于|低于)$/.test(before)) return 'max';
  return undefined;
}

/** An amount a question states with its measure word: 请5天假 → 5 天, 只得了70分 → 70 分, 2万元 → 20000 万元 (see `conditionFit`). */
export interface StatedAmount {
  value: number;
  unit: string;
}

/** The amounts `question` states in digits with a measure word as a case (请5天假), years, dates and bounds left out. */
export function statedAmounts(question: string): StatedAmount[] {
  const out: StatedAmount[] = [];
  for (const m of question.matchAll(/(?<![\d.])(\d+(?:\.\d+)?)(?![\d.])/g)) {
    const unit = leadingUnit(question.slice(m.index! + m[0].length));
    if (!unit || (unit === '年' && m[1]!.length === 4) || /^月/.test(unit)) continue;
    // (an amount the question bounds itself, 超过50人的, 收入过50万的, is a filter, not a case: see `readRowFilter`)
    const before = question.slice(Math.max(0, m.index! - 4), m.index!);
    if (/过$/.test(before) || boundLimit(before, question.slice(m.index! + m[0].length + unit.length))) continue;
    out.push({ value: Number(m[1]) * (unit.startsWith('万') ? 10_000 : 1), unit });
  }
  return out;
}

/**
 * Whether a text states a condition that an amount the question states meets, clause by clause: a range (60分至74分), a
 * floor (3天以上) or a ceiling (3天以内, 60分以下) in the amount's measure word, read by `inRange`. Returns a test, its
 * patterns compiled once for the question's amounts, giving 1 when one clause's condition is met (a rule's tier that
 * applies: 请5天假 ← “3天以上的，由……共同审批”), -1 when the text states such conditions and none is met (“3天以内（含3天）
 * 的”), 0 when it states none.
 */
export function conditionFit(amounts: readonly StatedAmount[]): (text: string) => -1 | 0 | 1 {
  const stating = amounts.map(({ value, unit }) => ({ value, pattern: new RegExp(`\\d${unit.replace(/[()（）%]/g, '\\$&')}[^，；。\\d]{0,8}?(?:以上|以下|以内|至|到|-|－|~|～|—)`) }));
  return (text) => {
    let stated = false;
    for (const clause of text.split(/[，；。]/)) {
      for (const { value, pattern } of stating) {
        if (!pattern.test(clause)) continue;
        stated = true;
        if (inRange(clause, value)) return 1;
      }
    }
    return stated ? -1 : 0;
  };
}

/**
 * True when `cell` states a range that holds `n`: “3000元以下（含3000元）” (≤), “5000元以上至10000元”, “5000-10000元”,
 * “60分至74分” (≥, ≤), “10000元以上” (>), “35岁以下”. Bounds written with 万 are multiplied out. False for a cell that states no range.
 */
export function inRange(cell: string, n: number): boolean {
  const c = cell.replace(/[（(][^）)]*[）)]/g, '').replace(/[,，](?=\d{3})/g, '');
  const num = (x: string, wan?: string) => Number(x) * (wan ? 10_000 : 1);
  // (“5000元以上至10000元” leaves 5000 to the tier below; “60分至74分” holds 60)
  const between = /(\d+(?:\.\d+)?)(万)?[^\d]{0,4}?(以上)?(?:至|到|-|－|~|～|—)(\d+(?:\.\d+)?)(万)?/.exec(c);
  if (between) return (between[3] ? n > num(between[1]!, between[2]) : n >= num(between[1]!, between[2])) && n <= num(between[4]!, between[5]);
  const below = /(\d+(?:\.\d+)?)(万)?[^\d]{0,4}?(?:以下|及以下|以内)/.exec(c);
  if (below) return n <= num(below[1]!, below[2]);
  const above = /(\d+(?:\.\d+)?)(万)?[^\d]{0,4}?(?:以上|及以上)/.exec(c);
  if (above) return n > num(above[1]!, above[2]);
  return false;
}

/** The longest tail all `words` end with (村党组织, 社区党组织 → 党组织). */
function commonSuffix(words: string[]): string {
  let n = 0;
  while (n < Math.min(...words.map((w) => w.length)) && words.every((w) => w[w.length - 1 - n] === words[0]![words[0]!.length - 1 - n])) n++;
  return words[0]!.slice(words[0]!.length - n);
}

/** A figure found in a text, with what it counts. */
export interface FigureSpan {
  /** As printed, e.g. “1680个”, “5.3万元”, “90%”. */
  text: string;
  start: number;
  end: number;
  unit: string;
  cls: UnitClass;
  /** The noun phrase the figure counts: the one right after it, else the one right before it (skipping a verb of amount). */
  counted: string;
  /** Where `counted` stands: after the figure (“1680个|基层党组织”) or before it (“摆渡车|32辆”). */
  side: 'after' | 'before';
  /** The words of `counted` (jieba), so a run-on phrase can be cut at a word boundary. */
  words: string[];
  /** A bound, not a count: “3名以上的”, “不超过2名”, “不少于60%” (a rule's threshold or a target). */
  bound: boolean;
  /** Which way the bound goes, when its words say: `min` (不少于, 至少, 以上, 满, 超过), `max` (不超过, 以内, 以下, 最多, 不足). */
  limit?: Limit;
  /**
   * A bound that states a condition, not an amount: “正式党员3人以上的村”, “外出6个月以上的”, “任职满3年”.
   * A stipulated amount (“每年不少于10万元的标准”, “顺延不得超过10天”) is a bound but not a condition: it answers
   * 有多少 in a rule text.
   */
  condition: boolean;
}

/** The figure a 多少/几 question asks for (read by `readFigureAsk` in query.ts). */
export interface FigureAsk {
  /** Measure word as asked (个, 名, 份, 万元, %), when given. */
  unit?: string;
  /** Class of the asked measure word; `count` when none is given. */
  cls: UnitClass;
  /** The counted noun phrase (“党建责任清单”, “党员”, “摆渡车”), when the question names one. */
  noun?: string;
  /** Its head word, the last word of the phrase (“清单”, “党员”); a figure must count this. */
  head?: string;
  /** Official words the glossary gives for the noun (歇脚点 → 驿站), matched like the head. */
  alternatives?: string[];
  /** A noun phrase the question puts before the noun with 的 (实地考核的事项 → 实地考核): which of the noun's figures is asked. */
  qualifier?: string;
  /** The question asks for a bound (最多, 至少, 不超过, 上限, a target 计划……多少): bounds answer it first. */
  bound?: boolean;
  /** Which way the asked bound goes (最少/至少/起码 → `min`, 最多/最长/上限 → `max`): a bound the other way does not answer. */
  limit?: Limit;
  /** The noun is a verb whose length of time is asked (材料要留存几年, 公示几天): a time right after it answers. */
  action?: boolean;
  /** The question asks for a rule's threshold (多少人以上的村, 外出多久要): a condition (“3人以上的”) answers it. */
  threshold?: boolean;
  /** The question asks for a total (一共, 总共, 共有, 总数, 合计): a figure counting a part of the noun does not answer. */
  total?: boolean;
  /** The question's text (white space removed): a modifier it states itself (新发展了多少党员 → 新发展党员) narrows no total. */
  asked?: string;
  /**
   * No measure word was asked (多少党费, 多少公益基金): `cls` is a guess, and a figure of another class that counts
   * the asked noun (“党费0.2元”, “575万元公益基金”) answers too.
   */
  anyClass?: boolean;
  /**
   * The amount asked is a rate per use or per head (坐一趟收多少钱, 每人发多少钱, 一次补多少) or an average per unit
   * (平均每个村): a figure stated as a rate (每人500元, 人均, 村均, 500元/次, 收费标准) answers it, a total spent or raised
   * (整合资金199.2万元) does not.
   */
  perUse?: boolean;
}

/**
 * The marks of an amount stated as a rate in its clause: 每/均 (每人每月300元, 人均, 年均), a slash (20元/次), one use
 * or head (一次, 一趟, 一人, 单笔, 单户), a price or fee (票价, 单价, 收费, 标准).
 */
export const RATE_STATED = /每|均|[\/／]|一[次趟回张人户份场位笔]|单[笔次项价户人]|票价|价格|收费|标准/;

/** The result of `matchFigure`. */
export interface FigureMatch {
  strength: 0 | 1 | 2;
  figure?: FigureSpan;
  /** The figure counts the whole asked noun phrase (“1680个基层党组织” for 多少个基层党组织), not only its head. */
  exact?: boolean;
}

/**
 * How well a text answers a figure ask: 2 = a figure of the asked class that counts the asked noun (its
 * counted phrase ends with the head: “1680个基层党组织” for 多少个党组织, “摆渡车32辆”), 1 = a figure of the
 * asked class with the noun later in the same clause (“吸纳71名党校教授……入选本土讲师”), or, for money and
 * percentages, with the noun anywhere in the clause; 0 = none. “参与积分兑换的党员群众76名” counts 群众, so it
 * does not answer 多少名党员.
 */
export function matchFigure(text: string, ask: FigureAsk): FigureMatch {
  // the asked phrase must be counted whole when it has a modifier (流动党员: 发展党员 and 党员 are other things);
  // a bare noun (党员, 党组织) is also counted by a more specific phrase ending with it (从业党员, 基层党组织)
  const heads = [ask.noun === ask.head ? ask.head : undefined, ask.noun, ...(ask.alternatives ?? [])].filter((h): h is string => !!h && h.length >= 1);
  let best: FigureMatch = { strength: 0 };
  for (const f of findFigures(text)) {
    // a figure of another class answers only an ask with no measure word, and only by counting the asked noun
    const otherClass = ask.cls !== f.cls;
    // (a threshold asked with neither measure word nor noun, 缺课缺多少就得补训, may be stated in any measure: 超过8学时的)
    const anyThreshold = !!ask.anyClass && !!ask.threshold && !heads.length;
    if (otherClass && !anyThreshold && (!ask.anyClass || !heads.length || f.cls === 'time' || f.cls === 'age')) continue;
    // 考核几次 counts actions (次, 遍, 轮), not things (6项指标); an amount asked with no measure word (一次顶多能拿多少) is
    // never a number of times (asked, it has its measure word: 几次, 多少次)
    if (ask.unit ? VERBAL_UNITS.test(ask.unit) !== VERBAL_UNITS.test(f.unit) : VERBAL_UNITS.test(f.unit)) continue;
    // 办了几期 counts sessions: “培养积极分子50名” counts something else
    if (ask.unit && ask.cls === 'count' && f.cls === 'count' && !sameKind(ask.unit, f.unit)) continue;
    // “流动党员3名以上的，应当成立……” states a condition, not how many there are
    if (f.condition && !ask.threshold) continue;
    // a rate asked (坐一趟收多少钱) is not answered by a sum its clause states as no rate (整合资金199.2万元)
    if (ask.perUse && (f.cls === 'money' || f.cls === ask.cls) && !RATE_STATED.test(clauseOf(text, f).text)) continue;
    // …and a total asked (一共有多少名党代表) is not answered by an amount stated per unit (每个接待日安排不少于2名党代表)
    if (ask.total && perUnit(text, f)) continue;
    // a bound question (最多, 至少, 不超过) is answered by a bound first: “最多能推迟几天” ← “不得超过10天”, not “固定1天”
    const cap = ask.bound && !f.bound ? 1 : 2;
    if (!heads.length) {
      // no noun asked: a figure in the asked measure word (人次, 万元) answers; any figure of the class less well
      // (“20个字” is 20 of the measure word 字 counted with 个: it answers 多少字 as “3000字” does)
      const sameUnit = !!ask.unit && ask.unit !== '钱' && (f.unit === ask.unit || (ask.unit === '人次' && /^人[（(]次/.test(f.unit)) || (PEOPLE.has(ask.unit) && PEOPLE.has(f.unit)) || (f.unit === '个' && f.counted === ask.unit));
      // 多少钱, 百分之几 with nothing named: any sum of money or share is only near the question (“专项经费360万元” for
      // 门票多少钱, “覆盖率57.3%” for 党费按工资的百分之几)
      if ((sameUnit || (ask.cls !== 'count' && ask.cls !== 'money' && ask.cls !== 'percent')) && cap === 2) return { strength: 2, figure: f };
      if (best.strength < 1) best = { strength: 1, figure: f };
      continue;
    }
    const { start: clauseStart, text: clause } = clauseOf(text, f);
    // the phrases the figure may count: after it, each run of its first words (“基层党组织|全面进步” → 基层党组织);
    // before it, the whole run (“党员群众76名” counts 群众, not 党员)
    // a number of people in a body (“红色代办员队伍46人”, “志愿服务队120人”) counts its members
    const members = f.side === 'before' && PEOPLE.has(f.unit) ? COLLECTIVE.exec(f.counted)?.[1] : undefined;
    const phrases = f.side === 'after' ? f.words.map((_, i) => f.words.slice(0, i + 1).join('')) : [f.counted, ...(members ? [members] : [])];
    // a figure counting a list of kinds that then become one thing (“吸纳71名党校教授、领导干部、专家学者等入选本土讲师”,
    // “选派45名机关干部、后备干部等担任第一书记”) counts that thing too
    // (so does a count closing a list by 等 and named what it becomes: “命名…技术服务岗等12个岗位为“党员先锋岗””)
    const became = f.side === 'after' ? (LIST_BECOMES.exec(text.slice(f.end, clauseStart + clause.length)) ?? (text[f.start - 1] === '等' ? COUNTED_AS.exec(text.slice(f.end, clauseStart + clause.length)) : null)) : null;
    if (became) phrases.push(nounPhraseAt(became[1]!));
    // the counted phrase ends with the asked head (“基层党组织” for 党组织), or is the tail of the asked noun that the
    // clause spells out in full (“摆渡车32辆”: 车); a more general noun (党员 for 新党员) is not the asked one
    // a modifier stated once for a run of figures in the sentence (“新业态企业129家，从业人员2100余人，从业党员32人”
    // for 新业态从业党员) when the figure counts more than the bare head (从业党员, not 党员)
    const sentenceBefore = text.slice(sentenceOf(text, f).start, f.start);
    // (quotation marks are orthography here: 村“两委”…“一肩挑”比例 states 村两委一肩挑比例)
    const unquoted = sentenceBefore.replace(/[“”]/g, '');
    // a share counts what its measure noun is the share of: “大专及以上学历的比例达到60%” is the share of 大专及以上学历
    const share = f.side === 'before' && SHARE_NOUN.test(f.counted);
    const beforeVerb = unquoted.replace(AMOUNT_VERB, '');
    const lead = share ? beforeVerb.replace(SHARE_NOUN, '') : beforeVerb;
    if (share) phrases.push(f.counted.replace(SHARE_NOUN, '') || lead.split(/[，,；;：:]/).pop()!);
    const modifierStated = (h: string) => {
      for (let k = h.length - 1; k > (ask.head?.length ?? h.length); k--) {
        const tail = h.slice(h.length - k);
        const rest = h.slice(0, h.length - k);
        if (lead.endsWith(tail)) return lead.slice(0, lead.length - k).includes(rest);
        if (text.startsWith(tail, f.end)) return unquoted.includes(rest);
      }
      return false;
    };
    // (a name the sentence spells out in full and then shortens to its last word of three characters or more counts
    // as the full name: “推行“党员中心户”工作法……选出中心户46户”; 党员 for 流动党员 is too short to be one)
    // a short form counts as its full form (远程教育站点 for “479个远程教育终端站点”, 村支书 for 村党支部书记)
    // a total asked of a bare noun (一共有多少名党员) is not a part of it (发展党员69名, 女性党员21名): only the noun itself
    // or the noun with a word of scope (全县党员, 党员总数) counts it
    const partOf = (c: string, h: string) => {
      if (!ask.total || c.length < h.length) return false;
      // (a quoted name is one thing whatever its words: “党员先锋岗” is the 先锋岗 asked, no kind of it)
      if (text.includes(`“${c}”`)) return false;
      // (a modifier the question states itself is what it asks the total of: 全县一共新发展了多少党员 ← 新发展党员200名)
      if (c !== h) {
        const modifier = c.slice(0, c.length - h.length);
        return !SCOPE.test(modifier) && !(ask.asked && getJieba().cut(modifier, false).every((w) => ask.asked!.includes(w)));
      }
      // “生产工作一线党员41名”: the word before the counted noun modifies it
      if (f.side !== 'before') return false;
      const at = text.lastIndexOf(c, f.start);
      // 其中/从中 open a part of a set named before (从中发展党员27名 of all new members)
      if (/(?:其中|从中)$/.test(text.slice(clauseStart, at))) return true;
      const prev = at > clauseStart ? getJieba().tag(text.slice(clauseStart, at), true).at(-1) : undefined;
      return !!prev && /^(n|vn|a|b|m|nz|j|l|an|s)/.test(prev.tag) && !SCOPE.test(prev.word);
    };
    // a colloquial shortening (两新党建专项经费 ← “两新”组织党建工作专项经费): the asked noun's words stand in its order
    // in the clause before the figure, and its last word ends the counted phrase
    const clauseBefore = text.slice(clauseStart, f.start);
    const inOrder = (h: string) => {
      const words = nounWords(h);
      if (words.length < 2) return false;
      const before = clauseBefore.replace(/[“”]/g, '');
      let at = 0;
      for (const w of words) {
        const k = before.indexOf(w, at);
        if (k < 0) return false;
        at = k + w.length;
      }
      return true;
    };
    // (a length of time asked of an action, 公示几天, is the time that follows the verb: “公示5个工作日”, “保存期限不少于10年”)
    const acted = !!ask.action && f.cls === 'time' && !f.counted && heads.some((h) => clauseBefore.slice(-10).includes(h));
    // (a time after another verb, 每年固定2天集中述职 for 最多能推迟几天, is only near the question)
    if (ask.action && f.cls === 'time' && !acted) {
      if (best.strength < 1) best = { strength: 1, figure: f };
      continue;
    }
    const strong = acted || heads.some((h) =>
      phrases.some((c) => c && !partOf(c, h) && (c.endsWith(h) || (c !== h && isShortFormOf(h, c)) || (h.endsWith(c) && (clause.includes(h) || modifierStated(h) || (c.length >= 3 && unquoted.includes(h)))) || (f.side === 'before' && c.endsWith(nounWords(h).at(-1) ?? h) && inOrder(h)))),
    );
    if (otherClass && !strong) continue;
    const counted = phrases.find((c) => ask.noun && c.endsWith(ask.noun)) ?? f.counted;
    // figures in Chinese numerals name small sets (评选出的十个党组织, 三大课堂), not statistics: never better than weak
    if (strong && /\d/.test(f.text) && cap === 2) {
      const exact = !!ask.noun && counted.endsWith(ask.noun);
      if (exact) return { strength: 2, figure: f, exact };
      if (best.strength < 2) best = { strength: 2, figure: f };
      continue;
    }
    if (strong && best.strength < 1) best = { strength: 1, figure: f };
    // a total is a figure counting the noun itself, never one that only stands near it
    if (ask.total) continue;
    // “14个乡镇的全部行政村”: what follows 的 belongs to the counted thing, it is not counted
    const owned = f.side === 'after' && text.startsWith('的', f.end + f.counted.length);
    const later = owned ? '' : text.slice(f.end, clauseStart + clause.length);
    // money and percentages name their subject anywhere in the sentence (“村干部……年均报酬达到5.3万元”); a figure
    // closing a clause with no noun of its own counts the clause's subject (“在职党员到社区“双报到”25名”)
    const before = clauseBefore;
    const weak = heads.some(
      // (quotation marks are orthography: 县直机关“五星支部”占比 names 县直机关五星支部)
      (h) => h.length >= 2 && (namesForm(later, h) || ((ask.cls === 'money' || ask.cls === 'percent') && namesForm(text.replace(/[“”]/g, ''), h)) || (!f.counted && namesForm(before, h))),
    );
    if (weak && best.strength < 1) best = { strength: 1, figure: f };
  }
  return best;
}

/**
 * The loosest answer to a figure ask, for when no figure counts the asked noun (strength 0 in `matchFigure`): a figure
 * of the asked class, in the asked kind of measure word, whose own clause (see `clauseOf`) names a content word of the
 * asked noun: “开发政治理论、党性教育课程103门” for 多少门党性教育方面的课, “景点招收吸纳周边农牧民就业96名” for 招了多少附近牧民.
 * A chat question names the counted thing in its own words (方面, 附近, 搞…的), so the counted phrase rarely ends with
 * it; its most specific word in the figure's clause is the evidence left, unless the figure names what it counts
 * after it and that is something else, or before it with the word only as a modifier (党代表联络工作室1个). For a total
 * asked, a figure stated per unit (每个接待日2名) is none. The most specific word is the one least frequent in general
 * Chinese (jieba's dictionary counts, a word outside it 0: 党性 150 before 方面 26,963 in 党性教育方面). Content words are jieba words of two characters or more
 * that are not numerals, measure words, pronouns, localisers, adverbs or function words. Conditions (“3名以上的”)
 * answer only a threshold ask, as in `matchFigure`. `context` (the passage's title and headings) may hold the key word
 * of a figure that counts the asked noun's head. Returns the figure, or undefined (also when the ask names no noun:
 * `matchFigure` already takes any figure of the class then).
 */
export function looseFigure(text: string, ask: FigureAsk, context = ''): FigureSpan | undefined {
  if (!ask.noun) return undefined;
  const words = contentWords(ask.noun);
  if (!words.length) return undefined;
  // the noun's most specific word must be there: 不合格的党员比例 is not answered beside 优秀的党员
  const frequency = (w: string) => dictionaryEntry(w)?.freq ?? 0;
  const key = words.reduce((a, b) => (frequency(b) < frequency(a) ? b : a));
  for (const f of findFigures(text)) {
    // (a length of time is asked of a noun only when the noun is one, 志愿时长: its hours are its measure, they count nothing)
    if (f.cls !== ask.cls || f.cls === 'age' || (f.cls === 'time' && !DURATION_NOUN.test(ask.noun))) continue;
    if (ask.unit && VERBAL_UNITS.test(ask.unit) !== VERBAL_UNITS.test(f.unit)) continue;
    if (ask.unit && ask.cls === 'count' && !sameKind(ask.unit, f.unit)) continue;
    if (f.condition && !ask.threshold) continue;
    if (ask.total && perUnit(text, f)) continue;
    // (…or, for a figure counting the asked noun's head itself, in its sentence or in the `context` of its passage, the
    // title and headings: “选聘导师23名，每名导师帮带…”, or “选聘导师41名” in a 导师帮带 简报, for 多少名帮带导师)
    const countsHead = !!ask.head && f.counted.endsWith(ask.head);
    if (!clauseOf(text, f).text.replace(/[“”]/g, '').includes(key) && !(countsHead && `${sentenceOf(text, f).text}\n${context}`.replace(/[“”]/g, '').includes(key))) continue;
    // a figure with its noun after it counts that noun (“14个乡镇的全部行政村” counts 乡镇, not 行政村)
    if (f.side === 'after' && f.counted && !words.some((w) => f.counted.includes(w))) continue;
    // …and one with its noun before it whose noun holds the word only as a modifier of another thing counts that thing
    // (“设立党代表联络工作室1个” counts 工作室, not 党代表), unless the question names its head too (党性教育课程 for
    // 党性教育方面的课) or it is people at large (研发人员 for 搞研发的)
    if (f.side === 'before' && f.counted.includes(key) && !f.counted.endsWith(key)) {
      const head = getJieba().cut(f.counted, false).at(-1) ?? '';
      if (!GENERIC_HEAD.test(head) && ![...head].some((c) => (ask.asked ?? ask.noun ?? '').includes(c))) continue;
    }
    return f;
  }
  return undefined;
}

/** Heads of a counted phrase that name people or things at large (研发人员, 技术人才, 骨干力量): they count what modifies them. */
const GENERIC_HEAD = /^(?:人员|人才|人|员|者|干部|队伍|力量|骨干)$/;

/** True when figure `f` is stated per unit in its clause (每个接待日安排2名, 人均, 户均): an amount for each, no total. */
function perUnit(text: string, f: FigureSpan): boolean {
  return /每|[人户村年月]均/.test(text.slice(clauseOf(text, f).start, f.start));
}

/**
 * A noun that is a length of time (志愿服务时长, 培训学时, 服务天数, and 时间 asked by an amount: 填表的时间前后差了多少): a
 * figure of time measures it.
 */
export const DURATION_NOUN = /(?:时长|时间|天数|学时数?|课时数?)$/;

/** Tags of words that name no content of a noun phrase (jieba/ICTCLAS: m numeral, q measure, r pronoun, f localiser, d adverb, p, c, u, y, e, o, x). */
const FUNCTION_TAG = /^(m|mq|q|r|rr|rz|f|d|p|c|u|uj|ul|uz|ug|uv|ud|y|e|o|x|t|tg)$/;

/** Content words of an asked noun (see `looseFigure`), remembered. */
function contentWords(noun: string): string[] {
  let w = contentWordCache.get(noun);
  if (!w) {
    w = getJieba().tag(noun, true).filter((x) => x.word.length >= 2 && !FUNCTION_TAG.test(x.tag)).map((x) => x.word);
    if (contentWordCache.size > 5000) contentWordCache.clear();
    contentWordCache.set(noun, w);
  }
  return w;
}
const contentWordCache = new Map<string, string[]>();

/** The sentence of `text` holding the span `f` (a figure): from the stop before it (。；！？) to the next. */
function sentenceOf(text: string, f: { start: number; end: number }): { start: number; text: string } {
  const start = Math.max(...['。', '；', '！', '？'].map((p) => text.lastIndexOf(p, f.start - 1))) + 1;
  const ends = ['。', '；', '！', '？'].map((p) => text.indexOf(p, f.end)).filter((i) => i >= 0);
  return { start, text: text.slice(start, ends.length ? Math.min(...ends) : text.length) };
}

/** The clause of `text` holding figure `f`: from the punctuation before it (，。；：！？) to the next (，。；！？). */
function clauseOf(text: string, f: FigureSpan): { start: number; text: string } {
  const start = Math.max(...['，', '。', '；', '：', '！', '？'].map((p) => text.lastIndexOf(p, f.start - 1))) + 1;
  const ends = ['，', '。', '；', '！', '？'].map((p) => text.indexOf(p, f.end)).filter((i) => i >= 0);
  return { start, text: text.slice(start, ends.length ? Math.min(...ends) : text.length) };
}

/** The words of an asked noun (jieba, two characters or more), remembered: 两新党建专项经费 → 两新, 党建, 专项, 经费. */
function nounWords(noun: string): string[] {
  let w = nounWordCache.get(noun);
  if (!w) {
    w = getJieba().cut(noun, false).filter((x) => x.length >= 2);
    if (nounWordCache.size > 5000) nounWordCache.clear();
    nounWordCache.set(noun, w);
  }
  return w;
}
const nounWordCache = new Map<string, string[]>();

/** A body of people (队伍, 团队, 服务队, 小组) closing a counted phrase, with what comes before it. */
const COLLECTIVE = /^(.{2,}?)(?:队伍|团队|服务队|工作队|小组|突击队)$/;

/** Words of scope that make a counted phrase the whole of its noun (全县党员, 全体党员, 各类党员). */
const SCOPE = /^(?:全[县州市省镇乡区村]?|全体|全部|所有|各类|各级|现有|总)?$/;

/** Verbs of amount that may stand between a noun and its figure: “资金增至1100万元”, “学历占90%”. */
/** The measure noun of a share closing what a percentage counts (女性成员比例, 学历的占比). */
const SHARE_NOUN = /的?(?:比例|比重|占比)$/;

const AMOUNT_VERB = /(?:保持在|稳定在|控制在|维持在|不超过|不少于|不低于|不高于|不多于|不足|最多|至少|最少|原则上|增至|增加到|增加|达到|提高到|提升至|提升到|提高|提升|增长|上升|下降|降低|上升至|超过|共计|累计|共有|合计|约|近|达|为|有|共|占|是|剩|剩下|减少到|减少至|压减至|压减到|精简到|精简至|缩减至|缩减到)$/;

/**
 * A comparison standing between a noun and its change (较上届, 比上年, 同比, 比去年同期): what the change is measured
 * against, not part of the noun. Shared with the question reader (学历比上届提高了多少 asks about 学历).
 */
export const COMPARISON = /(?:(?:比|较|相比)(?:上届|上年|上一年|去年|前年|上期|上月|同期|以前|过去|原来)|同比)(?:同期)?$/;

const NOUNISH = /^(n|nr|ns|nt|nz|ng|vn|j|an|nrt|nrfg|zg)$/;

/** Noun words right after `end` (up to 8 characters): “1680个|基层党组织”. */
function nounAfter(text: string, end: number): string[] {
  // a quoted name is the counted noun whole (“464个“全科网格””)
  const quoted = /^“([^”]{2,12})”/.exec(text.slice(end, end + 16))?.[1];
  if (quoted) return getJieba().cut(quoted, false);
  // (a quoted name inside the phrase is a word of it: 村“两委”成员 → 村两委成员)
  const tail = text.slice(end, end + 20).replace(/“([^“”]{1,10})”(?=[\u4e00-\u9fff])/g, '$1').split(/[，。；：、！？,;:!?（）()“”"《》\s]/)[0]!.slice(0, 16);
  if (!tail) return [];
  const words = getJieba().tag(tail, true);
  const kept: string[] = [];
  let out = '';
  let opened = false;
  for (const [i, w] of words.entries()) {
    // after an opening verb, a one-character head of whatever tag closes the phrase (摆渡|车, 观摩|点/m)
    const nounish = (NOUNISH.test(w.tag) && w.tag !== 'i') || (opened && kept.length === 1 && w.word.length === 1 && /[\u4e00-\u9fff]/.test(w.word));
    const next = words[i + 1];
    // a modifier (新/a 党员, 摆渡/v 车/zg, 远程教育/l 终端站点) may open the phrase; after a noun, the first non-noun
    // ends it (“党组织|全面进步”)
    const opener =
      !out &&
      (/^(a|b)$/.test(w.tag) ||
        (w.tag === 'l' && NOUNISH.test(next?.tag ?? '')) ||
        // (a verb with a one-character noun is a compound: 摆渡|车; with a word of its own it is a verb phrase:
        // “12个村设立|党员中心户”)
        (w.tag.startsWith('v') && (/^(zg|ng)$/.test(next?.tag ?? '') || (next?.word.length === 1 && /^(n|m|q)$/.test(next.tag) && /[\u4e00-\u9fff]/.test(next.word)))));
    if (!nounish && !opener) break;
    opened ||= opener && w.tag.startsWith('v');
    out += w.word;
    kept.push(w.word);
    if (out.length >= 8) break;
  }
  return kept;
}

/**
 * True when word `k` of a jieba tagging is a one-character measure word right after a noun (党员中心|户, 示范|点, 基础|分):
 * with no numeral before it, it closes a compound noun rather than measuring one. jieba tags such words q, zg or ng,
 * and some v (分): a measure word is also known as one by `unitClass`.
 */
export function measureClosesNoun(words: { word: string; tag: string }[], k: number): boolean {
  const w = words[k];
  return !!w && w.word.length === 1 && (/^(q|zg|ng)$/.test(w.tag) || !!unitClass(w.word)) && /^n/.test(words[k - 1]?.tag ?? '');
}

/** Noun words right before `start` (up to 4), skipping one verb of amount: “摆渡车|32辆”, “资金增至|1100万元”. */
function nounBefore(text: string, start: number): string[] {
  // a quoted name glued to the noun after it is a part of the phrase, one word (“一肩挑”比例 → 一肩挑|比例); a quote
  // left open or closed alone ends the phrase
  const marked = text.slice(Math.max(0, start - 24), start).trimEnd().replace(/“([^“”]{1,10})”(?=[\u4e00-\u9fff])/g, '\u0001$1\u0002');
  let head = marked.split(/[，。；：、！？,;:!?（）()“”"《》\s]/).pop()!;
  head = head
    .replace(AMOUNT_VERB, '')
    .replace(/[了的]$/, '')
    .replace(AMOUNT_VERB, '')
    // (the amount before a change, 出勤率由去年的76%, 满意度从整顿前的68.5%: the noun stands before 由/从)
    // (…or a year, 平均金额由2030年的16.8万元)
    .replace(/(?:由|从)(?:原来|原先|以前|过去|之前|去年|前年|上年|上届|年初|\d{4}年(?:底|末|初)?|[\u4e00-\u9fff]{2}[以之]?前)?的?$/, '')
    // (a body and the people it is made of, 选举委员会由5至7人组成: the lower end of a range and 由 stand between them)
    .replace(/\d+(?:\.\d+)?[至到~～－—-]$/, '')
    .replace(/(?:一般|通常)?由$/, '')
    // (an adverb of the amount, 满意度|平均|为, 分别|是, says how the figure is stated, not what it counts)
    .replace(/(?:平均|分别|各自)$/, '')
    // a comparison before the amount measures the noun (学历较上届提升11%, 收入比上年增长8%): the noun stands before it
    .replace(COMPARISON, '');
  if (!head.replace(/[\u0001\u0002]/g, '')) return [];
  const words = head.split(/\u0001([^\u0002]*)\u0002/).flatMap((piece, k) => (k % 2 ? [{ word: piece, tag: 'nz' }] : piece ? getJieba().tag(piece, true) : []));
  const kept: string[] = [];
  let out = '';
  for (let i = words.length - 1; i >= 0; i--) {
    const w = words[i]!;
    // a noun closed by a one-character word that is also a measure word (党员中心|户, 示范|点, 基础|分) keeps it
    if (!out && measureClosesNoun(words, i)) {
      out = w.word;
      kept.unshift(w.word);
      continue;
    }
    // “党员总数达到1203人” counts 党员: a word naming the count itself is not the thing counted
    // (nor is a word naming the sum, 彩礼平均金额由…: 金额, 总额, 数额, nor 平均 before it)
    if (!out && /^(总数|人数|数量|总量|总计|数目|规模|金额|总额|数额|平均)$/.test(w.word)) continue;
    // jieba tags some nouns as adjectives (清单/a) and some as phrases (发展党员/l): they may end the phrase, not open it
    // an agent noun that jieba cuts into a verb and its suffix (代办|员, 调解|员, 志愿|者) is one noun
    const agent = !!out && /^v/.test(w.tag) && /^[员者师手]$/.test(kept[0] ?? '');
    if (!NOUNISH.test(w.tag) && !(out && w.tag === 'f') && !/^(a|b)$/.test(w.tag) && !(!out && w.tag === 'l') && !agent) break;
    out = w.word + out;
    kept.unshift(w.word);
    if (out.length >= 10) break;
  }
  return kept;
}

/**
 * Every figure of `text` with its counted noun phrase. Years and dates (2024年, 10月28日), ordinals (第三批)
 * and Chinese numerals that are part of words (一体, 三会一课) are not figures: a Chinese numeral counts only
 * when a measure word follows it and it is not preceded by 第.
 */
export function findFigures(text: string): FigureSpan[] {
  const cached = figureCache.get(text);
  if (cached) return cached;
  const out = readFigures(text);
  if (figureCache.size >= FIGURE_CACHE_SIZE) figureCache.delete(figureCache.keys().next().value!);
  figureCache.set(text, out);
  return out;
}

/** Texts whose figures are remembered (passages and sentences recur across questions; jieba tagging dominates). */
const FIGURE_CACHE_SIZE = 20_000;
const figureCache = new Map<string, FigureSpan[]>();

/**
 * Whether a Chinese numeral of time (一个月, 一年, 三个工作日) at `start`–`stop` of `text` is a duration, as rule texts
 * write them (“应当在一个月内派人谈话”, “预备期为一年。”, “一年以上的培养”): it stands before a limit (内, 以上…) or the
 * clause's end, or after a verb of duration (为, 满, 经过, 连续, 不少于…). Elsewhere it is part of a phrase, not an
 * amount: 一年来, 三年行动计划, 一年一度, 两年一次.
 */
function isChineseDuration(text: string, start: number, stop: number): boolean {
  if (/^(?:内|以内|之内|以上|以下|左右|[。；，、;,）)]|$)/.test(text.slice(stop, stop + 2))) return true;
  return /(?:为|满|经过|连续|不少于|不超过|不低于|不满|超过|至少|长达|历时|期限)$/.test(text.slice(Math.max(0, start - 3), start));
}

function readFigures(text: string): FigureSpan[] {
  const out: FigureSpan[] = [];
  for (const m of text.matchAll(NUMBER)) {
    const at = m.index!;
    // an ordinal or a label's number (第3, 附件2, 表1, 图3) is no amount: “按照附件2对结对共建工作进行考核”
    // (表/图 as a label only: opening the text or after a non-word or 见; 代表12名 is an amount)
    if (text[at - 1] === '第' || /(?:附件|附表|(?:^|[^\u4e00-\u9fff]|见)[表图])$/.test(text.slice(Math.max(0, at - 3), at))) continue;
    let end = at + m[0].length;
    const isDigit = /\d/.test(m[0]);
    // print and PDF extractions set Latin digits apart with a space (“58 个观摩点”, “575 万元”)
    const gap = isDigit ? /^[ \u00a0]?/.exec(text.slice(end))![0] : '';
    const mod = /^(?:余|多)?(?:万|亿)?(?:余|多)?/.exec(text.slice(end + gap.length))![0];
    const rest = text.slice(end + gap.length + mod.length);
    const unit = leadingUnit(rest) ?? (mod.includes('万') || mod.includes('亿') ? '' : undefined);
    if (unit === undefined) continue;
    if (DIGIT_ONLY_UNITS.has(unit) && (!isDigit || rest.startsWith('分之'))) continue;
    end += gap.length + mod.length;
    const cls = unit ? unitClass(unit)! : 'count';
    if (!isDigit && !unit) continue;
    if (!isDigit && cls === 'time' && !isChineseDuration(text, at, end + unit.length)) continue;
    // a year or a date is not a figure (2024年, 12月15日)
    if (cls === 'time' && /^(年|日)/.test(unit) && (m[0].length === 4 || /^月/.test(text.slice(end + 1)) || /月$/.test(text.slice(0, at)))) continue;
    if (/^月/.test(rest)) continue;
    end += unit.length;
    const after = nounAfter(text, end);
    let words = after.length ? after : nounBefore(text, at);
    let side: FigureSpan['side'] = after.length ? 'after' : 'before';
    // a sum closing a run of parts in its measure word (“128个村党组织和23个社区党组织，共151个”) counts what the parts
    // have in common: the longest word ending all their nouns (党组织), whole, not a part of it
    const sum = !after.length && /(?:共|共计|合计|总计|总共|一共)$/.test(text.slice(Math.max(0, at - 2), at));
    const sentenceFrom = sentenceOf(text, { start: at, end: at }).start;
    const parts = sum ? out.filter((f) => f.start >= sentenceFrom && f.unit === unit && f.counted.length >= 2) : [];
    const common = parts.length >= 2 ? commonSuffix(parts.map((f) => f.counted)) : '';
    if (common.length >= 2) {
      words = [common];
      side = 'after';
    }
    // “由原来的56项压减至21项”: a figure right after another in the same clause counts the same thing
    const prev = out.at(-1);
    // (not when a noun stands between them: “12个村设立党员中心户86户” counts 户 of 党员中心户, not 村)
    const between = text.slice(prev?.end ?? at, at);
    const nounBetween = () => getJieba().tag(between, true).some((w) => w.word.length >= 2 && /^n/.test(w.tag));
    if (prev && /^[^，。；！？]{0,10}$/.test(between) && words.join('').length <= 1 && prev.cls === cls && !nounBetween()) {
      words = prev.words;
      side = prev.side;
    }
    // a range (一般联系5至10户, 由5到7人组成) states both bounds of the amount: the figure is the whole range, and a bound
    const range = isDigit ? /(?<![\d.])\d+(?:\.\d+)?(?:至|到|－|-|～|~)$/.exec(text.slice(Math.max(0, at - 10), at))?.[0] : undefined;
    const from = range ? at - range.length : at;
    const before4 = text.slice(Math.max(0, from - 6), from);
    const postfix = /^(?:以上|以下|以内|及以上|及以下)/.exec(text.slice(end))?.[0];
    const bound = !!range || /(?:(?:不得|不能|不应|不宜)?(?:超过|少于|低于|高于|多于)|不超过|不少于|不低于|不高于|不多于|不足|最多|至少|最少|最长|最短|最高|最低|满)$/.test(before4) || !!postfix;
    // a condition: “3人以上的村”, “满3年”, a bound closing a clause of 的 (“党员不足3名的，…”); not “不少于10万元的标准”
    const condition = /满$/.test(before4) || (!!postfix && text.startsWith('的', end + postfix.length)) || (bound && !range && /^的[，,；;：:]/.test(text.slice(end)));
    const limit = bound && !range ? boundLimit(before4, text.slice(end)) : undefined;
    out.push({ text: text.slice(from, end), start: from, end, unit, cls, counted: words.join(''), side, words, bound, ...(limit ? { limit } : {}), condition });
  }
  // a share written as a fraction or a half (三分之二以上委员到会, 半数以上委员, 过半数, 总人数的一半) is a figure of the percent class: rule
  // texts state quorums and majorities this way (《中国共产党支部工作条例（试行）》 第十五条, 《中国共产党章程》 第十条)
  for (const m of text.matchAll(FRACTION)) {
    const at = m.index!;
    const end = at + m[0].length;
    if (out.some((f) => f.start < end && at < f.end)) continue;
    const postfix = /^(?:以上|以下|以内|及以上|及以下)/.exec(text.slice(end))?.[0];
    // (the share is of the noun after its bound: 三分之二以上|委员; a share closing a clause of 的 states a condition:
    // “优秀票未超过半数的，不得评为优秀”)
    const close = end + (postfix?.length ?? 0);
    // (a share of a noun modified by 的, 三分之二以上的|村民代表, counts that noun; a 的 closing the clause states a condition)
    const modified = text.startsWith('的', close) ? nounAfter(text, close + 1) : [];
    const after = modified.length ? modified : nounAfter(text, close);
    const words = after.length ? after : nounBefore(text, at);
    const bound = !!postfix || /(?:超过|不少于|不低于|不足|至少|满)$/.test(text.slice(Math.max(0, at - 4), at));
    const limit = bound ? boundLimit(text.slice(Math.max(0, at - 4), at), text.slice(end)) : undefined;
    out.push({ text: m[0], start: at, end, unit: '', cls: 'percent', counted: words.join(''), side: after.length ? 'after' : 'before', words, bound, ...(limit ? { limit } : {}), condition: !modified.length && text.startsWith('的', close) });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** A run of kinds listed with 、 and closed by 等 before a verb of becoming, and the noun it becomes (see `matchFigure`). */
const LIST_BECOMES = /^[^，。；！？]*、[^，。；！？]*等(?:入选|成为|担任|作为|充实为|组成|纳入)了?([\u4e00-\u9fff“”]{2,12})/;

/** What a count after 等 is named as: “岗位为2026年度“党员先锋岗””, “村为示范村” (see `matchFigure`). */
const COUNTED_AS = /^[\u4e00-\u9fff]{1,6}?(?:为|作为|确定为|命名为|评为)(?:\d{4}年度?)?([\u4e00-\u9fff“”]{2,12})/;

/** The noun phrase opening `text` (jieba nouns and their modifiers, as `nounAfter` reads one), or `text` cut at 8. */
function nounPhraseAt(text: string): string {
  return nounAfter(text, 0).join('') || text.slice(0, 8);
}

/** A fraction (三分之二, 3分之1) or a half (半数, 过半数) written in words. */
const FRACTION = /(?:[一二两三四五六七八九十百\d]+分之[一二两三四五六七八九十\d]+|(?:(?<!超)过)?半数|(?<![一二两三四五六七八九十])一半)/g;

/** Figures as printed (“467名”, “5.3万元”), each once, in order; for quick checks of generated text. */
export function figureStrings(text: string): string[] {
  return [...new Set(findFigures(text).map((f) => f.text))];
}

/** The numeric part of a printed figure, normalised for comparison (“1.2万余人次” → “1.2万”). */
export function figureValue(figure: string): string {
  return figure.replace(/(余|多|\s)/g, '').replace(new RegExp(`(${ALL_UNITS.map((u) => u.replace(/[()（）%]/g, '\\$&')).join('|')})$`), '');
}

/** Character bigrams of a question's Chinese text, without those of 多少/几 (for `figureScore`). */
export function questionBigrams(question: string): Set<string> {
  const out = new Set<string>();
  const cjk = question.replace(/[^\u4e00-\u9fff]/g, '');
  for (let i = 0; i + 1 < cjk.length; i++) if (!/多少|几/.test(cjk.slice(i, i + 2))) out.add(cjk.slice(i, i + 2));
  return out;
}

/**
 * How well `text` answers a figure ask, as a score for ranking sentences and passages: 0.5 for a figure
 * counting the asked noun (0.2 for a weak match), +0.15 when it counts the whole asked phrase, and up to +0.3
 * for the question's characters near the figure (bigrams within 12 characters: “各领域1680个基层党组织”
 * against 各领域有多少个基层党组织 tells the total from a part of it).
 */
export function figureScore(text: string, ask: FigureAsk, bigrams: Set<string>): { score: number; strength: 0 | 1 | 2 } {
  const m = matchFigure(text, ask);
  if (!m.strength) return { score: 0, strength: 0 };
  let near = 0;
  if (m.figure && bigrams.size) {
    const window = text.slice(Math.max(0, m.figure.start - 12), m.figure.end + 12);
    for (const b of bigrams) if (window.includes(b)) near++;
    near /= bigrams.size;
  }
  // (a bound asked, 最多能花多少钱, is answered by a stated bound, 不超过2万元, before an amount given, 给予6000元; a bound the
  // other way does not answer it: 每月最少在村多少天 ← “不少于20天”, not “请假3天以内”)
  const opposite = !!ask.limit && !!m.figure?.limit && ask.limit !== m.figure.limit;
  const bound = ask.bound && m.figure?.bound ? (opposite ? -0.15 : 0.1) : 0;
  return { score: (m.strength === 2 ? 0.5 : 0.2) + (m.exact ? 0.15 : 0) + 0.3 * near + bound, strength: m.strength };
}

/** A period of recurrence: 每年, 每半年, 每季度, 每月, 每周, 每两个月, 每3年. */
export const PERIOD = /每(?:[两三四五六\d]{1,2}个?)?(?:年|半年|季度|个?月|周|星期)/;

/**
 * A date or a period as official documents print them: 2026年12月15日, 12月20日前, 2026年9月至12月, 次年1月8日, 每季度, 每月, 每两个月,
 * 年底前, 季度末, 自…起施行.
 */
export const DATE_OR_PERIOD = new RegExp(`(?:\\d{4}年)?\\d{1,2}月\\d{1,2}日|\\d{4}年\\d{1,2}月|次年\\d{1,2}月|${PERIOD.source}|(?:年|月|季度)(?:底|末)|自[^，。]{0,12}起施行|之日起`);
