import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';

/** Schema of `data/lexicon.yaml`: place names with aliases and parents, domain keyword lists. */
export const LexiconSchema = z.object({
  places: z.array(z.object({ name: z.string().min(1), aliases: z.array(z.string().min(1)).min(1), parent: z.string().optional() })),
  domains: z.record(z.string(), z.array(z.string().min(1)).min(1)),
});
/** Validated contents of `data/lexicon.yaml`. */
export type LexiconData = z.infer<typeof LexiconSchema>;

/** Labels texts with places and domains using `data/lexicon.yaml`. */
export class Lexicon {
  private readonly aliases: { alias: string; name: string }[];

  constructor(readonly data: LexiconData) {
    // longest alias first so that 海西蒙古族藏族自治州 wins over 海西
    this.aliases = data.places.flatMap((p) => p.aliases.map((alias) => ({ alias, name: p.name }))).sort((a, b) => b.alias.length - a.alias.length);
  }

  /**
   * Loads and validates `<dataDir>/lexicon.yaml`.
   * @throws Error naming the file and the invalid field.
   */
  static load(dataDir: string): Lexicon {
    const file = path.join(dataDir, 'lexicon.yaml');
    const parsed = LexiconSchema.safeParse(YAML.parse(fs.readFileSync(file, 'utf8')));
    if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return new Lexicon(parsed.data);
  }

  /**
   * This lexicon plus places it does not list, each known under its own name with no parent: the places the
   * indexed documents declare in their metadata (`place: 澄岚县`), so a question or a topic naming one is
   * restricted to it as for a listed place.
   */
  withPlaces(names: Iterable<string | undefined>): Lexicon {
    const extra = [...new Set([...names].filter((n): n is string => !!n && !this.isPlace(n)))];
    if (!extra.length) return this;
    return new Lexicon({ ...this.data, places: [...this.data.places, ...extra.map((name) => ({ name, aliases: [name] }))] });
  }

  /** Canonical places mentioned in `text`, in order of first mention (each once). */
  places(text: string): string[] {
    const found: { name: string; at: number }[] = [];
    let rest = text;
    for (const { alias, name } of this.aliases) {
      let at = rest.indexOf(alias);
      while (at >= 0) {
        if (!found.some((f) => f.name === name)) found.push({ name, at });
        rest = rest.slice(0, at) + '\u0000'.repeat(alias.length) + rest.slice(at + alias.length);
        at = rest.indexOf(alias);
      }
    }
    return found.sort((a, b) => a.at - b.at).map((f) => f.name);
  }

  /** The place and all its ancestors (祁连县 → [祁连县, 海北州, 青海省]). */
  lineage(place: string): string[] {
    const out: string[] = [];
    let cur: string | undefined = place;
    while (cur && !out.includes(cur)) {
      out.push(cur);
      cur = this.data.places.find((p) => p.name === cur)?.parent;
    }
    return out;
  }

  /** True when `name` is a known place name or alias. */
  isPlace(name: string): boolean {
    return this.aliases.some((a) => a.alias === name || a.name === name);
  }

  /** Canonical name for a place alias (海西 → 海西州), or undefined. */
  canonicalPlace(name: string): string | undefined {
    return this.aliases.find((a) => a.alias === name || a.name === name)?.name;
  }

  /**
   * A place labeller for one document, called in reading order: a passage's places are those its text
   * names; failing that, those last named under the same top-level heading (003 prints the 祁连县 and the
   * 共和县 stories under their own headlines on a 西宁 page); failing that, the document's place.
   */
  placeResolver(docPlace?: string): (section: string, text: string) => string[] {
    const lastByTop = new Map<string, string[]>();
    return (section, text) => {
      const top = section.split(' > ')[0] ?? '';
      const own = this.places(`${section} ${text}`);
      if (own.length) {
        lastByTop.set(top, own);
        return own;
      }
      return lastByTop.get(top) ?? (docPlace ? [docPlace] : []);
    };
  }

  /** Domains whose keywords occur in `text`, most hits first (non-overlapping occurrences of each keyword counted). */
  domains(text: string): string[] {
    const scored = Object.entries(this.data.domains)
      .map(([domain, words]) => ({ domain, hits: words.reduce((n, w) => n + occurrences(text, w), 0) }))
      .filter((d) => d.hits > 0)
      .sort((a, b) => b.hits - a.hits);
    return scored.map((d) => d.domain);
  }
}

/** Characters no place name holds before 县/市…: 全县, 本市, 各区, 该县, 做好全县. */
const NOT_A_PLACE = /[全本各该我此外跨省市州县区]/;

/**
 * The place a document speaks for, read from its issuer (中共枫渚县委组织部 → 枫渚县, 西宁市人民政府办公厅 → 西宁市) or,
 * failing that, from the start of its title (枫渚县流动党员管理办法, 关于枫渚县…的调研报告, 《枫渚县…办法》解读 → 枫渚县): an administrative name of two to five
 * characters ending in 省, 市, 州, 县, 区, 旗 or 盟, known to the lexicon or not. For documents with no `place` in
 * their metadata: a county's own 通知 or 简报 is about that county even where a passage names none. Undefined
 * when neither names one (县委组织部, 关于公布全县……的通知).
 */
export function documentPlace(issuer: string | undefined, title: string): string | undefined {
  const name = (m: RegExpExecArray | null) => (m && !NOT_A_PLACE.test(m[1]!.slice(0, -1)) ? m[1] : undefined);
  const fromIssuer = issuer ? name(/^(?:中共|中国共产党)?([\u4e00-\u9fff]{1,4}?(?:省|市|州|县|区|旗|盟))(?:委|人民政府|政府|人大|政协|纪委|党委|党工委)/.exec(issuer.replace(/\s+/g, ''))) : undefined;
  // a title opens with the name, perhaps after 关于 or inside a 《》 of the document it explains (关于棠湄县…的调研报告,
  // 《棠湄县…实施办法》政策解读)
  // (and after the verb a 关于 title opens with: 关于开展棠湄县…, 关于做好棠湄县…); the name may be followed by a quoted
  // name or a bracket (棠湄县“两新”组织…)
  const opening = title.replace(/\s+/g, '').replace(/^(?:关于(?:开展|做好|加强|推进|推动|深化|进一步|印发|公布|组织|表彰)*|《|“)+/, '');
  return fromIssuer ?? name(/^(?:中共)?([\u4e00-\u9fff]{1,4}?(?:省|市|州|县|区|旗|盟))(?=[\u4e00-\u9fff\d“《（(])/.exec(opening));
}

/**
 * The county or city a document's body names most often in full (汀澜县委组织部, 汀澜县城 → 汀澜县): a two-character stem and
 * 县, 市, 州 or 旗 (GB/T 2260: the most common form of county-level names; 区 is left out, as 社区, 城区 and 园区 end with
 * it too), the stem holding no word of scope (全县, 本市); a word jieba's dictionary knows as no place (大城市) is none.
 * For a document whose metadata, issuer and title name no place (a 简报 page titled 汀澜组工信息): undefined when the
 * body names none.
 */
export function bodyPlace(text: string, isWord: (w: string) => boolean): string | undefined {
  const counts = new Map<string, number>();
  for (const m of text.matchAll(/([\u4e00-\u9fff]{2})(县|市|州|旗)/g)) {
    const name = `${m[1]}${m[2]}`;
    if (NOT_A_PLACE.test(m[1]!) || isWord(name) || isWord(`${m[1]![1]}${m[2]}`)) continue;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** Non-overlapping occurrences of `word` (non-empty) in `text`, left to right: `text.split(word).length - 1` without the array. */
function occurrences(text: string, word: string): number {
  let n = 0;
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length)) n++;
  return n;
}
