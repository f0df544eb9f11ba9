import type { BurnReport } from '../../../src-shared/protocol';
import { ApiError } from '../../client/api';
import type { SliceContext } from './context';
import { requireSession, wipe } from './session';
import { addLocal } from './timeline';

/** The burn as this window sees it, on the screen that follows the room. */
export type BurnView =
  /** The owner's window: wiped, waiting for the server's report. */
  | { kind: 'burning' }
  | { kind: 'report'; report: BurnReport }
  /** The owner's window: wiped, but the server did not report (see `message`). */
  | { kind: 'unreported'; message: string }
  /** A member's window: wiped because the owner burned the room. */
  | { kind: 'burned' };

export interface WipeSlice {
  burn?: BurnView;
  /** Counts clear-screens, so views holding text of their own (the announcer) start afresh. */
  screenClears: number;
  /** Copies room text (a message, an invite) so that it is cleared later; false if refused. */
  copyText(text: string): Promise<boolean>;
  /** The user copied a selection from the room: cleared like text the app copied. */
  noteCopied(text: string): void;
  /** Forgets everything shown so far while staying in the room; the draft too if asked. */
  clearScreen(options?: { draft?: boolean }): void;
  /** Wipes this window at once, then leaves on the server. */
  leaveAndWipe(): Promise<void>;
  /** Owner: wipes this window, burns the room for everyone, shows the report. */
  burnRoom(): Promise<void>;
}

export const initialWipe = () => ({ burn: undefined as BurnView | undefined, screenClears: 0 });

/** The burned screen holds nothing of the room: not even its name. */
export const BURNED = {
  title: 'This room was burned',
  text: 'Its messages, keys and notifications, and text copied from it, are gone from this window.',
};

/** The server's bounded wait for confirmations (5 s) and the answer's way back. */
const BURN_ANSWER_TIMEOUT_MS = 15_000;
const CONFIRM_TIMEOUT_MS = 5_000;

/** Clipboard text and notifications that came from the room: gone with it. */
export function clearRoomTraces(ctx: SliceContext): Promise<void> {
  ctx.deps.notifier?.closeAll();
  return ctx.live.clipboard.clear();
}

/** What later calls need of the session, and nothing else: no passphrase, no password. */
function credentialsOf(ctx: SliceContext) {
  const session = ctx.get().session;
  const api = ctx.live.api;
  if (!session || !api) return undefined;
  return { api, payload: { roomName: session.room, user: session.user, sesskey: session.sesskey } };
}

/**
 * The owner burned the room (a poll said `burning`, or the closing notice came first): wipe,
 * then tell the server, which is waiting for this before it closes the room.
 */
export async function roomBurned(ctx: SliceContext, canConfirm: boolean): Promise<void> {
  const call = credentialsOf(ctx);
  const cleared = clearRoomTraces(ctx);
  wipe(ctx, { phase: 'ended', ended: BURNED, burn: { kind: 'burned' } });
  await cleared;
  if (!canConfirm || !call) return;
  await call.api
    .call('confirmWipe', call.payload, { timeoutMs: CONFIRM_TIMEOUT_MS })
    .catch(() => undefined);
}

async function burnRoom(ctx: SliceContext): Promise<void> {
  if (!requireSession(ctx)) return;
  const call = credentialsOf(ctx)!;
  const cleared = clearRoomTraces(ctx);
  // The owner's window is wiped first, like everyone's; the call needs only the credentials.
  wipe(ctx, { phase: 'ended', ended: BURNED, burn: { kind: 'burning' } });
  const mine = ctx.live.generation;
  await cleared;
  let burn: BurnView;
  try {
    const report = await call.api.call('burnRoom', call.payload, {
      timeoutMs: BURN_ANSWER_TIMEOUT_MS,
    });
    burn = { kind: 'report', report };
  } catch (error) {
    burn = { kind: 'unreported', message: unreportedMessage(error) };
  }
  if (mine === ctx.live.generation) ctx.set({ burn });
}

function unreportedMessage(error: unknown): string {
  if (error instanceof ApiError && (error.kind === 'forbidden' || error.kind === 'bad-request'))
    return 'The server refused to burn the room: it may have been closed or burned already.';
  return 'The server did not answer, so nobody was told to wipe. The room stays on the server until it has been idle for 6 hours, or until the server stops.';
}

function clearScreen(ctx: SliceContext, options: { draft?: boolean }): void {
  if (ctx.get().phase !== 'room') return;
  ctx.live.undecrypted = [];
  ctx.set({
    lines: [],
    dropped: 0,
    unread: 0,
    history: [],
    invite: undefined,
    screenClears: ctx.get().screenClears + 1,
    ...(options.draft ? { draft: '' } : {}),
  });
  addLocal(ctx, 'Screen cleared. New messages appear below.', 'info');
}

async function leaveAndWipe(ctx: SliceContext): Promise<void> {
  const call = credentialsOf(ctx);
  const cleared = clearRoomTraces(ctx);
  wipe(ctx, {
    phase: 'ended',
    ended: {
      title: 'You left and wiped the room',
      text: 'Its messages, keys and notifications, and text copied from it, are gone from this window. Come back with your invite.',
    },
  });
  await cleared;
  if (!call) return;
  await call.api.call('leaveRoom', call.payload, { timeoutMs: 5_000 }).catch(() => undefined);
}

export function wipeSlice(ctx: SliceContext): WipeSlice {
  return {
    ...initialWipe(),
    copyText: (text) => ctx.live.clipboard.copy(text),
    noteCopied: (text) => ctx.live.clipboard.noteCopied(text),
    clearScreen: (options = {}) => clearScreen(ctx, options),
    leaveAndWipe: () => leaveAndWipe(ctx),
    burnRoom: () => burnRoom(ctx),
  };
}

/** The owner's report in words: "2 of 3 members confirmed. kim uses the terminal client …". */
export function reportSentences(report: BurnReport): string[] {
  const { confirmed, cannotConfirm, didNotAnswer } = report;
  const total = confirmed.length + cannotConfirm.length + didNotAnswer.length;
  if (total === 0) return ['Nobody else was in the room. The room is gone from the server.'];
  const sentences = [
    `${confirmed.length} of ${total} ${total === 1 ? 'member' : 'members'} confirmed.`,
  ];
  if (cannotConfirm.length > 0) {
    const one = cannotConfirm.length === 1;
    sentences.push(
      `${list(cannotConfirm)} ${one ? 'uses' : 'use'} the terminal client and cannot confirm: ${one ? 'their screen' : 'their screens'} may still show the conversation.`,
    );
  }
  if (didNotAnswer.length > 0) {
    sentences.push(
      `${list(didNotAnswer)} did not answer in time: ${didNotAnswer.length === 1 ? 'their window was' : 'their windows were'} closed or offline, and may still show the conversation when opened.`,
    );
  }
  return sentences;
}

/** Names, each bidi-isolated (FSI…PDI, what <bdi> does): a right-to-left name cannot reorder the sentence. */
function list(names: string[]): string {
  const isolated = names.map((name) => `\u2068${name}\u2069`);
  if (isolated.length === 1) return isolated[0]!;
  return `${isolated.slice(0, -1).join(', ')} and ${isolated[isolated.length - 1]!}`;
}
