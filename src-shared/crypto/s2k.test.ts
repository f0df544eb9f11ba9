import { describe, expect, it } from 'vitest';
import { decodeS2kCount, deriveS2kKey, fillRepeated, type S2kBackend, type S2kHash } from './s2k';
import { webCryptoS2kBackend } from './webCryptoS2k';

/** The spec's definition, spelled out with no cleverness. */
async function referenceDigest(hash: S2kHash, pattern: Uint8Array, count: number, preload: number) {
  const input = new Uint8Array(preload + count);
  for (let i = 0; i < count; i++) input[preload + i] = pattern[i % pattern.length]!;
  return new Uint8Array(await crypto.subtle.digest(hash, input));
}

describe('decodeS2kCount', () => {
  it('decodes the coded count octet', () => {
    expect(decodeS2kCount(0)).toBe(1024);
    expect(decodeS2kCount(0x60)).toBe(65536);
    expect(decodeS2kCount(255)).toBe(65011712);
  });
});

describe('fillRepeated', () => {
  it('repeats the pattern over the range and cuts it mid-pattern', () => {
    const target = new Uint8Array(12).fill(9);
    fillRepeated(target, 2, 11, new Uint8Array([1, 2, 3, 4]));
    expect([...target]).toEqual([9, 9, 1, 2, 3, 4, 1, 2, 3, 4, 1, 9]);
  });

  it('copes with a range shorter than the pattern', () => {
    const target = new Uint8Array(3);
    fillRepeated(target, 0, 2, new Uint8Array([5, 6, 7]));
    expect([...target]).toEqual([5, 6, 0]);
  });
});

describe('webCryptoS2kBackend', () => {
  const pattern = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 0x41, 0x42, 0x43]);
  it.each<[S2kHash, number, number]>([
    ['SHA-1', 1024, 2],
    ['SHA-256', 65536 + 5, 1],
    ['SHA-512', 11, 3],
    ['SHA-1', (1 << 20) + 7, 2],
  ])('matches the definition for %s over %i octets, %i contexts', async (hash, count, contexts) => {
    const digests = await webCryptoS2kBackend.repeatedDigests(hash, pattern, count, contexts);
    const expected = await Promise.all(
      Array.from({ length: contexts }, (_, p) => referenceDigest(hash, pattern, count, p)),
    );
    expect(digests).toEqual(expected);
  });

  it('gives the same answer when the retained buffer is reused', async () => {
    const count = (1 << 20) + 3;
    const first = await webCryptoS2kBackend.repeatedDigests('SHA-1', pattern, count, 2);
    await webCryptoS2kBackend.repeatedDigests('SHA-1', new Uint8Array([9, 9, 9]), count + 100, 2);
    expect(await webCryptoS2kBackend.repeatedDigests('SHA-1', pattern, count, 2)).toEqual(first);
  });
});

describe('deriveS2kKey', () => {
  const recorder = () => {
    const calls: { pattern: number[]; count: number; contexts: number }[] = [];
    const backend: S2kBackend = {
      repeatedDigests(hash, pattern, count, contexts) {
        calls.push({ pattern: [...pattern], count, contexts });
        return webCryptoS2kBackend.repeatedDigests(hash, pattern, count, contexts);
      },
    };
    return { backend, calls };
  };
  const salt = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);

  it('hashes salt||passphrase with as many contexts as the key needs', async () => {
    const { backend, calls } = recorder();
    const key = await deriveS2kKey(
      { type: 'iterated', hash: 'SHA-1', salt, count: 2048 },
      'AB',
      32,
      backend,
    );
    expect(calls).toEqual([
      { pattern: [1, 2, 3, 4, 5, 6, 7, 8, 0x41, 0x42], count: 2048, contexts: 2 },
    ]);
    const [first, second] = await Promise.all(
      [0, 1].map((p) => referenceDigest('SHA-1', new Uint8Array(calls[0]!.pattern), 2048, p)),
    );
    expect([...key]).toEqual([...first!, ...second!.subarray(0, 12)]);
  });

  it('hashes at least the whole pattern when the count is smaller', async () => {
    const { backend, calls } = recorder();
    await deriveS2kKey(
      { type: 'iterated', hash: 'SHA-256', salt, count: 4 },
      'passphrase',
      32,
      backend,
    );
    expect(calls[0]!.count).toBe(18);
  });

  it('hashes the passphrase once for simple and salted S2K, UTF-8 encoded', async () => {
    const { backend, calls } = recorder();
    await deriveS2kKey(
      { type: 'simple', hash: 'SHA-256', salt: new Uint8Array(0), count: 0 },
      'é',
      16,
      backend,
    );
    await deriveS2kKey({ type: 'salted', hash: 'SHA-256', salt, count: 0 }, 'x', 16, backend);
    expect(calls).toEqual([
      { pattern: [0xc3, 0xa9], count: 2, contexts: 1 },
      { pattern: [1, 2, 3, 4, 5, 6, 7, 8, 0x78], count: 9, contexts: 1 },
    ]);
  });
});
