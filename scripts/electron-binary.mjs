// Where node_modules' Electron binary is, found without require('electron'): since Electron 42
// that require downloads the binary when it is missing, which would make a mere check hang or
// fail on a machine without access to its download server.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';

/** Path of the Electron executable in ROOT/node_modules/electron, or null if never downloaded. */
export function findElectronBinary(root) {
  const packageDir = path.join(root, 'node_modules', 'electron');
  let relative;
  try {
    relative = readFileSync(path.join(packageDir, 'path.txt'), 'utf8').trim();
  } catch {
    return null;
  }
  const binary = path.join(packageDir, 'dist', relative);
  return relative !== '' && existsSync(binary) ? binary : null;
}

/**
 * One line on why node_modules/electron/install.js failed, from its output (a stack trace that
 * only says "fetch failed" or names a getaddrinfo code): what a user can act on, no frames.
 */
export function describeDownloadFailure(output) {
  const unresolved = /getaddrinfo (?:ENOTFOUND|EAI_AGAIN) ([^\s)]+)/.exec(output);
  if (unresolved)
    return `its download server ${unresolved[1]} cannot be found (no internet connection?)`;
  if (/fetch failed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|socket hang up/.test(output))
    return 'its download server cannot be reached (no internet connection?)';
  const first = output
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '' && !line.startsWith('at '));
  return first ? `the download failed: ${first.slice(0, 200)}` : 'the download failed';
}

/**
 * The environment to start Electron in: this one without ELECTRON_RUN_AS_NODE, which some
 * editors' extension hosts set and pass on, and which would run Electron as plain Node.
 */
export function electronEnvironment(env = process.env) {
  const clean = { ...env };
  delete clean.ELECTRON_RUN_AS_NODE;
  return clean;
}

/**
 * Bytes of Electron's download so far: @electron/get writes it into a fresh
 * TMP/electron-download-* folder; those made since SINCE (ms) are this download's.
 */
export function downloadedBytes(since, tmp = os.tmpdir()) {
  let total = 0;
  let entries;
  try {
    entries = readdirSync(tmp).filter((name) => name.startsWith('electron-download-'));
  } catch {
    return 0;
  }
  for (const name of entries) {
    const dir = path.join(tmp, name);
    try {
      if (statSync(dir).mtimeMs < since - 1000) continue;
      for (const file of readdirSync(dir)) total += statSync(path.join(dir, file)).size;
    } catch {
      // Moved or removed as the download finished.
    }
  }
  return total;
}
