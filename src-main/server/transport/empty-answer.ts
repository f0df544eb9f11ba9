import type { ServerResponse } from 'node:http';

/** On every answer: nothing the server sends is to be sniffed or cached. */
export const COMMON_HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' };

/** Answers with a status and nothing else: refusals must not leak anything about rooms. */
export function answerEmpty(
  res: ServerResponse,
  status: number,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { ...COMMON_HEADERS, ...headers, 'Content-Length': '0' }).end();
}
