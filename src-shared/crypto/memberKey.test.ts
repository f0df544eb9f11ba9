import { describe, expect, it } from 'vitest';
import { decodeMemberKey, encodeMemberKey, MEMBER_KEY_PATTERN, memberKeyWords } from './memberKey';

const ALICE = encodeMemberKey(Uint8Array.from({ length: 32 }, (_, i) => i));
const BOB = encodeMemberKey(Uint8Array.from({ length: 32 }, (_, i) => 255 - i));

describe('member keys', () => {
  it('spell 32 octets as 43 characters of base64url, one spelling per key', () => {
    expect(ALICE).toBe('AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8');
    expect(BOB).toBe('__79_Pv6-fj39vX08_Lx8O_u7ezr6uno5-bl5OPi4eA');
    expect(decodeMemberKey(ALICE)).toEqual(Uint8Array.from({ length: 32 }, (_, i) => i));
    // The same octets with the unused low bits of the last character set: another spelling.
    expect(MEMBER_KEY_PATTERN.test(`${ALICE.slice(0, 42)}g`)).toBe(true);
    expect(MEMBER_KEY_PATTERN.test(`${ALICE.slice(0, 42)}h`)).toBe(false);
    expect(() => decodeMemberKey(`${ALICE}A`)).toThrow();
    expect(() => decodeMemberKey(ALICE.replace('A', '+'))).toThrow();
    expect(() => encodeMemberKey(new Uint8Array(31))).toThrow();
  });

  it('show as two PGP words from SHA-256 of the key (documented vectors)', async () => {
    expect(await memberKeyWords(ALICE)).toBe('flatfoot asteroid');
    expect(await memberKeyWords(BOB)).toBe('beaming glossary');
  });

  it('round-trip a WebCrypto X25519 public key', async () => {
    const pair = await crypto.subtle.generateKey({ name: 'X25519' }, false, ['deriveBits']);
    if (!('publicKey' in pair)) throw new Error('X25519 makes a key pair');
    const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
    expect(decodeMemberKey(encodeMemberKey(raw))).toEqual(raw);
  });
});
