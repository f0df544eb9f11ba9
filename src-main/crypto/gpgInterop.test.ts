import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64, toWrappedBase64 } from '../../src-shared/crypto/base64';
import {
  MessageCryptoError,
  clearDerivedKeyCache,
  decryptText,
  encryptText,
} from '../../src-shared/crypto/message';
import { generatePassword } from '../../src-shared/crypto/passwords';
import type { S2kBackend } from '../../src-shared/crypto/s2k';
import { createNodeWorkerS2kBackend, nodeStreamingS2kBackend } from './nodeS2k';

// Interop with the real GnuPG CLI, exactly as the stock client drives it.
let home: string;
const workers = createNodeWorkerS2kBackend(2);
const pass = generatePassword();

function gpg(args: string[], input: Uint8Array | string, passphrase = pass): Buffer {
  return execFileSync(
    'gpg',
    ['--batch', '--quiet', '--pinentry-mode', 'loopback', '--passphrase', passphrase, ...args],
    { input, env: { ...process.env, GNUPGHOME: home }, stdio: ['pipe', 'pipe', 'pipe'] },
  );
}

const gpgEncrypt = (text: string, ...options: string[]) =>
  toWrappedBase64(gpg(['--symmetric', '--cipher-algo', 'AES256', ...options], text));
const gpgDecrypt = (base64: string, passphrase = pass) =>
  gpg(['--decrypt'], fromBase64(base64), passphrase).toString('utf8');

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'localchat-gpg-'));
});

afterAll(async () => {
  await workers.close();
  execFileSync('gpgconf', ['--homedir', home, '--kill', 'gpg-agent'], { stdio: 'ignore' });
  rmSync(home, { recursive: true, force: true });
});

describe('gpg reads what we write', () => {
  it('decrypts our messages, user and SYSTEM alike', async () => {
    const texts = [
      JSON.stringify({ user: 'alice', text: 'héllo 🚀 "quoted" \\ back', verb: 'say' }),
      JSON.stringify({ text: 'User bob joined the room', verb: 'sysinfo' }),
      'z'.repeat(30_000),
    ];
    for (const text of texts) expect(gpgDecrypt(await encryptText(text, pass))).toBe(text);
  });

  it('sees the packets gpg --symmetric writes, with our S2K', async () => {
    const listing = gpg(['--list-packets'], fromBase64(await encryptText('x', pass))).toString();
    expect(listing).toMatch(/symkey enc packet: version 4, cipher 9, aead 0,s2k 3, hash 8/);
    expect(listing).toMatch(/count 65536/);
    expect(listing).toMatch(/mdc_method: 2/);
  });

  it('refuses our message under the wrong passphrase', async () => {
    const ours = await encryptText('secret', pass);
    expect(() => gpgDecrypt(ours, 'WRONGWRONGWRONG1')).toThrow();
  });
});

describe('we read what gpg writes', () => {
  const text = JSON.stringify({ user: 'stock', text: 'from the terminal client', verb: 'do' });

  it('decrypts the default (SHA-1 S2K, 65011712 octets, compressed) with every backend', async () => {
    const message = gpgEncrypt(text);
    for (const s2kBackend of [workers, nodeStreamingS2kBackend, undefined]) {
      clearDerivedKeyCache();
      expect(await decryptText(message, pass, s2kBackend ? { s2kBackend } : {})).toBe(text);
    }
  });

  it('decrypts uncompressed and SHA-256-S2K messages', async () => {
    clearDerivedKeyCache();
    const plain = gpgEncrypt(text, '--compress-algo', 'none');
    expect(await decryptText(plain, pass, { s2kBackend: workers })).toBe(text);
    const sha256 = gpgEncrypt(text, '--s2k-digest-algo', 'SHA256', '--compress-algo', 'zlib');
    expect(await decryptText(sha256, pass, { s2kBackend: workers })).toBe(text);
  });

  it('takes the fast path for a long piped message, which gpg writes with partial lengths', async () => {
    const long = JSON.stringify({ user: 'stock', text: 'x1y2z3'.repeat(5000), verb: 'say' });
    const message = gpgEncrypt(long, '--compress-algo', 'none');
    expect(fromBase64(message)[16]).toBeGreaterThanOrEqual(224); // partial body length octet
    const counts: number[] = [];
    const counting: S2kBackend = {
      repeatedDigests(hash, pattern, count, contexts) {
        counts.push(count);
        return workers.repeatedDigests(hash, pattern, count, contexts);
      },
    };
    clearDerivedKeyCache();
    expect(await decryptText(message, pass, { s2kBackend: counting })).toBe(long);
    expect(counts).toEqual([65011712]);
  });

  it('rejects a gpg message under the wrong passphrase', async () => {
    const message = gpgEncrypt(text, '--s2k-digest-algo', 'SHA256', '--s2k-count', '65536');
    await expect(decryptText(message, 'WRONGWRONGWRONG1')).rejects.toThrow(MessageCryptoError);
  });
});
