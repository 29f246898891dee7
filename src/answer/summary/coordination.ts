/**
 * A summary topic that names several things side by side (让无职党员、离退休党员、在职党员发挥作用; 对老党员、困难党员和
 * 流动党员的关怀): a draft of each thing's part under the same frame, not of the whole phrase, which no passage states.
 */
import { getJieba } from '../../ingest/segment.js';

/** A topic read as coordinated items under one frame: `prefix + item + suffix` is the topic of each item. */
export interface CoordinatedTopic {
  /** The things named side by side, as written (没职务的党员, 退休党员, 在职党员). */
  items: string[];
  /** What stands before the first item (汀澜县在让). */
  prefix: string;
  /** What follows the last item (发挥作用上的办法). */
  suffix: string;
}

/**
 * Words that open the object they govern: a preposition or a verb of making, doing or helping (在|让, 对, 推动, 引导,
 * 加强). The first item of a coordination starts after the last of them in its segment (在让|没职务的党员).
 */
const GOVERNOR = /^(在|让|使|叫|对|对于|关于|把|将|为|给|围绕|推动|引导|组织|动员|鼓励|支持|帮助|促进|加强|做好|抓好|抓|管好|服务|关心|关爱)$/;

/** What closes the last item of a coordination (流动党员|的关怀, 党员教育|方面, 在职党员|发挥作用). */
const CLOSER = /^(的|之|上|中|里|方面|领域|等|等等|工作|情况)$/;

/**
 * Reads a topic whose things are joined by 、 (and by 和/及/与/以及 before the last one) into its items and their frame;
 * undefined when it names fewer than two things, or when an item would be empty or longer than 12 characters (a
 * series of clauses, 建强队伍、完善制度、强化保障, is one topic's parts, not things). Items are cut on jieba's words: the first
 * after the last `GOVERNOR` of its segment (after the whole segment's start when none), the last before the first
 * head noun the item before it ends with (退休党员、在职党员|发挥作用), else before the first `CLOSER` or the first verb that
 * follows one of its nouns.
 */
export function coordinatedItems(topic: string): CoordinatedTopic | undefined {
  const segments = topic.split('、');
  if (segments.length < 2) return undefined;
  // (the last two may be joined by 和/及/与: 困难党员和流动党员的关怀)
  const tail = segments[segments.length - 1]!;
  const joined = /^(.{2,12}?)(?:和|及|与|以及)(.+)$/.exec(tail);
  if (joined) segments.splice(segments.length - 1, 1, joined[1]!, joined[2]!);
  const first = getJieba().tag(segments[0]!, true);
  const opener = first.map((w) => GOVERNOR.test(w.word)).lastIndexOf(true);
  const prefix = opener >= 0 ? first.slice(0, opener + 1).map((w) => w.word).join('') : '';
  const firstItem = segments[0]!.slice(prefix.length);
  const last = getJieba().tag(segments[segments.length - 1]!, true);
  // (items sharing a head noun, 退休党员、在职党员, end the last one at that head: 在职党员|发挥作用)
  const before = getJieba().tag(segments[segments.length - 2]!, true).at(-1);
  const head = before && /^n/.test(before.tag) && before.word.length >= 2 ? last.findIndex((w, i) => i > 0 && w.word === before.word) : -1;
  let end = head > 0 && head < last.length - 1 ? head + 1 : last.length;
  for (let i = 0, nouns = 0; head < 0 && i < last.length; i++) {
    const w = last[i]!;
    if (nouns > 0 && (CLOSER.test(w.word) || (/^v/.test(w.tag) && w.tag !== 'vn'))) {
      end = i;
      break;
    }
    if (/^(n|vn)/.test(w.tag)) nouns++;
  }
  const lastItem = last.slice(0, end).map((w) => w.word).join('');
  const suffix = last.slice(end).map((w) => w.word).join('');
  const items = [firstItem, ...segments.slice(1, -1), lastItem].map((s) => s.trim());
  if (items.some((s) => s.length < 2 || s.length > 12) || new Set(items).size < items.length) return undefined;
  return { items, prefix, suffix };
}

/** The topic of each item: its frame around it (汀澜县在让 + 退休党员 + 发挥作用上的办法). */
export function itemTopics(c: CoordinatedTopic): string[] {
  return c.items.map((item) => `${c.prefix}${item}${c.suffix}`);
}
