import { LIMITS, NOTICE_BURNED } from '../../../src-shared/protocol';
import { ApiError, createApi, type Api } from '../../client/api';
import {
  createErrorMessage,
  joinErrorMessage,
  sessionEndWording,
  type SessionEnd,
} from '../../client/errors';
import type { NotificationPermissionState } from '../../client/notifier';
import { Outbox } from '../../client/outbox';
import { STALE_PAGE_MESSAGE } from '../../client/stalePage';
import { Poller, type PollEnd, POLL_TIMING } from '../../client/poller';
import { normaliseServerUrl, type ServerTarget } from '../../client/transport';
import type { Data, SliceContext } from './context';
import { refreshMembers } from './members';
import { awaitRoomKey } from './handover';
import { pollExtrasSeen, publishMemberKey } from './roster';
import { resetPassphraseEvidence } from './passphrase';
import { credentialsOf } from './credentials';
import { processRows } from './decryption';
import { addLocal, reportRoomError } from './timeline';
import { clearRoomTraces, roomBurned } from './wipe';
import { announceCaptureAtJoin } from './capture';

export interface JoinDetails {
  server: ServerTarget;
  room: string;
  /** '' until the inviter hands it over, when the invite named `keyFrom` instead. */
  roomPass: string;
  /** The inviter and its member key: the only sender whose room key handover this join takes. */
  keyFrom?: { user: string; key: string };
  user: string;
  userPass: string;
}

/** Everything secret about the current membership. Dropped entirely on leave/kick/close. */
export interface Session extends JoinDetails {
  sesskey: string;
  syskey: string;
  owner: boolean;
  extensions: string[];
  /** The server run's id from serverInfo at join: another one later means it restarted. */
  instance?: string;
  /** The certificate fingerprint serverInfo names (what a browser page learns of its server). */
  certificate?: string;
  /** Joined, but the owner has not let this member in yet (admission). */
  waiting?: boolean;
  /** The room key has not been handed over yet (keyhandover): nothing decrypts or sends. */
  awaitingKey?: boolean;
  /** A key-less invite's one-time password: its admission words stand on it (memory only). */
  invitePass?: string;
}

export type Phase = 'start' | 'busy' | 'room' | 'ended';

export interface CreateRoomInput {
  server?: string;
  room: string;
  user: string;
  /** Ask before anyone joins (admission): on unless the owner turned it off. */
  admission?: boolean;
  /** Seconds (extension `roomclock`); the server's own when absent. */
  messageLifetime?: number;
}

export interface SessionSlice {
  phase: Phase;
  /** Why the previous session ended (kicked, closed, ...), shown on the ended screen. */
  ended?: { title: string; text: string };
  session?: Session;
  connection: 'connected' | 'reconnecting';
  retryInMs?: number;
  /**
   * When the server said trying again makes sense (epoch ms, from Retry-After of a 429 lockout
   * or a 503): the start screen counts down to it.
   */
  retryAt?: number;
  /** Desktop notifications for messages while the window is in the background. */
  notifications: NotificationPermissionState;
  /** The user turned notifications on (asked with a click, never at join). */
  notificationsOn: boolean;

  createRoom(input: CreateRoomInput): Promise<void>;
  join(details: JoinDetails): Promise<void>;
  kick(user: string): Promise<void>;
  ban(user: string): Promise<void>;
  closeRoom(): Promise<void>;
  leave(): Promise<void>;
  /** The page is going away (reload, tab closed): leave with a request that outlives it. */
  leaveOnUnload(): void;
  /** Turns notifications on (asking the browser first, so call it from a click) or off. */
  toggleNotifications(): Promise<void>;
}

export const initialSession = () => ({
  phase: 'start' as Phase,
  connection: 'connected' as const,
  // Listed so a reset overwrites them: nothing of a past session may survive in the store.
  ended: undefined,
  session: undefined,
  retryInMs: undefined,
  retryAt: undefined,
  notifications: 'default' as NotificationPermissionState,
  notificationsOn: false,
});

/** Drops keys, messages, history and the session machinery; keeps what the next screen shows. */
export function wipe(ctx: SliceContext, next: Partial<Data>) {
  const { live, get } = ctx;
  // Leaving a room (any way): its text leaves the clipboard and the notifications go.
  if (get().session) void clearRoomTraces(ctx);
  live.generation++;
  live.poller?.stop();
  live.poller = undefined;
  live.api = undefined;
  live.decryption.reset();
  live.memberKey = undefined;
  live.keyPublications = undefined;
  live.handedKeys = undefined;
  live.roomKey = Promise.resolve();
  live.sendQueue = Promise.resolve();
  // Sends still waiting see the new generation and give up: their session is gone.
  live.outbox.wake();
  live.outbox = new Outbox(ctx.clock);
  ctx.deps.cipher.reset();
  resetPassphraseEvidence(ctx);
  // An invite that arrived but was not used yet survives; it is cleared once a join succeeds.
  // The notification choice is the user's, not the session's.
  ctx.set({
    ...ctx.initial(),
    focused: get().focused,
    inviteDraft: get().inviteDraft,
    notifications: get().notifications,
    notificationsOn: get().notificationsOn,
    notificationText: get().notificationText,
    ...next,
  });
}

export function requireSession(ctx: SliceContext): { session: Session; api: Api } | undefined {
  const session = ctx.get().session;
  const api = ctx.live.api;
  if (!session || !api) {
    addLocal(ctx, 'You are not in a room.', 'error');
    return undefined;
  }
  return { session, api };
}

/**
 * A 403 without a notice is either the room gone (closed, purged) or the whole server restarted:
 * serverInfo's instance id tells them apart. Unknown when the server does not answer.
 */
async function explainEnd<E extends PollEnd>(ctx: SliceContext, end: E): Promise<SessionEnd | E> {
  const instance = ctx.get().session?.instance;
  const api = ctx.live.api;
  if (end.kind !== 'session-ended' || !instance || !api) return end;
  try {
    const info = await api.call('serverInfo', {}, { timeoutMs: 5_000 });
    if (info.instance === undefined) return end;
    return info.instance === instance
      ? { kind: 'session-ended', sameServer: true }
      : { kind: 'server-restarted' };
  } catch {
    return end;
  }
}

async function ended(ctx: SliceContext, end: PollEnd) {
  if (end.kind === 'burning' || (end.kind === 'errmessage' && end.text === NOTICE_BURNED))
    return roomBurned(ctx, end.kind === 'burning');
  const mine = ctx.live.generation;
  const room = ctx.get().session?.room ?? 'the room';
  const explained = await explainEnd(ctx, end);
  if (mine !== ctx.live.generation) return;
  if (explained.kind === 'certificate-mismatch') {
    // Mid-session the certificate changes when the host restarted without keeping it (the room
    // is then gone anyway), or when someone intercepts: nothing more is sent either way.
    wipe(ctx, {
      phase: 'ended',
      ended: {
        title: 'Connection not trusted',
        text: `${explained.message} Either the host restarted its server without keeping its certificate, which also deleted the room, or someone is intercepting the connection. Nothing more was sent.`,
      },
    });
  } else {
    wipe(ctx, { phase: 'ended', ended: sessionEndWording(explained, room) });
  }
}

export const INVITE_USED_MESSAGE =
  'This invite was already used: the LocalChat window or device that first joined with it replaced its password with one of its own, so it no longer opens the room anywhere else. Come back from that window, or ask the room for a new invite.';

export const JOIN_WINDOW_NOTICE = `Messages sent more than ${LIMITS.joinHistorySeconds} seconds before you joined are not shown.`;

/** Where a tab's own password for a member account is kept (see Live.ownPasswords). */
function accountKey(server: string, room: string, user: string): string {
  return JSON.stringify([normaliseServerUrl(server), room, user]);
}

/**
 * Replaces the password the inviter chose with one only this tab knows, so the inviter cannot
 * sign in under this name later. Best effort: a server without the extension, or an account whose
 * password was already replaced, keeps the one the join used.
 */
async function takeOwnPassword(ctx: SliceContext, mine: number) {
  const { live, get, set } = ctx;
  const session = get().session;
  const api = live.api;
  if (!session || !api || session.owner || !session.extensions.includes('setpassword')) return;
  const key = accountKey(session.server.url, session.room, session.user);
  if (live.ownPasswords.get(key)?.ownPass === session.userPass) return;
  const ownPass = ctx.deps.generatePassword();
  try {
    await api.call('setPassword', {
      ...credentialsOf(session),
      newpass: ownPass,
    });
  } catch {
    return;
  }
  live.ownPasswords.set(key, { invitePass: session.userPass, ownPass });
  if (mine !== live.generation) return;
  set({ session: { ...get().session!, userPass: ownPass } });
}

/**
 * A password of this tab's own for the join to set in place of the invite's (extension
 * joinnewpass): the account is never open to the invite's password after this member's join.
 * None for the owner, for a join that already uses this tab's own, or for an older server
 * (takeOwnPassword then replaces it just after the join).
 */
function ownPassInJoin(
  ctx: SliceContext,
  owner: boolean,
  alreadyOwn: boolean,
  extensions: readonly string[],
): string | undefined {
  if (owner || alreadyOwn || !extensions.includes('joinnewpass')) return undefined;
  return ctx.deps.generatePassword();
}

export async function startSession(
  ctx: SliceContext,
  details: JoinDetails,
  owner: boolean,
): Promise<void> {
  const { set, deps, live } = ctx;
  wipe(ctx, { phase: 'busy' });
  const mine = live.generation;
  const serverLabel = details.server.url;
  // The invite's password: the one-time one of a key-less invite also feeds the admission words.
  const invitePass = details.userPass;
  // This tab replaced the invite's password before: the invite's no longer works, its own does.
  const own = live.ownPasswords.get(accountKey(details.server.url, details.room, details.user));
  if (own && own.invitePass === details.userPass) details = { ...details, userPass: own.ownPass };
  if (await deps.host.pageGone?.()) {
    if (mine === live.generation) wipe(ctx, { phase: 'start', error: STALE_PAGE_MESSAGE });
    return;
  }
  try {
    let connection = createApi(deps.host.connect(details.server));
    let extensions: string[] = [];
    let instance: string | undefined;
    let certificate: string | undefined;
    try {
      const info = await connection.call('serverInfo', {});
      extensions = info.extensions;
      instance = info.instance;
      certificate = info.certificate;
    } catch (error) {
      // An old server answers 400 to an unknown action: it simply has no extensions.
      if (
        !(error instanceof ApiError) ||
        (error.kind !== 'bad-request' && error.kind !== 'forbidden')
      )
        throw error;
    }
    // Trust on first use: once the certificate is seen, every later call must present it.
    const seen = connection.fingerprint;
    if (!details.server.fingerprint && seen) {
      details = { ...details, server: { ...details.server, fingerprint: seen } };
      connection = createApi(deps.host.connect(details.server));
    }
    const newpass = ownPassInJoin(ctx, owner, details.userPass !== invitePass, extensions);
    const answer = await connection.call('joinRoom', {
      roomName: details.room,
      user: details.user,
      userpass: details.userPass,
      ...(newpass !== undefined ? { newpass } : {}),
      ...(extensions.includes('inviteused') ? { explain: true as const } : {}),
    });
    if (newpass !== undefined && answer.status === 'ok' && answer.newpass === 'set') {
      live.ownPasswords.set(accountKey(details.server.url, details.room, details.user), {
        invitePass,
        ownPass: newpass,
      });
      details = { ...details, userPass: newpass };
    }
    if (mine !== live.generation) return;
    if (answer.status === 'used') {
      set({ phase: 'start', error: INVITE_USED_MESSAGE });
      return;
    }
    if (answer.status === 'NOK') {
      set({
        phase: 'start',
        error: `There is no user “${details.user}” in room “${details.room}”. Ask the room for a new invite.`,
      });
      return;
    }
    live.api = connection;
    const session: Session = {
      ...details,
      server: { ...details.server, url: normaliseServerUrl(details.server.url) },
      sesskey: answer.session,
      syskey: answer.syskey,
      owner,
      extensions,
      ...(instance !== undefined ? { instance } : {}),
      ...(certificate !== undefined ? { certificate } : {}),
      ...(answer.waiting ? { waiting: true } : {}),
      ...(details.keyFrom ? { awaitingKey: true, invitePass } : {}),
    };
    set({
      phase: 'room',
      session,
      members: [{ user: details.user, owner }],
      error: undefined,
      inviteDraft: '',
    });
    const active = connection;
    live.poller = new Poller({
      clock: ctx.clock,
      longPoll: extensions.includes('longpoll'),
      poll: (mylast, wait) =>
        active
          .call(
            'pollMsg',
            {
              ...credentialsOf(session),
              mylast,
              ...(wait !== undefined ? { wait } : {}),
              ...(extensions.includes('memberkeys') ? { keys: true as const } : {}),
            },
            wait !== undefined ? { timeoutMs: POLL_TIMING.longPollTimeoutMs } : undefined,
          )
          .then((answer) => {
            if (mine === live.generation)
              pollExtrasSeen(ctx, answer, () => void refreshMembers(ctx, mine));
            return answer;
          }),
      onMessages: (rows) => {
        // Scheduled, not awaited: polling continues while a backlog decrypts.
        if (ctx.get().session?.awaitingKey)
          void live.roomKey.then(() => processRows(ctx, rows, mine));
        else processRows(ctx, rows, mine);
      },
      onEnd: (end) => {
        if (mine === live.generation) void ended(ctx, end);
      },
      onConnection: (state, retryInMs) => {
        if (mine !== live.generation) return;
        if (state === 'connected') live.outbox.wake();
        set(
          state === 'connected'
            ? { connection: state, retryInMs: undefined }
            : { connection: state, retryInMs },
        );
      },
    });
    // Rows wait, undecrypted, until the inviter hands the room key over.
    if (session.awaitingKey) live.roomKey = awaitRoomKey(ctx, mine);
    // A server with a join window hides from us what is older than it: polling from 0 brings
    // what was said while we were on our way in (a certificate warning, a slow join).
    const fromWindow = extensions.includes('joinwindow');
    if (fromWindow && !owner) addLocal(ctx, JOIN_WINDOW_NOTICE);
    live.poller.start(fromWindow ? 0 : answer.last);
    void publishMemberKey(ctx, mine).then(() => refreshMembers(ctx, mine));
    if (!owner) void takeOwnPassword(ctx, mine);
    void announceCaptureAtJoin(ctx, mine);
  } catch (error) {
    if (mine !== live.generation) return;
    wipe(ctx, {
      phase: 'start',
      error: joinErrorMessage(error, {
        room: details.room,
        user: details.user,
        server: serverLabel,
      }),
      ...retryAtOf(ctx, error),
    });
  }
}

/** The moment a 429/503 said trying again makes sense, for the start screen's countdown. */
function retryAtOf(ctx: SliceContext, error: unknown): { retryAt?: number } {
  return error instanceof ApiError && error.retryAfterSeconds !== undefined
    ? { retryAt: ctx.clock.now() + error.retryAfterSeconds * 1_000 }
    : {};
}

/** Leaves on the server without touching the store; the caller decides what comes next. */
export async function leaveQuietly(ctx: SliceContext) {
  const session = ctx.get().session;
  const connection = ctx.live.api;
  ctx.live.poller?.stop();
  if (session && connection) {
    // Short timeout: leaving must not hang on a server that has gone away.
    await connection
      .call('leaveRoom', credentialsOf(session), { timeoutMs: 5_000 })
      .catch(() => undefined);
  }
}

export async function createRoom(ctx: SliceContext, input: CreateRoomInput) {
  const { get, set, deps } = ctx;
  const serverUrl = input.server ?? deps.host.ownServer ?? get().session?.server.url;
  if (!serverUrl) {
    set({ error: 'Enter the server address (https://host:port).' });
    return;
  }
  const server: ServerTarget = { url: serverUrl };
  const current = get().session;
  if (
    current &&
    normaliseServerUrl(current.server.url) === normaliseServerUrl(serverUrl) &&
    current.server.fingerprint
  ) {
    server.fingerprint = current.server.fingerprint;
  }
  const roomPass = deps.generatePassword();
  const userPass = deps.generatePassword();
  const inRoom = get().phase === 'room';
  if (!inRoom) set({ phase: 'busy', error: undefined, retryAt: undefined });
  if (await deps.host.pageGone?.()) {
    if (inRoom) addLocal(ctx, STALE_PAGE_MESSAGE, 'error');
    else set({ phase: 'start', error: STALE_PAGE_MESSAGE });
    return;
  }
  try {
    const connection = createApi(deps.host.connect(server));
    await connection.call('createRoom', {
      roomName: input.room,
      owner: input.user,
      pass: userPass,
      ...(input.messageLifetime !== undefined ? { messageLifetime: input.messageLifetime } : {}),
      // An extension field: a server without admission ignores it.
      ...(input.admission !== false ? { admission: true } : {}),
    });
    if (connection.fingerprint && !server.fingerprint) server.fingerprint = connection.fingerprint;
  } catch (error) {
    const message = createErrorMessage(error, { room: input.room, server: serverUrl });
    if (inRoom) addLocal(ctx, message, 'error');
    else set({ phase: 'start', error: message, retryAt: retryAtOf(ctx, error).retryAt });
    return;
  }
  if (inRoom) await leaveQuietly(ctx);
  await startSession(ctx, { server, room: input.room, roomPass, user: input.user, userPass }, true);
}

async function ownerAction(ctx: SliceContext, action: 'kickUser' | 'banUser', user: string) {
  const active = requireSession(ctx);
  if (!active) return;
  const { session } = active;
  const verb = action === 'kickUser' ? 'kick' : 'ban';
  try {
    await active.api.call(action, {
      ...credentialsOf(session),
      kick: user,
    });
  } catch (error) {
    if (error instanceof ApiError && error.kind === 'forbidden') {
      addLocal(ctx, `Only the room's owner can ${verb} people.`, 'error');
    } else if (error instanceof ApiError && error.kind === 'bad-request') {
      addLocal(ctx, `Could not ${verb} “${user}”: no such user in this room.`, 'error');
    } else {
      reportRoomError(ctx, error, `Could not ${verb} ${user}`);
    }
  }
}

/**
 * Leaves as the page unloads, so the others' member list does not keep a ghost. The request
 * must outlive the page (keepalive) and pass the server's cross-site checks like any other call.
 */
function leaveOnUnload(ctx: SliceContext) {
  const session = ctx.get().session;
  const api = ctx.live.api;
  if (ctx.get().phase !== 'room' || !session || !api) return;
  void api
    .call('leaveRoom', credentialsOf(session), { keepalive: true, timeoutMs: 5_000 })
    .catch(() => undefined);
  const ownPass = ctx.live.ownPasswords.has(
    accountKey(session.server.url, session.room, session.user),
  );
  // A page restored from the back/forward cache shows this, not a room it has left.
  wipe(ctx, {
    phase: 'ended',
    ended: {
      title: `You left ${session.room}`,
      text: ownPass
        ? 'The page was reloaded or closed, which leaves the room. This window had replaced your invite’s password with one of its own, now forgotten: ask for a new invite to come back.'
        : 'The page was reloaded or closed, which leaves the room. Join again with your invite.',
    },
  });
}

async function toggleNotifications(ctx: SliceContext) {
  const notifier = ctx.deps.notifier;
  if (!notifier) return;
  if (ctx.get().notificationsOn) {
    ctx.set({ notificationsOn: false });
    return;
  }
  const permission = await notifier.request();
  ctx.set({ notifications: permission, notificationsOn: permission === 'granted' });
}

export function sessionSlice(ctx: SliceContext): SessionSlice {
  const permission = ctx.deps.notifier?.permission() ?? 'unsupported';
  return {
    ...initialSession(),
    // Granted in an earlier visit: on, as before; never asked for here.
    notifications: permission,
    notificationsOn: permission === 'granted',

    leaveOnUnload: () => leaveOnUnload(ctx),
    toggleNotifications: () => toggleNotifications(ctx),

    createRoom: (input) => createRoom(ctx, input),

    join: (details) => startSession(ctx, details, false),

    kick: (user) => ownerAction(ctx, 'kickUser', user),
    ban: (user) => ownerAction(ctx, 'banUser', user),

    async closeRoom() {
      const active = requireSession(ctx);
      if (!active) return;
      const { session } = active;
      try {
        await active.api.call('closeRoom', {
          ...credentialsOf(session),
        });
      } catch (error) {
        if (error instanceof ApiError && error.kind === 'forbidden')
          addLocal(ctx, "Only the room's owner can close it.", 'error');
        else reportRoomError(ctx, error, 'Could not close the room');
        return;
      }
      wipe(ctx, {
        phase: 'ended',
        ended: {
          title: `Room ${session.room} closed`,
          text: 'The room and all its messages are gone from the server.',
        },
      });
    },

    async leave() {
      const room = ctx.get().session?.room;
      await leaveQuietly(ctx);
      wipe(ctx, {
        phase: 'ended',
        ended: {
          title: `You left ${room ?? 'the room'}`,
          text: 'The room goes on without you.',
        },
      });
    },
  };
}
