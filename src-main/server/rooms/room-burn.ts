import type { ActionName, BurnReport } from '../../../src-shared/protocol';
import { badRequest, forbidden } from './action-error';

/** How long a burn waits for LocalChat members' confirmations before it closes the room. */
export const BURN_WAIT_MS = 5_000;

/** Runs `fn` after `ms`; the returned function cancels it. Injected by tests as a fake clock. */
export type Schedule = (fn: () => void, ms: number) => () => void;

const realSchedule: Schedule = (fn, ms) => {
  const timer = setTimeout(fn, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

interface Burn {
  /** Members (the owner aside) whose client used an extension: they can confirm. */
  awaited: Set<string>;
  /** Members whose client never did: the stock client, which cannot confirm. */
  cannotConfirm: string[];
  confirmed: string[];
  finish: () => void;
}

/**
 * Whether a request shows its sender to be a LocalChat client: an extension action with a
 * session. A pollMsg with `wait` shows it too; RoomService notes that one itself, on its hot path.
 * The stock client sends none of these.
 */
export function isExtensionRequest(action: ActionName): boolean {
  switch (action) {
    case 'listMembers':
    case 'setPassword':
    case 'publishKey':
    case 'confirmWipe':
    case 'burnRoom':
    case 'announceCapture':
      return true;
    default:
      return false;
  }
}

/**
 * Burning a room: every LocalChat member's client wipes it and says so, then the room closes.
 * Which members are LocalChat clients is known only from what they sent in their current session
 * (see isExtensionRequest): honest, since a client that never used an extension cannot answer
 * the burn either. Everything here lives in memory and goes with the room.
 */
export class RoomBurns {
  /** Per room id, the members whose current session used an extension. */
  private readonly extensionClients = new Map<number, Set<string>>();
  private readonly burns = new Map<number, Burn>();
  private readonly schedule: Schedule;

  constructor(
    private readonly waitMs = BURN_WAIT_MS,
    schedule?: Schedule,
  ) {
    this.schedule = schedule ?? realSchedule;
  }

  noteExtensionClient(roomId: number, user: string): void {
    let users = this.extensionClients.get(roomId);
    if (!users) this.extensionClients.set(roomId, (users = new Set()));
    users.add(user);
  }

  /** A new session (join) or none (leave, kick, ban): what the old one sent no longer counts. */
  forgetSession(roomId: number, user: string): void {
    this.extensionClients.get(roomId)?.delete(user);
  }

  /** The room is gone: a burn still waiting ends now, with what it has. */
  forgetRoom(roomId: number): void {
    this.extensionClients.delete(roomId);
    this.burns.get(roomId)?.finish();
  }

  /** Members whose current session used an extension: those a LocalChat-only notice reaches. */
  extensionClientsOf(roomId: number): string[] {
    return [...(this.extensionClients.get(roomId) ?? [])];
  }

  isBurning(roomId: number): boolean {
    return this.burns.has(roomId);
  }

  /** Nothing new enters a room being burned: no message, no join (403, as a closed room). */
  assertNotBurning(roomId: number): void {
    if (this.burns.has(roomId)) throw forbidden();
  }

  /**
   * Starts burning: resolves with the report once every LocalChat member confirmed, or after the
   * bounded wait. `members` are those in the room now, the owner aside. A second burn is 400.
   */
  start(roomId: number, members: readonly string[]): Promise<BurnReport> {
    if (this.burns.has(roomId)) throw badRequest();
    const clients = this.extensionClients.get(roomId);
    const awaited = new Set(members.filter((m) => clients?.has(m)));
    const cannotConfirm = members.filter((m) => !awaited.has(m));
    return new Promise((resolve) => {
      let cancel = () => {};
      const burn: Burn = {
        awaited,
        cannotConfirm,
        confirmed: [],
        finish: () => {
          if (this.burns.get(roomId) !== burn) return;
          cancel();
          this.burns.delete(roomId);
          resolve({
            status: 'ok',
            confirmed: burn.confirmed,
            cannotConfirm: burn.cannotConfirm,
            didNotAnswer: [...burn.awaited],
          });
        },
      };
      this.burns.set(roomId, burn);
      if (awaited.size === 0) burn.finish();
      else cancel = this.schedule(burn.finish, this.waitMs);
    });
  }

  /** A member's client wiped the room: 400 unless this room is burning and awaits this member. */
  confirm(roomId: number, user: string): void {
    const burn = this.burns.get(roomId);
    if (!burn) throw badRequest();
    // A member whose client was not counted as able to confirm is believed too: it answered.
    const unexpected = burn.cannotConfirm.indexOf(user);
    if (!burn.awaited.delete(user)) {
      if (unexpected < 0) throw badRequest();
      burn.cannotConfirm.splice(unexpected, 1);
    }
    burn.confirmed.push(user);
    if (burn.awaited.size === 0) burn.finish();
  }
}
