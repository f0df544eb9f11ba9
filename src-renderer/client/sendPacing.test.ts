import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { postPaced } from './sendPacing';

const throttled = (seconds?: number) =>
  new ApiError('locked-out', 'sendMsg', 'Too many attempts', 429, seconds);

describe('posting under the server send limit', () => {
  it('waits as long as Retry-After says and posts again until accepted', async () => {
    const answers: (number | ApiError)[] = [throttled(2), throttled(), 42];
    const waits: number[] = [];
    const told: number[] = [];
    const msgid = await postPaced(
      async () => {
        const next = answers.shift()!;
        if (next instanceof ApiError) throw next;
        return next;
      },
      {
        wait: async (ms) => (waits.push(ms), true),
        onThrottled: (s) => told.push(s),
      },
    );
    expect(msgid).toBe(42);
    expect(waits).toEqual([2_000, 1_000]);
    expect(told).toEqual([2, 1]);
  });

  it('stops when the session ends while waiting, and leaves other failures to the caller', async () => {
    const ended = await postPaced(() => Promise.reject(throttled(5)), {
      wait: async () => false,
      onThrottled: () => {},
    });
    expect(ended).toBeUndefined();
    const gone = new ApiError('forbidden', 'sendMsg', 'Forbidden', 403);
    await expect(
      postPaced(() => Promise.reject(gone), { wait: async () => true, onThrottled: () => {} }),
    ).rejects.toBe(gone);
  });
});
