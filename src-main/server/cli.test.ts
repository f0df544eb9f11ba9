import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { drain, openRoom, send, uniqueRoomName } from './testing/member-fixture';
import { getPage as get, testAgent } from './testing/raw-client';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(REPO, 'src-main/server/cli.ts');
const TSX_LOADER = pathToFileURL(path.join(REPO, 'node_modules/tsx/dist/loader.mjs')).href;

interface Cli {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** Runs the CLI under plain node, in an empty cwd/HOME/TMPDIR so any stray file would show. */
function runCli(args: string[], dir: string): Cli {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, CLI, ...args], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      TMPDIR: dir,
      TSX_DISABLE_CACHE: '1',
      NODE_OPTIONS: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  cleanups.push(() => child.kill('SIGKILL'));
  return { child, stdout: () => out, stderr: () => err, exited };
}

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lc-cli-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function startedUrl(cli: Cli): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const match =
      /LocalChat server on (https:\/\/[^\s]+) \(certificate SHA-256 ([0-9A-F:]{95})\)/.exec(
        cli.stdout(),
      );
    if (match) return match[1]!;
    if (Date.now() > deadline || cli.child.exitCode !== null) {
      throw new Error(`CLI did not start: ${cli.stdout()} ${cli.stderr()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Regular files the process holds open, outside the repository (node_modules included there). */
function openFilesOutsideRepo(pid: number): string[] {
  const fdDir = `/proc/${pid}/fd`;
  const files: string[] = [];
  for (const fd of readdirSync(fdDir)) {
    let target: string;
    try {
      target = readlinkSync(path.join(fdDir, fd));
    } catch {
      continue;
    }
    if (!target.startsWith('/') || target.startsWith(`${REPO}/`)) continue;
    try {
      if (statSync(target).isFile()) files.push(target);
    } catch {
      files.push(target);
    }
  }
  return files;
}

describe('npm run serve (cli.ts)', () => {
  it('logs one line, keeps every room off disk, and exits cleanly on SIGTERM', async () => {
    const dir = tempDir();
    const cli = runCli(['--port', '0'], dir);
    const url = await startedUrl(cli);
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);

    const agent = testAgent({ maxSockets: 2 });
    cleanups.push(() => agent.destroy());
    const { owner, members } = await openRoom(url, uniqueRoomName('disk'), 'olive', ['amy'], {
      agent,
    });
    for (let i = 0; i < 20; i++) await send(url, owner, `message ${i} `.repeat(50), { agent });
    expect((await drain(url, members[0]!, 0, { agent })).length).toBeGreaterThan(20);

    expect(openFilesOutsideRepo(cli.child.pid!)).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(cli.stdout().trim().split('\n')).toHaveLength(1);
    expect(cli.stdout()).not.toContain(owner.sesskey);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a bad flag with one line on stderr and a non-zero exit', async () => {
    const cli = runCli(['--port', 'abc'], tempDir());
    expect(await cli.exited).not.toBe(0);
    expect(cli.stderr().trim().split('\n')).toHaveLength(1);
    expect(cli.stdout()).toBe('');
  });
});

describe('the browser page (--web)', () => {
  it('is served under a random secret path printed once, and not at /', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>LocalChat</title>');
    const cli = runCli(['--port', '0', '--web', dir], dir);
    const url = await startedUrl(cli);
    const match = /, web client (https:\/\/\S+)/.exec(cli.stdout());
    expect(match).not.toBeNull();
    const webUrl = new URL(match![1]!);
    expect(webUrl.origin).toBe(url);
    const prefix = /^\/([A-Za-z0-9_-]{24})\/$/.exec(webUrl.pathname)?.[1];
    expect(prefix, webUrl.pathname).toBeDefined();
    expect(cli.stdout().split(prefix!)).toHaveLength(2);

    const page = await get(webUrl.href);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>LocalChat</title>');
    for (const guess of ['/', '/index.html', '/web/', '/localchat/', `/${prefix!.slice(0, 23)}/`]) {
      const res = await get(new URL(guess, url).href);
      expect(res.status, guess).toBe(404);
      expect(res.body, guess).toBe('');
    }

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(cli.stdout().split(prefix!)).toHaveLength(2);
    expect(cli.stderr()).not.toContain(prefix!);
  });

  it('refuses a directory without the page in one line, before listening', async () => {
    const dir = tempDir();
    const cli = runCli(['--port', '0', '--web', path.join(dir, 'missing')], dir);
    expect(await cli.exited).not.toBe(0);
    expect(cli.stderr()).toBe(
      `localchat-server: --web: no index.html in ${path.join(dir, 'missing')}\n`,
    );
    expect(cli.stdout()).toBe('');
  });
});

describe('a host name that does not resolve', () => {
  it('says so in words, in one line, with a non-zero exit', async () => {
    const cli = runCli(['--port', '0', '--host', 'notahost.invalid'], tempDir());
    expect(await cli.exited).not.toBe(0);
    expect(cli.stderr()).toMatch(
      /^localchat-server: cannot start on notahost\.invalid:0: the host name cannot be resolved/,
    );
    expect(cli.stderr().trim().split('\n')).toHaveLength(1);
    expect(cli.stdout()).toBe('');
  });
});

describe('testing mode', () => {
  it('removes its database even when two signals arrive at once', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'rooms.sqlite');
    const cli = runCli(['--port', '0', '--testing-mode', db], dir);
    const url = await startedUrl(cli);
    const agent = testAgent({ maxSockets: 2 });
    cleanups.push(() => agent.destroy());
    const { owner } = await openRoom(url, uniqueRoomName('testing'), 'olive', [], { agent });
    await send(url, owner, 'kept in the testing file', { agent });
    expect(readdirSync(dir)).toContain('rooms.sqlite');

    cli.child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 5));
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    expect(readdirSync(dir).filter((f) => f.startsWith('rooms.sqlite'))).toEqual([]);
  });
});
