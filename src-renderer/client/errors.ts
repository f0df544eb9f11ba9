import { ApiError } from './api';
import { HostError } from './transport';

/** Readable sentences for failures, worded for what the user was doing. */
export function joinErrorMessage(error: unknown, ctx: { room: string; user: string; server: string }): string {
  if (error instanceof HostError) return error.message;
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  switch (error.kind) {
    case 'invalid-input':
      return `Please check the details: ${error.message}.`;
    case 'forbidden':
      return `Wrong password for “${ctx.user}” in room “${ctx.room}”.`;
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
  if (error instanceof ApiError && error.kind === 'forbidden') return `The server refused to create room “${ctx.room}”.`;
  return joinErrorMessage(error, { room: ctx.room, user: '', server: ctx.server });
}

export function connectionErrorMessage(error: ApiError, server: string): string {
  switch (error.kind) {
    case 'unreachable':
      return `Cannot reach the server at ${server}. Check the address and that the host is still running.`;
    case 'certificate-mismatch':
      return `Not connecting: the server’s certificate does not match the one in the invite, so someone may be intercepting the connection. ${error.message}`;
    case 'server-busy':
      return 'The server is holding too many messages; try again in a minute.';
    case 'locked-out':
      return 'Too many failed attempts to join with this name or from this computer. The server has locked them out for a while (30 seconds at first, longer after repeated failures); wait, then try again.';
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

/** Words for each way a session can end, chosen from the server's one-time notice when there is one. */
export function sessionEndWording(
  end: { kind: 'errmessage'; text: string } | { kind: 'session-ended' },
  room: string,
): { title: string; text: string } {
  const title = `You are no longer in ${room}`;
  if (end.kind === 'session-ended') {
    return {
      title,
      text: 'The server no longer knows your session: the room was closed, you were removed, or the server was restarted (a restart deletes every room).',
    };
  }
  const notice = end.text.toLowerCase();
  if (notice.includes('banned')) return { title, text: 'The room’s owner banned you. You cannot rejoin unless invited again.' };
  if (notice.includes('kicked')) return { title, text: 'The room’s owner removed you from the room. Ask for a new invite to come back.' };
  if (notice.includes('elsewhere') || notice.includes('another session'))
    return { title, text: 'You signed in to this room elsewhere (another window or device), which ended this session.' };
  if (notice.includes('nobody used it')) return { title, text: 'The room was closed for idleness: nobody used it for a long time. Its messages are gone.' };
  if (notice.includes('closed')) return { title, text: 'The room’s owner closed the room. Its messages are gone from the server.' };
  return { title, text: end.text };
}
