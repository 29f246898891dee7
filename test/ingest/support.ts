import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chunkDocument, type Chunk } from '../../src/ingest/chunk.js';
import { readCorpus, type DocProblem, type SourceDoc } from '../../src/ingest/corpus.js';
import { allSections } from '../../src/ingest/tree.js';
import type { SectionInfo } from '../../src/types.js';

/** A corpus folder holding `files` (name → text or bytes), read with the product's corpus reader. */
export async function readFiles(files: Record<string, string | Buffer>): Promise<{ docs: SourceDoc[]; problems: DocProblem[]; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-readers-'));
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  const { docs, problems } = await readCorpus(dir);
  fs.rmSync(dir, { recursive: true, force: true });
  return { docs, problems, dir };
}

/** Reads one file and returns its document, sections and chunks. */
export async function readOne(name: string, content: string | Buffer): Promise<{ doc: SourceDoc; sections: SectionInfo[]; chunks: Chunk[] }> {
  const { docs, problems } = await readFiles({ [name]: content });
  if (problems.length) throw new Error(`${problems[0]!.source}: ${problems[0]!.reason}`);
  const doc = docs[0]!;
  return { doc, sections: allSections(doc.tree.root).map((s) => s.info), chunks: chunkDocument(doc) };
}
