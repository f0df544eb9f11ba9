import { pgpWords } from '../words/pgpWordList';

/** A member key is an X25519 public key: 32 octets. */
export const MEMBER_KEY_OCTETS = 32;

/**
 * Its wire form: unpadded base64url of the 32 octets, 43 characters. The last character carries
 * only 4 bits, so it is one of 16: every key has exactly one spelling.
 */
export const MEMBER_KEY_PATTERN = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

/** The kinds of LocalChat client that publish a key; a member without one uses the terminal client. */
export const CLIENT_KINDS = ['app', 'browser'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

export function encodeMemberKey(raw: Uint8Array): string {
  if (raw.length !== MEMBER_KEY_OCTETS) throw new Error('a member key is 32 octets');
  return btoa(String.fromCharCode(...raw))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

export function decodeMemberKey(text: string): Uint8Array<ArrayBuffer> {
  if (!MEMBER_KEY_PATTERN.test(text)) throw new Error('not a member key');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '=');
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/**
 * The key's short fingerprint: the first two octets of SHA-256 of the raw key, in PGP words
 * (e.g. "tiger Pandora"). 16 bits: enough to see at a glance that a name's key changed or that
 * two look-alike names hold different keys, not to stop someone who grinds keys for a match;
 * the room safety code covers every key whole.
 */
export async function memberKeyWords(key: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', decodeMemberKey(key)));
  return pgpWords(digest.subarray(0, 2)).join(' ');
}
