import type { Measure } from '../types.js';
import type { SourceDoc } from './corpus.js';
import type { Lexicon } from './lexicon.js';
import { getJieba } from './segment.js';
import { splitSentences } from './sentences.js';
import type { Traced } from './traced.js';
import { isSection, type SectionNode } from './tree.js';

/**
 * Figures as printed: a number (with decimals, 余/多, 万/亿) and its unit or a percent sign.
 * Bare years, dates and ordinal forms (2024年, 10月28日, 第三批) are not figures.
 */
const FIGURE = /(?<![0-9.])\d+(?:\.\d+)?(?:余|多)?(?:万|亿)?(?:人次|人\(次\)|人（次）|个百分点|万千瓦|千瓦|万元|亿元|元|个|名|人|项|条|家|辆|期|部|次|套|所|支|件|户|门|批|处|场|类|级|份|块|座|%|％)/g;

/** Extracts the figures of `text` ("467名", "1100万元", "90%"), each once, in order. */
export function extractFigures(text: string): string[] {
  return [...new Set((text.match(FIGURE) ?? []).filter((f) => !/^\d{4}年/.test(f)))];
}

/**
 * Verbs that announce an action in these reports (出台…清单, 建立…机制, 选派…干部). A sentence with one of
 * them and a figure is a measure even without a lead phrase (e.g. 001 "出台涵盖7个方面36项具体任务的年度重点工作清单").
 */
const ACTION = /(召开|出台|制定|建立|建成|实施|开展|打造|组建|举办|推行|选派|引进|培育|整合|购买|设立|成立|构建|搭建|评定|整顿|吸引|创新|部署|开发|印发|制发|下派|培训|投入|安排|争取|调整|提拔|轮换|排查)/;

/**
 * Verbs that open the heading of a task in a 方案 or 通知 outline (“（一）加强组织建设”, “1.健全工作台账”);
 * such an outline item with its paragraph is a measure. From GB/T 9704-style 实施方案 headings.
 */
const TASK_VERB = /^(拓宽|畅通|实行|推行|加强|推进|推动|健全|完善|落实|抓好|抓实|提升|提高|深化|强化|规范|严格|做好|坚持|注重|创新|扩大|优化|建立|建设|开展|实施|打造|组织|拓展|夯实|压实|发挥|聚焦|突出|持续|全面|着力|加快|统筹|引导|选优|配强)/;

/** A heading states a task when it opens with a task verb, or jieba tags its first word as a verb (`v`). */
function statesTask(heading: string): boolean {
  return TASK_VERB.test(heading) || getJieba().tag(heading, true)[0]?.tag === 'v';
}

function clauseWithAction(sentence: string): string {
  const clauses = sentence.split(/[，；：]/);
  const hit = clauses.find((c) => ACTION.test(c) && FIGURE.test(c)) ?? clauses.find((c) => ACTION.test(c)) ?? clauses[0]!;
  FIGURE.lastIndex = 0;
  return hit.replace(/[。！？”]+$/, '').slice(0, 40);
}

/** A measure with the section that holds it (for `IndexRecord.sectionPath`/`sectionId`). */
export interface ExtractedMeasure extends Measure {
  sectionPath: string[];
  sectionId: string;
}

/** A sentence holding a list's lead, its colon and the opening of its first item (…之一的：（一）…；, …如下：1. …). */
const LEAD_AND_FIRST_ITEM = /[：:]\s*(?:（[一二三四五六七八九十]{1,3}）|（\d{1,2}）|\d{1,2}[.、．](?!\d)|[①②③④⑤⑥⑦⑧⑨⑩])/;

/**
 * Extracts the measures (举措) of a document from its tree, whatever its format:
 * 1. a `lead` section (a paragraph opened by a bold or implicit lead phrase) is one measure titled by
 *    that phrase;
 * 2. an outline item of a 方案/通知 whose heading states a task (“（一）加强组织建设。…”) and that has
 *    text of its own is one measure titled by its heading;
 * 3. in other paragraphs and list items, each sentence that announces an action with a figure is one
 *    measure, titled by its action clause.
 * `section` is the path of the enclosing section (a lead or outline measure: without its own heading).
 * Places come from the text, else from the story it belongs to (`Lexicon.placeResolver`); domains from `data/lexicon.yaml`.
 */
export function extractMeasures(doc: SourceDoc, lexicon: Lexicon): ExtractedMeasure[] {
  const prefix = doc.source; // the whole file name, as chunk ids
  const out: ExtractedMeasure[] = [];
  const placesOf = lexicon.placeResolver(doc.meta.place);
  const add = (title: string, text: string, section: string[], sec: SectionNode) => {
    const heading = section.join(' > ');
    out.push({
      id: `${prefix}#m${out.length}`,
      title,
      text,
      figures: extractFigures(text),
      places: placesOf(heading, text),
      domains: lexicon.domains(`${heading} ${text}`),
      source: doc.source,
      docTitle: doc.title,
      section: heading,
      sectionPath: sec.info.path,
      sectionId: sec.info.id,
    });
  };
  const visit = (sec: SectionNode) => {
    // the section's own text: its paragraphs and lists (lead sentence and items)
    const own: Traced[] = sec.nodes.flatMap((n) => (isSection(n) ? [] : n.kind === 'paragraph' ? [n.text] : n.kind === 'list' ? [...(n.lead ? [n.lead] : []), ...n.items] : []));
    const { role, heading, path } = sec.info;
    if (own.length && (role === 'lead' || (role === 'outline' && statesTask(heading) && own.reduce((k, p) => k + p.length, 0) > heading.length + 8))) {
      add(heading, own.map((p) => p.text).join(''), path.slice(0, -1), sec);
      for (const n of sec.nodes) if (isSection(n)) visit(n);
      return;
    }
    for (const n of sec.nodes) {
      if (isSection(n)) {
        visit(n);
        continue;
      }
      const texts = n.kind === 'paragraph' ? [n.text] : n.kind === 'list' ? n.items : [];
      for (const t of texts) {
        for (const s of splitSentences(t)) {
          // (a list's lead cut at the end of its first item, 有下列情形之一的，……：（一）全年举办培训班少于3期的；, is no
          // measure: the item is one case of several, and the passage quoted from it would drop the others)
          if (LEAD_AND_FIRST_ITEM.test(s.text)) continue;
          FIGURE.lastIndex = 0;
          const hasFigure = FIGURE.test(s.text);
          FIGURE.lastIndex = 0;
          if (hasFigure && ACTION.test(s.text) && !/^[“"]/.test(s.text) && s.length >= 20) add(clauseWithAction(s.text), s.text, path, sec);
        }
      }
    }
  };
  visit(doc.tree.root);
  return out;
}
