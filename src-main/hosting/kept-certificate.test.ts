import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateCertificate } from '../server/transport/certificate';
import { KeptCertificate, KeychainUnavailableError, type SecretCipher } from './kept-certificate';

/** Stands in for safeStorage: reversible, but visibly not the plain text. */
function fakeCipher(available = true): SecretCipher & { available: boolean } {
  return {
    available,
    isEncryptionAvailable() {
      return this.available;
    },
    encryptString: (plain) => Buffer.from(`sealed:${Buffer.from(plain).toString('hex')}`),
    decryptString: (sealed) => {
      const text = sealed.toString();
      if (!text.startsWith('sealed:')) throw new Error('cannot decrypt');
      return Buffer.from(text.slice('sealed:'.length), 'hex').toString();
    },
  };
}

describe('KeptCertificate', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'localchat-cert-'));
    file = path.join(dir, 'nested', 'hosting-certificate.json');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps a certificate with its key encrypted, and loads it back with the same fingerprint', async () => {
    const certificate = await generateCertificate(['localhost'], ['127.0.0.1']);
    const kept = new KeptCertificate(file, fakeCipher());
    expect(await kept.load()).toBeNull();
    await kept.save(certificate);

    const onDisk = await readFile(file, 'utf8');
    expect(onDisk).not.toContain('PRIVATE KEY');
    expect(onDisk).not.toContain(certificate.key.split('\n')[1]);

    expect(await new KeptCertificate(file, fakeCipher()).load()).toEqual(certificate);
  });

  it('forgets: the file is gone and nothing loads', async () => {
    const kept = new KeptCertificate(file, fakeCipher());
    await kept.save(await generateCertificate(['localhost'], ['127.0.0.1']));
    await kept.forget();
    await expect(readFile(file)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await kept.load()).toBeNull();
    await kept.forget();
  });

  it('refuses to keep a key when the OS offers no encryption', async () => {
    const kept = new KeptCertificate(file, fakeCipher(false));
    await expect(kept.save(await generateCertificate(['localhost'], []))).rejects.toBeInstanceOf(
      KeychainUnavailableError,
    );
    await expect(readFile(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('treats a damaged or undecryptable file as no certificate', async () => {
    const kept = new KeptCertificate(file, fakeCipher());
    await kept.save(await generateCertificate(['localhost'], []));
    const stored = JSON.parse(await readFile(file, 'utf8'));
    await writeFile(
      file,
      JSON.stringify({ ...stored, encryptedKey: Buffer.from('garbage').toString('base64') }),
    );
    expect(await kept.load()).toBeNull();
    await writeFile(file, '{not json');
    expect(await kept.load()).toBeNull();
  });
});
