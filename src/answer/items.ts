/**
 * Items a text names after their noun, an optional count and a colon, as 名单, 通报 and 通知 print them:
 * “先进单位（5个）：县财政局机关党支部、县人民医院党委、……”, “责任单位：县委组织部、县民政局”.
 */

import { parseNumeral } from '../ingest/numerals.js';
import type { IndexRecord } from '../types.js';
import escapeRegExp from 'escape-string-regexp';

/**
 * True when `text` names the set `phrase` (“四议”) as a word of its own, not as the start of a longer name (“四议两公开”):
 * quotation marks are orthography, a Chinese character right after the phrase continues another name.
 */
export function namesSet(text: string, phrase: string): boolean {
  if (text.includes(`“${phrase}”`)) return true;
  const plain = text.replace(/[“”]/g, '');
  for (let at = plain.indexOf(phrase); at >= 0; at = plain.indexOf(phrase, at + 1)) if (!/[\u4e00-\u9fff]/.test(plain[at + phrase.length] ?? '')) return true;
  return false;
}

/** Words for the parts of a thing (方面, 部分, 环节, 板块): a list of them is a list of the thing's rows or sections. */
export const PART_WORDS = /^(方面|部分|环节|板块|维度)$/;

/**
 * Words for what a rule or a plan states (要求, 条件, 标准, 措施, 职责…): a text states them (党龄在3年以上、年龄在65周岁以下)
 * without writing the word, so a list of them is never refused for want of it, as a list of named things (部门, 乡镇) is.
 */
export const PROVISION_WORDS = /^(要求|条件|标准|规定|程序|流程|步骤|办法|措施|做法|内容|职责|任务|原则|方式|形式|途径|渠道|作用|好处|待遇|政策|资格)$/;

/**
 * The phrase counting `noun` (at least 2 characters) in a text, a modifier of up to four characters allowed between
 * count and noun: 3个专业, 四项基本服务, 两类社会组织. The pattern only; `countingItems` asks for the items before it.
 */
export function countingNoun(noun: string): RegExp {
  return new RegExp(`(?:[一二两三四五六七八九十]{1,3}|\\d{1,2})(?:项|个|种|类|条|大|件|方面)[\\u4e00-\\u9fff]{0,4}?${escapeRegExp(noun)}`, 'g');
}

/**
 * True when `text` counts `noun` right after a run of as many items joined by 、 in one clause (开设行政管理、农村经济管理、
 * 法学3个专业; 提供饮水、充电、休息、如厕4项基本服务), the way reports and 通知 name a whole set and then count it. A count
 * with no run before it (共开设3个专业), or with another number of items (“社区分类管理”“……”等7项问题; 四个方面…37项具体问题),
 * names no whole set.
 */
export function countingItems(text: string, noun: string): boolean {
  if (noun.length < 2) return false;
  for (const m of text.matchAll(countingNoun(noun))) {
    const clause = text.slice(0, m.index).split(/[，。；：,;:\n]/).pop()!;
    const count = parseNumeral(/^[一二两三四五六七八九十\d]+/.exec(m[0])![0]);
    if (count && count >= 2 && clause.split('、').length === count) return true;
  }
  return false;
}

/** A sentence announcing the items that follow it: 主要包括以下内容：, 主要有：, 任务如下：, 有下列情形之一的，予以召回：. */
export const ANNOUNCES_ITEMS = /(?:包括|包含|主要有|有以下|以下几|如下|下列)[^。；！？]{0,16}[：:]/;

/** Items a text introduces under `noun`: the introduction (up to the colon) and the items split at 、. */
export interface IntroducedItems {
  intro: string;
  items: string[];
}

/**
 * The items `text` introduces under `noun` (at least 2 characters): the first “noun（N个）：A、B、C” or “noun共N个：A、B”
 * or “noun：A、B” in it, its items split at 、 (a closing 等… dropped), each at most 30 characters. Undefined when
 * there is none or it holds fewer than two items.
 */
export function introducedItems(text: string, noun: string): IntroducedItems | undefined {
  if (noun.length < 2) return undefined;
  const escaped = escapeRegExp(noun);
  const m = new RegExp(`${escaped}(?:[（(]共?\\d{1,3}${MEASURE}[）)]|共?\\d{1,3}${MEASURE})?[：:]([^。；;\\n]+)`).exec(text);
  // (numbered items after the colon, “下列义务：（一）…、…；（二）…”, are a numbered list, not a run of names)
  if (!m || /^\s*(?:（[一二三四五六七八九十\d]{1,3}）|\d{1,2}[.、．]|[一二三四五六七八九十]{1,2}、|[①②③④⑤⑥⑦⑧⑨⑩])/.test(m[1]!)) return undefined;
  const items = m[1]!
    .replace(/等[\u4e00-\u9fff]{0,4}$/, '')
    .split('、')
    .map((x) => x.trim())
    .filter(Boolean);
  if (items.length < 2 || items.some((x) => x.length > 30)) return undefined;
  // (the introduction is read from its sentence's start: “附：2026年度“双报到”工作先进单位（5个）：”)
  const from = Math.max(...['。', '；', '！', '？', '\n'].map((p) => text.lastIndexOf(p, m.index))) + 1;
  return { intro: text.slice(from, m.index + m[0].length - m[1]!.length).trim(), items };
}

/**
 * `introducedItems` of a passage, except a table row: a row's “header：cells” (主要内容：A、B) are that one row's, and
 * the table's own readers list its columns.
 */
export function introducedItemsOf(record: IndexRecord, noun: string): IntroducedItems | undefined {
  return record.unit === 'table-row' ? undefined : introducedItems(record.text, noun);
}

/** Measure words a list's count is given in (（5个）, 共3家, 12名). */
const MEASURE = '[个家名项人条所位]';

/** Item markers of official texts: （一）, 1. / 1、, （1）, ①, and 一是/二是 opening a clause (一是发展不够平衡；二是……). */
const ITEM_MARKER = /（([一二三四五六七八九十]{1,3})）|(?<![\d.．])(\d{1,2})[.、．](?!\d)|（(\d{1,2})）|([①②③④⑤⑥⑦⑧⑨⑩])|(?<=^|[；;。，,：:\s])([一二三四五六七八九十]{1,2})是(?=[\u4e00-\u9fff])/g;

/**
 * The numbered items of a passage (“主要履行下列职责：（一）…；（二）…”, “附件：1. … 2. …”), when it holds at
 * least two numbered from one in order; each item up to its first sentence end, at most 80 characters.
 */
export function numberedItems(text: string): { intro: string; items: string[] } | undefined {
  const marks: { at: number; end: number; n: number }[] = [];
  for (const m of text.matchAll(ITEM_MARKER)) {
    const raw = m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5]!;
    const n = m[1] || m[5] ? parseNumeral(raw) : m[4] ? '①②③④⑤⑥⑦⑧⑨⑩'.indexOf(raw) + 1 : Number(raw);
    if (n) marks.push({ at: m.index!, end: m.index! + m[0].length, n });
  }
  // the longest run 1, 2, 3 … of one marker style
  const run: typeof marks = [];
  for (const mk of marks) {
    if (mk.n === 1 && run.length < 2) run.splice(0, run.length, mk);
    else if (run.length && mk.n === run.at(-1)!.n + 1) run.push(mk);
  }
  if (run.length < 2) return undefined;
  const items = run.map((mk, i) => {
    const body = text.slice(mk.end, run[i + 1]?.at ?? text.length).trim();
    const first = /^[^。；;]*[。；;]?/.exec(body)![0].replace(/[。；;，,]$/, '');
    return first.length > 80 ? `${first.slice(0, 78)}……` : first;
  });
  return { intro: text.slice(0, run[0]!.at).trim(), items: items.filter(Boolean) };
}

/**
 * The numbered items the sentence `sentence` of `text` announces (“第十八条……有下列情形之一的，予以召回：（一）……；（二）……”):
 * the announcing sentence (up to its colon) and the items, when the passage numbers two or more right after it.
 * Undefined otherwise: a sentence quoted alone would end in a colon and answer nothing.
 */
export function announcedItems(text: string, sentence: string): { intro: string; items: string[] } | undefined {
  const led = ledItems(text);
  if (!led) return undefined;
  const intro = led.intro;
  if (intro.length < 4 || !ANNOUNCES_ITEMS.test(intro) || !/[：:]$/.test(intro) || !sentence.trim().startsWith(intro.slice(0, 12))) return undefined;
  return led;
}

/**
 * The two or more numbered items of `text` (`numberedItems`) with their lead: the last sentence before the first item
 * (“有下列情形之一的，不得作为村党组织书记人选：”), what stands before it being another rule. Undefined with fewer items.
 */
export function ledItems(text: string): { intro: string; items: string[] } | undefined {
  const numbered = numberedItems(text);
  if (!numbered || numbered.items.length < 2) return undefined;
  return { intro: numbered.intro.split(/(?<=[。；！？])/).at(-1)!.trim(), items: numbered.items };
}

/**
 * True when `text` numbers two or more items after a lead that announces them by `noun` (“党员有下列情形之一的，应当评定为
 * 不合格：（一）……（二）……” for 情形): a rule's list of cases, duties or conditions, as 办法 and 条例 write them.
 */
export function itemsLedBy(text: string, noun: string): boolean {
  if (noun.length < 2) return false;
  const led = ledItems(text);
  return !!led && led.intro.includes(noun) && ANNOUNCES_ITEMS.test(led.intro);
}
