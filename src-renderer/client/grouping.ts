/** A line as far as grouping sees it. */
export interface Groupable {
  kind: string;
  time: number;
  from?: string;
  to?: string;
}

/** Messages from one sender within this long of each other share one name. */
export const GROUP_GAP_MS = 5 * 60_000;

const dayKey = (time: number) => new Date(time).toDateString();

/** Whether `line` starts a new day (local time) after `prev`. */
export function startsDay(prev: Groupable | undefined, line: Groupable): boolean {
  return prev === undefined || dayKey(prev.time) !== dayKey(line.time);
}

/**
 * Whether `line` continues `prev`'s group: the same sender, same kind of message (room-wide or
 * the same DM), same day and within GROUP_GAP_MS. Only spoken lines group; /me actions and notices
 * always show who they are from.
 */
export function continuesGroup(prev: Groupable | undefined, line: Groupable): boolean {
  if (!prev || prev.kind !== 'say' || line.kind !== 'say') return false;
  return (
    prev.from === line.from &&
    prev.to === line.to &&
    line.time - prev.time < GROUP_GAP_MS &&
    !startsDay(prev, line)
  );
}
