import fs from 'node:fs';

/**
 * The binary files of the index (postings, sparse vectors): a header of six 32-bit integers whose first is the
 * file's magic number, then typed arrays written back to back in the machine's byte order (read with
 * `BinaryFileReader`).
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
 * A file written by `writeBinary`, opened for reading its parts when first needed: the caller reads the header and
 * the small arrays at once and fills the large ones range by range (a query touches a few posting lists or vector
 * dimensions, not hundreds of MB; at 1000× reading both files whole was about 1 s of a cold `ask`). The
 * descriptor stays open until `close`, so a file replaced meanwhile (a rebuild renames a new one into place) is
 * still read as it was when opened; it is also closed when the reader is garbage-collected.
 */
export class BinaryFileReader {
  private static readonly finalizer = new FinalizationRegistry<number>((fd) => {
    try {
      fs.closeSync(fd);
    } catch {
      // already closed
    }
  });
  private fd: number | undefined;
  readonly size: number;
  readonly header: Int32Array;

  /**
   * Opens `file` and reads its six-integer header.
   * @param minBytes shortest valid length; @param magic the expected first integer; @param kind named in the error
   * @throws Error when the file is missing, shorter than `minBytes` (“is truncated”) or has another magic number.
   */
  constructor(
    readonly file: string,
    minBytes: number,
    magic: number,
    kind: string,
  ) {
    const fd = fs.openSync(file, 'r');
    try {
      this.size = fs.fstatSync(fd).size;
      if (this.size < minBytes) throw new Error(`${file} is truncated`);
      this.header = new Int32Array(6);
      this.fill(this.header, 0, fd);
      if (this.header[0] !== magic) throw new Error(`${file} is not ${kind}`);
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
    this.fd = fd;
    BinaryFileReader.finalizer.register(this, fd, this);
  }

  /**
   * Fills `target` whole with the bytes at `position`.
   * @throws Error when the file ends first (“is truncated”) or the reader is closed.
   */
  fill(target: ArrayBufferView, position: number, fd = this.fd): void {
    if (fd === undefined) throw new Error(`${this.file} is closed`);
    const bytes = new Uint8Array(target.buffer, target.byteOffset, target.byteLength);
    for (let done = 0; done < bytes.length; ) {
      const n = fs.readSync(fd, bytes, done, bytes.length - done, position + done);
      if (n === 0) throw new Error(`${this.file} is truncated`);
      done += n;
    }
  }

  /** Closes the file (further `fill`s throw). */
  close(): void {
    if (this.fd === undefined) return;
    BinaryFileReader.finalizer.unregister(this);
    fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * Parallel arrays of a `BinaryFileReader`'s file (a posting list's labels and frequencies, a vector dimension's ids
 * and values) split into slots by `offsets` (slot `s` is `offsets[s]` to `offsets[s + 1]`), each slot read into the
 * arrays, allocated whole, when first needed; the file is closed once every slot was read.
 */
export class LazyRanges {
  private readonly read: Uint8Array;
  private left: number;

  /**
   * @param columns each target array with the file position of its first element (4-byte elements)
   */
  constructor(
    private reader: BinaryFileReader | undefined,
    private readonly offsets: Uint32Array,
    private readonly columns: { target: Int32Array | Float32Array; at: number }[],
  ) {
    this.left = offsets.length - 1;
    this.read = new Uint8Array(this.left);
    if (this.left === 0) this.finish();
  }

  /** Reads slot `s` when not read yet. @throws Error when the file was closed before every slot was read. */
  need(s: number): void {
    if (!this.reader || this.read[s]) return;
    const from = this.offsets[s]!;
    const to = this.offsets[s + 1]!;
    for (const { target, at } of this.columns) this.reader.fill(target.subarray(from, to), at + from * target.BYTES_PER_ELEMENT);
    this.read[s] = 1;
    if (--this.left === 0) this.finish();
  }

  /** Releases the file: once every slot was read this changes nothing; else a later `need` of an unread slot throws. */
  close(): void {
    this.reader?.close();
  }

  private finish(): void {
    this.reader?.close();
    this.reader = undefined;
  }
}
