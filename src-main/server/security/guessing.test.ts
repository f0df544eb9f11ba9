import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../index';
import { DEFAULT_LOGIN_THROTTLE } from '../rooms/login-throttle';
import { join, openRoom, stockPassword, uniqueRoomName } from '../testing/member-fixture';
import { api, type ApiResponse, testAgent } from '../testing/raw-client';

/**
 * Password guessing on joinRoom: the login throttle must stop evaluating guesses after a handful
 * (429 + Retry-After, empty body) while the real user, from another address, still gets in.
 * Only loopback source addresses are used.
 */

type Server = Awaited<ReturnType<typeof startServer>>;

const ATTEMPTS = 1000;
const GUESSER = '127.0.0.1';
const REAL_USER = '127.0.0.2';

let server: Server | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Tally {
  refusedByLockout: number;
  evaluated: number;
  firstLockoutAt: number;
  retryAfter: Set<string>;
  other: string[];
}

function tally(results: ApiResponse[]): Tally {
  const t: Tally = {
    refusedByLockout: 0,
    evaluated: 0,
    firstLockoutAt: -1,
    retryAfter: new Set(),
    other: [],
  };
  results.forEach((res, i) => {
    if (res.status === 429) {
      t.refusedByLockout += 1;
      if (t.firstLockoutAt < 0) t.firstLockoutAt = i;
      t.retryAfter.add(String(res.headers['retry-after']));
      expect(res.body).toBe('');
    } else if (res.status === 403) {
      t.evaluated += 1;
      expect(res.body).toBe('');
    } else {
      t.other.push(`${res.status} ${res.body}`);
    }
  });
  return t;
}

async function guessSequentially(room: string, user: string, localAddress: string, n: number) {
  const agent = testAgent({ maxSockets: 1, localAddress });
  const results: ApiResponse[] = [];
  for (let i = 0; i < n; i++) {
    const userpass = stockPassword();
    results.push(await api(server!.url, 'joinRoom', { roomName: room, user, userpass }, { agent }));
  }
  agent.destroy();
  return results;
}

describe('password guessing', () => {
  it(`${ATTEMPTS} wrong passwords are cut off after a few; the real user still joins from another address`, async () => {
    server = await startServer({ host: '127.0.0.1', port: 0, log: () => {} });
    const room = uniqueRoomName('guess');
    const { owner } = await openRoom(server.url, room, 'olive', []);

    const t = tally(await guessSequentially(room, 'olive', GUESSER, ATTEMPTS));
    console.log(
      `guessing: ${ATTEMPTS} attempts, ${t.refusedByLockout} refused by lockout, ${t.evaluated} evaluated ` +
        `(first 429 at attempt ${t.firstLockoutAt + 1}, Retry-After ${[...t.retryAfter].join('/')} s)`,
    );
    expect(t.other).toEqual([]);
    expect(t.evaluated).toBeLessThanOrEqual(DEFAULT_LOGIN_THROTTLE.perAddress);
    expect(t.firstLockoutAt).toBe(DEFAULT_LOGIN_THROTTLE.perAddress);
    expect(t.refusedByLockout).toBe(ATTEMPTS - t.evaluated);
    for (const seconds of t.retryAfter) {
      expect(Number(seconds)).toBeGreaterThanOrEqual(1);
      expect(Number(seconds)).toBeLessThanOrEqual(DEFAULT_LOGIN_THROTTLE.firstLockoutMs / 1000);
    }

    // Even the right password is refused from the locked-out address...
    const fromGuesser = await api(
      server.url,
      'joinRoom',
      { roomName: room, user: 'olive', userpass: owner.pass },
      { localAddress: GUESSER },
    );
    expect(fromGuesser.status).toBe(429);
    // ...but the owner, from another machine, gets in.
    const real = await join(server.url, room, 'olive', owner.pass, { localAddress: REAL_USER });
    expect(real.sesskey).toMatch(new RegExp(`^${room}-`));
  });

  it('concurrent guesses are not evaluated beyond the limit either', async () => {
    server = await startServer({ host: '127.0.0.1', port: 0, log: () => {} });
    const room = uniqueRoomName('guess-burst');
    const { owner } = await openRoom(server.url, room, 'olive', []);
    const agent = testAgent({ maxSockets: 50, localAddress: GUESSER });
    const burst = await Promise.all(
      Array.from({ length: 200 }, () =>
        api(
          server!.url,
          'joinRoom',
          { roomName: room, user: 'olive', userpass: stockPassword() },
          { agent },
        ),
      ),
    );
    agent.destroy();
    const t = tally(burst);
    console.log(
      `guessing burst: 200 concurrent attempts, ${t.refusedByLockout} refused by lockout, ${t.evaluated} evaluated`,
    );
    expect(t.other).toEqual([]);
    expect(t.evaluated).toBeLessThanOrEqual(DEFAULT_LOGIN_THROTTLE.perAddress);
    const real = await join(server.url, room, 'olive', owner.pass, { localAddress: REAL_USER });
    expect(real.user).toBe('olive');
  });

  it('guessing spread over many addresses locks the room+user key, and says so with 429', async () => {
    server = await startServer({ host: '127.0.0.1', port: 0, log: () => {} });
    const room = uniqueRoomName('guess-spread');
    const { owner } = await openRoom(server.url, room, 'olive', []);
    const results: ApiResponse[] = [];
    // 10 addresses x 4 guesses: each stays under its per-address limit.
    for (let a = 10; a < 20; a++) {
      results.push(...(await guessSequentially(room, 'olive', `127.0.0.${a}`, 4)));
    }
    const t = tally(results);
    console.log(
      `guessing spread: 40 attempts from 10 addresses, ${t.refusedByLockout} refused by lockout, ${t.evaluated} evaluated`,
    );
    expect(t.other).toEqual([]);
    expect(t.evaluated).toBe(DEFAULT_LOGIN_THROTTLE.perRoomUser);
    // The documented price of this defence: the real owner is locked out of this name for a while.
    const real = await api(
      server.url,
      'joinRoom',
      { roomName: room, user: 'olive', userpass: owner.pass },
      { localAddress: REAL_USER },
    );
    expect(real.status).toBe(429);
    expect(Number(real.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });
});
