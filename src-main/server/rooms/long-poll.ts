import { ROOM_WIDE } from '../../../src-shared/protocol';

interface Waiter {
  user: string;
  wake: () => void;
}

/**
 * Held pollMsg requests, by room id. Whoever changes what a poller would see wakes it; the woken
 * request then simply polls again, so every answer comes from the same code path.
 */
export class LongPollRegistry {
  private readonly byRoom = new Map<number, Set<Waiter>>();

  /**
   * Resolves when woken, after `timeoutMs`, or when `abort` fires, whichever is first; always
   * unregisters itself.
   */
  wait(roomId: number, user: string, timeoutMs: number, abort: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let waiters = this.byRoom.get(roomId);
      if (!waiters) this.byRoom.set(roomId, (waiters = new Set()));
      const room = waiters;
      const done = () => {
        clearTimeout(timer);
        abort.removeEventListener('abort', done);
        room.delete(waiter);
        if (room.size === 0 && this.byRoom.get(roomId) === room) this.byRoom.delete(roomId);
        resolve();
      };
      const waiter: Waiter = { user, wake: done };
      const timer = setTimeout(done, timeoutMs);
      abort.addEventListener('abort', done);
      room.add(waiter);
      if (abort.aborted) done();
    });
  }

  /** Wakes the pollers who can see a message addressed to `toUser` ('0' or a name) from `fromUser`. */
  wakeForMessage(roomId: number, fromUser: string, toUser: string): void {
    this.wakeWhere(
      roomId,
      (w) => toUser === ROOM_WIDE || (w.user === toUser && w.user !== fromUser),
    );
  }

  wakeUser(roomId: number, user: string): void {
    this.wakeWhere(roomId, (w) => w.user === user);
  }

  wakeRoom(roomId: number): void {
    this.wakeWhere(roomId, () => true);
  }

  wakeAll(): void {
    for (const roomId of [...this.byRoom.keys()]) this.wakeRoom(roomId);
  }

  waiting(): number {
    let n = 0;
    for (const set of this.byRoom.values()) n += set.size;
    return n;
  }

  private wakeWhere(roomId: number, match: (w: Waiter) => boolean): void {
    const waiters = this.byRoom.get(roomId);
    if (!waiters) return;
    for (const w of [...waiters]) if (match(w)) w.wake();
  }
}
