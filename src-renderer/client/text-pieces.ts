/**
 * Cutting message text so that no message costs the page more than a frame to lay out. A browser
 * lays out an unbroken run of text as one word, which for 250,000 characters froze a tab for
 * 14.5 s; a run cut into short pieces, and a very long text shown only where it is scrolled to,
 * cost what a short message costs.
 */

/** A run of this many characters without a space gets a break opportunity after it. */
export const RUN_CHARS = 64;
/** Texts up to this many characters are shown whole, in the message; longer ones in a viewer. */
export const INLINE_CHARS = 20_000;

const SPACE = /\s/;
const MARK = /\p{M}/u;

/**
 * The text cut into pieces, to be laid out with a break opportunity between them: after every
 * RUN_CHARS characters without a space, never inside a surrogate pair or before a combining mark.
 */
export function breakLongRuns(text: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (SPACE.test(text[i]!)) {
      run = 0;
      continue;
    }
    if (code >= 0xd800 && code <= 0xdbff) continue; // the pair's second half ends the character
    run += 1;
    const next = text[i + 1];
    if (run >= RUN_CHARS && next !== undefined && !MARK.test(next) && !SPACE.test(next)) {
      pieces.push(text.slice(start, i + 1));
      start = i + 1;
      run = 0;
    }
  }
  if (start < text.length || pieces.length === 0) pieces.push(text.slice(start));
  return pieces;
}

/**
 * The text as rows of at most `rowChars` characters, for a viewer that draws only the rows in
 * sight: each line of the text, cut every `rowChars` characters (never inside a surrogate pair).
 */
export function textRows(text: string, rowChars: number): string[] {
  const rows: string[] = [];
  for (const line of text.split('\n')) {
    if (line.length <= rowChars) {
      rows.push(line);
      continue;
    }
    let start = 0;
    while (start < line.length) {
      let end = Math.min(line.length, start + rowChars);
      const last = line.charCodeAt(end - 1);
      if (end < line.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
      rows.push(line.slice(start, end));
      start = end;
    }
  }
  return rows;
}
