import { LIMITS } from '../../../src-shared/protocol';
import { ApiError } from '../../client/api';
import { HELP_TEXT, parseCommand, type Command } from '../../client/commands';
import { failureReason, fitsMessageLimit, TOO_LONG } from '../../client/delivery';
import { chatPayload, mergeLines, type ChatLine } from '../../client/lines';
import { isRefusal, newSendKey, outboxRetryDelay } from '../../client/outbox';
import { postPaced } from '../../client/sendPacing';
import type { SliceContext } from './context';
import { createRoom, leaveQuietly, requireSession, startSession } from './session';
import { addLocal, nextLocalId, setLines, type RoomLine } from './timeline';
import { credentialsOf } from './credentials';
import { dmMayGo, privateDmKey, sealPrivately } from './privateDms';
import type { DmCaution } from '../../client/dmCaution';

export interface ComposerSlice {
  /** Lines typed in the box, oldest first, for Up/Down recall. */
  history: string[];
  /** The message box's text, so buttons (e.g. "Message" on a participant) can prefill it. */
  draft: string;
  /** A DM held for a second press, with why (privateDms.ts). */
  dmCaution?: DmCaution;
  /** What the message box submits: plain text or a command. */
  submit(input: string): Promise<void>;
  run(command: Command): Promise<void>;
  setDraft(draft: string): void;
  /** Sends a failed message again, in its place. */
  retry(id: number): Promise<void>;
  /** Takes a failed message back into the box (as the command that sends it again). */
  edit(id: number): void;
}

export const initialComposer = () => ({
  history: [] as string[],
  draft: '',
  dmCaution: undefined as DmCaution | undefined,
});

/** Plaintext of a message, as the stock client writes it. */
function payloadOf(user: string, line: Pick<OwnMessage, 'kind' | 'text'>) {
  return chatPayload(user, line.text, line.kind);
}

type OwnMessage = Extract<ChatLine, { kind: 'say' | 'do' }>;

/** Whether the encrypted form of this command's text would be over the server's limit. */
export function tooLongToSend(user: string, command: Command): boolean {
  if (command.kind !== 'say' && command.kind !== 'do' && command.kind !== 'msg') return false;
  return !fitsMessageLimit(
    chatPayload(user, command.text, command.kind === 'msg' ? 'say' : command.kind),
  );
}

const TOO_LONG_MESSAGE =
  'Message not sent: it is too long for the server once encrypted (about 48 KB of text at most).';

/** Our message typed with this local key, wherever its id has moved since. */
const byKey = (key: number) => (l: RoomLine) =>
  (l.kind === 'say' || l.kind === 'do') && l.localKey === key;

function updateLine(ctx: SliceContext, key: number, change: (line: OwnMessage) => ChatLine) {
  const lines = ctx.get().lines;
  const index = lines.findIndex(byKey(key));
  const line = lines[index];
  if (!line || (line.kind !== 'say' && line.kind !== 'do')) return;
  const next = [...lines];
  next[index] = change(line);
  ctx.set({ lines: next });
}

/**
 * How a message about to be sent shows: waiting while the server is away or a message ahead of
 * it waits (it goes in typed order), sending otherwise. Only a server that takes idempotency
 * keys gets queued sends (see post).
 */
function queuedState(ctx: SliceContext): 'sending' | 'waiting' {
  const waits = ctx.live.outbox.waiting > 0 || ctx.get().connection === 'reconnecting';
  return waits && ctx.get().session?.extensions.includes('sendkey') ? 'waiting' : 'sending';
}

/** Shows our message at once, marked as sending, after everything already in the view. */
function addPending(
  ctx: SliceContext,
  user: string,
  verb: 'say' | 'do',
  text: string,
  to?: string,
): number {
  const id = nextLocalId(ctx);
  const sealed = to !== undefined && privateDmKey(ctx, to) !== undefined;
  const line: ChatLine = {
    kind: verb,
    id,
    time: ctx.clock.now(),
    from: user,
    ...(to !== undefined ? { to, outgoing: true } : {}),
    ...(sealed ? { private: true as const } : {}),
    text,
    delivery: { state: queuedState(ctx) },
    localKey: id,
    sendKey: newSendKey(),
  };
  setLines(ctx, [...ctx.get().lines, line]);
  return id;
}

/**
 * Encrypts and sends one pending line. The server's msgid becomes the line's id, so the row the
 * poll brings back is recognised and never shown twice (whichever of the two arrives first).
 *
 * Encryption runs in a pool of workers, so a later message may be ready first; posts wait their
 * turn so that the server numbers (and everyone sees) our messages in the order they were typed.
 */
async function deliver(ctx: SliceContext, key: number) {
  const active = requireSession(ctx);
  const line = ctx.get().lines.find(byKey(key));
  if (!active || !line || (line.kind !== 'say' && line.kind !== 'do')) return;
  const mine = ctx.live.generation;
  updateLine(ctx, key, (l) => ({ ...l, delivery: { state: queuedState(ctx) } }));
  const encrypted = line.private
    ? sealPrivately(ctx, payloadOf(active.session.user, line), line.to!)
    : ctx.deps.cipher.encrypt(payloadOf(active.session.user, line), active.session.roomPass);
  // Handled where post awaits it; this only keeps a failure while queued from counting as unhandled.
  encrypted.catch(() => {});
  const turn = ctx.live.sendQueue.then(() => post(ctx, key, line, encrypted, mine));
  ctx.live.sendQueue = turn;
  await turn;
}

/**
 * Posts until the server answers. When it does not (unreachable, timed out, busy, a 5xx), the
 * message waits and goes again by itself, with the same idempotency key, as long as the session
 * lives; only the server's refusal is final. A server without the `sendkey` extension could store
 * a retry twice, so there a send that got no answer fails and waits for the user's Retry.
 */
async function post(
  ctx: SliceContext,
  key: number,
  line: OwnMessage,
  encrypted: Promise<string>,
  mine: number,
) {
  const active = requireSession(ctx);
  if (!active || mine !== ctx.live.generation) return;
  const { session, api } = active;
  const action = line.to !== undefined ? 'sendDirectMsg' : 'sendMsg';
  const fail = (error: unknown) => {
    const reason = failureReason(error, action, line.to);
    updateLine(ctx, key, (l) => ({ ...l, delivery: { state: 'failed', reason } }));
  };
  let msg: string;
  try {
    msg = await encrypted;
  } catch (error) {
    if (mine === ctx.live.generation) fail(error);
    return;
  }
  if (mine !== ctx.live.generation) return;
  if (msg.length > LIMITS.messageLength) {
    updateLine(ctx, key, (l) => ({
      ...l,
      delivery: { state: 'failed', reason: `refused as ${TOO_LONG}` },
    }));
    return;
  }
  const keyed = session.extensions.includes('sendkey') && line.sendKey !== undefined;
  const base = { ...credentialsOf(session), msg, ...(keyed ? { sendkey: line.sendKey } : {}) };
  const outbox = ctx.live.outbox;
  let waiting = false;
  for (let attempts = 1; ; attempts++) {
    try {
      // Over the server's per-member send limit (429), the queue waits as asked and posts again.
      const answer = await postPaced(
        () =>
          line.to !== undefined
            ? api.call('sendDirectMsg', { ...base, to: line.to })
            : api.call('sendMsg', base),
        {
          wait: (ms) =>
            new Promise((resolve) =>
              ctx.clock.setTimeout(() => resolve(mine === ctx.live.generation), ms),
            ),
          onThrottled: (seconds) => noteThrottled(ctx, seconds),
        },
      );
      if (!answer || mine !== ctx.live.generation) return;
      confirm(ctx, key, answer.msgid);
      break;
    } catch (error) {
      if (mine !== ctx.live.generation) return;
      if (!keyed || isRefusal(error)) {
        fail(error);
        break;
      }
      if (!waiting) {
        waiting = true;
        outbox.waiting++;
      }
      // Posts go one at a time: every other line still sending is queued behind this one.
      markOwn(ctx, 'sending', 'waiting');
      const retryAfter = error instanceof ApiError ? error.retryAfterSeconds : undefined;
      await outbox.sleep(outboxRetryDelay(attempts, retryAfter));
      if (mine !== ctx.live.generation) return;
      updateLine(ctx, key, (l) => ({ ...l, delivery: { state: 'sending' } }));
    }
  }
  if (waiting) outbox.waiting--;
  // The ones queued behind this one while it waited are next in turn.
  if (outbox.waiting === 0) markOwn(ctx, 'waiting', 'sending');
}

/** Moves every one of our lines in one delivery state to another. */
function markOwn(ctx: SliceContext, from: 'sending' | 'waiting', to: 'sending' | 'waiting') {
  const lines = ctx.get().lines;
  const moves = (l: RoomLine) =>
    (l.kind === 'say' || l.kind === 'do') && l.delivery?.state === from;
  if (!lines.some(moves)) return;
  ctx.set({ lines: lines.map((l) => (moves(l) ? { ...l, delivery: { state: to } } : l)) });
}

/** Says once per run of refusals why messages wait; a send that goes through ends the run. */
function noteThrottled(ctx: SliceContext, seconds: number) {
  const last = ctx.get().lines.at(-1);
  if (last?.kind === 'local' && last.text.startsWith(THROTTLED_NOTE)) return;
  addLocal(
    ctx,
    `${THROTTLED_NOTE} takes a few messages a second from each member. Yours wait and follow by themselves, in order (next try in ${seconds} s).`,
  );
}

const THROTTLED_NOTE = 'Sending more slowly: the server';

/** A line this client made (pending message, local notice): its id is not a server msgid. */
const isOwnId = (id: number) => !Number.isInteger(id);

function confirm(ctx: SliceContext, key: number, msgid: number) {
  const lines = ctx.get().lines;
  const pending = lines.find(byKey(key));
  if (!pending || (pending.kind !== 'say' && pending.kind !== 'do')) return;
  const rest = lines.filter((l) => l !== pending);
  const polled = rest.find((l) => l.id === msgid);
  // The poll may have brought the row back before sendMsg answered: keep one line, marked sent.
  const sent: ChatLine =
    polled && (polled.kind === 'say' || polled.kind === 'do')
      ? { ...polled, delivery: { state: 'sent' } }
      : { ...pending, id: msgid, delivery: { state: 'sent' } };
  // Lines this client added after the pending one (later messages still sending, notices) stay
  // after it now that it moves up to its msgid, keeping their own order.
  const after = (l: RoomLine) => isOwnId(l.id) && l.id > pending.id && l.id < msgid;
  const moved = rest.filter(after).map((l) => ({ ...l, id: msgid + (l.id - Math.floor(l.id)) }));
  setLines(
    ctx,
    mergeLines<RoomLine>(
      rest.filter((l) => l.id !== msgid && !after(l)),
      [sent, ...moved],
    ),
  );
}

async function send(ctx: SliceContext, verb: 'say' | 'do', text: string, to?: string) {
  const active = requireSession(ctx);
  if (!active) return;
  if (active.session.awaitingKey) {
    addLocal(
      ctx,
      'You do not hold the room key yet: wait until a member hands it to you.',
      'error',
    );
    return;
  }
  if (!fitsMessageLimit(chatPayload(active.session.user, text, verb))) {
    addLocal(ctx, TOO_LONG_MESSAGE, 'error');
    return;
  }
  if (!dmMayGo(ctx, to, text)) return;
  await deliver(ctx, addPending(ctx, active.session.user, verb, text, to));
}

export function composerSlice(ctx: SliceContext): ComposerSlice {
  const { get, set, deps } = ctx;
  return {
    ...initialComposer(),

    async submit(input) {
      const text = input.trim();
      if (text === '') return;
      set({ history: [...get().history, input].slice(-100) });
      const parsed = parseCommand(text);
      if (!parsed.ok) {
        addLocal(ctx, parsed.error, 'error');
        return;
      }
      await get().run(parsed.command);
    },

    async run(command) {
      switch (command.kind) {
        case 'say':
        case 'do':
          return send(ctx, command.kind, command.text);
        case 'msg':
          return send(ctx, 'say', command.text, command.to);
        case 'help':
          for (const line of HELP_TEXT) addLocal(ctx, line);
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
            addLocal(ctx, 'Usage: /room create NAME USER', 'error');
            return;
          }
          return createRoom(ctx, { room: command.room, user });
        }
        case 'join': {
          const server =
            get().session?.server ??
            (deps.host.ownServer ? { url: deps.host.ownServer } : undefined);
          if (!server) {
            addLocal(ctx, 'Join from the start screen to give the server address.', 'error');
            return;
          }
          await leaveQuietly(ctx);
          return startSession(
            ctx,
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

    setDraft(draft) {
      set({ draft });
    },

    async retry(id) {
      const line = get().lines.find((l) => l.id === id);
      if (line?.kind !== 'say' && line?.kind !== 'do') return;
      if (line.delivery?.state !== 'failed' || line.localKey === undefined) return;
      // Sent again, it is numbered after everything in the room: it moves to the bottom now.
      setLines(ctx, [...get().lines.filter((l) => l !== line), { ...line, id: nextLocalId(ctx) }]);
      await deliver(ctx, line.localKey);
    },

    edit(id) {
      const line = get().lines.find((l) => l.id === id);
      if (line?.kind !== 'say' && line?.kind !== 'do') return;
      if (line.delivery?.state !== 'failed') return;
      const prefix = line.to !== undefined ? `/msg ${line.to} ` : line.kind === 'do' ? '/me ' : '';
      const text = prefix === '' && line.text.startsWith('/') ? `/${line.text}` : line.text;
      set({ lines: get().lines.filter((l) => l.id !== id), draft: prefix + text });
    },
  };
}
