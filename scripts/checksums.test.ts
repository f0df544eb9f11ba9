import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checksumLines } from './checksums.mjs';

describe('scripts/checksums.mjs', () => {
  let dir = '';
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('lists the sha256sum line of every installer, and nothing else', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'localchat-sums-'));
    await writeFile(path.join(dir, 'b.deb'), 'deb');
    await writeFile(path.join(dir, 'a.AppImage'), 'appimage');
    await writeFile(path.join(dir, 'builder-debug.yml'), 'not an installer');
    const hex = (s: string) => createHash('sha256').update(s).digest('hex');
    expect(await checksumLines(dir)).toEqual([
      `${hex('appimage')}  a.AppImage`,
      `${hex('deb')}  b.deb`,
    ]);
  });

  it('fails when there is nothing to publish', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'localchat-sums-'));
    await expect(checksumLines(empty)).rejects.toThrow(/no installers/);
    await rm(empty, { recursive: true });
  });
});
