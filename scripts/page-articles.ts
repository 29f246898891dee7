/**
 * Prints how the newspaper reader segments each page of a corpus folder into headlines and sections: one row per
 * section (page, role, level, heading path) with the first and last sentence of its text, and the blocks kept out
 * of chunks (captions, bylines). Usage: `npx tsx scripts/page-articles.ts [corpus-dir] [--blocks]`
 * (default data/corpus). A check by eye of the article segmentation; it changes nothing.
 */
import { readCorpus } from '../src/ingest/corpus.js';
import { splitSentences } from '../src/ingest/sentences.js';
import { isSection, type SectionNode } from '../src/ingest/tree.js';

const dir = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'data/corpus';
const showBlocks = process.argv.includes('--blocks');
const cut = (s: string, n = 28) => (s.length > n ? `${s.slice(0, n)}…` : s);

const { docs } = await readCorpus(dir);
for (const d of docs) {
  console.log(`\n== ${d.source} ${d.format} 《${d.title}》 level=${d.tree.root.info.level ?? '-'}`);
  const visit = (n: SectionNode, depth: number) => {
    const texts = n.nodes.filter((c) => !isSection(c) && c.kind === 'paragraph').map((c) => (c as { text: import('../src/ingest/traced.js').Traced }).text);
    const sents = texts.flatMap((t) => splitSentences(t)).map((t) => t.text);
    const info = n.info;
    const pa = info.pageArticle;
    const tag = [info.role, info.level !== undefined ? `L${info.level}` : '', pa ? `ARTICLE${pa.column ? ` column=${pa.column}` : ''}${pa.bylines.length ? ` by=${pa.bylines.join('/')}` : ''}` : ''].filter(Boolean).join(' ');
    console.log(`${'  '.repeat(depth)}[${tag}] ${cut(info.heading, 40)} | ${sents.length ? `${cut(sents[0]!)} … ${cut(sents.at(-1)!)}` : '(no text)'}`);
    if (showBlocks) for (const c of n.nodes) if (!isSection(c) && (c.kind === 'caption' || c.kind === 'byline')) console.log(`${'  '.repeat(depth + 1)}(${c.kind}) ${cut(c.text.text, 50)}`);
    for (const c of n.nodes) if (isSection(c)) visit(c, depth + 1);
  };
  visit(d.tree.root, 0);
}
