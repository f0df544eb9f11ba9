import type { RoomClock as RoomClockInfo, ServerClock } from '../../../src-shared/protocol';
import type { RoomRecord, RoomStore } from '../store/room-store';

export interface ClockPolicy {
  messageMaxAgeMs: number;
  noticeMaxAgeMs: number;
  idleRoomMs: number;
  unjoinedRoomMs: number;
  purgeIntervalMs: number;
}

const seconds = (ms: number) => ms / 1000;

/**
 * How long things last, per room. A room's message lifetime (owner-set, never above the
 * server's) is kept here in memory, like everything else, and enforced for every client: a poll
 * first forgets the room's expired messages, so no answer carries one, and each purge tick
 * deletes them from every room.
 */
export class RoomClock {
  /** Room id to its message lifetime in ms; rooms on the server's lifetime are absent. */
  private readonly lifetimes = new Map<number, number>();

  constructor(
    private readonly store: RoomStore,
    private readonly policy: ClockPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /** The room's message lifetime in ms. */
  lifetimeMs(roomId: number): number {
    return this.lifetimes.get(roomId) ?? this.policy.messageMaxAgeMs;
  }

  /** Whether `ms` is a lifetime this server allows (it never keeps messages longer than its own). */
  allows(ms: number): boolean {
    return ms <= this.policy.messageMaxAgeMs;
  }

  /** Sets the room's lifetime and forgets what is already older; false when nothing changed. */
  setLifetime(roomId: number, ms: number): boolean {
    const changed = ms !== this.lifetimeMs(roomId);
    if (ms === this.policy.messageMaxAgeMs) this.lifetimes.delete(roomId);
    else this.lifetimes.set(roomId, ms);
    this.expire(roomId);
    return changed;
  }

  /**
   * Deletes the room's messages past its lifetime. Called before every poll reads: one indexed
   * probe of the room's oldest row, and a delete only when that row has expired.
   */
  expire(roomId: number): void {
    const cutoff = this.now() - this.lifetimeMs(roomId);
    const oldest = this.store.oldestMessageTime(roomId);
    if (oldest !== undefined && oldest < cutoff)
      this.store.deleteRoomMessagesBefore(roomId, cutoff);
  }

  /** The purge tick's share: every room with its own lifetime; forgets rooms that are gone. */
  purge(): void {
    for (const roomId of this.lifetimes.keys()) {
      if (this.store.roomById(roomId)) this.expire(roomId);
      else this.lifetimes.delete(roomId);
    }
  }

  /** serverInfo's `clock`. */
  server(): ServerClock {
    return {
      messageLifetime: seconds(this.policy.messageMaxAgeMs),
      noticeLifetime: seconds(this.policy.noticeMaxAgeMs),
      idleClose: seconds(this.policy.idleRoomMs),
      unjoinedClose: seconds(this.policy.unjoinedRoomMs),
      purgeInterval: seconds(this.policy.purgeIntervalMs),
      now: seconds(this.now()),
    };
  }

  /** serverInfo's `room`, for a member of it. */
  room(room: RoomRecord): RoomClockInfo {
    return {
      messageLifetime: seconds(this.lifetimeMs(room.id)),
      idleClosesAt: seconds(room.lastActive + this.policy.idleRoomMs),
    };
  }
}
