/// <reference lib="webworker" />
import { decryptText, encryptText, setS2kBackend } from '../../src-shared/crypto/message';
import { createSplitS2kBackend } from '../../src-shared/crypto/splitS2k';
import { webCryptoContextDigest, webCryptoS2kBackend } from '../../src-shared/crypto/webCryptoS2k';
import type { DecryptJob, DecryptResult } from './cipher';
import { MAIN_S2K_MIN_COUNT, createMainS2kBackend, type S2kAnswer, type S2kCall } from './mainS2k';
import { createHelperDigest } from './s2kHelper';

// Both directions run here: each costs an S2K derivation that would stall the UI thread. One
// message per request, answered in order, so the page can time each against its budget.
export type CipherRequest =
  | { batch: number; op: 'decrypt'; job: DecryptJob }
  | { batch: number; op: 'encrypt'; plaintext: string; passphrase: string };

export type CipherReply =
  | { batch: number; op: 'decrypt'; result: DecryptResult }
  | { batch: number; op: 'encrypt'; ciphertext: string }
  | { batch: number; op: 'error'; message: string; retry?: true };

/** In the desktop app the page says so first: large S2K work then goes to main (see mainS2k). */
export type WorkerInbound = CipherRequest | { op: 'use-main-s2k' } | S2kAnswer;
export type WorkerOutbound = CipherReply | S2kCall;

const scope = self as unknown as DedicatedWorkerGlobalScope;
// In a browser, a gpg-sized S2K's two contexts are hashed side by side: one here, one in a
// nested helper worker. The desktop app sends them to main instead (mainS2k).
const splitS2k = createSplitS2kBackend(
  webCryptoS2kBackend,
  webCryptoContextDigest,
  createHelperDigest(),
  MAIN_S2K_MIN_COUNT,
);
setS2kBackend(splitS2k);
const mainS2k = createMainS2kBackend((call) => scope.postMessage(call), splitS2k);

async function handle(request: CipherRequest): Promise<CipherReply> {
  if (request.op === 'encrypt') {
    return {
      batch: request.batch,
      op: 'encrypt',
      ciphertext: await encryptText(request.plaintext, request.passphrase),
    };
  }
  const { job } = request;
  try {
    const text = await decryptText(job.data, job.passphrase);
    return { batch: request.batch, op: 'decrypt', result: { id: job.id, ok: true, text } };
  } catch {
    return { batch: request.batch, op: 'decrypt', result: { id: job.id, ok: false } };
  }
}

let queue: Promise<void> = Promise.resolve();

scope.onmessage = (event: MessageEvent<WorkerInbound>) => {
  const message = event.data;
  if (message.op === 'use-main-s2k') return setS2kBackend(mainS2k.backend);
  if (message.op === 's2k-answer') return mainS2k.answer(message);
  queue = queue.then(() =>
    handle(message).then(
      (reply) => scope.postMessage(reply),
      (error: unknown) =>
        scope.postMessage({
          batch: message.batch,
          op: 'error',
          message: String(error),
        } satisfies CipherReply),
    ),
  );
};
