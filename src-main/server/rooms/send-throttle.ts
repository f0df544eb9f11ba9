import { ActionError } from './action-error';

export interface SendThrottleOptions {
  /** Messages one member may send at once, after a pause. */
  burst: number;
  /** Messages per second they may keep sending. */
  perSecond: number;
}

/**
 * Every message costs each reader one S2K derivation of the sender's choosing (up to GnuPG's
 * 65 MB of SHA-1), while the sender pays nothing: the server caps how fast one member can post.
 * The stock client sends one message per line typed, and a person types at most a line or two a
 * second; pasting a paragraph line by line stays within the burst. A flood from one member is
 * slowed to 5 a second (the readers' own scheduler keeps it from delaying anyone else).
 */
export const DEFAULT_SEND_THROTTLE: SendThrottleOptions = { burst: 50, perSecond: 5 };

interface Bucket {
  tokens: number;
  at: number;
}

/** A token bucket per member (room and name): sendMsg and sendDirectMsg draw from it. */
export class SendThrottle {
  private readonly buckets = new Map<string, Bucket>();
  private sweptAt = 0;

  constructor(
    private readonly options: SendThrottleOptions = DEFAULT_SEND_THROTTLE,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one message; 429 with Retry-After (seconds until a token is back) when over. */
  consume(roomId: number, user: string): void {
    const key = `${roomId}\u0000${user}`;
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.options.burst, at: now };
    bucket.tokens = Math.min(
      this.options.burst,
      bucket.tokens + ((now - bucket.at) / 1000) * this.options.perSecond,
    );
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.buckets.set(key, bucket);
      throw new ActionError(
        429,
        Math.max(1, Math.ceil((1 - bucket.tokens) / this.options.perSecond)),
      );
    }
    bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    this.forgetFull(now);
  }

  /**
   * A full bucket is the same as none: those are dropped, at most once a minute, so the map
   * holds only members who sent lately.
   */
  private forgetFull(now: number) {
    if (now - this.sweptAt < 60_000) return;
    this.sweptAt = now;
    for (const [key, bucket] of this.buckets) {
      const refilled = bucket.tokens + ((now - bucket.at) / 1000) * this.options.perSecond;
      if (refilled >= this.options.burst) this.buckets.delete(key);
    }
  }
}
