import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { ActionError } from './action-error';

export interface CreateThrottleOptions {
  /** Rooms one source address may create per window. */
  perAddress: number;
  windowMs: number;
}

/**
 * createRoom needs no invite: without a limit one address takes every room slot in a minute.
 * 10 per 10 minutes is more than anyone hosting conversations needs; a squatter on one address
 * gets 10, and those nobody joins are closed after a few minutes (see room-purge.ts).
 */
export const DEFAULT_CREATE_THROTTLE: CreateThrottleOptions = {
  perAddress: 10,
  windowMs: 10 * 60_000,
};

export class CreateThrottle {
  private readonly limiter: RateLimiterMemory;

  constructor(options: CreateThrottleOptions = DEFAULT_CREATE_THROTTLE) {
    this.limiter = new RateLimiterMemory({
      keyPrefix: 'create',
      points: options.perAddress,
      duration: options.windowMs / 1000,
    });
  }

  /** Counts one createRoom for the address; 429 with Retry-After once it is over its limit. */
  async consume(address: string): Promise<void> {
    try {
      await this.limiter.consume(address);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      throw new ActionError(429, Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)));
    }
  }
}
