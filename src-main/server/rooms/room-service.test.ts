import { isUtf8 } from 'node:buffer';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOM_WIDE, SYSTEM_USER, type MessageRow } from '../../../src-shared/protocol';
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
import { call, startTestServer, systemText, systemTexts } from '../testing/server-fixture';

let server: RunningServer;
let url: string;
let agent: https.Agent;
/** Shifted forward by tests that need time to pass. */
let clockOffsetMs = 0;

beforeAll(async () => {
  // One server for every test, all from one address: past the createRoom limit for people.
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
const ids = (rows: MessageRow[]) => rows.map((r) => r[0]);

describe('createRoom', () => {
  it('answers ok with the room id and name, for payload as object and as string', async () => {
    const a = uniqueRoomName('create');
    const res = await call(
      url,
      'createRoom',
      { roomName: a, owner: 'olive', pass: stockPassword() },
      opts(),
    );
    expect(res.json).toMatchObject({ status: 'ok', name: a, roomid: expect.any(Number) });
    const b = uniqueRoomName('create');
    const res2 = await call(
      url,
      'createRoom',
      { roomName: b, owner: 'olive', pass: stockPassword() },
      { ...opts(), payloadAsString: true },
    );
    expect(res2.json).toMatchObject({ status: 'ok', name: b });
    expect(res2.json?.roomid).toBeGreaterThan(res.json?.roomid as number);
  });

  it('refuses a duplicate name (400), SYSTEM as owner (403) and a missing field (400)', async () => {
    const room = uniqueRoomName('dup');
    await createRoom(url, room, 'olive', stockPassword(), opts());
    expectRefused(
      await call(url, 'createRoom', { roomName: room, owner: 'x', pass: 'p' }, opts()),
      400,
    );
    expectRefused(
      await call(
        url,
        'createRoom',
        { roomName: uniqueRoomName('s'), owner: SYSTEM_USER, pass: 'p' },
        opts(),
      ),
      403,
    );
    expectRefused(
      await call(url, 'createRoom', { roomName: uniqueRoomName('m'), owner: 'x' }, opts()),
      400,
    );
    expectRefused(
      await call(url, 'createRoom', { roomName: uniqueRoomName('t'), owner: 7, pass: 'p' }, opts()),
      400,
    );
  });
});

describe('joinRoom', () => {
  it('hands out a ROOM- session key, the syskey, and a last that shows the newcomer its own join notice', async () => {
    const room = uniqueRoomName('join');
    const { owner } = await openRoom(url, room, 'olive', [], opts());
    expect(owner.sesskey).toMatch(new RegExp(`^${room}-[A-Za-z0-9]{48}$`));
    expect(owner.syskey).toMatch(/^[A-Za-z0-9]{16}$/);
    const rows = await drain(url, owner, owner.joinedLast, opts());
    expect(rows).toHaveLength(1);
    expect(rows[0]![3]).toBe(SYSTEM_USER);
    expect(rows[0]![4]).toBe(ROOM_WIDE);
    expect(await systemText(rows[0]![1], owner.syskey)).toEqual({
      text: 'User "olive" joined the room',
      verb: 'sysinfo',
    });
  });

  it('answers NOK for an unknown user, 403 for a wrong password or SYSTEM, 400 for an unknown room', async () => {
    const room = uniqueRoomName('joinbad');
    await openRoom(url, room, 'olive', ['amy'], opts());
    const nok = await call(
      url,
      'joinRoom',
      { roomName: room, user: 'nobody', userpass: 'x' },
      opts(),
    );
    expect(nok.status).toBe(200);
    expect(nok.json).toEqual({ status: 'NOK' });
    expectRefused(
      await call(url, 'joinRoom', { roomName: room, user: 'amy', userpass: 'WRONG' }, opts()),
      403,
    );
    expectRefused(
      await call(url, 'joinRoom', { roomName: room, user: SYSTEM_USER, userpass: 'x' }, opts()),
      403,
    );
    expectRefused(
      await call(
        url,
        'joinRoom',
        { roomName: uniqueRoomName('none'), user: 'amy', userpass: 'x' },
        opts(),
      ),
      400,
    );
  });

  it('hides the room history older than 10 s from a newcomer polling from 0', async () => {
    const room = uniqueRoomName('history');
    const { owner } = await openRoom(url, room, 'olive', [], opts());
    await send(url, owner, 'old secret', opts());
    clockOffsetMs += 11_000;
    try {
      await send(url, owner, 'recent', opts());
      const pass = stockPassword();
      await invite(url, owner, 'newbie', pass, opts());
      const newbie = await join(url, room, 'newbie', pass, opts());
      const fromZero = await drain(url, newbie, 0, opts());
      const userTexts = fromZero
        .filter((r) => r[3] !== SYSTEM_USER)
        .map((r) => readCiphertext(r[1]));
      expect(userTexts).toEqual(['recent']);
      // `last` is the newest id before the join notice: the recent message is behind it.
      const fromLast = await drain(url, newbie, newbie.joinedLast, opts());
      expect(await systemTexts(fromLast, newbie)).toEqual(['User "newbie" joined the room']);
    } finally {
      clockOffsetMs -= 11_000;
    }
  });

  it('a second join replaces the session: the old key gets one notice, then 403', async () => {
    const room = uniqueRoomName('rejoin');
    const { owner } = await openRoom(url, room, 'olive', [], opts());
    const again = await join(url, room, 'olive', owner.pass, opts());
    expect(await poll(url, owner, 0, opts())).toEqual({
      kind: 'errmessage',
      text: 'Your name was signed in elsewhere',
    });
    expect((await poll(url, owner, 0, opts())).kind).toBe('refused');
    expect((await poll(url, again, 0, opts())).kind).toBe('rows');
  });
});

describe('messages', () => {
  it('pollMsg returns [id,msg,ts,from,to] rows oldest first, only newer than mylast (number or string)', async () => {
    const room = uniqueRoomName('poll');
    const { owner, members } = await openRoom(url, room, 'olive', ['amy'], opts());
    const amy = members[0]!;
    const before = Date.now() / 1000;
    const first = await send(url, owner, 'one', opts());
    const sent = await call(
      url,
      'sendMsg',
      { ...session(amy), msg: fakeCiphertext('two') },
      { ...opts(), payloadAsString: true },
    );
    expect(sent.json).toMatchObject({ status: 'ok', msgid: expect.any(Number) });
    const second = sent.json?.msgid as number;
    expect(second).toBeGreaterThan(first);

    const res = await call(url, 'pollMsg', { ...session(amy), mylast: first - 1 }, opts());
    const rows = res.json?.messages as MessageRow[];
    expect(ids(rows)).toEqual([first, second]);
    expect(rows.map((r) => readCiphertext(r[1]))).toEqual(['one', 'two']);
    expect(rows.map((r) => [r[3], r[4]])).toEqual([
      ['olive', ROOM_WIDE],
      ['amy', ROOM_WIDE],
    ]);
    for (const r of rows) {
      expect(r[2]).toBeGreaterThanOrEqual(before - 1);
      expect(r[2]).toBeLessThanOrEqual(Date.now() / 1000 + 1);
    }
    const asString = await call(
      url,
      'pollMsg',
      { ...session(amy), mylast: String(first) },
      { ...opts(), payloadAsString: true },
    );
    expect(ids(asString.json?.messages as MessageRow[])).toEqual([second]);
    const unchanged = await call(url, 'pollMsg', { ...session(amy), mylast: second }, opts());
    expect(unchanged.json).toEqual({ status: 'unchanged', last: second });
    expectRefused(await call(url, 'pollMsg', { ...session(amy), mylast: 'abc' }, opts()), 400);
    expectRefused(await call(url, 'pollMsg', { ...session(amy), mylast: -1 }, opts()), 400);
  });

  it('answers a poll in valid UTF-8, byte for byte as JSON.stringify writes it, whatever the names', async () => {
    const room = uniqueRoomName('names');
    // Names the validators allow: quotes, backslashes, markup, emoji, combining marks. (Half a
    // surrogate pair is refused: security/names.test.ts; the store's own guard: room-store.test.ts.)
    const [ownerName, ...memberNames] = ['q"uo\\te \u{1F600}', 'é名</script>', 'x\u0301y'];
    const { owner, members } = await openRoom(url, room, ownerName!, memberNames, opts());
    const start = await send(url, owner, 'hello', opts());
    for (const m of members) {
      const dm = await call(
        url,
        'sendDirectMsg',
        { ...session(m), to: owner.user, msg: fakeCiphertext(`from ${m.user}`) },
        opts(),
      );
      expect(dm.status).toBe(200);
    }
    const res = await call(url, 'pollMsg', { ...session(owner), mylast: start - 1 }, opts());
    expect(isUtf8(res.bytes)).toBe(true);
    expect(res.bytes.toString('latin1')).toBe(
      Buffer.from(JSON.stringify(res.json)).toString('latin1'),
    );
    const rows = res.json?.messages as MessageRow[];
    expect(rows.map((r) => [r[3], r[4]])).toEqual([
      [ownerName, ROOM_WIDE],
      [memberNames[0], ownerName],
      [memberNames[1], ownerName],
    ]);
  });

  it('message ids are shared by all rooms and only grow', async () => {
    const a = await openRoom(url, uniqueRoomName('ida'), 'olive', [], opts());
    const b = await openRoom(url, uniqueRoomName('idb'), 'olive', [], opts());
    const id1 = await send(url, a.owner, 'a1', opts());
    const id2 = await send(url, b.owner, 'b1', opts());
    const id3 = await send(url, a.owner, 'a2', opts());
    expect(id1).toBeLessThan(id2);
    expect(id2).toBeLessThan(id3);
    const rows = await drain(url, a.owner, id1 - 1, opts());
    expect(ids(rows)).toEqual([id1, id3]);
  });

  it('a direct message reaches only its recipient, not the sender nor the others', async () => {
    const room = uniqueRoomName('dm');
    const { owner, members } = await openRoom(url, room, 'olive', ['amy', 'bob'], opts());
    const [amy, bob] = members as [Member, Member];
    const start = await send(url, owner, 'marker', opts());
    const dm = await call(
      url,
      'sendDirectMsg',
      { ...session(amy), to: 'bob', msg: fakeCiphertext('psst') },
      { ...opts(), payloadAsString: true },
    );
    expect(dm.json).toMatchObject({
      status: 'ok',
      msgid: expect.any(Number),
      last: expect.any(Number),
    });
    const bobRows = await drain(url, bob, start, opts());
    expect(bobRows.map((r) => [readCiphertext(r[1]), r[3], r[4]])).toEqual([
      ['psst', 'amy', 'bob'],
    ]);
    expect(await drain(url, amy, start, opts())).toEqual([]);
    expect(await drain(url, owner, start, opts())).toEqual([]);
  });

  it('a direct message to someone not in the room, or to oneself, is 400', async () => {
    const room = uniqueRoomName('dmbad');
    const { owner, members } = await openRoom(url, room, 'olive', ['amy'], opts());
    await invite(url, owner, 'ghost', stockPassword(), opts());
    expect((await call(url, 'leaveRoom', session(members[0]!), opts())).status).toBe(200);
    for (const to of ['ghost', 'amy', 'nobody', 'olive']) {
      expectRefused(
        await call(
          url,
          'sendDirectMsg',
          { ...session(owner), to, msg: fakeCiphertext('x') },
          opts(),
        ),
        400,
      );
    }
  });

  it('refuses non-base64 and oversized messages with 400', async () => {
    const { owner } = await openRoom(url, uniqueRoomName('badmsg'), 'olive', [], opts());
    expectRefused(
      await call(url, 'sendMsg', { ...session(owner), msg: 'not base64!' }, opts()),
      400,
    );
    expectRefused(
      await call(url, 'sendMsg', { ...session(owner), msg: 'A'.repeat(70_000) }, opts()),
      400,
    );
  });
});

describe('inviteUser', () => {
  it('any member may invite; SYSTEM announces it; re-inviting a name is 400', async () => {
    const room = uniqueRoomName('inv');
    const { owner, members } = await openRoom(url, room, 'olive', ['amy'], opts());
    const amy = members[0]!;
    const mark = await send(url, owner, 'mark', opts());
    const res = await call(
      url,
      'inviteUser',
      { ...session(amy), invite: 'carl', pass: stockPassword() },
      { ...opts(), payloadAsString: true },
    );
    expect(res.json).toEqual({ status: 'ok' });
    expect(await systemTexts(await drain(url, owner, mark, opts()), owner)).toEqual([
      'User "amy" invited "carl" to the room',
    ]);
    expectRefused(
      await call(url, 'inviteUser', { ...session(owner), invite: 'carl', pass: 'x' }, opts()),
      400,
    );
    expectRefused(
      await call(url, 'inviteUser', { ...session(owner), invite: 'amy', pass: 'x' }, opts()),
      400,
    );
  });

  it('inviting SYSTEM is 403 and raises a sysalert in the room', async () => {
    const { owner, members } = await openRoom(
      url,
      uniqueRoomName('invsys'),
      'olive',
      ['amy'],
      opts(),
    );
    const mark = await send(url, owner, 'mark', opts());
    expectRefused(
      await call(
        url,
        'inviteUser',
        { ...session(members[0]!), invite: SYSTEM_USER, pass: 'x' },
        opts(),
      ),
      403,
    );
    const rows = (await drain(url, owner, mark, opts())).filter((r) => r[3] === SYSTEM_USER);
    expect(rows).toHaveLength(1);
    expect(await systemText(rows[0]![1], owner.syskey)).toEqual({
      text: 'ALERT: User "amy" tried to invite SYSTEM',
      verb: 'sysalert',
    });
  });
});

describe('kick, ban, leave, close', () => {
  it('kick: one errmessage, then 403; SYSTEM warns; the kicked user may rejoin with the same password', async () => {
    const room = uniqueRoomName('kick');
    const { owner, members } = await openRoom(url, room, 'olive', ['amy'], opts());
    const amy = members[0]!;
    const mark = await send(url, owner, 'mark', opts());
    const res = await call(
      url,
      'kickUser',
      { ...session(owner), kick: 'amy' },
      { ...opts(), payloadAsString: true },
    );
    expect(res.json).toEqual({ status: 'ok' });
    expect(await poll(url, amy, 0, opts())).toEqual({
      kind: 'errmessage',
      text: 'You have been kicked from the room',
    });
    expect(await poll(url, amy, 0, opts())).toMatchObject({ kind: 'refused', status: 403 });
    const warns = (await drain(url, owner, mark, opts())).filter((r) => r[3] === SYSTEM_USER);
    expect(await Promise.all(warns.map((r) => systemText(r[1], owner.syskey)))).toEqual([
      { text: 'User "olive" kicked "amy" from the room', verb: 'syswarn' },
    ]);
    await join(url, room, 'amy', amy.pass, opts());
  });

  it('ban: one errmessage, then 403; the account is gone (NOK) until invited again', async () => {
    const room = uniqueRoomName('ban');
    const { owner, members } = await openRoom(url, room, 'olive', ['amy'], opts());
    const amy = members[0]!;
    const mark = await send(url, owner, 'mark', opts());
    expect((await call(url, 'banUser', { ...session(owner), kick: 'amy' }, opts())).json).toEqual({
      status: 'ok',
    });
    expect(await poll(url, amy, 0, opts())).toEqual({
      kind: 'errmessage',
      text: 'You have been banned from the room',
    });
    expect(await poll(url, amy, 0, opts())).toMatchObject({ kind: 'refused', status: 403 });
    expect(await systemTexts(await drain(url, owner, mark, opts()), owner)).toEqual([
      'User "olive" kicked "amy" from the room',
      'User "olive" banned "amy" from the room',
    ]);
    const again = await call(
      url,
      'joinRoom',
      { roomName: room, user: 'amy', userpass: amy.pass },
      opts(),
    );
    expect(again.json).toEqual({ status: 'NOK' });
    const pass = stockPassword();
    await invite(url, owner, 'amy', pass, opts());
    await join(url, room, 'amy', pass, opts());
  });

  it('kicking oneself, someone absent or unknown is 400', async () => {
    const { owner } = await openRoom(url, uniqueRoomName('kickbad'), 'olive', [], opts());
    await invite(url, owner, 'ghost', stockPassword(), opts());
    for (const kick of ['olive', 'ghost', 'nobody']) {
      expectRefused(await call(url, 'kickUser', { ...session(owner), kick }, opts()), 400);
    }
  });

  it.each([
    {
      action: 'kickUser',
      extra: { kick: 'amy' },
      text: 'User "bob" tried to kick "amy" but is not the room owner',
    },
    {
      action: 'banUser',
      extra: { kick: 'amy' },
      text: 'User "bob" tried to ban "amy" but is not the room owner',
    },
    {
      action: 'closeRoom',
      extra: {},
      text: 'User "bob" tried to close the room but is not the room owner',
    },
  ])('non-owner $action is 403 and SYSTEM posts a syswarn', async ({ action, extra, text }) => {
    const { owner, members } = await openRoom(
      url,
      uniqueRoomName('nonowner'),
      'olive',
      ['amy', 'bob'],
      opts(),
    );
    const mark = await send(url, owner, 'mark', opts());
    expectRefused(await call(url, action, { ...session(members[1]!), ...extra }, opts()), 403);
    const rows = (await drain(url, owner, mark, opts())).filter((r) => r[3] === SYSTEM_USER);
    expect(await Promise.all(rows.map((r) => systemText(r[1], owner.syskey)))).toEqual([
      { text, verb: 'syswarn' },
    ]);
    expect((await poll(url, members[0]!, mark, opts())).kind).not.toBe('refused');
  });

  it('leave: the session ends, SYSTEM says so, the user may come back', async () => {
    const room = uniqueRoomName('leave');
    const { owner, members } = await openRoom(url, room, 'olive', ['amy'], opts());
    const amy = members[0]!;
    const mark = await send(url, owner, 'mark', opts());
    expect(
      (await call(url, 'leaveRoom', session(amy), { ...opts(), payloadAsString: true })).json,
    ).toEqual({ status: 'ok' });
    expect(await poll(url, amy, 0, opts())).toMatchObject({ kind: 'refused', status: 403 });
    expect(await systemTexts(await drain(url, owner, mark, opts()), owner)).toEqual([
      'User "amy" left the room',
    ]);
    await join(url, room, 'amy', amy.pass, opts());
  });

  it('close: every other member gets one errmessage then 403; nothing is left; the name is free again', async () => {
    const room = uniqueRoomName('close');
    const { owner, members } = await openRoom(url, room, 'olive', ['amy', 'bob'], opts());
    const [amy, bob] = members as [Member, Member];
    expect(
      (await call(url, 'closeRoom', session(owner), { ...opts(), payloadAsString: true })).json,
    ).toEqual({ status: 'ok' });
    for (const m of [amy, bob]) {
      expect(await poll(url, m, 0, opts())).toEqual({
        kind: 'errmessage',
        text: 'The room has been closed',
      });
      expect(await poll(url, m, 0, opts())).toMatchObject({ kind: 'refused', status: 403 });
    }
    expect(await poll(url, owner, 0, opts())).toMatchObject({ kind: 'refused', status: 403 });
    expectRefused(
      await call(url, 'joinRoom', { roomName: room, user: 'amy', userpass: amy.pass }, opts()),
      400,
    );
    await createRoom(url, room, 'zed', stockPassword(), opts());
  });

  it('a notice is only given to the holder of the session that was kicked', async () => {
    const room = uniqueRoomName('noticekey');
    const { owner, members } = await openRoom(url, room, 'olive', ['amy'], opts());
    await call(url, 'kickUser', { ...session(owner), kick: 'amy' }, opts());
    expect(
      await poll(url, { ...members[0]!, sesskey: `${room}-${'x'.repeat(48)}` }, 0, opts()),
    ).toMatchObject({
      kind: 'refused',
      status: 403,
    });
    expect(await poll(url, members[0]!, 0, opts())).toMatchObject({ kind: 'errmessage' });
  });
});

describe('sessions', () => {
  const actions: Record<string, Record<string, unknown>> = {
    leaveRoom: {},
    closeRoom: {},
    pollMsg: { mylast: 0 },
    sendMsg: { msg: fakeCiphertext('x') },
    sendDirectMsg: { msg: fakeCiphertext('x'), to: 'amy' },
    inviteUser: { invite: 'intruder', pass: 'p' },
    kickUser: { kick: 'amy' },
    banUser: { kick: 'amy' },
    listMembers: {},
  };

  it.each(Object.keys(actions))(
    '%s is 403 with a wrong, foreign or misplaced session',
    async (action) => {
      const room = uniqueRoomName('sess');
      const { owner, members } = await openRoom(url, room, 'olive', ['amy', 'bob'], opts());
      const other = await openRoom(url, uniqueRoomName('sess-other'), 'olive', [], opts());
      const bob = members[1]!;
      const attempts = [
        { roomName: room, user: 'olive', sesskey: `${room}-${'A'.repeat(48)}` },
        { roomName: room, user: 'olive', sesskey: bob.sesskey },
        { roomName: room, user: 'olive', sesskey: other.owner.sesskey },
        { roomName: other.owner.room, user: 'olive', sesskey: owner.sesskey },
        { roomName: uniqueRoomName('nowhere'), user: 'olive', sesskey: owner.sesskey },
      ];
      for (const credentials of attempts) {
        expectRefused(await call(url, action, { ...credentials, ...actions[action] }, opts()), 403);
        expectRefused(
          await call(
            url,
            action,
            { ...credentials, ...actions[action] },
            { ...opts(), payloadAsString: true },
          ),
          403,
        );
      }
      expectRefused(
        await call(url, action, { roomName: room, user: 'olive', ...actions[action] }, opts()),
        400,
      );
      // Nothing happened: everyone is still there and no user message was stored.
      const listed = await call(url, 'listMembers', session(owner), opts());
      expect((listed.json?.members as { user: string }[]).map((m) => m.user)).toEqual([
        'amy',
        'bob',
        'olive',
      ]);
      const rows = await drain(url, members[0]!, members[1]!.joinedLast, opts());
      expect(rows.filter((r) => r[3] !== SYSTEM_USER)).toEqual([]);
    },
  );
});

describe('extensions', () => {
  it('serverInfo names the server and its extensions', async () => {
    const res = await call(url, 'serverInfo', {}, opts());
    expect(res.json).toMatchObject({
      status: 'ok',
      server: 'localchat-desktop',
      extensions: expect.arrayContaining([
        'longpoll',
        'members',
        'setpassword',
        'sendkey',
        'joinwindow',
        'inviteused',
        'joinnewpass',
        'roomclock',
        'memberkeys',
        'admission',
        'burn',
        'capture',
        'keyhandover',
      ]),
    });
    expect(res.json?.version).toMatch(/^\d+\.\d+\.\d+/);
    // For the browser page's invites, which cannot see the certificate themselves.
    expect(res.json?.certificate).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/);
  });

  it('listMembers lists who is in the room now, with the owner flagged; it needs a session', async () => {
    const room = uniqueRoomName('members');
    const { owner, members } = await openRoom(url, room, 'olive', ['amy', 'bob'], opts());
    await invite(url, owner, 'absent', stockPassword(), opts());
    await call(url, 'leaveRoom', session(members[1]!), opts());
    const res = await call(url, 'listMembers', session(members[0]!), opts());
    expect(res.json).toEqual({
      status: 'ok',
      members: [
        { user: 'amy', owner: false },
        { user: 'olive', owner: true },
      ],
    });
    expectRefused(await call(url, 'listMembers', session(members[1]!), opts()), 403);
  });
});

describe('limits', () => {
  it('refuses rooms and members beyond the limits with 400 and drops the oldest messages beyond the cap', async () => {
    const limited = await startTestServer({
      limits: { roomsPerServer: 2, membersPerRoom: 2, messagesPerRoom: 3 },
    });
    try {
      const u = limited.server.url;
      const { owner } = await openRoom(u, uniqueRoomName('lim'), 'olive', ['amy'], opts());
      await createRoom(u, uniqueRoomName('lim'), 'olive', stockPassword(), opts());
      expectRefused(
        await call(
          u,
          'createRoom',
          { roomName: uniqueRoomName('lim'), owner: 'o', pass: 'p' },
          opts(),
        ),
        400,
      );
      expectRefused(
        await call(u, 'inviteUser', { ...session(owner), invite: 'third', pass: 'p' }, opts()),
        400,
      );
      const sent = [];
      for (const t of ['m1', 'm2', 'm3', 'm4']) sent.push(await send(u, owner, t, opts()));
      const rows = await drain(u, owner, 0, opts());
      expect(rows.map((r) => readCiphertext(r[1]))).toEqual(['m2', 'm3', 'm4']);
    } finally {
      await limited.server.close();
    }
  });
});

describe('testing mode', () => {
  it('keeps the database in the given file and SYSTEM warns every joiner', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lc-testing-'));
    const dbFile = path.join(dir, 'rooms.db');
    const testing = await startTestServer({ testingMode: { dbFile } });
    try {
      const u = testing.server.url;
      const { owner, members } = await openRoom(u, uniqueRoomName('tm'), 'olive', ['amy'], opts());
      expect(existsSync(dbFile) && statSync(dbFile).size).toBeGreaterThan(0);
      for (const m of [owner, members[0]!]) {
        const rows = await drain(u, m, m.joinedLast, opts());
        const warnings = rows.filter((r) => r[3] === SYSTEM_USER && r[4] === m.user);
        expect(warnings).toHaveLength(1);
        expect(await systemText(warnings[0]![1], m.syskey)).toEqual({
          text: 'WARNING: this server runs in testing mode and writes rooms and messages to disk',
          verb: 'syswarn',
        });
      }
    } finally {
      await testing.server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the default server warns nobody', async () => {
    const { owner } = await openRoom(url, uniqueRoomName('notm'), 'olive', [], opts());
    const rows = await drain(url, owner, owner.joinedLast, opts());
    expect(await systemTexts(rows, owner)).toEqual(['User "olive" joined the room']);
  });
});
