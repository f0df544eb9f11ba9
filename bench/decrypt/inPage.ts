/**
 * The browser half of the decryption benchmark: bundled for Chromium and run in the page, where
 * the renderer's worker decrypts (WebCrypto is the only native hash a page has).
 */
import * as openpgp from 'openpgp';
import { fromBase64 } from '../../src-shared/crypto/base64';
import { clearDerivedKeyCache, decryptText } from '../../src-shared/crypto/message';

export interface InPageInput {
  gpgMessage: string;
  backlog: string[];
  passphrase: string;
  runs: number;
}

export interface InPageResult {
  webCryptoSha1Pass: number;
  gpgFastPath: number;
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

async function measure(input: InPageInput): Promise<InPageResult> {
  const pass = new Uint8Array(65011712).fill(0x5a);
  const webCryptoSha1Pass = await medianOf(input.runs, () => crypto.subtle.digest('SHA-1', pass));
  const gpgFastPath = await medianOf(input.runs, async () => {
    clearDerivedKeyCache();
    await decryptText(input.gpgMessage, input.passphrase);
  });
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
    gpgOpenpgp,
    backlogPerMessage: backlog / count,
    backlogCachedPerMessage: cached / count,
  };
}

(globalThis as { localChatDecryptBench?: typeof measure }).localChatDecryptBench = measure;
