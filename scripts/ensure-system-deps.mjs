/* global console, process */
// Runs before `npm test`: the interop and browser tests need the real gpg and Debian's Chromium.
// Installs them where that is possible without asking (root on a Debian-like system), otherwise
// says in one line what to install.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';

const hasCommand = (cmd) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;

const missing = [];
if (!hasCommand('gpg')) missing.push('gnupg');
// LOCALCHAT_BROWSER_CHANNEL: the browser e2e use an installed Chrome (playwright.config.ts).
if (!process.env.LOCALCHAT_BROWSER_CHANNEL && !existsSync(CHROMIUM)) missing.push('chromium');
if (missing.length === 0) process.exit(0);

const isRoot = process.getuid?.() === 0;
if (isRoot && hasCommand('apt-get')) {
  console.log(`Installing test prerequisites: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
    stdio: 'inherit',
    env,
  });
  process.exit(0);
}
console.error(
  `Tests need ${missing.join(' and ')}: run \`sudo apt-get install ${missing.join(' ')}\` (Debian/Ubuntu) and retry.`,
);
process.exit(1);
