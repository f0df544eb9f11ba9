import { describe, expect, it } from 'vitest';
import { ActionError } from './action-error';
import { HASHING_RETRY_AFTER_SECONDS, HashingQueue } from './hashing-queue';

/** A job that runs until released, recording when it started. */
function gate(log: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return {
    work: async () => {
      log.push(name);
      await done;
      return name;
    },
    release: () => release(),
  };
}

const limits = { concurrency: 1, perSource: 3, hashesInAll: 4, inAll: 6 };

async function refusal(promise: Promise<unknown>): Promise<ActionError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ActionError);
  return error as ActionError;
}

describe('hashing queue', () => {
  it('runs verifications before new hashes queued earlier, one at a time', async () => {
    const queue = new HashingQueue(limits);
    const log: string[] = [];
    const jobs = ['h1', 'h2', 'h3', 'v1'].map((name) => gate(log, name));
    const results = jobs.map((job, i) =>
      queue.run(i < 3 ? 'hash' : 'verify', `10.0.0.${i}`, undefined, job.work),
    );
    await Promise.resolve();
    expect(log).toEqual(['h1']);
    for (const job of jobs) job.release();
    expect(await Promise.all(results)).toEqual(['h1', 'h2', 'h3', 'v1']);
    expect(log).toEqual(['h1', 'v1', 'h2', 'h3']);
    expect(queue.size()).toBe(0);
  });

  it('refuses with 503 and Retry-After beyond the per-source and overall bounds', async () => {
    const queue = new HashingQueue(limits);
    const log: string[] = [];
    const held = gate(log, 'held');
    const admitted = [
      queue.run('hash', 'a', undefined, held.work),
      queue.run('hash', 'a', undefined, held.work),
      queue.run('hash', 'a', undefined, held.work),
    ];
    const overSource = await refusal(queue.run('verify', 'a', undefined, held.work));
    expect([overSource.status, overSource.retryAfterSeconds]).toEqual([
      503,
      HASHING_RETRY_AFTER_SECONDS,
    ]);
    admitted.push(queue.run('hash', 'b', undefined, held.work));
    // Hashes are at their bound: another address's hash is refused, its verification is not.
    expect((await refusal(queue.run('hash', 'c', undefined, held.work))).status).toBe(503);
    admitted.push(queue.run('verify', 'c', undefined, held.work));
    admitted.push(queue.run('verify', 'd', undefined, held.work));
    expect((await refusal(queue.run('verify', 'e', undefined, held.work))).status).toBe(503);
    held.release();
    await Promise.all(admitted);
    expect(queue.size()).toBe(0);
    expect(await queue.run('hash', 'a', undefined, async () => 'again')).toBe('again');
  });

  it('drops a queued job whose request went away, without running it', async () => {
    const queue = new HashingQueue(limits);
    const log: string[] = [];
    const first = gate(log, 'first');
    const running = queue.run('hash', 'a', undefined, first.work);
    const gone = new AbortController();
    const dropped = queue.run('hash', 'b', gone.signal, gate(log, 'dropped').work);
    expect(queue.size()).toBe(2);
    gone.abort();
    expect((await refusal(dropped)).status).toBe(503);
    expect(queue.size()).toBe(1);
    first.release();
    await running;
    expect(log).toEqual(['first']);
    const late = new AbortController();
    late.abort();
    expect((await refusal(queue.run('verify', 'c', late.signal, first.work))).status).toBe(503);
  });
});
