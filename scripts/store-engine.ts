// `npx tsx scripts/store-engine.ts`: which SQLite the room store runs on under this Node and
// under node_modules' Electron (run as Node: same binary, same ABI), each ABI, and whether a
// store works there (a room, a message, a poll answer written by SQLite's JSON and window
// functions). Exits 1 if the store cannot run in either, or if the addon that would load in
// Electron was built for another ABI. The Tests workflow runs it before the Electron e2e.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOM_WIDE } from '../src-shared/protocol';
import { EncodedJson } from '../src-main/server/store/encoded-json';
import { RoomStore } from '../src-main/server/store/room-store';
import { describeEngine, runtimeFacts, storeEngine } from '../src-main/server/store/sqlite-engine';
import { findElectronBinary } from './electron-binary.mjs';

export interface EngineReport {
  runtime: string;
  runtimeAbi: string;
  /** The ABI of better-sqlite3's addon, or why there is none. */
  addon: string;
  engine: string | null;
  line: string;
  /** Why the store failed, or null when it worked. */
  failure: string | null;
}

function tryStore(): string | null {
  try {
    const store = new RoomStore({
      messagesPerRoom: 10,
      messageBytesPerRoom: 1 << 16,
      messageBytesPerServer: 1 << 20,
    });
    const room = store.createRoom('check', 'owner', 'hash', 1_700_000_000_000);
    store.insertMessage(
      { roomId: room, msg: 'hi', fromUser: 'owner', toUser: ROOM_WIDE },
      1_700_000_000_000,
    );
    const answer = Buffer.concat(
      EncodedJson.chunksOf(store.messagesFor(room, 'reader', 0, 1 << 16).json),
    ).toString();
    store.close();
    const expected = '[[1,"hi",1700000000,"owner","0"]]';
    return answer === expected ? null : `a poll answered ${answer}, not ${expected}`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export function report(): EngineReport {
  const facts = runtimeFacts();
  const choice = storeEngine();
  return {
    runtime: facts.runtimeName,
    runtimeAbi: facts.runtimeAbi,
    addon: facts.addon.state === 'built' ? `ABI ${facts.addon.abi}` : facts.addon.state,
    engine: choice.engine,
    line: describeEngine(choice),
    failure: choice.engine === null ? choice.problem : tryStore(),
  };
}

/** The lines to print, and whether the check passed. */
export function verdict(
  node: EngineReport,
  electron: EngineReport,
  electronAbiFile: string,
): { lines: string[]; ok: boolean } {
  const lines = [node, electron].map(
    (r) =>
      `${r.runtime}: ABI ${r.runtimeAbi}; better-sqlite3's addon: ${r.addon}; store on ${r.line}: ${r.failure ?? 'works'}`,
  );
  const problems: string[] = [];
  if (electron.runtimeAbi !== electronAbiFile)
    problems.push(
      `node_modules/electron/abi_version says ${electronAbiFile}, Electron runs ${electron.runtimeAbi}`,
    );
  if (electron.engine === 'better-sqlite3' && electron.addon !== `ABI ${electron.runtimeAbi}`)
    problems.push(
      `Electron would load an addon built for ${electron.addon}, not ABI ${electron.runtimeAbi}`,
    );
  for (const r of [node, electron]) if (r.failure) problems.push(`${r.runtime}: ${r.failure}`);
  return { lines: [...lines, ...problems.map((p) => `FAILED: ${p}`)], ok: problems.length === 0 };
}

const self = fileURLToPath(import.meta.url);
if (process.argv[1] && path.resolve(process.argv[1]) === self) {
  if (process.argv.includes('--report')) {
    process.stdout.write(JSON.stringify(report()));
  } else {
    const root = path.resolve(path.dirname(self), '..');
    const electronBinary = findElectronBinary(root);
    if (!electronBinary) {
      console.error(
        'store-engine: node_modules/electron has no binary: run `node node_modules/electron/install.js`',
      );
      process.exit(1);
    }
    const tsx = createRequire(import.meta.url).resolve('tsx/cli');
    const run = spawnSync(electronBinary, [tsx, self, '--report'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    if (run.status !== 0) {
      console.error(
        `store-engine: Electron as Node exited with ${run.status ?? run.signal}\n${run.stderr}`,
      );
      process.exit(1);
    }
    const abiFile = readFileSync(
      path.join(root, 'node_modules', 'electron', 'abi_version'),
      'utf8',
    ).trim();
    const { lines, ok } = verdict(report(), JSON.parse(run.stdout) as EngineReport, abiFile);
    for (const line of lines) console.log(line);
    process.exit(ok ? 0 : 1);
  }
}
