import { sealPrivateDm } from '../../../src-shared/crypto/privateDm';
import { dmCaution, type DmCaution } from '../../client/dmCaution';
import type { SliceContext } from './context';

/**
 * The key a DM to `to` is sealed with: theirs as the room lists it, when both they and we hold a
 * member key. Without one (the terminal client, an older LocalChat) a DM goes with the room key.
 */
export function privateDmKey(ctx: SliceContext, to: string): string | undefined {
  if (!ctx.live.memberKey) return undefined;
  return ctx.get().memberKeys[to]?.key;
}

/**
 * Seals a DM that was shown as private. If the recipient's key is gone by now (they left), it is
 * not sent at all: falling back to the room key would quietly make a private message readable.
 */
export async function sealPrivately(
  ctx: SliceContext,
  payload: string,
  to: string,
): Promise<string> {
  const own = ctx.live.memberKey;
  const recipientKey = privateDmKey(ctx, to);
  if (!own || !recipientKey)
    throw new Error(`not sent: “${to}” has no member key now, so it could not be private`);
  return sealPrivateDm(
    payload,
    { privateKey: own.privateKey, ownKey: own.publicKey },
    recipientKey,
  );
}

/**
 * Whether a DM may go now. A DM that would go with the room key to a keyless member, or to a
 * member whose key changed, is held once with the reason shown and the text back in the box; the
 * same DM sent again goes (a new key is then taken as seen).
 */
export function dmMayGo(ctx: SliceContext, to: string | undefined, text: string): boolean {
  const state = ctx.get();
  // Anything else sent meanwhile drops the held DM's warning.
  if (to === undefined) {
    if (state.dmCaution) ctx.set({ dmCaution: undefined });
    return true;
  }
  const caution: DmCaution | undefined = dmCaution(
    {
      privateDms:
        Boolean(ctx.live.memberKey) && Boolean(state.session?.extensions.includes('memberkeys')),
      listed: state.safetyCode !== undefined,
      members: state.members.map((m) => m.user),
      keyWords: Object.fromEntries(Object.entries(state.memberKeys).map(([u, v]) => [u, v.words])),
      changedKeys: state.changedKeys,
    },
    to,
    text,
  );
  const pending = state.dmCaution;
  if (!caution) {
    if (pending) ctx.set({ dmCaution: undefined });
    return true;
  }
  if (pending && pending.kind === caution.kind && pending.to === to && pending.text === text) {
    ctx.set({ dmCaution: undefined });
    if (caution.kind === 'key-changed') state.acknowledgeKey(to);
    return true;
  }
  ctx.set({ dmCaution: caution, draft: `/msg ${to} ${text}` });
  return false;
}
