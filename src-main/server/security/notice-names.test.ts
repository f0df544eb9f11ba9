import { describe, expect, it } from 'vitest';
import { noticeParts, SYSTEM_USER } from '../../../src-shared/protocol';
import {
  drain,
  invite,
  join,
  openRoom,
  session,
  stockPassword,
  uniqueRoomName,
} from '../testing/member-fixture';
import { call, systemTexts, useTestServer } from '../testing/server-fixture';

/**
 * Issue 21 item 4: names are chosen by members and appear inside SYSTEM's notices, so a name can
 * carry a sentence that reads as the server's ("x left the room. Room closed"). Every name in a
 * notice is quoted: the stock client shows where it begins and ends, and the app shows it as a
 * name. Without the quotes, each notice below has the name's words as SYSTEM's own.
 */

const fixture = useTestServer({ createThrottle: { perAddress: 1000 } });
const opts = () => ({ agent: fixture.agent });

/** Every notice's text, and the member-chosen names noticeParts finds in it. */
async function noticesWithNames(
  rows: Awaited<ReturnType<typeof drain>>,
  reader: Parameters<typeof systemTexts>[1],
) {
  const texts = await systemTexts(
    rows.filter((r) => r[3] === SYSTEM_USER),
    reader,
  );
  return texts.map((text) => ({
    text,
    names: noticeParts(text).flatMap((p) => (p.kind === 'name' ? [p.name] : [])),
  }));
}

describe('member-chosen names in SYSTEM notices', () => {
  it('are quoted in every notice that names a member, however they are spelled', async () => {
    const url = fixture.server.url;
    const room = uniqueRoomName('notice-names');
    const { owner, members } = await openRoom(url, room, 'olive', ['bob'], opts());
    const bob = members[0]!;
    const liar = 'x left the room. Room closed';
    const quoter = 'y" joined. User "z';
    const liarPass = stockPassword();
    await invite(url, owner, liar, liarPass, opts());
    await invite(url, owner, quoter, stockPassword(), opts());
    const asLiar = await join(url, room, liar, liarPass, opts());
    // Signed in elsewhere, then a member who is not the owner tries to kick, ban and close.
    await join(url, room, liar, liarPass, opts());
    for (const action of ['kickUser', 'banUser'])
      await call(url, action, { ...session(bob), kick: liar }, opts());
    await call(url, 'closeRoom', session(asLiar), opts());
    await call(url, 'kickUser', { ...session(owner), kick: liar }, opts());

    const notices = await noticesWithNames(
      await drain(url, owner, owner.joinedLast, opts()),
      owner,
    );
    expect(notices).toEqual([
      { text: 'User "olive" joined the room', names: ['olive'] },
      { text: 'User "olive" invited "bob" to the room', names: ['olive', 'bob'] },
      { text: 'User "bob" joined the room', names: ['bob'] },
      { text: `User "olive" invited "${liar}" to the room`, names: ['olive', liar] },
      {
        text: 'User "olive" invited "y\\" joined. User \\"z" to the room',
        names: ['olive', quoter],
      },
      { text: `User "${liar}" joined the room`, names: [liar] },
      { text: `User "${liar}" joined the room`, names: [liar] },
      {
        text: `User "${liar}" signed in again elsewhere; the earlier session was signed out`,
        names: [liar],
      },
      {
        text: `User "bob" tried to kick "${liar}" but is not the room owner`,
        names: ['bob', liar],
      },
      { text: `User "bob" tried to ban "${liar}" but is not the room owner`, names: ['bob', liar] },
      { text: `User "olive" kicked "${liar}" from the room`, names: ['olive', liar] },
    ]);
  });

  it('are quoted in the alert about inviting SYSTEM, and in a leave', async () => {
    const url = fixture.server.url;
    const { owner, members } = await openRoom(
      url,
      uniqueRoomName('notice-names'),
      'olive',
      ['a. ALERT: b'],
      opts(),
    );
    const member = members[0]!;
    await call(
      url,
      'inviteUser',
      { ...session(member), invite: SYSTEM_USER, pass: stockPassword() },
      opts(),
    );
    await call(url, 'leaveRoom', session(member), opts());
    const notices = await noticesWithNames(
      await drain(url, owner, member.joinedLast, opts()),
      owner,
    );
    expect(notices).toEqual([
      { text: 'User "a. ALERT: b" joined the room', names: ['a. ALERT: b'] },
      { text: 'ALERT: User "a. ALERT: b" tried to invite SYSTEM', names: ['a. ALERT: b'] },
      { text: 'User "a. ALERT: b" left the room', names: ['a. ALERT: b'] },
    ]);
  });
});
