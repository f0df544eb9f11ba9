/**
 * Seconds to wait from a `Retry-After` header (429, 503). Only the delta-seconds form counts:
 * this server sends nothing else, and a hostile server's date or huge value must not make a
 * client promise a wait of days, so it is capped at an hour.
 */
export function parseRetryAfter(header: string | string[] | null | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value == null || !/^\s*\d{1,9}\s*$/.test(value)) return undefined;
  return Math.min(Number(value), MAX_RETRY_AFTER_SECONDS);
}

export const MAX_RETRY_AFTER_SECONDS = 3_600;
