import * as openpgp from 'openpgp';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fromBase64, toWrappedBase64 } from './base64';
import {
  MessageCryptoError,
  clearDerivedKeyCache,
  decryptText,
  encryptText,
  s2kWorkOf,
} from './message';
import { LIMITS } from '../protocol/limits';
import { CRYPTO_LIMITS } from './limits';
import { readPacketHeader, writeIteratedSkesk } from './packets';
import { deriveS2kKey, type S2kBackend } from './s2k';
import { webCryptoS2kBackend } from './webCryptoS2k';

// Made by GnuPG 2.2.40: printf '%s' "$TEXT" | gpg --batch --pinentry-mode loopback
// --passphrase "$PASS" --symmetric --cipher-algo AES256 [options] | base64 -w 76
// (live gpg interop in both directions is in src-main/crypto/gpgInterop.test.ts).
const PASS = 'QX7RM2KD9WZ4TB1N';
const TEXT = '{"user":"alice","text":"héllo – from gpg","verb":"say"}';
const GPG = {
  /** No options: S2K iterated SHA-1 65011712, ZIP compressed. */
  defaultCompressed: `jA0ECQMCVFElCKTjm5X/0mwBo9TvNrn7ad1mv78Pjaw2XqdguoYSHJL4kqq70Hr8t6m9E3KRxveb
yCDGXT4bJr22Bm3YuKryr++Gm9ATHYIs64s5VeZAf9rtXCPOS9Z5NezlM2+OM925AZrLp8V+/mU1
6LyMyGGf+MF8kgY=
`,
  /** --compress-algo none */
  defaultUncompressed: `jA0ECQMCrMvumPRL/jX/0msBO5qZL+2np3SHVqinnZdkjxD7BEyWS0TUqnME5Wx7e8Ky+SJzyVE6
/GaWDaHiVMINMkIMoMtBhuicqPlwckUsDNUeWDd6RORg1m4tHpkdhRlcULivDE6ffmE96m9b42LA
U2h2txa/nIAWSw==
`,
  /** --s2k-digest-algo SHA256 --s2k-count 65536 --compress-algo zlib */
  sha256Zlib: `jA0ECQMI8h4AhDlKHNlg0nIBIncKWdGojb0b/b8rmYrEobTw8+Sxj30QiK0Mq9SLhwuqO8jf44ia
a5PSezeqIvuqS+L0fl9zbKipkxYaXYChC+UEKy4tzHFmmEIlg2cdZr5L7GrEVlY4eN045x8KGMYD
BDSCw3K9M4foE4LJggo6VfI=
`,
  /** --s2k-digest-algo SHA512 --compress-algo bzip2 (S2K count 65011712, one SHA-512 context) */
  sha512Bzip2: `jA0ECQMKaV79721HXFj/0p4BY46w/F00kDR7bdNqe7mljIUKdQS+5xJIKNoA5qnD6nFIDG9GUINg
d0lFG1RM32lKfCiZJXdyhGN9O9uJA+63UzW+BFzpp8/ICpXm0dcEwZ/r/jd6xHtu7c999XO67QGn
BupxflKBzQFjMhysfzAmU7oOWIuZpE3DL85Er/CxMiFNoUQ0dRSuj5lZGNtMPepLMK/pzNTk6Umt
NmFf5g==
`,
  /** --s2k-mode 0 --s2k-digest-algo SHA256 */
  simpleSha256: `jAQECQAI0mwBLRJ3H9SP9bAS7R7tVZwo+2MBbBX1//n6+y4s8ebpU4/nNBN/QDtnPakzDJbGajC8
V2p6g56r6dbOI2GRmbKyj+l+wkD9dWdzOo61QnO72/9u8Asc4fFwB9cb6mmL1K7uOd0AYmE/PjWB
aq8=
`,
  /** --s2k-mode 1 --s2k-digest-algo SHA1 --cipher-algo AES128 */
  saltedSha1Aes128: `jAwEBwEChrzPlJn9/pDSbAFJtrUP5hrvat1BT8ds6515bHVeJQhDUJm6XDoLZoLhUZoI742Ftgj8
ADQBLzeFnbkZajls72VEXn1FxUCIJhk5Bm0XHjVhm47HJAIotlWqINk87Rh7Tz+ZN2FGDml5jf36
NUYDJSAN75u3eQ==
`,
};

/** Records what the fast path asks the hash backend to do. */
function countingBackend() {
  const calls: { hash: string; count: number; contexts: number }[] = [];
  const backend: S2kBackend = {
    repeatedDigests(hash, pattern, count, contexts) {
      calls.push({ hash, count, contexts });
      return webCryptoS2kBackend.repeatedDigests(hash, pattern, count, contexts);
    },
  };
  return { backend, calls };
}

/** Flips one bit of the binary message at `index` (negative counts from the end). */
function tamper(base64: string, index: number): string {
  const bytes = fromBase64(base64);
  const at = index < 0 ? bytes.length + index : index;
  bytes[at] = bytes[at]! ^ 0x01;
  return toWrappedBase64(bytes);
}

beforeEach(() => {
  clearDerivedKeyCache();
});

describe('encryptText', () => {
  it('round-trips text, including non-ASCII, newlines and the empty string', async () => {
    for (const text of [
      '{"user":"bob","text":"hi","verb":"say"}',
      'ünïcødé 🚀\nline\r\nline',
      '',
      'x'.repeat(20_000),
    ]) {
      expect(await decryptText(await encryptText(text, PASS), PASS)).toBe(text);
    }
  });

  it('writes base64 in 76-character lines with a trailing newline, as the stock client does', async () => {
    const out = await encryptText('y'.repeat(500), PASS);
    const lines = out.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.slice(0, -1).every((line) => line.length === 76)).toBe(true);
    expect(lines.at(-1)!.length).toBeLessThanOrEqual(76);
  });

  it('writes an SKESK v4 (AES-256, iterated+salted SHA-256, count 65536) then an MDC-protected packet', async () => {
    const bytes = fromBase64(await encryptText('hello', PASS));
    const skesk = readPacketHeader(bytes, 0)!;
    expect(skesk).toMatchObject({ tag: 3, bodyLength: 13 });
    const body = bytes.subarray(skesk.bodyOffset, skesk.bodyOffset + 13);
    expect([body[0], body[1], body[2], body[3], body[12]]).toEqual([4, 9, 3, 8, 0x60]);
    const data = readPacketHeader(bytes, skesk.bodyOffset + 13)!;
    expect(data.tag).toBe(18);
    expect(bytes[data.bodyOffset]).toBe(1);
    expect(data.bodyOffset + data.bodyLength!).toBe(bytes.length);
  });

  it('derives the key once per session and passphrase, however many messages', async () => {
    const { backend, calls } = countingBackend();
    const messages = await Promise.all(
      ['one', 'two', 'three'].map((text) => encryptText(text, PASS)),
    );
    const salts = messages.map((message) => fromBase64(message).subarray(6, 14).join());
    expect(new Set(salts).size).toBe(1);
    clearDerivedKeyCache();
    for (const [i, text] of ['one', 'two', 'three'].entries()) {
      expect(await decryptText(messages[i]!, PASS, { s2kBackend: backend })).toBe(text);
    }
    expect(calls).toEqual([{ hash: 'SHA-256', count: 65536, contexts: 1 }]);
  });

  it('never repeats ciphertext for the same text and key', async () => {
    const [a, b] = await Promise.all([encryptText('same', PASS), encryptText('same', PASS)]);
    expect(a).not.toBe(b);
  });
});

describe('decryptText of gpg-made messages', () => {
  it.each(Object.entries(GPG))('decrypts %s', async (_name, message) => {
    expect(await decryptText(message, PASS)).toBe(TEXT);
  });

  it('derives the default S2K through the backend once, then reuses the cached key', async () => {
    const { backend, calls } = countingBackend();
    expect(await decryptText(GPG.defaultCompressed, PASS, { s2kBackend: backend })).toBe(TEXT);
    expect(calls).toEqual([{ hash: 'SHA-1', count: 65011712, contexts: 2 }]);
    expect(await decryptText(GPG.defaultCompressed, PASS, { s2kBackend: backend })).toBe(TEXT);
    expect(calls).toHaveLength(1);
  });

  it('shares one derivation between concurrent decryptions of the same salt', async () => {
    const { backend, calls } = countingBackend();
    const texts = await Promise.all(
      [1, 2, 3].map(() => decryptText(GPG.sha256Zlib, PASS, { s2kBackend: backend })),
    );
    expect(texts).toEqual([TEXT, TEXT, TEXT]);
    expect(calls).toHaveLength(1);
  });

  it('does not cache a failed derivation', async () => {
    let failures = 1;
    const flaky: S2kBackend = {
      repeatedDigests(hash, pattern, count, contexts) {
        if (failures-- > 0) return Promise.reject(new Error('worker died'));
        return webCryptoS2kBackend.repeatedDigests(hash, pattern, count, contexts);
      },
    };
    await expect(decryptText(GPG.sha256Zlib, PASS, { s2kBackend: flaky })).rejects.toThrow(
      MessageCryptoError,
    );
    expect(await decryptText(GPG.sha256Zlib, PASS, { s2kBackend: flaky })).toBe(TEXT);
  });

  it('ignores any whitespace in the base64', async () => {
    const flat = GPG.sha256Zlib.replace(/\s/g, '');
    const messy = `  ${flat.slice(0, 10)}\r\n${flat.slice(10, 50)}\t ${flat.slice(50)}\n\n`;
    expect(await decryptText(messy, PASS)).toBe(TEXT);
  });
});

/** Concatenates packets into one message. */
function joined(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** An SKESK (SHA-256, 65536 octets, fresh salt) and its data packet, compressed as asked. */
async function seal(
  plaintext: Uint8Array,
  compression: openpgp.enums.compression = openpgp.enums.compression.uncompressed,
): Promise<Uint8Array> {
  const salt = crypto.getRandomValues(new Uint8Array(8));
  const spec = { type: 'iterated', hash: 'SHA-256', salt, count: 65536 } as const;
  const key = await deriveS2kKey(spec, PASS, 32, webCryptoS2kBackend);
  const data = (await openpgp.encrypt({
    message: await openpgp.createMessage({ binary: plaintext }),
    sessionKey: { data: key, algorithm: 'aes256' },
    format: 'binary',
    config: { aeadProtect: false, preferredCompressionAlgorithm: compression },
  })) as Uint8Array;
  return joined(writeIteratedSkesk(9, 'SHA-256', salt, 0x60), data);
}

/** `count` SKESK packets with fresh salts and the given coded S2K count, each a new derivation. */
function skesks(count: number, codedCount: number): Uint8Array[] {
  return Array.from({ length: count }, () =>
    writeIteratedSkesk(9, 'SHA-1', crypto.getRandomValues(new Uint8Array(8)), codedCount),
  );
}

describe('decryptText reads only the shape gpg --symmetric and we write', () => {
  it('refuses 40 SKESKs in front of a normal message without any S2K work', async () => {
    const normal = fromBase64(await encryptText('{"user":"a","text":"hi","verb":"say"}', PASS));
    const message = toWrappedBase64(joined(...skesks(40, 0x00), normal));
    const { backend, calls } = countingBackend();
    await expect(decryptText(message, PASS, { s2kBackend: backend })).rejects.toThrow(
      /not one passphrase-encrypted message/,
    );
    expect(calls).toHaveLength(0);
  });

  it('refuses 3,000 SKESKs of 65 MB S2K each (under the 64 KiB limit) at once', async () => {
    const normal = fromBase64(await encryptText('hi', PASS));
    const message = toWrappedBase64(joined(...skesks(3000, 0xff), normal));
    expect(message.replace(/\s/g, '').length).toBeLessThanOrEqual(LIMITS.messageLength);
    const { backend, calls } = countingBackend();
    await expect(decryptText(message, PASS, { s2kBackend: backend })).rejects.toThrow(
      MessageCryptoError,
    );
    // The old code derived all 3,000 keys (minutes).
    expect(calls).toHaveLength(0);
  });

  it('refuses every other shape before deriving a key', async () => {
    const ours = fromBase64(await encryptText('hi', PASS));
    const changed = (index: number, value: number) => {
      const copy = ours.slice();
      copy[index] = value;
      return copy;
    };
    // encryptText writes: c3 0d | 04 cipher 03 hash salt(8) count | d2 len 01 ...
    const withEsk = await openpgp.encrypt({
      message: await openpgp.createMessage({ text: 'from openpgp' }),
      passwords: [PASS],
      format: 'binary',
      config: { s2kIterationCountByte: 0, aeadProtect: false },
    });
    const marker = Uint8Array.of(0xca, 3, 0x50, 0x47, 0x50);
    const shapes: Record<string, Uint8Array> = {
      'an SKESK with an encrypted session key (openpgp.js output)': withEsk,
      'a v5 SKESK': changed(2, 5),
      'CAST5 instead of AES': changed(3, 3),
      'Twofish instead of AES': changed(3, 10),
      'an argon2 S2K': changed(4, 4),
      'an MD5 S2K': changed(5, 1),
      'a SHA-224 S2K': changed(5, 11),
      'a v2 SEIPD': changed(17, 2),
      'a data packet without MDC (tag 9)': changed(15, 0xc9),
      'a packet after the data': joined(ours, marker),
      'a second data packet': joined(ours, ours.subarray(15)),
      'a marker packet first': joined(marker, ours),
      'no data packet': ours.subarray(0, 15),
      'a data packet alone': ours.subarray(15),
      'a truncated data packet': ours.subarray(0, ours.length - 1),
      'two SKESKs of the right passphrase': joined(ours.subarray(0, 15), ours),
    };
    const { backend, calls } = countingBackend();
    for (const [name, bytes] of Object.entries(shapes)) {
      await expect(
        decryptText(toWrappedBase64(bytes), PASS, { s2kBackend: backend }),
        name,
      ).rejects.toThrow(MessageCryptoError);
    }
    expect(calls).toHaveLength(0);
  });
});

/**
 * Counts the bytes openpgp.js reads out of its inflater (the platform's DecompressionStream, as
 * in browsers), until the test's end.
 */
function countInflatedBytes(): () => number {
  const Native = globalThis.DecompressionStream;
  let bytes = 0;
  class Counting {
    readonly writable: DecompressionStream['writable'];
    readonly readable: ReadableStream<Uint8Array>;
    constructor(format: ConstructorParameters<typeof DecompressionStream>[0]) {
      const inner = new Native(format);
      const counter = new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          bytes += chunk.length;
          controller.enqueue(chunk);
        },
      });
      inner.readable.pipeTo(counter.writable).catch(() => {});
      this.writable = inner.writable;
      this.readable = counter.readable;
    }
  }
  vi.stubGlobal('DecompressionStream', Counting);
  return () => bytes;
}

describe('decryptText caps the plaintext', () => {
  const cap = CRYPTO_LIMITS.maxPlaintextBytes;
  const zip = openpgp.enums.compression.zip;

  it('refuses a 1 KB message that inflates to a run of 1 M characters', async () => {
    const bomb = await seal(new TextEncoder().encode('a'.repeat(1_000_000)), zip);
    expect(bomb.length).toBeLessThan(1500);
    await expect(decryptText(toWrappedBase64(bomb), PASS)).rejects.toThrow(
      `it expands to more than ${cap / 1024} KiB`,
    );
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('stops a bomb of the largest size (47 MB from 46 KB) as it inflates', async () => {
    const bomb = toWrappedBase64(await seal(new Uint8Array(47_000_000), zip));
    expect(bomb.replace(/\s/g, '').length).toBeLessThanOrEqual(LIMITS.messageLength);
    const inflated = countInflatedBytes();
    await expect(decryptText(bomb, PASS)).rejects.toThrow(/expands to more than/);
    // Read past the cap by at most a few chunks, never all 47 MB.
    expect(inflated()).toBeGreaterThan(cap);
    expect(inflated()).toBeLessThan(4 * cap);
  });

  it('reads compressed and uncompressed plaintext up to the cap', async () => {
    const encode = (text: string) => new TextEncoder().encode(text);
    // The cap counts the literal packet too: its header, format, file name and date.
    const largest = 'the largest honest message, compressed by gpg. '.repeat((cap - 64) / 48);
    expect(await decryptText(toWrappedBase64(await seal(encode(largest), zip)), PASS)).toBe(
      largest,
    );
    const plain = 'p'.repeat(40_000);
    expect(await decryptText(toWrappedBase64(await seal(encode(plain))), PASS)).toBe(plain);
    const over = toWrappedBase64(await seal(encode('b'.repeat(cap + 1)), zip));
    await expect(decryptText(over, PASS)).rejects.toThrow(/expands to more than/);
  });
});

describe('s2kWorkOf', () => {
  it('reads the S2K work from the first packet: count x hash contexts for the key', async () => {
    // AES-256 from SHA-1 takes two contexts of GnuPG's count: the most any message costs.
    expect(s2kWorkOf(GPG.defaultCompressed)).toBe(CRYPTO_LIMITS.gpgMessageWork);
    expect(s2kWorkOf(GPG.sha512Bzip2)).toBe(65011712);
    expect(s2kWorkOf(GPG.sha256Zlib)).toBe(65536);
    expect(s2kWorkOf(await encryptText(TEXT, PASS))).toBe(65536);
    expect(s2kWorkOf(GPG.simpleSha256)).toBe(1024);
  });

  it('is 0 for what decryptText refuses before any derivation', () => {
    expect(s2kWorkOf('')).toBe(0);
    expect(s2kWorkOf('not base64 at all!')).toBe(0);
    expect(s2kWorkOf(btoa('just some bytes that are no packet'))).toBe(0);
  });
});

describe('decryptText rejects', () => {
  it('a wrong passphrase', async () => {
    const ours = await encryptText('secret', PASS);
    await expect(decryptText(ours, 'AAAAAAAAAAAAAAAA')).rejects.toThrow(/wrong passphrase/);
    await expect(decryptText(GPG.sha256Zlib, 'AAAAAAAAAAAAAAAA')).rejects.toThrow(
      MessageCryptoError,
    );
  });

  it('tampering with any part of the encrypted data (MDC)', async () => {
    const ours = await encryptText('{"user":"bob","text":"pay 10","verb":"say"}', PASS);
    const length = fromBase64(ours).length;
    for (let index = 16; index < length; index++) {
      await expect(decryptText(tamper(ours, index), PASS), `byte ${index}`).rejects.toThrow(
        MessageCryptoError,
      );
    }
  });

  it('tampering with a gpg-made compressed message', async () => {
    for (const index of [20, 40, -25, -1]) {
      await expect(decryptText(tamper(GPG.sha256Zlib, index), PASS)).rejects.toThrow(
        MessageCryptoError,
      );
    }
  });

  it('tampering with the S2K parameters (a different key comes out)', async () => {
    const ours = await encryptText('hi', PASS);
    for (const index of [6, 13, 14]) {
      await expect(decryptText(tamper(ours, index), PASS)).rejects.toThrow(/wrong passphrase/);
    }
  });

  it('text that is not base64, with a clear error', async () => {
    await expect(decryptText('not base64!', PASS)).rejects.toThrow(
      'The message is not valid base64',
    );
    await expect(decryptText('QUJD=A', PASS)).rejects.toThrow('The message is not valid base64');
  });

  it('base64 that is not an OpenPGP message, or nothing at all', async () => {
    await expect(decryptText('aGVsbG8gd29ybGQ=', PASS)).rejects.toThrow(
      'The message is not an OpenPGP message',
    );
    await expect(decryptText(' \n', PASS)).rejects.toThrow('The message is empty');
  });

  it('a truncated message', async () => {
    const ours = await encryptText('hello there', PASS);
    const bytes = fromBase64(ours);
    await expect(
      decryptText(toWrappedBase64(bytes.subarray(0, bytes.length - 5)), PASS),
    ).rejects.toThrow(MessageCryptoError);
    await expect(decryptText(toWrappedBase64(bytes.subarray(0, 10)), PASS)).rejects.toThrow(
      MessageCryptoError,
    );
  });
});
