/**
 * What a reader spends on one received message at most. Any member can post any bytes, so
 * decrypting must never cost more than an honest message could.
 */
export const CRYPTO_LIMITS = {
  /**
   * Wall time one decryption may take in a crypto worker before the worker is terminated and
   * replaced and the message shows as undecryptable; no message delays later ones by more.
   * A gpg default message (65 MB of SHA-1 S2K, two contexts for AES-256) takes ~0.2 s in a
   * Chromium page on a 2-core machine and up to ~0.9 s with four workers sharing WebCrypto's
   * one thread; 5 s leaves a machine five times slower room for it.
   */
  decryptBudgetMs: 5_000,
  /**
   * Octets of plaintext one message may decompress to. A message is at most 65,536 base64
   * characters (~48 KiB of OpenPGP); our client does not compress, so its plaintext is below
   * that, and gpg (the stock client) compresses prose about 3-4x: 256 KiB covers the largest
   * honest message, while a compression bomb stops here, checked chunk by chunk as it inflates.
   */
  maxPlaintextBytes: 256 * 1024,
} as const;
