import fc from 'fast-check';
import prototypes from 'unhomoglyph/data.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { userName } from './fields';
import {
  confusable,
  confusableWith,
  hasBlankOrInvisible,
  isReservedName,
  mixesScripts,
  scriptsOf,
  skeleton,
} from './names';

/**
 * Issue 21 item 3: look-alike names. A name is accepted into a room only when the schema takes
 * it, it is not reserved, and it looks like no member: `accepted` is the server's decision.
 */
const MEMBERS = ['alice', 'bob', 'olive', 'mary', 'ren\u00e9'];

function accepted(name: string, members: readonly string[] = MEMBERS): boolean {
  const parsed = userName.safeParse(name);
  if (!parsed.success) return false;
  return !isReservedName(parsed.data) && confusableWith(parsed.data, members) === undefined;
}

/** Every code point that confusables.txt draws like `ch` (its skeleton's equals), `ch` included. */
const SOURCES = new Map<string, string[]>();
function lookAlikesOf(ch: string): string[] {
  let found = SOURCES.get(ch);
  if (!found) {
    const target = skeleton(ch);
    found = [ch, ...Object.keys(prototypes).filter((k) => skeleton(k) === target)];
    SOURCES.set(ch, found);
  }
  return found;
}

/** Small enough to be missed, or drawn as nothing. */
const MARKS = ['\u0307', '\u0323', '\u0300', '\u0301', '\u0331', '\u0358', '\u0f37', '\u1ab7'];
const DOTS_AND_SPACES = ['.', '-', '_', ' ', '\u0f0c', '\u00b7', "'", '\u02d9'];
const BLANKS = [
  '\u2800',
  '\u3164',
  '\u115f',
  '\u1160',
  '\uffa0',
  '\u200b',
  '\u2060',
  '\ufe0f',
  '\ufe00',
  '\u034f',
  '\u00a0',
  '\u3000',
  '\u1cbc',
  '\u{1d159}',
  '\u{1d173}',
  '\u{e0100}',
];

/** One character, disguised: drawn alike, perhaps with a mark. */
const disguisedChar = (ch: string) =>
  fc.oneof(
    fc.constantFrom(...lookAlikesOf(ch)),
    fc
      .tuple(fc.constantFrom(...lookAlikesOf(ch)), fc.constantFrom(...MARKS))
      .map(([c, m]) => c + m),
  );

/** The same name in other capitals: "ALICE" and "Alice" beside "alice". */
const casings = (name: string) => [
  name,
  name.toUpperCase(),
  name.toLowerCase(),
  name.charAt(0).toUpperCase() + name.slice(1).toLowerCase(),
];

/**
 * A name drawn like `original` or one of its casings: each character disguised, with small or
 * blank additions.
 */
const lookAlike = (original: string) =>
  fc
    .tuple(
      fc
        .constantFrom(...casings(original))
        .chain((cased) => fc.tuple(...[...cased].map(disguisedChar))),
      fc.array(
        fc.tuple(
          fc.nat(original.length),
          fc.oneof(fc.constantFrom(...DOTS_AND_SPACES), fc.constantFrom(...BLANKS)),
        ),
        { maxLength: 2 },
      ),
    )
    .map(([chars, additions]) => {
      const out = [...chars];
      for (const [at, extra] of additions) out.splice(at, 0, extra);
      return out.join('');
    })
    .filter((name) => name.normalize('NFC') !== original);

describe('look-alike names (fast-check)', () => {
  it('accepts no generated look-alike of a member', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MEMBERS).chain(lookAlike), (name) => !accepted(name)),
      { numRuns: 3_000 },
    );
  });

  it('accepts no generated look-alike of SYSTEM, alone or inside a longer name', () => {
    const systemLike = fc.oneof(
      lookAlike('SYSTEM'),
      lookAlike('system'),
      fc
        .tuple(
          fc.constantFrom('', 'my', 'the '),
          lookAlike('SYSTEM'),
          fc.constantFrom('', 'x', ' bot'),
        )
        .map(([a, b, c]) => a + b + c),
    );
    fc.assert(
      fc.property(systemLike, (name) => !accepted(name, [])),
      { numRuns: 3_000 },
    );
  });
});

describe('the names issue 21 found accepted', () => {
  it.each([
    ['SYSTEM + Braille blank', 'SYSTEM\u2800'],
    ['Braille blank first', '\u2800alice'],
    ['Braille blank inside', 'al\u2800ice'],
    ['small capitals', '\ua731\u028f\ua731\u1d1b\u1d07\u1d0d'],
    ['a combining dot above i', 'ali\u0307ce'],
    ['a combining dot below e', 'alic\u0323e'],
    ['capitals', 'ALICE'],
    ['a capital', 'Alice'],
    ['an unassigned code point at the end', 'alice\u1cbc'],
    ['a Tibetan mark at the end', 'alice\u0f0c'],
    ['a musical null notehead', 'alice\u{1d159}'],
    ['a musical format character', 'alice\u{1d173}'],
  ])('%s: refused', (_, name) => {
    expect(accepted(name)).toBe(false);
  });

  it('reserves every name holding SYSTEM', () => {
    for (const name of ['mysystem', 'SYSTEM2', 'System bot', 'the-system', 's y s t e m'])
      expect(isReservedName(name), name).toBe(true);
    expect(isReservedName('systole')).toBe(false);
  });

  it('still accepts names in other scripts, with accents, and emoji', () => {
    for (const name of [
      'Дмитрий',
      'Алёна',
      'Ανδρέας',
      '美咲',
      'さくら',
      'alice2',
      'bob_the-builder.1',
      'a\u2764\ufe0f',
      'Nguyễn',
    ])
      expect(accepted(name), name).toBe(true);
  });
});

describe('blank and invisible characters, by property', () => {
  it('refuses every Default_Ignorable_Code_Point, White_Space but the space, and the blanks', () => {
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      if (/\p{Default_Ignorable_Code_Point}|(?! )\p{White_Space}/u.test(ch))
        expect(hasBlankOrInvisible(`a${ch}b`), cp.toString(16)).toBe(true);
    }
  });

  it('keeps an emoji’s presentation selector, refuses a selector on its own', () => {
    expect(hasBlankOrInvisible('\u2764\ufe0f')).toBe(false);
    expect(hasBlankOrInvisible('a\ufe0f')).toBe(true);
    expect(hasBlankOrInvisible('\ufe0f')).toBe(true);
  });
});

describe('comparison', () => {
  it('finds case, accents and confusables alike, and tells different names apart', () => {
    expect(confusable('alice', 'ALICE')).toBe(true);
    expect(confusable('aIice', 'alice')).toBe(true);
    expect(confusable('stra\u00dfe', 'STRASSE')).toBe(true);
    expect(confusable('alice', 'alicia')).toBe(false);
    expect(confusable('alice', 'alice2')).toBe(false);
  });
});

describe('scripts', () => {
  it('names the scripts of a name’s letters, and flags a mix', () => {
    expect(scriptsOf('\u0405ystem')).toEqual(['Cyrillic', 'Latin']);
    expect(mixesScripts('\u0405ystem')).toBe(true);
    expect(mixesScripts('alice')).toBe(false);
    expect(mixesScripts('alice2')).toBe(false);
    // Japanese mixes kanji and kana by design.
    expect(mixesScripts('山田さくら')).toBe(false);
    expect(mixesScripts('\u03bflive')).toBe(true);
  });
});
