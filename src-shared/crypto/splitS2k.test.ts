import { describe, expect, it } from 'vitest';
import { decodeS2kCount, type S2kHash } from './s2k';
import { createSplitS2kBackend, type ContextDigest } from './splitS2k';
import { webCryptoContextDigest, webCryptoS2kBackend } from './webCryptoS2k';

const pattern = new TextEncoder().encode('saltsaltQX7RM2KD9WZ4TB1N');
const MIN = 1 << 20;

function recording(digest: ContextDigest) {
  const preloads: number[] = [];
  const fn: ContextDigest = (hash, p, count, preload) => {
    preloads.push(preload);
    return digest(hash, p, count, preload);
  };
  return { fn, preloads };
}

describe('an S2K split over two threads', () => {
  it('gives the same digests as hashing every context in one place', async () => {
    const own = recording(webCryptoContextDigest);
    const helper = recording(webCryptoContextDigest);
    const split = createSplitS2kBackend(webCryptoS2kBackend, own.fn, helper.fn, MIN);
    for (const [hash, contexts] of [
      ['SHA-1', 2],
      ['SHA-256', 2],
      ['SHA-1', 3],
    ] as [S2kHash, number][]) {
      const count = decodeS2kCount(0xa0); // 1 MiB: above the split threshold, quick to test
      expect(await split.repeatedDigests(hash, pattern, count, contexts)).toEqual(
        await webCryptoS2kBackend.repeatedDigests(hash, pattern, count, contexts),
      );
    }
    expect(own.preloads).toEqual([0, 0, 0]);
    expect(helper.preloads).toEqual([1, 1, 1, 2]);
  });

  it('keeps small counts and single contexts local, and hashes a failed helper context itself', async () => {
    const own = recording(webCryptoContextDigest);
    const helper = recording(() => Promise.reject(new Error('helper gone')));
    const split = createSplitS2kBackend(webCryptoS2kBackend, own.fn, helper.fn, MIN);
    await split.repeatedDigests('SHA-256', pattern, 65_536, 2);
    await split.repeatedDigests('SHA-512', pattern, MIN, 1);
    expect([own.preloads, helper.preloads]).toEqual([[], []]);
    const count = decodeS2kCount(0xa0);
    expect(await split.repeatedDigests('SHA-1', pattern, count, 2)).toEqual(
      await webCryptoS2kBackend.repeatedDigests('SHA-1', pattern, count, 2),
    );
    expect(own.preloads).toEqual([0, 1]);
  });
});
