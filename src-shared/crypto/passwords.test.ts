import { afterEach, describe, expect, it, vi } from 'vitest';
import { PASSWORD_ALPHABET, generatePassword } from './passwords';

describe('generatePassword', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('makes 16 characters of A-Z0-9 by default, as the stock client does', () => {
    for (let i = 0; i < 200; i++) expect(generatePassword()).toMatch(/^[A-Z0-9]{16}$/);
  });

  it('honours the requested length', () => {
    expect(generatePassword(1)).toHaveLength(1);
    expect(generatePassword(40)).toMatch(/^[A-Z0-9]{40}$/);
  });

  it('rejects lengths that make no password', () => {
    for (const length of [0, -1, 1.5, Number.NaN, 5000])
      expect(() => generatePassword(length)).toThrow(RangeError);
  });

  it('never repeats itself', () => {
    const seen = new Set(Array.from({ length: 2000 }, () => generatePassword()));
    expect(seen.size).toBe(2000);
  });

  it('uses every character of the alphabet', () => {
    const used = new Set(Array.from({ length: 100 }, () => generatePassword()).join(''));
    expect([...used].sort().join('')).toBe([...PASSWORD_ALPHABET].sort().join(''));
  });

  it('rejects random bytes that would bias the choice', () => {
    // 252..255 would map to A..D a second time; only the byte after them may be used.
    const queue = [252, 253, 254, 255, 37];
    vi.spyOn(crypto, 'getRandomValues').mockImplementation(
      <T extends ArrayBufferView | null>(array: T): T => {
        const bytes = array as unknown as Uint8Array;
        for (let i = 0; i < bytes.length; i++) bytes[i] = queue.shift() ?? 0;
        return array;
      },
    );
    expect(generatePassword(1)).toBe('B');
  });
});
