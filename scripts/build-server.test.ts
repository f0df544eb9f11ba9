import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRoom, send, drain, uniqueRoomName } from '../src-main/server/testing/member-fixture';
import { getPage as get, testAgent } from '../src-main/server/testing/raw-client';

const root = path.resolve(import.meta.dirname, '..');

// Builds into a scratch directory under node_modules, so the bundle's one external import
// (better-sqlite3) resolves exactly as it does from dist/server.
describe('scripts/build-server.mjs', () => {
  let outDir: string;
  let cli: string;

  beforeAll(async () => {
    const cache = path.join(root, 'node_modules', '.cache');
    await mkdir(cache, { recursive: true });
    outDir = await mkdtemp(path.join(cache, 'build-server-test-'));
    execFileSync(process.execPath, [path.join(root, 'scripts', 'build-server.mjs')], {
      cwd: root,
      env: { ...process.env, BUILD_SERVER_OUT_DIR: outDir },
      stdio: 'pipe',
    });
    cli = path.join(outDir, 'cli.js');
  }, 60_000);
  afterAll(() => rm(outDir, { recursive: true, force: true }));

  it('is the package bin: an executable ES module importing only Node and better-sqlite3', async () => {
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    expect(pkg.bin['localchat-server']).toBe('dist/server/cli.js');
    const source = await readFile(cli, 'utf8');
    expect(source.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect((await stat(cli)).mode & 0o111).toBe(0o111);
    // Doc comments (lines starting with *) quote import() types that are no code.
    const code = source
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('*'))
      .join('\n');
    const specifiers = [
      ...code.matchAll(/^import\s[^'"]*["']([^"']+)["'];?$/gm),
      ...code.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
    ].map((m) => m[1]!);
    expect(specifiers).toContain('better-sqlite3');
    for (const specifier of specifiers) {
      const local = specifier.startsWith('./');
      const builtin = builtinModules.includes(specifier.replace(/^node:/, ''));
      expect(local || builtin || specifier === 'better-sqlite3', specifier).toBe(true);
    }
  });

  it('runs under plain node: the page under a random path, rooms, a clean exit', async () => {
    const web = await mkdtemp(path.join(outDir, 'web-'));
    await writeFile(path.join(web, 'index.html'), '<!doctype html><title>LocalChat</title>');
    const child = spawn(process.execPath, [cli, '--port', '0', '--web', web], {
      cwd: web,
      env: { PATH: process.env.PATH, HOME: web },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const agent = testAgent({ maxSockets: 2 });
    try {
      const started = await new Promise<RegExpExecArray>((resolve, reject) => {
        const timer = setInterval(() => {
          const match = /LocalChat server on (\S+) .*, web client (\S+)/.exec(out);
          if (match) {
            clearInterval(timer);
            resolve(match);
          }
        }, 20);
        void exited.then(() => {
          clearInterval(timer);
          reject(new Error(`the bundled server exited: ${out}`));
        });
      });
      const [, url, webUrl] = started as unknown as [string, string, string];
      expect(new URL(webUrl).pathname).toMatch(/^\/[A-Za-z0-9_-]{24}\/$/);
      expect((await get(webUrl)).body).toContain('<title>LocalChat</title>');
      expect((await get(`${url}/`)).status).toBe(404);

      // Password hashing (its worker thread) and SYSTEM's OpenPGP notices work from the bundle.
      const { owner, members } = await openRoom(url, uniqueRoomName('bundle'), 'olive', ['amy'], {
        agent,
      });
      await send(url, owner, 'from the bundle', { agent });
      expect((await drain(url, members[0]!, 0, { agent })).length).toBeGreaterThan(0);
    } finally {
      agent.destroy();
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 60_000);
});
