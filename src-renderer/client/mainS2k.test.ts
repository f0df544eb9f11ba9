import { describe, expect, it, vi } from 'vitest';
import type { S2kBackend } from '../../src-shared/crypto/s2k';
import type { S2kDigestRequest } from '../../src-shared/ipc/contract';
import { webCryptoS2kBackend } from '../../src-shared/crypto/webCryptoS2k';
import { answerS2kCall, createMainS2kBackend, MAIN_S2K_MIN_COUNT, type S2kCall } from './mainS2k';

const pattern = new TextEncoder().encode('saltsaltPASSPHRASE');

function countingLocal(): S2kBackend & { calls: number } {
  const local = {
    calls: 0,
    repeatedDigests(...args: Parameters<S2kBackend['repeatedDigests']>) {
      local.calls++;
      return webCryptoS2kBackend.repeatedDigests(...args);
    },
  };
  return local;
}

describe('S2K work handed to the desktop app main process', () => {
  it('keeps small counts local and sends large ones to main, answers matched by id', async () => {
    const local = countingLocal();
    const calls: S2kCall[] = [];
    const main = createMainS2kBackend((call) => calls.push(call), local);

    const small = await main.backend.repeatedDigests('SHA-256', pattern, 65_536, 1);
    expect(calls).toHaveLength(0);
    expect(local.calls).toBe(1);
    expect(small[0]).toHaveLength(32);

    const first = main.backend.repeatedDigests('SHA-1', pattern, MAIN_S2K_MIN_COUNT, 2);
    const second = main.backend.repeatedDigests('SHA-1', pattern, MAIN_S2K_MIN_COUNT * 2, 2);
    expect(calls.map((c) => c.request.count)).toEqual([MAIN_S2K_MIN_COUNT, MAIN_S2K_MIN_COUNT * 2]);
    expect(calls[0]?.request).toMatchObject({ hash: 'SHA-1', contexts: 2, pattern });

    // Main answers out of order; each caller gets its own digests.
    const mainHashes = { calls: 0 };
    const digestsFor = (req: S2kDigestRequest) => {
      mainHashes.calls++;
      return webCryptoS2kBackend.repeatedDigests(req.hash, req.pattern, req.count, req.contexts);
    };
    main.answer(await answerS2kCall(calls[1] as S2kCall, digestsFor));
    main.answer(await answerS2kCall(calls[0] as S2kCall, digestsFor));
    expect(await first).toEqual(
      await webCryptoS2kBackend.repeatedDigests('SHA-1', pattern, MAIN_S2K_MIN_COUNT, 2),
    );
    expect(await second).toEqual(
      await webCryptoS2kBackend.repeatedDigests('SHA-1', pattern, MAIN_S2K_MIN_COUNT * 2, 2),
    );
    expect(mainHashes.calls).toBe(2);
    expect(local.calls).toBe(1);
  });

  it('falls back to local hashing when main fails, so the message still decrypts', async () => {
    const local = countingLocal();
    const calls: S2kCall[] = [];
    const main = createMainS2kBackend((call) => calls.push(call), local);
    const pending = main.backend.repeatedDigests('SHA-1', pattern, MAIN_S2K_MIN_COUNT, 1);
    const failure = await answerS2kCall(calls[0] as S2kCall, () =>
      Promise.reject(new Error('worker died')),
    );
    expect(failure).toEqual({ op: 's2k-answer', id: 0, error: 'Error: worker died' });
    main.answer(failure);
    expect(await pending).toEqual(
      await webCryptoS2kBackend.repeatedDigests('SHA-1', pattern, MAIN_S2K_MIN_COUNT, 1),
    );
    expect(local.calls).toBe(1);
  });

  it('ignores answers nobody asked for', () => {
    const post = vi.fn();
    const main = createMainS2kBackend(post, webCryptoS2kBackend);
    expect(() => main.answer({ op: 's2k-answer', id: 42, digests: [] })).not.toThrow();
  });
});
