import type net from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer, ServerOptions } from '../index';
import { CONNECTIONS_PER_ADDRESS } from '../transport/https-server';
import { openRoom, poll, send, uniqueRoomName } from '../testing/member-fixture';
import { api } from '../testing/raw-client';
import { postHead, tcpSocket, tlsSocket, trickle, watch } from '../testing/raw-socket';
import { startTestServer } from '../testing/server-fixture';

/**
 * Connections: one address cannot take every connection the server allows, and slow or idle
 * clients are cut off by the header, request and keep-alive timeouts without holding anyone
 * else up. Timings are only ever bounded loosely: "not before the timeout" holds by causality,
 * "well before several seconds" leaves room for a loaded machine.
 */

const servers: RunningServer[] = [];
const sockets: net.Socket[] = [];

async function start(options: ServerOptions = {}): Promise<RunningServer> {
  const { server } = await startTestServer(options);
  servers.push(server);
  return server;
}

function held<T extends net.Socket>(socket: T): T {
  sockets.push(socket);
  return socket;
}

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** serverInfo from a given source address: the status, or the connection error's code. */
async function serverInfoFrom(url: string, localAddress: string): Promise<number | string> {
  try {
    return (await api(url, 'serverInfo', {}, { localAddress })).status;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'error';
  }
}

/**
 * A cut-off must come before this, however loaded the machine; the defaults (15 s headers, 45 s
 * request, 5 s keep-alive plus Node's 1 s grace) would all miss it.
 */
const CUT_OFF_BY_MS = 4_000;

describe('open connections per source address', () => {
  it('refuses one address beyond the cap while another address is served, and counts closes back', async () => {
    const server = await start();
    const hog = '127.0.0.5';
    const other = '127.0.0.6';
    // Handshaken, so the server has counted every one of them.
    const first = await Promise.all(
      Array.from({ length: CONNECTIONS_PER_ADDRESS }, async () =>
        held(await tlsSocket(server.port, hog)),
      ),
    );
    const firstWatched = first.map((s) => watch(s));
    const extra = await Promise.all(
      Array.from({ length: 10 }, async () => watch(held(await tcpSocket(server.port, hog)))),
    );
    await Promise.all(extra.map((w) => w.closed));
    expect(await serverInfoFrom(server.url, hog)).not.toBe(200);

    expect(await serverInfoFrom(server.url, other)).toBe(200);
    const { owner } = await openRoom(server.url, uniqueRoomName('cap'), 'olive', [], {
      localAddress: other,
    });
    await send(server.url, owner, 'served while another address is at its cap', {
      localAddress: other,
    });
    expect(firstWatched.every((w) => w.isOpen())).toBe(true);

    // Closing frees the address's slots again.
    for (const socket of first) socket.destroy();
    await until(async () => (await serverInfoFrom(server.url, hog)) === 200);
    console.log(
      `connections per address: ${CONNECTIONS_PER_ADDRESS} held from ${hog}, ${extra.length} more ` +
        `refused, ${other} served meanwhile; ${hog} served again once its connections closed`,
    );
  });
});

describe('slow and idle clients', () => {
  const timeouts = { headersMs: 400, requestMs: 800, keepAliveMs: 300 };

  it('cuts off a client that never finishes the TLS handshake after the header timeout', async () => {
    const server = await start({ timeouts });
    const started = performance.now();
    const w = watch(held(await tcpSocket(server.port)), started);
    const closedAt = await w.closed;
    expect(closedAt).toBeGreaterThanOrEqual(timeouts.headersMs - 20);
    expect(closedAt).toBeLessThan(CUT_OFF_BY_MS);
    console.log(
      `no handshake: closed after ${Math.round(closedAt)} ms (${timeouts.headersMs} ms timeout)`,
    );
  });

  it('cuts off a client that trickles its headers after the header timeout', async () => {
    const server = await start({ timeouts });
    const socket = held(await tlsSocket(server.port));
    const started = performance.now();
    const w = watch(socket, started);
    const lines = Array.from({ length: 200 }, (_, i) => `X-Slow-${i}: a\r\n`);
    void trickle(socket, ['POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n', ...lines], 40);
    const closedAt = await w.closed;
    expect(closedAt).toBeGreaterThanOrEqual(timeouts.headersMs - 20);
    expect(closedAt).toBeLessThan(CUT_OFF_BY_MS);
    expect(w.received()).toMatch(/^HTTP\/1\.1 408 /);
    console.log(
      `trickled headers: 408 and closed after ${Math.round(closedAt)} ms (${timeouts.headersMs} ms timeout)`,
    );
  });

  it('cuts off a client that sends its headers and trickles the body after the request timeout', async () => {
    const server = await start({ timeouts });
    const socket = held(await tlsSocket(server.port));
    const started = performance.now();
    const w = watch(socket, started);
    const body = Array.from({ length: 200 }, () => ' ');
    void trickle(socket, [postHead(body.length), ...body], 40);
    const closedAt = await w.closed;
    // Past the header timeout: the headers were complete, so the whole-request clock decides.
    expect(closedAt).toBeGreaterThanOrEqual(timeouts.requestMs - 20);
    expect(closedAt).toBeLessThan(CUT_OFF_BY_MS);
    expect(w.received()).toMatch(/^HTTP\/1\.1 408 /);
    console.log(
      `trickled body: 408 and closed after ${Math.round(closedAt)} ms (${timeouts.requestMs} ms timeout)`,
    );
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const server = await start({ timeouts });
    const socket = held(await tlsSocket(server.port));
    const answered = new Promise<number>((resolve) =>
      socket.once('data', () => resolve(performance.now())),
    );
    const w = watch(socket);
    const body = JSON.stringify({ action: 'serverInfo', payload: {} });
    socket.write(postHead(Buffer.byteLength(body)) + body);
    await w.closed;
    const idleFor = performance.now() - (await answered);
    expect(w.received()).toMatch(/^HTTP\/1\.1 200 [^]*"extensions"/);
    // Node closes keepAliveMs plus 1 s of grace after the answer, so a client that reuses the
    // connection just before the advertised timeout does not meet a closing socket.
    expect(idleFor).toBeGreaterThanOrEqual(timeouts.keepAliveMs - 20);
    expect(idleFor).toBeLessThan(CUT_OFF_BY_MS);
    console.log(
      `idle keep-alive: closed after ${Math.round(idleFor)} ms idle (${timeouts.keepAliveMs} ms ` +
        'timeout + Node 1 s grace)',
    );
  });

  it('answers other clients promptly while slow clients are being held', async () => {
    // Long timeouts, so the slow clients are certainly still held while the others talk.
    const server = await start({ timeouts: { headersMs: 20_000, requestMs: 30_000 } });
    const slowAddress = '127.0.0.7';
    const slowHeaders = await Promise.all(
      Array.from({ length: 30 }, async () => held(await tlsSocket(server.port, slowAddress))),
    );
    const slowBodies = await Promise.all(
      Array.from({ length: 30 }, async () => held(await tlsSocket(server.port, slowAddress))),
    );
    const watched = [...slowHeaders, ...slowBodies].map((s) => watch(s));
    const lines = Array.from({ length: 1_000 }, (_, i) => `X-Slow-${i}: a\r\n`);
    for (const s of slowHeaders) void trickle(s, ['POST / HTTP/1.1\r\n', ...lines], 100);
    const body = Array.from({ length: 1_000 }, () => ' ');
    for (const s of slowBodies) void trickle(s, [postHead(body.length), ...body], 100);

    const started = performance.now();
    const { owner, members } = await openRoom(server.url, uniqueRoomName('hostage'), 'olive', [
      'amy',
    ]);
    const id = await send(server.url, owner, 'not held up');
    const seen = await poll(server.url, members[0]!, id - 1);
    const elapsed = performance.now() - started;
    expect(seen.kind === 'rows' && seen.rows.map((r) => r[0])).toEqual([id]);
    // Every slow client is still being held: the others were answered without waiting for them.
    expect(watched.filter((w) => w.isOpen())).toHaveLength(watched.length);
    console.log(
      `slow clients: ${watched.length} held open (headers or body trickling), meanwhile a room ` +
        `was created, joined by two, a message sent and polled in ${Math.round(elapsed)} ms`,
    );
  });
});
