/** Longer texts are folded: one message must not fill the pane or make layout slow. */
export const FOLD = {
  /** A text longer than this many characters, or with more lines, is folded. */
  chars: 1_500,
  lines: 12,
  /** What a folded text shows: at most this many characters and lines. */
  shownChars: 600,
  shownLines: 6,
} as const;

/** The start of `text` to show behind "Show more", or undefined when it is short enough. */
export function foldedText(text: string): string | undefined {
  if (text.length <= FOLD.chars) {
    let lines = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1))
      if (++lines > FOLD.lines) break;
    if (lines <= FOLD.lines) return undefined;
  }
  let cut = Math.min(text.length, FOLD.shownChars);
  let nl = -1;
  for (let n = 0; n < FOLD.shownLines; n++) {
    nl = text.indexOf('\n', nl + 1);
    if (nl === -1 || nl >= cut) break;
    if (n === FOLD.shownLines - 1) cut = nl;
  }
  return text.slice(0, cut);
}
