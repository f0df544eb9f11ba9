import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, clipboard, Menu, Notification, protocol, session } from 'electron';
import { createNodeWorkerS2kBackend } from '../crypto/nodeS2k';
import { Hosting } from '../hosting/hosting';
import { listInterfaces } from '../hosting/interfaces';
import { KeptCertificate } from '../hosting/kept-certificate';
import { findJoinLink, LINK_SCHEME, LinkRouter } from '../links/join-link';
import { request } from '../net/pinned-request';
import { serverInProcessOf } from '../hosting/server-process';
import { describeEngine, storeEngine } from '../server/store/sqlite-engine';
import { generateCertificate, namesForHost } from '../server/transport/certificate';
import { appProfile } from './app-profile';
import { electronLinkOpener, openExternalLink } from './external-links';
import { forkUtilityServerProcess, tellOwnerServerRestarted } from './room-server-process';
import { handle, sendEvent } from './ipc/main-ipc';
import { DesktopNotifications } from './notifications';
import { keychain } from './keychain';
import { resetLinksWhenPageGoes } from './link-resets';
import { CaptureProtectionControl } from './privacy/capture-protection';
import { clearIfHolds } from './privacy/main-clipboard';
import { applicationMenuTemplate, isDevToolsShortcut } from './menu/application-menu';
import { APP_ENTRY_URL, APP_ORIGIN, APP_SCHEME, resolveAppFile } from './security/app-protocol';
import { RENDERER_HEADERS } from './security/content-security-policy';
import { isNavigationAllowed, windowOpenDecision } from './security/navigation';
import { isPermissionAllowed } from './security/permissions';
import { isRendererRequestAllowed } from './security/requests';
import { InFlight, QuitGate } from './quit-gate';
import { hardenedWebPreferences } from './security/web-preferences';
import { exitAfterFlush } from './self-test/exit-after-flush';
import { createPageDriver } from './self-test/renderer-driver';
import { runSelfTest, wantsSelfTest } from './self-test/self-test';

// Laid out by scripts/build-main.mjs: dist/main/electron/{main.js,preload.cjs}, dist/renderer/.
const here = path.dirname(fileURLToPath(import.meta.url));
const PRELOAD = path.join(here, 'preload.cjs');
const RENDERER_DIR = path.join(here, '..', '..', 'renderer');

/** `--self-test` checks an install and exits (see self-test/); app-profile.ts says where it runs. */
const selfTest = wantsSelfTest(process.argv);
const profile = appProfile({
  isPackaged: app.isPackaged,
  selfTest,
  appData: app.getPath('appData'),
  appName: app.getName(),
  makeTemporary: () => mkdtempSync(path.join(os.tmpdir(), 'localchat-self-test-')),
});
if (profile.userData) app.setPath('userData', profile.userData);
const selfTestProfile = selfTest ? profile.userData : null;

/** Which SQLite the room store will run on (sqlite-engine.ts), or why none can. */
const engine = storeEngine();

let mainWindow: BrowserWindow | null = null;
const notifications = new DesktopNotifications(
  (options) => new Notification(options),
  () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  },
);
/** Screen-capture protection of the main window, on by default (see privacy/). */
let capture: CaptureProtectionControl | null = null;
const links = new LinkRouter((link) => {
  if (mainWindow) sendEvent(mainWindow.webContents, 'link:join', { link });
});

const hosting: Hosting = new Hosting({
  // In a process of its own: a flood against the rooms never stalls this loop (IPC, menus).
  startServer: serverInProcessOf({
    spawn: forkUtilityServerProcess,
    onRestart: (event) => {
      tellOwnerServerRestarted(mainWindow, event);
      if (!event.restarted) void hosting.stop();
    },
  }),
  // A kept certificate names every current address, so it stays right if the host switches interface.
  generateCertificate: () => {
    const { hostnames, ips } = namesForHost('0.0.0.0');
    return generateCertificate(hostnames, ips);
  },
  keptCertificate: new KeptCertificate(
    path.join(app.getPath('userData'), 'hosting-certificate.json'),
    keychain,
  ),
  webDir: RENDERER_DIR,
  // The self-test's report is the output there; the server's log lines would break it up.
  log: selfTest ? () => {} : (line) => console.log(line),
});

/** The renderer's decryption hands GnuPG-sized S2K work here (see 'crypto:s2k-digests'). */
const s2k = createNodeWorkerS2kBackend();
/** Calls to LocalChat servers under way (a member leaving as the window closes): quit waits. */
const requests = new InFlight();

if (profile.singleInstance && !app.requestSingleInstanceLock()) {
  // The running instance receives our argv (and any localchat:// link) via 'second-instance'.
  app.quit();
} else {
  // Said before anything can fail on it: one line, with the fixing command if neither can run.
  if (engine.engine === null) console.error(engine.problem);
  else if (!selfTest) console.log(`Room store: ${describeEngine(engine)}`);
  if (!selfTest) registerLinkHandling(profile.registerScheme);
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isNavigationAllowed(url, APP_ORIGIN)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isNavigationAllowed(url, APP_ORIGIN)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(windowOpenDecision);
    if (app.isPackaged) {
      contents.on('before-input-event', (event, input) => {
        if (isDevToolsShortcut(input, process.platform)) event.preventDefault();
      });
      contents.on('devtools-opened', () => contents.closeDevTools());
    }
  });
  if (!selfTest) registerQuitHandling();
  void app.whenReady().then(() => {
    if (process.platform === 'win32') app.setAppUserModelId('org.localchat.desktop');
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        applicationMenuTemplate({
          platform: process.platform,
          isPackaged: app.isPackaged,
          appName: app.getName(),
        }),
      ),
    );
    hardenSession();
    serveRenderer();
    registerIpc();
    if (selfTest) void runSelfTestAndExit();
    else mainWindow = createWindow().window;
  });
}

async function runSelfTestAndExit(): Promise<void> {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const result = await runSelfTest(
    {
      async startHosting() {
        // Port 0: whatever is free, so it never collides with a room the user is hosting.
        const started = await hosting.start({ address: '127.0.0.1', port: 0 });
        if (!started.ok) throw new Error(started.error.message);
        return started.status;
      },
      stopHosting: () => hosting.stop(),
      storeEngine: () => describeEngine(engine),
      async openWindow() {
        const { window, loaded } = createWindow();
        mainWindow = window;
        await loaded;
        return createPageDriver((script) => window.webContents.executeJavaScript(script, true));
      },
      request,
    },
    print,
  ).catch((error: unknown) => {
    print(`self-test FAILED: ${error instanceof Error ? error.message : String(error)}`);
    return { ok: false as const };
  });
  await hosting.stop().catch(() => undefined);
  try {
    if (selfTestProfile) rmSync(selfTestProfile, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    // Windows keeps the profile's files locked until Chromium exits; the OS cleans its temp dir.
  }
  exitAfterFlush(process.stdout, (code) => app.exit(code), result.ok ? 0 : 1);
}

/** Links arrive in argv, as events, and from second instances; only an installed app registers. */
function registerLinkHandling(registerScheme: boolean): void {
  if (registerScheme) app.setAsDefaultProtocolClient(LINK_SCHEME);
  const launchedWith = findJoinLink(process.argv);
  if (launchedWith) links.route(launchedWith);
  // macOS delivers links as events, also before 'ready'.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    links.route(url);
  });
  // Windows and Linux start a second instance with the link as an argument.
  app.on('second-instance', (_event, argv) => {
    const link = findJoinLink(argv);
    if (link) links.route(link);
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
}

function hardenSession(): void {
  const ses = session.defaultSession;
  // Chromium's spell checker downloads dictionaries from Google: a request nobody asked for.
  ses.setSpellCheckerEnabled(false);
  ses.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(isPermissionAllowed(permission, details.requestingUrl, APP_ORIGIN)),
  );
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin, APP_ORIGIN),
  );
  ses.webRequest.onBeforeRequest({ urls: ['<all_urls>'] }, (details, callback) =>
    callback({ cancel: !isRendererRequestAllowed(details.url) }),
  );
}

function serveRenderer(): void {
  protocol.handle(APP_SCHEME, async (req) => {
    const target = resolveAppFile(req.url, RENDERER_DIR);
    if (!target) return new Response(null, { status: 404 });
    try {
      const body = await readFile(target.file);
      return new Response(body, {
        headers: { ...RENDERER_HEADERS, 'Content-Type': target.contentType },
      });
    } catch {
      return new Response(null, { status: 404 });
    }
  });
}

function registerIpc(): void {
  const fromApp = (frameUrl: string) => isNavigationAllowed(frameUrl, APP_ORIGIN);
  // A long poll may hang for its whole wait: quitting waits for the others (a leave), not it.
  handle(
    'server:request',
    (req) => (req.action === 'pollMsg' ? request(req) : requests.track(request(req))),
    fromApp,
  );
  handle('hosting:interfaces', async () => listInterfaces(), fromApp);
  handle('hosting:start', (options) => hosting.start(options), fromApp);
  handle('hosting:stop', () => hosting.stop(), fromApp);
  handle('hosting:status', async () => hosting.status(), fromApp);
  handle('hosting:certificate', () => hosting.certificateInfo(), fromApp);
  handle('hosting:forget-certificate', () => hosting.forgetCertificate(), fromApp);
  handle('links:take-pending', async () => links.takePending(), fromApp);
  handle(
    'crypto:s2k-digests',
    (req) => s2k.repeatedDigests(req.hash, req.pattern, req.count, req.contexts),
    fromApp,
  );
  const opener = electronLinkOpener(() => mainWindow);
  handle('links:open-external', (url) => openExternalLink(url, opener), fromApp);
  handle('notifications:show', async (n) => notifications.show(n), fromApp);
  handle('notifications:close', async (ids) => notifications.closeFor(ids), fromApp);
  handle('notifications:close-all', async () => notifications.closeAll(), fromApp);
  handle('clipboard:clear-if', (text) => clearIfHolds(clipboard, text), fromApp);
  handle('capture:status', async () => capture?.status() ?? { state: 'unavailable' }, fromApp);
  handle('capture:set', async (on) => capture?.set(on) ?? { state: 'unavailable' }, fromApp);
}

function createWindow(): { window: BrowserWindow; loaded: Promise<void> } {
  const window = new BrowserWindow({
    width: 1100,
    height: 760,
    minWidth: 420,
    minHeight: 480,
    show: false,
    title: 'LocalChat',
    autoHideMenuBar: true,
    webPreferences: hardenedWebPreferences(PRELOAD, { isPackaged: app.isPackaged }),
  });
  capture = new CaptureProtectionControl({ platform: process.platform, app, window });
  window.once('ready-to-show', () => window.show());
  resetLinksWhenPageGoes(window.webContents, links);
  // A reload or a dead renderer ends the page's session: nothing it was notified of may stay.
  resetLinksWhenPageGoes(window.webContents, { reset: () => notifications.closeAll() });
  window.on('closed', () => {
    notifications.closeAll();
    if (mainWindow === window) mainWindow = null;
  });
  const loaded = window.loadURL(APP_ENTRY_URL);
  // The self-test awaits it; the normal window shows a load failure in itself.
  loaded.catch(() => undefined);
  return { window, loaded };
}

function registerQuitHandling(): void {
  // The room server lives as long as the app: closing the window ends every room.
  app.on('window-all-closed', () => app.quit());
  const gate = new QuitGate({
    stopHosting: () => hosting.stop(),
    inFlight: () => requests.all(),
    quit: () => app.quit(),
    log: (line) => console.error(line),
    delay: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
  app.on('before-quit', () => notifications.closeAll());
  app.on('before-quit', (event) => gate.beforeQuit(event));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
}
