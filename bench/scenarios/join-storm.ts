import { sampleStats, withProcesses } from '../harness/bench-processes';
import { populate, sameRooms } from '../harness/room-layout';
import { renderTable } from '../harness/table';
import { megabytes, ms, verdict, type Scenario } from './scenario';

/** Figure 2: the 200 pollers of figure 1 while 20 invited users join at once (argon2 verify each). */
export const joinStorm: Scenario = {
  name: 'storm',
  title: '2. Poll latency during a join storm',
  async run({ quick, cpuProfileDir }) {
    // Two rooms of 100 pollers + 10 joiners: 220 accounts do not fit in one room (200 at most).
    const shapes = quick
      ? sameRooms(2, { members: 10, invitees: 3 })
      : sameRooms(2, { members: 100, invitees: 10 });
    const warmupMs = quick ? 500 : 2_000;
    const measureMs = quick ? 1_000 : 5_000;
    return withProcesses({ cpuProfileDir, memoizePasswordHashes: true }, async (server, load) => {
      const { members, invitees } = await populate(server.endpoint, 'storm', shapes);
      const sampler = sampleStats(server, 100);
      const result = await load.run('pollers', {
        endpoint: server.endpoint,
        members,
        warmupMs,
        measureMs,
        storm: invitees,
      });
      const samples = await sampler.stop();
      const { steady, storm } = result;
      if (!storm) throw new Error('the load generator ran no storm');
      const peakRss = Math.max(...samples.map((s) => s.rss));
      const table = renderTable(
        ['phase', 'duration s', 'polls', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'errors'],
        [
          [
            'steady, before',
            (steady.durationMs / 1000).toFixed(1),
            steady.requests,
            Math.round(steady.requestsPerSecond),
            ms(steady.latency.p50Ms),
            ms(steady.latency.p99Ms),
            ms(steady.latency.maxMs),
            steady.errors,
          ],
          [
            `${invitees.length} joins at once`,
            (storm.durationMs / 1000).toFixed(2),
            storm.requests,
            Math.round(storm.requestsPerSecond),
            ms(storm.latency.p50Ms),
            ms(storm.latency.p99Ms),
            ms(storm.latency.maxMs),
            storm.errors,
          ],
        ],
      );
      return [
        table,
        '',
        `${members.length} pollers in ${shapes.length} rooms; ${invitees.length} invited users join at once, each on a new TLS connection. joinRoom latency p50 ${ms(storm.joins.p50Ms)} ms, p99 ${ms(storm.joins.p99Ms)} ms, ${storm.joinErrors} failed. Server peak RSS during the run ${megabytes(peakRss)} MB.`,
        result.firstError ? `First error: ${result.firstError}` : '',
        `Target poll p99 < 50 ms during the storm: ${verdict(storm.latency.p99Ms < 50 && storm.errors === 0 && storm.joinErrors === 0, quick)}.`,
      ]
        .filter(Boolean)
        .join('\n');
    });
  },
};
