/**
 * Keeps a lease alive while long work runs: calls `renew` every third of `leaseMs` until the work
 * settles, so a slow send (retries, a slow platform) never lets the lease expire under a live holder.
 * A failed renewal is logged and retried at the next interval. Returns the work's result.
 */
import { log } from '../log.js';

export async function whileLeased<T>(leaseMs: number, renew: () => Promise<unknown>, work: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => {
    renew().catch((err: unknown) => log.warn({ err }, 'state: lease renewal failed'));
  }, Math.max(50, Math.floor(leaseMs / 3)));
  timer.unref();
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
