import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readBinary, writeBinary } from '../../src/retrieval/binary-file.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-binary-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const MAGIC = 0x5eed;

/** Writes a header and `n` floats, reads the file back and returns the floats as a view after the header. */
function roundTrip(name: string, n: number): { written: Float32Array; read: Float32Array } {
  const file = path.join(dir, name);
  const written = Float32Array.from({ length: n }, (_, i) => i * 0.5 - 7);
  writeBinary(file, [Int32Array.from([MAGIC, n, 0, 0, 0, 0]), written]);
  const { ab, header } = readBinary(file, 24, MAGIC, 'a test file');
  expect(header[1]).toBe(n);
  return { written, read: new Float32Array(ab, 24, header[1]) };
}

describe('binary index files (postings, sparse vectors)', () => {
  it('read back what was written, for a small file and for one of several MB (read in place, not copied)', () => {
    for (const [name, n] of [['small.bin', 10], ['large.bin', 3_000_000]] as const) {
      const { written, read } = roundTrip(name, n);
      expect(read.length).toBe(written.length);
      expect(read[0]).toBe(written[0]);
      expect(read[n - 1]).toBe(written[n - 1]);
      expect(Buffer.from(read.buffer, read.byteOffset, read.byteLength).equals(Buffer.from(written.buffer))).toBe(true);
    }
  });

  it('refuse a truncated file and a file of another kind', () => {
    const short = path.join(dir, 'short.bin');
    fs.writeFileSync(short, Buffer.alloc(8));
    expect(() => readBinary(short, 24, MAGIC, 'a test file')).toThrow(/is truncated/);
    const other = path.join(dir, 'other.bin');
    writeBinary(other, [Int32Array.from([1, 0, 0, 0, 0, 0])]);
    expect(() => readBinary(other, 24, MAGIC, 'a test file')).toThrow(/is not a test file/);
  });
});
