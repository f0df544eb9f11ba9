import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nameInNotice, noticeParts, quoteName } from './notice-names';

describe('names inside SYSTEM notices', () => {
  it('cuts a notice into SYSTEM’s words and the names it quotes', () => {
    expect(noticeParts('User "olive" kicked "bob" from the room')).toEqual([
      { kind: 'words', text: 'User ' },
      { kind: 'name', name: 'olive' },
      { kind: 'words', text: ' kicked ' },
      { kind: 'name', name: 'bob' },
      { kind: 'words', text: ' from the room' },
    ]);
    expect(noticeParts('The room has been closed')).toEqual([
      { kind: 'words', text: 'The room has been closed' },
    ]);
  });

  it('gives back any name exactly, as one name, whatever words or quote marks it holds', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 32, unit: 'grapheme' }), (name) => {
        const text = `User ${quoteName(name)} joined the room`;
        expect(noticeParts(text)).toEqual([
          { kind: 'words', text: 'User ' },
          { kind: 'name', name },
          { kind: 'words', text: ' joined the room' },
        ]);
        expect(nameInNotice(quoteName(name))).toBe(name);
      }),
      { numRuns: 2_000 },
    );
  });

  it('keeps a name that tries to close its quotes inside the name', () => {
    const name = 'x" left the room. User "y';
    expect(noticeParts(`User ${quoteName(name)} joined the room`)[1]).toEqual({
      kind: 'name',
      name,
    });
  });

  it('leaves unquoted texts (other servers) as words, and unquoted names as they are', () => {
    expect(nameInNotice('bob')).toBe('bob');
    expect(noticeParts('User bob joined the room')).toEqual([
      { kind: 'words', text: 'User bob joined the room' },
    ]);
  });
});
