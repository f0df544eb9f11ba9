import { describe, expect, it } from 'vitest';
import { SYSTEM_USER } from '../../../src-shared/protocol';
import {
  createRoom,
  drain,
  fakeCiphertext,
  invite,
  join,
  type Member,
  openRoom,
  poll,
  readCiphertext,
  session,
  stockPassword,
  uniqueRoomName,
} from '../testing/member-fixture';
import { api, type ApiResponse } from '../testing/raw-client';
import { useTestServer } from '../testing/server-fixture';

/**
 * Concurrent requests that race each other on the same room, name or session: every answer must
 * be a clean 200/400/403 (never a 500), and the outcome must be one that a serial order allows.
 */

const fixture = useTestServer({}, 16);

const statusesOf = (results: ApiResponse[]) => results.map((r) => r.status).sort();

describe('races', () => {
  it('ten createRoom calls for one name: exactly one wins', async () => {
    const room = uniqueRoomName('race-create');
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api(
          fixture.server.url,
          'createRoom',
          { roomName: room, owner: `o${i}`, pass: stockPassword() },
          { agent: fixture.agent },
        ),
      ),
    );
    expect(statusesOf(results)).toEqual([200, ...Array(9).fill(400)]);
    for (const r of results) if (r.status !== 200) expect(r.body).toBe('');
  });

  it('ten invitations of one name: exactly one wins, and only its password works', async () => {
    const { owner } = await openRoom(
      fixture.server.url,
      uniqueRoomName('race-invite'),
      'olive',
      [],
      {
        agent: fixture.agent,
      },
    );
    const passes = Array.from({ length: 10 }, () => stockPassword());
    const results = await Promise.all(
      passes.map((pass) =>
        api(
          fixture.server.url,
          'inviteUser',
          { ...session(owner), invite: 'dana', pass },
          { agent: fixture.agent },
        ),
      ),
    );
    expect(statusesOf(results)).toEqual([200, ...Array(9).fill(400)]);
    const winner = passes[results.findIndex((r) => r.status === 200)]!;
    const joined = await join(fixture.server.url, owner.room, 'dana', winner, {
      agent: fixture.agent,
    });
    expect(joined.user).toBe('dana');
  });

  it('five simultaneous joins of one user: all answered, only one session stays valid', async () => {
    const { owner } = await openRoom(fixture.server.url, uniqueRoomName('race-join'), 'olive', [], {
      agent: fixture.agent,
    });
    const pass = stockPassword();
    await invite(fixture.server.url, owner, 'eve', pass, { agent: fixture.agent });
    const sessions = await Promise.all(
      Array.from({ length: 5 }, () =>
        join(fixture.server.url, owner.room, 'eve', pass, { agent: fixture.agent }),
      ),
    );
    // A displaced session gets its one-time "signed in elsewhere" notice, then 403.
    const valid = [];
    for (const s of sessions) {
      const first = await poll(fixture.server.url, s, 0, { agent: fixture.agent });
      if (first.kind === 'errmessage') expect(first.text).toMatch(/signed in elsewhere/);
      if (first.kind !== 'refused' && first.kind !== 'errmessage') valid.push(s);
    }
    expect(valid).toHaveLength(1);
  });

  it('a member kicked mid-burst never gets a message in after the kick', async () => {
    const { owner, members } = await openRoom(
      fixture.server.url,
      uniqueRoomName('race-kick'),
      'olive',
      ['kim'],
      {
        agent: fixture.agent,
      },
    );
    const kim = members[0]!;
    const burst = Array.from({ length: 40 }, (_, i) =>
      api(
        fixture.server.url,
        'sendMsg',
        { ...session(kim), msg: fakeCiphertext(`kim ${i}`) },
        { agent: fixture.agent },
      ),
    );
    const kick = api(
      fixture.server.url,
      'kickUser',
      { ...session(owner), kick: 'kim' },
      { agent: fixture.agent },
    );
    const results = await Promise.all([...burst, kick]);
    expect(results.every((r) => r.status === 200 || r.status === 403)).toBe(true);
    expect(results.at(-1)!.status).toBe(200);

    const rows = await drain(fixture.server.url, owner, 0, { agent: fixture.agent });
    const kimRows = rows.filter((r) => r[3] === 'kim');
    const accepted = results.slice(0, -1).filter((r) => r.status === 200);
    console.log(`race kick: ${accepted.length} of 40 sends accepted before the kick, the rest 403`);
    expect(kimRows.map((r) => readCiphertext(r[1])).sort()).toEqual(
      accepted.map((r) => `kim ${results.indexOf(r)}`).sort(),
    );
    // SYSTEM's kick notice, posted once kim is out, is the last SYSTEM row: kim's rows all precede it.
    const kickNotice = Math.max(...rows.filter((r) => r[3] === SYSTEM_USER).map((r) => r[0]));
    for (const row of kimRows) expect(row[0]).toBeLessThan(kickNotice);
    const after = await api(
      fixture.server.url,
      'sendMsg',
      { ...session(kim), msg: fakeCiphertext('late') },
      { agent: fixture.agent },
    );
    expect(after.status).toBe(403);
  });

  it('closing a room during sends and polls leaves nothing behind', async () => {
    const room = uniqueRoomName('race-close');
    const { owner, members } = await openRoom(fixture.server.url, room, 'olive', ['ann', 'ben'], {
      agent: fixture.agent,
    });
    const traffic: Promise<ApiResponse>[] = [];
    let close: Promise<ApiResponse> | undefined;
    for (let i = 0; i < 30; i++) {
      // The close goes out in the middle of the traffic, so some requests land on each side of it.
      if (i === 15)
        close = api(fixture.server.url, 'closeRoom', session(owner), { agent: fixture.agent });
      const m: Member = members[i % 2]!;
      traffic.push(
        api(
          fixture.server.url,
          'sendMsg',
          { ...session(m), msg: fakeCiphertext(`before close ${i}`) },
          { agent: fixture.agent },
        ),
        api(fixture.server.url, 'pollMsg', { ...session(m), mylast: 0 }, { agent: fixture.agent }),
      );
    }
    const results = await Promise.all([...traffic, close!]);
    for (const r of results) {
      expect([200, 403], `status ${r.status}`).toContain(r.status);
      if (r.status !== 200) expect(r.body).toBe('');
    }
    expect(results.at(-1)!.status).toBe(200);
    const refused = results.filter((r) => r.status === 403).length;
    console.log(
      `race close: ${results.length - 1 - refused} of 60 sends/polls answered 200, ${refused} 403`,
    );

    // The name is free again, and the new room starts empty.
    const pass = stockPassword();
    await createRoom(fixture.server.url, room, 'olive', pass, { agent: fixture.agent });
    const again = await join(fixture.server.url, room, 'olive', pass, { agent: fixture.agent });
    const rows = await drain(fixture.server.url, again, 0, { agent: fixture.agent });
    expect(rows.filter((r) => r[3] !== SYSTEM_USER)).toEqual([]);
    // The old members' sessions, after their one-time notice, are refused.
    for (const m of members) {
      const first = await poll(fixture.server.url, m, 0, { agent: fixture.agent });
      expect(['errmessage', 'refused']).toContain(first.kind);
      expect(await poll(fixture.server.url, m, 0, { agent: fixture.agent })).toMatchObject({
        kind: 'refused',
        status: 403,
      });
    }
  });
});
