/** How a question is worded: its colloquial question words and the names it quotes (no dependencies inside src/answer). */

/**
 * Colloquial question words and their standard forms (啥时候 → 什么时候, 咋 → 怎么, 多会儿 → 什么时候), 几 of an
 * indefinite amount (好几万 → 数万, 十几个 → 十多个), which asks nothing, and the nouns 女的/男的 (女性/男性): a question is
 * read for what it asks in its standard wording, so every rule that knows 什么时候 knows 啥时候 (xiandai hanyu cidian
 * gives 啥 as 〈方〉什么, 咋 as 〈方〉怎么).
 */
const COLLOQUIAL_INTERROGATIVES: [RegExp, string][] = [
  // 几 in an indefinite amount asks nothing: 好几万 and 几十个 are 数万 and 数十个, 十几 is 十多
  [/好几|几(?=[十百千万亿])/g, '数'],
  [/(?<=十)几/g, '多'],
  [/啥时候|啥时|多会儿|哪会儿|几时/g, '什么时候'],
  [/干啥|干嘛|干吗/g, '做什么'],
  [/啥/g, '什么'],
  [/咋/g, '怎么'],
  // (and the colloquial nouns of sex: 女的, 男的 are 女性, 男性 as a noun; not 妇女的, 子女的)
  [/(?<![妇子儿])女的(?=比例|占比|有|是|多少|几|[，,？?]|$)/g, '女性'],
  [/(?<![子儿])男的(?=比例|占比|有|是|多少|几|[，,？?]|$)/g, '男性'],
];

/** `q` with its colloquial question words in their standard form, and indefinite amounts with 几 written without it (see COLLOQUIAL_INTERROGATIVES). */
export function standardInterrogatives(q: string): string {
  let out = q;
  for (const [re, to] of COLLOQUIAL_INTERROGATIVES) out = out.replace(re, to);
  return out;
}

/** The names a question quotes (“三百活动”, "一肩挑"), 2–16 characters, without white space. */
export function quotedNames(question: string): string[] {
  return [...question.matchAll(/[“"「]([^”"」]{2,16})[”"」]/g)].map((m) => m[1]!.replace(/\s+/g, ''));
}

/**
 * A verb with a complement of completion (开完, 交齐, 报完; 搞好 and 弄好 of the light verbs): it asks by when the work
 * is finished, whatever the document calls the finishing (完成, 办结, 前).
 */
export const DONE = /^(?:[\u4e00-\u9fff][完齐]|[搞弄做办干整]好)$/;

/** The words of a deadline asked (…什么时候前要开完): a completion verb, and 前 glued to a modal verb (前要, 前得, 前须). */
export const DEADLINE_FRAME = /^(?:[\u4e00-\u9fff][完齐]|[搞弄做办干整]好|前[要得须需该])$/;
