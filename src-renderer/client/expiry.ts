import type { MessageRow } from '../../src-shared/protocol';
import type { ChatLine } from './lines';

/** The room's clock as this window knows it. Times are this window's clock unless said. */
export interface RoomClockView {
  /** How long a message lasts in this room. */
  lifetimeMs: number;
  /** The server's own lifetime: the longest an owner may choose. */
  serverLifetimeMs: number;
  /** A room idle this long is closed by the server. */
  idleCloseMs: number;
  /** When the server said the room closes if idle (this window's clock). */
  idleClosesAt: number;
  /** The server's clock minus this window's, measured at the last serverInfo. */
  offsetMs: number;
}

/** A line of the view: polled lines carry the server's time, our own and local ones ours. */
type Line = ChatLine | { kind: 'local'; id: number; time: number };

/** Lines timed by this window's clock rather than the server's. */
function timedHere(line: Line): boolean {
  return (
    line.kind === 'local' ||
    ((line.kind === 'say' || line.kind === 'do') &&
      (line.localKey !== undefined || line.outgoing === true))
  );
}

/** When the line's message expires, by this window's clock. */
export function expiresAt(line: Line, clock: RoomClockView): number {
  return line.time - (timedHere(line) ? 0 : clock.offsetMs) + clock.lifetimeMs;
}

/** When a polled row expires, by this window's clock. */
export function rowExpiresAt(row: MessageRow, clock: RoomClockView): number {
  return row[2] * 1000 - clock.offsetMs + clock.lifetimeMs;
}

/** The earliest expiry among the lines, or undefined for none. */
export function nextExpiry(lines: readonly Line[], clock: RoomClockView): number | undefined {
  let next: number | undefined;
  for (const line of lines) {
    const at = expiresAt(line, clock);
    if (next === undefined || at < next) next = at;
  }
  return next;
}

/** When the room closes if nobody acts: after the server's word or the newest line we saw. */
export function idleClosesAt(lines: readonly Line[], clock: RoomClockView): number {
  let latest = clock.idleClosesAt - clock.idleCloseMs;
  const last = lines.at(-1);
  if (last) latest = Math.max(latest, last.time - (timedHere(last) ? 0 : clock.offsetMs));
  return latest + clock.idleCloseMs;
}

/** "23 s", "4 min 10 s", "2 h 5 min": short, for the header and the per-message hint. */
export function shortDuration(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
}
