/** An expected refusal: answered with its status and an empty body. */
export class ActionError extends Error {
  constructor(
    readonly status: 400 | 403 | 429 | 503,
    /** Seconds the client should wait before trying again; sent as `Retry-After` (429, 503). */
    readonly retryAfterSeconds?: number,
  ) {
    super(`HTTP ${status}`);
    this.name = 'ActionError';
  }
}

export const badRequest = (): ActionError => new ActionError(400);
export const forbidden = (): ActionError => new ActionError(403);
/**
 * The server holds as many message bytes as it may. Space comes back as messages expire, which
 * the purge checks every minute: a minute is the earliest a retry can help.
 */
export const serverFull = (): ActionError => new ActionError(503, 60);
