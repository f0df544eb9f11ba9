import { describe, expect, it } from 'vitest';
import { isFromOther, unreadAfter, unreadDividerAt, type Readable } from './unread';

const say = (id: number, from: string): Readable => ({ kind: 'say', id, from });
const lines: Readable[] = [
  say(1, 'amy'),
  say(2, 'me'),
  { kind: 'system', id: 3, from: 'SYSTEM' },
  { kind: 'local', id: 3.000001 },
  { kind: 'do', id: 4, from: 'bob' },
  { kind: 'undecryptable', id: 5, from: 'cid' },
  say(6, 'me'),
];

describe('unread lines', () => {
  it('counts what others wrote: said, acted and unreadable, never notices or our own', () => {
    expect(lines.filter((l) => isFromOther(l, 'me')).map((l) => l.id)).toEqual([1, 4, 5]);
    expect(isFromOther(undefined, 'me')).toBe(false);
  });

  it('counts others’ lines after the last one seen', () => {
    expect(unreadAfter(lines, 0, 'me')).toBe(3);
    expect(unreadAfter(lines, 2, 'me')).toBe(2);
    expect(unreadAfter(lines, 5, 'me')).toBe(0);
    expect(unreadAfter([], 0, 'me')).toBe(0);
  });

  it('puts the divider above the first line from someone else since the reader left', () => {
    expect(unreadDividerAt(lines, undefined, 'me')).toBeUndefined();
    expect(unreadDividerAt(lines, 1, 'me')).toBe(4);
    expect(unreadDividerAt(lines, 0, 'me')).toBe(1);
    // Only our own line and notices since: no divider.
    expect(unreadDividerAt(lines, 5, 'me')).toBeUndefined();
  });
});
