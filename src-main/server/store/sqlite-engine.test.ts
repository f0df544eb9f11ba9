import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AddonAbi } from './addon-abi';
import { loadNodeSqlite, NodeSqliteDatabase } from './node-sqlite-database';
import {
  chooseEngine,
  describeEngine,
  openDatabase,
  runtimeFacts,
  storeEngine,
  type EngineFacts,
} from './sqlite-engine';

const built = (abi: string): AddonAbi => ({ state: 'built', abi });

function facts(overrides: Partial<EngineFacts>): EngineFacts {
  return {
    runtimeAbi: '115',
    runtimeName: 'Node.js 20.19.0',
    isElectron: false,
    addon: built('115'),
    addonFile: '/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node',
    hasNodeSqlite: () => false,
    ...overrides,
  };
}

const electron45 = {
  runtimeAbi: '150',
  runtimeName: 'Electron 45.5.0',
  isElectron: true,
} satisfies Partial<EngineFacts>;

describe('which SQLite the store runs on', () => {
  it("picks better-sqlite3 when its addon's ABI is the runtime's, without probing node:sqlite", () => {
    const probe = () => {
      throw new Error('node:sqlite probed');
    };
    expect(chooseEngine(facts({ hasNodeSqlite: probe })).engine).toBe('better-sqlite3');
    expect(
      chooseEngine(facts({ runtimeAbi: '127', addon: built('127'), hasNodeSqlite: probe })).engine,
    ).toBe('better-sqlite3');
  });

  it("picks node:sqlite in Electron 45 from source, where npm ci built the addon for Node's ABI", () => {
    const choice = chooseEngine(
      facts({ ...electron45, addon: built('127'), hasNodeSqlite: () => true }),
    );
    expect(choice).toEqual({
      engine: 'node:sqlite',
      detail:
        "better-sqlite3's native addon was built for Node.js ABI 127, but Electron 45.5.0 needs ABI 150",
    });
  });

  it('picks node:sqlite in a packaged app, which carries no addon', () => {
    const choice = chooseEngine(
      facts({ ...electron45, addon: { state: 'missing' }, hasNodeSqlite: () => true }),
    );
    expect(choice.engine).toBe('node:sqlite');
  });

  it('says in one line what is wrong and the command that fixes it when neither fits', () => {
    const node = chooseEngine(facts({ runtimeAbi: '115', addon: built('127') }));
    expect(node).toEqual({
      engine: null,
      problem:
        "The room store cannot start: better-sqlite3's native addon was built for Node.js ABI 127, but Node.js 20.19.0 needs ABI 115, and Node.js 20.19.0 has no node:sqlite (Node.js 22.13+ has). Fix: run `npm rebuild better-sqlite3`.",
    });
    const inElectron = chooseEngine(facts({ ...electron45, addon: built('127') }));
    expect(describeEngine(inElectron)).toMatch(/ABI 127.*ABI 150.*npx @electron\/rebuild/);
    expect(describeEngine(inElectron)).not.toContain('\n');
    const missing = chooseEngine(facts({ addon: { state: 'missing' } }));
    expect(describeEngine(missing)).toMatch(
      /addon is missing \(\/app\/.*`npm rebuild better-sqlite3`/,
    );
  });

  it('an addon naming no ABI goes to node:sqlite where there is one, else is tried as is', () => {
    const unknown: AddonAbi = { state: 'unknown' };
    expect(chooseEngine(facts({ addon: unknown, hasNodeSqlite: () => true })).engine).toBe(
      'node:sqlite',
    );
    expect(chooseEngine(facts({ addon: unknown })).engine).toBe('better-sqlite3');
  });

  it('LOCALCHAT_SQLITE forces an engine, and says so when the forced one cannot run', () => {
    expect(chooseEngine(facts({ forced: 'node:sqlite', hasNodeSqlite: () => true })).engine).toBe(
      'node:sqlite',
    );
    expect(describeEngine(chooseEngine(facts({ forced: 'node:sqlite' })))).toMatch(
      /LOCALCHAT_SQLITE=node:sqlite, but Node.js 20.19.0 has no node:sqlite/,
    );
    const forcedAddon = chooseEngine(
      facts({ forced: 'better-sqlite3', addon: built('127'), hasNodeSqlite: () => true }),
    );
    expect(describeEngine(forcedAddon)).toMatch(/ABI 127.*LOCALCHAT_SQLITE=better-sqlite3/);
  });

  it("this process's choice is the one that matches its ABI, and the store opens on it", () => {
    const here = runtimeFacts();
    const choice = storeEngine();
    if (here.addon.state === 'built' && here.addon.abi === process.versions.modules && !here.forced)
      expect(choice.engine).toBe('better-sqlite3');
    else expect(choice.engine).toBe('node:sqlite');
    const db = openDatabase(':memory:');
    expect(db.prepare('SELECT json_array(1, 2) AS j').get()).toEqual({ j: '[1,2]' });
    db.close();
  });
});

describe.runIf(loadNodeSqlite() !== null)('the store on node:sqlite', () => {
  const open = () => new NodeSqliteDatabase(loadNodeSqlite()!, ':memory:');

  it('loads without the experimental warning, which would break one-line errors up', () => {
    const tsx = createRequire(import.meta.url).resolve('tsx/cli');
    const module = fileURLToPath(new URL('./node-sqlite-database.ts', import.meta.url));
    const script = `import { loadNodeSqlite } from ${JSON.stringify(module)};
      if (!loadNodeSqlite()) process.exit(3);
      process.emitWarning('others still shown');`;
    const run = spawnSync(process.execPath, [tsx, '--eval', script], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stderr).not.toContain('SQLite');
    expect(run.stderr).toContain('others still shown');
  });

  it('binds named parameters given last, as better-sqlite3 takes them, and returns Buffers', () => {
    const db = open();
    const row = db
      .prepare('SELECT ? + @plus AS n, CAST(? AS BLOB) AS b')
      .get(1, 'x', { plus: 2 }) as { n: number; b: Buffer };
    expect(row.n).toBe(3);
    expect(Buffer.isBuffer(row.b) && row.b.toString()).toBe('x');
  });

  it('rolls back a failed transaction, and only the inner one when nested', () => {
    const db = open();
    db.exec('CREATE TABLE t (v INTEGER)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const count = () => (db.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n;
    expect(() =>
      db.transaction(() => {
        insert.run(1);
        throw new Error('undo');
      }),
    ).toThrow('undo');
    expect(count()).toBe(0);
    db.transaction(() => {
      insert.run(1);
      expect(() =>
        db.transaction(() => {
          insert.run(2);
          throw new Error('inner');
        }),
      ).toThrow('inner');
      insert.run(3);
    });
    expect(db.prepare('SELECT v FROM t ORDER BY v').all()).toEqual([{ v: 1 }, { v: 3 }]);
    expect(insert.run(4)).toEqual({ changes: 1, lastInsertRowid: 3 });
  });
});
