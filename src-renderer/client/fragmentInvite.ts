/**
 * An https invite link opens the page with the invite after '#join=' (browsers never send the
 * fragment to the server). The page takes it once, at start, and removes it from the address bar
 * and the history entry, so the passwords are not left in the browser's history or on screen.
 */
export function takeFragmentInvite(
  location: Pick<Location, 'href' | 'hash'>,
  history: Pick<History, 'replaceState'>,
): string | undefined {
  if (!location.hash.startsWith('#join=')) return undefined;
  const link = location.href;
  history.replaceState(null, '', link.slice(0, link.indexOf('#')));
  return link;
}
