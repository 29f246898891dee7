import { repairReport } from '../repair.js';
import { TreeBuilder, type DocTree } from '../tree.js';

/** Rank of a lead section: below every headline, closed by the next block. */
const LEAD_RANK = 100;

/**
 * Reads a newspaper page as extracted from print (the five reports of data/corpus): the print repair
 * of `repair.ts` gives headlines, paragraphs with their lead phrase, captions and bylines; headlines
 * nest by level, and a paragraph opened by a lead phrase (bold or implicit) becomes a section with
 * role `lead` whose heading is the phrase, so the six “把握好…的关系” paragraphs of 003 are six
 * sibling sections under their headline. Paragraphs without a lead stay in their headline's section.
 * A headline equal to the start of the document title is the title itself, not a section; when it is a Markdown
 * heading its level is kept on the root (`SectionInfo.level`), and every Markdown headline carries its own.
 * Offsets point into `text` (the decoded file).
 */
export function readNewspaper(text: string, stem: string, knownTitle?: string): DocTree {
  const blocks = repairReport(text);
  const firstHeading = blocks.find((x) => x.kind === 'heading')?.text.text;
  const title = knownTitle ?? firstHeading;
  const b = new TreeBuilder(stem, title ?? stem);
  const norm = (x: string) => x.replace(/[\s—]/g, '');
  for (const blk of blocks) {
    if (blk.kind === 'heading') {
      if (b.currentRank === -Infinity && title && norm(title).startsWith(norm(blk.text.text))) {
        // the title printed as a heading: its level tells the lead article's sub-headlines (deeper) from the page's other articles
        if (b.root.info.level === undefined && blk.marked) b.root.info.level = blk.level;
        continue;
      }
      // (a level is recorded only when printed as Markdown: an implicit headline's level 2 is a guess)
      b.open(blk.level, { role: 'headline', heading: blk.text.text, label: blk.text.text, ...(blk.marked ? { level: blk.level } : {}), at: blk.text.span() });
      continue;
    }
    if (blk.kind === 'paragraph' && blk.lead) {
      b.open(LEAD_RANK, { role: 'lead', heading: blk.lead, label: blk.lead, at: blk.text.span(0, Math.min(blk.lead.length, blk.text.length)) });
      b.add({ kind: 'paragraph', text: blk.text });
      b.close(LEAD_RANK);
      continue;
    }
    b.add({ kind: blk.kind === 'paragraph' ? 'paragraph' : blk.kind, text: blk.text });
  }
  return { format: 'newspaper', text, ...(title ? { title } : {}), root: b.finish(text.length) };
}
