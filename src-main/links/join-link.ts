export const LINK_SCHEME = 'localchat';
/** Far above any invite (room, user, passwords, server URL and fingerprint), far below abuse. */
export const MAX_LINK_LENGTH = 4096;

/**
 * Accepts exactly `localchat://join/<code>`, the code being URL-safe text; the invite codec in the
 * renderer decodes it. Anything else (other hosts, queries, fragments, oversized) is ignored, since
 * any web page or program can make the OS open a localchat:// link.
 */
export function parseJoinLink(raw: string): string | null {
  if (raw.length > MAX_LINK_LENGTH) return null;
  const match = /^localchat:\/\/join\/([A-Za-z0-9._~!$&'()*+,;=:@%-]+)\/?$/i.exec(raw.trim());
  if (!match) return null;
  try {
    decodeURIComponent(match[1]!);
  } catch {
    return null;
  }
  return `${LINK_SCHEME}://join/${match[1]}`;
}

/**
 * The join link among a process's arguments (Windows and Linux pass the link as an argument on
 * launch and to the running instance), if any.
 */
export function findJoinLink(argv: readonly string[]): string | null {
  for (const arg of argv) {
    if (!arg.toLowerCase().startsWith(`${LINK_SCHEME}:`)) continue;
    const link = parseJoinLink(arg);
    if (link) return link;
  }
  return null;
}

/**
 * Holds links until the renderer asks for them (it may still be loading when the OS hands the
 * app a link), then delivers later ones straight away.
 */
export class LinkRouter {
  private pending: string[] = [];
  private ready = false;

  constructor(private readonly deliver: (link: string) => void) {}

  /** Returns whether the text was a valid join link. */
  route(raw: string): boolean {
    const link = parseJoinLink(raw);
    if (!link) return false;
    if (this.ready) this.deliver(link);
    else this.pending.push(link);
    return true;
  }

  /** The renderer is listening now: hand over what waited. */
  takePending(): string[] {
    this.ready = true;
    const links = this.pending;
    this.pending = [];
    return links;
  }

  /** The renderer went away (reload, crash): queue again until it asks. */
  reset(): void {
    this.ready = false;
  }
}
