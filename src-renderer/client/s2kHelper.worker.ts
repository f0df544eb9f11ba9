/// <reference lib="webworker" />
import type { S2kHash } from '../../src-shared/crypto/s2k';
import { webCryptoContextDigest } from '../../src-shared/crypto/webCryptoS2k';

/**
 * A crypto worker's helper (a nested worker): hashes one S2K context while its parent hashes
 * another (see splitS2k.ts).
 */
export interface ContextRequest {
  id: number;
  hash: S2kHash;
  pattern: Uint8Array;
  count: number;
  preload: number;
}

export type ContextAnswer = { id: number; digest: Uint8Array } | { id: number; error: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (event: MessageEvent<ContextRequest>) => {
  const { id, hash, pattern, count, preload } = event.data;
  webCryptoContextDigest(hash, pattern, count, preload).then(
    (digest) => scope.postMessage({ id, digest } satisfies ContextAnswer),
    (error: unknown) => scope.postMessage({ id, error: String(error) } satisfies ContextAnswer),
  );
  pattern.fill(0);
};
