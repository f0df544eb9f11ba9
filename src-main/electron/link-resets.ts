/** The part of webContents the link router's resets listen to. */
export interface PageEvents {
  on(event: 'did-navigate' | 'render-process-gone', listener: () => void): unknown;
}

/**
 * The page asks for pending links once when it mounts; until it asks again, links must queue.
 * Only a page that is really gone resets that: a committed main-frame load (a reload included:
 * 'did-navigate') or a dead renderer. Not 'did-start-loading', which fires before will-navigate
 * can still cancel the load: after a refused navigation the old page would stay, never asking
 * again, and every later link would queue forever.
 */
export function resetLinksWhenPageGoes(contents: PageEvents, links: { reset(): void }): void {
  contents.on('did-navigate', () => links.reset());
  contents.on('render-process-gone', () => links.reset());
}
