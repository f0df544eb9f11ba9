import { ApiError, createApi, type Api } from '../../client/api';
import { createErrorMessage, joinErrorMessage, sessionEndWording } from '../../client/errors';
import { Poller, type PollEnd, POLL_TIMING } from '../../client/poller';
import { normaliseServerUrl, type ServerTarget } from '../../client/transport';
import type { Data, SliceContext } from './context';
import { refreshMembers } from './members';
import { addLocal, processRows, reportRoomError } from './timeline';

export interface JoinDetails {
  server: ServerTarget;
  room: string;
  roomPass: string;
  user: string;
  userPass: string;
}

/** Everything secret about the current membership. Dropped entirely on leave/kick/close. */
export interface Session extends JoinDetails {
  sesskey: string;
  syskey: string;
  owner: boolean;
  extensions: string[];
}

export type Phase = 'start' | 'busy' | 'room' | 'ended';

export interface SessionSlice {
  phase: Phase;
  /** Why the previous session ended (kicked, closed, ...), shown on the ended screen. */
  ended?: { title: string; text: string };
  session?: Session;
  connection: 'connected' | 'reconnecting';
  retryInMs?: number;

  createRoom(input: { server?: string; room: string; user: string }): Promise<void>;
  join(details: JoinDetails): Promise<void>;
  kick(user: string): Promise<void>;
  ban(user: string): Promise<void>;
  closeRoom(): Promise<void>;
  leave(): Promise<void>;
}

export const initialSession = () => ({
  phase: 'start' as Phase,
  connection: 'connected' as const,
  // Listed so a reset overwrites them: nothing of a past session may survive in the store.
  ended: undefined,
  session: undefined,
  retryInMs: undefined,
});

/** Drops keys, messages, history and the session machinery; keeps what the next screen shows. */
export function wipe(ctx: SliceContext, next: Partial<Data>) {
  const { live, get } = ctx;
  live.generation++;
  live.poller?.stop();
  live.poller = undefined;
  live.api = undefined;
  live.decryptQueue = Promise.resolve();
  ctx.deps.cipher.reset();
  // An invite that arrived but was not used yet survives; it is cleared once a join succeeds.
  ctx.set({ ...ctx.initial(), focused: get().focused, inviteDraft: get().inviteDraft, ...next });
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

function ended(ctx: SliceContext, end: PollEnd) {
  const room = ctx.get().session?.room ?? 'the room';
  if (end.kind === 'certificate-mismatch') {
    wipe(ctx, { phase: 'ended', ended: { title: 'Connection not trusted', text: end.message } });
  } else {
    wipe(ctx, { phase: 'ended', ended: sessionEndWording(end, room) });
  }
}

export async function startSession(
  ctx: SliceContext,
  details: JoinDetails,
  owner: boolean,
): Promise<void> {
  const { set, deps, live } = ctx;
  wipe(ctx, { phase: 'busy' });
  // Still inside the click that started the join: browsers only ask for permission then.
  deps.notifier?.prepare();
  const mine = live.generation;
  const serverLabel = details.server.url;
  try {
    let connection = createApi(deps.host.connect(details.server));
    let extensions: string[] = [];
    try {
      extensions = (await connection.call('serverInfo', {})).extensions;
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
    const answer = await connection.call('joinRoom', {
      roomName: details.room,
      user: details.user,
      userpass: details.userPass,
    });
    if (mine !== live.generation) return;
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
        active.call(
          'pollMsg',
          {
            roomName: session.room,
            user: session.user,
            sesskey: session.sesskey,
            mylast,
            ...(wait !== undefined ? { wait } : {}),
          },
          wait !== undefined ? { timeoutMs: POLL_TIMING.longPollTimeoutMs } : undefined,
        ),
      onMessages: (rows) => {
        // Queued, not awaited: polling continues while a backlog decrypts.
        live.decryptQueue = live.decryptQueue.then(() => processRows(ctx, rows, mine));
      },
      onEnd: (end) => {
        if (mine === live.generation) ended(ctx, end);
      },
      onConnection: (state, retryInMs) => {
        if (mine !== live.generation) return;
        set(
          state === 'connected'
            ? { connection: state, retryInMs: undefined }
            : { connection: state, retryInMs },
        );
      },
    });
    live.poller.start(answer.last);
    void refreshMembers(ctx, mine);
  } catch (error) {
    if (mine !== live.generation) return;
    wipe(ctx, {
      phase: 'start',
      error: joinErrorMessage(error, {
        room: details.room,
        user: details.user,
        server: serverLabel,
      }),
    });
  }
}

/** Leaves on the server without touching the store; the caller decides what comes next. */
export async function leaveQuietly(ctx: SliceContext) {
  const session = ctx.get().session;
  const connection = ctx.live.api;
  ctx.live.poller?.stop();
  if (session && connection) {
    // Short timeout: leaving must not hang on a server that has gone away.
    await connection
      .call(
        'leaveRoom',
        { roomName: session.room, user: session.user, sesskey: session.sesskey },
        { timeoutMs: 5_000 },
      )
      .catch(() => undefined);
  }
}

export async function createRoom(
  ctx: SliceContext,
  input: { server?: string; room: string; user: string },
) {
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
  if (!inRoom) set({ phase: 'busy', error: undefined });
  try {
    const connection = createApi(deps.host.connect(server));
    await connection.call('createRoom', {
      roomName: input.room,
      owner: input.user,
      pass: userPass,
    });
    if (connection.fingerprint && !server.fingerprint) server.fingerprint = connection.fingerprint;
  } catch (error) {
    const message = createErrorMessage(error, { room: input.room, server: serverUrl });
    if (inRoom) addLocal(ctx, message, 'error');
    else set({ phase: 'start', error: message });
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
      roomName: session.room,
      user: session.user,
      sesskey: session.sesskey,
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

export function sessionSlice(ctx: SliceContext): SessionSlice {
  return {
    ...initialSession(),

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
          roomName: session.room,
          user: session.user,
          sesskey: session.sesskey,
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
          text: 'Keys and messages were cleared from this window.',
        },
      });
    },
  };
}
