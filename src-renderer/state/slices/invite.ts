import {
  encodeInvite,
  InviteError,
  inviteLink,
  isFingerprint,
  inviteWebLink,
  pageServer,
  reachOf,
  sameServer,
  stockJoinLine,
  type Invite,
  type Reach,
} from '../../../src-shared/invite';
import { isReservedName } from '../../../src-shared/protocol/names';
import { ApiError, type Api } from '../../client/api';
import { inviteMessage } from '../../client/inviteMessage';
import type { SliceContext } from './context';
import { requireSession, type Session } from './session';
import { addLocal, reportRoomError } from './timeline';
import { credentialsOf } from './credentials';

export interface InviteView {
  /** What the link carries. */
  invite: Invite;
  code: string;
  /** The one link to send: the browser page's https address when this server serves it. */
  link: string;
  linkKind: 'web' | 'app';
  /** The ready-to-paste message around the link. */
  message: string;
  /** Who can reach the server's address: a loopback one works for nobody else. */
  reach: Reach;
  /** For the stock terminal client: its server address and `/join` line. */
  stockServer: string;
  /** The stock client's `/join` line, or why it cannot express this invite (e.g. a space in a name). */
  joinLine: { line: string } | { unavailable: string };
}

export interface InviteSlice {
  /** The invite on screen. */
  invite?: InviteView;
  /** Every invite made in this session, newest first: memory only, dropped with the session. */
  invites: InviteView[];
  inviteUser(user: string): Promise<void>;
  showInvite(user: string): void;
  dismissInvite(): void;
}

export const initialInvite = () => ({ invite: undefined, invites: [] });

/**
 * The address of the browser page this session's server serves, if any: in a browser, the page
 * itself; in the app, the page of the server it hosts, when hosting serves one.
 */
async function browserPage(ctx: SliceContext, session: Session): Promise<string | undefined> {
  const { host } = ctx.deps;
  if (host.kind === 'browser') return host.ownServer ? `${host.ownServer}/` : undefined;
  const status = await host.hosting?.status().catch(() => null);
  if (!status?.webUrl || !URL.canParse(status.webUrl)) return;
  const served = [status.url, pageServer(new URL(status.webUrl))];
  return served.some((url) => sameServer(url, session.server.url)) ? status.webUrl : undefined;
}

/**
 * A browser page cannot see its server's certificate; the server announces it in serverInfo.
 * No new trust: the page's own code came over that same connection.
 */
async function announcedCertificate(api: Api): Promise<string | undefined> {
  try {
    const certificate = (await api.call('serverInfo', {})).certificate;
    return certificate && isFingerprint(certificate) ? certificate : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Who hands the room key to a newcomer whose invite holds none: this member, with this join's
 * member key, when the server relays handovers. Otherwise the invite carries the passphrase.
 */
function handoverFrom(ctx: SliceContext, session: Session): KeyFrom | undefined {
  const own = ctx.live.memberKey;
  if (!own || !session.extensions.includes('keyhandover')) return undefined;
  return { from: session.user, fromKey: own.publicKey };
}

type KeyFrom = { from: string; fromKey: string };

/**
 * The code and links carry `keyFrom` instead of the room passphrase when given; the stock
 * `/join` line always carries the passphrase (the stock client cannot take a handover).
 */
export function makeInviteView(
  full: Invite,
  page: string | undefined,
  keyFrom?: KeyFrom,
): InviteView {
  const invite: Invite = keyFrom ? { ...withoutRoomPass(full), ...keyFrom } : full;
  const web = page ? { ...invite, server: pageServer(new URL(page)) } : undefined;
  const shown = web ?? invite;
  const link = web && page ? inviteWebLink(web, page) : inviteLink(invite);
  const linkKind = web ? 'web' : 'app';
  return {
    invite: shown,
    code: encodeInvite(shown),
    link,
    linkKind,
    message: inviteMessage(shown, link, linkKind),
    reach: reachOf(invite.server),
    stockServer: invite.server,
    joinLine: joinLineFor(full),
  };
}

export async function inviteUser(ctx: SliceContext, user: string): Promise<void> {
  const active = requireSession(ctx);
  if (!active) return;
  const { session } = active;
  // Said here in words; the server would refuse it too, and alert the whole room to the attempt.
  if (isReservedName(user.normalize('NFC'))) {
    addLocal(
      ctx,
      `“${user}” cannot be invited: it is, looks like, or holds a name the room itself uses (0 marks messages to everyone, SYSTEM speaks for the server).`,
      'error',
    );
    return;
  }
  const mine = ctx.live.generation;
  const pass = ctx.deps.generatePassword();
  try {
    await active.api.call('inviteUser', {
      ...credentialsOf(session),
      invite: user,
      pass,
    });
  } catch (error) {
    if (error instanceof ApiError && error.kind === 'bad-request') {
      addLocal(
        ctx,
        `Could not invite “${user}”: that name is already invited or not allowed.`,
        'error',
      );
    } else if (error instanceof ApiError && error.kind === 'forbidden') {
      addLocal(ctx, `The server refused to invite “${user}”.`, 'error');
    } else {
      reportRoomError(ctx, error, `Could not invite ${user}`);
    }
    return;
  }
  const fingerprint =
    active.api.fingerprint ||
    session.server.fingerprint ||
    (await announcedCertificate(active.api));
  const invite: Invite = {
    server: session.server.url,
    ...(fingerprint ? { fingerprint } : {}),
    room: session.room,
    roomPass: session.roomPass,
    user,
    userPass: pass,
  };
  const page = await browserPage(ctx, session);
  // The session ended while main answered: its secrets must not come back.
  if (mine !== ctx.live.generation) return;
  try {
    const view = makeInviteView(invite, page, handoverFrom(ctx, session));
    ctx.set({
      invite: view,
      invites: [view, ...ctx.get().invites.filter((v) => v.invite.user !== user)],
    });
  } catch (error) {
    // The server accepted the name but an invite cannot carry it.
    addLocal(
      ctx,
      `“${user}” was invited, but no invite can be written: ${error instanceof Error ? error.message : String(error)}`,
      'error',
    );
    return;
  }
}

export function inviteSlice(ctx: SliceContext): InviteSlice {
  return {
    ...initialInvite(),
    inviteUser: (user) => inviteUser(ctx, user),
    showInvite(user) {
      const view = ctx.get().invites.find((v) => v.invite.user === user);
      if (view) ctx.set({ invite: view });
    },
    dismissInvite() {
      ctx.set({ invite: undefined });
    },
  };
}

function withoutRoomPass(invite: Invite): Invite {
  const { roomPass: _dropped, ...rest } = invite;
  return rest;
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
