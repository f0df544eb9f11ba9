/**
 * The window only ever shows the app's own page. Navigating elsewhere (a link in a message, a
 * redirect) would load remote content with the preload's bridge attached, so it is refused.
 */
export function isNavigationAllowed(targetUrl: string, appOrigin: string): boolean {
  try {
    const target = new URL(targetUrl);
    return `${target.protocol}//${target.host}` === appOrigin;
  } catch {
    return false;
  }
}

/** New windows (window.open, target=_blank) are never created. */
export function windowOpenDecision(): { action: 'deny' } {
  return { action: 'deny' };
}
