import { describe, expect, it } from 'vitest';
import { electronSandboxBlocked, sandboxBlocked, sandboxRemedies } from './electron-sandbox.mjs';

const restricted = { restrictUserns: '1', helper: { uid: 1000, mode: 0o100755 }, profiled: false };

describe("Chromium's sandbox on Ubuntu 23.10+ (AppArmor restricts user namespaces)", () => {
  it('is blocked when namespaces are restricted and chrome-sandbox is not setuid root', () => {
    expect(sandboxBlocked('linux', restricted)).toMatch(
      /^AppArmor forbids unprivileged user namespaces .*chrome-sandbox is not setuid root/,
    );
    expect(sandboxBlocked('linux', { ...restricted, helper: null })).not.toBeNull();
    // Setuid but not root's (an unprivileged chmod) is no fix.
    expect(
      sandboxBlocked('linux', { ...restricted, helper: { uid: 1000, mode: 0o104755 } }),
    ).not.toBeNull();
  });

  it('is fine with a setuid-root helper, a profile for this Electron, or no restriction', () => {
    expect(
      sandboxBlocked('linux', { ...restricted, helper: { uid: 0, mode: 0o104755 } }),
    ).toBeNull();
    expect(sandboxBlocked('linux', { ...restricted, profiled: true })).toBeNull();
    expect(sandboxBlocked('linux', { ...restricted, restrictUserns: '0' })).toBeNull();
    expect(sandboxBlocked('linux', { ...restricted, restrictUserns: null })).toBeNull();
    expect(sandboxBlocked('darwin', restricted)).toBeNull();
  });

  it('names both fixes with the real paths', () => {
    const [setuid, profile] = sandboxRemedies('/home/ana/lc/node_modules/electron/dist/electron');
    expect(setuid).toContain(
      'sudo chown root:root "/home/ana/lc/node_modules/electron/dist/chrome-sandbox" && sudo chmod 4755',
    );
    expect(profile).toMatch(
      /profile localchat-dev "\/home\/ana\/lc\/node_modules\/electron\/dist\/electron"/,
    );
    expect(profile).toMatch(/userns,.*apparmor_parser -r/);
  });

  it('reads this machine without failing (no Electron binary needed)', () => {
    expect(electronSandboxBlocked('/nonexistent/electron', 'darwin')).toBeNull();
    const here = electronSandboxBlocked('/nonexistent/electron');
    expect(here === null || here.startsWith('AppArmor')).toBe(true);
  });
});
