import { hash, randomInt, timingSafeEqual } from 'node:crypto';
import * as argon2 from 'argon2';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

// OWASP's argon2id minimum: cheap enough for a laptop host, still costly to brute-force offline.
const HASH_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

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
 * One argon2 run at a time. Each takes a core and 19 MiB for tens of ms on libuv's pool; four at
 * once (the pool's size) would take every core of a laptop from the event loop serving the room's
 * polls, and leave a 19 MiB malloc arena behind in each pool thread.
 */
let hashing: Promise<unknown> = Promise.resolve();

function oneAtATime<T>(task: () => Promise<T>): Promise<T> {
  const result = hashing.then(task, task);
  hashing = result.catch(() => undefined);
  return result;
}

/** Runs on libuv's thread pool, so hashing never blocks the event loop. */
export function hashPassword(password: string): Promise<string> {
  return oneAtATime(() => argon2.hash(password, HASH_OPTIONS));
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await oneAtATime(() => argon2.verify(hash, password));
  } catch {
    return false;
  }
}
