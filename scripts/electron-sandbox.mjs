// Whether Chromium's sandbox can start for node_modules' Electron on Linux. Ubuntu 23.10+ (24.04
// included) lets AppArmor forbid unprivileged user namespaces, which Chromium's namespace
// sandbox needs; its fallback, the setuid helper chrome-sandbox, works only when owned by root
// with the setuid bit, which npm never sets. Electron then aborts at start. The app never runs
// without its sandbox, so `npm start` serves the browser page instead and says how to fix it.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';

/** The two fixes, as lines to print. */
export function sandboxRemedies(electronBinary) {
  const helper = path.join(path.dirname(electronBinary), 'chrome-sandbox');
  return [
    `Fix: make Electron's sandbox helper setuid root: sudo chown root:root "${helper}" && sudo chmod 4755 "${helper}"`,
    `Or: allow user namespaces to this Electron with an AppArmor profile: printf 'abi <abi/4.0>,\\ninclude <tunables/global>\\nprofile localchat-dev "${electronBinary}" flags=(unconfined) {\\n  userns,\\n}\\n' | sudo tee /etc/apparmor.d/localchat-dev && sudo apparmor_parser -r /etc/apparmor.d/localchat-dev`,
  ];
}

/**
 * Why the sandbox cannot start, or null. FACTS: `restrictUserns` (the sysctl's value, or null
 * where there is none), `helper` ({ uid, mode } of chrome-sandbox, or null), `profiled` (an
 * AppArmor profile names this Electron binary).
 */
export function sandboxBlocked(platform, facts) {
  if (platform !== 'linux' || facts.restrictUserns !== '1' || facts.profiled) return null;
  const helper = facts.helper;
  if (helper && helper.uid === 0 && (helper.mode & 0o4000) !== 0) return null;
  return "AppArmor forbids unprivileged user namespaces here (kernel.apparmor_restrict_unprivileged_userns=1, as on Ubuntu 23.10+), and Electron's chrome-sandbox is not setuid root, so Chromium's sandbox cannot start";
}

function readOrNull(file) {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}

/** An AppArmor profile that names BINARY (one a user or package added for it). */
function profiled(binary) {
  let names;
  try {
    names = readdirSync('/etc/apparmor.d');
  } catch {
    return false;
  }
  return names.some((name) => {
    const text = readOrNull(path.join('/etc/apparmor.d', name));
    return text !== null && text.includes(binary) && /\buserns\b/.test(text);
  });
}

/** sandboxBlocked for node_modules' Electron on this machine. */
export function electronSandboxBlocked(electronBinary, platform = process.platform) {
  if (platform !== 'linux') return null;
  let helper;
  try {
    const stat = statSync(path.join(path.dirname(electronBinary), 'chrome-sandbox'));
    helper = { uid: stat.uid, mode: stat.mode };
  } catch {
    helper = null;
  }
  return sandboxBlocked(platform, {
    restrictUserns: readOrNull('/proc/sys/kernel/apparmor_restrict_unprivileged_userns'),
    helper,
    profiled: profiled(electronBinary),
  });
}
