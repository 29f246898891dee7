import PQueue from 'p-queue';

/** Send rates the platform allows (Feishu `im-v1/message/create` and `reply`, 使用限制 and 接口频率限制). */
export interface SendLimits {
  /** Sends per chat per `chatWindowMs` ("向同一群组发送消息的限频为群内机器人共享 5 QPS"). Default 5. */
  perChat: number;
  /**
   * Window of the per-chat limit in ms. Default 1100: 100 ms of margin over the platform's second, so
   * that network jitter cannot bunch six sends into one of its seconds.
   */
  chatWindowMs: number;
  /** create/reply per app per second ("50 次/秒"). Default 50. */
  perAppPerSecond: number;
  /** create/reply per app per minute ("1000 次/分钟"). Default 1000. */
  perAppPerMinute: number;
}

export const DEFAULT_SEND_LIMITS: SendLimits = { perChat: 5, chatWindowMs: 1100, perAppPerSecond: 50, perAppPerMinute: 1000 };

interface ChatLane {
  /** One send at a time per chat, in order (the cards of a split answer stay in order). */
  serial: PQueue;
  /** Sliding-window rate of the chat. */
  rate: PQueue;
}

/**
 * Paces sends with p-queue: one lane per chat (sends in a chat run one after another, at most
 * `perChat` per `chatWindowMs`, sliding window) under the app's limits (`perAppPerSecond`,
 * `perAppPerMinute`, sliding windows). {@link run} queues a whole send (with its retries) in the
 * chat's lane; {@link slot} is awaited by every attempt right before its request, so that retries
 * count against the limits too. The app slot is taken first and the chat slot last, so the chat's
 * rate holds at the moment of sending. Lanes are dropped once idle for a window.
 */
export class SendLimiter {
  readonly limits: SendLimits;
  private readonly appSecond: PQueue;
  private readonly appMinute: PQueue;
  private readonly lanes = new Map<string, ChatLane>();

  constructor(limits: Partial<SendLimits> = {}) {
    this.limits = { ...DEFAULT_SEND_LIMITS, ...limits };
    this.appSecond = new PQueue({ intervalCap: this.limits.perAppPerSecond, interval: 1000, strict: true });
    this.appMinute = new PQueue({ intervalCap: this.limits.perAppPerMinute, interval: 60_000, strict: true });
  }

  /** Runs `task` in the lane of `chatId` (undefined: no chat lane, e.g. a card patch), after the sends queued before it. */
  run<T>(chatId: string | undefined, task: () => Promise<T>): Promise<T> {
    if (!chatId) return task();
    return this.lane(chatId).serial.add(task) as Promise<T>;
  }

  /** Resolves when one more request may go out now: an app slot, then a chat slot. */
  async slot(chatId: string | undefined): Promise<void> {
    await this.appMinute.add(noop);
    await this.appSecond.add(noop);
    if (chatId) await this.lane(chatId).rate.add(noop);
  }

  /** Sends waiting in every lane (for logs and the load script). */
  get waiting(): number {
    let n = 0;
    for (const l of this.lanes.values()) n += l.serial.size + l.serial.pending;
    return n;
  }

  private lane(chatId: string): ChatLane {
    let lane = this.lanes.get(chatId);
    if (!lane) {
      const created: ChatLane = {
        serial: new PQueue({ concurrency: 1 }),
        rate: new PQueue({ intervalCap: this.limits.perChat, interval: this.limits.chatWindowMs, strict: true }),
      };
      created.serial.on('idle', () => {
        setTimeout(() => {
          if (created.serial.size === 0 && created.serial.pending === 0 && this.lanes.get(chatId) === created) this.lanes.delete(chatId);
        }, this.limits.chatWindowMs).unref();
      });
      this.lanes.set(chatId, created);
      lane = created;
    }
    return lane;
  }
}

async function noop(): Promise<void> {}
