import { cpuShare, statsAround, withProcesses } from '../harness/bench-processes';
import type { LoadProcess } from '../harness/load-process';
import { fullRooms, populate } from '../harness/room-layout';
import type { ServerProcess } from '../harness/server-process';
import { renderTable, type Cell } from '../harness/table';
import type { PhaseFigures } from '../load/pollers';
import type { Member } from '../load/member';
import { ms, verdict, type Scenario } from './scenario';

interface Window {
  warmupMs: number;
  measureMs: number;
  /** Pause after each answer; 0 is back-to-back. */
  pauseMs?: number;
}

/**
 * Back-to-back pollers are a closed loop: by Little's law p50 ~ pollers / throughput, so 200 of
 * them wait ~40 ms at 5,000 req/s however fast each answer is. Pausing 40 ms after each answer
 * offers the target's 5,000 req/s (200 / 40 ms) and shows what one poll costs at that rate.
 */
const PACED_PAUSE_MS = 40;

/** Figure 1: pollMsg back-to-back from many members of one room, nothing new to read. */
export const pollThroughput: Scenario = {
  name: 'poll',
  title: '1. pollMsg throughput and latency',
  async run({ quick, serverRun }) {
    const sizes = quick ? [10, 30] : [50, 200, 500];
    const floorSize = quick ? 30 : 200;
    const window = { warmupMs: quick ? 500 : 2_000, measureMs: quick ? 1_500 : 10_000 };
    const rows: Cell[][] = [];
    const results = new Map<number, PhaseFigures>();
    let paced: PhaseFigures | undefined;
    const pacedSize = quick ? 30 : 200;

    await withProcesses({ ...serverRun, memoizePasswordHashes: true }, async (server, load) => {
      const population = await populate(server.endpoint, 'poll', fullRooms(Math.max(...sizes)));
      for (const size of sizes) {
        const members = population.members.slice(0, size);
        const rooms = new Set(members.map((m) => m.roomName)).size;
        const { figures, row } = await measure(server, load, members, window);
        results.set(size, figures);
        rows.push([`${size} in ${rooms} room${rooms > 1 ? 's' : ''}`, ...row]);
      }
      const members = population.members.slice(0, pacedSize);
      const measured = await measure(server, load, members, { ...window, pauseMs: PACED_PAUSE_MS });
      paced = measured.figures;
      rows.push([`${pacedSize}, each pausing ${PACED_PAUSE_MS} ms`, ...measured.row]);
    });

    // The same load against a server that does nothing but TLS and HTTP.
    await withProcesses({ ...serverRun, floor: true }, async (server, load) => {
      const members = Array.from({ length: floorSize }, (_, i) => ({
        roomName: 'floor',
        user: `member${i + 1}`,
        sesskey: `floor-${'x'.repeat(48)}`,
        last: 0,
      }));
      const { row } = await measure(server, load, members, window);
      rows.push([`${floorSize}, bare node:https floor`, ...row]);
    });

    const at200 = results.get(200);
    const at500 = results.get(500);
    return [
      renderTable(
        [
          'pollers',
          'req/s',
          'p50 ms',
          'p99 ms',
          'max ms',
          'errors',
          'server CPU',
          'server µs/req',
          'load CPU',
        ],
        rows,
      ),
      '',
      `Measured ${window.measureMs / 1000} s after ${window.warmupMs / 1000} s of warm-up; each poller is a joined member with its own session and keep-alive connection, polling back-to-back in a quiet room (answers are \`unchanged\`); the paced row's pollers pause ${PACED_PAUSE_MS} ms after each answer, offering ${Math.round((pacedSize * 1000) / PACED_PAUSE_MS).toLocaleString('en-US')} req/s. CPU is a share of one core (2 cores = 200%); server µs/req is server CPU time per answered poll. A room holds at most 200 accounts, so 500 pollers need 3 rooms. The floor row is the same load against floor-child.ts: TLS and HTTP only.`,
      `Target >= 5,000 req/s with 200 pollers: ${verdict((at200?.requestsPerSecond ?? 0) >= 5_000, quick)}. p99 < 20 ms with 200 pollers: back-to-back ${verdict((at200?.latency.p99Ms ?? Infinity) < 20, quick)}, paced ${verdict((paced?.latency.p99Ms ?? Infinity) < 20, quick)}. No errors at 500: ${verdict(at500?.errors === 0, quick)}.`,
    ].join('\n');
  },
};

async function measure(
  server: ServerProcess,
  load: LoadProcess,
  members: Member[],
  window: Window,
) {
  const [result, [before, after]] = await Promise.all([
    load.run('pollers', { endpoint: server.endpoint, members, ...window }),
    statsAround(server, window.warmupMs, window.warmupMs + window.measureMs),
  ]);
  const figures = result.steady;
  const serverCpuMs = after.cpuMs - before.cpuMs;
  const row: Cell[] = [
    Math.round(figures.requestsPerSecond),
    ms(figures.latency.p50Ms),
    ms(figures.latency.p99Ms),
    ms(figures.latency.maxMs),
    result.firstError ? `${figures.errors} (${result.firstError})` : figures.errors,
    `${Math.round(cpuShare(before, after, window.measureMs) * 100)}%`,
    figures.requests > 0 ? Math.round((serverCpuMs * 1000) / figures.requests) : '-',
    `${Math.round(figures.loadCpu * 100)}%`,
  ];
  return { figures, row };
}
