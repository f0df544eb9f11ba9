import { applyMembershipChange, membershipChange, type Member } from '../../client/members';
import type { ChatLine } from '../../client/lines';
import type { SliceContext } from './context';
import { credentialsOf } from './credentials';
import { handOverRoomKeys } from './handover';
import { applyRoster } from './roster';

export interface MembersSlice {
  members: Member[];
}

export const initialMembers = (): MembersSlice => ({ members: [] });

/** The list after the joins, leaves and kicks that SYSTEM notices announce; undefined if none. */
export function membersAfter(members: Member[], lines: readonly ChatLine[]): Member[] | undefined {
  let next: Member[] | undefined;
  for (const line of lines) {
    if (line.kind !== 'system') continue;
    const change = membershipChange(line.text);
    if (change) next = applyMembershipChange(next ?? members, change);
  }
  return next;
}

export async function refreshMembers(ctx: SliceContext, mine: number): Promise<void> {
  const { api } = ctx.live;
  const session = ctx.get().session;
  if (!api || !session || !session.extensions.includes('members')) return;
  try {
    const answer = await api.call('listMembers', {
      ...credentialsOf(session),
    });
    if (mine !== ctx.live.generation) return;
    const me = answer.members.find((m) => m.user === session.user);
    // The session as it is now: a password replaced meanwhile (setPassword) must not be undone.
    const current = ctx.get().session ?? session;
    ctx.set({
      members: [...answer.members].sort((a, b) => a.user.localeCompare(b.user)),
      session: { ...current, owner: current.owner || Boolean(me?.owner) },
    });
    await applyRoster(ctx, answer, mine);
    await handOverRoomKeys(ctx, answer, mine);
  } catch {
    // The list is a convenience; SYSTEM notices keep it roughly right until the next refresh.
  }
}
