import { ApiError } from './api';
import { HostError } from './transport';

/** Readable sentences for failures, worded for what the user was doing. */
export function joinErrorMessage(
  error: unknown,
  ctx: { room: string; user: string; server: string },
): string {
  if (error instanceof HostError) return error.message;
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  switch (error.kind) {
    case 'invalid-input':
      return `Please check the details: ${error.message}.`;
    case 'forbidden':
      return `Wrong password for “${ctx.user}” in room “${ctx.room}”. If this invite was used before, the LocalChat window that used it replaced the password with one of its own: sign in from there, or ask the room for a new invite.`;
    case 'bad-request':
      return `There is no room “${ctx.room}” on this server (it may have been closed).`;
    default:
      return connectionErrorMessage(error, ctx.server);
  }
}

export function createErrorMessage(error: unknown, ctx: { room: string; server: string }): string {
  if (error instanceof ApiError && error.kind === 'bad-request') {
    return `Could not create room “${ctx.room}”: the name is already in use or not allowed.`;
  }
  if (error instanceof ApiError && error.kind === 'forbidden')
    return `The server refused to create room “${ctx.room}”.`;
  return joinErrorMessage(error, { room: ctx.room, user: '', server: ctx.server });
}

export function connectionErrorMessage(error: ApiError, server: string): string {
  switch (error.kind) {
    case 'unreachable':
      return `Cannot reach the server at ${server}. Check the address and that the host is still running.`;
    case 'certificate-mismatch':
      return `Not connecting: the server’s certificate does not match the one in the invite, so someone may be intercepting the connection. ${error.message}`;
    case 'server-busy':
      return error.action === 'sendMsg' || error.action === 'sendDirectMsg'
        ? `The server is holding as many messages as it can; ${waitFor(error.retryAfterSeconds, 'try again in a minute')}.`
        : `The server is busy (too many people joining or creating rooms at once); ${waitFor(error.retryAfterSeconds, 'try again in a few seconds')}.`;
    case 'locked-out':
      return error.action === 'createRoom'
        ? `This computer has created too many rooms in a short time; ${waitFor(error.retryAfterSeconds, 'try again in a few minutes')}.`
        : `Too many failed attempts to join with this name or from this computer, so the server locked them out (longer after each new failure); ${waitFor(error.retryAfterSeconds, 'try again in a minute')}.`;
    case 'server-error':
      return `The server had a problem (${error.message}). Try again in a moment.`;
    case 'malformed':
      return `The server at ${server} answered something that is not the LocalChat protocol.`;
    case 'invalid-input':
      return `Please check: ${error.message}.`;
    case 'forbidden':
      return 'The server refused: you are not allowed to do that.';
    case 'bad-request':
      return 'The server refused the request.';
  }
}

/**
 * The wait the server asked for (Retry-After), as a fixed duration: the start screen counts down
 * beside it. A rough wait when the server sent none.
 */
export function waitFor(seconds: number | undefined, fallback: string): string {
  return seconds === undefined ? fallback : `it asks to wait ${formatWait(seconds)}`;
}

/** 45 s, 2 min 5 s, 1 h: a wait in words a countdown can also use. */
export function formatWait(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s} s`;
  if (s >= 3_600)
    return `${Math.floor(s / 3_600)} h${s % 3_600 >= 60 ? ` ${Math.floor((s % 3_600) / 60)} min` : ''}`;
  return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
}

/** How a session ended, as far as the client can tell. */
export type SessionEnd =
  /** The server's one-time notice (kicked, banned, closed, signed in elsewhere). */
  | { kind: 'errmessage'; text: string }
  /**
   * 403/400 without a notice: the session or the room no longer exists. `sameServer`: serverInfo
   * showed the server did not restart meanwhile.
   */
  | { kind: 'session-ended'; sameServer?: boolean }
  /** serverInfo announces another instance id than at join: every room is gone. */
  | { kind: 'server-restarted' };

/** Words for each way a session can end, chosen from the server's one-time notice when there is one. */
export function sessionEndWording(end: SessionEnd, room: string): { title: string; text: string } {
  const title = `You are no longer in ${room}`;
  if (end.kind === 'server-restarted') {
    return {
      title: `${room} no longer exists`,
      text: 'The server restarted; the room no longer exists. A restart deletes every room and message it held. To go on, someone has to create a room again and send new invites.',
    };
  }
  if (end.kind === 'session-ended') {
    return {
      title,
      text: end.sameServer
        ? 'The server no longer knows your session: the room was closed or you were removed.'
        : 'The server no longer knows your session: the room was closed, you were removed, or the server was restarted (a restart deletes every room).',
    };
  }
  const notice = end.text.toLowerCase();
  if (notice.includes('banned'))
    return { title, text: 'The room’s owner banned you. You cannot rejoin unless invited again.' };
  if (notice.includes('kicked'))
    return {
      title,
      text: 'The room’s owner removed you from the room. Ask for a new invite to come back.',
    };
  if (notice.includes('elsewhere') || notice.includes('another session'))
    return {
      title,
      text: 'Your name was signed in to this room elsewhere (another window or device), which ended this session. If that was not you, someone else has your invite or password: tell the room’s owner.',
    };
  if (notice.includes('nobody used it'))
    return {
      title,
      text: 'The room was closed for idleness: nobody used it for a long time. Its messages are gone.',
    };
  if (notice.includes('closed'))
    return {
      title,
      text: 'The room’s owner closed the room. Its messages are gone from the server.',
    };
  return { title, text: end.text };
}
