import { fork, type Serializable } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNELS, type HostingStartResult } from '../../src-shared/ipc/contract';

// Electron cannot run here, so main.ts runs against a recording stand-in of the electron module:
// this checks the wiring (which handlers, which policies, what happens on quit), not Electron.
type Listener = (...args: unknown[]) => unknown;
const recorded = vi.hoisted(() => ({
  appListeners: new Map<string, Listener>(),
  ipcHandlers: new Map<string, Listener>(),
  windows: [] as { options: Record<string, unknown>; loaded: string[]; sent: unknown[][] }[],
  privileged: [] as unknown[],
  protocolClients: [] as string[],
  permissionRequest: undefined as Listener | undefined,
  permissionCheck: undefined as Listener | undefined,
  beforeRequest: undefined as Listener | undefined,
  quit: vi.fn(),
  userData: '',
  setPaths: [] as [string, string][],
  menu: undefined as unknown,
  spellChecker: undefined as boolean | undefined,
  contentProtection: [] as boolean[],
}));

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = {
      on: () => {},
      send: (...args: unknown[]) => this.record.sent.push(args),
      isDestroyed: () => false,
    };
    record: { options: Record<string, unknown>; loaded: string[]; sent: unknown[][] };
    constructor(options: Record<string, unknown>) {
      this.record = { options, loaded: [], sent: [] };
      recorded.windows.push(this.record);
    }
    once() {}
    on() {}
    setContentProtection(on: boolean) {
      recorded.contentProtection.push(on);
    }
    isMinimized = () => false;
    restore() {}
    focus() {}
    loadURL(url: string) {
      this.record.loaded.push(url);
      return Promise.resolve();
    }
  }
  return {
    app: {
      requestSingleInstanceLock: () => true,
      setAsDefaultProtocolClient: (scheme: string) => recorded.protocolClients.push(scheme),
      on: (event: string, listener: Listener) => recorded.appListeners.set(event, listener),
      whenReady: () => Promise.resolve(),
      getPath: () => recorded.userData,
      setPath: (name: string, dir: string) => recorded.setPaths.push([name, dir]),
      quit: recorded.quit,
      setAppUserModelId: () => {},
      isPackaged: false,
      getName: () => 'LocalChat Desktop',
      accessibilitySupportEnabled: false,
    },
    clipboard: { readText: () => '', clear: () => {} },
    BrowserWindow,
    Menu: {
      buildFromTemplate: (template: unknown) => template,
      setApplicationMenu: (menu: unknown) => (recorded.menu = menu),
    },
    ipcMain: {
      handle: (channel: string, handler: Listener) => recorded.ipcHandlers.set(channel, handler),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => recorded.privileged.push(...schemes),
      handle: () => {},
    },
    session: {
      defaultSession: {
        setSpellCheckerEnabled: (on: boolean) => (recorded.spellChecker = on),
        setPermissionRequestHandler: (h: Listener) => (recorded.permissionRequest = h),
        setPermissionCheckHandler: (h: Listener) => (recorded.permissionCheck = h),
        webRequest: {
          onBeforeRequest: (_filter: unknown, h: Listener) => (recorded.beforeRequest = h),
        },
      },
    },
    // The room server's process: a Node child here, as server-process.test.ts runs it.
    utilityProcess: {
      fork: (entry: string) => {
        const child = fork(entry, [], { execArgv: ['--import', 'tsx'], serialization: 'advanced' });
        return {
          postMessage: (message: unknown) => child.send(message as Serializable),
          on: (event: string, listener: Listener) => child.on(event, listener),
          once: (event: string, listener: Listener) => child.once(event, listener),
          kill: () => child.kill('SIGKILL'),
        };
      },
    },
    safeStorage: {
      isEncryptionAvailable: () => false,
      getSelectedStorageBackend: () => 'basic_text',
      encryptString: () => Buffer.alloc(0),
      decryptString: () => '',
    },
  };
});

const fromApp = { senderFrame: { url: 'app://localchat/index.html' } };
const invoke = (channel: string, ...args: unknown[]) =>
  recorded.ipcHandlers.get(channel)!(fromApp, ...args);

describe('Electron main process wiring', () => {
  const signalListeners = () => [...process.listeners('SIGINT'), ...process.listeners('SIGTERM')];
  let ownSignalListeners: ReturnType<typeof signalListeners> = [];

  beforeAll(async () => {
    const before = new Set(signalListeners());
    recorded.userData = await mkdtemp(path.join(os.tmpdir(), 'localchat-main-'));
    process.argv.push('localchat://join/launchcode');
    await import('./main');
    await new Promise((resolve) => setTimeout(resolve, 0));
    ownSignalListeners = signalListeners().filter((l) => !before.has(l));
  });
  afterAll(async () => {
    // main.ts quits the app on SIGINT/SIGTERM; this worker must stay killable.
    for (const l of ownSignalListeners) {
      process.off('SIGINT', l);
      process.off('SIGTERM', l);
    }
    process.argv.splice(process.argv.indexOf('localchat://join/launchcode'), 1);
    await rm(recorded.userData, { recursive: true, force: true });
  });

  it('opens one hardened window on the app protocol', () => {
    expect(recorded.windows).toHaveLength(1);
    const { options, loaded } = recorded.windows[0]!;
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: expect.stringMatching(/preload\.cjs$/),
    });
    expect(loaded).toEqual(['app://localchat/index.html']);
    expect(recorded.privileged).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
    ]);
  });

  it('from source: its own profile, and the localchat:// scheme left to an installed app', () => {
    expect(recorded.setPaths).toEqual([
      ['userData', path.join(recorded.userData, 'LocalChat Desktop (development)')],
    ]);
    expect(recorded.protocolClients).toEqual([]);
  });

  it('sets the standard application menu (a build from source keeps the developer tools)', () => {
    const roles = JSON.stringify(recorded.menu);
    for (const role of [
      'copy',
      'paste',
      'selectAll',
      'zoomIn',
      'zoomOut',
      'quit',
      'toggleDevTools',
    ])
      expect(roles).toContain(`"role":"${role}"`);
    expect(recorded.windows[0]!.options.webPreferences).toMatchObject({ devTools: true });
  });

  it('turns off the spell checker, whose dictionaries would be downloaded from Google', () => {
    expect(recorded.spellChecker).toBe(false);
  });

  it('registers a validated handler for every invoke channel, and nothing else', async () => {
    expect([...recorded.ipcHandlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    await expect(invoke('hosting:start', { address: 'not-an-ip' })).rejects.toThrow(
      /invalid arguments/,
    );
    await expect(
      recorded.ipcHandlers.get('hosting:status')!({
        senderFrame: { url: 'https://evil.example/' },
      }),
    ).rejects.toThrow(/not the LocalChat page/);
  });

  it('denies permissions but notifications, blocks network loads, navigation and new windows', () => {
    const granted: boolean[] = [];
    recorded.permissionRequest!({}, 'media', (ok: boolean) => granted.push(ok), {
      requestingUrl: 'app://localchat/',
    });
    recorded.permissionRequest!({}, 'notifications', (ok: boolean) => granted.push(ok), {
      requestingUrl: 'app://localchat/index.html',
    });
    expect(granted).toEqual([false, true]);
    expect(recorded.permissionCheck!({}, 'geolocation', 'app://localchat')).toBe(false);

    const decisions: unknown[] = [];
    recorded.beforeRequest!({ url: 'https://example.com/tracker.js' }, (d: unknown) =>
      decisions.push(d),
    );
    recorded.beforeRequest!({ url: 'app://localchat/assets/x.js' }, (d: unknown) =>
      decisions.push(d),
    );
    expect(decisions).toEqual([{ cancel: true }, { cancel: false }]);

    const contentsListeners = new Map<string, Listener>();
    let openHandler: Listener | undefined;
    recorded.appListeners.get('web-contents-created')!(
      {},
      {
        on: (event: string, l: Listener) => contentsListeners.set(event, l),
        setWindowOpenHandler: (h: Listener) => (openHandler = h),
      },
    );
    const prevented = vi.fn();
    contentsListeners.get('will-navigate')!({ preventDefault: prevented }, 'https://evil.example/');
    contentsListeners.get('will-navigate')!(
      { preventDefault: prevented },
      'app://localchat/index.html',
    );
    expect(prevented).toHaveBeenCalledTimes(1);
    expect(openHandler!({ url: 'https://example.com' })).toEqual({ action: 'deny' });
  });

  it('routes localchat:// links: queued from launch, then sent as events', async () => {
    expect(await invoke('links:take-pending')).toEqual(['localchat://join/launchcode']);
    recorded.appListeners.get('second-instance')!({}, [
      '/usr/bin/localchat',
      'localchat://join/second',
    ]);
    recorded.appListeners.get('open-url')!({ preventDefault: () => {} }, 'localchat://join/mac');
    recorded.appListeners.get('open-url')!({ preventDefault: () => {} }, 'localchat://elsewhere/x');
    expect(recorded.windows[0]!.sent).toEqual([
      ['link:join', { link: 'localchat://join/second' }],
      ['link:join', { link: 'localchat://join/mac' }],
    ]);
  });

  it('takes links from second instances as each OS passes them, and nothing else', () => {
    const sent = recorded.windows[0]!.sent;
    sent.length = 0;
    const secondInstance = recorded.appListeners.get('second-instance')!;
    // Windows: the registered command line, with the switches Chromium adds before the link.
    secondInstance({}, [
      'C:\\Users\\ana\\AppData\\Local\\Programs\\LocalChat Desktop\\LocalChat Desktop.exe',
      '--allow-file-access-from-files',
      '--original-process-start-time=13372016474123456',
      'localchat://join/LC1.eyJhIjoxfQ.0a1b2c3d',
    ]);
    // Linux: xdg-open runs `localchat-desktop %U`; from source, `electron <app dir> <link>`.
    secondInstance({}, ['/opt/LocalChat Desktop/localchat-desktop', 'localchat://join/linux']);
    secondInstance({}, ['/usr/lib/electron', '/home/ana/localchat', 'LOCALCHAT://JOIN/upper']);
    // Not links: a plain second start, a --self-test, look-alikes and a file path.
    secondInstance({}, ['/opt/LocalChat Desktop/localchat-desktop']);
    secondInstance({}, ['/opt/LocalChat Desktop/localchat-desktop', '--self-test']);
    secondInstance({}, [
      'x',
      'localchat://join/a b',
      'localchat:join/abc',
      '/tmp/localchat://join',
    ]);
    recorded.appListeners.get('open-url')!({ preventDefault: () => {} }, 'javascript:alert(1)');
    expect(sent).toEqual([
      ['link:join', { link: 'localchat://join/LC1.eyJhIjoxfQ.0a1b2c3d' }],
      ['link:join', { link: 'localchat://join/linux' }],
      ['link:join', { link: 'localchat://join/upper' }],
    ]);
  });

  it('quits the app on SIGINT and SIGTERM', () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      recorded.quit.mockClear();
      // Only main.ts's own listeners: emitting the signal would reach vitest's too.
      const own = process.listeners(signal).filter((l) => ownSignalListeners.includes(l));
      expect(own, signal).toHaveLength(1);
      own[0]!(signal);
      expect(recorded.quit, signal).toHaveBeenCalledTimes(1);
    }
    recorded.quit.mockClear();
  });

  it('hosts through IPC and stops the room server before the app quits', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));

    const started = (await invoke('hosting:start', {
      address: '127.0.0.1',
      port,
    })) as HostingStartResult;
    expect(started).toMatchObject({ ok: true, status: { url: `https://127.0.0.1:${port}` } });
    // No real keychain here (basic_text on Linux), so a certificate cannot be kept.
    expect(await invoke('hosting:certificate')).toEqual({
      kept: false,
      encryptionAvailable: false,
    });

    const quitEvent = { preventDefault: vi.fn() };
    recorded.appListeners.get('before-quit')!(quitEvent);
    expect(quitEvent.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(recorded.quit).toHaveBeenCalled());
    expect(await invoke('hosting:status')).toBeNull();
    // The port is free again: the server is gone, and its rooms with it.
    const again = net.createServer();
    await new Promise<void>((resolve, reject) =>
      again.once('error', reject).listen(port, '127.0.0.1', resolve),
    );
    await new Promise((resolve) => again.close(resolve));
    // The second before-quit (from app.quit) lets the quit proceed.
    const secondQuit = { preventDefault: vi.fn() };
    recorded.appListeners.get('before-quit')!(secondQuit);
    expect(secondQuit.preventDefault).not.toHaveBeenCalled();
  });
});
