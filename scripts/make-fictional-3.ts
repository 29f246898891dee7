/**
 * Generates the .docx and .pdf documents of the fourth fictional corpus (青屏县, eval/fictional-3; the set of
 * eval/heldout-4.jsonl) from their Markdown masters. Usage:
 *   npx tsx scripts/make-fictional-3.ts [--masters eval/fictional-3-masters] [--out eval/fictional-3] [--font <cjk.ttc>]
 *   npx tsx scripts/make-fictional-3.ts --verify   (checks the committed files against the masters; no font needed)
 *
 * A master is named `<stem>.<format>.md` with format docx or pdf and becomes `<out>/<stem>.<format>` (rendered by
 * scripts/lib/fictional-render.ts, the same renderer as the second corpus). The masters live outside the output
 * folder because scripts/eval.ts `--also` copies every file of that folder into the corpus. The .html and .txt
 * documents of the corpus are written by hand and have no master.
 *
 * Exit codes: 0 done, 1 a verified file lacks text of its master, 2 no CJK font (see exitWithoutCjkFont).
 */
import { Command } from 'commander';
import { exitWithoutCjkFont, findCjkFont, renderMasters } from './lib/fictional-render.js';

const program = new Command('make-fictional-3')
  .option('--masters <dir>', 'folder with the `<stem>.<docx|pdf>.md` masters', 'eval/fictional-3-masters')
  .option('--out <dir>', 'folder the documents are written to', 'eval/fictional-3')
  .option('--font <file>', 'CJK font file (.ttf/.otf/.ttc)')
  .option('--verify', 'only check the committed files against the masters (needs no font)')
  .parse();
const opts = program.opts<{ masters: string; out: string; font?: string; verify?: boolean }>();

const font = opts.verify ? undefined : (findCjkFont(opts.font) ?? exitWithoutCjkFont());
const { problems, count } = await renderMasters(opts.masters, opts.out, font);
if (problems.length) {
  console.error(`${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`${count} documents carry every paragraph, item and table cell of their masters`);
