import { spawn, type ChildProcess } from 'node:child_process';
import https from 'node:https';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { rejectUnauthorized: false, agent: false }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

// `npm start` where Electron cannot run (as on this project's CI): it must still build and end in
// a usable LocalChat, the headless server with the browser page, and say why.
describe('scripts/launch.mjs without a usable Electron', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    // Its own process group (detached), so the server it started goes too.
    if (child?.pid && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
  });

  it('builds, explains why, and serves the browser page', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
      DISPLAY: '',
    };
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

    expect(output).toMatch(
      /Not starting the desktop window: .*(ELECTRON_SKIP_BINARY_DOWNLOAD|no graphical display)/,
    );
    expect(output).toContain('Open the "web client" https:// address printed below');
    const page = await get(webUrl);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root"></div>');
  }, 120_000);
});
