/**
 * The browser half of the decryption benchmark: bundled for Chromium and run in the page, where
 * the renderer's worker decrypts (WebCrypto is the only native hash a page has).
 */
import * as openpgp from 'openpgp';
import { fromBase64 } from '../../src-shared/crypto/base64';
import { clearDerivedKeyCache, decryptText } from '../../src-shared/crypto/message';
import { createSplitS2kBackend } from '../../src-shared/crypto/splitS2k';
import { webCryptoContextDigest, webCryptoS2kBackend } from '../../src-shared/crypto/webCryptoS2k';
import { MAIN_S2K_MIN_COUNT } from '../../src-renderer/client/mainS2k';
import { createHelperDigest, type HelperWorker } from '../../src-renderer/client/s2kHelper';

export interface InPageInput {
  gpgMessage: string;
  backlog: string[];
  passphrase: string;
  runs: number;
  /** s2kHelper.worker.ts bundled as a classic script. */
  helperScript: string;
}

export interface InPageResult {
  webCryptoSha1Pass: number;
  gpgFastPath: number;
  gpgSplit: number;
  gpgOpenpgp: number;
  backlogPerMessage: number;
  backlogCachedPerMessage: number;
}

async function medianOf(runs: number, task: () => Promise<unknown>): Promise<number> {
  await task();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await task();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1]!;
}

/** Median time of each task, the tasks taking turns, so a busy spell slows them alike. */
async function interleavedMedians(
  runs: number,
  tasks: (() => Promise<unknown>)[],
): Promise<[number, number, number]> {
  for (const task of tasks) await task();
  const times = tasks.map(() => [] as number[]);
  for (let run = 0; run < runs; run++) {
    for (const [i, task] of tasks.entries()) {
      const start = performance.now();
      await task();
      times[i]!.push(performance.now() - start);
    }
  }
  return times.map((t) => t.sort((a, b) => a - b)[t.length >> 1]!) as [number, number, number];
}

async function measure(input: InPageInput): Promise<InPageResult> {
  const pass = new Uint8Array(65011712).fill(0x5a);
  // As the renderer's crypto worker does it in a browser: the second context in a helper worker.
  const url = URL.createObjectURL(new Blob([input.helperScript], { type: 'text/javascript' }));
  const split = createSplitS2kBackend(
    webCryptoS2kBackend,
    webCryptoContextDigest,
    createHelperDigest(() => new Worker(url) as unknown as HelperWorker),
    MAIN_S2K_MIN_COUNT,
  );
  const [webCryptoSha1Pass, gpgFastPath, gpgSplit] = await interleavedMedians(input.runs, [
    () => crypto.subtle.digest('SHA-1', pass),
    async () => {
      clearDerivedKeyCache();
      await decryptText(input.gpgMessage, input.passphrase, { s2kBackend: webCryptoS2kBackend });
    },
    async () => {
      clearDerivedKeyCache();
      await decryptText(input.gpgMessage, input.passphrase, { s2kBackend: split });
    },
  ]);
  const gpgOpenpgp = await medianOf(Math.min(input.runs, 5), async () => {
    const message = await openpgp.readMessage({ binaryMessage: fromBase64(input.gpgMessage) });
    await openpgp.decrypt({ message, passwords: [input.passphrase], format: 'binary' });
  });
  const backlog = await medianOf(input.runs, async () => {
    clearDerivedKeyCache();
    for (const message of input.backlog) await decryptText(message, input.passphrase);
  });
  const cached = await medianOf(input.runs, async () => {
    for (const message of input.backlog) await decryptText(message, input.passphrase);
  });
  const count = input.backlog.length;
  return {
    webCryptoSha1Pass,
    gpgFastPath,
    gpgSplit,
    gpgOpenpgp,
    backlogPerMessage: backlog / count,
    backlogCachedPerMessage: cached / count,
  };
}

(globalThis as { localChatDecryptBench?: typeof measure }).localChatDecryptBench = measure;
