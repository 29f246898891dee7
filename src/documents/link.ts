import path from 'node:path';

/** A web page or file fetched from a link, ready for the readers. */
export interface FetchedLink {
  bytes: Buffer;
  /** A file name with the extension of its type (the readers choose by extension). */
  fileName: string;
  contentType: string;
}

/** A link that cannot be read, with a Chinese reason for the user. */
export class LinkError extends Error {
  override name = 'LinkError';
}

/** Content types read from links, and the extension the readers know them by. */
const TYPES: Record<string, string> = {
  'text/html': '.html',
  'application/xhtml+xml': '.html',
  'application/pdf': '.pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'text/plain': '.txt',
  'text/markdown': '.md',
};

/** One http(s) URL in a text, found as a whole word. */
export const URL_PATTERN = /https?:\/\/[^\s<>"'，。；、）)】]+/gi;

/**
 * Fetches a link for the knowledge base: http(s) only, at most `maxBytes` (checked on `Content-Length`
 * and while reading), within `timeoutMs`, and only the types the readers read (`Content-Type` html, pdf,
 * docx, plain text, Markdown; `application/octet-stream` counts by the URL's extension).
 * @throws LinkError with the reason (bad URL, HTTP status, type, size, timeout, network).
 */
export async function fetchLink(url: string, opts: { maxBytes: number; timeoutMs?: number }): Promise<FetchedLink> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new LinkError('链接格式不正确');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new LinkError('只能读取 http 或 https 链接');
  let res: Response;
  try {
    res = await fetch(u, { redirect: 'follow', signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000), headers: { accept: 'text/html,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/plain,text/markdown;q=0.9,*/*;q=0.1' } });
  } catch (err) {
    const e = err as Error;
    throw new LinkError(e.name === 'TimeoutError' ? '打开链接超时' : `无法打开链接（${e.message}）`);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new LinkError(`打开链接失败（HTTP ${res.status}）`);
  }
  const mime = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const fromUrl = path.extname(decodeURIComponent(u.pathname)).toLowerCase();
  const ext = TYPES[mime] ?? (mime === 'application/octet-stream' || mime === '' ? (Object.values(TYPES).includes(fromUrl) ? fromUrl : undefined) : undefined);
  if (!ext) {
    await res.body?.cancel();
    throw new LinkError(`链接的内容类型 ${mime || '未知'} 不能收录（只收网页、PDF、Word .docx、纯文本和 Markdown）`);
  }
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > opts.maxBytes) {
    await res.body?.cancel();
    throw new LinkError(`链接的文件超过 ${Math.round(opts.maxBytes / 1024 / 1024)} MB 的上限`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  if (res.body) {
    for await (const c of res.body) {
      size += c.length;
      if (size > opts.maxBytes) {
        await res.body.cancel().catch(() => undefined);
        throw new LinkError(`链接的文件超过 ${Math.round(opts.maxBytes / 1024 / 1024)} MB 的上限`);
      }
      chunks.push(Buffer.from(c));
    }
  }
  const last = decodeURIComponent(u.pathname.split('/').filter(Boolean).at(-1) ?? '');
  const stem = (last.replace(/\.[^.]+$/, '') || u.hostname).slice(0, 80);
  return { bytes: Buffer.concat(chunks), fileName: `${stem}${ext}`, contentType: mime };
}
