import {
  EXTENSIONS,
  ROOM_WIDE,
  SYSTEM_USER,
  confusableWith,
  isReservedName,
  type ActionName,
  type ActionPayload,
  type ActionResponse,
  type SystemVerb,
} from '../../../src-shared/protocol';
import { encryptText } from './system-cipher';
import { EncodedJson } from '../store/encoded-json';
import type { RoomRecord, RoomStore } from '../store/room-store';
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
import type { LongPollRegistry } from './long-poll';
import { KeyHandovers } from './key-handover';
import { MemberKeys } from './member-keys';
import { Admission } from './admission';
import { SERVER_NAME, SERVER_VERSION } from './server-identity';
import { SlotReservations } from './slot-reservations';

/** A joiner cannot read back further than this by polling from 0. */
const JOIN_HISTORY_MS = 10_000;
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
  now?: () => number;
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
  private readonly hashing: HashingQueue;
  private readonly reservations = new SlotReservations<string | number>();
  private readonly syskey: string;
  private readonly instance: string;
  private readonly certificate: string | undefined;
  private readonly testingMode: boolean;
  private readonly noticeMaxAgeMs: number;
  private readonly limits: RoomLimits;
  private readonly now: () => number;
  private readonly memberKeys: MemberKeys;
  private readonly admission: Admission;
  private readonly handovers: KeyHandovers;

  constructor(options: RoomServiceOptions) {
    this.store = options.store;
    this.waiters = options.waiters;
    this.throttle = options.throttle;
    this.createThrottle = options.createThrottle;
    this.hashing = options.hashing;
    this.syskey = options.syskey;
    this.instance = options.instance;
    this.certificate = options.certificate;
    this.testingMode = options.testingMode;
    this.noticeMaxAgeMs = options.noticeMaxAgeMs;
    this.limits = options.limits;
    this.now = options.now ?? Date.now;
    this.memberKeys = new MemberKeys(this.store, this.waiters);
    this.handovers = new KeyHandovers(this.store, this.now);
    this.admission = new Admission({
      store: this.store,
      waiters: this.waiters,
      post: (roomId, text, verb, whenFull) => this.postSystem(roomId, text, verb, whenFull),
      now: this.now,
    });
  }

  handle<A extends ActionName>(
    action: A,
    payload: ActionPayload<A>,
    ctx: RequestContext,
  ): Promise<Answer<A>> {
    const handler = this.handlers[action] as Handler<A>;
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
    serverInfo: async () => ({
      status: 'ok',
      server: SERVER_NAME,
      version: SERVER_VERSION,
      extensions: [...EXTENSIONS],
      instance: this.instance,
      ...(this.certificate ? { certificate: this.certificate } : {}),
    }),
    listMembers: (p) => this.listMembers(p),
    setPassword: (p, ctx) => this.setPassword(p, ctx),
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
    this.assertRoomCanBeCreated(p.roomName);
    await this.createThrottle.consume(ctx.remoteAddress);
    // Checked again after the await, then held: nothing else can take the name or the slot.
    this.assertRoomCanBeCreated(p.roomName);
    const release = this.reservations.reserve(ROOMS, p.roomName);
    try {
      const passHash = await this.hash(p.pass, ctx);
      const roomid = this.store.createRoom(p.roomName, p.owner, passHash, this.now());
      if (p.admission) this.store.setAdmission(roomid, true);
      return { status: 'ok', roomid, name: p.roomName };
    } finally {
      release();
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
    const room = this.store.roomByName(p.roomName);
    if (!room) throw badRequest();
    const verdict = await this.throttle.attempt(p.roomName, p.user, ctx.remoteAddress, async () => {
      const account = this.store.account(room.id, p.user);
      if (
        account &&
        (await this.hashing.run('verify', ctx.remoteAddress, ctx.aborted, () =>
          verifyPassword(account.passHash, p.userpass),
        ))
      )
        return 'ok';
      await this.throttle.recordFailure(p.roomName, p.user, ctx.remoteAddress);
      return account ? 'wrong password' : 'unknown user';
    });
    if (verdict === 'unknown user') return { status: 'NOK' };
    if (verdict === 'wrong password') throw forbidden();
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
    if (!current || current.id !== room.id || !this.store.account(room.id, p.user))
      throw forbidden();
    const session = newSessionKey(p.roomName);
    const { last, displaced, waiting } = this.store.transaction(() => {
      const now = this.now();
      const newest = this.store.newestMessageId(room.id);
      // Hidden from this session only: members who have not fetched them yet still get them.
      const hiddenUpTo = this.store.idBeforeWindow(room.id, now - JOIN_HISTORY_MS);
      // The session this join replaces learns why on its next poll, as a kicked one does.
      const earlier = this.store.session(room.id, p.user);
      if (earlier)
        this.store.addNotice(room.name, p.user, earlier.keyHash, NOTICE_SIGNED_IN_ELSEWHERE, now);
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
        `User ${p.user} signed in again elsewhere; the earlier session was signed out`,
        'syswarn',
        'store anyway',
      );
    }
    return {
      status: 'ok',
      last,
      session,
      syskey: this.syskey,
      ...(waiting ? { waiting: true as const } : {}),
    };
  }

  private async leaveRoom(p: ActionPayload<'leaveRoom'>): Promise<ActionResponse<'leaveRoom'>> {
    const { room, user } = this.authenticate(p);
    this.store.exitRoom(room.id, user);
    this.store.touchRoom(room.id, this.now());
    this.waiters.wakeUser(room.id, user);
    await this.postSystem(room.id, `User ${user} left the room`, 'sysinfo', 'store anyway');
    return { status: 'ok' };
  }

  private async closeRoom(p: ActionPayload<'closeRoom'>): Promise<ActionResponse<'closeRoom'>> {
    const { room, user } = this.authenticate(p);
    if (user !== room.owner) {
      await this.postSystem(
        room.id,
        `User ${user} tried to close the room but is not the room owner`,
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
    this.handovers.forgetRoom(room.id);
    this.waiters.wakeRoom(room.id);
  }

  private async pollMsg(
    p: ActionPayload<'pollMsg'>,
    ctx: RequestContext,
  ): Promise<Answer<'pollMsg'>> {
    const first = this.pollOnce(p);
    // Only an unchanged answer waits; an encoded one always carries rows.
    const unchanged = !(first instanceof EncodedJson) && first.status === 'unchanged';
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
    const msgid = this.storeMessage(room.id, p.msg, user, ROOM_WIDE);
    this.store.touchRoom(room.id, this.now());
    return { status: 'ok', msgid, last: msgid };
  }

  private async sendDirectMsg(
    p: ActionPayload<'sendDirectMsg'>,
  ): Promise<ActionResponse<'sendDirectMsg'>> {
    const { room, user } = this.admitted(p);
    const recipient = this.store.account(room.id, p.to);
    // The schema refuses reserved recipients already; checked here too, as the wire's marker.
    if (p.to === user || isReservedName(p.to) || !recipient?.inRoom) throw badRequest();
    const msgid = this.storeMessage(room.id, p.msg, user, p.to);
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
        `ALERT: User ${user} tried to invite ${what}`,
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
        this.encryptSystem(`User ${user} invited ${p.invite} to the room`, 'sysinfo'),
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
        `User ${user} tried to ${verb} ${p.kick} but is not the room owner`,
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
      if (ban) this.store.deleteAccount(room.id, p.kick);
      this.store.touchRoom(room.id, this.now());
    });
    this.waiters.wakeUser(room.id, p.kick);
    await this.postSystem(
      room.id,
      `User ${user} kicked ${p.kick} from the room`,
      'syswarn',
      'store anyway',
    );
    if (ban)
      await this.postSystem(
        room.id,
        `User ${user} banned ${p.kick} from the room`,
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
  private storeMessage(roomId: number, msg: string, fromUser: string, toUser: string): number {
    const id = this.insertOrRefuse(roomId, msg, fromUser, toUser);
    this.waiters.wakeForMessage(roomId, fromUser, toUser);
    return id;
  }

  /** Stores without waking anyone (callers inside a transaction wake after it commits). */
  private insertOrRefuse(roomId: number, msg: string, fromUser: string, toUser: string): number {
    const id = this.store.insertMessage({ roomId, msg, fromUser, toUser }, this.now());
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
