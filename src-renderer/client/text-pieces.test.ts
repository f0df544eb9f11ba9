import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { breakLongRuns, RUN_CHARS, textRows } from './text-pieces';

describe('breakLongRuns', () => {
  it('leaves ordinary text whole', () => {
    expect(breakLongRuns('hello there, how are you?')).toEqual(['hello there, how are you?']);
    expect(breakLongRuns('')).toEqual(['']);
  });

  it('cuts an unbroken run every RUN_CHARS characters', () => {
    const pieces = breakLongRuns('x'.repeat(250_000));
    expect(pieces.length).toBe(Math.ceil(250_000 / RUN_CHARS));
    expect(pieces.every((p) => p.length <= RUN_CHARS)).toBe(true);
  });

  it('keeps every character, never splits a surrogate pair or a mark from its letter', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('a', ' ', '\n', '\u{1f600}', 'e\u0301', '\u0323', 'b'),
          maxLength: 600,
        }),
        (text) => {
          const pieces = breakLongRuns(text);
          expect(pieces.join('')).toBe(text);
          for (const piece of pieces.slice(1)) {
            expect(/^[\udc00-\udfff\p{M}]/u.test(piece)).toBe(false);
          }
          for (const piece of pieces) expect(/\S{200}/u.test(piece)).toBe(false);
        },
      ),
    );
  });
});

describe('textRows', () => {
  it('cuts lines into rows, keeping every character', () => {
    expect(textRows('abcdefg\nhi', 3)).toEqual(['abc', 'def', 'g', 'hi']);
    const text = '\u{1f600}'.repeat(5);
    const rows = textRows(text, 3);
    expect(rows.join('')).toBe(text);
    expect(rows.every((r) => !/^[\udc00-\udfff]/.test(r))).toBe(true);
  });
});
