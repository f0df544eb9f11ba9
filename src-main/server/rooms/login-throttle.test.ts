import https from 'node:https';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningServer } from '../index';
import { join, openRoom, uniqueRoomName } from '../testing/member-fixture';
import { testAgent } from '../testing/raw-client';
import { call, startTestServer } from '../testing/server-fixture';
import { LoginThrottle } from './login-throttle';
import { ActionError } from './action-error';

let server: RunningServer;
const agents: https.Agent[] = [];
const from = (localAddress: string) => {
  const agent = testAgent({ maxSockets: 2, localAddress });
  agents.push(agent);
  return { agent };
};

beforeAll(async () => {
  ({ server } = await startTestServer({
    loginThrottle: { perAddress: 3, perRoomUser: 10, firstLockoutMs: 1_500, maxLockoutMs: 10_000 },
  }));
});

afterAll(async () => {
  for (const a of agents) a.destroy();
  await server.close();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('password guessing on joinRoom', () => {
  it('locks out the guessing address with 429 + Retry-After, lets another address in, and ends by itself', async () => {
    const attacker = from('127.0.0.2');
    const legit = from('127.0.0.3');
    const room = uniqueRoomName('guess');
    const { owner, members } = await openRoom(server.url, room, 'olive', ['amy'], legit);
    const guess = () =>
      call(server.url, 'joinRoom', { roomName: room, user: 'amy', userpass: 'GUESS' }, attacker);
    for (let i = 0; i < 3; i++) expect((await guess()).status).toBe(403);

    const locked = await guess();
    expect(locked.status).toBe(429);
    expect(locked.body).toBe('');
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2);
    // Even the right password waits out the lockout from the locked address.
    const rightButLocked = await call(
      server.url,
      'joinRoom',
      { roomName: room, user: 'amy', userpass: members[0]!.pass },
      attacker,
    );
    expect(rightButLocked.status).toBe(429);

    // The real user, from another address, still gets in.
    await join(server.url, room, 'amy', members[0]!.pass, legit);
    await join(server.url, room, 'olive', owner.pass, legit);

    // The lockout's end, on the server's clock (Date.now, as rate-limiter-flexible reads it).
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + retryAfter * 1000);
    expect((await guess()).status).toBe(403);
  });

  it('counts unknown user names as failures too', async () => {
    const attacker = from('127.0.0.4');
    const room = uniqueRoomName('enum');
    await openRoom(server.url, room, 'olive', [], from('127.0.0.5'));
    for (let i = 0; i < 3; i++) {
      const res = await call(
        server.url,
        'joinRoom',
        { roomName: room, user: `u${i}`, userpass: 'x' },
        attacker,
      );
      expect(res.json).toEqual({ status: 'NOK' });
    }
    expect(
      (await call(server.url, 'joinRoom', { roomName: room, user: 'u9', userpass: 'x' }, attacker))
        .status,
    ).toBe(429);
  });
});

describe('LoginThrottle', () => {
  const retryAfter = async (t: LoginThrottle, address: string) => {
    try {
      await t.assertAllowed('room', 'amy', address);
      return 0;
    } catch (error) {
      expect(error).toBeInstanceOf(ActionError);
      return (error as ActionError).retryAfterSeconds ?? -1;
    }
  };

  it('doubles each further lockout of the same key', async () => {
    vi.useFakeTimers();
    const t = new LoginThrottle({
      perAddress: 1,
      perRoomUser: 100,
      windowMs: 60_000,
      firstLockoutMs: 1_000,
      maxLockoutMs: 8_000,
    });
    await t.recordFailure('room', 'amy', 'a');
    expect(await retryAfter(t, 'a')).toBe(1);
    vi.advanceTimersByTime(1_000);
    expect(await retryAfter(t, 'a')).toBe(0);
    await t.recordFailure('room', 'amy', 'a');
    expect(await retryAfter(t, 'a')).toBe(2);
  });

  it('locks a room+user guessed from many addresses for every address', async () => {
    const t = new LoginThrottle({
      perAddress: 100,
      perRoomUser: 3,
      windowMs: 60_000,
      firstLockoutMs: 5_000,
      maxLockoutMs: 5_000,
    });
    for (const address of ['a', 'b', 'c']) await t.recordFailure('room', 'amy', address);
    expect(await retryAfter(t, 'd')).toBe(5);
    await expect(t.assertAllowed('room', 'bob', 'd')).resolves.toBeUndefined();
  });
});
