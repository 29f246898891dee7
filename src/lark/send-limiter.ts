import PQueue from 'p-queue';

/** Send rates the platform allows (Feishu `im-v1/message/create` and `reply`, 使用限制 and 接口频率限制). */
export interface SendLimits {
  /** Sends per chat per `chatWindowMs` ("向同一群组发送消息的限频为群内机器人共享 5 QPS"). Default 5. */
  perChat: number;
  /** Window of the per-chat limit in ms. Default 1050: the platform's second plus timer slack. */
  chatWindowMs: number;
  /** create/reply per app per second ("50 次/秒"). Default 50. */
  perAppPerSecond: number;
  /** create/reply per app per minute ("1000 次/分钟"). Default 1000. */
  perAppPerMinute: number;
}

export const DEFAULT_SEND_LIMITS: SendLimits = { perChat: 5, chatWindowMs: 1050, perAppPerSecond: 50, perAppPerMinute: 1000 };

/**
 * Paces requests so that the platform never sees more than `cap` of them in any window, however
 * late each one arrives: a request takes one of `cap` permits (a p-queue with concurrency `cap`)
 * when it starts and gives it back one window after it *completed*. A request reaches the platform
 * between its start and its completion, so any two requests that arrive within one window held
 * their permits at a common moment, and at most `cap` permits exist. (Pacing by start times alone
 * lets a delayed batch bunch up with the next one; measured against the stand-in.)
 *
 * Limits: per chat `perChat` per `chatWindowMs`; per app `perAppPerSecond` per second and
 * `perAppPerMinute` per minute. Chat lanes are dropped once idle.
 */
export class SendLimiter {
  readonly limits: SendLimits;
  private readonly appSecond: PQueue;
  private readonly appMinute: PQueue;
  private readonly lanes = new Map<string, PQueue>();

  constructor(limits: Partial<SendLimits> = {}) {
    this.limits = { ...DEFAULT_SEND_LIMITS, ...limits };
    this.appSecond = new PQueue({ concurrency: this.limits.perAppPerSecond });
    this.appMinute = new PQueue({ concurrency: this.limits.perAppPerMinute });
  }

  /**
   * Runs one request `call` (to `chatId`, or to no chat) within the limits and resolves or rejects
   * with its outcome as soon as it completes. Retries must call again (each attempt counts).
   */
  send<T>(chatId: string | undefined, call: () => Promise<T>): Promise<T> {
    const app = () => hold(this.appMinute, 60_000, () => hold(this.appSecond, 1000, call));
    return chatId ? hold(this.lane(chatId), this.limits.chatWindowMs, app) : app();
  }

  /** Requests waiting for a permit, over all lanes and the app (for logs and the load script). */
  get waiting(): number {
    let n = this.appSecond.size + this.appMinute.size;
    for (const l of this.lanes.values()) n += l.size;
    return n;
  }

  private lane(chatId: string): PQueue {
    let lane = this.lanes.get(chatId);
    if (!lane) {
      const created = new PQueue({ concurrency: this.limits.perChat });
      created.on('idle', () => {
        if (this.lanes.get(chatId) === created) this.lanes.delete(chatId);
      });
      this.lanes.set(chatId, created);
      lane = created;
    }
    return lane;
  }
}

/** Runs `fn` holding a permit of `q`; settles with `fn`'s outcome at once, keeps the permit `holdMs` longer. */
function hold<T>(q: PQueue, holdMs: number, fn: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    void q.add(async () => {
      try {
        resolve(await fn());
      } catch (err) {
        reject(err);
      }
      await new Promise((r) => setTimeout(r, holdMs).unref());
    });
  });
}
