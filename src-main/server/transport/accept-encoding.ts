/** Content codings the web page's files are offered in, best first. */
export type ContentCoding = 'br' | 'gzip';

/** Longer headers are garbage, not a browser's: they get the file as it is. */
const MAX_HEADER_LENGTH = 1024;
const MAX_ENTRIES = 32;
const QUALITY = /^q=(0(\.\d{0,3})?|1(\.0{0,3})?)$/;

/**
 * The coding to answer with, from a request's Accept-Encoding (RFC 9110 12.5.3): the highest
 * quality among br and gzip, br on a tie, `*` standing for codings not named; undefined means
 * the file as it is. Malformed entries are ignored, so garbage can only cost compression.
 */
export function chooseCoding(header: string | string[] | undefined): ContentCoding | undefined {
  if (typeof header !== 'string' || header.length > MAX_HEADER_LENGTH) return undefined;
  const quality = new Map<string, number>();
  for (const entry of header.split(',').slice(0, MAX_ENTRIES)) {
    const [token, ...parameters] = entry.split(';').map((part) => part.trim().toLowerCase());
    const name = token === 'x-gzip' ? 'gzip' : token;
    if (!name || quality.has(name)) continue;
    let q = 1;
    let valid = true;
    for (const parameter of parameters) {
      const match = QUALITY.exec(parameter.replace(/\s+/g, ''));
      if (match) q = Number(match[1]);
      else valid = false;
    }
    if (valid) quality.set(name, q);
  }
  const wildcard = quality.get('*') ?? 0;
  const br = quality.get('br') ?? wildcard;
  const gzip = quality.get('gzip') ?? wildcard;
  if (br > 0 && br >= gzip) return 'br';
  if (gzip > 0) return 'gzip';
  return undefined;
}
