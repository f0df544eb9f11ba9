import { fillRepeated, type S2kBackend, type S2kHash } from './s2k';

/** Above this size the scratch buffer is kept between calls: allocating 65 MB costs more than hashing it. */
const REUSE_THRESHOLD = 1 << 20;
/** A retained scratch buffer is dropped after this long unused, so an idle client gives the memory back. */
const RELEASE_AFTER_MS = 30_000;

let scratch: Uint8Array<ArrayBuffer> | null = null;
let releaseTimer: ReturnType<typeof setTimeout> | null = null;

function scratchBuffer(length: number): Uint8Array<ArrayBuffer> {
  if (length < REUSE_THRESHOLD) return new Uint8Array(length);
  if (!scratch || scratch.length < length) scratch = new Uint8Array(length);
  if (releaseTimer !== null) clearTimeout(releaseTimer);
  releaseTimer = setTimeout(() => {
    scratch = null;
    releaseTimer = null;
  }, RELEASE_AFTER_MS);
  // Never keep a Node process alive just to free memory.
  (releaseTimer as { unref?: () => void }).unref?.();
  return scratch.subarray(0, length);
}

/**
 * WebCrypto's digest is one-shot, so the whole repeated input is materialised once (by doubling
 * copies) with the zero preloads in front: context p hashes the view starting p octets before
 * the pattern. All digests are started before the first await, which lets the platform run them
 * in parallel and lets the scratch buffer be reused at once (digest copies its input on call).
 */
export const webCryptoS2kBackend: S2kBackend = {
  async repeatedDigests(hash, pattern, count, contexts) {
    const preload = contexts - 1;
    const buffer = scratchBuffer(preload + count);
    buffer.fill(0, 0, preload);
    fillRepeated(buffer, preload, preload + count, pattern);
    const pending: Promise<ArrayBuffer>[] = [];
    for (let p = 0; p < contexts; p++)
      pending.push(crypto.subtle.digest(hash, buffer.subarray(preload - p)));
    // The buffer is all passphrase: wipe it rather than leave it in a retained allocation.
    buffer.fill(0);
    return (await Promise.all(pending)).map((digest) => new Uint8Array(digest));
  },
};

/**
 * One hash context of an S2K: the digest of `preload` zero octets, then `pattern` repeated to
 * exactly `count` octets. Lets another thread take a context while this one hashes the first.
 */
export async function webCryptoContextDigest(
  hash: S2kHash,
  pattern: Uint8Array,
  count: number,
  preload: number,
): Promise<Uint8Array> {
  const buffer = scratchBuffer(preload + count);
  buffer.fill(0, 0, preload);
  fillRepeated(buffer, preload, preload + count, pattern);
  const pending = crypto.subtle.digest(hash, buffer);
  buffer.fill(0);
  return new Uint8Array(await pending);
}
