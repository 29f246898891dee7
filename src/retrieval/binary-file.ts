import fs from 'node:fs';

/**
 * The binary files of the index (postings, sparse vectors): a header of six 32-bit integers whose first is the
 * file's magic number, then typed arrays written back to back in the machine's byte order.
 */

/** Writes `parts` (header first) to `file`, replacing it. @throws the file system's errors. */
export function writeBinary(file: string, parts: ArrayBufferView[]): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (const p of parts) fs.writeSync(fd, new Uint8Array(p.buffer, p.byteOffset, p.byteLength));
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads a file written by `writeBinary`: its bytes (an ArrayBuffer of their own, so typed arrays can view them at
 * any offset) and its six-integer header.
 * @param minBytes shortest valid length; @param magic the expected first integer; @param kind named in the error
 * @throws Error when the file is shorter than `minBytes` (“is truncated”) or has another magic number.
 */
export function readBinary(file: string, minBytes: number, magic: number, kind: string): { ab: ArrayBuffer; header: Int32Array } {
  const buf = fs.readFileSync(file);
  if (buf.byteLength < minBytes) throw new Error(`${file} is truncated`);
  // a file read whole has an ArrayBuffer of its own (Node allocates it unpooled): view it in place instead of
  // copying hundreds of MB at 1000× (the copy was 2 s of a 5.5 s cold `ask`); a small pooled read is copied
  const own = buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength;
  const ab = own ? (buf.buffer as ArrayBuffer) : buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const header = new Int32Array(ab, 0, 6);
  if (header[0] !== magic) throw new Error(`${file} is not ${kind}`);
  return { ab, header };
}
