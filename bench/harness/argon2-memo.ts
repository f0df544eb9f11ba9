/**
 * Stands in for the `argon2` package inside the server process during benchmarks whose setup
 * invites and joins thousands of members (see argon2-memo-hooks.mjs). Setup members all share one
 * password, so after the first hash and the first verify every repeat comes from this cache
 * instead of costing ~30 ms of argon2 each. A password or hash seen for the first time is hashed
 * or verified for real: the join-storm invitees' unique passwords cost exactly what they would.
 */
import * as argon2 from 'argon2';

const hashes = new Map<string, Promise<string>>();
const verdicts = new Map<string, Promise<boolean>>();

export const { argon2d, argon2i, argon2id, needsRehash } = argon2;

export function hash(
  password: string,
  options?: Parameters<typeof argon2.hash>[1],
): Promise<string> {
  const key = JSON.stringify([password, options ?? null]);
  let result = hashes.get(key);
  if (!result) hashes.set(key, (result = argon2.hash(password, options)));
  return result;
}

export function verify(
  digest: string,
  password: string,
  options?: Parameters<typeof argon2.verify>[2],
): Promise<boolean> {
  const key = JSON.stringify([digest, password]);
  let result = verdicts.get(key);
  if (!result) verdicts.set(key, (result = argon2.verify(digest, password, options)));
  return result;
}

export default { argon2d, argon2i, argon2id, needsRehash, hash, verify };
