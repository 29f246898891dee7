import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { corpusFileHashes, stampedFileHashes } from '../../src/ingest/corpus.js';

let dir = '';
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function corpus(): string {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-stamps-'));
  fs.writeFileSync(path.join(dir, 'a.txt'), '关于开展党员冬训的通知');
  fs.writeFileSync(path.join(dir, 'b.txt'), '关于报送党费收缴情况的通知');
  const old = new Date(Date.now() - 60_000);
  for (const f of ['a.txt', 'b.txt']) fs.utimesSync(path.join(dir, f), old, old);
  return dir;
}

describe('stampedFileHashes', () => {
  it('gives the same hashes as hashing every file', () => {
    const d = corpus();
    expect(new Map([...stampedFileHashes(d)].map(([f, [, h]]) => [f, h]))).toEqual(corpusFileHashes(d));
  });

  it('reuses a remembered hash only while the file is unchanged, and re-reads an edited or just-written file', () => {
    const d = corpus();
    const first = stampedFileHashes(d);
    const known = { at: Date.now(), files: new Map([...first].map(([f, [stamp]]) => [f, [stamp, 'remembered'] as [string, string]])) };
    // unchanged files: the remembered hash is used (the file is not read)
    expect([...stampedFileHashes(d, known).values()].map(([, h]) => h)).toEqual(['remembered', 'remembered']);
    // an edit (same size, new time) is hashed again
    fs.writeFileSync(path.join(d, 'a.txt'), '关于开展党员春训的通知');
    const after = stampedFileHashes(d, known);
    expect(after.get('a.txt')![1]).toBe(corpusFileHashes(d).get('a.txt'));
    expect(after.get('b.txt')![1]).toBe('remembered');
    // a file whose time is within 2 s of when the stamps were taken is not trusted
    const racy = { at: Date.now() + 1000, files: stampedFileHashes(d) };
    racy.files.set('a.txt', [racy.files.get('a.txt')![0], 'remembered']);
    expect(stampedFileHashes(d, racy).get('a.txt')![1]).toBe(corpusFileHashes(d).get('a.txt'));
  });
});
