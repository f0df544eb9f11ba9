import type { S2kBackend } from '../../src-shared/crypto/s2k';
import type { S2kDigestRequest } from '../../src-shared/ipc/contract';

/**
 * Counts from here up go to the desktop app's main process: GnuPG's default is 65,011,712 octets
 * of SHA-1, which Node streams several times faster than WebCrypto's one-shot digest (that needs
 * the whole input in memory and a pass per context). Our own messages' 65,536 stay local: an IPC
 * round trip would cost more than hashing them.
 */
export const MAIN_S2K_MIN_COUNT = 1 << 20;

export interface S2kCall {
  op: 's2k-call';
  id: number;
  request: S2kDigestRequest;
}

export type S2kAnswer =
  | { op: 's2k-answer'; id: number; digests: Uint8Array[] }
  | { op: 's2k-answer'; id: number; error: string };

/**
 * The worker's side: an S2K backend that asks the page (which holds the bridge to main) by message,
 * for large counts only, and falls back to `local` if main fails. `answer` takes the page's replies.
 */
export function createMainS2kBackend(
  post: (call: S2kCall) => void,
  local: S2kBackend,
): { backend: S2kBackend; answer(reply: S2kAnswer): void } {
  const waiting = new Map<number, { resolve(d: Uint8Array[]): void; reject(e: Error): void }>();
  let nextId = 0;
  return {
    backend: {
      repeatedDigests(hash, pattern, count, contexts) {
        if (count < MAIN_S2K_MIN_COUNT)
          return local.repeatedDigests(hash, pattern, count, contexts);
        const id = nextId++;
        return new Promise<Uint8Array[]>((resolve, reject) => {
          waiting.set(id, { resolve, reject });
          post({ op: 's2k-call', id, request: { hash, pattern, count, contexts } });
          // Main failing must not cost the message: WebCrypto is slower, not wrong.
        }).catch(() => local.repeatedDigests(hash, pattern, count, contexts));
      },
    },
    answer(reply) {
      const entry = waiting.get(reply.id);
      waiting.delete(reply.id);
      if (!entry) return;
      if ('error' in reply) entry.reject(new Error(reply.error));
      else entry.resolve(reply.digests);
    },
  };
}

/** The page's side: runs a worker's call over the bridge and says how it went. */
export async function answerS2kCall(
  call: S2kCall,
  digests: (request: S2kDigestRequest) => Promise<Uint8Array[]>,
): Promise<S2kAnswer> {
  try {
    return { op: 's2k-answer', id: call.id, digests: await digests(call.request) };
  } catch (error) {
    return { op: 's2k-answer', id: call.id, error: String(error) };
  }
}
