import { describe, expect, it } from 'vitest';
import { continuesGroup, GROUP_GAP_MS, startsDay } from './grouping';

const at = (h: number, m = 0) => new Date(2026, 11, 1, h, m).getTime();
const say = (from: string, time: number, to?: string) => ({ kind: 'say', from, time, to });

describe('grouping', () => {
  it('groups consecutive messages from one sender', () => {
    expect(continuesGroup(say('alice', at(10)), say('alice', at(10, 1)))).toBe(true);
  });

  it('starts a new group for another sender, a long pause, a DM, a /me or a notice', () => {
    expect(continuesGroup(say('alice', at(10)), say('bob', at(10)))).toBe(false);
    expect(continuesGroup(say('alice', at(10)), say('alice', at(10) + GROUP_GAP_MS))).toBe(false);
    expect(continuesGroup(say('alice', at(10)), say('alice', at(10), 'bob'))).toBe(false);
    expect(continuesGroup(say('alice', at(10)), { kind: 'do', from: 'alice', time: at(10) })).toBe(
      false,
    );
    expect(continuesGroup({ kind: 'system', time: at(10) }, say('alice', at(10)))).toBe(false);
    expect(continuesGroup(undefined, say('alice', at(10)))).toBe(false);
  });

  it('groups a run of direct messages to the same person, and an undecryptable line breaks the run', () => {
    expect(continuesGroup(say('alice', at(10), 'bob'), say('alice', at(10, 1), 'bob'))).toBe(true);
    expect(continuesGroup(say('alice', at(10), 'bob'), say('alice', at(10, 1), 'carol'))).toBe(
      false,
    );
    expect(
      continuesGroup({ kind: 'undecryptable', from: 'alice', time: at(10) }, say('alice', at(10))),
    ).toBe(false);
    expect(
      continuesGroup(say('alice', at(10)), { kind: 'undecryptable', from: 'alice', time: at(10) }),
    ).toBe(false);
  });

  it('starts a new day and a new group at midnight', () => {
    const before = say('alice', new Date(2026, 11, 1, 23, 59).getTime());
    const after = say('alice', new Date(2026, 11, 2, 0, 1).getTime());
    expect(startsDay(before, after)).toBe(true);
    expect(continuesGroup(before, after)).toBe(false);
    expect(startsDay(say('a', at(9)), say('a', at(22)))).toBe(false);
    expect(startsDay(undefined, say('a', at(9)))).toBe(true);
  });
});
