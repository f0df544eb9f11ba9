import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CRYPTO_LIMITS } from '../../src-shared/crypto/limits';
import type { Cipher, DecryptJob, DecryptResult } from './cipher';
import { createDecryptScheduler, type SenderBudget, type SenderJob } from './decryptScheduler';
import { decodeLine } from './lines';
import { addEvidence, noEvidence, passphraseLooksWrong } from './passphraseCheck';
import type { Clock } from './poller';

const GPG = CRYPTO_LIMITS.gpgMessageWork;
/** Milliseconds a fake worker takes for one gpg message's S2K. */
const GPG_MS = 200;

const clock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * A cipher whose "S2K" takes fake time in proportion to the message's work, `slowdown` times
 * slower while the machine is busy, and which honours each job's time budget as the worker pool
 * does: over it, the job is answered "try again". Data "garbage" fails after its S2K; the rest
 * opens.
 */
function slowCipher(workOf: (data: string) => number) {
  const state = { slowdown: 1, started: [] as number[], overBudget: 0, cancelled: [] as number[] };
  const running = new Map<number, () => void>();
  const cipher: Cipher = {
    encrypt: () => Promise.reject(new Error('not used')),
    reset() {},
    cancel(id) {
      state.cancelled.push(id);
      running.get(id)?.();
    },
    decrypt(jobs: DecryptJob[]) {
      const [job] = jobs;
      state.started.push(job!.id);
      const takes = (workOf(job!.data) / GPG) * GPG_MS * state.slowdown;
      return new Promise<DecryptResult[]>((resolve) => {
        running.set(job!.id, () => resolve([{ id: job!.id, ok: false, retry: true }]));
        if (job!.budgetMs !== undefined && takes > job!.budgetMs) {
          state.overBudget++;
          setTimeout(() => resolve([{ id: job!.id, ok: false, retry: true }]), job!.budgetMs);
        } else {
          setTimeout(
            () =>
              resolve([
                job!.data.startsWith('garbage')
                  ? { id: job!.id, ok: false }
                  : { id: job!.id, ok: true, text: plain(job!.id) },
              ]),
            takes,
          );
        }
      });
    },
  };
  return { cipher, state };
}

/** A chat message's plaintext, as the stock client writes it. */
const plain = (id: number) => JSON.stringify({ user: 'x', text: `plain ${id}`, verb: 'say' });

/** Data names its cost: "gpg ..." a gpg-sized S2K, "ours ..." our 65536-octet one. */
const workOf = (data: string) => (data.includes('gpg') ? GPG : 65_536);

function setup(options: { concurrency?: number; budget?: SenderBudget } = {}) {
  const { cipher, state } = slowCipher(workOf);
  const results = new Map<number, { result: DecryptResult; at: number }>();
  const held: number[] = [];
  const scheduler = createDecryptScheduler({
    cipher,
    concurrency: options.concurrency ?? 2,
    clock,
    workOf,
    ...(options.budget ? { budget: options.budget } : {}),
    onResult: (job, result) => results.set(job.id, { result, at: Date.now() }),
    onHeld: (job) => held.push(job.id),
  });
  return { scheduler, state, results, held };
}

const job = (id: number, from: string, data: string): SenderJob => ({
  id,
  from,
  data,
  passphrase: 'P',
});

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the decrypt scheduler', () => {
  it('loses no gpg-made message on a machine 60x slower than usual: over budget means try again', async () => {
    const { scheduler, state, results } = setup();
    state.slowdown = 60; // 12 s per message: over the first budget (2 s + 6.5 s)
    scheduler.add([1, 2, 3, 4].map((id) => job(id, `stock${id}`, 'gpg message')));
    await vi.advanceTimersByTimeAsync(9_000);
    expect(state.overBudget).toBeGreaterThan(0);
    expect(results.size).toBe(0); // nothing reported as failed while it was only slow
    await vi.advanceTimersByTimeAsync(120_000);
    expect([...results.values()].map((r) => r.result.ok)).toEqual([true, true, true, true]);
  });

  it('never reports a timeout as a failure, however long the machine stays slow', async () => {
    const { scheduler, state, results } = setup({ concurrency: 1 });
    state.slowdown = 400; // 80 s per message: three budgets run out before one fits
    scheduler.add([job(1, 'stock', 'gpg message')]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(results.size).toBe(0);
    await vi.advanceTimersByTimeAsync(200_000);
    expect(results.get(1)?.result).toEqual({ id: 1, ok: true, text: plain(1) });
  });

  it('never raises the wrong-passphrase prompt while messages of two members run over budget', async () => {
    const { scheduler, state, results } = setup();
    state.slowdown = 60;
    let evidence = addEvidence(
      noEvidence(),
      [
        decodeLine([1, '', 0, 'SYSTEM', '0'], {
          id: 1,
          ok: true,
          text: '{"user":"SYSTEM","text":"User bob joined the room","verb":"sysinfo"}',
        }),
      ],
      'bob',
    );
    const rows = new Map<number, [number, string, number, string, string]>();
    for (const [id, from] of [
      [2, 'alice'],
      [3, 'carol'],
      [4, 'alice'],
      [5, 'carol'],
    ] as const)
      rows.set(id, [id, 'gpg message', 0, from, '0']);
    scheduler.add([...rows.values()].map(([id, data, , from]) => job(id, from, data)));
    for (let t = 0; t < 120; t++) {
      await vi.advanceTimersByTimeAsync(1_000);
      const lines = [...results.values()].map((r) => decodeLine(rows.get(r.result.id)!, r.result));
      expect(passphraseLooksWrong(addEvidence(evidence, lines, 'bob'))).toBe(false);
    }
    evidence = addEvidence(
      evidence,
      [...results.values()].map((r) => decodeLine(rows.get(r.result.id)!, r.result)),
      'bob',
    );
    expect(evidence.failedFrom).toEqual([]);
    expect(results.size).toBe(4);
  });

  it('gives up on a worker that keeps failing after a bounded number of tries, marked retry', async () => {
    const { scheduler, results } = setup({ concurrency: 1 });
    let calls = 0;
    const failing: Cipher = {
      encrypt: () => Promise.reject(new Error('not used')),
      reset() {},
      decrypt: async (jobs) => (calls++, jobs.map((j) => ({ id: j.id, ok: false, retry: true }))),
    };
    const dead = createDecryptScheduler({
      cipher: failing,
      concurrency: 1,
      clock,
      workOf,
      onResult: (job, result) => results.set(job.id, { result, at: Date.now() }),
      onHeld: () => {},
    });
    dead.add([job(1, 'stock', 'gpg message')]);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(CRYPTO_LIMITS.decryptAttempts);
    expect(results.get(1)?.result).toEqual({ id: 1, ok: false, retry: true });
    scheduler.reset();
  });

  it('reports each message as soon as it is decrypted, never behind a slower one', async () => {
    const { scheduler, results } = setup({ concurrency: 2 });
    scheduler.add([job(1, 'alice', 'gpg message'), job(2, 'bob', 'ours')]);
    await vi.advanceTimersByTimeAsync(1);
    expect(results.has(2)).toBe(true);
    expect(results.has(1)).toBe(false);
  });

  it("opens another member's message within its own work during a 100-message flood", async () => {
    const { scheduler, results, state } = setup({ concurrency: 2 });
    scheduler.add(Array.from({ length: 100 }, (_, i) => job(i + 1, 'mallory', `garbage gpg ${i}`)));
    await vi.advanceTimersByTimeAsync(GPG_MS * 5 + 50);
    const arrival = Date.now();
    scheduler.add([job(1000, 'bob', 'gpg honest')]);
    await vi.advanceTimersByTimeAsync(GPG_MS);
    const bob = results.get(1000)!;
    expect(bob.result.ok).toBe(true);
    // One of mallory's was stopped so bob's started at once; it runs again next, to the end.
    expect(bob.at - arrival).toBe(GPG_MS);
    expect(state.cancelled).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(GPG_MS);
    expect(results.get(state.cancelled[0]!)?.result.ok).toBe(false);
  });

  it('stops each message at most once, and never one of a sender without a backlog', async () => {
    const { scheduler, results, state } = setup({ concurrency: 1 });
    scheduler.add([job(1, 'carol', 'gpg one')]);
    scheduler.add([job(2, 'bob', 'gpg two')]);
    // Carol has no backlog: bob waits for her one message.
    expect(state.cancelled).toEqual([]);
    await vi.advanceTimersByTimeAsync(2 * GPG_MS);
    expect([...results.keys()]).toEqual([1, 2]);

    scheduler.add([1, 2, 3].map((i) => job(10 + i, 'mallory', `garbage gpg ${i}`)));
    await vi.advanceTimersByTimeAsync(1);
    scheduler.add([job(20, 'eve', 'gpg a')]);
    scheduler.add([job(21, 'dan', 'gpg b')]);
    await vi.advanceTimersByTimeAsync(1);
    // Eve's message stopped mallory's 11; dan's cannot stop eve's (no backlog), and 11 only once.
    expect(state.cancelled).toEqual([11]);
    await vi.advanceTimersByTimeAsync(10 * GPG_MS);
    expect(results.size).toBe(7);
  });

  it("holds a sender's costly messages past their budget, and opens them on request or as it refills", async () => {
    const budget = { burst: 3, perMinute: 6 };
    const { scheduler, results, held } = setup({ concurrency: 1, budget });
    scheduler.add(Array.from({ length: 6 }, (_, i) => job(i + 1, 'mallory', `garbage gpg ${i}`)));
    scheduler.add([job(50, 'bob', 'ours')]);
    await vi.advanceTimersByTimeAsync(4 * GPG_MS);
    expect([...results.keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 50]);
    expect(held).toEqual([4, 5, 6]);
    scheduler.open(6);
    await vi.advanceTimersByTimeAsync(GPG_MS);
    expect(results.has(6)).toBe(true);
    expect(results.has(4)).toBe(false);
    // 6 a minute: one gpg message's work every 10 s.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(results.has(4)).toBe(true);
    expect(results.has(5)).toBe(false);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(results.has(5)).toBe(true);
  });

  it('marks a flood held at once beyond what the budget covers, and opens a held one next on request', async () => {
    const budget = { burst: 3, perMinute: 6 };
    const { scheduler, held, results } = setup({ concurrency: 1, budget });
    scheduler.add(Array.from({ length: 10 }, (_, i) => job(i + 1, 'mallory', `garbage gpg ${i}`)));
    await vi.advanceTimersByTimeAsync(0);
    expect(held).toEqual([4, 5, 6, 7, 8, 9, 10]);
    // Opened on request, it goes next: before the sender's messages the budget still covers.
    scheduler.open(9);
    await vi.advanceTimersByTimeAsync(2 * GPG_MS);
    expect([...results.keys()]).toEqual([1, 9]);
  });

  it('never holds a member sending our own messages at any human speed', async () => {
    const { scheduler, results, held } = setup();
    for (let i = 0; i < 600; i++) {
      scheduler.add([job(i, 'alice', 'ours')]);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(held).toEqual([]);
    expect(results.size).toBe(600);
  });

  it('never holds a stock user typing a line every two seconds, after a pasted burst of 30', async () => {
    const { scheduler, results, held } = setup();
    scheduler.add(Array.from({ length: 30 }, (_, i) => job(i, 'stock', 'gpg message')));
    for (let i = 30; i < 200; i++) {
      await vi.advanceTimersByTimeAsync(2_000);
      scheduler.add([job(i, 'stock', 'gpg message')]);
    }
    await vi.advanceTimersByTimeAsync(2_000);
    expect(held).toEqual([]);
    expect(results.size).toBe(200);
  });

  it('reports nothing from before a reset', async () => {
    const { scheduler, results } = setup();
    scheduler.add([job(1, 'alice', 'gpg message')]);
    scheduler.reset();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(results.size).toBe(0);
  });
});
