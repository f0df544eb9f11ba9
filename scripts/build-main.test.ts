import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkNodeServerProcess, serverInProcessOf } from '../src-main/hosting/server-process';
import { api } from '../src-main/server/testing/raw-client';

const root = path.resolve(import.meta.dirname, '..');

// Builds into a scratch directory under node_modules, so the bundle's bare imports resolve to
// this project's packages exactly as they will from the packaged app's node_modules.
describe('scripts/build-main.mjs', () => {
  let outDir: string;
  let main: string;
  let preload: string;

  beforeAll(async () => {
    const cache = path.join(root, 'node_modules', '.cache');
    await mkdir(cache, { recursive: true });
    outDir = await mkdtemp(path.join(cache, 'build-main-test-'));
    execFileSync(process.execPath, [path.join(root, 'scripts', 'build-main.mjs')], {
      cwd: root,
      env: { ...process.env, BUILD_MAIN_OUT_DIR: outDir },
      stdio: 'pipe',
    });
    main = await readFile(path.join(outDir, 'main.js'), 'utf8');
    preload = await readFile(path.join(outDir, 'preload.cjs'), 'utf8');
  }, 60_000);
  afterAll(() => rm(outDir, { recursive: true, force: true }));

  it('makes a preload that a sandbox can load: one CommonJS file needing only electron', () => {
    const required = [...preload.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    expect(required).toEqual(['electron']);
    expect(preload).not.toMatch(/^\s*(import|export)\s/m);
    expect(preload).toContain('exposeInMainWorld("localchat"');
  });

  it('leaves main importing only Node built-ins, electron and production dependencies', async () => {
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const allowed = new Set(['electron', ...Object.keys(pkg.dependencies)]);
    const specifiers = [...main.matchAll(/^import\s[^'"]*["']([^"']+)["'];?$/gm)].map((m) => m[1]!);
    expect(specifiers.length).toBeGreaterThan(5);
    for (const specifier of specifiers) {
      const bare = specifier.replace(/^node:/, '');
      const name = specifier.startsWith('@')
        ? specifier.split('/').slice(0, 2).join('/')
        : specifier.split('/')[0]!;
      expect(builtinModules.includes(bare) || allowed.has(name), specifier).toBe(true);
    }
  });

  it('links under real Node ESM (every named import exists) with electron stood in for', async () => {
    // The stand-in declines the single-instance lock, so main only links and quits.
    await writeFile(
      path.join(outDir, 'electron-stub.mjs'),
      `const app = { requestSingleInstanceLock: () => false, quit: () => console.log('quit'), getPath: () => '/nonexistent', getName: () => 'LocalChat Desktop', setPath: () => {} };
       export { app }; export const BrowserWindow = class {}; export const ipcMain = {}; export const protocol = {};
       export const safeStorage = {}; export const session = {}; export const dialog = {}; export const shell = {};
       export const Menu = {}; export const utilityProcess = {}; export const Notification = class {};
       export const clipboard = {};`,
    );
    await writeFile(
      path.join(outDir, 'hooks.mjs'),
      `export async function resolve(specifier, context, next) {
         if (specifier === 'electron') return { url: new URL('./electron-stub.mjs', import.meta.url).href, shortCircuit: true };
         return next(specifier, context);
       }`,
    );
    await writeFile(
      path.join(outDir, 'register.mjs'),
      `import { register } from 'node:module'; register('./hooks.mjs', import.meta.url);`,
    );
    const output = execFileSync(
      process.execPath,
      ['--import', path.join(outDir, 'register.mjs'), path.join(outDir, 'main.js')],
      { cwd: root, encoding: 'utf8', timeout: 30_000 },
    );
    expect(output.trim()).toBe('quit');
  });

  it('bundles a room server process that main can fork', async () => {
    const startServer = serverInProcessOf({
      spawn: forkNodeServerProcess,
      entry: path.join(outDir, 'room-server.js'),
    });
    const server = await startServer({ host: '127.0.0.1', port: 0 });
    try {
      expect((await api(`https://127.0.0.1:${server.port}`, 'serverInfo', {})).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
