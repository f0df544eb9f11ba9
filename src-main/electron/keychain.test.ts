import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({ safeStorage: {} }));
const { createKeychain } = await import('./keychain');

function storage(backend = 'gnome_libsecret') {
  return {
    isEncryptionAvailable: vi.fn(() => true),
    getSelectedStorageBackend: vi.fn(() => backend as 'gnome_libsecret'),
    encryptString: vi.fn((text: string) => Buffer.from(`enc:${text}`)),
    decryptString: vi.fn((data: Buffer) => data.toString().slice(4)),
  };
}

describe('the kept certificate keychain', () => {
  it('on macOS and Windows answers availability without touching safeStorage', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const safe = storage();
      const keychain = createKeychain(safe, platform);
      expect(keychain.isEncryptionAvailable()).toBe(true);
      expect(safe.isEncryptionAvailable).not.toHaveBeenCalled();
      expect(safe.getSelectedStorageBackend).not.toHaveBeenCalled();
      // Keeping a certificate is when the keychain is first used.
      expect(keychain.decryptString(keychain.encryptString('key'))).toBe('key');
      expect(safe.encryptString).toHaveBeenCalledTimes(1);
    }
  });

  it("on Linux refuses safeStorage's hard-coded-key fallback", () => {
    expect(createKeychain(storage('basic_text'), 'linux').isEncryptionAvailable()).toBe(false);
    expect(createKeychain(storage('kwallet5'), 'linux').isEncryptionAvailable()).toBe(true);
    const none = storage();
    none.isEncryptionAvailable.mockReturnValue(false);
    expect(createKeychain(none, 'linux').isEncryptionAvailable()).toBe(false);
  });
});
