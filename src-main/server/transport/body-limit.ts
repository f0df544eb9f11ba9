import type { IncomingMessage, ServerResponse } from 'node:http';
import { COMMON_HEADERS } from './empty-answer';

/**
 * How much of a refused body is still read and discarded before the connection closes. Closing
 * a socket with unread data in it resets the connection, and a client still sending then often
 * loses the answer; past this much, the client gets the reset anyway.
 */
export const DRAIN_BYTES = 1024 * 1024;

/** The whole body, or undefined once it passes `limit` bytes (declared or actually sent). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () =>
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)),
    );
    req.once('error', reject);
  });
}

/**
 * Answers an empty `status` with `Connection: close` at once, so a client that reads while it
 * sends sees it, then reads and discards the rest of the body (up to DRAIN_BYTES) before the
 * connection closes, so a client that sends everything first still finds the answer.
 */
export function refuseUnread(req: IncomingMessage, res: ServerResponse, status: number): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { ...COMMON_HEADERS, Connection: 'close', 'Content-Length': '0' });
  res.flushHeaders();
  let drained = 0;
  const done = () => {
    req.off('data', onData);
    // With Connection: close, ending the answer closes the connection.
    res.end();
  };
  const onData = (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_BYTES) done();
  };
  // The body may have ended before this was called (an 'end' is emitted on the next tick).
  if (req.readableEnded) return done();
  req.on('data', onData);
  req.once('end', done);
  req.once('error', done);
  req.resume();
}
