import prototypes from 'unhomoglyph/data.json' with { type: 'json' };
import { SYSTEM_USER } from './limits';
import { ROOM_WIDE } from './responses';

/**
 * Unicode's confusables.txt (via unhomoglyph, which ships it as a map from each source code point
 * to its prototype). Keys are single code points.
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

export function confusable(a: string, b: string): boolean {
  return skeleton(a) === skeleton(b);
}

/**
 * Names nobody may take: SYSTEM speaks for the server, and "0" is the wire's room-wide marker in
 * `touser` (a DM to a member named "0" would reach the whole room). A name that looks like SYSTEM
 * is refused with it; "0" is reserved exactly, since only the wire's value does harm.
 */
export function isReservedName(name: string): boolean {
  return name === ROOM_WIDE || confusable(name, SYSTEM_USER);
}

/** The first of `names` that `name` can be mistaken for on screen (itself included), if any. */
export function confusableWith(name: string, names: Iterable<string>): string | undefined {
  const target = skeleton(name);
  for (const other of names) if (skeleton(other) === target) return other;
  return undefined;
}
