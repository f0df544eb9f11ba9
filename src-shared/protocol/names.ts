import prototypes from 'unhomoglyph/data.json' with { type: 'json' };
import { SYSTEM_USER } from './limits';
import { ROOM_WIDE } from './responses';

/**
 * Unicode's confusables.txt (via unhomoglyph, which ships version 13.0 of it as a map from each
 * source code point to its prototype). Keys are single code points.
 */
const PROTOTYPES = new Map<string, string>(Object.entries(prototypes as Record<string, string>));

/**
 * The UTS #39 skeleton: NFD, each code point replaced by its confusables.txt prototype, NFD
 * again. Two strings are confusable exactly when their skeletons are equal ("аlice" with a
 * Cyrillic а and "alice"; "rn" and "m"). Not for display: only for comparing.
 */
export function skeleton(text: string): string {
  let mapped = '';
  for (const ch of text.normalize('NFD')) mapped += PROTOTYPES.get(ch) ?? ch;
  return mapped.normalize('NFD');
}

/**
 * Latin small capitals, which confusables.txt 13.0 leaves mostly unmapped and case folding does
 * not touch: "ꜱʏꜱᴛᴇᴍ" reads as SYSTEM. Every Latin letter small capital of Unicode 16 that stands
 * for a plain letter.
 */
const SMALL_CAPITALS = new Map<string, string>(
  Object.entries({
    ᴀ: 'a',
    ʙ: 'b',
    ᴄ: 'c',
    ᴅ: 'd',
    ᴇ: 'e',
    ꜰ: 'f',
    ɢ: 'g',
    ʜ: 'h',
    ɪ: 'i',
    ᴊ: 'j',
    ᴋ: 'k',
    ʟ: 'l',
    ᴍ: 'm',
    ɴ: 'n',
    ᴏ: 'o',
    ᴘ: 'p',
    ꞯ: 'q',
    ʀ: 'r',
    ꜱ: 's',
    ᴛ: 't',
    ᴜ: 'u',
    ᴠ: 'v',
    ᴡ: 'w',
    ʏ: 'y',
    ᴢ: 'z',
    ᴁ: 'ae',
    ɶ: 'oe',
    ᴌ: 'l',
    ʛ: 'g',
    ꟺ: 'm',
  }),
);

/**
 * Full case folding as far as JavaScript has it: upper then lower case folds "ß" to "ss" and
 * final "ς" to "σ", which lower case alone does not.
 */
function caseFold(text: string): string {
  let out = '';
  for (const ch of text) out += SMALL_CAPITALS.get(ch) ?? ch;
  return out.toUpperCase().toLowerCase();
}

/**
 * What is too small to tell two names apart by: marks (a dot above or below, an accent),
 * punctuation, spaces, and modifier letters and symbols (a raised dot, a superscript). A character whose prototype is only such is dropped before the mapping
 * ("alicẹ", "ali̇ce", "alice." and "a.lice" all leave "alice"); one whose prototype is a letter
 * stays (the Malayalam sign "ം" is drawn as an "o"), and marks are dropped again after it.
 */
const SMALL = /^[\p{M}\p{P}\p{Z}\p{Lm}\p{Sk}]+$/u;
const MARKS = /\p{M}/gu;
function withoutSmall(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFD')) if (!SMALL.test(skeleton(ch))) out += ch;
  return out;
}
const withoutMarks = (text: string) => text.normalize('NFD').replace(MARKS, '');

/**
 * The forms a name is compared in: the skeleton of it and of its NFKC form, without marks,
 * punctuation and spaces, in upper case, lower case and as written, each also case-folded after the mapping
 * (folding only first would lose "I" → "l", only last would miss a capital that is a look-alike
 * only in lower case, and "ALICE" written with a "1" meets "alice" only through "ALICE"). Two names
 * are look-alikes when any of their forms meet.
 */
export function comparisonForms(name: string): string[] {
  const forms = new Set<string>();
  // NFKC first and not: it makes "𝕴" an "I", but also "ͺ" (drawn as an "i") a space and a mark.
  for (const core of new Set([withoutSmall(name), withoutSmall(name.normalize('NFKC'))])) {
    for (const variant of [core, caseFold(core), caseFold(core).toUpperCase()]) {
      const mapped = skeleton(variant);
      forms.add(withoutMarks(mapped));
      forms.add(withoutMarks(skeleton(caseFold(mapped))));
    }
  }
  return [...forms];
}

export function confusable(a: string, b: string): boolean {
  const forms = new Set(comparisonForms(a));
  return comparisonForms(b).some((form) => forms.has(form));
}

const SYSTEM_FORMS = comparisonForms(SYSTEM_USER);

/**
 * Names nobody may take: SYSTEM speaks for the server, and "0" is the wire's room-wide marker in
 * `touser` (a DM to a member named "0" would reach the whole room). Any name whose compared form
 * holds SYSTEM's ("SYSTEM⠀", "ꜱʏꜱᴛᴇᴍ", "mysystem") is refused with it; "0" is reserved exactly,
 * since only the wire's value does harm.
 */
export function isReservedName(name: string): boolean {
  if (name === ROOM_WIDE) return true;
  return comparisonForms(name).some((form) => SYSTEM_FORMS.some((system) => form.includes(system)));
}

/** The first of `names` that `name` can be mistaken for on screen (itself included), if any. */
export function confusableWith(name: string, names: Iterable<string>): string | undefined {
  const forms = new Set(comparisonForms(name));
  for (const other of names)
    if (comparisonForms(other).some((form) => forms.has(form))) return other;
  return undefined;
}

/**
 * Characters that render as nothing, as blank space, or not at all, by Unicode property:
 * controls, format characters (bidi controls, zero-width joiners, invisible musical formatting),
 * every Default_Ignorable_Code_Point (Hangul fillers, variation selectors, the combining grapheme
 * joiner), every White_Space but the plain space, unassigned and private-use code points (no font
 * draws them the same), and the two symbols whose glyph is empty by definition: the Braille blank
 * U+2800 and the musical null notehead U+1D159.
 */
const BLANK_OR_INVISIBLE =
  /[\p{Cc}\p{Cf}\p{Cn}\p{Co}\p{Default_Ignorable_Code_Point}\u2800\u{1D159}]|(?! )\p{White_Space}/u;

/** An emoji's presentation selector (VS15/VS16) right after it is how emoji are written. */
const EMOJI_PRESENTATION = /(\p{Extended_Pictographic}|\p{Emoji})[\uFE0E\uFE0F]/gu;

export function hasBlankOrInvisible(name: string): boolean {
  return BLANK_OR_INVISIBLE.test(name.replace(EMOJI_PRESENTATION, '$1'));
}

/**
 * A combining mark left on its own in NFC, on a base character that confusables.txt already maps
 * to another: the pair draws as something else again ("ı" + U+0307 is an "i"). Refused outright.
 * Letters that compose ("ё", "έ") are one character in NFC and pass.
 */
export function hasMarkOnMappedBase(name: string): boolean {
  let base: string | undefined;
  for (const ch of name.normalize('NFC')) {
    if (/\p{M}/u.test(ch)) {
      if (base !== undefined && PROTOTYPES.has(base) && PROTOTYPES.get(base) !== base) return true;
    } else base = ch;
  }
  return false;
}

/** The scripts that may share one name: Japanese, Chinese and Korean writing mix them by design. */
const WRITING_SYSTEMS: readonly (readonly string[])[] = [
  ['Latin', 'Han', 'Hiragana', 'Katakana'],
  ['Latin', 'Han', 'Bopomofo'],
  ['Latin', 'Han', 'Hangul'],
];

const SCRIPTS = [
  'Latin',
  'Greek',
  'Cyrillic',
  'Armenian',
  'Hebrew',
  'Arabic',
  'Syriac',
  'Thaana',
  'Nko',
  'Devanagari',
  'Bengali',
  'Gurmukhi',
  'Gujarati',
  'Oriya',
  'Tamil',
  'Telugu',
  'Kannada',
  'Malayalam',
  'Sinhala',
  'Thai',
  'Lao',
  'Tibetan',
  'Myanmar',
  'Georgian',
  'Hangul',
  'Ethiopic',
  'Cherokee',
  'Canadian_Aboriginal',
  'Ogham',
  'Runic',
  'Khmer',
  'Mongolian',
  'Hiragana',
  'Katakana',
  'Bopomofo',
  'Han',
  'Yi',
  'Coptic',
  'Glagolitic',
  'Tifinagh',
  'Vai',
  'Bamum',
  'Lisu',
  'Javanese',
  'Balinese',
  'Sundanese',
  'Tagalog',
  'Adlam',
  'Osage',
  'Gothic',
  'Old_Italic',
  'Deseret',
  'Shavian',
  'Cham',
  'Tai_Le',
  'Buginese',
  'Samaritan',
  'Mandaic',
] as const;

const SCRIPT_TESTS = SCRIPTS.map((script) => ({
  script,
  test: new RegExp(`\\p{Script_Extensions=${script}}`, 'u'),
}));

/**
 * The scripts a name's letters are written in (Common and Inherited characters, such as digits,
 * punctuation and marks, belong to none). A letter of a script not listed counts as "other".
 */
export function scriptsOf(name: string): string[] {
  const found = new Set<string>();
  for (const ch of name) {
    if (!/\p{L}/u.test(ch)) continue;
    const matches = SCRIPT_TESTS.filter((s) => s.test.test(ch)).map((s) => s.script);
    // A character used by several scripts (Script_Extensions) says nothing about mixing.
    if (matches.length === 1) found.add(matches[0]!);
    else if (matches.length === 0) found.add('other');
  }
  return [...found];
}

/** More than one script, beyond the mixes one writing system uses: shown beside the name. */
export function mixesScripts(name: string): boolean {
  const scripts = scriptsOf(name);
  if (scripts.length < 2) return false;
  return !WRITING_SYSTEMS.some((system) => scripts.every((s) => system.includes(s)));
}
