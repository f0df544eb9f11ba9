import { describe, expect, it, vi } from 'vitest';
import { encodeMemberKey } from '../../src-shared/crypto/memberKey';
import { sealPrivateDm, type PrivateDmKeys } from '../../src-shared/crypto/privateDm';
import { ROOM_WIDE, type MessageRow } from '../../src-shared/protocol';
import type { Cipher } from './cipher';
import { decodeLine } from './lines';
import { withPrivateDms } from './privateCipher';

async function member(): Promise<PrivateDmKeys> {
  const pair = (await crypto.subtle.generateKey({ name: 'X25519' }, false, [
    'deriveBits',
  ])) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  return { privateKey: pair.privateKey, ownKey: encodeMemberKey(raw) };
}

const PAYLOAD = JSON.stringify({ user: 'alice', text: 'just us', verb: 'say' });

function innerCipher(): Cipher & { decrypt: ReturnType<typeof vi.fn> } {
  return {
    encrypt: () => Promise.resolve(''),
    decrypt: vi.fn((jobs: { id: number }[]) =>
      Promise.resolve(jobs.map((j) => ({ id: j.id, ok: true as const, text: PAYLOAD }))),
    ),
    reset: () => {},
  };
}

describe('withPrivateDms', () => {
  it('opens private DMs with our key and sends everything else to the OpenPGP workers', async () => {
    const alice = await member();
    const bob = await member();
    const inner = innerCipher();
    const cipher = withPrivateDms(inner, {
      keys: () => bob,
      senderKey: (from) => Promise.resolve(from === 'alice' ? alice.ownKey : undefined),
    });
    const sealed = await sealPrivateDm(PAYLOAD, alice, bob.ownKey);
    const results = await cipher.decrypt([
      { id: 1, from: 'alice', data: sealed, passphrase: 'room' },
      { id: 2, from: 'alice', data: 'wy4ECQMI', passphrase: 'room' },
    ]);
    expect(results).toEqual([
      { id: 1, ok: true, text: PAYLOAD, private: true },
      { id: 2, ok: true, text: PAYLOAD },
    ]);
    expect(inner.decrypt).toHaveBeenCalledWith([expect.objectContaining({ id: 2 })]);
    const row: MessageRow = [1, sealed, 1_700_000_000, 'alice', 'bob'];
    expect(decodeLine(row, results[0])).toMatchObject({ kind: 'say', to: 'bob', private: true });
  });

  it("a third member, and a DM under another member's name, read as undecryptable", async () => {
    const alice = await member();
    const bob = await member();
    const carol = await member();
    const sealed = await sealPrivateDm(PAYLOAD, alice, bob.ownKey);
    const asCarol = withPrivateDms(innerCipher(), {
      keys: () => carol,
      senderKey: () => Promise.resolve(alice.ownKey),
    });
    expect(
      await asCarol.decrypt([{ id: 1, from: 'alice', data: sealed, passphrase: 'room' }]),
    ).toEqual([{ id: 1, ok: false }]);
    // Carol's own DM to Bob, posted by the server as from "alice" (or relayed): not Alice's key.
    const forged = await sealPrivateDm(PAYLOAD, carol, bob.ownKey);
    const asBob = withPrivateDms(innerCipher(), {
      keys: () => bob,
      senderKey: () => Promise.resolve(alice.ownKey),
    });
    expect(
      await asBob.decrypt([{ id: 2, from: 'alice', data: forged, passphrase: 'room' }]),
    ).toEqual([{ id: 2, ok: false }]);
  });

  it("a private DM on a room-wide row is not shown as anyone's message", async () => {
    const alice = await member();
    const bob = await member();
    const sealed = await sealPrivateDm(PAYLOAD, alice, bob.ownKey);
    const row: MessageRow = [3, sealed, 1_700_000_000, 'alice', ROOM_WIDE];
    expect(decodeLine(row, { id: 3, ok: true, text: PAYLOAD, private: true }).kind).toBe(
      'undecryptable',
    );
  });
});
