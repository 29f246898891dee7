import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { dictionaryEntry } from '../ingest/segment.js';
import { joinedWords, queryTerms } from './tokenize.js';
import escapeRegExp from 'escape-string-regexp';

/** Schema of `data/glossary.yaml` (see the comment at its top). */
export const GlossarySchema = z.object({
  terms: z.array(
    z.object({
      term: z.string().min(1),
      aliases: z.array(z.string().min(1)).default([]),
      definition: z.string().min(1),
      source: z.string().min(1),
      expands: z.array(z.string().min(1)).default([]),
    }),
  ),
  phrases: z.array(z.object({ say: z.array(z.string().min(1)).min(1), means: z.array(z.string().min(1)).min(1) })).default([]),
});
/** Validated contents of `data/glossary.yaml`. */
export type GlossaryData = z.infer<typeof GlossarySchema>;
/** One explained term (三会一课, 一肩挑…) with its definition and source. */
export type GlossaryTerm = GlossaryData['terms'][number];

/** A query after expansion: weighted BM25 terms and the text to embed. */
export interface ExpandedQuery {
  /** term → weight: 1 for the question's own words, `EXPANSION_WEIGHT` for glossary additions. */
  terms: Map<string, number>;
  /** The question followed by the official wording the glossary added (for the vector side). */
  text: string;
  /** Official words the glossary added (for display and grounding). */
  added: string[];
  /** Question words that a glossary phrase or term explains (they count as covered when its expansion is found). */
  explained: Map<string, string[]>;
  /** The colloquial phrases and terms of the glossary that the query contains (送外卖, 喝口水…). */
  triggers: string[];
  /**
   * Each trigger with the words the glossary adds for it, in glossary order; `equivalent` when they say the same
   * thing in official wording (a phrase's `means`: 送外卖 → 新就业群体, 平均每个村 → 村均), not when they are a
   * term's related words (a term's `expands`: 主题党日 → 组织生活, 党支部).
   */
  substitutes: { say: string; means: string[]; equivalent: boolean }[];
}

/**
 * A one-character verb and its one-character object with an amount between them (离合词: 请|5天|假, 开|了两次|会, 分|了多少|红): Chinese
 * separates a verb-object word to count it. Which pairs are words is read from jieba's dictionary (a verb entry).
 */
const SPLIT_VERB = /([\u4e00-\u9fff])了?(?:(?:\d+(?:\.\d+)?|[一两二三四五六七八九十半几]{1,3})(?:个)?(?:天|日|次|周|个月|小时|回|趟|年|场|节|堂)|多少)([\u4e00-\u9fff])/g;

/**
 * An average per unit asked in words (平均每个村, 每户平均, 平均每人): the one-character unit (村, 户, 人, 校, 企, 乡, 镇, 社区 is
 * left out) that the X均 form uses. Source: 现代汉语词典 人均/户均; the reports print 村均突破20万元.
 */
export const PER_EACH = /平均每(?:个|名|位|家|所)?([村户人校企乡镇])|每(?:个|名|位|家|所)?([村户人校企乡镇])平均/g;

/** Weight of a glossary-added term relative to the question's own words (below 1: the user's words come first). */
export const EXPANSION_WEIGHT = 0.7;

/** The domain glossary: term explanations with sources, and colloquial → official query expansion. */
export class Glossary {
  constructor(readonly data: GlossaryData) {}

  /**
   * Loads and validates `<dataDir>/glossary.yaml`.
   * @throws Error naming the file and the invalid entry.
   */
  static load(dataDir: string): Glossary {
    const file = path.join(dataDir, 'glossary.yaml');
    const parsed = GlossarySchema.safeParse(YAML.parse(fs.readFileSync(file, 'utf8')));
    if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return new Glossary(parsed.data);
  }

  /** Adds the official wording for every colloquial phrase, term or alias the query contains. */
  expand(query: string): ExpandedQuery {
    const terms = new Map<string, number>();
    for (const t of queryTerms(query)) terms.set(t, 1);
    for (const t of joinedWords(query)) if (!terms.has(t)) terms.set(t, EXPANSION_WEIGHT);
    const added: string[] = [];
    const triggers: string[] = [];
    const substitutes: { say: string; means: string[]; equivalent: boolean }[] = [];
    const addWords = (trigger: string, words: string[], equivalent = true) => {
      triggers.push(trigger);
      substitutes.push({ say: trigger, means: words, equivalent });
      for (const w of words) {
        if (!added.includes(w) && !query.includes(w)) added.push(w);
        for (const t of queryTerms(w)) if (!terms.has(t)) terms.set(t, EXPANSION_WEIGHT);
      }
    };
    // (a phrase said only negated, 改完 of 没改完, is about the same work but does not mean its words: it still widens
    // the search, as an equivalent it does not count)
    for (const p of this.data.phrases) {
      for (const hit of p.say.filter((s) => query.includes(s))) addWords(hit, p.means, !onlyNegated(query, hit));
    }
    for (const t of this.data.terms) {
      for (const hit of [t.term, ...t.aliases].filter((s) => query.includes(s.replace(/[“”]/g, '')))) addWords(hit, t.expands, false);
    }
    // “平均每个村” is written 村均 in reports (人均, 户均, 村均, 校均): the X均 form is added, explaining 平均
    for (const m of query.matchAll(PER_EACH)) addWords(m[0], [`${m[1] ?? m[2]}均`]);
    // a separable verb split by an amount (请5天假, 开了两次会, 值3天班) is the verb as documents write it (请假, 开会, 值班)
    for (const m of query.matchAll(SPLIT_VERB)) if (/^v/.test(dictionaryEntry(m[1]! + m[2]!)?.tag ?? '')) addWords(m[0], [m[1]! + m[2]!]);
    return { terms, text: added.length ? `${query} ${added.join(' ')}` : query, added, explained: explanations(substitutes), triggers, substitutes };
  }

  /**
   * The term a definition question asks about ("什么是三会一课", "两个覆盖是什么意思", "解释一下一肩挑"),
   * or undefined when the question is not of that form or names no glossary term.
   */
  definitionAsked(question: string): GlossaryTerm | undefined {
    const q = question.replace(/[？?。！!\s“”"]/g, '');
    const m =
      /^(?:请)?(?:问)?(?:什么(?:是|叫)|何为|解释一下|解释|说说|介绍一下)(.+?)(?:的意思|的含义|是什么意思)?$/.exec(q) ??
      /^(.+?)(?:是什么意思|是什么|指什么|什么意思|的意思是什么|的含义是什么|是啥|啥意思)$/.exec(q);
    if (!m) return undefined;
    const asked = m[1]!;
    return this.data.terms.find((t) => [t.term, ...t.aliases].some((a) => a.replace(/[“”]/g, '') === asked));
  }
}

/**
 * True when every occurrence of `phrase` in `query` follows a negation (没, 未, 不, 没有: 没改完 of 改完) and the phrase is
 * not itself negated (没办 is the glossary's own negated phrase).
 */
export function onlyNegated(query: string, phrase: string): boolean {
  if (/^[没未不]/.test(phrase)) return false;
  const at = [...query.matchAll(new RegExp(escapeRegExp(phrase), 'g'))].map((m) => m.index);
  return at.length > 0 && at.every((i) => /[没未不]$/.test(query.slice(0, i)));
}

/**
 * The question words each trigger's words explain: every term of a trigger (送外卖 → 送, 外卖) maps to the terms of
 * the words it stands for (新就业群体 …), in the order of `substitutes`.
 */
export function explanations(substitutes: ExpandedQuery['substitutes']): Map<string, string[]> {
  const explained = new Map<string, string[]>();
  for (const x of substitutes) for (const t of queryTerms(x.say)) explained.set(t, [...(explained.get(t) ?? []), ...x.means.flatMap((m) => queryTerms(m))]);
  return explained;
}
