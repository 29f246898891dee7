/**
 * Generates the twenty-fourth fictional corpus (棠岭县, eval/fictional-23; the set of eval/heldout-24.jsonl) from its masters.
 * Usage:
 *   npx tsx scripts/make-fictional-23.ts [--masters eval/fictional-23-masters] [--out eval/fictional-23] [--font <cjk.ttc>]
 *   npx tsx scripts/make-fictional-23.ts --verify   (checks the committed files against the masters; no font needed)
 *
 * Masters:
 * - `<stem>.<docx|pdf>.md` becomes `<out>/<stem>.<docx|pdf>`, rendered by scripts/lib/fictional-render.ts (the same
 *   renderer as the second and fourth corpora).
 * - `<stem>.txt.utf8` (UTF-8 plain text) becomes `<out>/<stem>.txt` encoded as GB19030 with CRLF line ends, the way
 *   a text file saved by a Chinese-locale Windows editor arrives (iconv-lite).
 * The masters live outside the output folder because scripts/eval.ts `--also` copies every file of that folder into
 * the corpus. The other documents of the corpus (.md, .html, a UTF-8 .txt) are written by hand and have no master.
 *
 * `--verify` reads each output the way a user's file would be read (the .docx with mammoth, the .pdf text layer with
 * unpdf, the .txt decoded from GB19030) and checks it holds every paragraph, item and table cell of its master; it
 * also checks the .txt is not valid UTF-8 (so it really exercises encoding detection).
 *
 * Exit codes: 0 done, 1 a verified file lacks text of its master, 2 no CJK font (see exitWithoutCjkFont).
 */
import { makeFictionalCorpus } from './lib/fictional-render.js';

await makeFictionalCorpus('make-fictional-23', 'eval/fictional-23-masters', 'eval/fictional-23');
