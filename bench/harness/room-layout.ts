import { LIMITS } from '../../src-shared/protocol';
import type { Invitee, Member } from '../load/member';
import type { Endpoint } from './client';
import { mapLimit } from './map-limit';
import { prepareRoom } from './room-setup';

export interface RoomShape {
  members: number;
  invitees: number;
  uniquePasswords?: boolean;
}

export interface Population {
  /** Room by room, the owner first in each. */
  members: Member[];
  invitees: Invitee[];
}

/**
 * Rooms holding `members` joined members, each filled up to the server's per-room account limit
 * (owner included) before the next is opened: the first k members share as few rooms as possible.
 */
export function fullRooms(members: number): RoomShape[] {
  const shapes: RoomShape[] = [];
  for (let left = members; left > 0; left -= LIMITS.membersPerRoom) {
    shapes.push({ members: Math.min(left, LIMITS.membersPerRoom), invitees: 0 });
  }
  return shapes;
}

/** `count` rooms of the same shape. */
export function sameRooms(count: number, shape: RoomShape): RoomShape[] {
  return Array.from({ length: count }, () => shape);
}

/** Sets up the rooms a few at a time (setup is latency-bound: each join waits on hashing and encryption). */
export async function populate(
  endpoint: Endpoint,
  prefix: string,
  shapes: RoomShape[],
): Promise<Population> {
  const rooms = await mapLimit(shapes, 8, (shape, i) =>
    prepareRoom(endpoint, { roomName: `${prefix}${i + 1}`, ...shape }),
  );
  return {
    members: rooms.flatMap((room) => room.members),
    invitees: rooms.flatMap((room) => room.invitees),
  };
}
