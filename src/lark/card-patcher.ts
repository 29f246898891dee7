import PQueue from 'p-queue';
import { log } from '../log.js';
import type { LarkCard, Messenger } from './contracts.js';

/**
 * How long a sent card can still be updated: 14 days ("仅支持更新 14 天内发送的消息",
 * https://open.feishu.cn/document/server-docs/im-v1/message-card/patch; card JSON 2.0 release notes).
 */
export const CARD_UPDATE_WINDOW_MS = 14 * 86400_000;

/** Patches allowed per message per second: "单条消息更新频控为 5 QPS" (message-card/patch). */
export const PATCH_QPS_PER_MESSAGE = 5;
const RATE_WINDOW_MS = 1_100;

/**
 * Updates copies of a card in the background, the way Feishu allows: only messages sent within
 * {@link CARD_UPDATE_WINDOW_MS} (older ones are skipped and logged at debug), at most
 * {@link PATCH_QPS_PER_MESSAGE} patches in any rolling 1.1 s per message (p-queue strict mode), and coalesced: while a patch
 * of a message waits, further requests for it are merged (the card is rendered when the patch runs,
 * so it shows the latest state). Failures are logged, never thrown; `idle()` waits for all.
 */
export class CardPatcher {
  private readonly queues = new Map<string, PQueue>();
  private readonly waiting = new Set<string>();

  constructor(
    private readonly messenger: Messenger,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Schedules an update of `messageId`, sent at `sentAt` (epoch ms). `render` is called when the patch
   * runs and returns (or resolves to) the card to show, or undefined to skip. Returns false when the message is too old.
   */
  schedule(messageId: string, sentAt: number, render: () => LarkCard | undefined | Promise<LarkCard | undefined>): boolean {
    if (this.clock() - sentAt > CARD_UPDATE_WINDOW_MS) {
      log.debug({ messageId, sentAt }, 'lark: card older than 14 days, not updated');
      return false;
    }
    if (this.waiting.has(messageId)) return true;
    let q = this.queues.get(messageId);
    if (!q) {
      // Sliding window (p-queue strict mode), 100 ms wider than Feishu's second for network jitter.
      const queue = new PQueue({ concurrency: 1, intervalCap: PATCH_QPS_PER_MESSAGE, interval: RATE_WINDOW_MS, strict: true });
      this.queues.set(messageId, queue);
      // Keep the queue (and its memory of recent patches) until a whole window passed without work.
      queue.on('idle', () => {
        setTimeout(() => {
          if (queue.size === 0 && queue.pending === 0 && this.queues.get(messageId) === queue) this.queues.delete(messageId);
        }, RATE_WINDOW_MS).unref?.();
      });
      q = queue;
    }
    this.waiting.add(messageId);
    void q.add(async () => {
      this.waiting.delete(messageId);
      try {
        const card = await render();
        if (!card) return;
        await this.messenger.patchCard(messageId, card);
      } catch (err) {
        log.warn({ messageId, err: (err as Error).message }, 'lark: card update failed');
      }
    });
    return true;
  }

  /** Resolves when every scheduled patch has run. */
  async idle(): Promise<void> {
    while ([...this.queues.values()].some((q) => q.size > 0 || q.pending > 0)) await Promise.all([...this.queues.values()].map((q) => q.onIdle()));
  }
}
