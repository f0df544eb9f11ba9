import { createStore } from 'zustand/vanilla';
import { Outbox } from '../client/outbox';
import { noEvidence } from '../client/passphraseCheck';
import { realClock } from '../client/poller';
import { clockSlice, initialClock, watchRoomClock } from './slices/clock';
import { RoomClipboard } from '../client/roomClipboard';
import { composerSlice, initialComposer } from './slices/composer';
import type { ChatState, ChatStore, Data, Live, SliceContext, StoreDeps } from './slices/context';
import { createRoomDecryption } from './slices/decryption';
import { initialInvite, inviteSlice } from './slices/invite';
import { initialMembers } from './slices/members';
import { initialPassphrase, passphraseSlice } from './slices/passphrase';
import { initialRoster, rosterSlice } from './slices/roster';
import { initialSession, sessionSlice } from './slices/session';
import { initialStart, startSlice } from './slices/start';
import { initialTimeline, timelineSlice } from './slices/timeline';
import { initialWipe, wipeSlice } from './slices/wipe';
import { captureSlice, initialCapture } from './slices/capture';

export type { ChatState, ChatStore, StoreDeps } from './slices/context';
export type { ClockSlice } from './slices/clock';
export type { ComposerSlice } from './slices/composer';
export type { InviteSlice, InviteView } from './slices/invite';
export type { MembersSlice } from './slices/members';
export type { PassphraseRetry, PassphraseSlice } from './slices/passphrase';
export type { KeyView, RosterSlice } from './slices/roster';
export type { JoinDetails, Phase, Session, SessionSlice } from './slices/session';
export type { StartSlice } from './slices/start';
export type { LocalLine, RoomLine, TimelineSlice } from './slices/timeline';
export { BACKLOG_MEASURE } from './slices/decryption';
export type { BurnView, WipeSlice } from './slices/wipe';
export type { CaptureSlice } from './slices/capture';

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
    ...initialClock(),
    ...initialRoster(),
    ...initialWipe(),
    ...initialCapture(),
  });
  // The scheduler reports to the store's context, which is made inside createStore below.
  let ctx: SliceContext | undefined;
  const live: Live = {
    generation: 0,
    decryption: createRoomDecryption(deps, () => ctx!),
    sendQueue: Promise.resolve(),
    outbox: new Outbox(deps.clock ?? realClock),
    localSeq: 0,
    passphraseEvidence: noEvidence(),
    undecrypted: [],
    ownPasswords: new Map(),
    roomKey: Promise.resolve(),
    rosterSeq: 0,
    clipboard: new RoomClipboard(deps.clipboard, deps.clock ?? realClock),
  };
  const store = createStore<ChatState>()((set, get) => {
    const made: SliceContext = { set, get, deps, clock: deps.clock ?? realClock, live, initial };
    ctx = made;
    return {
      ...sessionSlice(made),
      ...initialMembers(),
      ...timelineSlice(made),
      ...composerSlice(made),
      ...inviteSlice(made),
      ...startSlice(made),
      ...passphraseSlice(made),
      ...clockSlice(made),
      ...rosterSlice(made),
      ...wipeSlice(made),
      ...captureSlice(made),
    };
  });
  watchRoomClock(ctx!, store);
  return store;
}
