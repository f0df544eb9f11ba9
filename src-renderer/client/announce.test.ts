import { describe, expect, it } from 'vitest';
import { announcement } from './announce';
import type { ChatLine } from './lines';

const say = (id: number, from: string, text: string, to?: string): ChatLine => ({
  kind: 'say',
  id,
  time: 0,
  from,
  text,
  ...(to ? { to } : {}),
});

describe('screen reader announcements', () => {
  it('reads out a single new message, /me, DM or notice', () => {
    expect(announcement([say(1, 'alice', 'hi')], 0, 'bob')).toBe('alice: hi');
    expect(
      announcement([{ kind: 'do', id: 1, time: 0, from: 'alice', text: 'waves' }], 0, 'bob'),
    ).toBe('* alice waves');
    expect(announcement([say(1, 'alice', 'psst', 'bob')], 0, 'bob')).toBe(
      'Direct message from alice: psst',
    );
    expect(
      announcement(
        [{ kind: 'system', id: 1, time: 0, level: 'sysinfo', text: 'User c joined the room' }],
        0,
        'bob',
      ),
    ).toBe('User c joined the room');
  });

  it('sums up several messages instead of reading each one', () => {
    const lines = Array.from({ length: 200 }, (_, i) =>
      say(i + 1, i % 2 ? 'alice' : 'carol', `m${i}`),
    );
    expect(announcement(lines, 0, 'bob')).toBe('200 new messages, the latest from alice');
    expect(announcement(lines, 198, 'bob')).toBe('2 new messages, the latest from alice');
  });

  it('says nothing of our own lines, local lines or lines already announced', () => {
    const lines = [
      say(1, 'alice', 'old'),
      say(2, 'bob', 'mine'),
      { kind: 'local' as const, id: 2.1 },
    ];
    expect(announcement(lines, 1, 'bob')).toBeUndefined();
    expect(announcement(lines, 0, 'bob')).toBe('alice: old');
  });

  it('cuts a long text short', () => {
    expect(announcement([say(1, 'alice', 'x'.repeat(5_000))], 0, 'bob')!.length).toBeLessThan(200);
  });
});
