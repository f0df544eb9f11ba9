import { describe, expect, it } from 'vitest';
import { report, verdict, type EngineReport } from './store-engine';

const node: EngineReport = {
  runtime: 'Node.js 22.13.0',
  runtimeAbi: '127',
  addon: 'ABI 127',
  engine: 'better-sqlite3',
  line: 'better-sqlite3 (its addon is built for ABI 127)',
  failure: null,
};
const electron: EngineReport = {
  runtime: 'Electron 45.5.0',
  runtimeAbi: '150',
  addon: 'ABI 127',
  engine: 'node:sqlite',
  line: "node:sqlite (better-sqlite3's native addon was built for Node.js ABI 127, but Electron 45.5.0 needs ABI 150)",
  failure: null,
};

describe('scripts/store-engine.ts, the workflow check before the Electron e2e', () => {
  it('reports this Node: its ABI, the addon, an engine, and a store that works', () => {
    const here = report();
    expect(here.runtimeAbi).toBe(process.versions.modules);
    expect(here.engine).not.toBeNull();
    expect(here.failure).toBeNull();
  });

  it('prints both ABIs and passes when each runtime has a working store', () => {
    const { lines, ok } = verdict(node, electron, '150');
    expect(ok).toBe(true);
    expect(lines).toEqual([
      expect.stringMatching(
        /^Node\.js 22\.13\.0: ABI 127; better-sqlite3's addon: ABI 127; .*: works$/,
      ),
      expect.stringMatching(
        /^Electron 45\.5\.0: ABI 150; better-sqlite3's addon: ABI 127; store on node:sqlite .*: works$/,
      ),
    ]);
  });

  it('fails when Electron would load an addon of another ABI, or a store does not work', () => {
    const loadsWrongAddon = { ...electron, engine: 'better-sqlite3' };
    expect(verdict(node, loadsWrongAddon, '150')).toMatchObject({ ok: false });
    expect(verdict(node, loadsWrongAddon, '150').lines.at(-1)).toMatch(
      /FAILED: Electron would load an addon built for ABI 127, not ABI 150/,
    );
    const broken = { ...electron, engine: null, failure: 'The room store cannot start: …' };
    expect(verdict(node, broken, '150').ok).toBe(false);
    expect(verdict(node, electron, '151').lines.at(-1)).toMatch(/abi_version says 151/);
  });
});
