import { cpuShare, statsAround, withProcesses } from '../harness/bench-processes';
import { fullRooms, populate } from '../harness/room-layout';
import { renderTable } from '../harness/table';
import { ms, verdict, type Scenario } from './scenario';

/** Figure 1: pollMsg back-to-back from many members of one room, nothing new to read. */
export const pollThroughput: Scenario = {
  name: 'poll',
  title: '1. pollMsg throughput and latency',
  async run({ quick, cpuProfileDir }) {
    const sizes = quick ? [10, 30] : [50, 200, 500];
    const warmupMs = quick ? 500 : 2_000;
    const measureMs = quick ? 1_500 : 10_000;
    return withProcesses({ cpuProfileDir, memoizePasswordHashes: true }, async (server, load) => {
      const population = await populate(server.endpoint, 'poll', fullRooms(Math.max(...sizes)));
      const rows = [];
      const results = [];
      for (const size of sizes) {
        const members = population.members.slice(0, size);
        const rooms = new Set(members.map((m) => m.roomName)).size;
        const [result, [before, after]] = await Promise.all([
          load.run('pollers', { endpoint: server.endpoint, members, warmupMs, measureMs }),
          statsAround(server, warmupMs, warmupMs + measureMs),
        ]);
        const { steady } = result;
        results.push({ size, steady });
        rows.push([
          size,
          rooms,
          Math.round(steady.requestsPerSecond),
          ms(steady.latency.p50Ms),
          ms(steady.latency.p99Ms),
          ms(steady.latency.maxMs),
          steady.errors,
          `${Math.round(cpuShare(before, after, measureMs) * 100)}%`,
          `${Math.round(steady.loadCpu * 100)}%`,
        ]);
        if (result.firstError) rows.push([`first error: ${result.firstError}`]);
      }
      const at200 = results.find((r) => r.size === 200)?.steady;
      const at500 = results.find((r) => r.size === 500)?.steady;
      return [
        renderTable(
          [
            'pollers',
            'rooms',
            'req/s',
            'p50 ms',
            'p99 ms',
            'max ms',
            'errors',
            'server CPU',
            'load CPU',
          ],
          rows,
        ),
        '',
        `Measured ${measureMs / 1000} s after ${warmupMs / 1000} s of warm-up; each poller is a joined member with its own session and keep-alive connection. CPU is a share of one core (2 cores = 200%).`,
        `Target >= 5,000 req/s with 200 pollers: ${verdict((at200?.requestsPerSecond ?? 0) >= 5_000, quick)}. p99 < 20 ms with 200 pollers: ${verdict((at200?.latency.p99Ms ?? Infinity) < 20, quick)}. No errors at 500: ${verdict(at500?.errors === 0, quick)}.`,
      ].join('\n');
    });
  },
};
