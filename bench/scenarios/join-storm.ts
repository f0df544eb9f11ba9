import { sampleStats, withProcesses } from '../harness/bench-processes';
import { populate, sameRooms } from '../harness/room-layout';
import { renderTable, type Cell } from '../harness/table';
import type { PhaseFigures } from '../load/pollers';
import { megabytes, ms, verdict, type Scenario } from './scenario';

const phaseRow = (label: string, f: PhaseFigures): Cell[] => [
  label,
  (f.durationMs / 1000).toFixed(2),
  f.requests,
  Math.round(f.requestsPerSecond),
  ms(f.latency.p50Ms),
  ms(f.latency.p99Ms),
  ms(f.latency.maxMs),
  f.errors,
];

/**
 * Figure 2: the 200 pollers of figure 1 while 20 invited users join at once (an argon2 verify
 * and a SYSTEM notice each). Run twice: pollers back-to-back as in figure 1 (the target), and
 * pollers at the stock client's one poll per second on a new connection each, which separates the joins' own cost from
 * the queueing of a saturated server.
 */
export const joinStorm: Scenario = {
  name: 'storm',
  title: '2. Poll latency during a join storm',
  async run({ quick, serverRun }) {
    // Two rooms of 100 pollers: 200 pollers + 20 joiners do not fit in one room (200 accounts at most).
    const joinersPerRun = quick ? 6 : 20;
    const shapes = sameRooms(2, { members: quick ? 10 : 100, invitees: joinersPerRun });
    const warmupMs = quick ? 500 : 2_000;
    const measureMs = quick ? 1_000 : 4_000;
    const runs = [
      { label: 'back-to-back', pauseMs: 0, style: 'keep-alive' as const },
      // The stock client's rhythm, and its way: a new TLS connection for every call.
      { label: 'every 1 s, new connection each', pauseMs: 1_000, style: 'fresh' as const },
    ];
    return withProcesses({ ...serverRun, memoizePasswordHashes: true }, async (server, load) => {
      const { members, invitees } = await populate(server.endpoint, 'storm', shapes);
      const rows: Cell[][] = [];
      const notes: string[] = [];
      let target: PhaseFigures | undefined;
      let failures = 0;
      for (const [i, { label, pauseMs, style }] of runs.entries()) {
        const sampler = sampleStats(server, 100);
        const result = await load.run('pollers', {
          endpoint: server.endpoint,
          members,
          warmupMs: warmupMs + pauseMs,
          measureMs,
          pauseMs,
          style,
          storm: invitees.slice(i * joinersPerRun, (i + 1) * joinersPerRun),
        });
        const samples = await sampler.stop();
        const { steady, storm } = result;
        if (!storm) throw new Error('the load generator ran no storm');
        if (pauseMs === 0) target = storm;
        failures += storm.errors + storm.joinErrors;
        rows.push(
          phaseRow(`${label}, steady`, steady),
          phaseRow(`${label}, ${joinersPerRun} joins`, storm),
        );
        notes.push(
          `${label}: joinRoom p50 ${ms(storm.joins.p50Ms)} ms, p99 ${ms(storm.joins.p99Ms)} ms, ${storm.joinErrors} failed; server peak RSS ${megabytes(Math.max(...samples.map((s) => s.rss)))} MB${result.firstError ? `; first error: ${result.firstError}` : ''}.`,
        );
      }
      return [
        renderTable(
          [
            'pollers, phase',
            'duration s',
            'polls',
            'req/s',
            'p50 ms',
            'p99 ms',
            'max ms',
            'errors',
          ],
          rows,
        ),
        '',
        `${members.length} pollers in ${shapes.length} rooms; the joiners join all at once, each on a new TLS connection; the storm phase lasts until the last join answers.`,
        ...notes,
        `Target poll p99 < 50 ms during the storm (back-to-back pollers): ${verdict(!!target && target.latency.p99Ms < 50 && failures === 0, quick)}.`,
      ].join('\n');
    });
  },
};
