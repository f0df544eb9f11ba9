/* global console, process */
// Bundles the headless room server (src-main/server/cli.ts) into dist/server/cli.js, so it runs
// under plain `node` (or the package's `localchat-server` bin): no tsx compiling at start-up, and
// no npm in between writing the command line (a secret path prefix among it) into its logs.
// Every dependency is bundled but the native better-sqlite3, which resolves from node_modules:
// one file to load starts in about half the time of hundreds (measured with the bench's startup).
import { chmod } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// BUILD_SERVER_OUT_DIR lets the build's own test write elsewhere than the real output.
const outDir = process.env.BUILD_SERVER_OUT_DIR
  ? path.resolve(process.env.BUILD_SERVER_OUT_DIR)
  : path.join(root, 'dist', 'server');
const nativePackages = ['better-sqlite3'];
const isExternal = (id) =>
  id.startsWith('node:') ||
  builtinModules.includes(id) ||
  nativePackages.some((name) => id === name || id.startsWith(`${name}/`));

await build({
  configFile: false,
  root,
  logLevel: 'warn',
  publicDir: false,
  ssr: { noExternal: true },
  build: {
    ssr: path.join(root, 'src-main/server/cli.ts'),
    outDir,
    emptyOutDir: true,
    target: 'node20',
    sourcemap: true,
    minify: false,
    rolldownOptions: {
      external: isExternal,
      output: { format: 'es', entryFileNames: 'cli.js', banner: '#!/usr/bin/env node' },
    },
  },
});
// The bin entry is run directly.
await chmod(path.join(outDir, 'cli.js'), 0o755);
console.log(`build-server: wrote ${path.relative(root, outDir)}/cli.js`);
