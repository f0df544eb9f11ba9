import net from 'node:net';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../index';
import {
  createRoom,
  drain,
  join,
  openRoom,
  poll,
  readCiphertext,
  send,
  session,
  stockPassword,
  uniqueRoomName,
} from '../testing/member-fixture';
import { api, testAgent } from '../testing/raw-client';

/**
 * Faults around the server: clients that vanish mid-request, a purge run that fails, and a server
 * restarted under its clients. The server must stay healthy and answer cleanly throughout.
 */

type Server = Awaited<ReturnType<typeof startServer>>;

const servers: Server[] = [];
/** Ten flooding addresses, each under the per-address cap, so the server-wide cap is what holds. */
const FLOODERS = Array.from({ length: 10 }, (_, i) => `127.0.0.${40 + i}`);

async function start(options: Parameters<typeof startServer>[0] = {}): Promise<Server> {
  const server = await startServer({ host: '127.0.0.1', port: 0, log: () => {}, ...options });
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Opens a TLS connection and writes raw bytes, as a client that is about to vanish would. */
function rawConnection(server: Server): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(
      { host: '127.0.0.1', port: server.port, rejectUnauthorized: false },
      () => resolve(socket),
    );
    socket.on('error', reject);
  });
}

function requestHead(bodyLength: number): string {
  return (
    'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
    `Content-Length: ${bodyLength}\r\nConnection: keep-alive\r\n\r\n`
  );
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('clients that vanish', () => {
  it('half a body then a destroyed socket leaves the server answering', async () => {
    const server = await start();
    const { owner } = await openRoom(server.url, uniqueRoomName('vanish'), 'olive', []);
    const body = JSON.stringify({
      action: 'sendMsg',
      payload: { ...session(owner), msg: Buffer.from('never finished').toString('base64') },
    });
    for (let i = 0; i < 20; i++) {
      const socket = await rawConnection(server);
      socket.write(requestHead(Buffer.byteLength(body)) + body.slice(0, body.length / 2));
      socket.destroy();
    }
    // The half-sent message was never stored, and the owner's session still works.
    await send(server.url, owner, 'after the vanishing clients');
    const rows = await drain(server.url, owner, 0);
    const texts = rows.filter((r) => r[3] === 'olive').map((r) => readCiphertext(r[1]));
    expect(texts).toEqual(['after the vanishing clients']);
  });

  it('a client gone during a long-poll wait releases its held poll', async () => {
    const server = await start();
    const { owner, members } = await openRoom(server.url, uniqueRoomName('vanish-poll'), 'olive', [
      'alice',
    ]);
    const alice = members[0]!;
    const body = JSON.stringify({
      action: 'pollMsg',
      payload: { ...session(alice), mylast: 1_000_000_000, wait: 30 },
    });
    const sockets = [];
    for (let i = 0; i < 5; i++) {
      const socket = await rawConnection(server);
      socket.on('error', () => {});
      socket.write(requestHead(Buffer.byteLength(body)) + body);
      sockets.push(socket);
    }
    await until(() => server.heldPolls?.() === 5);
    for (const socket of sockets) socket.destroy();
    await until(() => server.heldPolls?.() === 0);

    // Alice, reconnecting, still gets what is sent next, and nothing is held on her behalf.
    const waiting = poll(server.url, alice, alice.joinedLast + 1, { wait: 10 });
    await until(() => server.heldPolls?.() === 1);
    await send(server.url, owner, 'are you there?');
    const result = await waiting;
    expect(result.kind).toBe('rows');
    if (result.kind === 'rows') {
      expect(result.rows.map((r) => readCiphertext(r[1]))).toContain('are you there?');
    }
    expect(server.heldPolls?.()).toBe(0);
  });

  it('a connection flood meets the cap, and the server recovers when it ends', async () => {
    const server = await start();
    // Plain TCP from other loopback addresses: cheap for the flooder, still connections to hold.
    const flood = await Promise.all(
      Array.from(
        { length: 600 },
        (_, i) =>
          new Promise<net.Socket>((resolve, reject) => {
            const socket = net.connect({
              host: '127.0.0.1',
              port: server.port,
              localAddress: FLOODERS[i % FLOODERS.length],
            });
            socket.on('error', () => {});
            socket.once('connect', () => resolve(socket));
            socket.once('error', reject);
          }),
      ),
    );
    const droppedCount = () =>
      flood.filter((socket) => socket.destroyed || socket.readableEnded).length;
    await until(() => droppedCount() > 0);
    console.log(
      `connection flood: 600 opened from ${FLOODERS.length} addresses, ` +
        `${droppedCount()} dropped by the server's cap`,
    );
    for (const socket of flood) socket.destroy();
    await until(async () => {
      try {
        return (await api(server.url, 'serverInfo', {})).status === 200;
      } catch {
        return false;
      }
    });
  });
});

describe('a failing purge run', () => {
  it('is logged without details and the next run still purges', async () => {
    const logs: string[] = [];
    let offsetMs = 0;
    let failNext = false;
    // The server's clock is the seam: the purge reads it first, so arming it fails one run.
    const clock = () => {
      if (failNext) {
        failNext = false;
        throw new Error('injected clock failure with secret detail');
      }
      return Date.now() + offsetMs;
    };
    const server = await start({
      purgeIntervalMs: 50,
      messageMaxAgeMs: 60_000,
      clock,
      log: (line) => logs.push(line),
    });
    const { owner } = await openRoom(server.url, uniqueRoomName('purge'), 'olive', []);
    await send(server.url, owner, 'old news');
    expect((await drain(server.url, owner, 0)).map((r) => r[3])).toContain('olive');

    failNext = true;
    await until(() => logs.some((line) => line.startsWith('purge failed')));
    expect(failNext).toBe(false);
    expect(logs.join('\n')).not.toContain('secret detail');

    offsetMs = 120_000;
    await until(async () => !(await drain(server.url, owner, 0)).some((r) => r[3] === 'olive'));
    expect(logs.filter((line) => line.startsWith('purge failed'))).toHaveLength(1);
    // The room itself (not idle long enough) survives the purge.
    await send(server.url, owner, 'fresh news');
  });
});

describe('a server restarted under its clients', () => {
  it('answers old sessions with a clean 400/403 and lets the client start over', async () => {
    const first = await start();
    const room = uniqueRoomName('restart');
    const agent = testAgent({ maxSockets: 2 });
    const { owner, members } = await openRoom(first.url, room, 'olive', ['alice'], { agent });
    const alice = members[0]!;
    // A long-poll held when the server goes down is answered, not left hanging.
    const held = poll(first.url, alice, 1_000_000_000, { agent, wait: 30 });
    await until(() => first.heldPolls?.() === 1);
    await first.close();
    await expect(held).resolves.toMatchObject({ kind: 'unchanged' });
    agent.destroy();

    const second = await start({ port: first.port });
    const calls: [string, Record<string, unknown>][] = [
      ['pollMsg', { ...session(alice), mylast: 0 }],
      ['sendMsg', { ...session(alice), msg: Buffer.from('hello?').toString('base64') }],
      ['listMembers', session(alice)],
      ['leaveRoom', session(alice)],
      ['closeRoom', session(owner)],
      ['joinRoom', { roomName: room, user: 'olive', userpass: owner.pass }],
    ];
    for (const [action, payload] of calls) {
      const res = await api(second.url, action, payload);
      expect([400, 403], `${action} after restart: ${res.status}`).toContain(res.status);
      expect(res.body).toBe('');
    }
    // Rooms live in memory by design: the owner recreates the room under the same name.
    const pass = stockPassword();
    await createRoom(second.url, room, 'olive', pass);
    const again = await join(second.url, room, 'olive', pass);
    await send(second.url, again, 'we are back');
  });
});
