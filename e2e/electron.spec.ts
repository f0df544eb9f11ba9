import {
  _electron as electron,
  expect,
  test,
  type ElectronApplication,
  type Page,
} from '@playwright/test';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronEnvironment, findElectronBinary } from '../scripts/electron-binary.mjs';
import { electronSandboxBlocked } from '../scripts/electron-sandbox.mjs';
import { SELF_TEST_STEPS } from '../src-main/electron/self-test/self-test';
import type { HostingStartResult, LocalChatBridge, ServerReply } from '../src-shared/ipc/contract';

// Drives the real desktop app: the built app (dist/) in node_modules' Electron. Skipped, saying
// why, where no Electron binary can run (it is never downloaded on this project's CI machine),
// unless LOCALCHAT_REQUIRE_ELECTRON=1 makes that a failure. LOCALCHAT_APP=<packaged executable>
// runs the self-test of an installed build instead of the source build's; the other tests need
// the source build, since a packaged app's fuses refuse the inspector Playwright connects with.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const packagedApp = process.env.LOCALCHAT_APP;
const sourceBinary = findElectronBinary(root);

function whyNoElectron(): string | null {
  if (packagedApp && !existsSync(packagedApp)) return `LOCALCHAT_APP=${packagedApp} does not exist`;
  if (!sourceBinary) {
    return 'node_modules/electron has no binary (run `node node_modules/electron/install.js` where downloads work)';
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return 'no display (DISPLAY unset); run under xvfb-run';
  }
  // As scripts/launch.mjs: Ubuntu 23.10+ without a setuid chrome-sandbox aborts at start.
  return electronSandboxBlocked(sourceBinary);
}

const reason = whyNoElectron();
// The CI workflows set LOCALCHAT_REQUIRE_ELECTRON=1: where Electron runs, a skip would hide that
// the desktop app was never tested, so it fails instead.
const required = process.env.LOCALCHAT_REQUIRE_ELECTRON === '1';
if (reason) {
  console.log(
    required
      ? `[electron.spec] FAILED: LOCALCHAT_REQUIRE_ELECTRON=1 but Electron cannot run: ${reason}`
      : `[electron.spec] skipped: Electron cannot run here: ${reason}`,
  );
}

/** The command that starts the app (from source unless LOCALCHAT_APP) with `args`. */
function appCommand(args: string[], packaged = false): { command: string; args: string[] } {
  return packaged && packagedApp
    ? { command: packagedApp, args }
    : { command: sourceBinary!, args: [root, ...args] };
}

/** Runs the app to its exit; resolves with the exit code and everything it printed. */
function runApp(
  args: string[],
  packaged = false,
): Promise<{ code: number | null; output: string }> {
  const { command, args: argv } = appCommand(args, packaged);
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, {
      cwd: root,
      env: electronEnvironment(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

/** In the page: no DOM lib in this tsconfig, so the page's globals are typed here. */
type PageGlobals = {
  localchat?: LocalChatBridge;
  require?: unknown;
  process?: unknown;
  open(url: string): unknown;
};

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * Each test gets its own app, so one failure never skips or spoils the tests after it (a serial
 * group would hide every later failure behind the first).
 */
const desktopTest = test.extend<{ desktop: { app: ElectronApplication; page: Page } }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture's dependencies from it
  desktop: async ({}, use) => {
    // No executablePath: Playwright then uses node_modules' electron with its own loader.
    const app = await electron.launch({
      args: [root],
      cwd: root,
      env: electronEnvironment() as Record<string, string>,
    });
    const page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
    await use({ app, page });
    // A test that quit the app itself leaves nothing to close.
    if (app.process().exitCode === null && app.process().signalCode === null) await app.close();
  },
});

desktopTest.describe('desktop app (Electron)', () => {
  desktopTest.skip(reason !== null && !required, `Electron cannot run here: ${reason}`);

  desktopTest.beforeAll(() => {
    if (reason !== null) throw new Error(`LOCALCHAT_REQUIRE_ELECTRON=1, but ${reason}`);
    execFileSync(process.execPath, [path.join(root, 'scripts', 'build-main.mjs')], { cwd: root });
  });

  desktopTest(
    '--self-test passes every check and exits 0, beside the running app',
    async ({ desktop: { app, page } }) => {
      const { code, output } = await runApp(['--self-test'], true);
      expect(output).toContain(`self-test passed: all ${SELF_TEST_STEPS.length} checks`);
      SELF_TEST_STEPS.forEach((name, i) => expect(output).toContain(`ok ${i + 1} - ${name}`));
      expect(output).not.toMatch(/^not ok/m);
      // The hosting step names the SQLite the store runs on in Electron.
      expect(output).toMatch(/^ok 1 - .*, store on (node:sqlite|better-sqlite3) \(/m);
      expect(code).toBe(0);
      // The running app was left alone: still one window, on its start screen.
      expect(app.windows()).toHaveLength(1);
      await expect(page.getByRole('heading', { name: 'LocalChat' })).toBeVisible();
    },
  );

  desktopTest(
    'shows the app page, isolated from Node, with only the localchat bridge',
    async ({ desktop: { page } }) => {
      expect(page.url()).toBe('app://localchat/index.html');
      await expect(page.getByRole('heading', { name: 'LocalChat' })).toBeVisible();
      const exposed = await page.evaluate(() => {
        const g = globalThis as unknown as PageGlobals;
        return {
          bridge: g.localchat ? Object.keys(g.localchat).sort() : null,
          require: typeof g.require,
          process: typeof g.process,
        };
      });
      expect(exposed).toEqual({
        bridge: ['invoke', 'on', 'request'],
        require: 'undefined',
        process: 'undefined',
      });
    },
  );

  desktopTest(
    'refuses new windows, network loads from the page and malformed IPC arguments',
    async ({ desktop: { page } }) => {
      const outcome = await page.evaluate(async () => {
        const g = globalThis as unknown as PageGlobals;
        const opened = g.open('https://127.0.0.1:9/');
        const fetched = await fetch('https://127.0.0.1:9/').then(
          () => 'loaded',
          () => 'blocked',
        );
        const invalid = await g
          .localchat!.invoke('hosting:start', { address: 'not an address' } as never)
          .then(
            () => 'accepted',
            (e: Error) => e.message,
          );
        return { opened: opened === null, fetched, invalid };
      });
      expect(outcome).toEqual({
        opened: true,
        fetched: 'blocked',
        invalid: expect.stringMatching(/invalid arguments/),
      });
    },
  );

  desktopTest(
    'hosts a room server and talks to it through main with the pinned certificate',
    async ({ desktop: { page } }) => {
      const port = await freePort();
      const result = await page.evaluate(async (port) => {
        const bridge = (globalThis as unknown as PageGlobals).localchat!;
        const interfaces = await bridge.invoke('hosting:interfaces');
        const started: HostingStartResult = await bridge.invoke('hosting:start', {
          address: '127.0.0.1',
          port,
        });
        if (!started.ok) return { interfaces, started, created: null, wrongPin: null };
        const createRoom = { roomName: 'e2e', owner: 'ana', pass: 'PASSWORD12345678' };
        const created: ServerReply = await bridge.request({
          url: started.status.url,
          action: 'createRoom',
          payload: createRoom,
          fingerprint: started.status.fingerprint,
        });
        const wrongPin: ServerReply = await bridge.request({
          url: started.status.url,
          action: 'createRoom',
          payload: { ...createRoom, roomName: 'e2e-2' },
          fingerprint: '00'.repeat(32),
        });
        await bridge.invoke('hosting:stop');
        return { interfaces, started, created, wrongPin };
      }, port);
      expect(result.interfaces).toContainEqual(
        expect.objectContaining({ address: '127.0.0.1', internal: true }),
      );
      expect(result.started).toMatchObject({
        ok: true,
        status: { url: `https://127.0.0.1:${port}` },
      });
      expect(result.created).toMatchObject({
        kind: 'response',
        status: 200,
        body: { status: 'ok', name: 'e2e' },
      });
      expect(result.wrongPin).toMatchObject({ kind: 'certificate-mismatch' });
    },
  );

  desktopTest(
    'runs the page in an OS sandbox and in its own world, apart from the preload',
    async ({ desktop: { app, page } }) => {
      const { pid, metrics } = await app.evaluate(({ app: electronApp, BrowserWindow }) => {
        const pid = BrowserWindow.getAllWindows()[0]!.webContents.getOSProcessId();
        return { pid, metrics: electronApp.getAppMetrics().find((m) => m.pid === pid) ?? null };
      });
      // What the OS says, not just what was asked: seccomp-bpf filtering (mode 2) on Linux,
      // Chromium's own report on macOS and Windows.
      if (process.platform === 'linux') {
        expect(readFileSync(`/proc/${pid}/status`, 'utf8')).toMatch(/^Seccomp:\s+2$/m);
      } else {
        expect(metrics?.sandboxed).toBe(true);
      }
      // contextBridge only works with context isolation, and hands the page proxies: the
      // preload's own functions (which hold ipcRenderer) never reach the page's world.
      const bridgeSource = await page.evaluate(() => {
        const bridge = (globalThis as unknown as PageGlobals).localchat!;
        return [bridge.invoke, bridge.on, bridge.request].map(String).join('\n');
      });
      expect(bridgeSource).not.toMatch(/ipcRenderer|invokable|contextBridge/);
    },
  );

  desktopTest(
    'refuses to navigate the window away from the app',
    async ({ desktop: { app, page } }) => {
      await app.evaluate(({ BrowserWindow }) => {
        const seen: string[] = [];
        (globalThis as unknown as { navigations: string[] }).navigations = seen;
        const contents = BrowserWindow.getAllWindows()[0]!.webContents;
        contents.on('will-navigate', (_event, url) => seen.push(url));
        contents.on('did-navigate', (_event, url) => seen.push(`navigated ${url}`));
      });
      await page.evaluate(() => {
        (globalThis as unknown as { location: { href: string } }).location.href =
          'https://127.0.0.1:9/phish';
      });
      const navigations = () =>
        app.evaluate(() => (globalThis as unknown as { navigations: string[] }).navigations);
      await expect.poll(navigations).toContain('https://127.0.0.1:9/phish');
      expect(await navigations()).toEqual(['https://127.0.0.1:9/phish']);
      expect(page.url()).toBe('app://localchat/index.html');
      await expect(page.getByRole('heading', { name: 'LocalChat' })).toBeVisible();
    },
  );

  desktopTest(
    'opens no window for window.open and refuses malformed or unknown IPC',
    async ({ desktop: { app, page } }) => {
      const outcome = await page.evaluate(async () => {
        const g = globalThis as unknown as PageGlobals;
        const bridge = g.localchat!;
        const refusal = (call: () => Promise<unknown>) =>
          call().then(
            () => 'accepted',
            (e: Error) => e.message,
          );
        return {
          opened: g.open('app://localchat/index.html') === null,
          fileUrl: await refusal(() =>
            bridge.request({ url: 'file:///etc/passwd', action: 'pollMsg', payload: {} }),
          ),
          hugeS2k: await refusal(() =>
            bridge.invoke('crypto:s2k-digests', {
              hash: 'SHA-1',
              pattern: new Uint8Array(24),
              count: 1e12,
              contexts: 1,
            }),
          ),
          extraArgument: await refusal(() =>
            (bridge.invoke as (c: string, ...a: unknown[]) => Promise<unknown>)(
              'hosting:status',
              'extra',
            ),
          ),
          unknownChannel: await refusal(() =>
            (bridge.invoke as (c: string) => Promise<unknown>)('fs:read'),
          ),
        };
      });
      expect(outcome).toEqual({
        opened: true,
        fileUrl: expect.stringMatching(/invalid arguments/),
        hugeS2k: expect.stringMatching(/invalid arguments/),
        extraArgument: expect.stringMatching(/invalid arguments/),
        unknownChannel: expect.stringMatching(/Unknown channel fs:read/),
      });
      expect(app.windows()).toHaveLength(1);
    },
  );

  desktopTest(
    'keeps the window out of screen captures where the OS offers it; steps aside for assistive technology and on request',
    async ({ desktop: { app, page } }) => {
      const capture = (on?: boolean) =>
        page.evaluate((wanted) => {
          const bridge = (globalThis as unknown as PageGlobals).localchat!;
          return wanted === undefined
            ? bridge.invoke('capture:status')
            : bridge.invoke('capture:set', wanted);
        }, on);
      if (process.platform !== 'darwin' && process.platform !== 'win32') {
        expect(await capture()).toEqual({ state: 'unavailable' });
        expect(await capture(true)).toEqual({ state: 'unavailable' });
        return;
      }
      const isProtected = () =>
        app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.isContentProtected());
      // A CI runner has no screen reader: on by default.
      expect(await capture()).toEqual({ state: 'on' });
      expect(await isProtected()).toBe(true);
      expect(await capture(false)).toEqual({ state: 'off', reason: 'member' });
      expect(await isProtected()).toBe(false);
      await app.evaluate(({ app: electronApp }) =>
        electronApp.setAccessibilitySupportEnabled(true),
      );
      await expect
        .poll(() => capture(true))
        .toEqual({ state: 'off', reason: 'assistive-technology' });
      expect(await isProtected()).toBe(false);
      await app.evaluate(({ app: electronApp }) =>
        electronApp.setAccessibilitySupportEnabled(false),
      );
      await expect.poll(() => capture(true)).toEqual({ state: 'on' });
      expect(await isProtected()).toBe(true);
    },
  );

  desktopTest(
    'clears the clipboard through main only while it holds the room text',
    async ({ desktop: { app, page } }) => {
      const clearIf = (text: string) =>
        page.evaluate(
          (t) => (globalThis as unknown as PageGlobals).localchat!.invoke('clipboard:clear-if', t),
          text,
        );
      await app.evaluate(({ clipboard }) => clipboard.writeText('room text'));
      expect(await clearIf('other text')).toBe(false);
      expect(await app.evaluate(({ clipboard }) => clipboard.readText())).toBe('room text');
      expect(await clearIf('room text')).toBe(true);
      expect(await app.evaluate(({ clipboard }) => clipboard.readText())).toBe('');
    },
  );

  desktopTest('has the standard menu: editing, zoom and quit', async ({ desktop: { app } }) => {
    const roles = await app.evaluate(({ Menu }) => {
      const walk = (menu: Electron.Menu): string[] =>
        menu.items.flatMap((item) => [
          ...(item.role ? [String(item.role).toLowerCase()] : []),
          ...(item.submenu ? walk(item.submenu) : []),
        ]);
      const menu = Menu.getApplicationMenu();
      return menu ? walk(menu) : [];
    });
    for (const role of ['copy', 'paste', 'selectall', 'zoomin', 'zoomout', 'resetzoom', 'quit'])
      expect(roles).toContain(role);
  });

  desktopTest(
    'after a refused navigation, links from a second launch still reach the page',
    async ({ desktop: { app, page } }) => {
      await page.evaluate(() => {
        (globalThis as unknown as { location: { href: string } }).location.href =
          'https://127.0.0.1:9/phish';
      });
      await expect
        .poll(() =>
          app.evaluate(({ BrowserWindow }) =>
            BrowserWindow.getAllWindows()[0]!.webContents.isLoading(),
          ),
        )
        .toBe(false);
      const link = 'localchat://join/LC1.e30.11111111';
      expect((await runApp([link])).code).toBe(0);
      await expect(page.getByLabel('Invite code, localchat:// link or /join line')).toHaveValue(
        link,
      );
    },
  );

  desktopTest(
    'from source: its own profile, no localchat:// registration, the store named',
    async ({ desktop: { app } }) => {
      const seen = await app.evaluate(({ app: electronApp }) => ({
        userData: electronApp.getPath('userData'),
        registered: electronApp.isDefaultProtocolClient('localchat'),
      }));
      expect(seen.userData).toMatch(/LocalChat Desktop \(development\)$/);
      expect(seen.registered).toBe(false);
    },
  );

  desktopTest(
    'quits while hosting even with a connection stuck before its TLS handshake',
    async ({ desktop: { page, app } }) => {
      const port = await freePort();
      const started = await page.evaluate(
        (port) =>
          (globalThis as unknown as PageGlobals).localchat!.invoke('hosting:start', {
            address: '127.0.0.1',
            port,
          }),
        port,
      );
      expect(started).toMatchObject({ ok: true });
      // Connected, never says hello: server.close() alone would wait for it for up to 15 s.
      const stuck = net.connect(port, '127.0.0.1');
      await new Promise((resolve) => stuck.once('connect', resolve));
      const exited = new Promise<number | null>((resolve) => app.process().once('exit', resolve));
      await app.evaluate(({ app: electronApp }) => electronApp.quit());
      // The quit's bound is 2 s; 8 s only catches the unbounded wait (15 s), not a slow runner.
      const inTime = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 8_000)),
      ]);
      expect(inTime).toBe(true);
      stuck.destroy();
    },
  );

  desktopTest(
    'a second launch hands its localchat:// link to the running app and quits',
    async ({ desktop: { app, page } }) => {
      const link = 'localchat://join/LC1.e30.00000000';
      const second = await runApp([link]);
      expect(second.code).toBe(0);
      await expect(page.getByLabel('Invite code, localchat:// link or /join line')).toHaveValue(
        link,
      );
      expect(app.windows()).toHaveLength(1);
    },
  );
});
