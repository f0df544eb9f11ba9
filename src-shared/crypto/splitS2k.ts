import type { S2kBackend, S2kHash } from './s2k';

/** Computes one hash context of an S2K (see webCryptoContextDigest), e.g. on another thread. */
export type ContextDigest = (
  hash: S2kHash,
  pattern: Uint8Array,
  count: number,
  preload: number,
) => Promise<Uint8Array>;

/**
 * An S2K backend that hashes the first context here and hands the others to `helper`, so the
 * two 65 MB SHA-1 contexts of a gpg message's AES-256 key run side by side rather than one after
 * the other. Counts below `minCount` stay with `local`: starting a helper costs more than they
 * do. A helper that fails costs nothing but time: its contexts are hashed here.
 */
export function createSplitS2kBackend(
  local: S2kBackend,
  own: ContextDigest,
  helper: ContextDigest,
  minCount: number,
): S2kBackend {
  return {
    async repeatedDigests(hash, pattern, count, contexts) {
      if (contexts < 2 || count < minCount)
        return local.repeatedDigests(hash, pattern, count, contexts);
      const others = Array.from({ length: contexts - 1 }, (_, i) =>
        helper(hash, pattern, count, i + 1).catch(() => own(hash, pattern, count, i + 1)),
      );
      const first = await own(hash, pattern, count, 0);
      return [first, ...(await Promise.all(others))];
    },
  };
}
