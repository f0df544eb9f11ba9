import { afterAll, describe, expect, it } from 'vitest';
import type { S2kHash } from '../../src-shared/crypto/s2k';
import { webCryptoS2kBackend } from '../../src-shared/crypto/webCryptoS2k';
import { createNodeWorkerS2kBackend, nodeStreamingS2kBackend } from './nodeS2k';

const workers = createNodeWorkerS2kBackend(2);
afterAll(() => workers.close());

const cases: [S2kHash, number[], number, number][] = [
  ['SHA-1', [1, 2, 3, 4, 5, 6, 7, 8, 65, 66], 65536 * 3 + 7, 2],
  ['SHA-256', [9, 8, 7], 1024, 1],
  ['SHA-512', [1, 2, 3, 4, 5, 6, 7, 8, 0xc3, 0xa9], 10, 3],
  ['SHA-1', Array.from({ length: 100 }, (_, i) => i), 70000, 2],
];

describe.each([
  ['streaming', nodeStreamingS2kBackend],
  ['worker threads', workers],
])('node:crypto %s backend', (_name, backend) => {
  it.each(cases)(
    'agrees with WebCrypto for %s %j over %i octets, %i contexts',
    async (hash, pattern, count, contexts) => {
      const bytes = new Uint8Array(pattern);
      expect(await backend.repeatedDigests(hash, bytes, count, contexts)).toEqual(
        await webCryptoS2kBackend.repeatedDigests(hash, bytes, count, contexts),
      );
    },
  );
});

describe('worker backend', () => {
  it('serves concurrent requests and works again after close', async () => {
    const pattern = new Uint8Array([5, 4, 3, 2, 1]);
    const expected = await webCryptoS2kBackend.repeatedDigests('SHA-256', pattern, 4096, 1);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => workers.repeatedDigests('SHA-256', pattern, 4096, 1)),
    );
    for (const answer of answers) expect(answer).toEqual(expected);
    await workers.close();
    expect(await workers.repeatedDigests('SHA-256', pattern, 4096, 1)).toEqual(expected);
  });

  it('refuses a pool without threads', () => {
    expect(() => createNodeWorkerS2kBackend(0)).toThrow(RangeError);
  });
});
