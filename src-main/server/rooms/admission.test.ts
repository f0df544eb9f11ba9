import { describe, expect, it } from 'vitest';
import { SYSTEM_USER, type MessageRow } from '../../../src-shared/protocol';
import {
  drain,
  expectRefused,
  fakeCiphertext,
  invite,
  join,
  type Member,
  poll,
  readCiphertext,
  send,
  session,
  stockPassword,
  uniqueRoomName,
} from '../testing/member-fixture';
import { call, systemTexts, useTestServer } from '../testing/server-fixture';
import { ADMISSION_OFF, NOTICE_REFUSED } from './admission';

const fixture = useTestServer({ createThrottle: { perAddress: 1000 } });
const opts = () => ({ agent: fixture.agent });
const userTexts = (rows: MessageRow[]) =>
  rows.filter((r) => r[3] !== SYSTEM_USER).map((r) => readCiphertext(r[1]));

/** A room that asks before each join, its owner in it, and newcomers invited (not joined). */
async function askingRoom(names: string[]) {
  const url = fixture.server.url;
  const room = uniqueRoomName('lobby');
  const ownerPass = stockPassword();
  // As the app and the page create rooms: with the admission field.
  const created = await call(
    url,
    'createRoom',
    { roomName: room, owner: 'olive', pass: ownerPass, admission: true },
    opts(),
  );
  expect(created.status).toBe(200);
  const owner = await join(url, room, 'olive', ownerPass, opts());
  const passes = new Map<string, string>();
  for (const name of names) {
    const pass = stockPassword();
    await invite(url, owner, name, pass, opts());
    passes.set(name, pass);
  }
  return { url, owner, passes, room };
}

async function joinWaiting(url: string, room: string, user: string, pass: string) {
  const res = await call(url, 'joinRoom', { roomName: room, user, userpass: pass }, opts());
  expect(res.json).toMatchObject({ status: 'ok', waiting: true });
  const json = res.json as { session: string; syskey: string; last: number };
  return {
    room,
    user,
    pass,
    sesskey: json.session,
    syskey: json.syskey,
    joinedLast: json.last,
  } satisfies Member;
}

describe('a room that asks before each join', () => {
  it('keeps a newcomer in the lobby until the owner admits them; then they read from there on', async () => {
    const { url, owner, passes, room } = await askingRoom(['bob']);
    const bob = await joinWaiting(url, room, 'bob', passes.get('bob')!);
    // The room hears that bob waits; bob hears nothing, not even SYSTEM, and sends nothing.
    expect(await systemTexts(await drain(url, owner, owner.joinedLast, opts()), owner)).toContain(
      'User "bob" is waiting to join',
    );
    await send(url, owner, 'before admission', opts());
    expect(await poll(url, bob, 0, opts())).toEqual({ kind: 'unchanged' });
    expectRefused(
      await call(url, 'sendMsg', { ...session(bob), msg: fakeCiphertext('x') }, opts()),
      403,
    );
    expectRefused(
      await call(
        url,
        'sendDirectMsg',
        { ...session(bob), msg: fakeCiphertext('x'), to: 'olive' },
        opts(),
      ),
      403,
    );
    expectRefused(await call(url, 'listMembers', session(bob), opts()), 403);
    expectRefused(
      await call(
        url,
        'inviteUser',
        { ...session(bob), invite: 'eve', pass: stockPassword() },
        opts(),
      ),
      403,
    );
    // Nobody but the owner decides, bob least of all.
    expectRefused(
      await call(url, 'admitMember', { ...session(bob), member: 'bob', admit: true }, opts()),
      403,
    );
    const listed = await call(url, 'listMembers', session(owner), opts());
    expect(listed.json).toEqual({
      status: 'ok',
      members: [
        { user: 'bob', owner: false, waiting: true },
        { user: 'olive', owner: true },
      ],
      admission: true,
    });

    expect(
      (await call(url, 'admitMember', { ...session(owner), member: 'bob', admit: true }, opts()))
        .status,
    ).toBe(200);
    await send(url, owner, 'after admission', opts());
    const rows = await drain(url, bob, bob.joinedLast, opts());
    expect(userTexts(rows)).toEqual(['after admission']);
    expect(await systemTexts(rows, bob)).toEqual(['User "bob" joined the room']);
    expect(
      (await call(url, 'sendMsg', { ...session(bob), msg: fakeCiphertext('hi') }, opts())).status,
    ).toBe(200);
    // Admitted once is admitted: a second decision is a bad request.
    expectRefused(
      await call(url, 'admitMember', { ...session(owner), member: 'bob', admit: true }, opts()),
      400,
    );
  });

  it('a refused newcomer gets the one-time notice, then 403, and is gone from the list', async () => {
    const { url, owner, passes, room } = await askingRoom(['kim']);
    const kim = await joinWaiting(url, room, 'kim', passes.get('kim')!);
    expect(
      (await call(url, 'admitMember', { ...session(owner), member: 'kim', admit: false }, opts()))
        .status,
    ).toBe(200);
    expect(await poll(url, kim, 0, opts())).toEqual({ kind: 'errmessage', text: NOTICE_REFUSED });
    expect(await poll(url, kim, 0, opts())).toMatchObject({ kind: 'refused', status: 403 });
    const listed = await call(url, 'listMembers', session(owner), opts());
    expect(listed.json?.members).toEqual([{ user: 'olive', owner: true }]);
    expect(await systemTexts(await drain(url, owner, owner.joinedLast, opts()), owner)).toContain(
      'User "olive" did not admit "kim"',
    );
  });

  it('the stock client waits with the stock answers: 200 unchanged polls, no new field', async () => {
    const { url, owner, passes, room } = await askingRoom(['kim']);
    const kim = await joinWaiting(url, room, 'kim', passes.get('kim')!);
    const res = await call(url, 'pollMsg', { ...session(kim), mylast: kim.joinedLast }, opts());
    expect(res.body).toBe(JSON.stringify({ status: 'unchanged', last: kim.joinedLast }));
    await call(url, 'admitMember', { ...session(owner), member: 'kim', admit: true }, opts());
    expect(await systemTexts(await drain(url, kim, kim.joinedLast, opts()), kim)).toEqual([
      'User "kim" joined the room',
    ]);
  });

  it('only the owner turns it off, which lets everyone waiting in; a room without it never waits', async () => {
    const { url, owner, passes, room } = await askingRoom(['bob', 'kim']);
    const bob = await joinWaiting(url, room, 'bob', passes.get('bob')!);
    expectRefused(await call(url, 'setAdmission', { ...session(bob), on: false }, opts()), 403);
    expectRefused(await call(url, 'setAdmission', { ...session(owner), on: true }, opts()), 400);
    expect((await call(url, 'setAdmission', { ...session(owner), on: false }, opts())).status).toBe(
      200,
    );
    const texts = await systemTexts(await drain(url, owner, owner.joinedLast, opts()), owner);
    expect(texts.slice(-2)).toEqual([ADMISSION_OFF, 'User "bob" joined the room']);
    expect(
      (await call(url, 'sendMsg', { ...session(bob), msg: fakeCiphertext('in') }, opts())).status,
    ).toBe(200);
    const kim = await join(url, room, 'kim', passes.get('kim')!, opts());
    expect((await call(url, 'listMembers', session(kim), opts())).status).toBe(200);
  });

  it('a waiting newcomer publishes their key, so the owner can compare words', async () => {
    const { url, owner, passes, room } = await askingRoom(['bob']);
    const bob = await joinWaiting(url, room, 'bob', passes.get('bob')!);
    const key = `${'A'.repeat(42)}A`;
    expect(
      (await call(url, 'publishKey', { ...session(bob), key, client: 'browser' }, opts())).status,
    ).toBe(200);
    const listed = await call(url, 'listMembers', session(owner), opts());
    expect(listed.json?.members).toContainEqual({
      user: 'bob',
      owner: false,
      waiting: true,
      key,
      client: 'browser',
    });
  });
});
