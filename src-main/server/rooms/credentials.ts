import { hash, randomInt, timingSafeEqual } from 'node:crypto';
import { ActionError } from './action-error';
import { argon2Hash, argon2Matches } from './argon2-thread';
import { HASHING_RETRY_AFTER_SECONDS } from './hashing-queue';

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

/**
 * A hashing thread that fails (it crashed or was ended mid-hash) is the server's trouble, not
 * the user's: a 503 to retry, never a wrong password that counts toward a lockout.
 */
const hashingFailed = (): ActionError => new ActionError(503, HASHING_RETRY_AFTER_SECONDS);

/** argon2id off the event loop (see argon2-thread.ts). */
export async function hashPassword(password: string): Promise<string> {
  try {
    return await argon2Hash(password);
  } catch {
    throw hashingFailed();
  }
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2Matches(hash, password);
  } catch {
    throw hashingFailed();
  }
}
