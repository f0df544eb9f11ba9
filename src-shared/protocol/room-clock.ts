import { z } from 'zod';
import { quoteName } from './notice-names';

/**
 * The room clock (extension `roomclock`): how long messages, notices and rooms last. All
 * durations on the wire are whole seconds; times are seconds since the epoch, by the server's
 * clock.
 */

/** The shortest message lifetime an owner may set: below it a message can vanish unread. */
export const MIN_MESSAGE_LIFETIME_S = 10;
/** The schema's ceiling; the server refuses anything above its own lifetime as well. */
export const MAX_MESSAGE_LIFETIME_S = 7 * 24 * 3600;

/** A room's message lifetime, in whole seconds. */
export const messageLifetime = z
  .number()
  .int()
  .min(MIN_MESSAGE_LIFETIME_S)
  .max(MAX_MESSAGE_LIFETIME_S);

/** The lifetimes the app offers; an owner may send any other whole number within the bounds. */
export const LIFETIME_CHOICES_S = [30, 60, 5 * 60, 10 * 60] as const;

const seconds = z.number().nonnegative();

/** The server's clock, in every serverInfo answer of a server that names `roomclock`. */
export const serverClock = z.object({
  /** Messages older than this are never answered and are deleted. */
  messageLifetime: seconds,
  /** Kick, ban and close notices not fetched by then are dropped. */
  noticeLifetime: seconds,
  /** A room with no activity this long is closed. */
  idleClose: seconds,
  /** A room nobody joined this long after its creation is closed. */
  unjoinedClose: seconds,
  /** How often the purge runs: a message is gone from memory by its lifetime plus this. */
  purgeInterval: seconds,
  /** The server's time, so a client can correct for its own clock's offset. */
  now: seconds,
});
export type ServerClock = z.infer<typeof serverClock>;

/** The caller's room, when serverInfo was asked with a session. */
export const roomClock = z.object({
  messageLifetime: seconds,
  /** When the room closes if nobody joins, leaves, talks, invites, kicks or bans before. */
  idleClosesAt: seconds,
});
export type RoomClock = z.infer<typeof roomClock>;

/** "30 seconds", "1 minute", "1 hour 30 minutes": the words SYSTEM and the app use. */
export function describeLifetime(totalSeconds: number): string {
  const s = Math.round(totalSeconds);
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  const parts: string[] = [];
  let rest = s;
  for (const [size, name] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
    rest -= n * size;
  }
  return parts.length ? parts.slice(0, 2).join(' ') : '0 seconds';
}

/** SYSTEM's words for a change; the app recognises them to refresh the room's clock. */
export function lifetimeNotice(user: string, totalSeconds: number): string {
  return `User ${quoteName(user)} set messages to vanish after ${describeLifetime(totalSeconds)}`;
}

export const LIFETIME_NOTICE_PATTERN = /^User .+ set messages to vanish after /;
