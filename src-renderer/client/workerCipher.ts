import type { LocalChatBridge } from '../../src-shared/ipc/contract';
import type { Cipher, DecryptJob, DecryptResult } from './cipher';
import type { CipherReply, CipherRequest, WorkerInbound, WorkerOutbound } from './decrypt.worker';
import { answerS2kCall } from './mainS2k';

type Pending = { resolve: (reply: CipherReply) => void };

/**
 * Runs message crypto in a small pool of module workers so a backlog never blocks the UI thread;
 * each message costs a full S2K derivation, so spreading a backlog over cores also shortens it.
 */
export function createWorkerCipher(
  poolSize = Math.min(4, Math.max(1, navigator.hardwareConcurrency || 2)),
  bridge: LocalChatBridge | undefined = window.localchat,
): Cipher {
  const workers: Worker[] = [];
  const pending = new Map<number, Pending>();
  let nextBatch = 0;
  let nextWorker = 0;

  function failAll(message: string) {
    for (const [batch, entry] of pending) {
      pending.delete(batch);
      entry.resolve({ batch, op: 'error', message });
    }
  }

  function pick(): Worker {
    if (workers.length < poolSize) {
      const created = new Worker(new URL('./decrypt.worker.ts', import.meta.url), {
        type: 'module',
      });
      const send = (message: WorkerInbound) => created.postMessage(message);
      created.onmessage = (event: MessageEvent<WorkerOutbound>) => {
        const message = event.data;
        if (message.op === 's2k-call') {
          if (bridge)
            void answerS2kCall(message, (req) => bridge.invoke('crypto:s2k-digests', req)).then(
              send,
            );
          return;
        }
        const entry = pending.get(message.batch);
        pending.delete(message.batch);
        entry?.resolve(message);
      };
      if (bridge) send({ op: 'use-main-s2k' });
      created.onerror = (event) => failAll(event.message || 'crypto worker failed');
      workers.push(created);
      return created;
    }
    return workers[nextWorker++ % workers.length]!;
  }

  function run(request: CipherRequest): Promise<CipherReply> {
    return new Promise((resolve) => {
      pending.set(request.batch, { resolve });
      pick().postMessage(request);
    });
  }

  async function decryptShare(jobs: DecryptJob[]): Promise<DecryptResult[]> {
    const reply = await run({ batch: nextBatch++, op: 'decrypt', jobs });
    const byId = new Map(reply.op === 'decrypt' ? reply.results.map((r) => [r.id, r]) : []);
    return jobs.map((job) => byId.get(job.id) ?? { id: job.id, ok: false });
  }

  return {
    reset() {
      // Terminating the workers is the only sure way to drop their cached keys.
      for (const worker of workers.splice(0)) worker.terminate();
      failAll('reset');
    },
    async encrypt(plaintext, passphrase) {
      const reply = await run({ batch: nextBatch++, op: 'encrypt', plaintext, passphrase });
      if (reply.op !== 'encrypt') throw new Error('Could not encrypt the message');
      return reply.ciphertext;
    },
    async decrypt(jobs) {
      if (jobs.length === 0) return [];
      const shares = Math.min(poolSize, jobs.length);
      const size = Math.ceil(jobs.length / shares);
      const parts: Promise<DecryptResult[]>[] = [];
      for (let i = 0; i < jobs.length; i += size) parts.push(decryptShare(jobs.slice(i, i + size)));
      return (await Promise.all(parts)).flat();
    },
  };
}
