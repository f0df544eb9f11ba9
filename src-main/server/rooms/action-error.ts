/** An expected refusal: answered with its status and an empty body. */
export class ActionError extends Error {
  constructor(
    readonly status: 400 | 403 | 429,
    /** Seconds a locked-out client should wait; sent as `Retry-After` with a 429. */
    readonly retryAfterSeconds?: number,
  ) {
    super(`HTTP ${status}`);
    this.name = 'ActionError';
  }
}

export const badRequest = (): ActionError => new ActionError(400);
export const forbidden = (): ActionError => new ActionError(403);
