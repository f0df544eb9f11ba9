import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getPage as get } from '../src-main/server/testing/raw-client';
import {
  describeDownloadFailure,
  downloadedBytes,
  electronEnvironment,
} from './electron-binary.mjs';

const root = path.resolve(import.meta.dirname, '..');

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('describeDownloadFailure', () => {
  it("turns the failed download's stack trace into one line a user can act on", () => {
    const trace = [
      'RequestError: getaddrinfo ENOTFOUND github.com',
      '    at ClientRequest.<anonymous> (/app/node_modules/got/source/request-as-event-emitter.js:178:14)',
      '    at Object.onceWrapper (node:events:633:26)',
    ].join('\n');
    expect(describeDownloadFailure(trace)).toBe(
      'its download server github.com cannot be found (no internet connection?)',
    );
    expect(describeDownloadFailure('TypeError: fetch failed\n    at node:internal/x:1:1\n')).toBe(
      'its download server cannot be reached (no internet connection?)',
    );
    expect(describeDownloadFailure('\nHTTPError: Response code 404 (Not Found)\n    at x\n')).toBe(
      'the download failed: HTTPError: Response code 404 (Not Found)',
    );
    expect(describeDownloadFailure('')).toBe('the download failed');
  });
});

describe('downloadedBytes', () => {
  it("counts what @electron/get's download folders hold, made since the download started", () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'lc-download-'));
    const started = Date.now();
    mkdirSync(path.join(tmp, 'electron-download-abc'));
    writeFileSync(path.join(tmp, 'electron-download-abc', 'electron.zip'), Buffer.alloc(3000));
    mkdirSync(path.join(tmp, 'unrelated'));
    writeFileSync(path.join(tmp, 'unrelated', 'x'), Buffer.alloc(500));
    expect(downloadedBytes(started, tmp)).toBe(3000);
    expect(downloadedBytes(started + 60_000, tmp)).toBe(0);
    expect(downloadedBytes(started, path.join(tmp, 'absent'))).toBe(0);
    rmSync(tmp, { recursive: true, force: true });
  });
});

describe('electronEnvironment', () => {
  it('starts Electron as Electron even when an editor set ELECTRON_RUN_AS_NODE', () => {
    const env = electronEnvironment({ ELECTRON_RUN_AS_NODE: '1', PATH: '/usr/bin', HOME: '/h' });
    expect(env).toEqual({ PATH: '/usr/bin', HOME: '/h' });
  });
});

// `npm start` where Electron cannot run (as on this project's CI): it must still build and end in
// a usable LocalChat, the headless server with the browser page, and say why.
describe('scripts/launch.mjs without a usable Electron', () => {
  let child: ChildProcess | undefined;
  const cache = mkdtempSync(path.join(tmpdir(), 'lc-electron-cache-'));
  afterAll(() => {
    // Its own process group (detached), so the server it started goes too.
    if (child?.pid && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
    rmSync(cache, { recursive: true, force: true });
  });

  it('builds, explains why, and serves the browser page', async () => {
    // The binary's download fails at once (a closed local port), as it does offline.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ELECTRON_MIRROR: 'http://127.0.0.1:9/',
      electron_config_cache: cache,
      DISPLAY: '',
    };
    delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
    delete env.WAYLAND_DISPLAY;
    child = spawn(process.execPath, [path.join(root, 'scripts', 'launch.mjs'), '--port', '0'], {
      cwd: root,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));

    const webUrl = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const match = /web client (https:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(output);
        if (match) {
          clearInterval(timer);
          resolve(match[1]!);
        }
      }, 100);
      child!.on('exit', (code) => {
        clearInterval(timer);
        reject(new Error(`launch.mjs exited (${code}) before serving:\n${output}`));
      });
    });

    // Where the binary is missing (here), the download's failure; where it exists, the display.
    const why = output.split('\n').filter((line) => line.includes('Not starting the desktop'));
    expect(why).toHaveLength(1);
    expect(why[0]).toMatch(
      /^\[start\] Not starting the desktop window: (the Electron binary could not be downloaded: its download server cannot be reached \(no internet connection\?\)|there is no graphical display .*)\.$/,
    );
    // No stack trace of the failed download, before or after.
    expect(output).not.toMatch(/^\s+at /m);
    expect(output).not.toContain('fetch failed');

    const fingerprint = /certificate SHA-256 ([0-9A-F:]{95})/.exec(output)![1]!;
    await waitFor(() => output.includes('Ctrl+C stops the server'));
    expect(output).toContain(`[start] Open ${webUrl} in a browser on this computer.`);
    expect(output).toContain(
      `[start] Its certificate is self-signed: accept the warning if it shows SHA-256 ${fingerprint}.`,
    );
    // The page sits under a random secret path, not at the server's root.
    expect(new URL(webUrl).pathname).toMatch(/^\/[A-Za-z0-9_-]{24}\/$/);
    expect((await get(new URL('/', webUrl).href)).status).toBe(404);
    const page = await get(webUrl);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root"></div>');
  }, 120_000);
});
