import { hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeMemberKey } from './memberKey';
import { safetyCode, type SafetyCodeInput } from './safetyCode';
import { PGP_EVEN_WORDS, PGP_ODD_WORDS } from '../words/pgpWordList';

// The vectors of docs/security.md ("The room safety code").
const ALICE = encodeMemberKey(Uint8Array.from({ length: 32 }, (_, i) => i));
const BOB = encodeMemberKey(Uint8Array.from({ length: 32 }, (_, i) => 255 - i));
const BASE: SafetyCodeInput = {
  roomPassphrase: 'CORRECTHORSEBATT',
  roomName: 'lunch',
  certificate: `${'AB:'.repeat(31)}AB`,
  members: [{ user: 'alice', key: ALICE }, { user: 'bob', key: BOB }, { user: 'kim' }],
};

/** The documented recipe, written again from the docs with node:crypto, as a reader would. */
function recompute(input: SafetyCodeInput): string[] {
  const tlv = (tag: number, value: Buffer) => {
    const head = Buffer.alloc(5);
    head[0] = tag;
    head.writeUInt32BE(value.length, 1);
    return Buffer.concat([head, value]);
  };
  const members = [...input.members]
    .sort((a, b) => Buffer.compare(Buffer.from(a.user), Buffer.from(b.user)))
    .map((m) =>
      Buffer.concat([
        tlv(1, Buffer.from(m.user)),
        tlv(2, m.key ? Buffer.from(m.key, 'base64url') : Buffer.alloc(0)),
      ]),
    );
  const fields = [
    tlv(1, Buffer.from(input.roomPassphrase)),
    tlv(2, Buffer.from(input.roomName)),
    tlv(3, Buffer.from(input.certificate.replace(/:/g, ''), 'hex')),
    tlv(4, Buffer.concat(members)),
  ];
  if (input.lifetimeSeconds !== undefined)
    fields.push(tlv(5, Buffer.from(String(input.lifetimeSeconds))));
  const okm = Buffer.from(
    hkdfSync('sha256', Buffer.concat(fields), 'LocalChat room safety code', 'v1', 6),
  );
  return [...okm].map((b, i) => (i % 2 ? PGP_ODD_WORDS : PGP_EVEN_WORDS)[b]!);
}

describe('room safety code', () => {
  it('matches the documented test vectors', async () => {
    expect((await safetyCode(BASE)).join(' ')).toBe(
      'dragnet tolerance ammo hurricane rocker whimsical',
    );
    expect((await safetyCode({ ...BASE, lifetimeSeconds: 600 })).join(' ')).toBe(
      'soybean travesty stagehand Galveston drumbeat cumbersome',
    );
    expect((await safetyCode({ ...BASE, members: BASE.members.slice(0, 2) })).join(' ')).toBe(
      'clamshell processor bombast Saturday clamshell Dakota',
    );
  });

  it('is what the documented recipe gives, recomputed with node:crypto', async () => {
    for (const input of [BASE, { ...BASE, lifetimeSeconds: 600 }, { ...BASE, certificate: '' }])
      expect(await safetyCode(input)).toEqual(recompute(input));
  });

  it('is the same whatever order a client lists the members in', async () => {
    const reversed = { ...BASE, members: [...BASE.members].reverse() };
    expect(await safetyCode(reversed)).toEqual(await safetyCode(BASE));
  });

  it('changes with every input', async () => {
    const base = (await safetyCode(BASE)).join(' ');
    const variants: SafetyCodeInput[] = [
      { ...BASE, roomPassphrase: 'CORRECTHORSEBATU' },
      { ...BASE, roomName: 'lunch2' },
      { ...BASE, certificate: `${'AB:'.repeat(31)}AC` },
      { ...BASE, certificate: '' },
      { ...BASE, lifetimeSeconds: 600 },
      { ...BASE, members: BASE.members.slice(1) },
      { ...BASE, members: [...BASE.members, { user: 'zoe' }] },
      // The same names with bob's key in another's hands: a swapped key is a different room.
      {
        ...BASE,
        members: [{ user: 'alice', key: BOB }, { user: 'bob', key: ALICE }, { user: 'kim' }],
      },
      { ...BASE, members: [{ user: 'alice', key: ALICE }, { user: 'bob' }, { user: 'kim' }] },
    ];
    const codes = await Promise.all(variants.map(async (v) => (await safetyCode(v)).join(' ')));
    for (const code of codes) expect(code).not.toBe(base);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('cannot be shifted between fields: each is length-prefixed', async () => {
    const a = await safetyCode({ ...BASE, roomPassphrase: 'ab', roomName: 'c' });
    const b = await safetyCode({ ...BASE, roomPassphrase: 'a', roomName: 'bc' });
    expect(a).not.toEqual(b);
  });

  it('refuses a malformed certificate fingerprint rather than hashing something else', async () => {
    await expect(safetyCode({ ...BASE, certificate: 'AB:CD' })).rejects.toThrow();
  });
});

describe('PGP word list', () => {
  it('has two tables of 256 distinct words, disjoint', () => {
    expect(PGP_EVEN_WORDS).toHaveLength(256);
    expect(PGP_ODD_WORDS).toHaveLength(256);
    const all = new Set([...PGP_EVEN_WORDS, ...PGP_ODD_WORDS].map((w) => w.toLowerCase()));
    expect(all.size).toBe(512);
    // Spot checks against the published table.
    expect([
      PGP_EVEN_WORDS[0],
      PGP_ODD_WORDS[0],
      PGP_EVEN_WORDS[0xff],
      PGP_ODD_WORDS[0xff],
    ]).toEqual(['aardvark', 'adroitness', 'Zulu', 'Yucatan']);
  });
});
