import { decodeInvite, encodeInvite } from './codec';
import { InviteError } from './errors';
import type { Invite } from './schema';

/**
 * The browser form of an invite: the page's https address with the code in the fragment,
 * `https://host:port/prefix/#join=LC1.…`. Browsers never send the fragment to the server, so the
 * passwords reach only the page, which reads it and removes it from the address bar.
 */
const FRAGMENT_KEY = '#join=';
const FRAGMENT_SHAPE = /^#join=(LC\d+\.[A-Za-z0-9_-]+\.[0-9a-f]{8})$/;
/** Far above any real invite link, far below what could slow the page down. */
export const MAX_LINK_LENGTH = 4096;

/** The server a page address belongs to: its directory, without a trailing slash. */
export function pageServer(page: URL): string {
  return `${page.origin}${page.pathname.replace(/[^/]*$/, '').replace(/\/+$/, '')}`;
}

export function sameServer(a: string, b: string): boolean {
  const strip = (url: string) => url.replace(/\/+$/, '');
  return URL.canParse(a) && URL.canParse(b) && strip(new URL(a).href) === strip(new URL(b).href);
}

/**
 * The https link to `page` (the browser page's address, e.g. `https://host:8090/s3cr3t/`) that
 * opens with the invite filled in. The invite must name the page's own server: the page can
 * join nowhere else.
 */
export function inviteWebLink(invite: Invite, page: string): string {
  if (!URL.canParse(page)) throw new InviteError('The browser page address is not a URL');
  // The page is a directory: 'https://h/abc' is the page at /abc/, not /index.html beside it.
  const url = new URL(page.endsWith('/') ? page : `${page}/`);
  if (url.protocol !== 'https:' || url.search || url.hash || url.username || url.password)
    throw new InviteError('The browser page address must be a plain https:// address');
  if (!sameServer(pageServer(url), invite.server))
    throw new InviteError('An invite link must open the page of the invite’s own server');
  return `${url.href}${FRAGMENT_KEY}${encodeInvite(invite)}`;
}

export interface WebInvite {
  invite: Invite;
  /** The server whose page the link opens (may differ from the invite's in a crafted link). */
  page: string;
}

/** Whether the text looks like an https link, so its errors can be worded for links. */
export function isWebLink(text: string): boolean {
  return /^https:\/\//i.test(text.trim());
}

/** Reads an https invite link; throws InviteError saying what is wrong. */
export function parseWebLink(text: string): WebInvite {
  const link = text.replace(/\s+/g, '');
  if (link.length > MAX_LINK_LENGTH)
    throw new InviteError('This link is far too long to be an invite');
  if (!URL.canParse(link)) throw new InviteError('This link is not a valid address');
  const url = new URL(link);
  if (url.protocol !== 'https:') throw new InviteError('An invite link starts with https://');
  if (url.username || url.password || url.search)
    throw new InviteError('This link has extra parts an invite link never has: it was changed');
  if (!url.hash.startsWith(FRAGMENT_KEY))
    throw new InviteError(
      'This link holds no invite (it should end in #join=LC1.…): ask for the invite again',
    );
  const shape = FRAGMENT_SHAPE.exec(url.hash);
  if (!shape)
    throw new InviteError(
      'The invite in this link is incomplete or damaged: copy the link again in full',
    );
  return { invite: decodeInvite(shape[1]!), page: pageServer(url) };
}
