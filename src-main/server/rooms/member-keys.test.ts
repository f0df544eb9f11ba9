import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeMemberKey } from '../../../src-shared/crypto/memberKey';
import { RoomStore } from '../store/room-store';
import {
  expectRefused,
  invite,
  join,
  type Member,
  openRoom,
  session,
  stockPassword,
  uniqueRoomName,
} from '../testing/member-fixture';
import { call, useTestServer } from '../testing/server-fixture';
import { LongPollRegistry } from './long-poll';
import { MemberKeys } from './member-keys';

const fixture = useTestServer({ createThrottle: { perAddress: 1000 } });
const opts = () => ({ agent: fixture.agent });
const newKey = () => encodeMemberKey(randomBytes(32));

function publish(m: Member, key = newKey(), client = 'browser') {
  return call(fixture.server.url, 'publishKey', { ...session(m), key, client }, opts());
}

async function listed(m: Member) {
  const res = await call(fixture.server.url, 'listMembers', session(m), opts());
  return res.json?.members as { user: string; owner: boolean; key?: string; client?: string }[];
}

async function pollKeys(m: Member, extra: Record<string, unknown> = {}) {
  return call(
    fixture.server.url,
    'pollMsg',
    { ...session(m), mylast: 1e9, keys: true, ...extra },
    opts(),
  );
}

describe('publishKey binds a member key to the caller’s session', () => {
  it('hands each member’s current key to every member; a member without one has none', async () => {
    const { owner, members } = await openRoom(
      fixture.server.url,
      uniqueRoomName('keys'),
      'olive',
      ['bob', 'kim'],
      opts(),
    );
    const [bob] = members as [Member, Member];
    const ownerKey = newKey();
    const bobKey = newKey();
    expect((await publish(owner, ownerKey, 'app')).status).toBe(200);
    expect((await publish(bob, bobKey)).status).toBe(200);
    const seen = await listed(bob);
    expect(seen).toEqual([
      { user: 'bob', owner: false, key: bobKey, client: 'browser' },
      { user: 'kim', owner: false },
      { user: 'olive', owner: true, key: ownerKey, client: 'app' },
    ]);
    expect(await listed(owner)).toEqual(seen);
  });

  it('once per session: a second key is refused and the first stays; a new join may publish again', async () => {
    const url = fixture.server.url;
    const room = uniqueRoomName('keys');
    const { owner } = await openRoom(url, room, 'olive', [], opts());
    const pass = stockPassword();
    await invite(url, owner, 'bob', pass, opts());
    const bob = await join(url, room, 'bob', pass, opts());
    const first = newKey();
    expect((await publish(bob, first)).status).toBe(200);
    expectRefused(await publish(bob), 400);
    expect((await listed(owner)).find((m) => m.user === 'bob')?.key).toBe(first);

    const again = await join(url, room, 'bob', pass, opts());
    expect((await listed(owner)).find((m) => m.user === 'bob')?.key).toBeUndefined();
    const second = newKey();
    expect((await publish(again, second)).status).toBe(200);
    expect((await listed(owner)).find((m) => m.user === 'bob')?.key).toBe(second);
    // The displaced session cannot publish for the name any more.
    expectRefused(await publish(bob), 403);
  });

  it('nobody publishes for another member: another’s session, a forged one, another room’s', async () => {
    const url = fixture.server.url;
    const { owner, members } = await openRoom(
      url,
      uniqueRoomName('keys'),
      'olive',
      ['bob'],
      opts(),
    );
    const [bob] = members as [Member];
    const { owner: elsewhere } = await openRoom(url, uniqueRoomName('keys'), 'bob', [], opts());
    expectRefused(await publish({ ...bob, user: 'olive' }), 403);
    expectRefused(await publish({ ...bob, sesskey: `${bob.room}-${'A'.repeat(48)}` }), 403);
    expectRefused(await publish({ ...elsewhere, room: bob.room }), 403);
    expect((await listed(owner)).every((m) => m.key === undefined)).toBe(true);
  });

  it('refuses anything but one X25519 key in its one spelling, and unknown client kinds', async () => {
    const url = fixture.server.url;
    const { owner } = await openRoom(url, uniqueRoomName('keys'), 'olive', [], opts());
    const key = newKey();
    for (const bad of [
      `${key}A`,
      key.slice(1),
      `${key.slice(0, 42)}B`,
      Buffer.from(randomBytes(32)).toString('base64'),
      'A'.repeat(100_000),
      '',
    ])
      expectRefused(await publish(owner, bad), 400);
    expectRefused(await publish(owner, key, 'python'), 400);
    expectRefused(await call(url, 'publishKey', session(owner), opts()), 400);
    expect((await publish(owner, key)).status).toBe(200);
  });

  it('leaves with the session: leave, kick and ban drop the key', async () => {
    const url = fixture.server.url;
    const { owner, members } = await openRoom(
      url,
      uniqueRoomName('keys'),
      'olive',
      ['bob', 'kim', 'leo'],
      opts(),
    );
    const [bob, kim, leo] = members as [Member, Member, Member];
    for (const m of [bob, kim, leo]) expect((await publish(m)).status).toBe(200);
    expect((await call(url, 'leaveRoom', session(bob), opts())).status).toBe(200);
    expect((await call(url, 'kickUser', { ...session(owner), kick: 'kim' }, opts())).status).toBe(
      200,
    );
    expect((await call(url, 'banUser', { ...session(owner), kick: 'leo' }, opts())).status).toBe(
      200,
    );
    expect(await listed(owner)).toEqual([{ user: 'olive', owner: true }]);
    // Back in with the same password: no key until the new session publishes one.
    const back = await join(url, bob.room, 'bob', bob.pass, opts());
    expect((await listed(back)).find((m) => m.user === 'bob')?.key).toBeUndefined();
  });
});

describe('publications are announced to LocalChat pollers only', () => {
  it('a poll that asks carries the count; the stock client’s poll answer is unchanged', async () => {
    const url = fixture.server.url;
    const { owner, members } = await openRoom(
      url,
      uniqueRoomName('keys'),
      'olive',
      ['bob'],
      opts(),
    );
    const [bob] = members as [Member];
    expect((await pollKeys(owner)).json).toEqual({ status: 'unchanged', last: 1e9, keys: 0 });
    expect((await publish(bob)).status).toBe(200);
    expect((await pollKeys(owner)).json).toEqual({ status: 'unchanged', last: 1e9, keys: 1 });
    const rows = await pollKeys(owner, { mylast: 0 });
    expect(rows.json).toMatchObject({ status: 'updated', keys: 1 });
    // The stock client's answers: byte for byte as before, no new field.
    const stock = await call(url, 'pollMsg', { ...session(owner), mylast: 1e9 }, opts());
    expect(stock.body).toBe(JSON.stringify({ status: 'unchanged', last: 1e9 }));
    const stockRows = await call(url, 'pollMsg', { ...session(owner), mylast: 0 }, opts());
    expect(stockRows.body).not.toContain('"keys"');
  });

  it('a publication answers every held poll of the room at once', async () => {
    const url = fixture.server.url;
    const { owner, members } = await openRoom(
      url,
      uniqueRoomName('keys'),
      'olive',
      ['bob'],
      opts(),
    );
    const [bob] = members as [Member];
    // Held for up to 30 s: only the publication's wake-up answers it within the test's timeout.
    const held = pollKeys(owner, { wait: 30 });
    await expect.poll(() => fixture.server.heldPolls?.()).toBeGreaterThan(0);
    expect((await publish(bob)).status).toBe(200);
    expect((await held).json).toEqual({ status: 'unchanged', last: 1e9, keys: 1 });
  });
});

describe('member keys in memory', () => {
  it('at most one per session, and none left once the room is closed', () => {
    const store = new RoomStore({
      messagesPerRoom: 10,
      messageBytesPerRoom: 1000,
      messageBytesPerServer: 10_000,
    });
    const keys = new MemberKeys(store, new LongPollRegistry());
    const roomId = store.createRoom('r', 'olive', 'hash', 0);
    store.enterRoom(roomId, 'olive', Buffer.alloc(32), 0);
    keys.publish(roomId, 'olive', newKey(), 'app');
    expect(() => keys.publish(roomId, 'olive', newKey(), 'app')).toThrow();
    // No session, no key: a member who is not in the room cannot leave one behind.
    store.addAccount(roomId, 'bob', 'hash');
    expect(() => keys.publish(roomId, 'bob', newKey(), 'app')).toThrow();
    expect(store.memberKeys(roomId).size).toBe(1);
    expect(keys.publications(roomId)).toBe(1);
    store.deleteRoom(roomId);
    expect(store.memberKeys(roomId).size).toBe(0);
    expect(keys.publications(roomId)).toBe(0);
    store.close();
  });
});
