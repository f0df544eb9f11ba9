import { describe, expect, it } from 'vitest';
import { NOTICE_BURNED, type BurnReport } from '../../../src-shared/protocol';
import {
  expectRefused,
  listMembers,
  type Member,
  openRoom,
  poll,
  send,
  session,
  uniqueRoomName,
} from '../testing/member-fixture';
import { call, useTestServer } from '../testing/server-fixture';
import { ActionError } from './action-error';
import { isExtensionRequest, RoomBurns, type Schedule } from './room-burn';

/** A fake clock for the bounded wait: timers fire only when the test says so. */
function fakeSchedule() {
  const timers: { fn: () => void; ms: number; cancelled: boolean }[] = [];
  const schedule: Schedule = (fn, ms) => {
    const timer = { fn, ms, cancelled: false };
    timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  };
  const fire = () => {
    for (const t of timers.splice(0)) if (!t.cancelled) t.fn();
  };
  return { schedule, timers, fire };
}

function statusOf(fn: () => void): number | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof ActionError) return error.status;
    throw error;
  }
  return undefined;
}

describe('RoomBurns', () => {
  it('reports at once when no member can confirm (the owner is the only LocalChat client)', async () => {
    const burns = new RoomBurns(5_000, fakeSchedule().schedule);
    const report = await burns.start(1, ['kim']);
    expect(report).toEqual({
      status: 'ok',
      confirmed: [],
      cannotConfirm: ['kim'],
      didNotAnswer: [],
    });
    expect(burns.isBurning(1)).toBe(false);
  });

  it('waits for the LocalChat members and reports as soon as the last one confirmed', async () => {
    const clock = fakeSchedule();
    const burns = new RoomBurns(5_000, clock.schedule);
    burns.noteExtensionClient(1, 'amy');
    burns.noteExtensionClient(1, 'bob');
    let report: BurnReport | undefined;
    void burns.start(1, ['amy', 'bob', 'kim']).then((r) => (report = r));
    expect(clock.timers.map((t) => t.ms)).toEqual([5_000]);
    burns.confirm(1, 'amy');
    await Promise.resolve();
    expect(report).toBeUndefined();
    burns.confirm(1, 'bob');
    await Promise.resolve();
    expect(report).toEqual({
      status: 'ok',
      confirmed: ['amy', 'bob'],
      cannotConfirm: ['kim'],
      didNotAnswer: [],
    });
    expect(clock.timers[0]!.cancelled).toBe(true);
  });

  it('stops waiting after the bounded wait: the silent one "did not answer"', async () => {
    const clock = fakeSchedule();
    const burns = new RoomBurns(5_000, clock.schedule);
    burns.noteExtensionClient(1, 'amy');
    burns.noteExtensionClient(1, 'bob');
    const report = burns.start(1, ['amy', 'bob']);
    burns.confirm(1, 'amy');
    clock.fire();
    expect(await report).toEqual({
      status: 'ok',
      confirmed: ['amy'],
      cannotConfirm: [],
      didNotAnswer: ['bob'],
    });
    // Too late: the burn is over.
    expect(statusOf(() => burns.confirm(1, 'bob'))).toBe(400);
  });

  it('refuses a confirmation with no burn, from a stranger, twice, and a second burn', async () => {
    const clock = fakeSchedule();
    const burns = new RoomBurns(5_000, clock.schedule);
    expect(statusOf(() => burns.confirm(1, 'amy'))).toBe(400);
    burns.noteExtensionClient(1, 'amy');
    burns.noteExtensionClient(1, 'bob');
    void burns.start(1, ['amy', 'bob']);
    expect(statusOf(() => burns.confirm(1, 'mallory'))).toBe(400);
    expect(statusOf(() => burns.confirm(2, 'amy'))).toBe(400);
    burns.confirm(1, 'amy');
    expect(statusOf(() => burns.confirm(1, 'amy'))).toBe(400);
    expect(statusOf(() => void burns.start(1, ['amy']))).toBe(400);
    expect(statusOf(() => burns.assertNotBurning(1))).toBe(403);
    expect(statusOf(() => burns.assertNotBurning(2))).toBeUndefined();
  });

  it('forgets what a session sent when it ends, and ends a waiting burn with its room', async () => {
    const clock = fakeSchedule();
    const burns = new RoomBurns(5_000, clock.schedule);
    burns.noteExtensionClient(1, 'amy');
    burns.forgetSession(1, 'amy');
    expect((await burns.start(1, ['amy'])).cannotConfirm).toEqual(['amy']);
    burns.noteExtensionClient(2, 'bob');
    const report = burns.start(2, ['bob']);
    burns.forgetRoom(2);
    expect((await report).didNotAnswer).toEqual(['bob']);
    expect(burns.isBurning(2)).toBe(false);
  });

  it('counts as extension use only what the stock client never sends', () => {
    expect(isExtensionRequest('pollMsg')).toBe(false);
    expect(isExtensionRequest('listMembers')).toBe(true);
    expect(isExtensionRequest('sendMsg')).toBe(false);
    expect(isExtensionRequest('closeRoom')).toBe(false);
  });
});

describe('burnRoom and confirmWipe over the wire', () => {
  const fixture = useTestServer({ burnWaitMs: 60_000 }, 8);
  const opts = () => ({ agent: fixture.agent });
  const url = () => fixture.server.url;

  /** A LocalChat member: its session used an extension (listMembers), as the page does at join. */
  async function speaksExtensions(m: Member) {
    await listMembers(url(), m, opts());
  }

  it('burns: held polls are released with `burning`, confirmations end the wait, the room is gone for everyone', async () => {
    const { owner, members } = await openRoom(
      url(),
      uniqueRoomName('burn'),
      'olive',
      ['amy', 'bob', 'kim'],
      opts(),
    );
    const [amy, bob, kim] = members as [Member, Member, Member];
    await speaksExtensions(amy);
    // Bob's page only long-polls: that counts too.
    await poll(url(), bob, 0, { ...opts(), wait: 0 });
    const held = poll(url(), amy, 1_000_000, { ...opts(), wait: 30 });
    await expect.poll(() => fixture.server.heldPolls?.()).toBeGreaterThan(0);

    const burning = call(url(), 'burnRoom', session(owner), opts());
    expect(await held).toEqual({ kind: 'unchanged' });
    const answer = await call(url(), 'pollMsg', { ...session(bob), mylast: 0, wait: 30 }, opts());
    // Not held: a burning room answers at once, with no rows.
    expect(answer.json).toEqual({ status: 'unchanged', last: 0, burning: true });
    // The stock client's poll is a plain unchanged to it (it ignores the extra field).
    expect(await poll(url(), kim, 0, opts())).toEqual({ kind: 'unchanged' });
    // Nothing new enters a burning room.
    expectRefused(await call(url(), 'sendMsg', { ...session(kim), msg: 'aGk=' }, opts()), 403);

    expect((await call(url(), 'confirmWipe', session(amy), opts())).json).toEqual({ status: 'ok' });
    expect((await call(url(), 'confirmWipe', session(bob), opts())).json).toEqual({ status: 'ok' });
    const report = await burning;
    expect(report.json).toEqual({
      status: 'ok',
      confirmed: ['amy', 'bob'],
      cannotConfirm: ['kim'],
      didNotAnswer: [],
    });

    // Closed as closeRoom closes it: the stock member gets its one-time notice, then 403.
    expect(await poll(url(), kim, 0, opts())).toEqual({ kind: 'errmessage', text: NOTICE_BURNED });
    expect(await poll(url(), kim, 0, opts())).toMatchObject({ kind: 'refused', status: 403 });
    for (const m of [owner, amy, bob]) {
      expectRefused(await call(url(), 'sendMsg', { ...session(m), msg: 'aGk=' }, opts()), 403);
      expectRefused(await call(url(), 'listMembers', session(m), opts()), 403);
    }
    expectRefused(
      await call(
        url(),
        'joinRoom',
        { roomName: owner.room, user: 'kim', userpass: kim.pass },
        opts(),
      ),
      400,
    );
  });

  it('works with the owner as the only LocalChat client: answers at once', async () => {
    const { owner, members } = await openRoom(
      url(),
      uniqueRoomName('burn'),
      'olive',
      ['kim'],
      opts(),
    );
    await speaksExtensions(owner);
    const report = await call(url(), 'burnRoom', session(owner), opts());
    expect(report.json).toMatchObject({ confirmed: [], cannotConfirm: ['kim'], didNotAnswer: [] });
    expect(await poll(url(), members[0]!, 0, opts())).toEqual({
      kind: 'errmessage',
      text: NOTICE_BURNED,
    });
  });

  it('is for the owner only; confirmations only from members of the burning room', async () => {
    const a = await openRoom(url(), uniqueRoomName('burn'), 'olive', ['amy'], opts());
    const b = await openRoom(url(), uniqueRoomName('burn'), 'oscar', ['mallory'], opts());
    const amy = a.members[0]!;
    const mallory = b.members[0]!;
    await speaksExtensions(amy);
    expectRefused(await call(url(), 'burnRoom', session(amy), opts()), 403);
    expect(await listMembers(url(), a.owner, opts())).toEqual(['amy', 'olive']);
    expectRefused(await call(url(), 'confirmWipe', session(amy), opts()), 400);

    const burning = call(url(), 'burnRoom', session(a.owner), opts());
    await expect.poll(async () => (await poll(url(), amy, 0, opts())).kind).toBe('unchanged');
    // Mallory's session is valid, in her own room: it cannot confirm for Olive's.
    expectRefused(await call(url(), 'confirmWipe', session(mallory), opts()), 400);
    expectRefused(
      await call(url(), 'confirmWipe', { ...session(mallory), roomName: amy.room }, opts()),
      403,
    );
    expectRefused(
      await call(url(), 'confirmWipe', { ...session(amy), sesskey: mallory.sesskey }, opts()),
      403,
    );
    // Nobody joins a room being burned, nor burns it twice.
    expectRefused(await call(url(), 'burnRoom', session(a.owner), opts()), 400);
    expect((await call(url(), 'confirmWipe', session(amy), opts())).json).toEqual({ status: 'ok' });
    expect((await burning).json).toMatchObject({ confirmed: ['amy'] });
    // Mallory's room is untouched.
    await send(url(), mallory, 'still here', opts());
  });
});

describe('the bounded wait over the wire', () => {
  const fixture = useTestServer({ burnWaitMs: 200 });

  it('closes the room after the wait when a LocalChat member vanished, reporting it', async () => {
    const opts = { agent: fixture.agent };
    const { owner, members } = await openRoom(
      fixture.server.url,
      uniqueRoomName('burn'),
      'olive',
      ['amy'],
      opts,
    );
    await listMembers(fixture.server.url, members[0]!, opts);
    const report = await call(fixture.server.url, 'burnRoom', session(owner), opts);
    expect(report.json).toEqual({
      status: 'ok',
      confirmed: [],
      cannotConfirm: [],
      didNotAnswer: ['amy'],
    });
    expect(await poll(fixture.server.url, members[0]!, 0, opts)).toEqual({
      kind: 'errmessage',
      text: NOTICE_BURNED,
    });
  });
});
