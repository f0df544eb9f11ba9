import { ApiError } from '../../client/api';
import { HELP_TEXT, parseCommand, type Command } from '../../client/commands';
import { chatPayload, type ChatLine } from '../../client/lines';
import type { SliceContext } from './context';
import { createRoom, leaveQuietly, requireSession, startSession } from './session';
import { addLines, addLocal, reportRoomError } from './timeline';

export interface ComposerSlice {
  /** Lines typed in the box, oldest first, for Up/Down recall. */
  history: string[];
  /** The message box's text, so buttons (e.g. "Message" on a participant) can prefill it. */
  draft: string;
  /** What the message box submits: plain text or a command. */
  submit(input: string): Promise<void>;
  run(command: Command): Promise<void>;
  setDraft(draft: string): void;
}

export const initialComposer = () => ({ history: [] as string[], draft: '' });

async function send(ctx: SliceContext, verb: 'say' | 'do', text: string) {
  const active = requireSession(ctx);
  if (!active) return;
  const { session } = active;
  try {
    const msg = await ctx.deps.cipher.encrypt(
      chatPayload(session.user, text, verb),
      session.roomPass,
    );
    await active.api.call('sendMsg', {
      roomName: session.room,
      user: session.user,
      sesskey: session.sesskey,
      msg,
    });
  } catch (error) {
    reportRoomError(ctx, error, 'Message not sent');
  }
}

async function sendDirect(ctx: SliceContext, to: string, text: string) {
  const active = requireSession(ctx);
  if (!active) return;
  const { session } = active;
  const mine = ctx.live.generation;
  try {
    const msg = await ctx.deps.cipher.encrypt(
      chatPayload(session.user, text, 'say'),
      session.roomPass,
    );
    const answer = await active.api.call('sendDirectMsg', {
      roomName: session.room,
      user: session.user,
      sesskey: session.sesskey,
      msg,
      to,
    });
    if (mine !== ctx.live.generation) return;
    // The server never returns our own DM; show our copy in its place in the order.
    const copy: ChatLine = {
      kind: 'say',
      id: answer.msgid,
      time: ctx.clock.now(),
      from: session.user,
      to,
      outgoing: true,
      text,
    };
    addLines(ctx, [copy]);
  } catch (error) {
    if (error instanceof ApiError && error.kind === 'bad-request') {
      addLocal(ctx, `Direct message not sent: “${to}” is not in the room.`, 'error');
    } else {
      reportRoomError(ctx, error, 'Direct message not sent');
    }
  }
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
          return sendDirect(ctx, command.to, command.text);
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
  };
}
