import { describe, expect, it, vi } from 'vitest';
import {
  expectRefused,
  invite,
  join,
  openRoom,
  poll,
  session,
  stockPassword,
  uniqueRoomName,
} from '../testing/member-fixture';
import { call, useTestServer } from '../testing/server-fixture';

/**
 * Issue 21 item 5: a join verifies a password with argon2, which takes tens of milliseconds and
 * awaits. Whatever replaces the account's password meanwhile (the member's setPassword, a ban
 * and a new invite of the same name) must win: the password checked no longer opens the account.
 * Without the re-check after verification, each of these joins is answered 200.
 */

const gate = vi.hoisted(() => {
  let armed: { reached: () => void; release: Promise<void> } | undefined;
  return {
    /** Holds the next verification after it has run, until `release` is called. */
    holdNext() {
      let reached!: () => void;
      let release!: () => void;
      const atGate = new Promise<void>((resolve) => (reached = resolve));
      armed = { reached, release: new Promise<void>((resolve) => (release = resolve)) };
      return { atGate, release };
    },
    take() {
      const held = armed;
      armed = undefined;
      return held;
    },
  };
});

vi.mock('../rooms/credentials', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../rooms/credentials')>();
  return {
    ...actual,
    verifyPassword: async (hash: string, password: string) => {
      const matches = await actual.verifyPassword(hash, password);
      const held = gate.take();
      if (held) {
        held.reached();
        await held.release;
      }
      return matches;
    },
  };
});

const fixture = useTestServer({
  createThrottle: { perAddress: 1000 },
  hashing: { concurrency: 4 },
});
const opts = () => ({ agent: fixture.agent });
const joinCall = (room: string, user: string, userpass: string, extra: object = {}) =>
  call(fixture.server.url, 'joinRoom', { roomName: room, user, userpass, ...extra }, opts());

describe('a join whose password was replaced while argon2 checked it', () => {
  it('setPassword during the inviter’s join: the inviter is refused (403)', async () => {
    const url = fixture.server.url;
    const room = uniqueRoomName('race-setpass');
    const invitePass = stockPassword();
    const { owner } = await openRoom(url, room, 'olive', [], opts());
    await invite(url, owner, 'bob', invitePass, opts());
    const bob = await join(url, room, 'bob', invitePass, opts());

    const { atGate, release } = gate.holdNext();
    const inviterJoin = joinCall(room, 'bob', invitePass);
    await atGate;
    const own = stockPassword();
    expect(
      (await call(url, 'setPassword', { ...session(bob), newpass: own }, opts())).json,
    ).toEqual({ status: 'ok' });
    release();
    expectRefused(await inviterJoin, 403);
    // bob's session was not displaced, and his own password still opens the account.
    expect((await poll(url, bob, 0, opts())).kind).toBe('rows');
    expect((await joinCall(room, 'bob', own)).status).toBe(200);
  });

  it('a ban and a new invite of the name during a join: the old password is refused (403)', async () => {
    const url = fixture.server.url;
    const room = uniqueRoomName('race-reinvite');
    const oldPass = stockPassword();
    const { owner } = await openRoom(url, room, 'olive', [], opts());
    await invite(url, owner, 'bob', oldPass, opts());

    const { atGate, release } = gate.holdNext();
    const staleJoin = joinCall(room, 'bob', oldPass);
    await atGate;
    expect((await call(url, 'banUser', { ...session(owner), kick: 'bob' }, opts())).status).toBe(
      200,
    );
    const newPass = stockPassword();
    await invite(url, owner, 'bob', newPass, opts());
    release();
    expectRefused(await staleJoin, 403);
    expect((await joinCall(room, 'bob', newPass)).status).toBe(200);
  });
});

describe('joinRoom with newpass (extension joinnewpass)', () => {
  it('replaces the invite password in the join itself: no window for anyone holding it', async () => {
    const url = fixture.server.url;
    const room = uniqueRoomName('join-newpass');
    const invitePass = stockPassword();
    const { owner } = await openRoom(url, room, 'olive', [], opts());
    await invite(url, owner, 'bob', invitePass, opts());
    const own = stockPassword();
    const joined = await joinCall(room, 'bob', invitePass, { newpass: own });
    expect(joined.json).toMatchObject({ status: 'ok' });
    expectRefused(await joinCall(room, 'bob', invitePass), 403);
    expect((await joinCall(room, 'bob', own)).status).toBe(200);
    expect(joined.json?.newpass).toBe('set');
    // Once only, as setPassword: a join with the member's own password keeps it.
    const again = await joinCall(room, 'bob', own, { newpass: stockPassword() });
    expect(again.json).toMatchObject({ status: 'ok', newpass: 'unchanged' });
    expect((await joinCall(room, 'bob', own)).status).toBe(200);
  });

  it('keeps the owner’s password, refuses a weak newpass, and leaves the password as it was', async () => {
    const url = fixture.server.url;
    const room = uniqueRoomName('join-newpass-bad');
    const invitePass = stockPassword();
    const { owner } = await openRoom(url, room, 'olive', [], opts());
    await invite(url, owner, 'bob', invitePass, opts());
    const asOwner = await joinCall(room, 'olive', owner.pass, { newpass: stockPassword() });
    expect(asOwner.json).toMatchObject({ status: 'ok', newpass: 'unchanged' });
    expectRefused(await joinCall(room, 'bob', invitePass, { newpass: 'short' }), 400);
    expect((await joinCall(room, 'bob', invitePass)).status).toBe(200);
    expect((await joinCall(room, 'olive', owner.pass)).status).toBe(200);
  });

  it('is announced in serverInfo', async () => {
    const info = await call(fixture.server.url, 'serverInfo', {}, opts());
    expect(info.json?.extensions).toContain('joinnewpass');
  });
});
