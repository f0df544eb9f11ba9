/* global console, process, setTimeout, clearTimeout */
// `node scripts/run-self-test.mjs [APP]`: runs the desktop app's `--self-test` and exits with its
// status. APP is a packaged executable (an installed app, an AppImage); without it, the built app
// (dist/, `npm run build`) runs in node_modules' Electron. The app's report is piped through:
// on Windows a GUI program's output is only visible that way.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronEnvironment, findElectronBinary } from './electron-binary.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The self-test bounds each step itself; this only catches an app that never starts at all. */
const OVERALL_TIMEOUT_MS = 10 * 60_000;

/** The command line for APP (or the source build), or an error sentence. */
export function selfTestCommand(app, electronBinary = findElectronBinary(root)) {
  if (app) {
    if (!existsSync(app)) return { error: `${app} does not exist` };
    return { command: path.resolve(app), args: ['--self-test'] };
  }
  if (!electronBinary) {
    return {
      error: 'node_modules/electron has no binary: run `node node_modules/electron/install.js`',
    };
  }
  if (!existsSync(path.join(root, 'dist', 'main', 'electron', 'main.js'))) {
    return { error: 'the app is not built: run `npm run build`' };
  }
  return { command: electronBinary, args: [root, '--self-test'] };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const target = selfTestCommand(process.argv[2]);
  if (target.error) {
    console.error(`self-test: ${target.error}`);
    process.exit(1);
  }
  console.log(`self-test: ${[target.command, ...target.args].join(' ')}`);
  const child = spawn(target.command, target.args, {
    cwd: root,
    env: electronEnvironment(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(process.stdout);
  child.stderr.pipe(process.stderr);
  const timer = setTimeout(() => {
    console.error(`self-test: no exit after ${OVERALL_TIMEOUT_MS / 60_000} min; stopping it`);
    child.kill();
  }, OVERALL_TIMEOUT_MS);
  child.once('error', (error) => {
    clearTimeout(timer);
    console.error(`self-test: could not start ${target.command}: ${error.message}`);
    process.exit(1);
  });
  child.once('close', (code, signal) => {
    clearTimeout(timer);
    if (code !== 0) console.error(`self-test: the app exited with ${code ?? signal}`);
    process.exit(code === 0 ? 0 : 1);
  });
}
