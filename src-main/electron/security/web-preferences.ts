/**
 * The main window's webPreferences (a plain object so it can be checked without Electron): the
 * page gets no Node.js, runs sandboxed in its own isolated world, and reaches main only through
 * the preload's `window.localchat`.
 */
export function hardenedWebPreferences(preload: string) {
  return {
    preload,
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
