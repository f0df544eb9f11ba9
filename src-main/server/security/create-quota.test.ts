import { describe, expect, it } from 'vitest';
import { isLoopback } from '../rooms/create-throttle';
import { expectRefused, stockPassword, uniqueRoomName } from '../testing/member-fixture';
import { call, useTestServer } from '../testing/server-fixture';

/**
 * Issue 21 item 7: an address's createRoom quota counts rooms created, not attempts. A refused
 * attempt (503 from a busy hashing queue, 429) used to count, so a busy server locked its
 * visitors out of creating rooms for 10 minutes.
 */

const create = (url: string, agent: unknown) =>
  call(
    url,
    'createRoom',
    { roomName: uniqueRoomName('quota'), owner: 'olive', pass: stockPassword() },
    { agent: agent as never },
  );

describe('the createRoom quota', () => {
  // No new hash is ever admitted: every createRoom is refused with 503 after its quota check.
  const busy = useTestServer({ createThrottle: { perAddress: 2 }, hashing: { hashesInAll: 0 } });

  it('does not count attempts refused with 503', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await create(busy.server.url, busy.agent)).status);
    // Counted attempts would be 503, 503, then 429 for the rest of the window.
    expect(statuses).toEqual([503, 503, 503, 503, 503]);
  });
});

describe('the createRoom quota, rooms actually created', () => {
  const fixture = useTestServer({ createThrottle: { perAddress: 2 } });

  it('allows exactly its number of rooms, then 429 with Retry-After', async () => {
    const url = fixture.server.url;
    expect((await create(url, fixture.agent)).status).toBe(200);
    expect((await create(url, fixture.agent)).status).toBe(200);
    const refused = await create(url, fixture.agent);
    expectRefused(refused, [429]);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('--create-limit-exempt-loopback', () => {
  const fixture = useTestServer({ createThrottle: { perAddress: 1, exemptLoopback: true } });

  it('does not count rooms created from the host itself', async () => {
    for (let i = 0; i < 4; i++)
      expect((await create(fixture.server.url, fixture.agent)).status).toBe(200);
  });

  it('knows the loopback addresses, and only those', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'])
      expect(isLoopback(a)).toBe(true);
    for (const a of [
      '10.0.0.1',
      '192.168.1.127',
      '::ffff:10.0.0.1',
      'fe80::1',
      '::11',
      '1.127.0.0',
    ])
      expect(isLoopback(a)).toBe(false);
  });
});
