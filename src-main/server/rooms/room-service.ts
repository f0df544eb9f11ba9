import {
  EXTENSIONS,
  LIMITS,
  NOTICE_BURNED,
  ROOM_WIDE,
  SYSTEM_USER,
  confusableWith,
  isReservedName,
  quoteName,
  type ActionName,
  type ActionPayload,
  type ActionResponse,
  type SystemVerb,
  lifetimeNotice,
} from '../../../src-shared/protocol';
import { encryptText } from './system-cipher';
import { EncodedJson } from '../store/encoded-json';
import type { AccountRecord, RoomRecord, RoomStore } from '../store/room-store';
import { badRequest, forbidden, serverFull } from './action-error';
import {
  digestSecret,
  hashPassword,
  newSessionKey,
  secretMatches,
  verifyPassword,
} from './credentials';
import type { CreateThrottle } from './create-throttle';
import type { HashingQueue } from './hashing-queue';
import type { LoginThrottle } from './login-throttle';
import { SendThrottle } from './send-throttle';
import type { LongPollRegistry } from './long-poll';
import type { RoomClock } from './room-clock';
import { KeyHandovers } from './key-handover';
import { MemberKeys } from './member-keys';
import { Admission } from './admission';
import { isExtensionRequest, RoomBurns } from './room-burn';
import { CaptureNotices } from './room-capture';
import { SERVER_NAME, SERVER_VERSION } from './server-identity';
import { SlotReservations } from './slot-reservations';

/** The reservations' scope for room names (invites are reserved per room id). */
const ROOMS = 'rooms';
/** Stands in for a missing session's digest, so a miss costs the same comparison as a hit. */
const EMPTY_DIGEST = Buffer.alloc(32);

export const NOTICE_KICKED = 'You have been kicked from the room';
export const NOTICE_BANNED = 'You have been banned from the room';
export const NOTICE_CLOSED = 'The room has been closed';
export const NOTICE_SIGNED_IN_ELSEWHERE = 'Your name was signed in elsewhere';
/** Distinct from an owner's close, so clients can say why the room went away. */
export const NOTICE_IDLE_CLOSED = 'The room has been closed because nobody used it for a long time';
export const TESTING_MODE_WARNING =
  'WARNING: this server runs in testing mode and writes rooms and messages to disk';

export interface RequestContext {
  /** The client's address, for the login throttle. */
  remoteAddress: string;
  /** Fires when the client goes away, ending a held pollMsg or dropping a queued hash. */
  aborted: AbortSignal;
}

export interface RoomServiceOptions {
  store: RoomStore;
  waiters: LongPollRegistry;
  throttle: LoginThrottle;
  createThrottle: CreateThrottle;
  /** Messages per member; the defaults when absent. */
  sendThrottle?: SendThrottle;
  hashing: HashingQueue;
  syskey: string;
  /** Random per server run, announced by serverInfo: a client sees a restart by its change. */
  instance: string;
  /**
   * SHA-256 of the server's certificate, announced by serverInfo for the browser page, which
   * cannot see it and puts it in invites. No new trust: that page's code came over the same TLS.
   */
  certificate?: string;
  testingMode: boolean;
  noticeMaxAgeMs: number;
  limits: RoomLimits;
  /** Per-room message lifetimes, enforced on every poll. */
  clock: RoomClock;
  now?: () => number;
  /** Burns in progress; the default waits BURN_WAIT_MS for confirmations on a real timer. */
  burns?: RoomBurns;
}

export interface RoomLimits {
  roomsPerServer: number;
  /** Accounts (invited or joined) per room, the owner included. */
  membersPerRoom: number;
  /** Bytes of message text in one pollMsg answer (at least one row is always sent). */
  pollAnswerBytes: number;
}

/**
 * What a SYSTEM notice does when the server's message bytes are at their budget. Notices of
 * someone leaving are kept: each follows a join, and joins are refused when full, so they stay
 * few. Warnings about a refused attempt cost the sender nothing, so they must not grow the store.
 */
type WhenServerFull = 'store anyway' | 'drop';

/**
 * An action's answer: the response itself, or its JSON already encoded (a poll's rows, as
 * SQLite wrote them), which the transport sends as is.
 */
export type Answer<A extends ActionName> = ActionResponse<A> | EncodedJson<ActionResponse<A>>;

type PollUpdated = Extract<ActionResponse<'pollMsg'>, { status: 'updated' }>;

type Handler<A extends ActionName> = (
  payload: ActionPayload<A>,
  ctx: RequestContext,
) => Promise<Answer<A>>;

interface Member {
  room: RoomRecord;
  user: string;
  /** The session never reads rows up to this id (from before its join's history window). */
  hiddenUpTo: number;
  /** Joined, but waiting for the owner to admit it: it may only poll, publish its key and leave. */
  waiting: boolean;
}

/** The actions' logic. Every refusal is an ActionError; anything else thrown is a bug (500). */
export class RoomService {
  private readonly store: RoomStore;
  private readonly waiters: LongPollRegistry;
  private readonly throttle: LoginThrottle;
  private readonly createThrottle: CreateThrottle;
  private readonly sendThrottle: SendThrottle;
  private readonly hashing: HashingQueue;
  private readonly reservations = new SlotReservations<string | number>();
  private readonly syskey: string;
  private readonly instance: string;
  private readonly certificate: string | undefined;
  private readonly testingMode: boolean;
  private readonly noticeMaxAgeMs: number;
  private readonly limits: RoomLimits;
  private readonly clock: RoomClock;
  private readonly now: () => number;
  private readonly memberKeys: MemberKeys;
  private readonly admission: Admission;
  private readonly burns: RoomBurns;
  private readonly capture: CaptureNotices;
  private readonly handovers: KeyHandovers;

  constructor(options: RoomServiceOptions) {
    this.store = options.store;
    this.waiters = options.waiters;
    this.throttle = options.throttle;
    this.createThrottle = options.createThrottle;
    this.sendThrottle = options.sendThrottle ?? new SendThrottle(undefined, options.now);
    this.hashing = options.hashing;
    this.syskey = options.syskey;
    this.instance = options.instance;
    this.certificate = options.certificate;
    this.testingMode = options.testingMode;
    this.noticeMaxAgeMs = options.noticeMaxAgeMs;
    this.limits = options.limits;
    this.clock = options.clock;
    this.now = options.now ?? Date.now;
    this.memberKeys = new MemberKeys(this.store, this.waiters);
    this.handovers = new KeyHandovers(this.store, this.now);
    this.admission = new Admission({
      store: this.store,
      waiters: this.waiters,
      post: (roomId, text, verb, whenFull) => this.postSystem(roomId, text, verb, whenFull),
      now: this.now,
    });
    this.burns = options.burns ?? new RoomBurns();
    this.capture = new CaptureNotices(this.now);
  }

  handle<A extends ActionName>(
    action: A,
    payload: ActionPayload<A>,
    ctx: RequestContext,
  ): Promise<Answer<A>> {
    const handler = this.handlers[action] as Handler<A>;
    if (isExtensionRequest(action))
      this.noteExtensionClient(payload as ActionPayload<'listMembers'>);
    return handler(payload, ctx);
  }

  private readonly handlers: { [A in ActionName]: Handler<A> } = {
    createRoom: (p, ctx) => this.createRoom(p, ctx),
    joinRoom: (p, ctx) => this.joinRoom(p, ctx),
    leaveRoom: (p) => this.leaveRoom(p),
    closeRoom: (p) => this.closeRoom(p),
    pollMsg: (p, ctx) => this.pollMsg(p, ctx),
    sendMsg: (p) => this.sendMsg(p),
    sendDirectMsg: (p) => this.sendDirectMsg(p),
    inviteUser: (p, ctx) => this.inviteUser(p, ctx),
    kickUser: (p) => this.removeUser(p, false),
    banUser: (p) => this.removeUser(p, true),
    serverInfo: async (p) => ({
      status: 'ok',
      server: SERVER_NAME,
      version: SERVER_VERSION,
      extensions: [...EXTENSIONS],
      instance: this.instance,
      ...(this.certificate ? { certificate: this.certificate } : {}),
      clock: this.clock.server(),
      // Only for the caller's own room: a bad or stale session is 403, as for any room action.
      ...(p.roomName && p.user && p.sesskey
        ? {
            room: this.clock.room(
              this.authenticate({ roomName: p.roomName, user: p.user, sesskey: p.sesskey }).room,
            ),
          }
        : {}),
    }),
    listMembers: (p) => this.listMembers(p),
    setPassword: (p, ctx) => this.setPassword(p, ctx),
    setRoomLifetime: (p) => this.setRoomLifetime(p),
    publishKey: async (p) => {
      const { room, user } = this.authenticate(p);
      this.memberKeys.publish(room.id, user, p.key, p.client);
      return { status: 'ok' };
    },
    admitMember: async (p) => {
      const { room, user } = this.authenticate(p);
      await this.admission.decide(room, user, p.member, p.admit);
      return { status: 'ok' };
    },
    setAdmission: async (p) => {
      const { room, user } = this.authenticate(p);
      await this.admission.toggle(room, user, p.on);
      return { status: 'ok' };
    },
    burnRoom: (p) => this.burnRoom(p),
    confirmWipe: async (p) => {
      const { room, user } = this.authenticate(p);
      this.burns.confirm(room.id, user);
      return { status: 'ok' };
    },
    announceCapture: (p) => this.announceCapture(p),
    handKey: async (p) => {
      const { room, user } = this.admitted(p);
      this.handovers.hand(room.id, user, p.to, p.box);
      return { status: 'ok' };
    },
    takeKeys: async (p) => {
      const { room, user } = this.authenticate(p);
      return { status: 'ok', keys: this.handovers.take(room.id, user) };
    },
  };

  private async createRoom(
    p: ActionPayload<'createRoom'>,
    ctx: RequestContext,
  ): Promise<ActionResponse<'createRoom'>> {
    if (isReservedName(p.owner)) throw forbidden();
    if (p.messageLifetime !== undefined && !this.clock.allows(p.messageLifetime * 1000))
      throw badRequest();
    this.assertRoomCanBeCreated(p.roomName);
    const refund = await this.createThrottle.consume(ctx.remoteAddress);
    try {
      // Checked again after the await, then held: nothing else can take the name or the slot.
      this.assertRoomCanBeCreated(p.roomName);
      const release = this.reservations.reserve(ROOMS, p.roomName);
      try {
        const passHash = await this.hash(p.pass, ctx);
        const roomid = this.store.createRoom(p.roomName, p.owner, passHash, this.now());
        if (p.messageLifetime !== undefined)
          this.clock.setLifetime(roomid, p.messageLifetime * 1000);
        if (p.admission) this.store.setAdmission(roomid, true);
        return { status: 'ok', roomid, name: p.roomName };
      } finally {
        release();
      }
    } catch (error) {
      // The address's quota counts rooms, not attempts: a busy server (503) costs it nothing.
      refund();
      throw error;
    }
  }

  private assertRoomCanBeCreated(roomName: string): void {
    if (
      this.store.roomByName(roomName) ||
      this.reservations.holds(ROOMS, roomName) ||
      this.store.roomCount() + this.reservations.count(ROOMS) >= this.limits.roomsPerServer
    )
      throw badRequest();
  }

  /** A new argon2 hash, through the bounded queue (503 when it is full). */
  private hash(password: string, ctx: RequestContext): Promise<string> {
    return this.hashing.run('hash', ctx.remoteAddress, ctx.aborted, () => hashPassword(password));
  }

  private async joinRoom(
    p: ActionPayload<'joinRoom'>,
    ctx: RequestContext,
  ): Promise<ActionResponse<'joinRoom'>> {
    if (isReservedName(p.user)) throw forbidden();
    // The window counts back from the request, not from the end of a slow password check.
    const asked = this.now();
    const room = this.store.roomByName(p.roomName);
    if (!room) throw badRequest();
    this.burns.assertNotBurning(room.id);
    /** The hash the password was checked against: the account as it was when verified. */
    let verified: AccountRecord | undefined;
    const verdict = await this.throttle.attempt(p.roomName, p.user, ctx.remoteAddress, async () => {
      const account = this.store.account(room.id, p.user);
      if (
        account &&
        (await this.hashing.run('verify', ctx.remoteAddress, ctx.aborted, () =>
          verifyPassword(account.passHash, p.userpass),
        ))
      ) {
        verified = account;
        return 'ok';
      }
      await this.throttle.recordFailure(p.roomName, p.user, ctx.remoteAddress);
      if (!account) return 'unknown user';
      return p.explain && (await this.isReplacedInvite(account, p.userpass, ctx))
        ? 'invite used'
        : 'wrong password';
    });
    if (verdict === 'unknown user') return { status: 'NOK' };
    if (verdict === 'invite used') return { status: 'used' };
    if (verdict === 'wrong password' || !verified) throw forbidden();
    // A member's own password replaces the inviter's in the join itself (extension joinnewpass).
    // An own password (the owner's, or one set before) stays: whoever typed it is its holder.
    const newHash =
      p.newpass !== undefined && !verified.ownPass ? await this.hash(p.newpass, ctx) : undefined;
    const joined = await this.encryptSystem(this.admission.joinNotice(p.user, false), 'sysinfo');
    // Both wordings where the room asks: the owner may stop asking while this one is encrypted.
    const waits = this.admission.mustWait(room, p.user)
      ? await this.encryptSystem(this.admission.joinNotice(p.user, true), 'sysinfo')
      : undefined;
    const warning = this.testingMode
      ? await this.encryptSystem(TESTING_MODE_WARNING, 'syswarn')
      : undefined;

    // From here on synchronous: nothing can slip between `last` and the join notice. One
    // transaction: a server too full for the notice refuses the join rather than hide it.
    const current = this.store.roomByName(p.roomName);
    if (!current || current.id !== room.id) throw forbidden();
    // The password checked may have been replaced (setPassword, another join's newpass) or the
    // account banned and invited again while argon2 ran: it no longer opens this account. argon2
    // salts every hash, so an unchanged hash string means an unchanged password.
    if (this.store.account(room.id, p.user)?.passHash !== verified.passHash) throw forbidden();
    this.burns.assertNotBurning(room.id);
    this.burns.forgetSession(room.id, p.user);
    this.capture.forgetSession(room.id, p.user);
    const session = newSessionKey(p.roomName);
    const { last, displaced, waiting } = this.store.transaction(() => {
      const now = this.now();
      const newest = this.store.newestMessageId(room.id);
      // Hidden from this session only: members who have not fetched them yet still get them.
      const hiddenUpTo = this.store.idBeforeWindow(
        room.id,
        asked - LIMITS.joinHistorySeconds * 1_000,
      );
      // The session this join replaces learns why on its next poll, as a kicked one does.
      const earlier = this.store.session(room.id, p.user);
      if (earlier)
        this.store.addNotice(room.name, p.user, earlier.keyHash, NOTICE_SIGNED_IN_ELSEWHERE, now);
      if (newHash !== undefined) this.store.replacePassword(room.id, p.user, newHash);
      this.store.enterRoom(room.id, p.user, digestSecret(session), hiddenUpTo);
      const waiting = waits !== undefined && this.admission.mustWait(current, p.user);
      if (waiting) this.store.setWaiting(room.id, p.user, true);
      this.store.touchRoom(room.id, now);
      this.insertOrRefuse(room.id, waiting ? waits : joined, SYSTEM_USER, ROOM_WIDE);
      // Only in testing mode, one per join, like the join notice it follows.
      if (warning)
        this.store.insertMessage(
          { roomId: room.id, msg: warning, fromUser: SYSTEM_USER, toUser: p.user },
          now,
          { exemptFromServerBudget: true },
        );
      return { last: newest, displaced: earlier !== undefined, waiting };
    });
    this.waiters.wakeForMessage(room.id, SYSTEM_USER, ROOM_WIDE);
    if (displaced) {
      this.waiters.wakeUser(room.id, p.user);
      // Each follows a join, which a full server refuses: they stay few.
      await this.postSystem(
        room.id,
        `User ${quoteName(p.user)} signed in again elsewhere; the earlier session was signed out`,
        'syswarn',
        'store anyway',
      );
    }
    return {
      status: 'ok',
      last,
      session,
      syskey: this.syskey,
      ...(p.newpass !== undefined ? { newpass: newHash !== undefined ? 'set' : 'unchanged' } : {}),
      ...(waiting ? { waiting: true as const } : {}),
    };
  }

  /**
   * Whether a refused password is the invite's that a LocalChat client replaced (setPassword):
   * said only to whoever holds that invite, so a guess learns nothing, and only when asked.
   */
  private async isReplacedInvite(
    account: { inviteHash?: string },
    password: string,
    ctx: RequestContext,
  ): Promise<boolean> {
    const inviteHash = account.inviteHash;
    if (inviteHash === undefined) return false;
    return this.hashing.run('verify', ctx.remoteAddress, ctx.aborted, () =>
      verifyPassword(inviteHash, password),
    );
  }

  private async leaveRoom(p: ActionPayload<'leaveRoom'>): Promise<ActionResponse<'leaveRoom'>> {
    const { room, user } = this.authenticate(p);
    this.store.exitRoom(room.id, user);
    this.burns.forgetSession(room.id, user);
    this.store.touchRoom(room.id, this.now());
    this.waiters.wakeUser(room.id, user);
    await this.postSystem(
      room.id,
      `User ${quoteName(user)} left the room`,
      'sysinfo',
      'store anyway',
    );
    return { status: 'ok' };
  }

  private async closeRoom(p: ActionPayload<'closeRoom'>): Promise<ActionResponse<'closeRoom'>> {
    const { room, user } = this.authenticate(p);
    if (user !== room.owner) {
      await this.postSystem(
        room.id,
        `User ${quoteName(user)} tried to close the room but is not the room owner`,
        'syswarn',
        'drop',
      );
      throw forbidden();
    }
    this.closeRoomNow(room, user);
    return { status: 'ok' };
  }

  /**
   * Removes the room with its accounts, sessions and messages. Everyone else still holding a
   * session gets a one-time notice on their next poll instead of a bare 403.
   */
  closeRoomNow(room: RoomRecord, closedBy?: string, notice = NOTICE_CLOSED): void {
    const now = this.now();
    this.store.transaction(() => {
      for (const s of this.store.sessions(room.id)) {
        if (s.user !== closedBy) this.store.addNotice(room.name, s.user, s.keyHash, notice, now);
      }
      this.store.deleteRoom(room.id);
    });
    this.burns.forgetRoom(room.id);
    this.capture.forgetRoom(room.id);
    this.handovers.forgetRoom(room.id);
    this.waiters.wakeRoom(room.id);
  }

  /**
   * Tells the room's other LocalChat members (see RoomBurns) that this member's window can (or can
   * no longer) be captured: a SYSTEM notice addressed to each of them, so the stock client, which
   * knows nothing of capture protection, never sees it. Dropped, not refused, when the server is
   * full: it is a notice about a window, not a message.
   */
  private async announceCapture(
    p: ActionPayload<'announceCapture'>,
  ): Promise<ActionResponse<'announceCapture'>> {
    const { room, user } = this.authenticate(p);
    this.capture.accept(room.id, user, !p.protected);
    const msg = await this.encryptSystem(
      p.protected
        ? `Screen capture protection is on again for ${user}`
        : `Screen capture protection is off for ${user}: their window can be captured`,
      p.protected ? 'sysinfo' : 'syswarn',
    );
    if (!this.store.roomById(room.id)) return { status: 'ok' };
    const others = this.burns
      .extensionClientsOf(room.id)
      .filter((name) => name !== user && this.store.account(room.id, name)?.inRoom);
    for (const name of others) {
      const id = this.store.insertMessage(
        { roomId: room.id, msg, fromUser: SYSTEM_USER, toUser: name },
        this.now(),
      );
      if (id !== undefined) this.waiters.wakeUser(room.id, name);
    }
    return { status: 'ok' };
  }

  /**
   * Owner only. Held until every LocalChat member confirmed its wipe or the bounded wait ends,
   * then the room closes as closeRoom closes it; the answer is the wipe report. Polls answer
   * `burning` meanwhile (held ones are released now), and nothing new enters the room.
   */
  private async burnRoom(p: ActionPayload<'burnRoom'>): Promise<ActionResponse<'burnRoom'>> {
    const { room, user } = this.authenticate(p);
    if (user !== room.owner) {
      await this.postSystem(
        room.id,
        `User ${user} tried to burn the room but is not the room owner`,
        'syswarn',
        'drop',
      );
      throw forbidden();
    }
    const others = this.store
      .sessions(room.id)
      .map((s) => s.user)
      .filter((u) => u !== user);
    const report = this.burns.start(room.id, others);
    this.waiters.wakeRoom(room.id);
    const answer = await report;
    const current = this.store.roomById(room.id);
    if (current) this.closeRoomNow(current, user, NOTICE_BURNED);
    return answer;
  }

  private async pollMsg(
    p: ActionPayload<'pollMsg'>,
    ctx: RequestContext,
  ): Promise<Answer<'pollMsg'>> {
    const first = this.pollOnce(p);
    // Only an unchanged answer waits; an encoded one always carries rows.
    const unchanged =
      !(first instanceof EncodedJson) && first.status === 'unchanged' && !('burning' in first);
    if (!unchanged || !p.wait || ctx.aborted.aborted) return first;
    const { room } = this.authenticate(p);
    await this.waiters.wait(room.id, p.user, p.wait * 1000, ctx.aborted);
    // Nobody would read the answer: polling now could spend a one-time notice on a closed socket.
    if (ctx.aborted.aborted) return first;
    return this.pollOnce(p);
  }

  private pollOnce(p: ActionPayload<'pollMsg'>): Answer<'pollMsg'> {
    let member: Member;
    try {
      member = this.authenticate(p);
    } catch (error) {
      const notice = this.takeNotice(p.roomName, p.user, p.sesskey);
      if (notice === undefined) throw error;
      return { status: 'errmessage', text: notice };
    }
    this.clock.expire(member.room.id);
    // Noted here rather than in handle(): a held poll is the hot path, already authenticated.
    if (p.wait !== undefined) this.burns.noteExtensionClient(member.room.id, member.user);
    // Burning: no more text goes out, and the poller learns to wipe.
    if (this.burns.isBurning(member.room.id))
      return { status: 'unchanged', last: p.mylast, burning: true };
    const rows = this.store.messagesFor(
      member.room.id,
      member.user,
      Math.max(p.mylast, member.hiddenUpTo),
      this.limits.pollAnswerBytes,
    );
    // Only for a client that asked: the stock client's answers stay byte for byte the same.
    const keys = p.keys ? { keys: this.memberKeys.publications(member.room.id) } : {};
    // In the lobby nothing of the room is read, not even SYSTEM notices.
    if (member.waiting)
      return {
        status: 'unchanged',
        last: p.mylast,
        ...keys,
        ...(p.keys ? { waiting: true as const } : {}),
      };
    if (rows.count === 0) return { status: 'unchanged', last: p.mylast, ...keys };
    // The rows stay the JSON SQLite wrote: parsing them only to encode them again costs more
    // than reading them.
    return EncodedJson.object<PollUpdated>({ status: 'updated', messages: rows.json, ...keys });
  }

  private takeNotice(roomName: string, user: string, sesskey: string): string | undefined {
    const notices = this.store.notices(roomName, user, this.now() - this.noticeMaxAgeMs);
    const notice = notices.find((n) => secretMatches(sesskey, n.keyHash));
    if (!notice) return undefined;
    this.store.deleteNotice(notice.id);
    return notice.text;
  }

  private async sendMsg(p: ActionPayload<'sendMsg'>): Promise<ActionResponse<'sendMsg'>> {
    const { room, user } = this.admitted(p);
    // A retry of a send already stored answers as the first did, and costs no send allowance.
    let msgid = this.storedBefore(room.id, user, p.sendkey);
    if (msgid === undefined) {
      this.sendThrottle.consume(room.id, user);
      msgid = this.storeMessage(room.id, p.msg, user, ROOM_WIDE, p.sendkey);
    }
    this.store.touchRoom(room.id, this.now());
    return { status: 'ok', msgid, last: msgid };
  }

  /**
   * A retry of a send the server already stored (its answer was lost): the stored message's id,
   * whatever the retry carries, so every member gets it once. Checked before the recipient, who
   * may have left since the first attempt reached them.
   */
  private storedBefore(roomId: number, user: string, sendKey: string | undefined) {
    return sendKey === undefined ? undefined : this.store.messageBySendKey(roomId, user, sendKey);
  }

  private async sendDirectMsg(
    p: ActionPayload<'sendDirectMsg'>,
  ): Promise<ActionResponse<'sendDirectMsg'>> {
    const { room, user } = this.admitted(p);
    const earlier = this.storedBefore(room.id, user, p.sendkey);
    if (earlier !== undefined) return { status: 'ok', msgid: earlier, last: earlier };
    const recipient = this.store.account(room.id, p.to);
    // The schema refuses reserved recipients already; checked here too, as the wire's marker.
    if (p.to === user || isReservedName(p.to) || !recipient?.inRoom) throw badRequest();
    this.sendThrottle.consume(room.id, user);
    const msgid = this.storeMessage(room.id, p.msg, user, p.to, p.sendkey);
    this.store.touchRoom(room.id, this.now());
    return { status: 'ok', msgid, last: msgid };
  }

  private async inviteUser(
    p: ActionPayload<'inviteUser'>,
    ctx: RequestContext,
  ): Promise<ActionResponse<'inviteUser'>> {
    const { room, user } = this.admitted(p);
    if (isReservedName(p.invite)) {
      // The stock wording for SYSTEM and its look-alikes; "0" is no impersonation of SYSTEM.
      const what =
        p.invite === ROOM_WIDE ? '0, a name reserved for messages to the whole room' : 'SYSTEM';
      await this.postSystem(
        room.id,
        `ALERT: User ${quoteName(user)} tried to invite ${what}`,
        'sysalert',
        'drop',
      );
      throw forbidden();
    }
    this.assertCanInvite(room, p.invite);
    const release = this.reservations.reserve(room.id, p.invite);
    try {
      const [passHash, notice] = await Promise.all([
        this.hash(p.pass, ctx),
        this.encryptSystem(
          `User ${quoteName(user)} invited ${quoteName(p.invite)} to the room`,
          'sysinfo',
        ),
      ]);
      const current = this.store.roomByName(room.name);
      if (!current || current.id !== room.id) throw forbidden();
      // Members must see who was invited: a server too full for the notice refuses the invite.
      this.store.transaction(() => {
        this.store.addAccount(room.id, p.invite, passHash);
        this.store.touchRoom(room.id, this.now());
        this.insertOrRefuse(room.id, notice, SYSTEM_USER, ROOM_WIDE);
      });
    } finally {
      release();
    }
    this.waiters.wakeForMessage(room.id, SYSTEM_USER, ROOM_WIDE);
    return { status: 'ok' };
  }

  /** 400 for a name already taken or one that looks like it (UTS #39), or a full room. */
  private assertCanInvite(room: RoomRecord, name: string): void {
    if (
      this.store.account(room.id, name) ||
      this.reservations.holds(room.id, name) ||
      this.store.accountCount(room.id) + this.reservations.count(room.id) >=
        this.limits.membersPerRoom ||
      confusableWith(name, this.store.accountNames(room.id)) !== undefined
    ) {
      throw badRequest();
    }
  }

  private async removeUser(
    p: ActionPayload<'kickUser'>,
    ban: boolean,
  ): Promise<ActionResponse<'kickUser'>> {
    const { room, user } = this.authenticate(p);
    const verb = ban ? 'ban' : 'kick';
    if (user !== room.owner) {
      await this.postSystem(
        room.id,
        `User ${quoteName(user)} tried to ${verb} ${quoteName(p.kick)} but is not the room owner`,
        'syswarn',
        'drop',
      );
      throw forbidden();
    }
    const target = this.store.account(room.id, p.kick);
    // A ban may hit someone who already left (it deletes the account); a kick needs them present.
    if (p.kick === user || !target || (!ban && !target.inRoom)) throw badRequest();
    this.store.transaction(() => {
      const session = this.store.session(room.id, p.kick);
      if (session)
        this.store.addNotice(
          room.name,
          p.kick,
          session.keyHash,
          ban ? NOTICE_BANNED : NOTICE_KICKED,
          this.now(),
        );
      this.store.exitRoom(room.id, p.kick);
      this.burns.forgetSession(room.id, p.kick);
      if (ban) this.store.deleteAccount(room.id, p.kick);
      this.store.touchRoom(room.id, this.now());
    });
    this.waiters.wakeUser(room.id, p.kick);
    await this.postSystem(
      room.id,
      `User ${quoteName(user)} kicked ${quoteName(p.kick)} from the room`,
      'syswarn',
      'store anyway',
    );
    if (ban)
      await this.postSystem(
        room.id,
        `User ${quoteName(user)} banned ${quoteName(p.kick)} from the room`,
        'syswarn',
        'store anyway',
      );
    return { status: 'ok' };
  }

  private async listMembers(
    p: ActionPayload<'listMembers'>,
  ): Promise<ActionResponse<'listMembers'>> {
    const { room } = this.admitted(p);
    const waiting = new Set(this.store.waitingMembers(room.id));
    const members = this.store.membersInRoom(room.id).map((name) => ({
      user: name,
      owner: name === room.owner,
      ...(waiting.has(name) ? { waiting: true as const } : {}),
    }));
    return {
      status: 'ok',
      members: this.memberKeys.withKeys(room.id, members),
      ...(this.store.admission(room.id) ? { admission: true as const } : {}),
    };
  }

  /**
   * Once per account, while it still has the password its inviter chose: from then on only the
   * member's own client knows it. Later calls (and the owner's, who chose their own) are 400, so
   * a stolen session key cannot lock the member out of their name.
   */
  private async setPassword(
    p: ActionPayload<'setPassword'>,
    ctx: RequestContext,
  ): Promise<ActionResponse<'setPassword'>> {
    const { room, user } = this.authenticate(p);
    if (this.store.account(room.id, user)?.ownPass !== false) throw badRequest();
    const passHash = await this.hash(p.newpass, ctx);
    // Checked again: the session may have ended, or a concurrent call replaced it, meanwhile.
    const current = this.authenticate(p);
    if (current.room.id !== room.id || this.store.account(room.id, user)?.ownPass !== false)
      throw badRequest();
    this.store.replacePassword(room.id, user, passHash);
    return { status: 'ok' };
  }

  /** Owner only, never above the server's lifetime; SYSTEM tells the room of every change. */
  private async setRoomLifetime(
    p: ActionPayload<'setRoomLifetime'>,
  ): Promise<ActionResponse<'setRoomLifetime'>> {
    const { room, user } = this.authenticate(p);
    if (user !== room.owner) {
      await this.postSystem(
        room.id,
        `User ${quoteName(user)} tried to change how long messages last but is not the room owner`,
        'syswarn',
        'drop',
      );
      throw forbidden();
    }
    const ms = p.messageLifetime * 1000;
    if (!this.clock.allows(ms)) throw badRequest();
    // Encrypted before the change, so the notice cannot fail after it: no change goes unsaid.
    const notice = await this.encryptSystem(lifetimeNotice(user, p.messageLifetime), 'sysinfo');
    const current = this.authenticate(p);
    if (current.room.id !== room.id) throw forbidden();
    if (this.clock.lifetimeMs(room.id) !== ms) {
      this.store.transaction(() => {
        this.insertOrRefuse(room.id, notice, SYSTEM_USER, ROOM_WIDE);
        this.store.touchRoom(room.id, this.now());
      });
      this.clock.setLifetime(room.id, ms);
      this.waiters.wakeForMessage(room.id, SYSTEM_USER, ROOM_WIDE);
    }
    return { status: 'ok', messageLifetime: p.messageLifetime };
  }

  /** Remembers that this session's client speaks extensions (see RoomBurns); a bad one is ignored. */
  private noteExtensionClient(p: { roomName: string; user: string; sesskey: string }): void {
    try {
      const { room, user } = this.authenticate(p);
      this.burns.noteExtensionClient(room.id, user);
    } catch {
      // The handler refuses it itself.
    }
  }

  /** The session must be the current one of this user, in this room. Otherwise 403. */
  private authenticate(p: { roomName: string; user: string; sesskey: string }): Member {
    const found = this.store.roomSession(p.roomName, p.user);
    // Compare even when there is nothing to compare with, so timing tells nothing.
    const matches = secretMatches(p.sesskey, found?.keyHash ?? EMPTY_DIGEST);
    if (!found || !matches) throw forbidden();
    return {
      room: found.room,
      user: p.user,
      hiddenUpTo: found.hiddenUpTo,
      waiting: found.waiting,
    };
  }

  /** As authenticate, and the session must not be waiting in the lobby (admission). */
  private admitted(p: { roomName: string; user: string; sesskey: string }): Member {
    const member = this.authenticate(p);
    if (member.waiting) throw forbidden();
    return member;
  }

  /** Stores a message and wakes whoever waits for it; 503 when the server is full. */
  private storeMessage(
    roomId: number,
    msg: string,
    fromUser: string,
    toUser: string,
    sendKey?: string,
  ): number {
    this.burns.assertNotBurning(roomId);
    const id = this.insertOrRefuse(roomId, msg, fromUser, toUser, sendKey);
    this.waiters.wakeForMessage(roomId, fromUser, toUser);
    return id;
  }

  /** Stores without waking anyone (callers inside a transaction wake after it commits). */
  private insertOrRefuse(
    roomId: number,
    msg: string,
    fromUser: string,
    toUser: string,
    sendKey?: string,
  ): number {
    const id = this.store.insertMessage(
      { roomId, msg, fromUser, toUser, ...(sendKey !== undefined ? { sendKey } : {}) },
      this.now(),
    );
    if (id === undefined) throw serverFull();
    return id;
  }

  private encryptSystem(text: string, verb: SystemVerb): Promise<string> {
    return encryptText(JSON.stringify({ text, verb }), this.syskey);
  }

  /** Posts a SYSTEM message room-wide, unless the room vanished while it was being encrypted. */
  private async postSystem(
    roomId: number,
    text: string,
    verb: SystemVerb,
    whenFull: WhenServerFull,
  ): Promise<void> {
    const msg = await this.encryptSystem(text, verb);
    if (!this.store.roomById(roomId)) return;
    const id = this.store.insertMessage(
      { roomId, msg, fromUser: SYSTEM_USER, toUser: ROOM_WIDE },
      this.now(),
      { exemptFromServerBudget: whenFull === 'store anyway' },
    );
    if (id !== undefined) this.waiters.wakeForMessage(roomId, SYSTEM_USER, ROOM_WIDE);
  }
}
