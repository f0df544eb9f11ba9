import type { RoomStore } from '../store/room-store';
import type { RoomClock } from './room-clock';
import { NOTICE_IDLE_CLOSED, type RoomService } from './room-service';

export interface PurgePolicy {
  messageMaxAgeMs: number;
  noticeMaxAgeMs: number;
  idleRoomMs: number;
  /** A room nobody joined this long after its creation is a squatted slot. */
  unjoinedRoomMs: number;
}

/** What each scheduler tick does: forget old messages and notices, close forgotten rooms. */
export class RoomPurge {
  constructor(
    private readonly store: RoomStore,
    private readonly service: RoomService,
    private readonly policy: PurgePolicy,
    private readonly now: () => number = Date.now,
    /** Rooms with a shorter message lifetime than the server's. */
    private readonly clock?: RoomClock,
  ) {}

  run(): void {
    const now = this.now();
    this.store.deleteMessagesBefore(now - this.policy.messageMaxAgeMs);
    this.clock?.purge();
    this.store.deleteNoticesBefore(now - this.policy.noticeMaxAgeMs);
    for (const room of this.store.roomsIdleSince(now - this.policy.idleRoomMs)) {
      this.service.closeRoomNow(room, undefined, NOTICE_IDLE_CLOSED);
    }
    // Closed the same way as idle rooms; nobody holds a session, so nobody gets a notice.
    for (const room of this.store.roomsUnjoinedSince(now - this.policy.unjoinedRoomMs)) {
      this.service.closeRoomNow(room);
    }
  }
}
