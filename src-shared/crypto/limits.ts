/**
 * What a reader spends on one received message at most. Any member can post any bytes, so
 * decrypting must never cost more than an honest message could.
 */
export const CRYPTO_LIMITS = {
  /**
   * Wall time a crypto worker request may take when it names no budget of its own (encrypting
   * our message: one cached or 65536-octet S2K), before its worker is terminated and replaced.
   * Received messages get one from their work (decryptBudgetMs below).
   */
  defaultRequestBudgetMs: 5_000,
  /**
   * Octets of plaintext one message may decompress to. A message is at most 65,536 base64
   * characters (~48 KiB of OpenPGP); our client does not compress, so its plaintext is below
   * that, and gpg (the stock client) compresses prose about 3-4x: 256 KiB covers the largest
   * honest message, while a compression bomb stops here, checked chunk by chunk as it inflates.
   */
  maxPlaintextBytes: 256 * 1024,
  /**
   * The S2K work of one gpg-made message as the stock client writes it: GnuPG's default count,
   * 65011712 octets of SHA-1, in the two hash contexts an AES-256 key needs. No message can cost
   * more: the count octet codes at most this, and SHA-1 needs the most contexts.
   */
  gpgMessageWork: 65011712 * 2,
  /**
   * Time budget of one decryption, from its work: a floor for what work does not count (reading
   * the packets, inflating at most maxPlaintextBytes), plus a rate far below any machine's hashing
   * speed. A gpg message then gets 2 s + 6.5 s; ours (65536 octets of SHA-256) 2 s. A message over
   * it is retried with twice the budget, never dropped (the work is bounded, so it will finish).
   */
  decryptBudgetFloorMs: 2_000,
  decryptBudgetOctetsPerMs: 20_000,
  decryptBudgetCeilingMs: 120_000,
  /**
   * Tries before a decryption is given up: a gpg message then had 8.5 + 17 + 34 + 68 + 120 + 120 s
   * of budget, and a worker that cannot start at all does not spin forever.
   */
  decryptAttempts: 6,
} as const;

/** The wall-time budget of a decryption of `work` S2K octets at its `attempt`-th try (from 0). */
export function decryptBudgetMs(work: number, attempt: number): number {
  const base = CRYPTO_LIMITS.decryptBudgetFloorMs + work / CRYPTO_LIMITS.decryptBudgetOctetsPerMs;
  return Math.min(CRYPTO_LIMITS.decryptBudgetCeilingMs, Math.round(base * 2 ** attempt));
}
