/**
 * Sentence-level rules of a summary draft: what a sentence tells (figures, actions, named programmes),
 * what is decoration (slogans, outlook, quoted speech, questions), and when two passages say the same.
 * Written for the newspaper reports in data/corpus and for policy texts (方案, 办法, 通知): every rule
 * reads the sentence itself, never a particular document.
 */
import { extractFigures } from '../../ingest/measures.js';
import { cutWords } from '../../ingest/segment.js';
import { splitSentences } from '../../ingest/sentences.js';
import { Traced } from '../../ingest/traced.js';

export { extractFigures };

/**
 * Sentences of a text (。！？； and …), trimmed, without a leading editorial note in brackets
 * (“（本文件为虚构示例，仅用于测试）”, “（记者 王某）”: up to 40 characters).
 */
export function sentencesOf(text: string): string[] {
  return splitSentences(Traced.of(text))
    .map((s) => withoutAddressees(s.text.trim().replace(/^[（(][^（()）]{1,40}[）)]\s*/, '')))
    .filter(Boolean);
}

/** A name of an addressed organisation: it ends in an organ (党委, 党组（党委）, 部委办, 单位, 局…). */
const ORGAN = /(党委|党组|党工委|工委|委员会|部委办|委办局|单位|部门|政府|机关|支部|总支|党组织|[局委办处])([（(][^（）()]{1,6}[）)])?$/;

/**
 * A sentence without the 主送机关 that opens a 通知 (“各乡镇党委，县委各部委办，县直各单位党组（党委）：根据…” →
 * “根据…”): a run of organisations, each opening with 各 or naming an organ, closed by a colon. Source: GB/T 9704-2012
 * 《党政机关公文格式》 §7.3.2 (主送机关: 编排于标题下空一行位置，居左顶格，回行时仍顶格，最后一个机关名称后标全角冒号).
 * The text of a sentence that addresses no one is returned as it came.
 */
export function withoutAddressees(s: string): string {
  const m = /^(各[^。：:；！？“”]{1,80}?)[：:]/.exec(s);
  if (!m || !m[1]!.split(/[，、,]/).every((x) => ORGAN.test(x.trim()))) return s;
  return s.slice(m[0].length).trim();
}

/**
 * A line of layout, not a sentence: words or figures parted by spaces outside quotes and 《》, with no closing mark —
 * a table row as a print extraction reads it (“集中选举2027年3月1日—4月30日 各乡镇党委”), a byline (本报记者 王某).
 * Chinese prose sets no space between its words.
 */
export function isLayoutLine(s: string): boolean {
  if (/[。！？；!?;]$/.test(s.trim())) return false;
  const outside = s.replace(/“[^”]*”|《[^》]*》|"[^"]*"/g, '');
  return /[\u4e00-\u9fff\d][ \u3000]+[\u4e00-\u9fff]/.test(outside);
}

/**
 * The date of a document's 落款 or byline standing alone (“2026年10月”, “2026年10月20日”): when the text was written, not
 * what it says. GB/T 9704-2012 §7.3.5 (成文日期).
 */
export function isDateline(s: string): boolean {
  return /^\d{4}年\d{1,2}月(\d{1,2}日)?$/.test(s.replace(/[\s。．.]/g, ''));
}

/**
 * Verbs that report something done or decided (建立…机制, 实施…项目, 选派…干部, 印发…办法). A sentence
 * with one of them states a measure; one without is usually commentary. Naming who answers for a task (…书记是…第一
 * 责任人, 对…负总责) is a requirement too: the 工作要求 of a 通知 or 方案 states it (four of the seven fictional 通知
 * and 方案 do).
 */
const ACTION =
  /(责任人|负总责|建立|建成|实施|实行|开展|打造|组建|举办|推行|选派|引进|培育|整合|设立|成立|构建|搭建|出台|制定|印发|制发|下派|培训|投入|创新|落实|完善|健全|召开|签订|认领|吸纳|聘请|评选|选树|整治|清理|删除|精简|优化|压减|缴纳|提拔|调整|轮换|排查|评定|招录|录用|发放|规定|应当|不得|须|负责)/g;

/** Number of distinct action verbs in a sentence (see `ACTION`). */
export function actionCount(s: string): number {
  return new Set(s.match(ACTION) ?? []).size;
}

/** Named programmes and brands in quotes: “青苗兴村”, “全科网格” (2–12 characters). */
export function namedTerms(s: string): string[] {
  return [...s.matchAll(/“([^”]{2,12})”/g)].map((m) => m[1]!);
}

/** An outlook or pledge (将继续…, 下一步…, 今后…): the reports close with it; it is not a measure. */
export function isOutlook(s: string): boolean {
  return /将(继续|进一步|持续|不断|全力|坚定)|下一步|今后|接下来/.test(s);
}

/**
 * Figurative commentary, not a measure: a simile (党建犹如“红色引擎”, 好比…, 宛如…) or a panorama of parallel
 * “从…到…” pairs (从沱沱河畔的唐古拉山镇到…的茶卡镇，从…到…: two or more), as reports open and close.
 */
export function isFigurative(s: string): boolean {
  return /犹如|宛如|好比|恰似|仿佛/.test(s) || (s.match(/从[^，。；从到]{1,20}到/g) ?? []).length >= 2;
}

/** A quotation of a leader's speech (习近平总书记指出：“…”): context, not a measure. */
export function isLeaderQuote(s: string): boolean {
  return /(总书记|习近平).{0,8}(指出|强调|说|要求)/.test(s);
}

/** Direct speech of an interviewee: opens with “ or ends with 说/表示 after a closing quote. */
export function isSpeech(s: string): boolean {
  return /^[“"]/.test(s) || /”.{0,30}(说|表示|介绍|感慨)[。！]?$/.test(s);
}

/**
 * Two headline halves glued by the print extraction: a space between Chinese characters outside quotes
 * (the space after an article number, “第六条 年度积分…”, is print layout, not a glued headline).
 */
export function hasGluedHeadline(s: string): boolean {
  const body = s.replace(/^第[一二三四五六七八九十百零〇两\d]+[条章节款]\s+/, '').replace(/“[^”]*”/g, '“”');
  return /[\u4e00-\u9fff]\s+[\u4e00-\u9fff]/.test(body);
}

/**
 * A slogan: a short parallel couplet (两句对仗, each half 5–8 characters, equal length ±1) with no figure,
 * no quoted term and no domain keyword (`hasContentWord`), e.g. 同舟共济扬帆起，乘风破浪万里行. Lead phrases such
 * as 铸魂赋能，以知促行“添动力” or 聚焦组织覆盖，织密组织体系“一张网” are not slogans (quoted term, unequal halves).
 */
export function isSlogan(s: string, hasContentWord: (text: string) => boolean): boolean {
  const t = s.replace(/[。！!]+$/, '').trim();
  const halves = t.split(/[，,\s]+/).filter(Boolean);
  if (halves.length !== 2) return false;
  const [a, b] = halves as [string, string];
  const cjk = (x: string) => /^[\u4e00-\u9fff]+$/.test(x);
  if (!cjk(a) || !cjk(b)) return false;
  if (a.length < 5 || a.length > 8 || Math.abs(a.length - b.length) > 1) return false;
  return !hasContentWord(t);
}

/**
 * True when `sentence` is the document's title `title` as its first line, whatever note follows it in brackets
 * (柘川县…管理规定（本文件为虚构示例…）) and however it is quoted: it says nothing a draft's own title does not.
 */
export function isTitleLine(sentence: string, title: string): boolean {
  const bare = (t: string) => t.replace(/（[^（）]*）|\([^()]*\)|[\s《》“”。]/g, '');
  return !!bare(title) && bare(sentence) === bare(title);
}

/**
 * The formal articles of a rule text that say nothing a reader acts on: the purpose and basis article (“为加强……，
 * 根据……，制定本办法”) and the interpretation clause (“本办法由县委组织部负责解释”). Source: the 总则/附则 pattern of
 * 党内法规 (《中国共产党党内法规制定条例》 第十条 on a regulation's parts). The effective date (自……起施行) is kept:
 * readers of a draft need it.
 */
export function isBoilerplate(text: string): boolean {
  const t = text.replace(/^第[一二三四五六七八九十百零〇\d]+条\s*/, '').replace(/\s+/g, '');
  const kind = '(?:办法|规定|条例|细则|规则|方案|制度|意见|准则)';
  return new RegExp(`^为[^。]{2,80}?(?:(?:根据|依据|按照)[^。]{2,120}?)?制定本${kind}。?$`).test(t) || new RegExp(`^本${kind}由[^。]{2,30}负责解释。?$`).test(t);
}

/**
 * An article that defines the text's terms (本办法所称流动党员，是指…) or states whom it applies to (本办法适用于…, 适用本
 * 规定): it says what the text covers, not what it requires. 《立法技术规范（试行）》(全国人大常委会法工委, 2009) puts
 * them in a 总则 beside the purpose article (see `isBoilerplate`); a draft states them after the articles that require
 * something.
 */
export function isScopeOrDefinition(text: string): boolean {
  const t = text.replace(/^第[一二三四五六七八九十百零〇\d]+条\s*/, '').replace(/\s+/g, '');
  const kind = '(?:办法|规定|条例|细则|规则|方案|制度|准则)';
  return new RegExp(`^本${kind}(?:所称|中的|所说的)|^本${kind}适用于|^适用本${kind}`).test(t);
}

/**
 * A contact line of a 通知 (联系人：…，联系电话：…; 邮箱, 传真, 地址): how to reach the issuer, not something a
 * draft reports. Read at the start of the sentence only (“建立联系人制度” is a measure).
 */
export function isContactLine(s: string): boolean {
  return /^(联系人|联系电话|联系方式|咨询电话|电话|邮箱|电子邮箱|传真|通讯地址|地址)\s*[:：]/.test(s.trim());
}

/**
 * The apparatus of a serial publication (a 简报, 工作动态 or 信息), not its content: the masthead's issue line
 * (“2027年第3期（总第58期）”, “第12期”) with its editor (…编, …编印, …主办), the table of contents (本期目录, ◎ items)
 * and the distribution note (版记: 报：…送：…发：…, 抄送：…, （共印60份）). Source: GB/T 9704-2012 《党政机关公文格式》
 * §10 (版记) and the 简报 layout of 组织工作 newsletters: every rule reads the line's own marks, never a title.
 */
export function isApparatus(s: string): boolean {
  const t = s.replace(/\s+/g, '');
  const issue = /(?:^|[^\d])(?:总)?第\d+期/.test(t) && /(?:编印?|主办|印发)(?:\d{4}年|$|[（(])/.test(t);
  return issue || /本期目录|^目录/.test(t) || /◎.*◎/.test(t) || /[（(]共印\d+份[）)]/.test(t) || /^-{3,}|^(?:报|送|发|抄送|主送)[：:]/.test(t);
}

/**
 * Numbers that state a quantity in any unit (积2分, 不超过60分, 3日内); years (2024年), list numbers, ordinals (第3) and
 * the numbers of a table, figure or annex referred to (见表1, 附件2) excluded.
 */
export function quantities(s: string): number {
  return [...s.matchAll(/(?<![\d.])\d+(?:\.\d+)?(?![\d.])(?!年)(?![)）、.．])/g)].filter((m) => !/(第|表|图|附件|附表)$/.test(s.slice(0, m.index))).length;
}

/**
 * How much a sentence tells a reader who must write it up: figures (`extractFigures`, or any `quantities`; 2 each, up to 3), action verbs (1 each,
 * up to 2), named programmes (0.5 each, up to 2); minus decoration: an outlook (−3), a question (−3), a
 * leader's quotation (−2), direct speech (−1.5), glued headline halves (−2). Measured on data/corpus: the
 * sentences that carry a measure score ≥ 1, the closing and scene-setting sentences ≤ 0.
 */
export function informativeness(s: string): number {
  let score = 2 * Math.min(Math.max(extractFigures(s).length, quantities(s)), 3) + Math.min(actionCount(s), 2) + 0.5 * Math.min(namedTerms(s).length, 2);
  if (isOutlook(s)) score -= 3;
  if (/[？?]$/.test(s)) score -= 3;
  if (isLeaderQuote(s)) score -= 2;
  if (isSpeech(s)) score -= 1.5;
  if (hasGluedHeadline(s)) score -= 2;
  if (isFigurative(s)) score -= 1.5;
  return score;
}

function bigrams(s: string): Set<string> {
  const t = s.replace(/[\s\p{P}]/gu, '');
  const out = new Set<string>();
  for (let i = 0; i + 1 < t.length; i++) out.add(t.slice(i, i + 2));
  return out;
}

/**
 * Overlap of two texts as the share of the shorter text's character bigrams found in the longer one
 * (0–1). A measure and the chunk it was cut from score about 1; two measures of one report about 0.1–0.2.
 */
export function containment(a: string, b: string): number {
  const A = bigrams(a);
  const B = bigrams(b);
  const [small, large] = A.size <= B.size ? [A, B] : [B, A];
  if (!small.size) return 0;
  let n = 0;
  for (const g of small) if (large.has(g)) n++;
  return n / small.size;
}

/** Above this `containment` two passages are near-duplicates and become one bullet. */
export const DUPLICATE_CONTAINMENT = 0.6;

/**
 * Shortens a sentence to at most `max` characters by keeping whole clauses (，；：, and 、 items of a clause
 * longer than 0.6·max) in reading order,
 * preferring those with figures, then the first clause (it names the actor); cuts are marked with ……
 */
export function shorten(s: string, max: number): string {
  if (s.length <= max) return s;
  // a clause too long to keep whole is cut at its 、 (an enumeration keeps the items with figures)
  const clauses = s.split(/(?<=[，；：])/).flatMap((c) => (c.length > max * 0.6 ? c.split(/(?<=、)/) : [c]));
  const weight = clauses.map((c, i) => 2 * extractFigures(c).length + actionCount(c) + (i === 0 ? 1.5 : 0));
  const order = clauses.map((_, i) => i).sort((x, y) => weight[y]! - weight[x]! || x - y);
  const keep = new Set<number>();
  let len = 2;
  for (const i of order) {
    if (len + clauses[i]!.length > max) continue;
    keep.add(i);
    len += clauses[i]!.length;
  }
  if (!keep.size) return `${s.slice(0, max - 2)}……`;
  let out = '';
  let prev = -1;
  for (let i = 0; i < clauses.length; i++) {
    if (!keep.has(i)) continue;
    if (prev >= 0 && i !== prev + 1) out = out.replace(/[，；：、]$/, '') + '……';
    out += clauses[i];
    prev = i;
  }
  out = out.replace(/[，；：、]$/, '');
  return prev < clauses.length - 1 ? `${out}……` : out;
}

/**
 * The clause that carries a figure, for the 导语's headline figures: the shortest run of clauses around
 * the figure, at most `max` characters (“以464个“全科网格”为基石”, “搭建…民主议事平台79个”).
 */
export function figureClause(sentence: string, figure: string, max = 28): string | undefined {
  const clause = figureClauseRaw(sentence, figure, max);
  return clause && standsAlone(clause) ? clause : undefined;
}

/**
 * True when a clause cut out of its sentence can be read alone as a headline figure: it does not lean on words left
 * behind (等6个方面…, 分别占40%, 其中…, 对…的党员), is not a condition (…以上、地点相对固定的) and is not a table row
 * (“3000元以下 · 交纳比例”: its cells mean something only under their header).
 */
function standsAlone(clause: string): boolean {
  return !/^(?:等|分别|其中|并且|并|且|和|与|及|以及|或|对|为了)/.test(clause) && !/的$/.test(clause) && !/ · /.test(clause);
}

function figureClauseRaw(sentence: string, figure: string, max: number): string | undefined {
  const clauses = sentence.split(/[，；：。！？…]+/).map((c) => c.trim());
  const k = clauses.findIndex((x) => x.includes(figure));
  if (k < 0) return undefined;
  let c = clauses[k]!;
  // a bare clause (覆盖2100余人次) takes the clause before it, which names what was counted
  if (c.length < 12 && k > 0 && clauses[k - 1]!.length + c.length < max + 8) c = `${clauses[k - 1]}，${c}`;
  c = c.replace(/^第[一二三四五六七八九十百零〇两\d]+[条款]\s*/, '');
  if (c.length <= max) return balanceQuotes(c, figure);
  // an enumeration (A达到5.3万元、B达到3.4万元): the item holding the figure
  const items = c.split('、');
  const item = items.find((x) => x.includes(figure));
  if (items.filter((x) => extractFigures(x).length).length >= 2 && item && item.length >= 8 && item.length <= max) return item;
  // a window around the figure, cut at jieba word boundaries (never 西宁市 → 宁市)
  const at = c.indexOf(figure);
  const bounds = [0];
  for (const w of cutWords(c)) bounds.push(bounds.at(-1)! + w.length);
  const want = Math.max(0, Math.floor(at - (max - figure.length) / 2));
  const start = bounds.find((b) => b >= want && b <= at) ?? at;
  const end = [...bounds].reverse().find((b) => b <= start + max && b >= at + figure.length) ?? at + figure.length;
  return balanceQuotes(c.slice(start, end).replace(/^[的了和与及、]+/, ''), figure);
}

/**
 * A clause cut out of a sentence, without a quotation it holds only half of: a leading “…” tail
 * (“”、机关党建“融合聚力”等8个领域” → “机关党建“融合聚力”等8个领域”) or a trailing opened quote. Undefined when the
 * figure itself sits in the half-quotation (the clause cannot stand alone).
 */
export function balanceQuotes(clause: string, figure: string): string | undefined {
  let c = clause;
  // quotation marks and book-title marks alike (“》等系列党课视频20余部” → 等系列党课视频20余部)
  for (const [o, e] of [['“', '”'], ['《', '》']] as const) {
    const open = c.indexOf(o);
    const close = c.indexOf(e);
    if (close >= 0 && (open < 0 || close < open)) c = c.slice(close + 1).replace(/^[、，；：\s]+/, '');
    const lastOpen = c.lastIndexOf(o);
    if (lastOpen >= 0 && c.indexOf(e, lastOpen) < 0) c = c.slice(0, lastOpen).replace(/[、，；：\s]+$/, '');
  }
  return c.includes(figure) && c.length >= figure.length + 2 ? c : undefined;
}

/**
 * True for the tail of a sentence a column cut broke (003 “突破”，又鼓励团队“作战”…”, after the “……” the reader puts
 * at the seam): it closes a quotation it never opened. Such a piece reads as nonsense in a draft.
 */
export function isCutTail(s: string): boolean {
  const close = s.search(/[”’」]/);
  return close >= 0 && !/[“‘「]/.test(s.slice(0, close));
}
