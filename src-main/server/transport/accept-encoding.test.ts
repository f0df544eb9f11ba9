import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseCoding } from './accept-encoding';

describe('chooseCoding', () => {
  it.each([
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip, deflate', 'gzip'],
    ['br', 'br'],
    ['GZIP', 'gzip'],
    ['x-gzip', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['br;q=0.5, gzip;q=0.8', 'gzip'],
    ['br;q=0.8, gzip;q=0.8', 'br'],
    ['br ; q = 0.9 , gzip;q=0.1', 'br'],
    ['*', 'br'],
    ['*;q=0.5, br;q=0', 'gzip'],
    ['gzip;q=0, br;q=0', undefined],
    ['*;q=0', undefined],
    ['identity', undefined],
    ['deflate, zstd', undefined],
    ['', undefined],
  ])('%j -> %s', (header, coding) => {
    expect(chooseCoding(header)).toBe(coding);
  });

  it.each([
    ['a q that is not a number', 'br;q=high, gzip', 'gzip'],
    ['a q above 1', 'br;q=2, gzip', 'gzip'],
    ['a negative q', 'br;q=-1', undefined],
    ['an unknown parameter', 'br;level=11', undefined],
    ['a duplicate that would raise a refused coding', 'br;q=0, br', undefined],
    ['empty entries', ',,, ,;, gzip', 'gzip'],
  ])('ignores %s (%j -> %s)', (_what, header, coding) => {
    expect(chooseCoding(header)).toBe(coding);
  });

  it('gives garbage the file as it is: an over-long header, a repeated header (array)', () => {
    expect(chooseCoding(`${'x, '.repeat(400)}br`)).toBeUndefined();
    expect(chooseCoding(['br', 'gzip'])).toBeUndefined();
    expect(chooseCoding(undefined)).toBeUndefined();
  });

  it('never throws and answers only br, gzip or nothing, for any header', () => {
    const token = fc.oneof(
      fc.constantFrom('br', 'gzip', '*', 'identity', 'q=1', 'q=0', ';', ',', ' ', '='),
      fc.string({ maxLength: 8, unit: 'binary' }),
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), (parts) => {
        const coding = chooseCoding(parts.join(''));
        expect([undefined, 'br', 'gzip']).toContain(coding);
      }),
      { numRuns: 500 },
    );
  });
});
