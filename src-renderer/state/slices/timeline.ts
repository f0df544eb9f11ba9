import { ApiError } from '../../client/api';
import { connectionErrorMessage } from '../../client/errors';
import type { ChatLine } from '../../client/lines';
import type { SliceContext } from './context';

/** A line this client adds itself: help, errors, the copy of a sent direct message. */
export type LocalLine = {
  kind: 'local';
  id: number;
  time: number;
  level: 'info' | 'error';
  text: string;
};
export type RoomLine = ChatLine | LocalLine;

/** Lines the window keeps: the newest; older ones are dropped (and counted) to bound memory. */
export const MAX_LINES = 5_000;

export interface TimelineSlice {
  lines: RoomLine[];
  /** Lines dropped from the top to keep at most MAX_LINES. */
  dropped: number;
  /** Messages being decrypted right now. */
  decrypting: number;
  unread: number;
  focused: boolean;
  setFocused(focused: boolean): void;
  /** Opens a message held because its sender sent many slow ones (the reader asked). */
  openHeld(id: number): void;
}

export const initialTimeline = (): Omit<TimelineSlice, 'setFocused' | 'openHeld'> => ({
  lines: [],
  dropped: 0,
  decrypting: 0,
  unread: 0,
  focused: true,
});

export function timelineSlice(ctx: SliceContext): TimelineSlice {
  return {
    ...initialTimeline(),
    setFocused(focused) {
      ctx.set(focused ? { focused, unread: 0 } : { focused });
    },
    openHeld(id) {
      ctx.live.decryption.open(id);
    },
  };
}

/** Our messages still sending or failed are never dropped: their text must not be lost. */
const keep = (line: RoomLine) =>
  line.kind !== 'local' &&
  line.kind !== 'system' &&
  line.kind !== 'undecryptable' &&
  line.kind !== 'held' &&
  line.delivery !== undefined &&
  line.delivery.state !== 'sent';

/** The lines to store, the oldest dropped beyond MAX_LINES, and the new dropped count. */
export function bounded(
  lines: RoomLine[],
  dropped: number,
): { lines: RoomLine[]; dropped: number } {
  let excess = lines.length - MAX_LINES;
  if (excess <= 0) return { lines, dropped };
  const kept: RoomLine[] = [];
  let removed = 0;
  for (const line of lines) {
    if (excess > 0 && !keep(line)) {
      excess--;
      removed++;
    } else kept.push(line);
  }
  return { lines: kept, dropped: dropped + removed };
}

/** Replaces the timeline's lines, keeping the bound. */
export function setLines(ctx: SliceContext, lines: RoomLine[]) {
  ctx.set(bounded(lines, ctx.get().dropped));
}

/**
 * An id after every line in the view, for a line this client adds. Server msgids are integers:
 * the growing fraction keeps ours apart from them and in the order they were added.
 */
export function nextLocalId(ctx: SliceContext): number {
  const lines = ctx.get().lines;
  const lastId = lines.length > 0 ? Math.floor(lines[lines.length - 1]!.id) : 0;
  return lastId + ++ctx.live.localSeq / 1e6;
}

export function addLocal(ctx: SliceContext, text: string, level: LocalLine['level'] = 'info') {
  const line: LocalLine = {
    kind: 'local',
    id: nextLocalId(ctx),
    time: ctx.clock.now(),
    level,
    text,
  };
  setLines(ctx, [...ctx.get().lines, line]);
}

export function reportRoomError(ctx: SliceContext, error: unknown, what: string) {
  const session = ctx.get().session;
  if (error instanceof ApiError) {
    addLocal(
      ctx,
      `${what}: ${connectionErrorMessage(error, session?.server.url ?? 'the server')}`,
      'error',
    );
  } else {
    addLocal(ctx, `${what}: ${error instanceof Error ? error.message : String(error)}`, 'error');
  }
}
