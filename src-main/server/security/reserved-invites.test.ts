import { describe, expect, it } from 'vitest';
import { SYSTEM_USER, type MessageRow } from '../../../src-shared/protocol';
import {
  drain,
  expectRefused,
  listMembers,
  type Member,
  openRoom,
  session,
  stockPassword,
  uniqueRoomName,
} from '../testing/member-fixture';
import { call, systemText, useTestServer } from '../testing/server-fixture';

/**
 * Inviting a name the wire reserves (issue 10, items 8-9): "0", SYSTEM and what passes for
 * SYSTEM on screen. Each is refused; what the inviter gets on the wire and what the room is
 * told are pinned here, since the stock client shows exactly these.
 */

const fixture = useTestServer({ createThrottle: { perAddress: 1000 } });

const opts = () => ({ agent: fixture.agent });

async function systemRows(rows: MessageRow[], m: Member) {
  const out: { text: string; verb: string }[] = [];
  for (const row of rows) if (row[3] === SYSTEM_USER) out.push(await systemText(row[1], m.syskey));
  return out;
}

/** Invites `name` in a new room of olive and bob; what the wire answered, what each then reads. */
async function tryInvite(name: string) {
  const { owner, members } = await openRoom(
    url(),
    uniqueRoomName('reserved'),
    'olive',
    ['bob'],
    opts(),
  );
  const bob = members[0]!;
  const before = {
    olive: Math.max(...(await drain(url(), owner, 0, opts())).map((r) => r[0])),
    bob: Math.max(...(await drain(url(), bob, 0, opts())).map((r) => r[0])),
  };
  const answer = await call(
    url(),
    'inviteUser',
    { ...session(owner), invite: name, pass: stockPassword() },
    opts(),
  );
  return {
    answer,
    inviterReads: await systemRows(await drain(url(), owner, before.olive, opts()), owner),
    roomReads: await systemRows(await drain(url(), bob, before.bob, opts()), bob),
    members: await listMembers(url(), owner, opts()),
    join: await call(
      url(),
      'joinRoom',
      { roomName: owner.room, user: name, userpass: stockPassword() },
      opts(),
    ),
  };
}

const url = () => fixture.server.url;

describe('inviting a reserved name', () => {
  it.each([
    ['SYSTEM', 'ALERT: User "olive" tried to invite SYSTEM'],
    // Cyrillic Ѕ and Е, Greek Υ, Τ and Μ: the same word on screen.
    ['\u0405\u03a5\u0405\u03a4\u0415\u039c', 'ALERT: User "olive" tried to invite SYSTEM'],
    // One Cyrillic М at the end.
    ['SYSTE\u041c', 'ALERT: User "olive" tried to invite SYSTEM'],
    ['0', 'ALERT: User "olive" tried to invite 0, a name reserved for messages to the whole room'],
  ])('%j: 403 with an empty body, a sysalert to everyone, no account', async (name, alert) => {
    const result = await tryInvite(name);
    expectRefused(result.answer, 403);
    expect(result.inviterReads).toEqual([{ text: alert, verb: 'sysalert' }]);
    expect(result.roomReads).toEqual([{ text: alert, verb: 'sysalert' }]);
    expect(result.members).toEqual(['bob', 'olive']);
    expectRefused(result.join, 403);
  });

  it.each([
    ['SYSTEM + zero-width space', 'SYSTEM\u200b'],
    ['a zero-width space inside', 'SYS\u200bTEM'],
    ['SYSTEM + word joiner', 'SYSTEM\u2060'],
    ['right-to-left override', '\u202eMETSYS'],
    ['SYSTEM + soft hyphen', 'SYSTEM\u00ad'],
    ['0 + zero-width space', '0\u200b'],
  ])('%s: 400 with an empty body (an invalid name), no notice, no account', async (_what, name) => {
    const result = await tryInvite(name);
    expectRefused(result.answer, 400);
    expect(result.inviterReads).toEqual([]);
    expect(result.roomReads).toEqual([]);
    expect(result.members).toEqual(['bob', 'olive']);
    expectRefused(result.join, [400, 403]);
  });
});
