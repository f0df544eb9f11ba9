import { fork, type Serializable } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// main.ts started with --self-test, against a stand-in electron module whose page never shows
// the start screen: checks the mode's wiring (no lock, no link registration, throwaway profile,
// report, exit status, server stopped). The whole run in real Electron is in e2e/electron.spec.ts.
type Listener = (...args: unknown[]) => unknown;
const recorded = vi.hoisted(() => ({
  exit: vi.fn(),
  lock: vi.fn(() => true),
  protocolClients: [] as string[],
  userData: [] as string[],
  scripts: [] as { script: string; userGesture: boolean }[],
  appListeners: new Map<string, Listener>(),
}));

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = {
      on: () => {},
      send: () => {},
      isDestroyed: () => false,
      executeJavaScript: async (script: string, userGesture: boolean) => {
        recorded.scripts.push({ script, userGesture });
        return { ok: false, error: 'no form "Create a room" after 20 s' };
      },
    };
    once() {}
    on() {}
    loadURL() {
      return Promise.resolve();
    }
  }
  return {
    app: {
      requestSingleInstanceLock: recorded.lock,
      setAsDefaultProtocolClient: (scheme: string) => recorded.protocolClients.push(scheme),
      on: (event: string, listener: Listener) => recorded.appListeners.set(event, listener),
      whenReady: () => Promise.resolve(),
      setPath: (_name: string, dir: string) => recorded.userData.push(dir),
      getPath: () => recorded.userData.at(-1) ?? '/nonexistent',
      exit: recorded.exit,
      quit: vi.fn(),
      setAppUserModelId: () => {},
      isPackaged: true,
      getName: () => 'LocalChat Desktop',
    },
    BrowserWindow,
    clipboard: { readText: () => '', clear: () => {} },
    Notification: class {},
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
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: () => {} },
    ipcMain: { handle: () => {} },
    protocol: { registerSchemesAsPrivileged: () => {}, handle: () => {} },
    session: {
      defaultSession: {
        setSpellCheckerEnabled: () => {},
        setPermissionRequestHandler: () => {},
        setPermissionCheckHandler: () => {},
        webRequest: { onBeforeRequest: () => {} },
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

describe('main.ts with --self-test', () => {
  const printed: string[] = [];

  beforeAll(async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(
      (chunk: string | Uint8Array, ...rest: unknown[]) => {
        printed.push(String(chunk));
        // The app exits from the callback of its last write (exitAfterFlush).
        const done = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
        if (done) setTimeout(done, 0);
        return true;
      },
    );
    process.argv.push('--self-test');
    await import('./main');
    await vi.waitFor(() => expect(recorded.exit).toHaveBeenCalled(), { timeout: 20_000 });
  });
  afterAll(() => {
    process.argv.splice(process.argv.indexOf('--self-test'), 1);
    vi.restoreAllMocks();
  });

  it('runs beside a running app: no single-instance lock, no link registration, no quit hooks', () => {
    expect(recorded.lock).not.toHaveBeenCalled();
    expect(recorded.protocolClients).toEqual([]);
    expect([...recorded.appListeners.keys()]).not.toContain('second-instance');
    expect([...recorded.appListeners.keys()]).not.toContain('before-quit');
  });

  it('uses a throwaway profile and removes it', () => {
    expect(recorded.userData).toHaveLength(1);
    expect(recorded.userData[0]).toMatch(/localchat-self-test-/);
    expect(existsSync(recorded.userData[0]!)).toBe(false);
  });

  it('drives the page through executeJavaScript and reports the failing step', () => {
    expect(recorded.scripts[0]).toMatchObject({ userGesture: true });
    expect(recorded.scripts[0]!.script).toContain('"waitForStartScreen"');
    const report = printed.join('');
    // The hosting step names the SQLite the store runs on: here, the Node that runs the tests.
    expect(report).toMatch(
      /^ok 1 - host a room server on loopback \(https:\/\/127\.0\.0\.1:\d+, store on (better-sqlite3|node:sqlite) \(.+\)\)$/m,
    );
    expect(report).toContain('not ok 2 - open the window: no form "Create a room" after 20 s');
    expect(report).toContain('self-test FAILED at step 2 (open the window)');
  });

  it('exits non-zero, with its room server stopped', async () => {
    expect(recorded.exit).toHaveBeenCalledWith(1);
    const port = Number(/127\.0\.0\.1:(\d+)/.exec(printed.join(''))![1]);
    const connected = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    expect(connected).toBe(false);
  });
});
