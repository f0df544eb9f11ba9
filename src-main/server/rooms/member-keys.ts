import type { ActionResponse, ClientKind } from '../../../src-shared/protocol';
import type { RoomStore } from '../store/room-store';
import { badRequest } from './action-error';
import type { LongPollRegistry } from './long-poll';

type Listed = ActionResponse<'listMembers'>['members'][number];

/**
 * Member keys (the `memberkeys` extension): each LocalChat client publishes an X25519 public key
 * for its session. The key lives in the session's row, so it is bound to that one session of
 * that one member, at most one (32 octets) per session, and goes with it: a new join, a leave, a
 * kick, a ban or the room's close drops it. Nothing here is shown to the stock client.
 */
export class MemberKeys {
  constructor(
    private readonly store: RoomStore,
    private readonly waiters: LongPollRegistry,
  ) {}

  /**
   * Binds the key to the caller's session (authenticated by the caller). A second publication in
   * the same session is 400: a key changes only with a new join, which every member sees.
   */
  publish(roomId: number, user: string, key: string, client: ClientKind): void {
    if (!this.store.publishMemberKey(roomId, user, key, client)) throw badRequest();
    // Held polls answer now, with the new count: their clients fetch the keys again.
    this.waiters.wakeRoom(roomId);
  }

  /** The listed members with their current keys. */
  withKeys(roomId: number, members: { user: string; owner: boolean }[]): Listed[] {
    const keys = this.store.memberKeys(roomId);
    return members.map((m) => {
      const bound = keys.get(m.user);
      return bound ? { ...m, key: bound.key, client: bound.client as ClientKind } : m;
    });
  }

  /** What a poll that asked carries: how many keys the room has seen published. */
  publications(roomId: number): number {
    return this.store.keyPublications(roomId);
  }
}
