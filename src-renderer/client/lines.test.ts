import { describe, expect, it } from 'vitest';
import type { MessageRow } from '../../src-shared/protocol';
import { chatPayload, decodeLine, mergeLines } from './lines';
import { applyMembershipChange, membershipChange } from './members';

const row = (id: number, from = 'alice', to = '0', ts = 1_700_000_000.5): MessageRow => [
  id,
  'AAAA',
  ts,
  from,
  to,
];
const plain = (id: number, text: string) => ({ id, ok: true as const, text });

describe('decodeLine', () => {
  it('shows a say line with the authenticated sender and time in ms', () => {
    const line = decodeLine(row(4, 'alice'), plain(4, chatPayload('mallory', 'hi', 'say')));
    expect(line).toEqual({
      kind: 'say',
      id: 4,
      time: 1_700_000_000_500,
      from: 'alice',
      text: 'hi',
    });
  });

  it('shows /me as do, and unknown verbs as say', () => {
    expect(decodeLine(row(1), plain(1, chatPayload('alice', 'waves', 'do')))).toMatchObject({
      kind: 'do',
      text: 'waves',
    });
    expect(
      decodeLine(row(2), plain(2, '{"user":"alice","text":"x","verb":"shout"}')),
    ).toMatchObject({ kind: 'say' });
  });

  it('marks direct messages with their recipient', () => {
    expect(
      decodeLine(row(3, 'bob', 'carol'), plain(3, chatPayload('bob', 'psst', 'say'))),
    ).toMatchObject({
      kind: 'say',
      from: 'bob',
      to: 'carol',
    });
  });

  it('decodes SYSTEM notices with their level, defaulting to sysinfo', () => {
    expect(
      decodeLine(
        row(5, 'SYSTEM'),
        plain(5, '{"text":"User bob joined the room","verb":"sysinfo"}'),
      ),
    ).toEqual({
      kind: 'system',
      id: 5,
      time: 1_700_000_000_500,
      level: 'sysinfo',
      text: 'User bob joined the room',
    });
    expect(decodeLine(row(6, 'SYSTEM'), plain(6, '{"text":"k","verb":"syswarn"}'))).toMatchObject({
      level: 'syswarn',
    });
    expect(decodeLine(row(7, 'SYSTEM'), plain(7, '{"text":"a","verb":"sysalert"}'))).toMatchObject({
      level: 'sysalert',
    });
    expect(decodeLine(row(8, 'SYSTEM'), plain(8, '{"text":"a","verb":"odd"}'))).toMatchObject({
      level: 'sysinfo',
    });
  });

  it('turns a failed decryption, non-JSON or a plaintext without verb into an undecryptable line', () => {
    const expected = { kind: 'undecryptable', id: 9, from: 'eve' };
    expect(decodeLine(row(9, 'eve'), { id: 9, ok: false })).toMatchObject(expected);
    expect(decodeLine(row(9, 'eve'), undefined)).toMatchObject(expected);
    expect(decodeLine(row(9, 'eve'), plain(9, 'not json'))).toMatchObject(expected);
    expect(decodeLine(row(9, 'eve'), plain(9, '{"text":"no verb"}'))).toMatchObject(expected);
    expect(decodeLine(row(9, 'eve', 'bob'), { id: 9, ok: false })).toMatchObject({
      ...expected,
      to: 'bob',
    });
  });
});

describe('mergeLines', () => {
  it('keeps id order and drops repeats', () => {
    const a = { id: 3 };
    const b = { id: 1 };
    const c = { id: 2 };
    expect(mergeLines([b, a], [c, { id: 3 }]).map((l) => l.id)).toEqual([1, 2, 3]);
    expect(mergeLines([a], [c])[1]).toBe(a);
  });
});

describe('chatPayload', () => {
  it('writes exactly the stock client fields', () => {
    expect(JSON.parse(chatPayload('alice', 'hi "there"', 'do'))).toEqual({
      user: 'alice',
      text: 'hi "there"',
      verb: 'do',
    });
  });
});

describe('membership from SYSTEM notices', () => {
  it('recognises join, leave, kick and ban', () => {
    expect(membershipChange('User bob joined the room')).toEqual({ user: 'bob', present: true });
    expect(membershipChange('User bob left the room')).toEqual({ user: 'bob', present: false });
    expect(membershipChange('User alice kicked bob from the room')).toEqual({
      user: 'bob',
      present: false,
    });
    expect(membershipChange('User alice banned bob from the room')).toEqual({
      user: 'bob',
      present: false,
    });
    expect(membershipChange('User alice invited bob to the room')).toBeUndefined();
  });

  it('reads the names our server quotes, whatever words they hold', () => {
    expect(membershipChange('User "bob" joined the room')).toEqual({ user: 'bob', present: true });
    expect(membershipChange('User "a kicked b" left the room')).toEqual({
      user: 'a kicked b',
      present: false,
    });
    expect(membershipChange('User "olive" kicked "x\\" kicked \\"y" from the room')).toEqual({
      user: 'x" kicked "y',
      present: false,
    });
  });

  it('applies changes keeping the list sorted and owner flags', () => {
    let members = [{ user: 'carol', owner: true }];
    members = applyMembershipChange(members, { user: 'bob', present: true });
    members = applyMembershipChange(members, { user: 'carol', present: true });
    expect(members).toEqual([
      { user: 'bob', owner: false },
      { user: 'carol', owner: true },
    ]);
    expect(applyMembershipChange(members, { user: 'bob', present: false })).toEqual([
      { user: 'carol', owner: true },
    ]);
  });
});
