import type { Host } from '../../client/transport';
import type { SliceContext, StoreDeps } from './context';
import { wipe } from './session';
import { addLocal } from './timeline';

export interface StartSlice {
  /** Start-screen error, e.g. wrong password. */
  error?: string;
  /** The server a browser page is bound to; undefined in Electron. */
  ownServer?: string;
  hostKind: Host['kind'];
  /** The start screen's invite field; a localchat:// link opened in the app lands here. */
  inviteDraft: string;
  setInviteDraft(text: string): void;
  /** A localchat://join link opened while the app runs. */
  receiveJoinLink(link: string): void;
  clearError(): void;
  backToStart(): void;
}

export const initialStart = (deps: StoreDeps) => ({
  hostKind: deps.host.kind,
  ...(deps.host.ownServer ? { ownServer: deps.host.ownServer } : {}),
  inviteDraft: '',
  error: undefined,
});

export function startSlice(ctx: SliceContext): StartSlice {
  const { get, set } = ctx;
  return {
    ...initialStart(ctx.deps),

    setInviteDraft(inviteDraft) {
      set({ inviteDraft });
    },

    receiveJoinLink(link) {
      set({ inviteDraft: link });
      if (get().phase === 'room')
        addLocal(ctx, 'An invite link was opened: leave this room to join with it.');
    },

    clearError() {
      set({ error: undefined });
    },

    backToStart() {
      wipe(ctx, { phase: 'start' });
    },
  };
}
