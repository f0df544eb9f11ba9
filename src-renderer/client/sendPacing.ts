import { ApiError } from './api';

/** The wait when a 429 names none (Retry-After missing or unreadable). */
export const DEFAULT_SEND_WAIT_SECONDS = 1;

export interface SendPacing {
  /** Resolves after `ms`; false when the session ended meanwhile (stop trying). */
  wait(ms: number): Promise<boolean>;
  /** Told once per refusal, with the seconds the server asked for. */
  onThrottled(seconds: number): void;
}

/**
 * Posts one message, and when the server answers 429 (its per-member send limit, see
 * src-main/server/rooms/send-throttle.ts) waits as long as its Retry-After says and posts it
 * again, for as long as the session lasts: a message is never dropped for being sent quickly.
 * Any other failure is the caller's. Undefined when the session ended while waiting.
 */
export async function postPaced<T>(
  post: () => Promise<T>,
  pacing: SendPacing,
): Promise<T | undefined> {
  for (;;) {
    try {
      return await post();
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 429) throw error;
      const seconds = error.retryAfterSeconds ?? DEFAULT_SEND_WAIT_SECONDS;
      pacing.onThrottled(seconds);
      if (!(await pacing.wait(seconds * 1_000))) return undefined;
    }
  }
}
