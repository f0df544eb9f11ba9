/* global console, process, setInterval, clearInterval */
// `npm start`: builds the app, then runs it in Electron. Where Electron cannot run (its binary was
// never downloaded, no display, running as root, its sandbox blocked by AppArmor), it runs the same room server headless with the
// browser page instead and says why, so `npm ci && npm start` always ends in a usable LocalChat.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  describeDownloadFailure,
  downloadedBytes,
  electronEnvironment,
  findElectronBinary,
} from './electron-binary.mjs';
import { electronSandboxBlocked, sandboxRemedies } from './electron-sandbox.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const extraArgs = process.argv.slice(2);
const ELECTRON_INSTALL_TIMEOUT_MS = 10 * 60_000;

function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    // npm is a .cmd script on Windows, which only a shell can run.
    shell: process.platform === 'win32',
    ...options,
  });
  return result.status === 0;
}

const electronBinary = () => findElectronBinary(root);
/** Lines on how to make Electron runnable, printed with the reason it is not. */
let remedies = [];

/**
 * Runs node_modules/electron/install.js, printing how much has arrived every few seconds. Its
 * own output is kept: on failure it is a stack trace, which one line replaces.
 */
function downloadElectron() {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [path.join(root, 'node_modules', 'electron', 'install.js')],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: ELECTRON_INSTALL_TIMEOUT_MS,
    },
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const progress = setInterval(() => {
    const mb = (downloadedBytes(started) / 1e6).toFixed(0);
    const seconds = Math.round((Date.now() - started) / 1000);
    console.log(`[start] Downloading Electron: ${mb} MB so far (${seconds} s)...`);
  }, 5000);
  return new Promise((resolve) => {
    const done = (status, error) => {
      clearInterval(progress);
      resolve({ status, output: `${output}\n${error?.message ?? ''}` });
    };
    child.once('error', (error) => done(null, error));
    child.once('close', (status) => done(status));
  });
}

/** Why Electron cannot run here, or null when it can. */
async function electronUnavailableReason() {
  if (electronBinary() === null) {
    // Electron 42+ has no download script at install time; its install.js fetches the binary.
    if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
      return 'the Electron binary is not installed and ELECTRON_SKIP_BINARY_DOWNLOAD is set';
    }
    console.log(
      '\n[start] First start: downloading Electron (about 100 MB, once; node node_modules/electron/install.js)...',
    );
    const install = await downloadElectron();
    if (electronBinary() === null) {
      return install.status === 0
        ? 'the Electron binary is still missing after node_modules/electron/install.js'
        : `the Electron binary could not be downloaded: ${describeDownloadFailure(install.output)}`;
    }
  }
  if (process.platform === 'linux') {
    if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
      return 'there is no graphical display (DISPLAY is not set)';
    // Electron would demand --no-sandbox, and the app does not give up its sandbox.
    if (process.getuid?.() === 0)
      return 'Electron does not run as root with its sandbox on; start it as a normal user';
    const sandbox = electronSandboxBlocked(electronBinary());
    if (sandbox) {
      remedies = sandboxRemedies(electronBinary());
      return sandbox;
    }
  }
  return null;
}

function runToExit(command, args, options = {}) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options });
  // Ctrl+C reaches the child directly (same process group); wait for it to finish cleaning up.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  return child;
}

/** The server's start line, and after it what to open and which certificate to expect. */
function explainStartLine(line) {
  const started = /certificate SHA-256 ([0-9A-F:]+)\), web client (https:\/\/\S+)/.exec(line);
  if (!started) return;
  // A wildcard bind is no address to open; this computer reaches it on loopback.
  const address = started[2]
    .replace('://0.0.0.0:', '://127.0.0.1:')
    .replace('://[::]:', '://[::1]:');
  console.log(
    [
      `[start] Open ${address} in a browser on this computer.`,
      `[start] Its certificate is self-signed: accept the warning if it shows SHA-256 ${started[1]}.`,
      '[start] Ctrl+C stops the server and destroys all rooms.',
    ].join('\n'),
  );
}

console.log('[start] Building the renderer and the main process...');
if (!run(npm, ['run', 'build:renderer']) || !run(npm, ['run', 'build:main'])) {
  console.error('[start] The build failed (see above); nothing was started.');
  process.exit(1);
}

const reason = await electronUnavailableReason();
if (reason === null) {
  runToExit(electronBinary(), ['.', ...extraArgs], { env: electronEnvironment() });
} else {
  console.log(`\n[start] Not starting the desktop window: ${reason}.`);
  for (const remedy of remedies) console.log(`[start] ${remedy}`);
  console.log('[start] Starting the LocalChat room server with its browser page instead...');
  if (!run(npm, ['run', 'build:server'])) {
    console.error('[start] The build of the server failed (see above); nothing was started.');
    process.exit(1);
  }
  const server = runToExit(
    process.execPath,
    [path.join(root, 'dist', 'server', 'cli.js'), '--web', ...extraArgs],
    { stdio: ['inherit', 'pipe', 'inherit'] },
  );
  let pending = '';
  server.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop();
    for (const line of lines) explainStartLine(line);
  });
}
