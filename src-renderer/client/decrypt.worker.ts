/// <reference lib="webworker" />
import { decryptText, encryptText } from '../../src-shared/crypto/message';
import type { DecryptJob, DecryptResult } from './cipher';

// Both directions run here: each costs an S2K derivation that would stall the UI thread.
export type CipherRequest =
  | { batch: number; op: 'decrypt'; jobs: DecryptJob[] }
  | { batch: number; op: 'encrypt'; plaintext: string; passphrase: string };

export type CipherReply =
  | { batch: number; op: 'decrypt'; results: DecryptResult[] }
  | { batch: number; op: 'encrypt'; ciphertext: string }
  | { batch: number; op: 'error'; message: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;

async function handle(request: CipherRequest): Promise<CipherReply> {
  if (request.op === 'encrypt') {
    return { batch: request.batch, op: 'encrypt', ciphertext: await encryptText(request.plaintext, request.passphrase) };
  }
  const results: DecryptResult[] = [];
  for (const job of request.jobs) {
    try {
      results.push({ id: job.id, ok: true, text: await decryptText(job.data, job.passphrase) });
    } catch {
      results.push({ id: job.id, ok: false });
    }
  }
  return { batch: request.batch, op: 'decrypt', results };
}

scope.onmessage = (event: MessageEvent<CipherRequest>) => {
  handle(event.data).then(
    (reply) => scope.postMessage(reply),
    (error: unknown) =>
      scope.postMessage({ batch: event.data.batch, op: 'error', message: String(error) } satisfies CipherReply),
  );
};
