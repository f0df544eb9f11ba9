import type { RoomStore } from '../store/room-store';
import { badRequest, forbidden, serverFull } from './action-error';

/** Sealed room keys waiting for one member at a time: a handful is all a newcomer needs. */
export const MAX_HANDOVERS_PER_MEMBER = 4;
/** Across the server, so handovers cost at most about this many boxes of 720 octets. */
export const MAX_HANDOVERS = 10_000;
/** A box nobody fetched is dropped after this long. */
export const HANDOVER_TTL_MS = 10 * 60_000;

interface Pending {
  from: string;
  box: string;
  /** The recipient's member key when it was handed: a new join (new key) never sees it. */
  recipientKey: string;
  at: number;
}

/**
 * Room key handovers (the `keyhandover` extension): one admitted member hands another admitted
 * member of the same room a room key sealed to that member's key. The server cannot read it; it
 * only keeps it in memory for that one session of that one member, who fetches it once. A new
 * join, leave, kick, ban or the room's close changes or drops the recipient's member key, and a
 * box handed to an earlier key is never delivered.
 */
export class KeyHandovers {
  private readonly pending = new Map<number, Map<string, Pending[]>>();
  private total = 0;

  constructor(
    private readonly store: RoomStore,
    private readonly now: () => number,
  ) {}

  /** `from` is an admitted member (the caller checks); the recipient must be one with a key. */
  hand(roomId: number, from: string, to: string, box: string): void {
    if (to === from) throw badRequest();
    const recipientKey = this.store.memberKeys(roomId).get(to)?.key;
    if (!recipientKey) throw badRequest();
    if (this.store.waitingMembers(roomId).includes(to)) throw forbidden();
    const room = this.pending.get(roomId) ?? new Map<string, Pending[]>();
    const kept = this.fresh(room.get(to) ?? [], recipientKey).filter((p) => p.from !== from);
    if (kept.length >= MAX_HANDOVERS_PER_MEMBER) throw serverFull();
    this.set(roomId, room, to, kept);
    if (this.total >= MAX_HANDOVERS) throw serverFull();
    this.set(roomId, room, to, [...kept, { from, box, recipientKey, at: this.now() }]);
  }

  /** What was handed to the caller's current session; each box is given out once. */
  take(roomId: number, user: string): { from: string; box: string }[] {
    const room = this.pending.get(roomId);
    const own = room?.get(user);
    if (!room || !own) return [];
    const key = this.store.memberKeys(roomId).get(user)?.key;
    const mine = key ? this.fresh(own, key) : [];
    this.set(roomId, room, user, []);
    return mine.map(({ from, box }) => ({ from, box }));
  }

  /** The room is gone: so is everything handed in it. */
  forgetRoom(roomId: number): void {
    const room = this.pending.get(roomId);
    if (!room) return;
    for (const list of room.values()) this.total -= list.length;
    this.pending.delete(roomId);
  }

  private fresh(list: Pending[], key: string): Pending[] {
    const since = this.now() - HANDOVER_TTL_MS;
    return list.filter((p) => p.recipientKey === key && p.at > since);
  }

  private set(roomId: number, room: Map<string, Pending[]>, user: string, list: Pending[]): void {
    this.total += list.length - (room.get(user)?.length ?? 0);
    if (list.length) room.set(user, list);
    else room.delete(user);
    if (room.size) this.pending.set(roomId, room);
    else this.pending.delete(roomId);
  }
}
