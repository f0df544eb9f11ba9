import type https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_USER, type MessageRow } from '../../../src-shared/protocol';
import type { RunningServer } from '../index';
import {
  createRoom,
  drain,
  expectRefused,
  fakeCiphertext,
  invite,
  join,
  type Member,
  openRoom,
  poll,
  readCiphertext,
  send,
  session,
  stockPassword,
  uniqueRoomName,
} from '../testing/member-fixture';
import { testAgent } from '../testing/raw-client';
import { call, startTestServer, systemTexts } from '../testing/server-fixture';

/**
 * Names that the wire or the screen can mistake for others (issue 10, items 8-11): the room-wide
 * marker "0", look-alikes of members and of SYSTEM, a second sign-in under someone's name, and a
 * join that deleted what others had not fetched yet.
 */

let server: RunningServer;
let url: string;
let agent: https.Agent;
let clockOffsetMs = 0;

beforeAll(async () => {
  ({ server } = await startTestServer({
    clock: () => Date.now() + clockOffsetMs,
    createThrottle: { perAddress: 1000 },
  }));
  url = server.url;
  agent = testAgent({ maxSockets: 4 });
});

afterAll(async () => {
  agent.destroy();
  await server.close();
});

const opts = () => ({ agent });
const userTexts = (rows: MessageRow[]) =>
  rows.filter((r) => r[3] !== SYSTEM_USER).map((r) => readCiphertext(r[1]));

function inviteCall(by: Member, name: string) {
  return call(url, 'inviteUser', { ...session(by), invite: name, pass: stockPassword() }, opts());
}

describe('the room-wide marker "0" is no user name', () => {
  it('cannot own a room, be invited or join, and a DM to it is refused', async () => {
    expectRefused(
      await call(
        url,
        'createRoom',
        { roomName: uniqueRoomName('zero'), owner: '0', pass: stockPassword() },
        opts(),
      ),
      403,
    );
    const room = uniqueRoomName('zero');
    const { owner, members } = await openRoom(url, room, 'olive', ['bob'], opts());
    expectRefused(await inviteCall(owner, '0'), 403);
    expectRefused(
      await call(url, 'joinRoom', { roomName: room, user: '0', userpass: 'x' }, opts()),
      403,
    );
    const bob = members[0]!;
    const before = await drain(url, bob, 0, opts());
    expectRefused(
      await call(
        url,
        'sendDirectMsg',
        { ...session(owner), msg: fakeCiphertext('to zero'), to: '0' },
        opts(),
      ),
      400,
    );
    const last = Math.max(...before.map((r) => r[0]));
    expect(userTexts(await drain(url, bob, last, opts()))).toEqual([]);
  });
});

describe('look-alike names', () => {
  it('refuses invisible characters, bidi controls and odd spaces in a name (400)', async () => {
    const { owner } = await openRoom(url, uniqueRoomName('invisible'), 'olive', ['alice'], opts());
    for (const name of [
      'alice\u200b',
      'SYSTEM\u200b',
      '\u202eecila',
      'bob\u2066x\u2069',
      'al\u00adice',
      'alice\u3164',
      'alice ',
      ' alice',
      'a  b',
      'a\u00a0b',
    ]) {
      expectRefused(await inviteCall(owner, name), 400);
    }
  });

  it('refuses half a surrogate pair in a name (400), which would read back as U+FFFD like others', async () => {
    const { owner } = await openRoom(url, uniqueRoomName('surrogate'), 'olive', ['alice'], opts());
    for (const name of ['x\ud800', 'x\ud801', '\udc00x', 'a\ud83db'])
      expectRefused(await inviteCall(owner, name), 400);
    // A whole pair is one character, an emoji here: fine.
    expect((await inviteCall(owner, 'x\ud83d\ude00')).status).toBe(200);
  });

  it('refuses a name confusable with a member (UTS #39 skeleton), invited or joined (400)', async () => {
    const room = uniqueRoomName('lookalike');
    const { owner } = await openRoom(url, room, 'olive', ['alice'], opts());
    await invite(url, owner, 'mary', stockPassword(), opts());
    // Cyrillic а, Latin "rn" for "m", Greek omicron for o, decomposed é for the composed one.
    await invite(url, owner, 'ren\u00e9', stockPassword(), opts());
    for (const name of ['\u0430lice', 'rnary', '\u03bflive', 'rene\u0301']) {
      expectRefused(await inviteCall(owner, name), 400);
    }
    // Not confusable with anyone here: other scripts and other ASCII names are fine.
    for (const name of ['Дмитрий', '李雷', 'ΑΘΗΝΑ', 'alice2', 'bob_the-builder.1']) {
      expect((await inviteCall(owner, name)).status).toBe(200);
    }
  });

  it('refuses the look-alikes issue 21 found accepted: blanks, small capitals, marks, capitals', async () => {
    const { owner } = await openRoom(url, uniqueRoomName('lookalike3'), 'olive', ['alice'], opts());
    const refusals: Record<string, number> = {};
    for (const name of [
      'SYSTEM\u2800',
      '\u2800alice',
      'al\u2800ice',
      '\ua731\u028f\ua731\u1d1b\u1d07\u1d0d',
      'ali\u0307ce',
      'alic\u0323e',
      'ALICE',
      'Alice',
      'alice\u1cbc',
      'alice\u0f0c',
      'alice\u{1d159}',
      'my system',
    ]) {
      const res = await inviteCall(owner, name);
      refusals[name] = res.status;
      expect(res.body).toBe('');
    }
    // 403 for what passes for SYSTEM (with the room's sysalert), 400 for everything else.
    expect(refusals).toEqual({
      'SYSTEM\u2800': 400,
      '\u2800alice': 400,
      'al\u2800ice': 400,
      '\ua731\u028f\ua731\u1d1b\u1d07\u1d0d': 403,
      'ali\u0307ce': 400,
      'alic\u0323e': 400,
      ALICE: 400,
      Alice: 400,
      'alice\u1cbc': 400,
      'alice\u0f0c': 400,
      'alice\u{1d159}': 400,
      'my system': 403,
    });
  });

  it('treats a look-alike of SYSTEM like SYSTEM: 403 with a sysalert, as owner too', async () => {
    const { owner } = await openRoom(url, uniqueRoomName('system'), 'olive', [], opts());
    // Cyrillic Ѕ and Е, Greek Υ and Τ and Μ.
    const lookalike = '\u0405\u03a5\u0405\u03a4\u0415\u039c';
    expectRefused(await inviteCall(owner, lookalike), 403);
    expectRefused(
      await call(
        url,
        'createRoom',
        { roomName: uniqueRoomName('system'), owner: lookalike, pass: stockPassword() },
        opts(),
      ),
      403,
    );
  });

  it('stores names in NFC: a decomposed name signs in to the composed account', async () => {
    const room = uniqueRoomName('nfc');
    const { owner } = await openRoom(url, room, 'olive', [], opts());
    const pass = stockPassword();
    await invite(url, owner, 'ren\u00e9', pass, opts());
    const rene = await join(url, room, 'rene\u0301', pass, opts());
    await send(url, rene, 'bonjour', opts());
    const rows = await drain(url, owner, owner.joinedLast, opts());
    expect(rows.filter((r) => r[3] !== SYSTEM_USER).map((r) => r[3])).toEqual(['ren\u00e9']);
  });
});

describe('signing in under a name already in the room', () => {
  it('tells the displaced session why, once, and warns the room', async () => {
    const room = uniqueRoomName('elsewhere');
    const pass = stockPassword();
    const { owner } = await openRoom(url, room, 'olive', [], opts());
    await invite(url, owner, 'bob', pass, opts());
    const bob = await join(url, room, 'bob', pass, opts());
    // Someone else who holds bob's password: the inviter chose it.
    await join(url, room, 'bob', pass, opts());
    expect(await poll(url, bob, 0, opts())).toEqual({
      kind: 'errmessage',
      text: 'Your name was signed in elsewhere',
    });
    expect((await poll(url, bob, 0, opts())).kind).toBe('refused');
    expect(await systemTexts(await drain(url, owner, owner.joinedLast, opts()), owner)).toContain(
      'User "bob" signed in again elsewhere; the earlier session was signed out',
    );
  });

  it('setPassword: once replaced, the inviter cannot sign in as the member any more', async () => {
    const room = uniqueRoomName('ownpass');
    const invitePass = stockPassword();
    const { owner } = await openRoom(url, room, 'olive', [], opts());
    await invite(url, owner, 'bob', invitePass, opts());
    const bob = await join(url, room, 'bob', invitePass, opts());
    const own = stockPassword();
    const res = await call(url, 'setPassword', { ...session(bob), newpass: own }, opts());
    expect(res.json).toEqual({ status: 'ok' });
    expectRefused(
      await call(url, 'joinRoom', { roomName: room, user: 'bob', userpass: invitePass }, opts()),
      403,
    );
    // Once only: a second replacement (say with a stolen session key) is refused.
    expectRefused(
      await call(url, 'setPassword', { ...session(bob), newpass: stockPassword() }, opts()),
      400,
    );
    const again = await join(url, room, 'bob', own, opts());
    expect((await poll(url, again, 0, opts())).kind).toBe('rows');
  });

  it('setPassword is refused for the owner, a weak password and a bad session', async () => {
    const { owner, members } = await openRoom(
      url,
      uniqueRoomName('ownpass'),
      'olive',
      ['bob'],
      opts(),
    );
    const bob = members[0]!;
    expectRefused(
      await call(url, 'setPassword', { ...session(owner), newpass: stockPassword() }, opts()),
      400,
    );
    expectRefused(
      await call(url, 'setPassword', { ...session(bob), newpass: 'short' }, opts()),
      400,
    );
    expectRefused(
      await call(
        url,
        'setPassword',
        { ...session(bob), sesskey: `${bob.room}-forged`, newpass: stockPassword() },
        opts(),
      ),
      403,
    );
  });
});

describe('a join keeps what others have not fetched', () => {
  it('bob, offline for 11 s while carol joins, still gets all 5 messages', async () => {
    const room = uniqueRoomName('offline');
    const { owner, members } = await openRoom(url, room, 'olive', ['bob'], opts());
    const bob = members[0]!;
    const seen = await drain(url, bob, 0, opts());
    const bobLast = Math.max(...seen.map((r) => r[0]));
    for (let i = 1; i <= 5; i++) await send(url, owner, `m${i}`, opts());
    clockOffsetMs += 11_000;
    try {
      const pass = stockPassword();
      await invite(url, owner, 'carol', pass, opts());
      const carol = await join(url, room, 'carol', pass, opts());
      expect(userTexts(await drain(url, bob, bobLast, opts()))).toEqual([
        'm1',
        'm2',
        'm3',
        'm4',
        'm5',
      ]);
      // The newcomer still cannot read back past 10 s before the join.
      expect(userTexts(await drain(url, carol, 0, opts()))).toEqual([]);
      await send(url, owner, 'after', opts());
      expect(userTexts(await drain(url, carol, 0, opts()))).toEqual(['after']);
    } finally {
      clockOffsetMs -= 11_000;
    }
  });
});

describe('serverInfo instance', () => {
  it('is the same on every call of one server and differs for another server', async () => {
    const a = await call(url, 'serverInfo', {}, opts());
    const b = await call(url, 'serverInfo', {}, opts());
    expect(a.json?.instance).toEqual(expect.any(String));
    expect(b.json?.instance).toBe(a.json?.instance);
    expect(a.json?.extensions).toContain('setpassword');
    const { server: other } = await startTestServer();
    try {
      const c = await call(other.url, 'serverInfo', {}, opts());
      expect(c.json?.instance).toEqual(expect.any(String));
      expect(c.json?.instance).not.toBe(a.json?.instance);
    } finally {
      await other.close();
    }
  });
});

describe('the owner creating with a name', () => {
  it('accepts ASCII and non-Latin owner names', async () => {
    for (const ownerName of ['olive', 'Ольга', '美咲']) {
      const room = uniqueRoomName('owner');
      await createRoom(url, room, ownerName, stockPassword(), opts());
    }
  });
});
