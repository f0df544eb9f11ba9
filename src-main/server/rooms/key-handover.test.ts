import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeMemberKey } from '../../../src-shared/crypto/memberKey';
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
import { MAX_HANDOVERS_PER_MEMBER } from './key-handover';

const fixture = useTestServer({ createThrottle: { perAddress: 1000 } });
const opts = () => ({ agent: fixture.agent });
const url = () => fixture.server.url;
const box = (tag = 'a') => Buffer.from(`${tag}`.padEnd(60, '.')).toString('base64url');

async function publish(m: Member, key = encodeMemberKey(randomBytes(32))) {
  expect(
    (await call(url(), 'publishKey', { ...session(m), key, client: 'browser' }, opts())).status,
  ).toBe(200);
  return key;
}
const hand = (from: Member, to: string, sealed = box()) =>
  call(url(), 'handKey', { ...session(from), to, box: sealed }, opts());
async function take(m: Member) {
  const res = await call(url(), 'takeKeys', session(m), opts());
  expect(res.status).toBe(200);
  return res.json?.keys as { from: string; box: string }[];
}

async function room(names = ['bob', 'kim']) {
  const { owner, members } = await openRoom(url(), uniqueRoomName('hand'), 'olive', names, opts());
  return { owner, members: members as [Member, Member] };
}

describe('handKey / takeKeys deliver a sealed room key to one member only', () => {
  it('delivers to the named member once, with the sender the server saw', async () => {
    const {
      owner,
      members: [bob, kim],
    } = await room();
    await publish(bob);
    expect((await hand(owner, 'bob', box('x'))).status).toBe(200);
    // Nobody else sees it: not kim, not the sender.
    expect(await take(kim)).toEqual([]);
    expect(await take(owner)).toEqual([]);
    expect(await take(bob)).toEqual([{ from: 'olive', box: box('x') }]);
    expect(await take(bob)).toEqual([]);
  });

  it('refuses a recipient without a key, outside the room, oneself, and non-members', async () => {
    const {
      owner,
      members: [bob],
    } = await room();
    expectRefused(await hand(owner, 'bob'), 400); // no key published yet
    expectRefused(await hand(owner, 'nobody'), 400);
    await publish(owner);
    expectRefused(await hand(owner, 'olive'), 400);
    // A member of another room cannot hand into this one, nor take from it.
    const other = await room();
    await publish(bob);
    expectRefused(
      await call(
        url(),
        'handKey',
        { ...session(other.owner), roomName: bob.room, to: 'bob', box: box() },
        opts(),
      ),
      403,
    );
    expect((await hand(other.owner, 'bob')).status).toBe(400); // no bob with a key over there
    expect(await take(bob)).toEqual([]);
    expectRefused(
      await call(url(), 'takeKeys', { ...session(bob), sesskey: 'x'.repeat(20) }, opts()),
      403,
    );
  });

  it('bounds what waits for one member, one box per sender, and the box size', async () => {
    const names = ['bob', 'kim', 'lee', 'max', 'ned', 'ora'];
    const { owner, members } = await openRoom(
      url(),
      uniqueRoomName('hand'),
      'olive',
      names,
      opts(),
    );
    const [bob, ...others] = members as Member[];
    await publish(bob!);
    // The same sender again replaces its box.
    expect((await hand(owner, 'bob', box('1'))).status).toBe(200);
    expect((await hand(owner, 'bob', box('2'))).status).toBe(200);
    const senders = others.slice(0, MAX_HANDOVERS_PER_MEMBER - 1);
    for (const m of senders) expect((await hand(m, 'bob')).status).toBe(200);
    expectRefused(await hand(others[MAX_HANDOVERS_PER_MEMBER - 1]!, 'bob'), [503]);
    const got = await take(bob!);
    expect(got).toHaveLength(MAX_HANDOVERS_PER_MEMBER);
    expect(got[0]).toEqual({ from: 'olive', box: box('2') });
    expectRefused(await hand(owner, 'bob', 'A'.repeat(721)), 400);
    expectRefused(await hand(owner, 'bob', 'not base64url!'.repeat(4)), 400);
  });

  it('a box handed to one join is gone for the next (rejoin, new key)', async () => {
    const { owner } = await room([]);
    const pass = stockPassword();
    await invite(url(), owner, 'bob', pass, opts());
    const first = await join(url(), owner.room, 'bob', pass, opts());
    await publish(first);
    expect((await hand(owner, 'bob')).status).toBe(200);
    const again = await join(url(), owner.room, 'bob', pass, opts());
    await publish(again);
    expect(await take(again)).toEqual([]);
  });

  it('nothing is handed to or by a newcomer still waiting in the lobby', async () => {
    const name = uniqueRoomName('hand');
    const ownerPass = stockPassword();
    await call(
      url(),
      'createRoom',
      { roomName: name, owner: 'olive', pass: ownerPass, admission: true },
      opts(),
    );
    const owner = await join(url(), name, 'olive', ownerPass, opts());
    const pass = stockPassword();
    await invite(url(), owner, 'bob', pass, opts());
    const bob = await join(url(), name, 'bob', pass, opts());
    await publish(bob);
    await publish(owner);
    expectRefused(await hand(owner, 'bob'), 403);
    expectRefused(await hand(bob, 'olive'), 403);
    expect(await take(bob)).toEqual([]);
    await call(url(), 'admitMember', { ...session(owner), member: 'bob', admit: true }, opts());
    expect((await hand(owner, 'bob')).status).toBe(200);
    expect(await take(bob)).toHaveLength(1);
  });
});
