/**
 * SYSTEM's OpenPGP encryption, loaded on first use: openpgp is more than half of the bundled
 * server's code, and compiling it at launch would double the time to the first answer.
 */
type MessageModule = typeof import('../../../src-shared/crypto/message');

let loading: Promise<MessageModule> | undefined;

function load(): Promise<MessageModule> {
  loading ??= import('../../../src-shared/crypto/message');
  return loading;
}

export async function encryptText(plaintext: string, passphrase: string): Promise<string> {
  return (await load()).encryptText(plaintext, passphrase);
}

/** Loads it in the background once the server answers, so the first join does not wait for it. */
export function preloadSystemCipher(): void {
  void load();
}
