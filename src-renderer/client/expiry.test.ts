import { describe, expect, it } from 'vitest';
import {
  expiresAt,
  idleClosesAt,
  nextExpiry,
  rowExpiresAt,
  shortDuration,
  type RoomClockView,
} from './expiry';
import { notificationFor } from './notificationText';

// The server's clock runs 5 s ahead of this window's.
const clock: RoomClockView = {
  lifetimeMs: 30_000,
  serverLifetimeMs: 600_000,
  idleCloseMs: 3_600_000,
  idleClosesAt: 4_600_000,
  offsetMs: 5_000,
};

describe('expiry', () => {
  it("times polled lines by the server's clock and our own lines by ours", () => {
    const polled = { kind: 'say' as const, id: 1, time: 1_005_000, from: 'alice', text: 'x' };
    const mine = { ...polled, id: 2, time: 1_000_000, from: 'bob', localKey: 1.5 };
    const local = { kind: 'local' as const, id: 3, time: 1_000_000 };
    expect(expiresAt(polled, clock)).toBe(1_030_000);
    expect(expiresAt(mine, clock)).toBe(1_030_000);
    expect(expiresAt(local, clock)).toBe(1_030_000);
    expect(rowExpiresAt([1, 'x', 1_005, 'alice', '0'], clock)).toBe(1_030_000);
    expect(nextExpiry([mine, { ...polled, time: 1_001_000 }], clock)).toBe(1_026_000);
    expect(nextExpiry([], clock)).toBeUndefined();
  });

  it('moves the idle close with the newest line', () => {
    expect(idleClosesAt([], clock)).toBe(4_600_000);
    const later = {
      kind: 'system' as const,
      id: 9,
      time: 2_005_000,
      level: 'sysinfo' as const,
      text: 'x',
    };
    expect(idleClosesAt([later], clock)).toBe(2_000_000 + 3_600_000);
  });

  it('says durations briefly', () => {
    expect(shortDuration(29_001)).toBe('30 s');
    expect(shortDuration(-5)).toBe('0 s');
    expect(shortDuration(250_000)).toBe('4 min 10 s');
    expect(shortDuration(7_500_000)).toBe('2 h 5 min');
  });
});

describe('notification wording', () => {
  const line = { kind: 'say' as const, id: 1, time: 0, from: 'alice', text: 'meet at 6' };
  it('carries no text and no name by default', () => {
    const n = notificationFor([line], 'secret-room', false);
    expect(n).toEqual({ title: 'LocalChat', body: 'New message in your room' });
    expect(notificationFor([line, line], 'secret-room', false).body).toBe(
      '2 new messages in your room',
    );
  });
  it('carries the text only when the member chose it', () => {
    expect(notificationFor([line], 'r', true)).toEqual({ title: 'alice in r', body: 'meet at 6' });
  });
});
