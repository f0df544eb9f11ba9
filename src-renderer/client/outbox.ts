import { ApiError } from './api';
import type { Clock } from './poller';

/**
 * Sends that wait for a server that does not answer. A send is only ever final when the server
 * refused it; while the server is away (frozen, restarting its network, a laptop asleep) it
 * waits, then goes again by itself, with the same idempotency key (the `sendkey` extension), so
 * a send whose answer was lost is still stored once.
 */

/** Pause before a waiting send tries again, after `attempts` tries that got no answer. */
export const OUTBOX_TIMING = {
  retryBaseMs: 1_000,
  retryMaxMs: 5_000,
} as const;

export function outboxRetryDelay(attempts: number, retryAfterSeconds?: number): number {
  const backoff = Math.min(
    OUTBOX_TIMING.retryMaxMs,
    OUTBOX_TIMING.retryBaseMs * 2 ** Math.max(0, attempts - 1),
  );
  // A full server (503) says when trying again makes sense; never sooner than that.
  return retryAfterSeconds === undefined ? backoff : Math.max(backoff, retryAfterSeconds * 1_000);
}

/**
 * The server's own refusal (not allowed, session ended, too long, an absent recipient, a
 * certificate that is not the room's): final. Anything else means the server did not answer,
 * or not yet with a verdict: the send waits and goes again.
 */
export function isRefusal(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  switch (error.kind) {
    case 'forbidden':
    case 'bad-request':
    case 'invalid-input':
    case 'certificate-mismatch':
    case 'locked-out':
      return true;
    case 'unreachable':
    case 'server-busy':
    case 'server-error':
    case 'malformed':
      return false;
  }
}

/** A message's idempotency key: 128 random bits, base64url (22 characters). */
export function newSendKey(
  random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b),
): string {
  const bytes = random(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/**
 * Where waiting sends sleep until their next try. The poller wakes them the moment the server
 * answers again, so a queued message goes out with the first sign of life, not a backoff later.
 */
export class Outbox {
  private readonly sleepers = new Set<() => void>();
  /** Sends of this session that wait for the server now (new ones queue behind them). */
  waiting = 0;

  constructor(private readonly clock: Clock) {}

  /** Resolves after `ms`, or sooner when `wake` is called. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.clock.clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = this.clock.setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  /** The server answers again (or the session ended): every waiting send looks now. */
  wake(): void {
    for (const done of [...this.sleepers]) done();
  }
}
