import type { StoreApi } from 'zustand/vanilla';
import type { Api } from '../../client/api';
import type { Cipher } from '../../client/cipher';
import type { Notifier } from '../../client/notifier';
import type { Outbox } from '../../client/outbox';
import type { Clock, Poller } from '../../client/poller';
import type { ClockSlice } from './clock';
import type { ClipboardAccess, RoomClipboard } from '../../client/roomClipboard';
import type { Host } from '../../client/transport';
import type { ComposerSlice } from './composer';
import type { RoomDecryption } from './decryption';
import type { InviteSlice } from './invite';
import type { MessageRow } from '../../../src-shared/protocol';
import type { PassphraseEvidence } from '../../client/passphraseCheck';
import type { MembersSlice } from './members';
import type { PassphraseSlice } from './passphrase';
import type { RosterSlice } from './roster';
import type { SessionSlice } from './session';
import type { StartSlice } from './start';
import type { TimelineSlice } from './timeline';
import type { WipeSlice } from './wipe';
import type { CaptureSlice } from './capture';

/** The one chat store's state: the union of its slices, each owning one concern. */
export type ChatState = SessionSlice &
  MembersSlice &
  TimelineSlice &
  ComposerSlice &
  InviteSlice &
  StartSlice &
  PassphraseSlice &
  ClockSlice &
  RosterSlice &
  WipeSlice &
  CaptureSlice;

export type ChatStore = StoreApi<ChatState>;

/** The store's data without its actions: what a reset puts back. */
export type Data = Omit<
  ChatState,
  {
    [K in keyof ChatState]-?: ChatState[K] extends (...args: never[]) => unknown ? K : never;
  }[keyof ChatState]
>;

export interface StoreDeps {
  host: Host;
  cipher: Cipher;
  generatePassword(): string;
  notifier?: Notifier;
  /** The system clipboard as this host allows it; absent where there is none. */
  clipboard?: ClipboardAccess;
  clock?: Clock;
  performance?: Pick<Performance, 'mark' | 'measure' | 'clearMarks'>;
}

/** The non-serialisable session machinery: kept outside the state, shared by the slices. */
export interface Live {
  api?: Api;
  poller?: Poller;
  /** Bumped on every reset so answers that belong to a past session are dropped. */
  generation: number;
  /** Received messages waiting for, or being, decrypted: fair per sender (decryption.ts). */
  decryption: RoomDecryption;
  /** Our sends, posted one after another in the order they were typed. */
  sendQueue: Promise<void>;
  /** Where sends the server did not answer wait to go again (woken when it answers). */
  outbox: Outbox;
  localSeq: number;
  /** What this session's decryptions say about the room passphrase. */
  passphraseEvidence: PassphraseEvidence;
  /** Others' messages that did not open, kept (bounded) to retry with a corrected passphrase. */
  undecrypted: MessageRow[];
  /**
   * Passwords this tab chose for itself with setPassword, by server, room and user, with the
   * invite password they replaced: a later join with that invite uses the own one. Memory only.
   */
  ownPasswords: Map<string, { invitePass: string; ownPass: string }>;
  /** This join's member key pair: the private half never leaves memory, a new join makes another. */
  memberKey?: { publicKey: string; privateKey: CryptoKey };
  /** The room's count of key publications as polls last reported it. */
  keyPublications?: number;
  /** Orders member-key updates: only the newest listMembers answer is applied. */
  rosterSeq: number;
  /** Room text this window put on the clipboard, cleared after a while and with the room. */
  clipboard: RoomClipboard;
  /** Newcomers (name and member key) this client handed the room key to (keyhandover). */
  handedKeys?: Set<string>;
  /** Settles when the room key is ours: rows wait, undecrypted, until the inviter hands it over. */
  roomKey: Promise<void>;
}

/** What every slice creator and slice helper receives. */
export interface SliceContext {
  set: StoreApi<ChatState>['setState'];
  get: StoreApi<ChatState>['getState'];
  deps: StoreDeps;
  clock: Clock;
  live: Live;
  /** Every slice's initial data. */
  initial(): Data;
}
