import chardet from 'chardet';
import iconv from 'iconv-lite';
import { ReadError } from './read-error.js';

const CJK = /[\u3400-\u9fff]/g;

/**
 * Decodes the bytes of a text file to a string with `\n` line ends and no BOM.
 * UTF-8 (with or without BOM) and UTF-16 with a BOM are read directly; otherwise the encoding is
 * detected with `chardet` and decoded with `iconv-lite`. Because `chardet` guesses short Chinese
 * texts poorly, GB18030 (a superset of GBK and GB2312) and Big5 are tried too, and the first decoding
 * without replacement characters that reads as Chinese wins.
 * @throws ReadError when the bytes are binary (NUL bytes) or decode to no Chinese text in any candidate.
 */
export function decodeText(bytes: Buffer): { text: string; encoding: string } {
  const done = (text: string, encoding: string) => ({ text: text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'), encoding });
  // a UTF-16 BOM counts only when an even number of bytes follows it
  if (bytes.length % 2 === 0 && bytes[0] === 0xff && bytes[1] === 0xfe) return done(iconv.decode(bytes.subarray(2), 'utf-16le'), 'UTF-16LE');
  if (bytes.length % 2 === 0 && bytes[0] === 0xfe && bytes[1] === 0xff) return done(iconv.decode(bytes.subarray(2), 'utf-16be'), 'UTF-16BE');
  if (bytes.includes(0)) throw new ReadError('二进制文件，不是文本（binary content: NUL bytes）');
  try {
    return done(new TextDecoder('utf-8', { fatal: true }).decode(bytes), 'UTF-8');
  } catch {
    // not UTF-8: detect below
  }
  const guess = chardet.detect(bytes);
  const candidates = [...new Set([guess, 'GB18030', 'Big5'].filter((e): e is string => !!e && iconv.encodingExists(e)))];
  for (const enc of candidates) {
    const text = iconv.decode(bytes, enc);
    const cjk = (text.match(CJK) ?? []).length;
    if (!text.includes('\uFFFD') && cjk > 0 && cjk >= text.replace(/\s/g, '').length / 4) return done(text, enc);
  }
  throw new ReadError(`无法识别文本编码（unknown text encoding${guess ? `, detected ${guess}` : ''}）`);
}
