import { openRoomKey, sealRoomKey } from '../../../src-shared/crypto/keyHandover';
import type { ActionResponse } from '../../../src-shared/protocol';
import type { SliceContext } from './context';
import { refreshMembers } from './members';

/** How often a newcomer asks for its room key while it has none. */
export const TAKE_KEYS_INTERVAL_MS = 1_500;

/**
 * The newcomer's side of the key handover: until a box sealed by the inviter named in the invite
 * (with the inviter's key from the invite) opens with this join's member key, ask for handed keys.
 * Boxes from anyone else, or that do not open, are dropped: a member cannot pass off another
 * passphrase as the inviter's. Resolves when the key is in the session (or the session ends).
 */
export function awaitRoomKey(ctx: SliceContext, mine: number): Promise<void> {
  return new Promise((resolve) => {
    const attempt = async () => {
      if (mine !== ctx.live.generation) return resolve();
      const session = ctx.get().session;
      const own = ctx.live.memberKey;
      const api = ctx.live.api;
      if (session && own && api && session.keyFrom && !session.waiting) {
        const passphrase = await takeHandedKey(ctx, own).catch(() => undefined);
        if (mine !== ctx.live.generation) return resolve();
        if (passphrase !== undefined) {
          const current = ctx.get().session!;
          ctx.set({ session: { ...current, roomPass: passphrase, awaitingKey: false } });
          void refreshMembers(ctx, mine);
          return resolve();
        }
      }
      ctx.clock.setTimeout(() => void attempt(), TAKE_KEYS_INTERVAL_MS);
    };
    void attempt();
  });
}

async function takeHandedKey(
  ctx: SliceContext,
  own: NonNullable<SliceContext['live']['memberKey']>,
): Promise<string | undefined> {
  const session = ctx.get().session!;
  const from = session.keyFrom!;
  const answer = await ctx.live.api!.call('takeKeys', {
    roomName: session.room,
    user: session.user,
    sesskey: session.sesskey,
  });
  for (const handed of answer.keys) {
    if (handed.from !== from.user) continue;
    const parties = { room: session.room, senderKey: from.key, recipientKey: own.publicKey };
    try {
      return await openRoomKey(handed.box, own.privateKey, parties);
    } catch {
      // Not sealed by the inviter's key for this join: ignored.
    }
  }
  return undefined;
}

/**
 * The inviter's side: each newcomer this client invited with a key-less invite, once listed as
 * admitted with a member key, gets the room passphrase sealed to that key, once per key. Only the
 * inviter hands over (its key is the one the invite names), so there are no duplicates or races
 * between members.
 */
export async function handOverRoomKeys(
  ctx: SliceContext,
  listing: ActionResponse<'listMembers'>,
  mine: number,
): Promise<void> {
  const state = ctx.get();
  const session = state.session;
  const own = ctx.live.memberKey;
  const api = ctx.live.api;
  if (!session || !own || !api || session.awaitingKey) return;
  if (!session.extensions.includes('keyhandover')) return;
  const handed = (ctx.live.handedKeys ??= new Set());
  for (const member of listing.members) {
    if (member.waiting || !member.key) continue;
    const invited = state.invites.some(
      (v) => v.invite.user === member.user && v.invite.fromKey === own.publicKey,
    );
    const id = `${member.user}\n${member.key}`;
    if (!invited || handed.has(id)) continue;
    handed.add(id);
    try {
      const box = await sealRoomKey(session.roomPass, own.privateKey, {
        room: session.room,
        senderKey: own.publicKey,
        recipientKey: member.key,
      });
      if (mine !== ctx.live.generation) return;
      await api.call('handKey', {
        roomName: session.room,
        user: session.user,
        sesskey: session.sesskey,
        to: member.user,
        box,
      });
    } catch {
      // Tried again at the next listing (the newcomer or the room may be gone).
      handed.delete(id);
    }
  }
}
