import * as openpgp from 'openpgp';
import { fromBase64, toWrappedBase64 } from './base64';

const config = {
  preferredSymmetricAlgorithm: openpgp.enums.symmetric.aes256,
  aeadProtect: false,
};

/** Encrypts as `gpg --symmetric --cipher-algo AES256` does, then base64 with 76-char lines. */
export async function encryptText(plaintext: string, passphrase: string): Promise<string> {
  const message = await openpgp.createMessage({ text: plaintext });
  const binary = await openpgp.encrypt({
    message,
    passwords: [passphrase],
    format: 'binary',
    config,
  });
  return toWrappedBase64(binary as Uint8Array);
}

/** Decrypts a base64 OpenPGP symmetric message; throws if the passphrase or data is wrong. */
export async function decryptText(base64: string, passphrase: string): Promise<string> {
  const message = await openpgp.readMessage({ binaryMessage: fromBase64(base64) });
  const { data } = await openpgp.decrypt({ message, passwords: [passphrase], format: 'binary' });
  return new TextDecoder().decode(data as Uint8Array);
}
