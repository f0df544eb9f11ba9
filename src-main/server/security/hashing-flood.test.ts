import type tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../index';
import { DEFAULT_CREATE_THROTTLE } from '../rooms/create-throttle';
import { DEFAULT_HASHING_LIMITS } from '../rooms/hashing-queue';
import {
  invite,
  join,
  openRoom,
  session,
  stockPassword,
  uniqueRoomName,
  type Member,
} from '../testing/member-fixture';
import { api, testAgent } from '../testing/raw-client';
import { postHead, tlsSocket, watch } from '../testing/raw-socket';
import { startTestServer } from '../testing/server-fixture';

/**
 * Floods of argon2 work (createRoom and inviteUser hash a password, ~45 ms each) must not delay
 * a legitimate join: pipelined on one connection, and from 8 addresses at once. The join waits
 * for no queued hash, at most for the ones already running (counted, never timed).
 */

const servers: RunningServer[] = [];
const sockets: tls.TLSSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const RSS_BOUND_MB = 50;

async function start(): Promise<RunningServer> {
  const { server } = await startTestServer();
  servers.push(server);
  return server;
}

function request(action: string, payload: unknown): string {
  const body = JSON.stringify({ action, payload });
  return postHead(Buffer.byteLength(body)) + body;
}

/** `count` createRoom and inviteUser requests, alternating, pipelined on one new connection. */
async function pipelineFlood(server: RunningServer, from: string, attacker: Member, count: number) {
  const socket = await tlsSocket(server.port, from);
  sockets.push(socket);
  watch(socket);
  const requests = Array.from({ length: count }, (_, i) =>
    i % 2
      ? request('createRoom', {
          roomName: uniqueRoomName('flood'),
          owner: 'x',
          pass: stockPassword(),
        })
      : request('inviteUser', { ...session(attacker), invite: `f${i}`, pass: stockPassword() }),
  );
  socket.write(requests.join(''));
}

/** Resolves once the server has admitted `count` new hashes in all. */
async function hashesAdmitted(server: RunningServer, count: number): Promise<void> {
  while (server.hashingJobs!().admitted.hash < count) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * A member invited beforehand joins once the flood has queued `floodHashes`: how many new
 * hashes started while its verification waited, and the RSS the whole flood cost.
 */
async function joinDuringFlood(
  server: RunningServer,
  floodHashes: number,
  flood: () => Promise<void>,
) {
  const { owner } = await openRoom(server.url, uniqueRoomName('legit'), 'olive', [], {
    localAddress: '127.0.0.20',
  });
  const pass = stockPassword();
  await invite(server.url, owner, 'lena', pass, { localAddress: '127.0.0.20' });
  const rssBefore = process.memoryUsage().rss;
  const before = server.hashingJobs!().admitted.hash;
  await flood();
  await hashesAdmitted(server, before + floodHashes);
  const aheadBefore = server.hashingJobs!().hashesAheadOfVerify;
  const lena = await join(server.url, owner.room, 'lena', pass, { localAddress: '127.0.0.21' });
  const hashesAhead = server.hashingJobs!().hashesAheadOfVerify - aheadBefore;
  const rssGrowthMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
  expect(lena.user).toBe('lena');
  return { hashesAhead, rssGrowthMb };
}

describe('password-hashing flood', () => {
  it('a join completes promptly during 200 pipelined createRoom/inviteUser on one connection', async () => {
    const server = await start();
    const { owner: attacker } = await openRoom(server.url, uniqueRoomName('att'), 'mal', [], {
      localAddress: '127.0.0.2',
    });
    const { hashesAhead, rssGrowthMb } = await joinDuringFlood(server, 1, () =>
      pipelineFlood(server, '127.0.0.2', attacker, 200),
    );
    console.log(
      `hashing flood, 200 pipelined on one connection: ${hashesAhead} hashes went ahead of the join, RSS grew ${rssGrowthMb.toFixed(1)} MB`,
    );
    expect(hashesAhead).toBe(0);
    expect(rssGrowthMb).toBeLessThan(RSS_BOUND_MB);
  });

  it('a join completes promptly while 8 addresses flood on several connections each', async () => {
    const server = await start();
    const addresses = Array.from({ length: 8 }, (_, i) => `127.0.0.${i + 2}`);
    const attackers = await Promise.all(
      addresses.map(
        async (from) =>
          (await openRoom(server.url, uniqueRoomName('att'), 'mal', [], { localAddress: from }))
            .owner,
      ),
    );
    const floodHashes = DEFAULT_HASHING_LIMITS.hashesInAll;
    const { hashesAhead, rssGrowthMb } = await joinDuringFlood(server, floodHashes, async () => {
      await Promise.all(
        addresses.flatMap((from, i) =>
          // One request a connection: a second one pipelined behind it would close the
          // connection (503) and drop its queued hash, and the queue must stay full.
          [0, 1, 2, 3].map(() => pipelineFlood(server, from, attackers[i]!, 1)),
        ),
      );
    });
    console.log(
      `hashing flood, 8 addresses x 4 connections: ${hashesAhead} hashes went ahead of the join, RSS grew ${rssGrowthMb.toFixed(1)} MB`,
    );
    // Verifications go first: the join waits at most for the hashes already running.
    expect(hashesAhead).toBe(0);
    expect(rssGrowthMb).toBeLessThan(RSS_BOUND_MB);
  });

  it('answers 503 with Retry-After once one address has too many hashes queued', async () => {
    const server = await start();
    const { owner } = await openRoom(server.url, uniqueRoomName('full'), 'olive', []);
    const agent = testAgent({ maxSockets: 12 });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        api(
          server.url,
          'inviteUser',
          { ...session(owner), invite: `u${i}`, pass: stockPassword() },
          { agent },
        ),
      ),
    );
    agent.destroy();
    const refused = results.filter((r) => r.status === 503);
    console.log(`12 concurrent invites from one address: ${refused.length} answered 503`);
    expect(results.every((r) => r.status === 200 || r.status === 503)).toBe(true);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r.body).toBe('');
      expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
  });

  it('answers a request pipelined behind an unanswered one with 503 and closes the connection', async () => {
    const server = await start();
    const socket = await tlsSocket(server.port);
    sockets.push(socket);
    const w = watch(socket);
    socket.write(request('serverInfo', {}) + request('serverInfo', {}));
    await w.closed;
    const statuses = [...w.received().matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]);
    expect(statuses).toEqual(['200', '503']);
    expect(w.received()).toMatch(/Retry-After: 1/i);
  });
});

describe('room squatting', () => {
  it(`refuses createRoom past ${DEFAULT_CREATE_THROTTLE.perAddress} per address with 429; another address still creates`, async () => {
    const server = await start();
    const statuses: number[] = [];
    let retryAfter = '';
    for (let i = 0; i <= DEFAULT_CREATE_THROTTLE.perAddress; i++) {
      const res = await api(
        server.url,
        'createRoom',
        { roomName: uniqueRoomName('squat'), owner: 'sq', pass: stockPassword() },
        { localAddress: '127.0.0.30' },
      );
      statuses.push(res.status);
      if (res.status === 429) retryAfter = String(res.headers['retry-after']);
    }
    expect(statuses).toEqual([...Array(DEFAULT_CREATE_THROTTLE.perAddress).fill(200), 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    const other = await api(
      server.url,
      'createRoom',
      { roomName: uniqueRoomName('fair'), owner: 'ok', pass: stockPassword() },
      { localAddress: '127.0.0.31' },
    );
    expect(other.status).toBe(200);
  });

  it('closes rooms nobody joined within the window; joined rooms stay', async () => {
    let offsetMs = 0;
    let clockReads = 0;
    // Moves the clock, then waits for a purge run that reads it (no request is in flight).
    const advanceTo = async (ms: number) => {
      offsetMs = ms;
      const seen = clockReads;
      while (clockReads === seen) await new Promise((resolve) => setTimeout(resolve, 10));
    };
    const { server } = await startTestServer({
      purgeIntervalMs: 40,
      unjoinedRoomMs: 300_000,
      clock: () => {
        clockReads += 1;
        return Date.now() + offsetMs;
      },
    });
    servers.push(server);
    const squatted = uniqueRoomName('unjoined');
    const pass = stockPassword();
    expect(
      (await api(server.url, 'createRoom', { roomName: squatted, owner: 'sq', pass })).status,
    ).toBe(200);
    const { owner } = await openRoom(server.url, uniqueRoomName('joined'), 'olive', []);
    await advanceTo(299_000);
    // Still there within the window: the owner of a stock client joins right after creating.
    expect(
      (await api(server.url, 'createRoom', { roomName: squatted, owner: 'x', pass })).status,
    ).toBe(400);
    await advanceTo(301_000);
    expect(
      (await api(server.url, 'joinRoom', { roomName: squatted, user: 'sq', userpass: pass }))
        .status,
    ).toBe(400);
    expect(
      (await api(server.url, 'createRoom', { roomName: squatted, owner: 'new', pass })).status,
    ).toBe(200);
    const polled = await api(server.url, 'pollMsg', { ...session(owner), mylast: 0 });
    expect(polled.status).toBe(200);
  });
});
