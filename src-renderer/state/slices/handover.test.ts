import { describe, expect, it } from 'vitest';
import { sealRoomKey } from '../../../src-shared/crypto/keyHandover';
import { encodeMemberKey } from '../../../src-shared/crypto/memberKey';
import type { SliceContext } from './context';
import { awaitRoomKey } from './handover';

async function pair() {
  const keys = (await crypto.subtle.generateKey({ name: 'X25519' }, false, [
    'deriveBits',
  ])) as CryptoKeyPair;
  const publicKey = encodeMemberKey(
    new Uint8Array(await crypto.subtle.exportKey('raw', keys.publicKey)),
  );
  return { publicKey, privateKey: keys.privateKey };
}

/** A newcomer's store with just what the handover reads, and a server that hands `batches`. */
function newcomer(
  own: { publicKey: string; privateKey: CryptoKey },
  inviter: string,
  batches: { from: string; box: string }[][],
) {
  let state = {
    session: {
      room: 'vault',
      user: 'finn',
      sesskey: 's',
      roomPass: '',
      awaitingKey: true,
      keyFrom: { user: 'olga', key: inviter },
      extensions: [],
    },
    invites: [],
  } as unknown as ReturnType<SliceContext['get']>;
  const timers: (() => void)[] = [];
  const ctx = {
    get: () => state,
    set: (patch: object) => (state = { ...state, ...patch }),
    live: {
      generation: 1,
      memberKey: own,
      api: {
        call: async (action: string) => {
          if (action === 'takeKeys') return { status: 'ok', keys: batches.shift() ?? [] };
          throw new Error(`unexpected ${action}`);
        },
      },
    },
    clock: { now: () => 0, setTimeout: (fn: () => void) => timers.push(fn), clearTimeout() {} },
  } as unknown as SliceContext;
  return { ctx, timers, state: () => state };
}

describe('the newcomer takes the room key only from the inviter its invite names', () => {
  it('ignores a wrong passphrase from another member, or passed off as the inviter’s', async () => {
    const [finn, olga, mallory] = await Promise.all([pair(), pair(), pair()]);
    const room = 'vault';
    const forged = await sealRoomKey('WRONGPASSPHRASE0', mallory.privateKey, {
      room,
      senderKey: mallory.publicKey,
      recipientKey: finn.publicKey,
    });
    const genuine = await sealRoomKey('RIGHTPASSPHRASE1', olga.privateKey, {
      room,
      senderKey: olga.publicKey,
      recipientKey: finn.publicKey,
    });
    const { ctx, timers, state } = newcomer(finn, olga.publicKey, [
      [{ from: 'mallory', box: forged }],
      // A server (or a bug) naming the inviter as the sender does not make the box the inviter's.
      [{ from: 'olga', box: forged }],
      [
        { from: 'mallory', box: forged },
        { from: 'olga', box: genuine },
      ],
    ]);
    const done = awaitRoomKey(ctx, 1);
    for (let round = 0; round < 2; round++) {
      await expect.poll(() => timers.length).toBe(round + 1);
      expect(state().session).toMatchObject({ roomPass: '', awaitingKey: true });
      timers[round]!();
    }
    await done;
    expect(state().session).toMatchObject({ roomPass: 'RIGHTPASSPHRASE1', awaitingKey: false });
  });

  it('stops asking when the session ends', async () => {
    const [finn, olga] = await Promise.all([pair(), pair()]);
    const { ctx, timers } = newcomer(finn, olga.publicKey, []);
    const done = awaitRoomKey(ctx, 1);
    await expect.poll(() => timers.length).toBe(1);
    ctx.live.generation = 2;
    timers[0]!();
    await done;
    expect(timers).toHaveLength(1);
  });
});
