import { quoteName, type SystemVerb } from '../../../src-shared/protocol';
import type { RoomRecord, RoomStore } from '../store/room-store';
import { badRequest, forbidden } from './action-error';
import type { LongPollRegistry } from './long-poll';

export const NOTICE_REFUSED = 'The room owner did not let you in';

export const ADMISSION_ON =
  'The room owner now admits each newcomer after comparing words with them';
export const ADMISSION_OFF = 'Newcomers now join the room at once, without being admitted';

type Post = (
  roomId: number,
  text: string,
  verb: SystemVerb,
  whenFull: 'store anyway' | 'drop',
) => Promise<void>;

export interface AdmissionDeps {
  store: RoomStore;
  waiters: LongPollRegistry;
  /** Posts a SYSTEM notice room-wide (RoomService.postSystem). */
  post: Post;
  now: () => number;
}

/**
 * Admission (the `admission` extension): in a room that asks, a newcomer's join succeeds as the
 * wire requires, but the session waits in a lobby, reading and sending nothing, until the owner
 * admits it (it then reads from that moment on) or turns it away (removed like a kick, with a
 * one-time notice). A room without admission behaves exactly as the stock protocol.
 */
export class Admission {
  constructor(private readonly deps: AdmissionDeps) {}

  /** Whether this join waits: in a room that asks, everyone but the owner. */
  mustWait(room: RoomRecord, user: string): boolean {
    return user !== room.owner && this.deps.store.admission(room.id);
  }

  /** The SYSTEM notice for a join: a waiting newcomer has not joined yet. */
  joinNotice(user: string, waiting: boolean): string {
    return waiting
      ? `User ${quoteName(user)} is waiting to join`
      : `User ${quoteName(user)} joined the room`;
  }

  async decide(room: RoomRecord, by: string, member: string, admit: boolean): Promise<void> {
    const { store, waiters, post } = this.deps;
    if (by !== room.owner) throw forbidden();
    if (!store.waitingMembers(room.id).includes(member)) throw badRequest();
    if (admit) {
      this.letIn(room, member);
      await post(room.id, `User ${quoteName(member)} joined the room`, 'sysinfo', 'store anyway');
      return;
    }
    store.transaction(() => {
      const session = store.session(room.id, member);
      if (session)
        store.addNotice(room.name, member, session.keyHash, NOTICE_REFUSED, this.deps.now());
      store.exitRoom(room.id, member);
      store.touchRoom(room.id, this.deps.now());
    });
    waiters.wakeUser(room.id, member);
    await post(
      room.id,
      `User ${quoteName(by)} did not admit ${quoteName(member)}`,
      'syswarn',
      'store anyway',
    );
  }

  /** Turning it off lets everyone who waits in, each announced as a join. */
  async toggle(room: RoomRecord, by: string, on: boolean): Promise<void> {
    const { store, post } = this.deps;
    if (by !== room.owner) throw forbidden();
    if (store.admission(room.id) === on) throw badRequest();
    store.setAdmission(room.id, on);
    const waiting = on ? [] : store.waitingMembers(room.id);
    for (const member of waiting) this.letIn(room, member);
    await post(room.id, on ? ADMISSION_ON : ADMISSION_OFF, 'syswarn', 'store anyway');
    for (const member of waiting)
      await post(room.id, `User ${quoteName(member)} joined the room`, 'sysinfo', 'store anyway');
  }

  /** From now on the session reads what is sent from this moment, and may send. */
  private letIn(room: RoomRecord, member: string): void {
    const { store, waiters } = this.deps;
    store.setWaiting(room.id, member, false, store.newestMessageId(room.id));
    store.touchRoom(room.id, this.deps.now());
    waiters.wakeUser(room.id, member);
  }
}
