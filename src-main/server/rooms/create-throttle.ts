import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { ActionError } from './action-error';

export interface CreateThrottleOptions {
  /** Rooms one source address may create per window. */
  perAddress: number;
  windowMs: number;
  /**
   * Rooms created from a loopback address (127.0.0.0/8, ::1) are not counted: the host's own
   * client on its own machine. Every other process on that machine, and anything a local
   * reverse proxy or tunnel forwards, is then unlimited too (see docs/security.md).
   */
  exemptLoopback: boolean;
}

/**
 * createRoom needs no invite: without a limit one address takes every room slot in a minute.
 * 10 per 10 minutes is more than anyone hosting conversations needs; a squatter on one address
 * gets 10, and those nobody joins are closed after a few minutes (see room-purge.ts).
 */
export const DEFAULT_CREATE_THROTTLE: CreateThrottleOptions = {
  perAddress: 10,
  windowMs: 10 * 60_000,
  exemptLoopback: false,
};

const LOOPBACK = /^(?:127\.|::ffff:127\.)|^::1$/;

export function isLoopback(address: string): boolean {
  return LOOPBACK.test(address);
}

/** Gives back a counted attempt: it created no room. */
export type Refund = () => void;

const NOTHING_TO_REFUND: Refund = () => undefined;

export class CreateThrottle {
  private readonly limiter: RateLimiterMemory;
  private readonly exemptLoopback: boolean;

  constructor(options: CreateThrottleOptions = DEFAULT_CREATE_THROTTLE) {
    this.limiter = new RateLimiterMemory({
      keyPrefix: 'create',
      points: options.perAddress,
      duration: options.windowMs / 1000,
    });
    this.exemptLoopback = options.exemptLoopback;
  }

  /**
   * Counts one createRoom for the address, at once (so a burst cannot all pass before any is
   * counted); 429 with Retry-After once it is over its limit. Only rooms actually created may
   * stay counted: the caller refunds an attempt that ends without a room, and a refused one is
   * refunded here.
   */
  async consume(address: string): Promise<Refund> {
    if (this.exemptLoopback && isLoopback(address)) return NOTHING_TO_REFUND;
    const refund = () => void this.limiter.reward(address, 1);
    try {
      await this.limiter.consume(address);
      return refund;
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      refund();
      throw new ActionError(429, Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)));
    }
  }
}
