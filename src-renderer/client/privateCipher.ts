import { isPrivateDm, openPrivateDm, type PrivateDmKeys } from '../../src-shared/crypto/privateDm';
import type { Cipher, DecryptJob, DecryptResult } from './cipher';

export interface PrivateDmSource {
  /** This join's member key pair, once made. */
  keys(): PrivateDmKeys | undefined;
  /** The key the room lists for a member (looked up again if it may have just been published). */
  senderKey(from: string): Promise<string | undefined>;
}

/**
 * The room's cipher with private DMs opened beside it: a private DM costs one X25519, one HKDF and
 * one AES-GCM pass here (milliseconds, no S2K), so it needs no worker; everything else goes to the
 * OpenPGP workers as before. The scheduler still orders, budgets and counts both alike.
 */
export function withPrivateDms(inner: Cipher, source: PrivateDmSource): Cipher {
  async function open(job: DecryptJob): Promise<DecryptResult> {
    const keys = source.keys();
    if (!keys || job.from === undefined) return { id: job.id, ok: false };
    const opened = await openPrivateDm(job.data, keys, await source.senderKey(job.from));
    return opened.ok
      ? { id: job.id, ok: true, text: opened.text, private: true }
      : { id: job.id, ok: false };
  }
  return {
    get concurrency() {
      return inner.concurrency;
    },
    encrypt: (plaintext, passphrase) => inner.encrypt(plaintext, passphrase),
    async decrypt(jobs) {
      const mine = jobs.filter((j) => isPrivateDm(j.data));
      const rest = jobs.filter((j) => !isPrivateDm(j.data));
      const [opened, others] = await Promise.all([
        Promise.all(mine.map(open)),
        rest.length > 0 ? inner.decrypt(rest) : Promise.resolve([]),
      ]);
      return [...opened, ...others];
    },
    ...(inner.cancel ? { cancel: (id: number) => inner.cancel!(id) } : {}),
    reset: () => inner.reset(),
  };
}
