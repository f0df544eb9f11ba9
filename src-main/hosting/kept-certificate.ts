import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fingerprintOf, type Certificate } from '../server/transport/certificate';

/** The slice of Electron's `safeStorage` used here, injectable so tests need no Electron. */
export interface SecretCipher {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export class KeychainUnavailableError extends Error {
  constructor() {
    super('This computer offers no keychain to protect the certificate key, so it cannot be kept.');
  }
}

interface StoredFile {
  version: 1;
  cert: string;
  /** The private key, encrypted by the OS keychain (safeStorage), base64. */
  encryptedKey: string;
}

/**
 * The one certificate a host may choose to keep, so the fingerprint in invites stays valid across
 * restarts. The certificate is public; its private key is written only encrypted by the OS
 * keychain, and "forget" deletes the file.
 */
export class KeptCertificate {
  constructor(
    private readonly file: string,
    private readonly cipher: SecretCipher,
  ) {}

  get encryptionAvailable(): boolean {
    return this.cipher.isEncryptionAvailable();
  }

  /** The kept certificate, or null when there is none or it can no longer be decrypted. */
  async load(): Promise<Certificate | null> {
    let raw: string;
    try {
      raw = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    try {
      const stored = JSON.parse(raw) as StoredFile;
      if (
        stored.version !== 1 ||
        typeof stored.cert !== 'string' ||
        typeof stored.encryptedKey !== 'string'
      )
        return null;
      if (!this.cipher.isEncryptionAvailable()) return null;
      const key = this.cipher.decryptString(Buffer.from(stored.encryptedKey, 'base64'));
      return { key, cert: stored.cert, fingerprint: fingerprintOf(stored.cert) };
    } catch {
      // Unreadable (another OS user, a reinstalled keychain, a damaged file): as good as none.
      return null;
    }
  }

  async save(certificate: Certificate): Promise<void> {
    if (!this.cipher.isEncryptionAvailable()) throw new KeychainUnavailableError();
    const stored: StoredFile = {
      version: 1,
      cert: certificate.cert,
      encryptedKey: this.cipher.encryptString(certificate.key).toString('base64'),
    };
    await mkdir(path.dirname(this.file), { recursive: true });
    // Write then rename, so a crash never leaves half a file.
    const temporary = `${this.file}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporary, JSON.stringify(stored), { mode: 0o600 });
    await rename(temporary, this.file);
  }

  async forget(): Promise<void> {
    await rm(this.file, { force: true });
  }
}
