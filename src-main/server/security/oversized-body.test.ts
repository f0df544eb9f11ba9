import { once } from 'node:events';
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../../src-shared/protocol';
import type { RunningServer } from '../index';
import { DRAIN_BYTES } from '../transport/body-limit';
import { api } from '../testing/raw-client';
import { postHead, tlsSocket, watch, type Watched } from '../testing/raw-socket';
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

/**
 * Sends a whole oversized body (`bytes`, below DRAIN_BYTES) the way urllib2 does, without
 * reading anything until the last byte is written, then reads. A server that closes at once
 * resets the connection under the client's writes, and the 413 is lost.
 */
async function sendAllThenRead(bytes: number, chunked: boolean): Promise<Watched> {
  const socket = await tlsSocket(server.port);
  socket.pause();
  socket.on('error', () => {});
  const closed = once(socket, 'close');
  socket.write(
    chunked
      ? postHead(0).replace('Content-Length: 0', 'Transfer-Encoding: chunked')
      : postHead(bytes),
  );
  const chunk = Buffer.alloc(64 * 1024, 'A');
  const frame = chunked ? [Buffer.from('10000\r\n'), chunk, Buffer.from('\r\n')] : [chunk];
  for (let sent = 0; sent < bytes && !socket.destroyed; sent += chunk.length) {
    for (const part of frame) {
      if (!socket.write(part)) await Promise.race([once(socket, 'drain'), closed]);
    }
  }
  if (chunked && !socket.destroyed) socket.write('0\r\n\r\n');
  // Resolves once everything written has reached the kernel, or the socket failed.
  if (!socket.destroyed) await Promise.race([closed, new Promise((ok) => socket.write('', ok))]);
  const seen = watch(socket);
  socket.resume();
  await seen.closed;
  return seen;
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

  it('are drained, so a client that sends everything before reading finds the 413', async () => {
    for (const chunked of [false, true]) {
      const seen = await sendAllThenRead(DRAIN_BYTES / 2, chunked);
      expect(seen.received(), chunked ? 'chunked' : 'declared').toMatch(
        /^HTTP\/1\.1 413 [^]*\r\nConnection: close\r\n/i,
      );
    }
  });
});
