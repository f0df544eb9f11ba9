import type { ContextDigest } from '../../src-shared/crypto/splitS2k';
import type { ContextAnswer, ContextRequest } from './s2kHelper.worker';

/** The part of a Worker the helper uses (tests give a fake). */
export interface HelperWorker {
  postMessage(message: ContextRequest): void;
  onmessage: ((event: MessageEvent<ContextAnswer>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
}

const createHelperWorker = (): HelperWorker =>
  new Worker(new URL('./s2kHelper.worker.ts', import.meta.url), { type: 'module' });

/**
 * A ContextDigest run in one nested worker, started on first use and kept: the crypto worker's
 * second S2K context is hashed there, beside its first. A worker that cannot start or fails
 * rejects what it holds (the split backend then hashes those contexts itself) and is replaced on
 * the next call.
 */
export function createHelperDigest(create: () => HelperWorker = createHelperWorker): ContextDigest {
  let worker: HelperWorker | null = null;
  const waiting = new Map<number, { resolve(d: Uint8Array): void; reject(e: Error): void }>();
  let nextId = 0;

  function start(): HelperWorker {
    const started = create();
    started.onmessage = (event) => {
      const answer = event.data;
      const entry = waiting.get(answer.id);
      waiting.delete(answer.id);
      if (!entry) return;
      if ('error' in answer) entry.reject(new Error(answer.error));
      else entry.resolve(answer.digest);
    };
    started.onerror = (event) => {
      if (worker === started) worker = null;
      const failed = [...waiting.values()];
      waiting.clear();
      for (const entry of failed) entry.reject(new Error(event.message || 'S2K helper failed'));
    };
    return started;
  }

  return (hash, pattern, count, preload) =>
    new Promise<Uint8Array>((resolve, reject) => {
      try {
        worker ??= start();
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      // A copy: the pattern holds the passphrase, and the helper wipes what it is sent.
      worker.postMessage({ id, hash, pattern: pattern.slice(), count, preload });
    });
}
