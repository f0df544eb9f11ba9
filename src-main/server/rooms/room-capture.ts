import { ActionError, badRequest } from './action-error';

/** A member may change what the room is told about their capture protection this often. */
export const CAPTURE_NOTICE_INTERVAL_MS = 60_000;

/**
 * Whether each member's desktop window is kept out of screen captures, as their client last
 * announced it (`announceCapture`). Only changes are news, and a member's changes are spaced, so
 * the notices they cause (one per LocalChat member) cannot flood the room.
 */
export class CaptureNotices {
  /** Per room id, per member: the last announced state and when. */
  private readonly rooms = new Map<number, Map<string, { off: boolean; at: number }>>();

  constructor(private readonly now: () => number) {}

  /** Records the change; 400 if it is none, 429 while the last one is recent. */
  accept(roomId: number, user: string, off: boolean): void {
    let members = this.rooms.get(roomId);
    const last = members?.get(user);
    // Protected is what the room assumes of a member nobody heard from.
    if ((last?.off ?? false) === off) throw badRequest();
    const now = this.now();
    if (last && now - last.at < CAPTURE_NOTICE_INTERVAL_MS)
      throw new ActionError(429, Math.ceil((last.at + CAPTURE_NOTICE_INTERVAL_MS - now) / 1000));
    if (!members) this.rooms.set(roomId, (members = new Map()));
    members.set(user, { off, at: now });
  }

  /** A new session starts from "protected", as the room will assume. */
  forgetSession(roomId: number, user: string): void {
    this.rooms.get(roomId)?.delete(user);
  }

  forgetRoom(roomId: number): void {
    this.rooms.delete(roomId);
  }
}
