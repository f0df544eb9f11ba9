import { pgpWords } from '../words/pgpWordList';

/**
 * The encoding of the words that people compare (the room safety code, the admission words):
 * fields as tag-length-value, hashed with HKDF-SHA-256, read out in PGP words. See
 * docs/security.md for the recipes and their test vectors.
 */

export const utf8 = (text: string) => new TextEncoder().encode(text);

/** tag (1 octet) || length of value (4 octets, big-endian) || value. */
export function field(tag: number, value: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + value.length);
  out[0] = tag;
  new DataView(out.buffer).setUint32(1, value.length);
  out.set(value, 5);
  return out;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A SHA-256 certificate fingerprint ('AB:CD:…') as its 32 octets; '' gives none. */
export function certificateOctets(certificate: string): Uint8Array {
  const hex = certificate.replace(/[\s:]/g, '');
  if (hex === '') return new Uint8Array();
  if (!/^[0-9A-Fa-f]{64}$/.test(hex)) throw new Error('a certificate fingerprint is 64 hex digits');
  return Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));
}

/** HKDF-SHA-256 (WebCrypto) of the material, one octet per word, spelled in PGP words. */
export async function hkdfWords(
  material: Uint8Array<ArrayBuffer>,
  salt: string,
  info: string,
  words: number,
): Promise<string[]> {
  const key = await crypto.subtle.importKey('raw', material, 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: utf8(salt), info: utf8(info) },
    key,
    words * 8,
  );
  return pgpWords(new Uint8Array(bits));
}
