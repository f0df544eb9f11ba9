import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// npm's own range semantics; semver is installed with the build tooling (untyped, hence require).
const semver = {
  satisfies: createRequire(import.meta.url)('semver/functions/satisfies') as (
    version: string,
    range: string,
  ) => boolean,
};

// package.json's `engines` and docs/desktop.md "Node.js" promise which Node versions work and which npm ci
// warnings to expect; this holds them to the lock file, so a dependency bump cannot make either
// silently untrue.
const root = path.resolve(import.meta.dirname, '..');

/** Packaging-only tooling that wants Node 22.12+: docs/desktop.md names exactly these. */
const ELECTRON_TOOLING = [
  '@electron-internal/extract-zip',
  '@electron/fuses',
  '@electron/get',
  '@electron/rebuild',
  'electron',
  'node-abi',
];

interface LockPackage {
  engines?: { node?: string } | string[];
  optional?: boolean;
}

async function unsatisfiedOn(version: string): Promise<string[]> {
  const lock = JSON.parse(await readFile(path.join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockPackage>;
  };
  const names = new Set<string>();
  for (const [where, pkg] of Object.entries(lock.packages)) {
    const range = !Array.isArray(pkg.engines) ? pkg.engines?.node : undefined;
    // Optional packages are platform binaries npm skips where they do not fit.
    if (!range || pkg.optional || semver.satisfies(version, range)) continue;
    names.add(where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length));
  }
  return [...names].sort();
}

describe('supported Node versions', () => {
  it('engines names the lines the project supports', async () => {
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
      engines: { node: string };
    };
    expect(pkg.engines.node).toBe('^20.19.0 || ^22.13.0 || >=24');
    for (const version of ['20.19.0', '22.13.0', '24.0.0'])
      expect(semver.satisfies(version, pkg.engines.node), version).toBe(true);
  });

  it.each(['22.13.0', '24.0.0'])(
    'on Node %s no installed package wants another Node',
    async (v) => {
      expect(await unsatisfiedOn(v)).toEqual([]);
    },
  );

  it('on Node 20.19 only the Electron packaging tooling wants another Node', async () => {
    const unsatisfied = await unsatisfiedOn('20.19.0');
    expect(
      unsatisfied.every((name) => ELECTRON_TOOLING.includes(name)),
      unsatisfied.join(),
    ).toBe(true);
  });

  it('docs/desktop.md names every package that warns on Node 20', async () => {
    const readme = await readFile(path.join(root, 'docs', 'desktop.md'), 'utf8');
    for (const name of await unsatisfiedOn('20.19.0')) expect(readme).toContain(`\`${name}\``);
  });
});
