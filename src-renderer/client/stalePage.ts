/**
 * A browser tab opened before its server restarted: the API still answers it (POST on any path),
 * but the page now lives under a new secret path and this one is an empty 404. Such a page can
 * load none of its own scripts again (its crypto workers come from its address), and an invite it
 * made would name a link that opens nothing, showing the whole invite in the browser's error
 * page. So it starts no room and joins none: it says where to go instead.
 */
export const STALE_PAGE_MESSAGE =
  'This page’s address no longer works: its server was restarted and now serves the page at a new secret address, so invites made here would open nothing. Open the page’s new link (the host’s LocalChat app shows it) and start or join the room there.';

/**
 * Whether the page's own address no longer serves the page (404). Not when the server does not
 * answer: the call that follows says that in its own words.
 */
export async function pageGone(pageUrl: string, fetchImpl: typeof fetch = fetch): Promise<boolean> {
  try {
    const response = await fetchImpl(pageUrl, {
      method: 'HEAD',
      cache: 'no-store',
      credentials: 'omit',
      signal: AbortSignal.timeout(5_000),
    });
    return response.status === 404;
  } catch {
    return false;
  }
}
