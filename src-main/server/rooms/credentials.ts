import { hash, randomInt, timingSafeEqual } from 'node:crypto';
import { argon2Hash, argon2Matches } from './argon2-thread';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomAlphanumeric(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}

/** `ROOMNAME-` plus 48 characters from a CSPRNG, as the stock server shapes them. */
export function newSessionKey(roomName: string): string {
  return `${roomName}-${randomAlphanumeric(48)}`;
}

/** The passphrase SYSTEM encrypts with: 16 alphanumerics, one per server run. */
export function newSystemKey(): string {
  return randomAlphanumeric(16);
}

/**
 * Only a digest of a session key is stored; fixed length makes the comparison constant-time.
 * One-shot `hash`: every request digests its key, and a Hash object costs more than the digest.
 */
export function digestSecret(secret: string): Buffer {
  return hash('sha256', secret, 'buffer');
}

export function secretMatches(secret: string, storedDigest: Buffer): boolean {
  const candidate = digestSecret(secret);
  return candidate.length === storedDigest.length && timingSafeEqual(candidate, storedDigest);
}

/** argon2id off the event loop (see argon2-thread.ts). */
export function hashPassword(password: string): Promise<string> {
  return argon2Hash(password);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2Matches(hash, password);
  } catch {
    return false;
  }
}
