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

/**
 * Updates copies of a card in the background, the way Feishu allows: only messages sent within
 * {@link CARD_UPDATE_WINDOW_MS} (older ones are skipped and logged at debug), at most
 * {@link PATCH_QPS_PER_MESSAGE} patches per second per message (p-queue), and coalesced: while a patch
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
   * runs and returns the card to show, or undefined to skip. Returns false when the message is too old.
   */
  schedule(messageId: string, sentAt: number, render: () => LarkCard | undefined): boolean {
    if (this.clock() - sentAt > CARD_UPDATE_WINDOW_MS) {
      log.debug({ messageId, sentAt }, 'lark: card older than 14 days, not updated');
      return false;
    }
    if (this.waiting.has(messageId)) return true;
    let q = this.queues.get(messageId);
    if (!q) {
      q = new PQueue({ concurrency: 1, intervalCap: PATCH_QPS_PER_MESSAGE, interval: 1000 });
      this.queues.set(messageId, q);
      q.on('idle', () => this.queues.delete(messageId));
    }
    this.waiting.add(messageId);
    void q.add(async () => {
      this.waiting.delete(messageId);
      const card = render();
      if (!card) return;
      try {
        await this.messenger.patchCard(messageId, card);
      } catch (err) {
        log.warn({ messageId, err: (err as Error).message }, 'lark: card update failed');
      }
    });
    return true;
  }

  /** Resolves when every scheduled patch has run. */
  async idle(): Promise<void> {
    while (this.queues.size > 0) await Promise.all([...this.queues.values()].map((q) => q.onIdle()));
  }
}
