import { describe, expect, it } from 'vitest';
import { codeChangeReason, keyBasis, keyChanges } from './roster';

const A = 'A'.repeat(43);
const B = 'B'.repeat(43);

describe('key changes', () => {
  it('marks a name that comes back with another key, not a first key or the same one', () => {
    const first = keyChanges({}, [{ user: 'kim', key: A }, { user: 'leo' }]);
    expect(first).toEqual({ history: { kim: A }, changed: [] });
    expect(keyChanges(first.history, [{ user: 'kim', key: A }]).changed).toEqual([]);
    // Left (no key listed meanwhile) and back with a new one.
    const gone = keyChanges(first.history, [{ user: 'leo', key: B }]);
    expect(gone.changed).toEqual([]);
    expect(keyChanges(gone.history, [{ user: 'kim', key: B }]).changed).toEqual(['kim']);
  });
});

describe('why the safety code changed', () => {
  it('names who joined, left or changed a key; a first key after a join is no news', () => {
    const before = keyBasis([{ user: 'alice', key: A }, { user: 'bob' }, { user: 'leo', key: A }]);
    expect(
      codeChangeReason(
        before,
        keyBasis([{ user: 'alice', key: B }, { user: 'bob', key: A }, { user: 'kim' }]),
      ),
    ).toBe('alice’s key changed, kim joined, leo left');
    expect(
      codeChangeReason(
        before,
        keyBasis([
          { user: 'alice', key: A },
          { user: 'bob', key: B },
          { user: 'leo', key: A },
        ]),
      ),
    ).toBeUndefined();
    expect(codeChangeReason(before, before)).toBe('the room’s rules changed');
  });
});
