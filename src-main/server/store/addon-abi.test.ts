import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { abiOfAddon, readAddonAbi } from './addon-abi';

const require = createRequire(import.meta.url);
const realAddon = path.join(
  path.dirname(require.resolve('better-sqlite3/package.json')),
  'build',
  'Release',
  'better_sqlite3.node',
);

/** Bytes shaped like a symbol table: other names, NULs, then the register symbol. */
const table = (...names: string[]) =>
  Buffer.concat(names.flatMap((name) => [Buffer.from(name, 'latin1'), Buffer.alloc(1)]));

describe('the ABI an addon was built for', () => {
  it('reads the real better-sqlite3 addon as Node itself does when it loads it', () => {
    // The addon loads where its ABI is this Node's; elsewhere Node's refusal names its ABI.
    let loaderSays: string | undefined;
    try {
      require(realAddon);
      loaderSays = process.versions.modules;
    } catch (error) {
      loaderSays = /NODE_MODULE_VERSION (\d+)/.exec((error as Error).message)?.[1];
    }
    expect(loaderSays).toMatch(/^\d+$/);
    expect(readAddonAbi(realAddon)).toEqual({ state: 'built', abi: loaderSays });
  });

  it('finds the register symbol as ELF, Mach-O (leading _) and PE export tables spell it', () => {
    expect(abiOfAddon(table('sqlite3_open', 'node_register_module_v127', 'napi_x'))).toBe('127');
    expect(abiOfAddon(table('_sqlite3_open', '_node_register_module_v150'))).toBe('150');
    // The same name twice (dynamic and static symbol tables) is still one ABI.
    expect(abiOfAddon(table('node_register_module_v115', 'x', 'node_register_module_v115'))).toBe(
      '115',
    );
  });

  it('names no ABI for an N-API addon, a file naming two, or a symbol without digits', () => {
    expect(abiOfAddon(table('napi_register_module_v1'))).toBeNull();
    expect(abiOfAddon(table('node_register_module_v115', 'node_register_module_v127'))).toBeNull();
    expect(abiOfAddon(table('node_register_module_v'))).toBeNull();
  });

  it('tells a missing file from one that names no ABI', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'addon-abi-'));
    const notAnAddon = path.join(dir, 'plain.node');
    writeFileSync(notAnAddon, 'not an addon');
    expect(readAddonAbi(path.join(dir, 'absent.node'))).toEqual({ state: 'missing' });
    expect(readAddonAbi(notAnAddon)).toEqual({ state: 'unknown' });
  });
});
