import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sendKey } from '../../src-shared/protocol';
import { ApiError } from './api';
import { isRefusal, newSendKey, Outbox, outboxRetryDelay } from './outbox';
import { realClock } from './poller';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('outbox', () => {
  it('fails only what the server refused; a server that does not answer is waited for', () => {
    const error = (kind: ApiError['kind']) => new ApiError(kind, 'sendMsg', kind);
    for (const kind of [
      'forbidden',
      'bad-request',
      'invalid-input',
      'certificate-mismatch',
    ] as const)
      expect(isRefusal(error(kind)), kind).toBe(true);
    for (const kind of ['unreachable', 'server-busy', 'server-error', 'malformed'] as const)
      expect(isRefusal(error(kind)), kind).toBe(false);
    // A failure of this client's own (encryption) is not the server's to fix.
    expect(isRefusal(new Error('worker crashed'))).toBe(true);
  });

  it('backs off to 5 s, never sooner than a Retry-After', () => {
    expect([1, 2, 3, 4, 10].map((n) => outboxRetryDelay(n))).toEqual([
      1_000, 2_000, 4_000, 5_000, 5_000,
    ]);
    expect(outboxRetryDelay(1, 30)).toBe(30_000);
  });

  it('makes 128-bit keys the server accepts', () => {
    const key = newSendKey();
    expect(key).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(sendKey.safeParse(key).success).toBe(true);
    expect(newSendKey()).not.toBe(key);
    expect(newSendKey((b) => b.fill(255))).toBe('_____________________w');
  });

  it('wakes sleeping sends at once when the server answers again', async () => {
    const outbox = new Outbox(realClock);
    let woke = 0;
    void outbox.sleep(60_000).then(() => woke++);
    void outbox.sleep(60_000).then(() => woke++);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(woke).toBe(0);
    outbox.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(woke).toBe(2);
    expect(vi.getTimerCount()).toBe(0);
    void outbox.sleep(500).then(() => woke++);
    await vi.advanceTimersByTimeAsync(500);
    expect(woke).toBe(3);
  });
});
