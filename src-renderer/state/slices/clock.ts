import { ApiError } from '../../client/api';
import { expiresAt, nextExpiry, rowExpiresAt, type RoomClockView } from '../../client/expiry';
import { LIFETIME_NOTICE_PATTERN, describeLifetime } from '../../../src-shared/protocol';
import type { ChatStore } from './context';
import type { SliceContext } from './context';
import { addLocal, reportRoomError, type RoomLine } from './timeline';

/** How often the room's clock is asked again, so the idle-close time follows others' activity. */
export const CLOCK_REFRESH_MS = 60_000;

export interface ClockSlice {
  /** The room's clock (serverInfo `roomclock`); undefined before it is known or on old servers. */
  roomClock?: RoomClockView;
  /** The member chose to see message text in notifications (off by default; memory only). */
  notificationText: boolean;
  setNotificationText(on: boolean): void;
  /** Owner only: how long messages last in this room, in seconds. */
  setRoomLifetime(seconds: number): Promise<void>;
}

export const initialClock = () => ({
  roomClock: undefined as RoomClockView | undefined,
  notificationText: false,
});

export function clockSlice(ctx: SliceContext): ClockSlice {
  return {
    ...initialClock(),
    setNotificationText: (on) => ctx.set({ notificationText: on }),
    setRoomLifetime: (seconds) => setRoomLifetime(ctx, seconds),
  };
}

/** Asks the server for the room's clock and this window's offset from the server's clock. */
export async function refreshRoomClock(ctx: SliceContext, mine: number): Promise<void> {
  const { api } = ctx.live;
  const session = ctx.get().session;
  if (!api || !session || !session.extensions.includes('roomclock')) return;
  try {
    const sent = ctx.clock.now();
    const info = await api.call('serverInfo', {
      roomName: session.room,
      user: session.user,
      sesskey: session.sesskey,
    });
    const received = ctx.clock.now();
    if (mine !== ctx.live.generation || !info.clock || !info.room) return;
    // The server read its clock about halfway through the round trip.
    const offsetMs = info.clock.now * 1000 - (sent + received) / 2;
    ctx.set({
      roomClock: {
        lifetimeMs: info.room.messageLifetime * 1000,
        serverLifetimeMs: info.clock.messageLifetime * 1000,
        idleCloseMs: info.clock.idleClose * 1000,
        idleClosesAt: info.room.idleClosesAt * 1000 - offsetMs,
        offsetMs,
      },
    });
  } catch {
    // The clock is shown when known; the next refresh tries again.
  }
}

async function setRoomLifetime(ctx: SliceContext, seconds: number): Promise<void> {
  const { api } = ctx.live;
  const session = ctx.get().session;
  if (!api || !session) return;
  const mine = ctx.live.generation;
  try {
    await api.call('setRoomLifetime', {
      roomName: session.room,
      user: session.user,
      sesskey: session.sesskey,
      messageLifetime: seconds,
    });
  } catch (error) {
    if (error instanceof ApiError && error.kind === 'forbidden')
      addLocal(ctx, "Only the room's owner can change how long messages last.", 'error');
    else if (error instanceof ApiError && error.kind === 'bad-request')
      addLocal(
        ctx,
        `This server keeps messages for less than ${describeLifetime(seconds)}.`,
        'error',
      );
    else reportRoomError(ctx, error, 'Could not change how long messages last');
    return;
  }
  await refreshRoomClock(ctx, mine);
}

/**
 * Removes every expired line from the store: the view, its decrypted text, the rows kept for a
 * passphrase retry, the unread count, and the notifications shown about them. Our draft is not
 * a message and is never touched.
 */
export function expireLines(ctx: SliceContext, historyTimes: number[] = []): void {
  const state = ctx.get();
  const clock = state.roomClock;
  if (!clock) return;
  const now = ctx.clock.now();
  // What we typed, kept for Up-arrow recall, goes with our messages: oldest first.
  let stale = 0;
  while (stale < historyTimes.length && historyTimes[stale]! + clock.lifetimeMs <= now) stale++;
  if (stale > 0) {
    historyTimes.splice(0, stale);
    ctx.set({ history: state.history.slice(stale) });
  }
  const kept: RoomLine[] = [];
  const gone: number[] = [];
  for (const line of state.lines) {
    if (expiresAt(line, clock) > now) kept.push(line);
    else {
      gone.push(line.id);
      if ('localKey' in line && line.localKey !== undefined) gone.push(line.localKey);
    }
  }
  ctx.live.undecrypted = ctx.live.undecrypted.filter((row) => rowExpiresAt(row, clock) > now);
  if (gone.length === 0) return;
  ctx.deps.notifier?.closeFor(gone);
  const me = state.session?.user;
  // Unread messages are the newest from others; the expired are the oldest.
  const othersLeft = kept.filter(
    (l) => (l.kind === 'say' || l.kind === 'do' || l.kind === 'undecryptable') && l.from !== me,
  ).length;
  ctx.set({ lines: kept, unread: Math.min(state.unread, othersLeft) });
}

/**
 * Keeps one timer on the next expiry, rescheduled whenever the lines or the clock change; asks
 * the server again when SYSTEM says the lifetime changed, and every CLOCK_REFRESH_MS.
 */
export function watchRoomClock(ctx: SliceContext, store: ChatStore): void {
  let timer: unknown;
  let at: number | undefined;
  let refresher: unknown;
  let refreshedFor = -1;
  /** When each entry of the composer's history was typed, aligned with its end. */
  const historyTimes: number[] = [];
  const schedule = () => {
    const { lines, roomClock } = ctx.get();
    let next = roomClock ? nextExpiry(lines, roomClock) : undefined;
    if (roomClock && historyTimes.length > 0) {
      const typed = historyTimes[0]! + roomClock.lifetimeMs;
      next = next === undefined ? typed : Math.min(next, typed);
    }
    if (next === at) return;
    if (timer !== undefined) ctx.clock.clearTimeout(timer);
    timer = undefined;
    at = next;
    if (next === undefined) return;
    timer = ctx.clock.setTimeout(
      () => {
        timer = undefined;
        at = undefined;
        expireLines(ctx, historyTimes);
        schedule();
      },
      Math.max(0, next - ctx.clock.now()),
    );
  };
  const refreshLater = () => {
    if (refresher !== undefined) ctx.clock.clearTimeout(refresher);
    refresher = ctx.clock.setTimeout(() => {
      refresher = undefined;
      if (ctx.get().phase !== 'room') return;
      void refreshRoomClock(ctx, ctx.live.generation).then(refreshLater);
    }, CLOCK_REFRESH_MS);
  };
  store.subscribe((state, prev) => {
    if (state.history !== prev.history) {
      const added = state.history.length > 0 && state.history.at(-1) !== prev.history.at(-1);
      if (state.history.length === 0) historyTimes.length = 0;
      else if (state.history.length > prev.history.length || added)
        historyTimes.push(ctx.clock.now());
      historyTimes.splice(0, Math.max(0, historyTimes.length - state.history.length));
    }
    if (
      state.lines !== prev.lines ||
      state.roomClock !== prev.roomClock ||
      state.history !== prev.history
    )
      schedule();
    if (state.phase === 'room' && state.session && refreshedFor !== ctx.live.generation) {
      refreshedFor = ctx.live.generation;
      void refreshRoomClock(ctx, refreshedFor);
      refreshLater();
    }
    if (state.lines !== prev.lines && changedLifetime(prev.lines, state.lines))
      void refreshRoomClock(ctx, ctx.live.generation);
  });
}

/** Whether SYSTEM announced a new lifetime among the lines added since `before`. */
function changedLifetime(before: readonly RoomLine[], after: readonly RoomLine[]): boolean {
  const newest = before.at(-1)?.id ?? 0;
  for (let i = after.length - 1; i >= 0 && after[i]!.id > newest; i--) {
    const line = after[i]!;
    if (line.kind === 'system' && LIFETIME_NOTICE_PATTERN.test(line.text)) return true;
  }
  return false;
}
