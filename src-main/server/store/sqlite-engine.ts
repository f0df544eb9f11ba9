import { createRequire } from 'node:module';
import path from 'node:path';
import Database from 'better-sqlite3';
import { readAddonAbi, type AddonAbi } from './addon-abi';
import { loadNodeSqlite, NodeSqliteDatabase } from './node-sqlite-database';
import type { SqlDatabase } from './sql-database';

/**
 * Which SQLite the room store runs on, chosen once per process, in whichever process loads the
 * store (Electron's main, a utility process, plain Node):
 * - better-sqlite3 when its addon was built for this runtime's ABI: `npm ci` builds it for the
 *   Node that ran it, so tests, the bench and the headless server under Node 20 and 22 use it;
 * - otherwise node:sqlite (Node 22.13+, Electron's Node): Electron (ABI 150 in Electron 45) runs
 *   from source and packaged with no addon compiled for it;
 * - otherwise nothing, and one sentence says why and which command fixes it.
 * LOCALCHAT_SQLITE=better-sqlite3|node:sqlite forces one (the Tests workflow runs the store's
 * tests on node:sqlite too).
 */
export type EngineName = 'better-sqlite3' | 'node:sqlite';

export type EngineChoice =
  { engine: EngineName; detail: string } | { engine: null; problem: string };

/** What the choice depends on; `hasNodeSqlite` is only asked when the addon does not fit. */
export interface EngineFacts {
  /** process.versions.modules */
  runtimeAbi: string;
  /** e.g. "Node.js 20.19.0" or "Electron 45.5.0" */
  runtimeName: string;
  isElectron: boolean;
  addon: AddonAbi;
  addonFile: string;
  hasNodeSqlite: () => boolean;
  forced?: string;
}

export const ENGINE_VARIABLE = 'LOCALCHAT_SQLITE';

/** The command that builds better-sqlite3's addon for the runtime that needs it. */
function fixCommand(facts: EngineFacts): string {
  return facts.isElectron
    ? '`npx @electron/rebuild --only better-sqlite3` (then `npm rebuild better-sqlite3` before running tests under Node)'
    : '`npm rebuild better-sqlite3`';
}

export function chooseEngine(facts: EngineFacts): EngineChoice {
  const noNodeSqlite = `${facts.runtimeName} has no node:sqlite (Node.js 22.13+ has)`;
  if (facts.forced === 'node:sqlite') {
    return facts.hasNodeSqlite()
      ? { engine: 'node:sqlite', detail: `${ENGINE_VARIABLE}=node:sqlite` }
      : { engine: null, problem: `${ENGINE_VARIABLE}=node:sqlite, but ${noNodeSqlite}` };
  }
  const { addon } = facts;
  if (addon.state === 'built' && addon.abi === facts.runtimeAbi)
    return { engine: 'better-sqlite3', detail: `its addon is built for ABI ${addon.abi}` };
  const mayUseNodeSqlite = facts.forced !== 'better-sqlite3';
  if (addon.state === 'unknown') {
    const detail = "better-sqlite3's native addon names no ABI";
    return mayUseNodeSqlite && facts.hasNodeSqlite()
      ? { engine: 'node:sqlite', detail }
      : { engine: 'better-sqlite3', detail };
  }
  const mismatch =
    addon.state === 'missing'
      ? `better-sqlite3's native addon is missing (${facts.addonFile})`
      : `better-sqlite3's native addon was built for Node.js ABI ${addon.abi}, but ${facts.runtimeName} needs ABI ${facts.runtimeAbi}`;
  if (mayUseNodeSqlite && facts.hasNodeSqlite()) return { engine: 'node:sqlite', detail: mismatch };
  const instead = mayUseNodeSqlite ? noNodeSqlite : `${ENGINE_VARIABLE}=better-sqlite3`;
  return {
    engine: null,
    problem: `The room store cannot start: ${mismatch}, and ${instead}. Fix: run ${fixCommand(facts)}.`,
  };
}

/** One line for logs and the self-test: the engine and why, or the problem. */
export function describeEngine(choice: EngineChoice): string {
  return choice.engine === null ? choice.problem : `${choice.engine} (${choice.detail})`;
}

const require = createRequire(import.meta.url);

/** Where bindings (better-sqlite3's loader) finds a `npm ci` or `npm rebuild` build first. */
function betterSqliteAddonFile(): string {
  try {
    const packageDir = path.dirname(require.resolve('better-sqlite3/package.json'));
    return path.join(packageDir, 'build', 'Release', 'better_sqlite3.node');
  } catch {
    return path.join('node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  }
}

export function runtimeFacts(): EngineFacts {
  const addonFile = betterSqliteAddonFile();
  const electron = process.versions.electron;
  return {
    runtimeAbi: process.versions.modules,
    runtimeName: electron ? `Electron ${electron}` : `Node.js ${process.versions.node}`,
    isElectron: Boolean(electron),
    addon: readAddonAbi(addonFile),
    addonFile,
    hasNodeSqlite: () => loadNodeSqlite() !== null,
    forced: process.env[ENGINE_VARIABLE] || undefined,
  };
}

let cached: { choice: EngineChoice; addonFile: string } | undefined;

/** This process's choice (made on first use, then kept). */
export function storeEngine(): EngineChoice {
  if (!cached) {
    const facts = runtimeFacts();
    cached = { choice: chooseEngine(facts), addonFile: facts.addonFile };
  }
  return cached.choice;
}

/** The store cannot run here; the message is the one line to show. */
export class StoreEngineError extends Error {}

class BetterSqliteDatabase implements SqlDatabase {
  private readonly db: Database.Database;

  constructor(file: string, addonFile: string) {
    // The very file whose ABI was checked, not whatever bindings would find first.
    this.db = new Database(file, { nativeBinding: addonFile });
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  prepare(sql: string) {
    return this.db.prepare(sql);
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    this.db.close();
  }
}

/** Opens FILE (':memory:' keeps everything off disk) on this process's engine. */
export function openDatabase(file: string): SqlDatabase {
  const choice = storeEngine();
  if (choice.engine === null) throw new StoreEngineError(choice.problem);
  if (choice.engine === 'better-sqlite3') return new BetterSqliteDatabase(file, cached!.addonFile);
  return new NodeSqliteDatabase(loadNodeSqlite()!, file);
}
