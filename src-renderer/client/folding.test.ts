import { describe, expect, it } from 'vitest';
import { FOLD, foldedText } from './folding';

describe('foldedText', () => {
  it('leaves a text up to the character and line limits whole', () => {
    expect(foldedText('hello')).toBeUndefined();
    expect(foldedText('x'.repeat(FOLD.chars))).toBeUndefined();
    expect(foldedText(Array(FOLD.lines).fill('line').join('\n'))).toBeUndefined();
  });

  it('folds a long text to its first characters', () => {
    expect(foldedText('x'.repeat(FOLD.chars + 1))).toBe('x'.repeat(FOLD.shownChars));
  });

  it('folds a text of many short lines after its first lines', () => {
    const text = Array.from({ length: FOLD.lines + 1 }, (_, i) => `line ${i}`).join('\n');
    const shown = foldedText(text);
    expect(shown).toBe(Array.from({ length: FOLD.shownLines }, (_, i) => `line ${i}`).join('\n'));
  });

  it('cuts a long text of long lines at the character limit, not at a line', () => {
    const text = Array(FOLD.lines + 1)
      .fill('y'.repeat(200))
      .join('\n');
    const shown = foldedText(text)!;
    expect(shown).toHaveLength(FOLD.shownChars);
    expect(text.startsWith(shown)).toBe(true);
  });
});
