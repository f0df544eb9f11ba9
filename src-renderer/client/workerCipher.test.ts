import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CipherRequest, WorkerInbound, WorkerOutbound } from './decrypt.worker';
import { createWorkerCipher, type CryptoWorker } from './workerCipher';

const BUDGET = 5_000;

/** A worker that answers each decrypt at once, except jobs whose data is "hang". */
class FakeWorker implements CryptoWorker {
  onmessage: ((event: MessageEvent<WorkerOutbound>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  received: number[] = [];
  terminated = false;
  private busy: Promise<void> = Promise.resolve();

  postMessage(message: WorkerInbound): void {
    if (message.op !== 'decrypt') return;
    this.received.push(message.job.id);
    // Serial, like the real worker: a hanging job holds back the ones sent after it.
    this.busy = this.busy.then(() => this.answer(message));
  }

  private answer(request: CipherRequest & { op: 'decrypt' }): Promise<void> {
    if (request.job.data === 'hang') return new Promise(() => {});
    return Promise.resolve().then(() => {
      if (this.terminated) return;
      const result = { id: request.job.id, ok: true as const, text: `plain ${request.job.data}` };
      this.onmessage?.({ data: { batch: request.batch, op: 'decrypt', result } } as MessageEvent);
    });
  }

  terminate(): void {
    this.terminated = true;
  }
}

function pool(poolSize: number) {
  const workers: FakeWorker[] = [];
  const cipher = createWorkerCipher({
    poolSize,
    budgetMs: BUDGET,
    createWorker: () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker;
    },
  });
  return { cipher, workers };
}

const job = (id: number, data = `m${id}`) => ({ id, data, passphrase: 'P' });

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the crypto worker pool with a time budget', () => {
  it('ends a worker whose decryption runs over budget; the queue behind it goes on within it', async () => {
    const { cipher, workers } = pool(1);
    let settled = false;
    const results = cipher.decrypt([job(1), job(2, 'hang'), job(3), job(4)]);
    void results.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(BUDGET - 1);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await results).toEqual([
      { id: 1, ok: true, text: 'plain m1' },
      { id: 2, ok: false, retry: true },
      { id: 3, ok: true, text: 'plain m3' },
      { id: 4, ok: true, text: 'plain m4' },
    ]);
    expect(workers).toHaveLength(2);
    expect(workers[0]!.terminated).toBe(true);
    expect(workers[1]!.received).toEqual([3, 4]);
    expect(workers[1]!.terminated).toBe(false);
  });

  it('gives each message its own budget, counted from when its worker starts it', async () => {
    const { cipher, workers } = pool(1);
    const results = cipher.decrypt([job(1, 'hang'), job(2, 'hang'), job(3)]);
    await vi.advanceTimersByTimeAsync(2 * BUDGET);
    expect(await results).toEqual([
      { id: 1, ok: false, retry: true },
      { id: 2, ok: false, retry: true },
      { id: 3, ok: true, text: 'plain m3' },
    ]);
    expect(workers.map((w) => w.terminated)).toEqual([true, true, false]);
  });

  it('with several workers, later messages still wait at most one budget', async () => {
    const { cipher } = pool(2);
    const stuck = cipher.decrypt([job(1, 'hang')]);
    let others: unknown;
    void cipher.decrypt([job(2), job(3), job(4)]).then((r) => (others = r));
    await vi.advanceTimersByTimeAsync(BUDGET);
    expect(others).toEqual([2, 3, 4].map((id) => ({ id, ok: true, text: `plain m${id}` })));
    expect(await stuck).toEqual([{ id: 1, ok: false, retry: true }]);
  });

  it('holds a job to its own budget when it names one', async () => {
    const { cipher } = pool(1);
    let result: unknown;
    void cipher.decrypt([{ ...job(1, 'hang'), budgetMs: 3 * BUDGET }]).then((r) => (result = r));
    await vi.advanceTimersByTimeAsync(3 * BUDGET - 1);
    expect(result).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(result).toEqual([{ id: 1, ok: false, retry: true }]);
  });

  it('cancels a running decryption on request: "try again", on a fresh worker', async () => {
    const { cipher, workers } = pool(1);
    const stuck = cipher.decrypt([job(1, 'hang')]);
    cipher.cancel!(1);
    expect(await stuck).toEqual([{ id: 1, ok: false, retry: true }]);
    expect(workers[0]!.terminated).toBe(true);
    cipher.cancel!(99); // nothing running by that id: nothing happens
    expect(await cipher.decrypt([job(2)])).toEqual([{ id: 2, ok: true, text: 'plain m2' }]);
    expect(workers).toHaveLength(2);
  });

  it('encrypts on a fresh worker after a replacement, and reset fails what is pending', async () => {
    const { cipher, workers } = pool(1);
    const results = cipher.decrypt([job(1, 'hang'), job(2, 'hang')]);
    cipher.reset();
    expect(await results).toEqual([
      { id: 1, ok: false },
      { id: 2, ok: false },
    ]);
    expect(workers[0]!.terminated).toBe(true);
    expect(await cipher.decrypt([job(5)])).toEqual([{ id: 5, ok: true, text: 'plain m5' }]);
    expect(workers).toHaveLength(2);
  });

  it('has a worker loaded before the first request and right after a reset, so a send during an outage needs no script fetch', async () => {
    const { cipher, workers } = pool(2);
    expect(workers).toHaveLength(1);
    cipher.reset();
    expect(workers).toHaveLength(2);
    expect(workers[0]!.terminated).toBe(true);
    expect(workers[1]!.terminated).toBe(false);
    expect(await cipher.decrypt([job(7)])).toEqual([{ id: 7, ok: true, text: 'plain m7' }]);
    expect(workers).toHaveLength(2);
  });
});
