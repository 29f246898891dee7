/**
 * The articles of a newspaper page. A page file is named after its lead article, but it prints several: the
 * lead article's sub-headlines sit below the title's heading level, and each further article opens with a
 * headline at the title's level (or above it). Measured on data/corpus: 003 (西宁, `#` title) has three `##`
 * sub-headlines of its lead article and three `#` articles of other authors and places; 000 prints its articles
 * under an umbrella `#` title as `##`/`###`, so they are all parts of the page its title names.
 */
import type { DocumentInfo } from '../../types.js';

/** What a top-level part of a page is: a part of the lead article (the one the title names) or another article. */
export interface PageParts {
  /** Top-level headings (`SectionInfo.path[0]`) of the other articles, in reading order. */
  others: string[];
  /** True when `heading` ("" for text before any headline) is a part of the lead article. */
  isLead: (heading: string) => boolean;
}

/**
 * Splits a newspaper page's top-level sections into the lead article's parts and the other articles: from the
 * first top-level headline whose level is at most the title's level (`SectionInfo.level` of the root), every
 * top-level section is another article. Undefined for a document that is not a newspaper page, or when the
 * title's level is not known (a title from metadata only, an index built before levels were recorded) or no
 * headline reaches it: the page is then one piece, its sections all parts of it.
 */
export function pageParts(doc: DocumentInfo | undefined): PageParts | undefined {
  const root = doc?.sections[0];
  if (!doc || doc.format !== 'newspaper' || root?.level === undefined) return undefined;
  const top = doc.sections.filter((s) => s.parentId === root.id && s.path.length);
  const first = top.findIndex((s) => s.role === 'headline' && s.level !== undefined && s.level <= root.level!);
  if (first < 0) return undefined;
  const others = top.slice(first).map((s) => s.path[0]!);
  const otherSet = new Set(others);
  return { others, isLead: (heading) => !otherSet.has(heading) };
}
