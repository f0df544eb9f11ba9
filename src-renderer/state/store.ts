import { createStore, type StoreApi } from 'zustand/vanilla';
import { SYSTEM_USER, type MessageRow } from '../../src-shared/protocol';
import {
  encodeInvite,
  InviteError,
  inviteLink,
  stockJoinLine,
  type Invite,
} from '../../src-shared/invite';
import { ApiError, createApi, type Api } from '../client/api';
import type { Cipher, DecryptJob } from '../client/cipher';
import { HELP_TEXT, parseCommand, type Command } from '../client/commands';
import { connectionErrorMessage, createErrorMessage, joinErrorMessage } from '../client/errors';
import { chatPayload, decodeLine, mergeLines, type ChatLine } from '../client/lines';
import { applyMembershipChange, membershipChange, type Member } from '../client/members';
import type { Notifier } from '../client/notifier';
import { Poller, realClock, type Clock, type PollEnd, POLL_TIMING } from '../client/poller';
import { normaliseServerUrl, type Host, type ServerTarget } from '../client/transport';

/** Rows decrypted per worker round trip; lines appear batch by batch during a backlog. */
export const DECRYPT_BATCH = 25;
/** Measure name recorded around each delivery of polled messages (read by the e2e test). */
export const BACKLOG_MEASURE = 'localchat:decrypt-messages';

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

export interface InviteView {
  invite: Invite;
  code: string;
  link: string;
  /** The stock client's `/join` line, or why it cannot express this invite (e.g. a space in a name). */
  joinLine: { line: string } | { unavailable: string };
}

/** A line this client adds itself: help, errors, the copy of a sent direct message. */
export type LocalLine = {
  kind: 'local';
  id: number;
  time: number;
  level: 'info' | 'error';
  text: string;
};
export type RoomLine = ChatLine | LocalLine;

export type Phase = 'start' | 'busy' | 'room' | 'ended';

export interface ChatState {
  phase: Phase;
  /** Why the previous session ended (kicked, closed, ...), shown on the ended screen. */
  ended?: { title: string; text: string };
  /** Start-screen error, e.g. wrong password. */
  error?: string;
  /** The server a browser page is bound to; undefined in Electron. */
  ownServer?: string;
  hostKind: Host['kind'];
  session?: Session;
  lines: RoomLine[];
  members: Member[];
  connection: 'connected' | 'reconnecting';
  retryInMs?: number;
  /** Messages being decrypted right now. */
  decrypting: number;
  unread: number;
  focused: boolean;
  invite?: InviteView;
  /** Lines typed in the box, oldest first, for Up/Down recall. */
  history: string[];
  /** The message box's text, so buttons (e.g. "Message" on a participant) can prefill it. */
  draft: string;
  /** The start screen's invite field; a localchat:// link opened in the app lands here. */
  inviteDraft: string;

  createRoom(input: { server?: string; room: string; user: string }): Promise<void>;
  join(details: JoinDetails): Promise<void>;
  /** What the message box submits: plain text or a command. */
  submit(input: string): Promise<void>;
  run(command: Command): Promise<void>;
  inviteUser(user: string): Promise<void>;
  kick(user: string): Promise<void>;
  ban(user: string): Promise<void>;
  closeRoom(): Promise<void>;
  leave(): Promise<void>;
  setFocused(focused: boolean): void;
  setDraft(draft: string): void;
  setInviteDraft(text: string): void;
  /** A localchat://join link opened while the app runs. */
  receiveJoinLink(link: string): void;
  dismissInvite(): void;
  clearError(): void;
  backToStart(): void;
}

export interface StoreDeps {
  host: Host;
  cipher: Cipher;
  generatePassword(): string;
  notifier?: Notifier;
  clock?: Clock;
  performance?: Pick<Performance, 'mark' | 'measure' | 'clearMarks'>;
}

type Data = Omit<
  ChatState,
  {
    [K in keyof ChatState]-?: ChatState[K] extends (...args: never[]) => unknown ? K : never;
  }[keyof ChatState]
>;

export type ChatStore = StoreApi<ChatState>;

export function createChatStore(deps: StoreDeps): ChatStore {
  const clock = deps.clock ?? realClock;
  const initial = (): Data => ({
    phase: 'start',
    hostKind: deps.host.kind,
    ...(deps.host.ownServer ? { ownServer: deps.host.ownServer } : {}),
    lines: [],
    members: [],
    connection: 'connected',
    decrypting: 0,
    unread: 0,
    focused: true,
    history: [],
    draft: '',
    inviteDraft: '',
    // Listed so a reset overwrites them: nothing of a past session may survive in the store.
    ended: undefined,
    error: undefined,
    session: undefined,
    retryInMs: undefined,
    invite: undefined,
  });

  // Non-serialisable session machinery lives outside the state.
  let api: Api | undefined;
  let poller: Poller | undefined;
  let generation = 0;
  let decryptQueue: Promise<void> = Promise.resolve();
  let localSeq = 0;

  return createStore<ChatState>()((set, get) => {
    /** Drops keys, messages, history and the session machinery; keeps what the next screen shows. */
    function wipe(next: Partial<Data>) {
      generation++;
      poller?.stop();
      poller = undefined;
      api = undefined;
      decryptQueue = Promise.resolve();
      deps.cipher.reset();
      // An invite that arrived but was not used yet survives; it is cleared once a join succeeds.
      set({ ...initial(), focused: get().focused, inviteDraft: get().inviteDraft, ...next });
    }

    function addLocal(text: string, level: LocalLine['level'] = 'info') {
      const lines = get().lines;
      const lastId = lines.length > 0 ? Math.floor(lines[lines.length - 1]!.id) : 0;
      const line: LocalLine = {
        kind: 'local',
        id: lastId + ++localSeq / 1e6,
        time: clock.now(),
        level,
        text,
      };
      set({ lines: [...lines, line] });
    }

    function ended(end: PollEnd) {
      const room = get().session?.room ?? 'the room';
      if (end.kind === 'errmessage') {
        wipe({ phase: 'ended', ended: { title: `You are no longer in ${room}`, text: end.text } });
      } else if (end.kind === 'certificate-mismatch') {
        wipe({ phase: 'ended', ended: { title: 'Connection not trusted', text: end.message } });
      } else {
        wipe({
          phase: 'ended',
          ended: {
            title: `You are no longer in ${room}`,
            text: 'Your session ended: the room was closed, or you were removed from it.',
          },
        });
      }
    }

    async function refreshMembers(mine: number) {
      const session = get().session;
      if (!api || !session || !session.extensions.includes('members')) return;
      try {
        const answer = await api.call('listMembers', {
          roomName: session.room,
          user: session.user,
          sesskey: session.sesskey,
        });
        if (mine !== generation) return;
        const me = answer.members.find((m) => m.user === session.user);
        set({
          members: [...answer.members].sort((a, b) => a.user.localeCompare(b.user)),
          session: { ...session, owner: session.owner || Boolean(me?.owner) },
        });
      } catch {
        // The list is a convenience; SYSTEM notices keep it roughly right until the next refresh.
      }
    }

    async function processRows(rows: MessageRow[], mine: number) {
      const session = get().session;
      if (!session) return;
      const perf = deps.performance;
      const start = `${BACKLOG_MEASURE}:start:${rows[0]?.[0] ?? 0}`;
      perf?.mark(start);
      set({ decrypting: get().decrypting + rows.length });
      let membershipChanged = false;
      for (let i = 0; i < rows.length; i += DECRYPT_BATCH) {
        const batch = rows.slice(i, i + DECRYPT_BATCH);
        const jobs: DecryptJob[] = batch.map(([id, msg, , from]) => ({
          id,
          data: msg,
          passphrase: from === SYSTEM_USER ? session.syskey : session.roomPass,
        }));
        const results = await deps.cipher.decrypt(jobs).catch(() => []);
        if (mine !== generation) return;
        const byId = new Map(results.map((r) => [r.id, r]));
        const decoded = batch.map((row) => decodeLine(row, byId.get(row[0])));
        let members = get().members;
        for (const line of decoded) {
          if (line.kind !== 'system') continue;
          const change = membershipChange(line.text);
          if (change) {
            members = applyMembershipChange(members, change);
            membershipChanged = true;
          }
        }
        const fromOthers = decoded.filter(
          (line) =>
            (line.kind === 'say' || line.kind === 'do' || line.kind === 'undecryptable') &&
            line.from !== session.user,
        );
        const state = get();
        if (!state.focused && fromOthers.length > 0) {
          const first = fromOthers[0]!;
          const sender = first.kind === 'system' ? SYSTEM_USER : first.from;
          const direct = fromOthers.some((line) => line.kind !== 'system' && line.to !== undefined);
          deps.notifier?.notify(
            `LocalChat — ${session.room}`,
            fromOthers.length === 1
              ? `New ${direct ? 'direct ' : ''}message from ${sender}`
              : `${fromOthers.length} new messages`,
          );
        }
        set({
          lines: mergeLines<RoomLine>(state.lines, decoded),
          members,
          decrypting: Math.max(0, state.decrypting - batch.length),
          unread: state.focused ? 0 : state.unread + fromOthers.length,
        });
      }
      perf?.mark(`${start}:end`);
      perf?.measure(BACKLOG_MEASURE, start, `${start}:end`);
      perf?.clearMarks(start);
      perf?.clearMarks(`${start}:end`);
      if (membershipChanged) void refreshMembers(mine);
    }

    async function startSession(details: JoinDetails, owner: boolean): Promise<void> {
      wipe({ phase: 'busy' });
      // Still inside the click that started the join: browsers only ask for permission then.
      deps.notifier?.prepare();
      const mine = generation;
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
        if (mine !== generation) return;
        if (answer.status === 'NOK') {
          set({
            phase: 'start',
            error: `There is no user “${details.user}” in room “${details.room}”. Ask the room for a new invite.`,
          });
          return;
        }
        api = connection;
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
        poller = new Poller({
          clock,
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
            decryptQueue = decryptQueue.then(() => processRows(rows, mine));
          },
          onEnd: (end) => {
            if (mine === generation) ended(end);
          },
          onConnection: (state, retryInMs) => {
            if (mine !== generation) return;
            set(
              state === 'connected'
                ? { connection: state, retryInMs: undefined }
                : { connection: state, retryInMs },
            );
          },
        });
        poller.start(answer.last);
        void refreshMembers(mine);
      } catch (error) {
        if (mine !== generation) return;
        wipe({
          phase: 'start',
          error: joinErrorMessage(error, {
            room: details.room,
            user: details.user,
            server: serverLabel,
          }),
        });
      }
    }

    function requireSession(): { session: Session; api: Api } | undefined {
      const session = get().session;
      if (!session || !api) {
        addLocal('You are not in a room.', 'error');
        return undefined;
      }
      return { session, api };
    }

    function reportRoomError(error: unknown, what: string) {
      const session = get().session;
      if (error instanceof ApiError) {
        addLocal(
          `${what}: ${connectionErrorMessage(error, session?.server.url ?? 'the server')}`,
          'error',
        );
      } else {
        addLocal(`${what}: ${error instanceof Error ? error.message : String(error)}`, 'error');
      }
    }

    async function send(verb: 'say' | 'do', text: string) {
      const ctx = requireSession();
      if (!ctx) return;
      const { session } = ctx;
      try {
        const msg = await deps.cipher.encrypt(
          chatPayload(session.user, text, verb),
          session.roomPass,
        );
        await ctx.api.call('sendMsg', {
          roomName: session.room,
          user: session.user,
          sesskey: session.sesskey,
          msg,
        });
      } catch (error) {
        reportRoomError(error, 'Message not sent');
      }
    }

    async function sendDirect(to: string, text: string) {
      const ctx = requireSession();
      if (!ctx) return;
      const { session } = ctx;
      const mine = generation;
      try {
        const msg = await deps.cipher.encrypt(
          chatPayload(session.user, text, 'say'),
          session.roomPass,
        );
        const answer = await ctx.api.call('sendDirectMsg', {
          roomName: session.room,
          user: session.user,
          sesskey: session.sesskey,
          msg,
          to,
        });
        if (mine !== generation) return;
        // The server never returns our own DM; show our copy in its place in the order.
        const copy: ChatLine = {
          kind: 'say',
          id: answer.msgid,
          time: clock.now(),
          from: session.user,
          to,
          outgoing: true,
          text,
        };
        set({ lines: mergeLines<RoomLine>(get().lines, [copy]) });
      } catch (error) {
        if (error instanceof ApiError && error.kind === 'bad-request') {
          addLocal(`Direct message not sent: “${to}” is not in the room.`, 'error');
        } else {
          reportRoomError(error, 'Direct message not sent');
        }
      }
    }

    async function ownerAction(action: 'kickUser' | 'banUser', user: string) {
      const ctx = requireSession();
      if (!ctx) return;
      const { session } = ctx;
      const verb = action === 'kickUser' ? 'kick' : 'ban';
      try {
        await ctx.api.call(action, {
          roomName: session.room,
          user: session.user,
          sesskey: session.sesskey,
          kick: user,
        });
      } catch (error) {
        if (error instanceof ApiError && error.kind === 'forbidden') {
          addLocal(`Only the room's owner can ${verb} people.`, 'error');
        } else if (error instanceof ApiError && error.kind === 'bad-request') {
          addLocal(`Could not ${verb} “${user}”: no such user in this room.`, 'error');
        } else {
          reportRoomError(error, `Could not ${verb} ${user}`);
        }
      }
    }

    async function createRoom(input: { server?: string; room: string; user: string }) {
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
        if (connection.fingerprint && !server.fingerprint)
          server.fingerprint = connection.fingerprint;
      } catch (error) {
        const message = createErrorMessage(error, { room: input.room, server: serverUrl });
        if (inRoom) addLocal(message, 'error');
        else set({ phase: 'start', error: message });
        return;
      }
      if (inRoom) await leaveQuietly();
      await startSession({ server, room: input.room, roomPass, user: input.user, userPass }, true);
    }

    async function leaveQuietly() {
      const session = get().session;
      const connection = api;
      poller?.stop();
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

    return {
      ...initial(),

      createRoom,

      join: (details) => startSession(details, false),

      async submit(input) {
        const text = input.trim();
        if (text === '') return;
        set({ history: [...get().history, input].slice(-100) });
        const parsed = parseCommand(text);
        if (!parsed.ok) {
          addLocal(parsed.error, 'error');
          return;
        }
        await get().run(parsed.command);
      },

      async run(command) {
        switch (command.kind) {
          case 'say':
          case 'do':
            return send(command.kind, command.text);
          case 'msg':
            return sendDirect(command.to, command.text);
          case 'help':
            for (const line of HELP_TEXT) addLocal(line);
            return;
          case 'leave':
            return get().leave();
          case 'invite':
            return get().inviteUser(command.user);
          case 'kick':
            return get().kick(command.user);
          case 'ban':
            return get().ban(command.user);
          case 'close':
            return get().closeRoom();
          case 'create': {
            const user = command.user ?? get().session?.user;
            if (!user) {
              addLocal('Usage: /room create NAME USER', 'error');
              return;
            }
            return createRoom({ room: command.room, user });
          }
          case 'join': {
            const server =
              get().session?.server ??
              (deps.host.ownServer ? { url: deps.host.ownServer } : undefined);
            if (!server) {
              addLocal('Join from the start screen to give the server address.', 'error');
              return;
            }
            await leaveQuietly();
            return startSession(
              {
                server,
                room: command.room,
                roomPass: command.roomPass,
                user: command.user,
                userPass: command.userPass,
              },
              false,
            );
          }
        }
      },

      async inviteUser(user) {
        const ctx = requireSession();
        if (!ctx) return;
        const { session } = ctx;
        const pass = deps.generatePassword();
        try {
          await ctx.api.call('inviteUser', {
            roomName: session.room,
            user: session.user,
            sesskey: session.sesskey,
            invite: user,
            pass,
          });
        } catch (error) {
          if (error instanceof ApiError && error.kind === 'bad-request') {
            addLocal(
              `Could not invite “${user}”: that name is already invited or not allowed.`,
              'error',
            );
          } else if (error instanceof ApiError && error.kind === 'forbidden') {
            addLocal(`The server refused to invite “${user}”.`, 'error');
          } else {
            reportRoomError(error, `Could not invite ${user}`);
          }
          return;
        }
        const fingerprint = ctx.api.fingerprint ?? session.server.fingerprint;
        const invite: Invite = {
          server: session.server.url,
          ...(fingerprint ? { fingerprint } : {}),
          room: session.room,
          roomPass: session.roomPass,
          user,
          userPass: pass,
        };
        try {
          set({
            invite: {
              invite,
              code: encodeInvite(invite),
              link: inviteLink(invite),
              joinLine: joinLineFor(invite),
            },
          });
        } catch (error) {
          // The server accepted the name but an invite cannot carry it.
          addLocal(
            `“${user}” was invited, but no invite can be written: ${error instanceof Error ? error.message : String(error)}`,
            'error',
          );
        }
      },

      kick: (user) => ownerAction('kickUser', user),
      ban: (user) => ownerAction('banUser', user),

      async closeRoom() {
        const ctx = requireSession();
        if (!ctx) return;
        const { session } = ctx;
        try {
          await ctx.api.call('closeRoom', {
            roomName: session.room,
            user: session.user,
            sesskey: session.sesskey,
          });
        } catch (error) {
          if (error instanceof ApiError && error.kind === 'forbidden')
            addLocal("Only the room's owner can close it.", 'error');
          else reportRoomError(error, 'Could not close the room');
          return;
        }
        wipe({
          phase: 'ended',
          ended: {
            title: `Room ${session.room} closed`,
            text: 'The room and all its messages are gone from the server.',
          },
        });
      },

      async leave() {
        const room = get().session?.room;
        await leaveQuietly();
        wipe({
          phase: 'ended',
          ended: {
            title: `You left ${room ?? 'the room'}`,
            text: 'Keys and messages were cleared from this window.',
          },
        });
      },

      setFocused(focused) {
        set(focused ? { focused, unread: 0 } : { focused });
      },

      setDraft(draft) {
        set({ draft });
      },

      setInviteDraft(inviteDraft) {
        set({ inviteDraft });
      },

      receiveJoinLink(link) {
        set({ inviteDraft: link });
        if (get().phase === 'room')
          addLocal('An invite link was opened: leave this room to join with it.');
      },

      dismissInvite() {
        set({ invite: undefined });
      },

      clearError() {
        set({ error: undefined });
      },

      backToStart() {
        wipe({ phase: 'start' });
      },
    };
  });
}

/** The stock client splits its command line on spaces, so some names only fit the app's invite. */
function joinLineFor(invite: Invite): InviteView['joinLine'] {
  try {
    return { line: stockJoinLine(invite) };
  } catch (error) {
    if (error instanceof InviteError) return { unavailable: error.message };
    throw error;
  }
}
