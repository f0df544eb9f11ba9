import { describe, expect, it } from 'vitest';
import {
  drain,
  expectRefused,
  listMembers,
  openRoom,
  session,
  uniqueRoomName,
} from '../testing/member-fixture';
import { call, systemTexts, useTestServer } from '../testing/server-fixture';
import { CAPTURE_NOTICE_INTERVAL_MS } from './room-capture';

/** Shifted forward by the test that needs a minute to pass. */
let clockOffsetMs = 0;
const fixture = useTestServer({ clock: () => Date.now() + clockOffsetMs });

describe('announceCapture', () => {
  it('tells the other LocalChat members only, as SYSTEM; changes only, spaced by a minute', async () => {
    const opts = { agent: fixture.agent };
    const url = fixture.server.url;
    const { owner, members } = await openRoom(
      url,
      uniqueRoomName('cap'),
      'olive',
      ['amy', 'kim'],
      opts,
    );
    const [amy, kim] = members as [(typeof members)[0], (typeof members)[0]];
    // Olive and Amy run LocalChat (they used an extension); Kim runs the stock client.
    await listMembers(url, owner, opts);
    await listMembers(url, amy, opts);
    const since = {
      olive: Math.max(0, ...(await drain(url, owner, 0, opts)).map((r) => r[0])),
      kim: Math.max(0, ...(await drain(url, kim, 0, opts)).map((r) => r[0])),
      amy: Math.max(0, ...(await drain(url, amy, 0, opts)).map((r) => r[0])),
    };

    const off = await call(url, 'announceCapture', { ...session(amy), protected: false }, opts);
    expect(off.json).toEqual({ status: 'ok' });
    const toOlive = await drain(url, owner, since.olive, opts);
    expect(toOlive.map((r) => [r[3], r[4]])).toEqual([['SYSTEM', 'olive']]);
    expect(await systemTexts(toOlive, owner)).toEqual([
      'Screen capture protection is off for amy: their window can be captured',
    ]);
    expect(await drain(url, kim, since.kim, opts)).toEqual([]);
    expect(await drain(url, amy, since.amy, opts)).toEqual([]);

    // The same state again is no news; a change back within the minute waits.
    expectRefused(
      await call(url, 'announceCapture', { ...session(amy), protected: false }, opts),
      400,
    );
    const soon = await call(url, 'announceCapture', { ...session(amy), protected: true }, opts);
    expect(soon.status).toBe(429);
    clockOffsetMs += CAPTURE_NOTICE_INTERVAL_MS;
    expect(
      (await call(url, 'announceCapture', { ...session(amy), protected: true }, opts)).json,
    ).toEqual({
      status: 'ok',
    });
    const again = await drain(url, owner, Math.max(...toOlive.map((r) => r[0])), opts);
    expect(await systemTexts(again, owner)).toEqual([
      'Screen capture protection is on again for amy',
    ]);

    // A session of another room, or none, tells nobody.
    expectRefused(
      await call(
        url,
        'announceCapture',
        { ...session(amy), sesskey: kim.sesskey, protected: false },
        opts,
      ),
      403,
    );
  });
});
