import { once } from 'node:events';
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../../src-shared/protocol';
import type { RunningServer } from '../index';
import { DRAIN_BYTES } from '../transport/body-limit';
import { api } from '../testing/raw-client';
import { postHead, tlsSocket, watch } from '../testing/raw-socket';
import { startTestServer } from '../testing/server-fixture';

/**
 * A body over the cap must be answered in a way the client can read: a 413 and a closed
 * connection, never a reset that swallows the answer while the client is still sending.
 */

let server: RunningServer;

beforeAll(async () => {
  ({ server } = await startTestServer());
});

afterAll(async () => {
  await server.close();
});

interface Outcome {
  status?: number;
  connection?: string;
  error?: string;
}

/** Sends `bytes` of body (declared, or chunked when `chunked`) and reports what came back. */
function sendOversized(bytes: number, chunked: boolean): Promise<Outcome> {
  const body = Buffer.alloc(bytes, 'A');
  return new Promise((resolve) => {
    const req = https.request(server.url, {
      method: 'POST',
      agent: false,
      rejectUnauthorized: false,
      headers: {
        'Content-Type': 'application/json',
        ...(chunked ? {} : { 'Content-Length': String(bytes) }),
      },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () =>
        resolve({ status: res.statusCode, connection: String(res.headers.connection) }),
      );
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? 'error' }));
    if (chunked) {
      for (let at = 0; at < bytes; at += 16 * 1024) req.write(body.subarray(at, at + 16 * 1024));
      req.end();
    } else req.end(body);
  });
}

describe('oversized bodies', () => {
  it('answer every client 413 with Connection: close, declared or chunked', async () => {
    const sizes = [LIMITS.requestBodyBytes + 1, 3 * LIMITS.requestBodyBytes, DRAIN_BYTES / 2];
    const outcomes: Outcome[] = [];
    for (let i = 0; i < 10; i++) {
      const bytes = sizes[i % sizes.length]!;
      outcomes.push(await sendOversized(bytes, i % 2 === 1));
    }
    expect(outcomes).toEqual(
      Array.from({ length: 10 }, () => ({ status: 413, connection: 'close' })),
    );
    expect((await api(server.url, 'serverInfo', {})).status).toBe(200);
  });

  it('stop reading after a bounded amount, and close with the answer sent', async () => {
    const socket = await tlsSocket(server.port);
    const seen = watch(socket);
    socket.write(postHead(64 * DRAIN_BYTES));
    const chunk = Buffer.alloc(64 * 1024, 'A');
    // Never the whole declared body: the server must give up on its own.
    for (let sent = 0; sent < 4 * DRAIN_BYTES && seen.isOpen(); sent += chunk.length) {
      if (!socket.write(chunk)) await Promise.race([seen.closed, once(socket, 'drain')]);
    }
    await seen.closed;
    expect(seen.received()).toMatch(/^HTTP\/1\.1 413 [^]*\r\nConnection: close\r\n/i);
    expect((await api(server.url, 'serverInfo', {})).status).toBe(200);
  });
});
