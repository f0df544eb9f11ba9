import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, clipboard, Menu, protocol, session } from 'electron';
import { createNodeWorkerS2kBackend } from '../crypto/nodeS2k';
import { Hosting } from '../hosting/hosting';
import { listInterfaces } from '../hosting/interfaces';
import { KeptCertificate } from '../hosting/kept-certificate';
import { findJoinLink, LINK_SCHEME, LinkRouter } from '../links/join-link';
import { request } from '../net/pinned-request';
import { startServer } from '../server/index';
import { generateCertificate, namesForHost } from '../server/transport/certificate';
import { electronLinkOpener, openExternalLink } from './external-links';
import { handle, sendEvent } from './ipc/main-ipc';
import { keychain } from './keychain';
import { CaptureProtectionControl } from './privacy/capture-protection';
import { clearIfHolds } from './privacy/main-clipboard';
import { applicationMenuTemplate, isDevToolsShortcut } from './menu/application-menu';
import { APP_ENTRY_URL, APP_ORIGIN, APP_SCHEME, resolveAppFile } from './security/app-protocol';
import { RENDERER_HEADERS } from './security/content-security-policy';
import { isNavigationAllowed, windowOpenDecision } from './security/navigation';
import { isPermissionAllowed } from './security/permissions';
import { isRendererRequestAllowed } from './security/requests';
import { hardenedWebPreferences } from './security/web-preferences';
import { createPageDriver } from './self-test/renderer-driver';
import { runSelfTest, wantsSelfTest } from './self-test/self-test';

// Laid out by scripts/build-main.mjs: dist/main/electron/{main.js,preload.cjs}, dist/renderer/.
const here = path.dirname(fileURLToPath(import.meta.url));
const PRELOAD = path.join(here, 'preload.cjs');
const RENDERER_DIR = path.join(here, '..', '..', 'renderer');

/**
 * `--self-test` checks an install and exits (see self-test/). It runs beside a running app in a
 * throwaway profile: no single-instance lock, no link registration, no kept certificate.
 */
const selfTest = wantsSelfTest(process.argv);
const selfTestProfile = selfTest
  ? mkdtempSync(path.join(os.tmpdir(), 'localchat-self-test-'))
  : null;
if (selfTestProfile) app.setPath('userData', selfTestProfile);

let mainWindow: BrowserWindow | null = null;
/** Screen-capture protection of the main window, on by default (see privacy/). */
let capture: CaptureProtectionControl | null = null;
const links = new LinkRouter((link) => {
  if (mainWindow) sendEvent(mainWindow.webContents, 'link:join', { link });
});

const hosting = new Hosting({
  startServer,
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

if (!selfTest && !app.requestSingleInstanceLock()) {
  // The running instance receives our argv (and any localchat:// link) via 'second-instance'.
  app.quit();
} else {
  if (!selfTest) registerLinkHandling();
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
  app.exit(result.ok ? 0 : 1);
}

function registerLinkHandling(): void {
  // Started from source (electron .), the OS must re-run electron with the app's path.
  if (process.defaultApp && process.argv[1]) {
    app.setAsDefaultProtocolClient(LINK_SCHEME, process.execPath, [path.resolve(process.argv[1])]);
  } else {
    app.setAsDefaultProtocolClient(LINK_SCHEME);
  }
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
  handle('server:request', request, fromApp);
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
  // A reload or crashed renderer must ask for pending links again before getting new ones.
  window.webContents.on('did-start-loading', () => links.reset());
  window.on('closed', () => {
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
  let stopped = false;
  app.on('before-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    void hosting
      .stop()
      .catch((err: unknown) => console.error('Stopping the room server failed:', err))
      .finally(() => {
        stopped = true;
        app.quit();
      });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
}
