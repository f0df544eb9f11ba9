import { SYSTEM_USER, type MessageRow } from '../../../src-shared/protocol';
import { ApiError } from '../../client/api';
import type { DecryptJob } from '../../client/cipher';
import { connectionErrorMessage } from '../../client/errors';
import { decodeLine, mergeLines, type ChatLine } from '../../client/lines';
import type { SliceContext } from './context';
import { membersAfter, refreshMembers } from './members';
import { notePassphraseEvidence } from './passphrase';
import { notificationFor } from '../../client/notificationText';

/** Rows decrypted per worker round trip; lines appear batch by batch during a backlog. */
export const DECRYPT_BATCH = 25;
/** Measure name recorded around each delivery of polled messages (read by the e2e test). */
export const BACKLOG_MEASURE = 'localchat:decrypt-messages';

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
}

export const initialTimeline = (): Omit<TimelineSlice, 'setFocused'> => ({
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
  };
}

/** Our messages still sending or failed are never dropped: their text must not be lost. */
const keep = (line: RoomLine) =>
  line.kind !== 'local' &&
  line.kind !== 'system' &&
  line.kind !== 'undecryptable' &&
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

/** Puts our own lines (e.g. the copy of a sent DM) in their place in the order. */
export function addLines(ctx: SliceContext, lines: readonly ChatLine[]) {
  setLines(ctx, mergeLines<RoomLine>(ctx.get().lines, lines));
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

/** Decrypts polled rows batch by batch into the timeline, counting and notifying unread ones. */
export async function processRows(ctx: SliceContext, rows: MessageRow[], mine: number) {
  const { get, set, deps } = ctx;
  const session = get().session;
  if (!session) return;
  const perf = deps.performance;
  const start = `${BACKLOG_MEASURE}:start:${rows[0]?.[0] ?? 0}`;
  perf?.mark(start);
  set({ decrypting: get().decrypting + rows.length });
  let membershipChanged = false;
  for (let i = 0; i < rows.length; i += DECRYPT_BATCH) {
    const batch = rows.slice(i, i + DECRYPT_BATCH);
    const jobs: DecryptJob[] = batch.map(([id, msg, , from]) => ({
      id,
      data: msg,
      passphrase: from === SYSTEM_USER ? session.syskey : session.roomPass,
    }));
    const results = await deps.cipher.decrypt(jobs).catch(() => []);
    if (mine !== ctx.live.generation) return;
    const byId = new Map(results.map((r) => [r.id, r]));
    const decoded = batch.map((row) => decodeLine(row, byId.get(row[0])));
    notePassphraseEvidence(ctx, batch, decoded);
    const state = get();
    const members = membersAfter(state.members, decoded);
    if (members) membershipChanged = true;
    const fromOthers = decoded.filter(
      (line) =>
        (line.kind === 'say' || line.kind === 'do' || line.kind === 'undecryptable') &&
        line.from !== session.user,
    );
    if (!state.focused && fromOthers.length > 0 && state.notificationsOn) {
      const { title, body } = notificationFor(fromOthers, session.room, state.notificationText);
      deps.notifier?.notify(
        title,
        body,
        fromOthers.map((line) => line.id),
      );
    }
    set({
      ...bounded(mergeLines<RoomLine>(state.lines, decoded), state.dropped),
      ...(members ? { members } : {}),
      decrypting: Math.max(0, state.decrypting - batch.length),
      unread: state.focused ? 0 : state.unread + fromOthers.length,
    });
  }
  perf?.mark(`${start}:end`);
  perf?.measure(BACKLOG_MEASURE, start, `${start}:end`);
  perf?.clearMarks(start);
  perf?.clearMarks(`${start}:end`);
  if (membershipChanged) void refreshMembers(ctx, mine);
}
