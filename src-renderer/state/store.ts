import { createStore } from 'zustand/vanilla';
import { noEvidence } from '../client/passphraseCheck';
import { realClock } from '../client/poller';
import { RoomClipboard } from '../client/roomClipboard';
import { composerSlice, initialComposer } from './slices/composer';
import type { ChatState, ChatStore, Data, Live, SliceContext, StoreDeps } from './slices/context';
import { initialInvite, inviteSlice } from './slices/invite';
import { initialMembers } from './slices/members';
import { initialPassphrase, passphraseSlice } from './slices/passphrase';
import { initialSession, sessionSlice } from './slices/session';
import { initialStart, startSlice } from './slices/start';
import { initialTimeline, timelineSlice } from './slices/timeline';
import { initialWipe, wipeSlice } from './slices/wipe';
import { captureSlice, initialCapture } from './slices/capture';

export type { ChatState, ChatStore, StoreDeps } from './slices/context';
export type { ComposerSlice } from './slices/composer';
export type { InviteSlice, InviteView } from './slices/invite';
export type { MembersSlice } from './slices/members';
export type { PassphraseRetry, PassphraseSlice } from './slices/passphrase';
export type { JoinDetails, Phase, Session, SessionSlice } from './slices/session';
export type { StartSlice } from './slices/start';
export type { LocalLine, RoomLine, TimelineSlice } from './slices/timeline';
export type { BurnView, WipeSlice } from './slices/wipe';
export type { CaptureSlice } from './slices/capture';
export { BACKLOG_MEASURE, DECRYPT_BATCH } from './slices/timeline';

/**
 * The one chat store, composed of slices (zustand's slices pattern): session and connection,
 * members, timeline, composer, invite and start screen. Slices share the session machinery
 * through one context instead of through the state.
 */
export function createChatStore(deps: StoreDeps): ChatStore {
  const initial = (): Data => ({
    ...initialSession(),
    ...initialMembers(),
    ...initialTimeline(),
    ...initialComposer(),
    ...initialInvite(),
    ...initialStart(deps),
    ...initialPassphrase(),
    ...initialWipe(),
    ...initialCapture(),
  });
  const live: Live = {
    generation: 0,
    decryptQueue: Promise.resolve(),
    sendQueue: Promise.resolve(),
    localSeq: 0,
    passphraseEvidence: noEvidence(),
    undecrypted: [],
    ownPasswords: new Map(),
    clipboard: new RoomClipboard(deps.clipboard, deps.clock ?? realClock),
  };
  return createStore<ChatState>()((set, get) => {
    const ctx: SliceContext = { set, get, deps, clock: deps.clock ?? realClock, live, initial };
    return {
      ...sessionSlice(ctx),
      ...initialMembers(),
      ...timelineSlice(ctx),
      ...composerSlice(ctx),
      ...inviteSlice(ctx),
      ...startSlice(ctx),
      ...passphraseSlice(ctx),
      ...wipeSlice(ctx),
      ...captureSlice(ctx),
    };
  });
}
