import { CTenantAccessToken, type Cache } from '@larksuiteoapi/node-sdk';

/**
 * The SDK's token cache (`Client` option `cache`), with a way to drop the tenant_access_token.
 *
 * The SDK keeps the token until about 3 minutes before its `expire` (node-sdk 1.74.0, TokenManager:
 * `cache.set(CTenantAccessToken, token, now + expire*1000 - 3min)`) and never drops it when the Open
 * API answers 99991663 (invalid token) or 99991661 (missing token), e.g. after the app secret was
 * reset. {@link invalidateTenantToken} makes the next call fetch a new one. Entries are kept per
 * namespace (the app id) as in the SDK's `DefaultCache`.
 */
export class TokenCache implements Cache {
  // the SDK's `Cache` types keys as `string | Symbol` (the wrapper type)
  private readonly values = new Map<string, { key: string | Symbol; value: unknown; expiredTime?: number }>();

  private static slot(key: string | Symbol, namespace?: string): string {
    return `${namespace ?? ''}\u0000${key.toString()}`;
  }

  async get(key: string | Symbol, options?: { namespace?: string }): Promise<unknown> {
    const e = this.values.get(TokenCache.slot(key, options?.namespace));
    if (!e) return undefined;
    if (e.expiredTime && e.expiredTime <= Date.now()) return undefined;
    return e.value;
  }

  async set(key: string | Symbol, value: unknown, expiredTime?: number, options?: { namespace?: string }): Promise<boolean> {
    this.values.set(TokenCache.slot(key, options?.namespace), { key, value, expiredTime });
    return true;
  }

  /** Drops every cached tenant_access_token; returns how many were dropped. */
  invalidateTenantToken(): number {
    let n = 0;
    for (const [slot, e] of this.values) {
      if (e.key === CTenantAccessToken) {
        this.values.delete(slot);
        n++;
      }
    }
    return n;
  }
}
