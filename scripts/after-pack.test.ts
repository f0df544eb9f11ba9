import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { FuseV1Options, type FuseConfig } from '@electron/fuses';
import yaml from 'js-yaml';
import { describe, expect, it, vi } from 'vitest';
import afterPack, { executablePath, fuseConfig } from './after-pack.mjs';

const root = path.resolve(import.meta.dirname, '..');
const fuseNames = Object.keys(FuseV1Options).filter((k) => Number.isNaN(Number(k)));
const wire = (config: FuseConfig) => config as unknown as Record<number, boolean | undefined>;

describe('Electron fuses flipped at packaging time', () => {
  it('is the afterPack hook electron-builder runs', async () => {
    const config = yaml.load(await readFile(path.join(root, 'electron-builder.yml'), 'utf8')) as {
      afterPack?: string;
      electronFuses?: unknown;
    };
    expect(config.afterPack).toBe('./scripts/after-pack.mjs');
    // One place decides the fuses: electron-builder's own option would flip them a second time.
    expect(config.electronFuses).toBeUndefined();
  });

  it.each(['darwin', 'win32', 'linux'])('sets every fuse Electron has, on %s', (platform) => {
    const config = fuseConfig(platform);
    expect(config.strictlyRequireAllFuses).toBe(true);
    for (const name of fuseNames) {
      const index = FuseV1Options[name as keyof typeof FuseV1Options];
      expect(typeof wire(config)[index], name).toBe('boolean');
    }
    expect(config).toMatchObject({
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    });
  });

  it('validates the asar integrity where electron-builder embeds its hash', () => {
    const check = (p: string) =>
      wire(fuseConfig(p))[FuseV1Options.EnableEmbeddedAsarIntegrityValidation];
    expect([check('darwin'), check('win32'), check('linux')]).toEqual([true, true, false]);
    expect(fuseConfig('darwin').resetAdHocDarwinSignature).toBe(true);
  });

  it('flips the fuses of the packaged executable on each platform', async () => {
    const packager = {
      appInfo: { productFilename: 'LocalChat Desktop' },
      executableName: 'localchat-desktop',
    };
    const flip = vi.fn(async (_file: string, _config: FuseConfig) => 1);
    for (const electronPlatformName of ['darwin', 'mas', 'win32', 'linux'])
      await afterPack({ appOutDir: '/out', electronPlatformName, packager }, flip);
    expect(flip.mock.calls.map(([file]) => file)).toEqual([
      path.join('/out', 'LocalChat Desktop.app'),
      path.join('/out', 'LocalChat Desktop.app'),
      path.join('/out', 'LocalChat Desktop.exe'),
      path.join('/out', 'localchat-desktop'),
    ]);
    expect(flip.mock.calls[1]![1]).toEqual(fuseConfig('darwin'));
    expect(executablePath({ appOutDir: '/o', electronPlatformName: 'linux', packager })).toBe(
      path.join('/o', 'localchat-desktop'),
    );
  });
});
