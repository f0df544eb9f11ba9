import { LIMITS } from '../../src-shared/protocol';
import type { Invitee, Member } from '../load/member';
import type { Endpoint } from './client';
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

export async function populate(
  endpoint: Endpoint,
  prefix: string,
  shapes: RoomShape[],
): Promise<Population> {
  const population: Population = { members: [], invitees: [] };
  for (const [i, shape] of shapes.entries()) {
    const room = await prepareRoom(endpoint, { roomName: `${prefix}${i + 1}`, ...shape });
    population.members.push(...room.members);
    population.invitees.push(...room.invitees);
  }
  return population;
}
