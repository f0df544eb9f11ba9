/**
 * OpenPGP string-to-key (RFC 4880 §3.7 / RFC 9580 §3.7) with a pluggable native hash.
 *
 * openpgp.js derives the key with its own buffer handling; for GnuPG's default (65 MB of SHA-1 per
 * message) the only thing that matters is how fast the platform hashes, so the hashing is
 * delegated to an {@link S2kBackend}: WebCrypto here (Node and browsers alike), a streaming
 * node:crypto one in src-main.
 */

export type S2kHash = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';
export type S2kType = 'simple' | 'salted' | 'iterated';

export interface S2kSpec {
  type: S2kType;
  hash: S2kHash;
  /** 8 bytes for salted and iterated, empty for simple. */
  salt: Uint8Array;
  /** Octets hashed per context (iterated only; the others hash salt||passphrase once). */
  count: number;
}

/** Hashes a repeated pattern; implementations decide how to buffer, stream or parallelise. */
export interface S2kBackend {
  /**
   * For each preload p in 0..contexts-1: the digest of p zero octets followed by `pattern`
   * repeated and cut to exactly `count` octets (count >= pattern.length).
   */
  repeatedDigests(
    hash: S2kHash,
    pattern: Uint8Array,
    count: number,
    contexts: number,
  ): Promise<Uint8Array[]>;
}

export const S2K_HASH_IDS: Readonly<Record<number, S2kHash>> = {
  2: 'SHA-1',
  8: 'SHA-256',
  9: 'SHA-384',
  10: 'SHA-512',
};
export const S2K_HASH_LENGTHS: Readonly<Record<S2kHash, number>> = {
  'SHA-1': 20,
  'SHA-256': 32,
  'SHA-384': 48,
  'SHA-512': 64,
};

export function s2kHashId(hash: S2kHash): number {
  return Number(Object.keys(S2K_HASH_IDS).find((id) => S2K_HASH_IDS[Number(id)] === hash));
}

/** The coded count octet of an iterated S2K -> octets hashed (1024 .. 65011712). */
export function decodeS2kCount(coded: number): number {
  return (16 + (coded & 15)) << ((coded >> 4) + 6);
}

/** Derives `keyLength` octets from the passphrase as the spec says; the backend does the hashing. */
export async function deriveS2kKey(
  spec: S2kSpec,
  passphrase: string,
  keyLength: number,
  backend: S2kBackend,
): Promise<Uint8Array> {
  const secret = new TextEncoder().encode(passphrase);
  const pattern = new Uint8Array(spec.salt.length + secret.length);
  pattern.set(spec.salt);
  pattern.set(secret, spec.salt.length);
  const count = spec.type === 'iterated' ? Math.max(spec.count, pattern.length) : pattern.length;
  const hashLength = S2K_HASH_LENGTHS[spec.hash];
  const contexts = Math.ceil(keyLength / hashLength);
  const digests = await backend.repeatedDigests(spec.hash, pattern, count, contexts);
  const key = new Uint8Array(contexts * hashLength);
  digests.forEach((digest, i) => key.set(digest, i * hashLength));
  pattern.fill(0);
  secret.fill(0);
  return key.slice(0, keyLength);
}

/** Writes `pattern` repeated over target[from..to), doubling the copied span each step. */
export function fillRepeated(
  target: Uint8Array,
  from: number,
  to: number,
  pattern: Uint8Array,
): void {
  const first = Math.min(pattern.length, to - from);
  target.set(pattern.subarray(0, first), from);
  for (let filled = first; filled < to - from; filled *= 2) {
    target.copyWithin(from + filled, from, from + Math.min(filled, to - from - filled));
  }
}
