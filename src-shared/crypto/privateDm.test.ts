import { describe, expect, it } from 'vitest';
import { fromBase64, toWrappedBase64 } from './base64';
import { encodeMemberKey } from './memberKey';
import { decryptText, encryptText } from './message';
import { isPrivateDm, openPrivateDm, sealPrivateDm, type PrivateDmKeys } from './privateDm';
import { LIMITS } from '../protocol';
import { ciphertext } from '../protocol/fields';

const PKCS8_X25519 = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
]);

/** A member whose private key is `seed` repeated 32 times (documented test vectors). */
async function fixedMember(seed: number): Promise<PrivateDmKeys> {
  const der = new Uint8Array([...PKCS8_X25519, ...new Uint8Array(32).fill(seed)]);
  const privateKey = await crypto.subtle.importKey('pkcs8', der, { name: 'X25519' }, true, [
    'deriveBits',
  ]);
  const jwk = await crypto.subtle.exportKey('jwk', privateKey);
  return { privateKey, ownKey: jwk.x! };
}

async function freshMember(): Promise<PrivateDmKeys> {
  const pair = (await crypto.subtle.generateKey({ name: 'X25519' }, false, ['deriveBits'])) as {
    publicKey: PrivateDmKeys['privateKey'];
    privateKey: PrivateDmKeys['privateKey'];
  };
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  return { privateKey: pair.privateKey, ownKey: encodeMemberKey(raw) };
}

/** Salt 0x00..0x0f, then iv 0x10..0x1b: the vectors' "random" octets. */
function counting() {
  let next = 0;
  return (o: Uint8Array) => {
    for (let i = 0; i < o.length; i++) o[i] = next++;
  };
}

const PAYLOAD = JSON.stringify({ user: 'alice', text: 'hi bob', verb: 'say' });

describe('private direct messages', () => {
  it('match the documented vector (keys 0x01.. and 0x02.., salt and iv counting from 0)', async () => {
    const alice = await fixedMember(1);
    const bob = await fixedMember(2);
    expect(alice.ownKey).toBe('pOCSkrZRwni5dyxWn1-puxPZBrRqtoyd-dwrRAn4ogk');
    expect(bob.ownKey).toBe('zo060cy2M-x7cMF4FKXHbs0CloUFDTRHRboFhw5YfVk');
    const sealed = await sealPrivateDm(PAYLOAD, alice, bob.ownKey, counting());
    expect(sealed).toBe(VECTOR);
    expect(await openPrivateDm(sealed, bob, alice.ownKey)).toEqual({
      ok: true,
      text: PAYLOAD,
      senderKey: alice.ownKey,
    });
  });

  it('round-trip: the recipient and the sender open it, as base64 the server accepts', async () => {
    const alice = await freshMember();
    const bob = await freshMember();
    const sealed = await sealPrivateDm(PAYLOAD, alice, bob.ownKey);
    expect(isPrivateDm(sealed)).toBe(true);
    expect(ciphertext.safeParse(sealed).success).toBe(true);
    expect(await openPrivateDm(sealed, bob, alice.ownKey)).toMatchObject({
      ok: true,
      text: PAYLOAD,
    });
    // The sender's own copy opens with the sender's key alone.
    expect(await openPrivateDm(sealed, alice, alice.ownKey)).toMatchObject({
      ok: true,
      text: PAYLOAD,
    });
  });

  it('a third member, with the room passphrase and the ciphertext, cannot open it', async () => {
    const alice = await freshMember();
    const bob = await freshMember();
    const carol = await freshMember();
    const sealed = await sealPrivateDm(PAYLOAD, alice, bob.ownKey);
    expect(await openPrivateDm(sealed, carol, alice.ownKey)).toEqual({ ok: false });
    // Carol rewrites the recipient to her own key: the header is authenticated, and her secret differs.
    const bytes = fromBase64(sealed);
    bytes.set(
      Uint8Array.from(atob(carol.ownKey.replace(/-/g, '+').replace(/_/g, '/') + '='), (c) =>
        c.charCodeAt(0),
      ),
      37,
    );
    expect(await openPrivateDm(toWrappedBase64(bytes), carol, alice.ownKey)).toEqual({ ok: false });
    // And the room passphrase opens nothing: it is no OpenPGP message.
    await expect(decryptText(sealed, 'the room passphrase')).rejects.toThrow();
  });

  it('refuses a DM naming another sender key than the room lists for its sender', async () => {
    const alice = await freshMember();
    const bob = await freshMember();
    const mallory = await freshMember();
    // Mallory seals to Bob under her own key but the row says it is from Alice.
    const sealed = await sealPrivateDm(PAYLOAD, mallory, bob.ownKey);
    expect(await openPrivateDm(sealed, bob, alice.ownKey)).toEqual({ ok: false });
    expect(await openPrivateDm(sealed, bob, undefined)).toEqual({ ok: false });
  });

  it('refuses malformed, truncated, tampered and oversized messages without throwing', async () => {
    const alice = await freshMember();
    const bob = await freshMember();
    const sealed = await sealPrivateDm(PAYLOAD, alice, bob.ownKey);
    const bytes = fromBase64(sealed);
    const tampered = Uint8Array.from(bytes);
    tampered[tampered.length - 1]! ^= 1;
    const cases = [
      '',
      'TENETQ',
      'TENETQ!!!',
      toWrappedBase64(bytes.subarray(0, 100)),
      toWrappedBase64(tampered),
      toWrappedBase64(new Uint8Array([...bytes.subarray(0, 4), 2, ...bytes.subarray(5)])),
      // Oversized: far beyond what the server stores, still refused (authentication fails) quickly.
      toWrappedBase64(new Uint8Array([...bytes, ...new Uint8Array(LIMITS.messageLength * 2)])),
    ];
    for (const msg of cases)
      expect(await openPrivateDm(msg, bob, alice.ownKey)).toEqual({ ok: false });
  });

  it('never looks like an OpenPGP message, and OpenPGP never looks like it', async () => {
    const pgp = await encryptText(PAYLOAD, 'room');
    expect(isPrivateDm(pgp)).toBe(false);
    expect(fromBase64(VECTOR)[0]! & 0x80).toBe(0);
  });
});

const VECTOR =
  'TENETQGk4JKStlHCeLl3LFafX6m7E9kGtGq2jJ353CtECfiiCc6NOtHMtjPse3DBeBSlx27NApaF\n' +
  'BQ00R0W6BYcOWH1ZAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaG3unIiiz3F5p17Igf6AI0Nwy\n' +
  'svQ/JtQIEPIh8JY5muLXL6sKJQGkiB8wkQH31PMqki+TlHpiTnOybUA5D9k=\n';
