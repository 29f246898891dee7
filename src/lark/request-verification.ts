import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { LarkConfig } from './config.js';

/**
 * Verification of webhook deliveries before the SDK sees them (in the spirit of Slack bolt-js's
 * `verifySlackRequest`): a forged, tampered or replayed request gets an HTTP 4xx instead of the
 * SDK's silent empty 200.
 */

/**
 * Oldest signed `X-Lark-Request-Timestamp` accepted, in seconds (5 minutes, the usual replay
 * window; bolt-js uses the same). Also the furthest a timestamp may lie in the future (clock skew).
 */
export const MAX_REQUEST_AGE_SECONDS = 5 * 60;

/** Result of {@link verifyLarkRequest}. */
export type DeliveryCheck = { ok: true } | { ok: false; status: number; reason: string };

function safeEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function decrypt(encrypt: string, key: string): unknown {
  const buf = Buffer.from(encrypt, 'base64');
  const decipher = createDecipheriv('aes-256-cbc', createHash('sha256').update(key).digest(), buf.subarray(0, 16));
  return JSON.parse(Buffer.concat([decipher.update(buf.subarray(16)), decipher.final()]).toString('utf8'));
}

/**
 * Verifies one webhook delivery:
 * - the body must be JSON; an `encrypt` body must decrypt with the Encrypt Key (AES-256-CBC, key = sha256(key));
 * - the token in the payload (`header.token` or `token`) must equal the Verification Token;
 * - `url_verification` needs nothing more (Feishu does not sign it);
 * - every other delivery must carry `X-Lark-Signature` = sha256(timestamp + nonce + encryptKey + raw body)
 *   (https://open.feishu.cn/document/server-docs/event-subscription-guide/event-subscription-configure-/encrypt-key-encryption-configuration-case),
 *   or, for the legacy unencrypted card callback, sha1(timestamp + nonce + verificationToken + body);
 * - the signed `X-Lark-Request-Timestamp` (Unix seconds) must be within {@link MAX_REQUEST_AGE_SECONDS}
 *   of `nowMs`: a captured request cannot be replayed after the window, even once its dedupe row expired.
 * @param raw the raw request body (UTF-8)
 * @param nowMs the current time, epoch ms (injectable for tests)
 */
export function verifyLarkRequest(
  raw: string,
  headers: IncomingHttpHeaders,
  cfg: Pick<LarkConfig, 'encryptKey' | 'verificationToken'>,
  nowMs = Date.now(),
): DeliveryCheck {
  let outer: Record<string, unknown>;
  try {
    outer = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return { ok: false, status: 400, reason: 'body is not JSON' };
  }
  let inner = outer;
  if (typeof outer.encrypt === 'string') {
    if (!cfg.encryptKey) return { ok: false, status: 400, reason: 'encrypted body but no LARK_ENCRYPT_KEY configured' };
    try {
      inner = decrypt(outer.encrypt, cfg.encryptKey) as Record<string, unknown>;
    } catch {
      return { ok: false, status: 401, reason: 'body does not decrypt with the Encrypt Key' };
    }
  }
  const header = inner.header as { token?: string } | undefined;
  const token = header?.token ?? (inner.token as string | undefined);
  if (cfg.verificationToken && token !== cfg.verificationToken) return { ok: false, status: 401, reason: 'verification token mismatch' };
  if (inner.type === 'url_verification') return { ok: true };

  const ts = String(headers['x-lark-request-timestamp'] ?? '');
  const nonce = String(headers['x-lark-request-nonce'] ?? '');
  const sig = String(headers['x-lark-signature'] ?? '');
  const isLegacyCard = !('encrypt' in outer) && !('schema' in outer);
  let signed = false;
  if (cfg.encryptKey && !isLegacyCard) {
    if (!sig) return { ok: false, status: 401, reason: 'missing X-Lark-Signature' };
    const want = createHash('sha256').update(ts + nonce + cfg.encryptKey + raw).digest('hex');
    if (!safeEqualHex(want, sig)) return { ok: false, status: 401, reason: 'bad signature' };
    signed = true;
  } else if (isLegacyCard && cfg.verificationToken && sig) {
    const want = createHash('sha1').update(ts + nonce + cfg.verificationToken + raw).digest('hex');
    if (!safeEqualHex(want, sig)) return { ok: false, status: 401, reason: 'bad signature' };
    signed = true;
  }
  if (signed) {
    const seconds = Number(ts);
    if (!/^\d{1,12}$/.test(ts) || !Number.isFinite(seconds)) return { ok: false, status: 401, reason: 'missing or malformed X-Lark-Request-Timestamp' };
    if (Math.abs(nowMs / 1000 - seconds) > MAX_REQUEST_AGE_SECONDS) return { ok: false, status: 401, reason: 'stale X-Lark-Request-Timestamp (older than 5 minutes)' };
  }
  return { ok: true };
}
