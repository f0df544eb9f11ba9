/* global console, process */
// Bundles the Electron main process, the room server's process and the preload into
// dist/main/electron/.
// - main.js: ESM for Electron's Node; npm dependencies (native better-sqlite3 among them)
//   stay external and ship in node_modules, where electron-builder rebuilds the native ones.
// - room-server.js: the room server, run by main in a utility process of its own.
// - preload.cjs: ONE CommonJS file, because a sandboxed preload can require nothing but 'electron'.
import { readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// BUILD_MAIN_OUT_DIR lets the build's own test write elsewhere than the real output.
const outDir = process.env.BUILD_MAIN_OUT_DIR
  ? path.resolve(process.env.BUILD_MAIN_OUT_DIR)
  : path.join(root, 'dist', 'main', 'electron');
const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));

const externalPackages = ['electron', ...Object.keys(pkg.dependencies ?? {})];
// JSON data is bundled: an external JSON import loses its `with { type: 'json' }`, which Node needs.
const isExternal = (id) =>
  id.startsWith('node:') ||
  builtinModules.includes(id) ||
  (!id.endsWith('.json') &&
    externalPackages.some((name) => id === name || id.startsWith(`${name}/`)));

const common = { configFile: false, root, logLevel: 'warn', publicDir: false };

await build({
  ...common,
  ssr: { noExternal: true },
  build: {
    ssr: path.join(root, 'src-main/electron/main.ts'),
    outDir,
    emptyOutDir: true,
    target: 'node22',
    sourcemap: true,
    minify: false,
    rolldownOptions: { external: isExternal, output: { format: 'es', entryFileNames: 'main.js' } },
  },
});

// The room server's own process (src-main/hosting/server-process.ts), forked by main.
await build({
  ...common,
  ssr: { noExternal: true },
  build: {
    ssr: path.join(root, 'src-main/hosting/server-child.ts'),
    outDir,
    emptyOutDir: false,
    target: 'node22',
    sourcemap: true,
    minify: false,
    rolldownOptions: {
      external: isExternal,
      output: { format: 'es', entryFileNames: 'room-server.js' },
    },
  },
});

await build({
  ...common,
  build: {
    lib: {
      entry: path.join(root, 'src-main/electron/preload.ts'),
      formats: ['cjs'],
      fileName: () => 'preload.cjs',
    },
    outDir,
    emptyOutDir: false,
    target: 'chrome130',
    sourcemap: false,
    minify: false,
    rolldownOptions: { external: ['electron'] },
  },
});

// Fail the build rather than ship a preload that would die in the sandbox.
const preload = await readFile(path.join(outDir, 'preload.cjs'), 'utf8');
const required = [...preload.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
const forbidden = required.filter((id) => id !== 'electron');
if (forbidden.length > 0) {
  console.error(
    `build-main: the preload requires ${forbidden.join(', ')}; a sandboxed preload may only require electron.`,
  );
  process.exit(1);
}
console.log(
  `build-main: wrote ${path.relative(root, outDir)}/main.js, room-server.js and preload.cjs`,
);
