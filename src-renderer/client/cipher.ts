/** One ciphertext to open, with the passphrase it was sealed with. */
export interface DecryptJob {
  id: number;
  data: string;
  passphrase: string;
}

export type DecryptResult = { id: number; ok: true; text: string } | { id: number; ok: false };

/** Message crypto as the store sees it; the browser implementation decrypts in Web Workers. */
export interface Cipher {
  encrypt(plaintext: string, passphrase: string): Promise<string>;
  decrypt(jobs: DecryptJob[]): Promise<DecryptResult[]>;
  /** Drops everything derived from passphrases (the crypto layer caches S2K keys). */
  reset(): void;
}
