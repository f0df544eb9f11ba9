import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { renderTable, type Cell } from '../harness/table';
import { ms, verdict, type Scenario } from './scenario';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Under node_modules, so the bundle's one external import (better-sqlite3) resolves.
const outDir = fileURLToPath(
  new URL('../../node_modules/.cache/localchat-bench/server', import.meta.url),
);
const TARGET_MS = 700;
const serverInfo = JSON.stringify({ action: 'serverInfo', payload: {} });

/** A port that was free a moment ago: the server is launched on it so it can be polled at once. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** One serverInfo on a new connection; true on a 200. */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        agent: false,
        rejectUnauthorized: false,
        headers: { 'Content-Type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200));
      },
    );
    req.on('error', () => resolve(false));
    req.end(serverInfo);
  });
}

/**
 * CPU time (user + system, all threads) a process has used, from Linux's /proc; undefined
 * elsewhere. Unlike the wall time, it does not grow with the machine's load.
 */
function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, fields 14 and 15 of the whole line, in clock ticks (100 per second).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/**
 * Launches the server and asks serverInfo every 5 ms from the moment of the spawn, so the figure
 * is the time until a client is served, not until the start line is printed.
 */
async function timeToFirstAnswer(
  command: string[],
  cwd: string,
): Promise<{ wallMs: number; cpuMs?: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...command, '--port', String(port)], {
    cwd,
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${command.join(' ')} exited before answering`);
      if (await answers(port))
        return { wallMs: performance.now() - started, cpuMs: cpuMs(child.pid!) };
      if (performance.now() - started > 30_000) throw new Error('no answer within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Start-up of the headless server (issue 14): from launch to its first answered request, for
 * the bundled entry point (dist/server/cli.js, the `localchat-server` bin) with and without the
 * browser page, and for the source under tsx as `npm run serve` runs it (without npm itself).
 */
export const startup: Scenario = {
  name: 'startup',
  title: 'Start-up: launch to first answer',
  async run({ quick }) {
    execFileSync(process.execPath, ['scripts/build-server.mjs'], {
      cwd: root,
      env: { ...process.env, BUILD_SERVER_OUT_DIR: outDir },
      stdio: 'pipe',
    });
    const page = mkdtempSync(`${outDir}/page-`);
    writeFileSync(`${page}/index.html`, '<!doctype html><title>LocalChat</title>');
    const launches = quick ? 2 : 10;
    const variants = [
      { label: 'node dist/server/cli.js', command: [`${outDir}/cli.js`], runs: launches },
      {
        label: 'node dist/server/cli.js --web',
        command: [`${outDir}/cli.js`, '--web', page],
        runs: launches,
      },
      {
        label: 'node --import tsx src-main/server/cli.ts',
        command: ['--import', 'tsx', `${root}src-main/server/cli.ts`],
        runs: quick ? 1 : 3,
      },
    ];
    try {
      const rows: Cell[][] = [];
      let bundled = Infinity;
      for (const { label, command, runs } of variants) {
        const times: number[] = [];
        const cpu: number[] = [];
        for (let i = 0; i < runs; i++) {
          const launch = await timeToFirstAnswer(command, root);
          times.push(launch.wallMs);
          if (launch.cpuMs !== undefined) cpu.push(launch.cpuMs);
        }
        if (label === 'node dist/server/cli.js') bundled = median(times);
        rows.push([
          label,
          runs,
          ms(Math.min(...times)),
          ms(median(times)),
          ms(Math.max(...times)),
          cpu.length > 0 ? Math.round(median(cpu)) : '-',
        ]);
      }
      return [
        renderTable(
          ['launched as', 'launches', 'min ms', 'median ms', 'max ms', 'CPU ms (median)'],
          rows,
        ),
        '',
        'From the spawn to the first 200 answer to serverInfo on a new TLS connection (asked every 5 ms); a self-signed certificate is made at every launch. CPU ms: user + system time of the server process (all its threads) until that answer, which the load of the machine does not inflate as it does the wall time.',
        `Target: the bundled entry answers within ${TARGET_MS} ms (median of ${launches} launches): ${verdict(bundled <= TARGET_MS, quick)}.`,
      ].join('\n');
    } finally {
      rmSync(page, { recursive: true, force: true });
    }
  },
};
