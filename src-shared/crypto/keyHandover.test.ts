import { describe, expect, it } from 'vitest';
import { encodeMemberKey } from './memberKey';
import { openRoomKey, sealRoomKey } from './keyHandover';

const hex = (h: string) => Uint8Array.from(h.match(/../g)!, (b) => parseInt(b, 16));
const PKCS8_X25519 = '302e020100300506032b656e04220420';

/** The RFC 7748 section 6.1 key pairs, so the vectors can be recomputed anywhere. */
const ALICE = {
  priv: '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a',
  pub: encodeMemberKey(hex('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a')),
};
const BOB = {
  priv: '5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb',
  pub: encodeMemberKey(hex('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f')),
};

const privateKey = (h: string) =>
  crypto.subtle.importKey('pkcs8', hex(PKCS8_X25519 + h), { name: 'X25519' }, false, [
    'deriveBits',
  ]);

const parties = { room: 'lobby', senderKey: ALICE.pub, recipientKey: BOB.pub };
const IV = hex('000102030405060708090a0b');
const VECTOR = 'AAECAwQFBgcICQoLmjKtkfCwCpfL8RpVe8wwS31KbhEKHLx7pBEe2gfS7UmFPmQUcIfAwqhl3_0';

describe('key handover', () => {
  it('matches the documented vector and opens on the other side', async () => {
    const box = await sealRoomKey(
      'correct horse battery staple',
      await privateKey(ALICE.priv),
      parties,
      IV,
    );
    expect(box).toBe(VECTOR);
    expect(await openRoomKey(box, await privateKey(BOB.priv), parties)).toBe(
      'correct horse battery staple',
    );
  });

  it('round-trips with fresh keys and a random iv', async () => {
    const pair = async () => {
      const keys = (await crypto.subtle.generateKey({ name: 'X25519' }, false, ['deriveBits'])) as {
        privateKey: Awaited<ReturnType<typeof privateKey>>;
        publicKey: Awaited<ReturnType<typeof privateKey>>;
      };
      return {
        priv: keys.privateKey,
        pub: encodeMemberKey(new Uint8Array(await crypto.subtle.exportKey('raw', keys.publicKey))),
      };
    };
    const [a, b, mallory] = await Promise.all([pair(), pair(), pair()]);
    const p = { room: 'r', senderKey: a.pub, recipientKey: b.pub };
    const box = await sealRoomKey('pässphrase ✓', a.priv, p);
    expect(await openRoomKey(box, b.priv, p)).toBe('pässphrase ✓');
    expect(await sealRoomKey('pässphrase ✓', a.priv, p)).not.toBe(box);
    // A third member, even one told both public keys, cannot open it...
    await expect(openRoomKey(box, mallory.priv, p)).rejects.toThrow();
    await expect(
      openRoomKey(box, mallory.priv, { ...p, recipientKey: mallory.pub }),
    ).rejects.toThrow();
    // ...nor pass off a box of its own as the inviter's.
    const forged = await sealRoomKey('wrong', mallory.priv, { ...p, senderKey: mallory.pub });
    await expect(openRoomKey(forged, b.priv, p)).rejects.toThrow();
    // A box is bound to its room.
    await expect(openRoomKey(box, b.priv, { ...p, room: 'other' })).rejects.toThrow();
  });

  it('refuses damaged boxes', async () => {
    const box = await sealRoomKey('x', await privateKey(ALICE.priv), parties, IV);
    const flipped = box.slice(0, -2) + (box.at(-2) === 'A' ? 'B' : 'A') + box.at(-1);
    const bob = await privateKey(BOB.priv);
    await expect(openRoomKey(flipped, bob, parties)).rejects.toThrow();
    await expect(openRoomKey('AAAA', bob, parties)).rejects.toThrow();
    await expect(openRoomKey('not base64!', bob, parties)).rejects.toThrow();
  });
});
