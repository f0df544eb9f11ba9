import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningServer } from '../index';
import { HASHING_RETRY_AFTER_SECONDS } from '../rooms/hashing-queue';
import { invite, join, openRoom, stockPassword, uniqueRoomName } from '../testing/member-fixture';
import { api } from '../testing/raw-client';
import { startTestServer } from '../testing/server-fixture';

/**
 * A password-hashing thread that dies mid-hash is the server's trouble: the request gets a 503
 * to retry, and it is never taken for a wrong password that counts toward the guessing lockout.
 */

const crash = vi.hoisted(() => ({ next: 0 }));

vi.mock('../rooms/argon2-thread', async (importOriginal) => {
  const real = await importOriginal<typeof import('../rooms/argon2-thread')>();
  /** Kills every thread once the job has been handed to one (a WebAssembly hash takes ~45 ms). */
  const crashing =
    <A extends unknown[], R>(hash: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      const result = hash(...args);
      if (crash.next > 0) {
        crash.next -= 1;
        setImmediate(() => void real.stopArgon2Workers());
      }
      return result;
    };
  return {
    ...real,
    argon2Matches: crashing(real.argon2Matches),
    argon2Hash: crashing(real.argon2Hash),
  };
});

const PER_ADDRESS = 2;
let server: RunningServer;

beforeAll(async () => {
  ({ server } = await startTestServer({
    loginThrottle: { perAddress: PER_ADDRESS, perRoomUser: 10 },
  }));
});

afterAll(async () => {
  await server.close();
});

describe('a hashing thread that crashes mid-hash', () => {
  it('answers a join 503 with Retry-After, and never counts it as a failed guess', async () => {
    const room = uniqueRoomName('crash');
    const { members } = await openRoom(server.url, room, 'olive', ['amy']);
    const amy = { roomName: room, user: 'amy', userpass: members[0]!.pass };
    const from = { localAddress: '127.0.0.40' };
    for (let i = 0; i <= PER_ADDRESS; i++) {
      crash.next = 1;
      const res = await api(server.url, 'joinRoom', amy, from);
      expect(res.status, `crash ${i + 1}`).toBe(503);
      expect(res.body).toBe('');
      expect(res.headers['retry-after']).toBe(String(HASHING_RETRY_AFTER_SECONDS));
    }
    expect(crash.next).toBe(0);
    // No strike so far: a wrong password is one (403, not a 429 lockout), the right one joins.
    expect((await api(server.url, 'joinRoom', { ...amy, userpass: 'WRONG' }, from)).status).toBe(
      403,
    );
    expect((await join(server.url, room, 'amy', amy.userpass, from)).user).toBe('amy');
  });

  it('answers a new hash (an invitation) 503, and the next one works', async () => {
    const { owner } = await openRoom(server.url, uniqueRoomName('crash'), 'olive', []);
    crash.next = 1;
    const res = await api(server.url, 'inviteUser', {
      roomName: owner.room,
      user: owner.user,
      sesskey: owner.sesskey,
      invite: 'bea',
      pass: stockPassword(),
    });
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe(String(HASHING_RETRY_AFTER_SECONDS));
    await invite(server.url, owner, 'bea', stockPassword());
  });
});
