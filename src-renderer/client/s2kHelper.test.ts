import { describe, expect, it } from 'vitest';
import { webCryptoContextDigest } from '../../src-shared/crypto/webCryptoS2k';
import { createHelperDigest, type HelperWorker } from './s2kHelper';
import type { ContextAnswer, ContextRequest } from './s2kHelper.worker';

/** Answers like the real helper worker, in-process; `fail` makes it die instead. */
class FakeHelper implements HelperWorker {
  onmessage: ((event: MessageEvent<ContextAnswer>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  received: ContextRequest[] = [];
  constructor(private readonly fail = false) {}

  postMessage(message: ContextRequest): void {
    this.received.push(message);
    if (this.fail) {
      queueMicrotask(() => this.onerror?.({ message: 'died' } as ErrorEvent));
      return;
    }
    const { id, hash, pattern, count, preload } = message;
    void webCryptoContextDigest(hash, pattern, count, preload).then((digest) =>
      this.onmessage?.({ data: { id, digest } } as MessageEvent<ContextAnswer>),
    );
  }
}

const pattern = new TextEncoder().encode('saltsaltPASSPHRASE');

describe('the nested S2K helper worker', () => {
  it('hashes a context in the helper, started once and kept, with its own copy of the pattern', async () => {
    const helpers: FakeHelper[] = [];
    const digest = createHelperDigest(() => {
      const helper = new FakeHelper();
      helpers.push(helper);
      return helper;
    });
    const expected = await webCryptoContextDigest('SHA-1', pattern, 4096, 1);
    expect(await digest('SHA-1', pattern, 4096, 1)).toEqual(expected);
    expect(await digest('SHA-1', pattern, 4096, 1)).toEqual(expected);
    expect(helpers).toHaveLength(1);
    expect(helpers[0]!.received[0]!.pattern).not.toBe(pattern);
  });

  it('rejects what a dying helper held, and starts a new one on the next call', async () => {
    let made = 0;
    const digest = createHelperDigest(() => new FakeHelper(made++ === 0));
    await expect(digest('SHA-1', pattern, 4096, 1)).rejects.toThrow('died');
    expect(await digest('SHA-1', pattern, 4096, 1)).toEqual(
      await webCryptoContextDigest('SHA-1', pattern, 4096, 1),
    );
    expect(made).toBe(2);
  });
});
