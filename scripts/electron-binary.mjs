// Where node_modules' Electron binary is, found without require('electron'): since Electron 42
// that require downloads the binary when it is missing, which would make a mere check hang or
// fail on a machine without access to its download server.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

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
