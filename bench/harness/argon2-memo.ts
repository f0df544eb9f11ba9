/**
 * Stands in for the server's argon2 thread (src-main/server/rooms/argon2-thread.ts) inside the
 * server process during benchmarks whose setup invites and joins thousands of members. Setup
 * members all share one password, so after the first hash and the first verify every repeat comes
 * from this cache instead of costing ~80 ms of argon2 each. A password or hash seen for the first
 * time is hashed or verified for real: the join-storm invitees' unique passwords cost exactly
 * what they would.
 */
import * as real from '../../src-main/server/rooms/argon2-thread';

const hashes = new Map<string, Promise<string>>();
const verdicts = new Map<string, Promise<boolean>>();

export function argon2Hash(password: string): Promise<string> {
  let result = hashes.get(password);
  if (!result) hashes.set(password, (result = real.argon2Hash(password)));
  return result;
}

export function argon2Matches(encoded: string, password: string): Promise<boolean> {
  const key = JSON.stringify([encoded, password]);
  let result = verdicts.get(key);
  if (!result) verdicts.set(key, (result = real.argon2Matches(encoded, password)));
  return result;
}
