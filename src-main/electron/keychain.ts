import { safeStorage } from 'electron';
import type { SecretCipher } from '../hosting/kept-certificate';

/**
 * safeStorage as the kept certificate's cipher. On Linux without a secret service, Electron falls
 * back to 'basic_text', a hard-coded key: that protects nothing, so it counts as unavailable.
 */
export const keychain: SecretCipher = {
  isEncryptionAvailable: () =>
    safeStorage.isEncryptionAvailable() &&
    (process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text'),
  encryptString: (plainText) => safeStorage.encryptString(plainText),
  decryptString: (encrypted) => safeStorage.decryptString(encrypted),
};
