import {
  encodeInvite,
  InviteError,
  inviteLink,
  stockJoinLine,
  type Invite,
} from '../../../src-shared/invite';
import { ApiError } from '../../client/api';
import type { SliceContext } from './context';
import { requireSession } from './session';
import { addLocal, reportRoomError } from './timeline';

export interface InviteView {
  invite: Invite;
  code: string;
  link: string;
  /** The stock client's `/join` line, or why it cannot express this invite (e.g. a space in a name). */
  joinLine: { line: string } | { unavailable: string };
}

export interface InviteSlice {
  invite?: InviteView;
  inviteUser(user: string): Promise<void>;
  dismissInvite(): void;
}

export const initialInvite = () => ({ invite: undefined });

export async function inviteUser(ctx: SliceContext, user: string) {
  const active = requireSession(ctx);
  if (!active) return;
  const { session } = active;
  const pass = ctx.deps.generatePassword();
  try {
    await active.api.call('inviteUser', {
      roomName: session.room,
      user: session.user,
      sesskey: session.sesskey,
      invite: user,
      pass,
    });
  } catch (error) {
    if (error instanceof ApiError && error.kind === 'bad-request') {
      addLocal(
        ctx,
        `Could not invite “${user}”: that name is already invited or not allowed.`,
        'error',
      );
    } else if (error instanceof ApiError && error.kind === 'forbidden') {
      addLocal(ctx, `The server refused to invite “${user}”.`, 'error');
    } else {
      reportRoomError(ctx, error, `Could not invite ${user}`);
    }
    return;
  }
  const fingerprint = active.api.fingerprint ?? session.server.fingerprint;
  const invite: Invite = {
    server: session.server.url,
    ...(fingerprint ? { fingerprint } : {}),
    room: session.room,
    roomPass: session.roomPass,
    user,
    userPass: pass,
  };
  try {
    ctx.set({
      invite: {
        invite,
        code: encodeInvite(invite),
        link: inviteLink(invite),
        joinLine: joinLineFor(invite),
      },
    });
  } catch (error) {
    // The server accepted the name but an invite cannot carry it.
    addLocal(
      ctx,
      `“${user}” was invited, but no invite can be written: ${error instanceof Error ? error.message : String(error)}`,
      'error',
    );
  }
}

export function inviteSlice(ctx: SliceContext): InviteSlice {
  return {
    ...initialInvite(),
    inviteUser: (user) => inviteUser(ctx, user),
    dismissInvite() {
      ctx.set({ invite: undefined });
    },
  };
}

/** The stock client splits its command line on spaces, so some names only fit the app's invite. */
function joinLineFor(invite: Invite): InviteView['joinLine'] {
  try {
    return { line: stockJoinLine(invite) };
  } catch (error) {
    if (error instanceof InviteError) return { unavailable: error.message };
    throw error;
  }
}
