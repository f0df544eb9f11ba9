import {
  decodeInvite,
  isWebLink,
  MAX_LINK_LENGTH,
  parseStockJoinLine,
  parseWebLink,
  type Invite,
} from '../../src-shared/invite';
import type { JoinDetails } from '../state/store';
import type { ServerTarget } from './transport';

/** How the pasted text gave the invite: the summary words some facts by it. */
export type InviteForm = 'code' | 'app-link' | 'web-link' | 'join-line';

/** What a pasted invite is for, before anything is sent anywhere. */
export interface JoinReading {
  form: InviteForm;
  room: string;
  user: string;
  /** Absent for a `/join` line when no server is known yet. */
  server?: ServerTarget;
  /** An https link: the server whose page it opens (a crafted link may differ from `server`). */
  linkPage?: string;
  /** Ready to join: every detail is known. */
  details?: JoinDetails;
}

function fromInvite(invite: Invite, form: InviteForm, linkPage?: string): JoinReading {
  const server: ServerTarget = {
    url: invite.server,
    ...(invite.fingerprint ? { fingerprint: invite.fingerprint } : {}),
  };
  return {
    form,
    room: invite.room,
    user: invite.user,
    server,
    ...(linkPage ? { linkPage } : {}),
    details: {
      server,
      room: invite.room,
      // A LocalChat invite holds no room key: the inviter hands it over after the join.
      roomPass: invite.roomPass ?? '',
      ...(invite.from && invite.fromKey
        ? { keyFrom: { user: invite.from, key: invite.fromKey } }
        : {}),
      user: invite.user,
      userPass: invite.userPass,
    },
  };
}

/**
 * Reads what a user pastes to join: an https invite link, a `localchat://` link, an invite code,
 * or the stock client's `/join ROOM ROOMPASS:USERPASS USER` line, which names no server, so
 * `stockServer` is used for it. Throws an Error whose message says, in words, what is wrong.
 */
export function readJoinInput(text: string, stockServer: ServerTarget | undefined): JoinReading {
  const trimmed = text.trim();
  if (trimmed === '') throw new Error('Paste the invite: a link, an invite code or a /join line.');
  // Read on every keystroke: a huge paste is refused before any decoding.
  if (trimmed.length > MAX_LINK_LENGTH) throw new Error('This is far too long to be an invite.');
  if (trimmed.startsWith('/join')) {
    const line = parseStockJoinLine(trimmed);
    const base = { form: 'join-line' as const, room: line.room, user: line.user };
    if (!stockServer?.url) return base;
    return { ...base, server: stockServer, details: { server: stockServer, ...line } };
  }
  if (isWebLink(trimmed)) {
    const { invite, page } = parseWebLink(trimmed);
    return fromInvite(invite, 'web-link', page);
  }
  const form = /^localchat:/i.test(trimmed) ? 'app-link' : 'code';
  return fromInvite(decodeInvite(trimmed), form);
}

/** Same, for joining at once: a `/join` line without a server is an error here. */
export function parseJoinInput(text: string, stockServer: ServerTarget | undefined): JoinDetails {
  const reading = readJoinInput(text, stockServer);
  if (!reading.details)
    throw new Error('A /join line does not say which server to use: enter the server address too.');
  return reading.details;
}
