import { sealPrivateDm } from '../../../src-shared/crypto/privateDm';
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
