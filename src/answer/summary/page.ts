/**
 * The articles of a newspaper page. A page file is named after its lead article, but it prints several (the
 * newspaper reader tells them apart: see `readNewspaper`). Measured on data/corpus: 003 (西宁) has three parts of its
 * lead article and three articles of other authors and places; 001 four other articles; 004 one (“小积分”…); 000
 * prints its articles under an umbrella title, so they are all parts of the page its title names; 002 is one article.
 */
import type { DocumentInfo, SectionInfo } from '../../types.js';

/** What a top-level part of a page is: a part of the lead article (the one the title names) or another article. */
export interface PageParts {
  /** Top-level headings (`SectionInfo.path[0]`) of the other articles, in reading order. */
  others: string[];
  /** True when `heading` ("" for text before any headline) is a part of the lead article. */
  isLead: (heading: string) => boolean;
}

/**
 * Splits a newspaper page's top-level sections into the lead article's parts and the other articles, as the
 * newspaper reader marked them (`SectionInfo.pageArticle`: a headline at the title's printed level, or one printed
 * with its own byline, place tag or column label…). Undefined for a document that is not a newspaper page or prints
 * no other article (an index built before index version 12 marks none): the page is then one piece.
 */
export function pageParts(doc: DocumentInfo | undefined): PageParts | undefined {
  const root = doc?.sections[0];
  if (!doc || doc.format !== 'newspaper' || !root) return undefined;
  const others = doc.sections.filter((s) => s.parentId === root.id && s.path.length && s.pageArticle).map((s) => s.path[0]!);
  if (!others.length) return undefined;
  const otherSet = new Set(others);
  return { others, isLead: (heading) => !otherSet.has(heading) };
}

/** The other article of a page whose headline is `heading` (`SectionPath[0]`), if it is one. */
export function pageArticle(doc: DocumentInfo | undefined, heading: string | undefined): SectionInfo | undefined {
  const root = doc?.sections[0];
  if (!root || !heading) return undefined;
  return doc!.sections.find((s) => s.parentId === root.id && s.path[0] === heading && s.pageArticle);
}
