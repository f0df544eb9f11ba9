/** One ciphertext to open, with the passphrase it was sealed with. */
export interface DecryptJob {
  id: number;
  data: string;
  passphrase: string;
  /** The row's sender, as the server names it (a private DM must come from that member's key). */
  from?: string;
  /** Longest this job may run in a worker; the pool's default when absent. */
  budgetMs?: number;
}

/**
 * `retry`: nothing was learnt about the message (over its time budget, or its worker died), so it
 * must be tried again rather than shown as undecryptable.
 */
export type DecryptResult =
  | {
      id: number;
      ok: true;
      text: string;
      /** Opened with our member key (a private DM). */ private?: true;
    }
  | { id: number; ok: false; retry?: true };

/** Message crypto as the store sees it; the browser implementation decrypts in Web Workers. */
export interface Cipher {
  /** Decryptions it runs at once (its workers); the decrypt scheduler keeps that many busy. */
  readonly concurrency?: number;
  encrypt(plaintext: string, passphrase: string): Promise<string>;
  decrypt(jobs: DecryptJob[]): Promise<DecryptResult[]>;
  /**
   * Stops a decryption that is running (its worker is replaced); it is answered "try again".
   * The decrypt scheduler uses it to start another member's message at once.
   */
  cancel?(id: number): void;
  /** Drops everything derived from passphrases (the crypto layer caches S2K keys). */
  reset(): void;
}
