import { safeStorage } from 'electron';
import type { SecretCipher } from '../hosting/kept-certificate';

/** The part of Electron's safeStorage the keychain uses. */
export type SafeStorage = Pick<
  typeof safeStorage,
  'isEncryptionAvailable' | 'getSelectedStorageBackend' | 'encryptString' | 'decryptString'
>;

/**
 * safeStorage as the kept certificate's cipher, touched only when a certificate is kept or read
 * back. macOS and Windows always have a keychain (Keychain, DPAPI), so availability is answered
 * without asking it: on macOS, asking creates or reads a keychain item tied to the app's
 * signature, and an ad-hoc-signed build's changes with every update, so merely showing the start
 * screen would ask for the keychain password after each one. On Linux without a secret service,
 * Electron falls back to 'basic_text', a hard-coded key: that protects nothing, so it counts as
 * unavailable.
 */
export function createKeychain(storage: SafeStorage, platform: NodeJS.Platform): SecretCipher {
  return {
    isEncryptionAvailable: () =>
      platform === 'darwin' ||
      platform === 'win32' ||
      (storage.isEncryptionAvailable() && storage.getSelectedStorageBackend() !== 'basic_text'),
    encryptString: (plainText) => storage.encryptString(plainText),
    decryptString: (encrypted) => storage.decryptString(encrypted),
  };
}

export const keychain: SecretCipher = createKeychain(safeStorage, process.platform);
