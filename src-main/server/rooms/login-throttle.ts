import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { ActionError } from './action-error';

export interface LoginThrottleOptions {
  /** Failed joins one source address may make (any room, any user) before a lockout. */
  perAddress: number;
  /** Failed joins for one room+user (from any address) before a lockout. */
  perRoomUser: number;
  /** Window in which failures are counted. */
  windowMs: number;
  /** The first lockout; each further lockout of the same key doubles it, up to maxLockoutMs. */
  firstLockoutMs: number;
  maxLockoutMs: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleOptions = {
  perAddress: 5,
  perRoomUser: 20,
  windowMs: 15 * 60_000,
  firstLockoutMs: 30_000,
  maxLockoutMs: 15 * 60_000,
};

const DAY_SECONDS = 24 * 3600;

interface Counter {
  limiter: RateLimiterMemory;
  points: number;
  key: (roomName: string, user: string, address: string) => string;
}

/**
 * Slows password guessing on joinRoom. The per-address limit is the tight one, so one guessing
 * address locks itself out while the real user, from another address, still gets in; the
 * room+user limit is looser and catches guessing spread over many addresses.
 */
export class LoginThrottle {
  private readonly counters: Counter[];
  /** Per key, the end of the queue of attempts in progress. */
  private readonly turns = new Map<string, Promise<void>>();
  private readonly lockouts = new RateLimiterMemory({
    keyPrefix: 'lockouts',
    points: 1_000_000,
    duration: DAY_SECONDS,
  });

  constructor(private readonly options: LoginThrottleOptions = DEFAULT_LOGIN_THROTTLE) {
    const duration = options.windowMs / 1000;
    this.counters = [
      {
        limiter: new RateLimiterMemory({ keyPrefix: 'addr', points: options.perAddress, duration }),
        points: options.perAddress,
        key: (_room, _user, address) => address,
      },
      {
        limiter: new RateLimiterMemory({
          keyPrefix: 'user',
          points: options.perRoomUser,
          duration,
        }),
        points: options.perRoomUser,
        // JSON keeps "a"+"b c" and "a b"+"c" apart.
        key: (room, user) => JSON.stringify([room, user]),
      },
    ];
  }

  /**
   * Runs one join attempt after every earlier attempt on the same address or room+user has
   * finished: checked concurrently, every guess of a burst would pass the lockout check before
   * the first failure was recorded, and all of them would be evaluated.
   */
  async attempt<T>(
    roomName: string,
    user: string,
    address: string,
    run: () => Promise<T>,
  ): Promise<T> {
    const release = await this.acquire(
      this.counters.map((c) => `${c.limiter.keyPrefix}:${c.key(roomName, user, address)}`),
    );
    try {
      await this.assertAllowed(roomName, user, address);
      return await run();
    } finally {
      release();
    }
  }

  /** Takes the keys' turns in the counters' fixed order, so two attempts never wait on each other. */
  private async acquire(keys: string[]): Promise<() => void> {
    const releases: (() => void)[] = [];
    for (const key of keys) {
      const previous = this.turns.get(key) ?? Promise.resolve();
      let done!: () => void;
      const mine = new Promise<void>((resolve) => (done = resolve));
      const turn = previous.then(() => mine);
      this.turns.set(key, turn);
      releases.push(() => {
        done();
        if (this.turns.get(key) === turn) this.turns.delete(key);
      });
      await previous;
    }
    return () => releases.forEach((release) => release());
  }

  /** Throws a 429 carrying Retry-After while any of the attempt's keys is locked out. */
  async assertAllowed(roomName: string, user: string, address: string): Promise<void> {
    let waitMs = 0;
    for (const counter of this.counters) {
      const res = await counter.limiter.get(counter.key(roomName, user, address));
      if (res && res.consumedPoints > counter.points) waitMs = Math.max(waitMs, res.msBeforeNext);
    }
    if (waitMs > 0) throw new ActionError(429, Math.max(1, Math.ceil(waitMs / 1000)));
  }

  async recordFailure(roomName: string, user: string, address: string): Promise<void> {
    for (const counter of this.counters) {
      const key = counter.key(roomName, user, address);
      const res = await counter.limiter.consume(key).catch((r: unknown) => {
        if (r instanceof RateLimiterRes) return r;
        throw r;
      });
      if (res.remainingPoints > 0) continue;
      const lockoutKey = `${counter.limiter.keyPrefix}:${key}`;
      const { consumedPoints } = await this.lockouts.consume(lockoutKey);
      const lockoutMs = Math.min(
        this.options.firstLockoutMs * 2 ** (consumedPoints - 1),
        this.options.maxLockoutMs,
      );
      await counter.limiter.block(key, lockoutMs / 1000);
    }
  }
}
