/** A piece of message text: plain, or an http(s) link to render as one. */
export type TextPart = { text: string } | { url: string };

// Scheme, then anything up to whitespace or characters that cannot end a pasted URL.
const LINK = /\bhttps?:\/\/[^\s<>"'`]+/gi;
/** Punctuation that ends a sentence rather than the link ("see https://x.org/a."). */
const TRAILING = /[.,;:!?)\]}’”]+$/;

/** Splits text into plain parts and http/https links; every other scheme stays text. */
export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    let url = match[0];
    const trailing = TRAILING.exec(url)?.[0] ?? '';
    // Keep a closing parenthesis that matches one inside the link (Wikipedia-style URLs).
    let cut = trailing.length;
    if (trailing.startsWith(')') && url.slice(0, -cut).includes('(')) cut = trailing.length - 1;
    url = url.slice(0, url.length - cut);
    if (!isSafeLink(url)) continue;
    const start = match.index;
    if (start > last) parts.push({ text: text.slice(last, start) });
    parts.push({ url });
    last = start + url.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

/** http and https URLs with a host only: what a link may open. */
export function isSafeLink(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
}
