/**
 * Member-chosen names inside SYSTEM's notices. A name is the member's words, not the server's: it
 * goes into the notice as a JSON string literal (`User "bob" joined the room`), so however it is
 * spelled ("bob left the room. Room closed", a quote mark) the stock client shows where it begins
 * and ends, and LocalChat's client can show it as a name. No server-authored word of a notice
 * contains a double quote mark, so every quoted part is a name.
 */

/** The name as it goes into a notice's text: quoted, with `"` and `\` escaped. */
export function quoteName(name: string): string {
  return JSON.stringify(name);
}

export type NoticePart = { kind: 'words'; text: string } | { kind: 'name'; name: string };

const QUOTED = /"(?:[^"\\]|\\.)*"/g;

/**
 * A regular expression group for one name in a notice, for matching whole notices: a quoted name
 * as our server writes it (tried first, so " kicked " inside the name cannot split it), or the
 * bare name other servers write.
 */
export const NOTICE_NAME = String.raw`("(?:[^"\\]|\\.)*"|.+)`;

/**
 * A notice's text cut into SYSTEM's words and quoted names. A quoted part that is not a valid
 * JSON string stays words; a text without quotes (an older server, the stock one) is all words.
 */
export function noticeParts(text: string): NoticePart[] {
  const parts: NoticePart[] = [];
  let at = 0;
  for (const match of text.matchAll(QUOTED)) {
    const name = parseQuoted(match[0]);
    if (name === undefined) continue;
    if (match.index > at) parts.push({ kind: 'words', text: text.slice(at, match.index) });
    parts.push({ kind: 'name', name });
    at = match.index + match[0].length;
  }
  if (at < text.length) parts.push({ kind: 'words', text: text.slice(at) });
  return parts;
}

/** The name a notice's text captured, unquoted when it is quoted (servers that do not quote). */
export function nameInNotice(captured: string): string {
  return (captured.startsWith('"') && parseQuoted(captured)) || captured;
}

function parseQuoted(literal: string): string | undefined {
  try {
    const value: unknown = JSON.parse(literal);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
