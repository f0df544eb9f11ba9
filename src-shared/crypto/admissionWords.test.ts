import { hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PGP_EVEN_WORDS, PGP_ODD_WORDS } from '../words/pgpWordList';
import { admissionWords, type AdmissionWordsInput } from './admissionWords';
import { encodeMemberKey } from './memberKey';

// The vectors of docs/security.md ("Admission words").
const KIM = encodeMemberKey(Uint8Array.from({ length: 32 }, (_, i) => i));
const BASE: AdmissionWordsInput = {
  roomPassphrase: 'CORRECTHORSEBATT',
  certificate: `${'AB:'.repeat(31)}AB`,
  newcomerKey: KIM,
};

function recompute(input: AdmissionWordsInput): string[] {
  const tlv = (tag: number, value: Buffer) => {
    const head = Buffer.alloc(5);
    head[0] = tag;
    head.writeUInt32BE(value.length, 1);
    return Buffer.concat([head, value]);
  };
  const material = Buffer.concat([
    tlv(1, Buffer.from(input.roomPassphrase)),
    tlv(2, Buffer.from(input.certificate.replace(/:/g, ''), 'hex')),
    tlv(3, Buffer.from(input.newcomerKey, 'base64url')),
  ]);
  const okm = Buffer.from(hkdfSync('sha256', material, 'LocalChat admission words', 'v1', 4));
  return [...okm].map((b, i) => (i % 2 ? PGP_ODD_WORDS : PGP_EVEN_WORDS)[b]!);
}

describe('admission words', () => {
  it('match the documented vectors and the recipe recomputed with node:crypto', async () => {
    expect((await admissionWords(BASE)).join(' ')).toBe('drifter maritime sailboat decimal');
    expect((await admissionWords({ ...BASE, certificate: '' })).join(' ')).toBe(
      'treadmill guitarist drifter corrosion',
    );
    expect(await admissionWords(BASE)).toEqual(recompute(BASE));
  });

  it('differ for another passphrase, another server or another key', async () => {
    const base = (await admissionWords(BASE)).join(' ');
    for (const variant of [
      { ...BASE, roomPassphrase: 'CORRECTHORSEBATU' },
      { ...BASE, certificate: `${'AB:'.repeat(31)}AC` },
      { ...BASE, newcomerKey: encodeMemberKey(new Uint8Array(32).fill(7)) },
    ])
      expect((await admissionWords(variant)).join(' ')).not.toBe(base);
  });
});
