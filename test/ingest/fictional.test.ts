import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../src/ingest/chunk.js';
import { readFiles } from './support.js';

/** The fictional policy corpus (scripts/make-fictional-corpus.ts): Markdown masters and their generated .docx/.pdf. */
const DIR = 'test/fixtures/fictional';
const present = fs.existsSync(path.join(DIR, 'generated'));

describe.skipIf(!present)('the fictional policy corpus in three formats', () => {
  it('reads each document to the same chunks from its Markdown master, its .docx and its .pdf', async () => {
    const masters = fs.readdirSync(DIR).filter((f) => f.endsWith('.md'));
    const generated = fs.readdirSync(path.join(DIR, 'generated')).filter((f) => /\.(docx|pdf)$/.test(f));
    const files = Object.fromEntries([...masters.map((f) => [f, fs.readFileSync(path.join(DIR, f))]), ...generated.map((f) => [f, fs.readFileSync(path.join(DIR, 'generated', f))])]);
    const { docs, problems } = await readFiles(files);
    expect(problems).toEqual([]);
    // white space aside (PDF text drops some spaces), the same units, sections and texts
    const key = (source: string) =>
      chunkDocument(docs.find((d) => d.source === source)!).map((c) => `${c.unit}|${c.section}|${c.article ?? ''}|${c.text.replace(/\s/g, '')}`);
    for (const md of masters) {
      const stem = md.replace(/\.md$/, '');
      const want = key(md);
      expect(want.length).toBeGreaterThan(5);
      for (const ext of ['docx', 'pdf']) if (files[`${stem}.${ext}`]) expect(key(`${stem}.${ext}`), `${stem}.${ext}`).toEqual(want);
    }
  });
});
