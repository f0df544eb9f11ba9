/**
 * The main window's webPreferences (a plain object so it can be checked without Electron): the
 * page gets no Node.js, runs sandboxed in its own isolated world, and reaches main only through
 * the preload's `window.localchat`.
 */
export function hardenedWebPreferences(preload: string, { isPackaged }: { isPackaged: boolean }) {
  return {
    preload,
    // An installed build has no developer tools: they would let anyone at the keyboard read the
    // room's keys and messages out of the page.
    devTools: !isPackaged,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  } as const;
}
