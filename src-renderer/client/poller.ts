import type { ActionResponse, MessageRow } from '../../src-shared/protocol';
import { ApiError } from './api';

export const POLL_TIMING = {
  /** Plain polling interval, as the stock client polls. */
  intervalMs: 1_000,
  /**
   * Seconds a long poll asks the server to hold the request: short, so that the transport
   * timeout below notices a frozen server within about 5 s even while a poll is held.
   */
  longPollWaitSeconds: 3,
  /** Transport timeout of a long poll: the hold plus slack. */
  longPollTimeoutMs: 4_500,
  /** A long poll that comes back 'unchanged' sooner than this waits out the rest: no spinning. */
  minLongPollCycleMs: 1_000,
  backoffBaseMs: 1_000,
  /** Kept short so the session recovers soon after the server is back. */
  backoffMaxMs: 5_000,
} as const;

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export type PollEnd =
  | { kind: 'errmessage'; text: string }
  /** 403/400: the session or the room no longer exists. */
  | { kind: 'session-ended' }
  | { kind: 'certificate-mismatch'; message: string }
  /** Extension (burn): the owner is burning the room; wipe it and confirm. */
  | { kind: 'burning' };

export interface PollerOptions {
  poll(mylast: number, wait: number | undefined): Promise<ActionResponse<'pollMsg'>>;
  longPoll: boolean;
  onMessages(rows: MessageRow[]): Promise<void> | void;
  onEnd(end: PollEnd): void;
  onConnection(state: 'connected' | 'reconnecting', retryInMs?: number): void;
  clock?: Clock;
}

/** Backoff after `failures` consecutive failed polls. */
export function backoffDelay(failures: number): number {
  return Math.min(
    POLL_TIMING.backoffMaxMs,
    POLL_TIMING.backoffBaseMs * 2 ** Math.max(0, failures - 1),
  );
}

/**
 * Polls one session until stopped or ended: long polls in a loop when the server speaks
 * 'longpoll', otherwise once a second; backs off exponentially while the server is away.
 */
export class Poller {
  private readonly clock: Clock;
  private last = 0;
  private running = false;
  private timer: unknown;
  private failures = 0;
  /** Generation counter: answers to polls from an earlier start() are ignored. */
  private generation = 0;

  constructor(private readonly options: PollerOptions) {
    this.clock = options.clock ?? realClock;
  }

  get mylast(): number {
    return this.last;
  }

  get active(): boolean {
    return this.running;
  }

  start(mylast: number): void {
    this.stop();
    this.last = mylast;
    this.running = true;
    this.failures = 0;
    this.generation++;
    void this.tick(this.generation);
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(generation: number, ms: number) {
    if (!this.running || generation !== this.generation) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.tick(generation);
    }, ms);
  }

  private end(generation: number, end: PollEnd) {
    if (generation !== this.generation || !this.running) return;
    this.stop();
    this.options.onEnd(end);
  }

  private async tick(generation: number): Promise<void> {
    if (!this.running || generation !== this.generation) return;
    const { longPoll } = this.options;
    const started = this.clock.now();
    // While reconnecting, ask without holding: a held poll would hide for 25 s that the server is back.
    const wait = longPoll && this.failures === 0 ? POLL_TIMING.longPollWaitSeconds : undefined;
    let answer: ActionResponse<'pollMsg'>;
    try {
      answer = await this.options.poll(this.last, wait);
    } catch (error) {
      if (!this.running || generation !== this.generation) return;
      if (
        error instanceof ApiError &&
        (error.kind === 'forbidden' || error.kind === 'bad-request')
      ) {
        return this.end(generation, { kind: 'session-ended' });
      }
      if (error instanceof ApiError && error.kind === 'certificate-mismatch') {
        return this.end(generation, { kind: 'certificate-mismatch', message: error.message });
      }
      this.failures++;
      const delay = backoffDelay(this.failures);
      this.options.onConnection('reconnecting', delay);
      return this.schedule(generation, delay);
    }
    if (!this.running || generation !== this.generation) return;
    if (this.failures > 0) {
      this.failures = 0;
      this.options.onConnection('connected');
    }
    if (answer.status === 'errmessage')
      return this.end(generation, { kind: 'errmessage', text: answer.text });
    if (answer.status === 'unchanged' && answer.burning)
      return this.end(generation, { kind: 'burning' });

    let gotNew = false;
    if (answer.status === 'updated') {
      const fresh = answer.messages.filter((row) => row[0] > this.last);
      if (fresh.length > 0) {
        gotNew = true;
        this.last = Math.max(this.last, ...fresh.map((row) => row[0]));
        await this.options.onMessages(fresh);
      }
    }
    if (!longPoll) return this.schedule(generation, POLL_TIMING.intervalMs);
    if (gotNew) return this.schedule(generation, 0);
    const elapsed = this.clock.now() - started;
    this.schedule(generation, Math.max(0, POLL_TIMING.minLongPollCycleMs - elapsed));
  }
}
