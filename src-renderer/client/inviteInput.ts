import { decodeInvite, parseStockJoinLine } from '../../src-shared/invite';
import type { JoinDetails } from '../state/store';

/**
 * Reads what a user pastes to join: a LocalChat invite code or localchat:// link, or the stock
 * client's `/join ROOM ROOMPASS:USERPASS USER` line, which names no server, so `server` is used.
 * Throws an Error with a readable message.
 */
export function parseJoinInput(text: string, server: { url: string; fingerprint?: string } | undefined): JoinDetails {
  const trimmed = text.trim();
  if (trimmed === '') throw new Error('Paste an invite code, a localchat:// link or a /join line.');
  if (trimmed.startsWith('/join')) {
    const line = parseStockJoinLine(trimmed);
    if (!server?.url) throw new Error('A /join line does not say which server to use: enter the server address too.');
    return { server, room: line.room, roomPass: line.roomPass, user: line.user, userPass: line.userPass };
  }
  const invite = decodeInvite(trimmed);
  return {
    server: { url: invite.server, ...(invite.fingerprint ? { fingerprint: invite.fingerprint } : {}) },
    room: invite.room,
    roomPass: invite.roomPass,
    user: invite.user,
    userPass: invite.userPass,
  };
}
