/**
 * The app main loop's lag while a flood hits the room server it hosts (issue #26): this
 * process stands in for Electron's main, and starts the server as Hosting does, once in the
 * same process and once in a process of its own (src-main/hosting/server-process.ts, forked as
 * the app's utilityProcess is). The flood comes from a third process. Lag is this loop's delay
 * (perf_hooks.monitorEventLoopDelay): what IPC, menus and window events would wait.
 * Run alone with `npx tsx bench/main-loop-lag.bench.ts [--quick]`, or through `npm run bench`.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { StartServer } from '../src-main/hosting/hosting';
import { forkNodeServerProcess, serverInProcessOf } from '../src-main/hosting/server-process';
import { startServer } from '../src-main/server/index';
import { forkTs, hasType, nextMessage } from './harness/child-process';

const CONNECTIONS = 16;

function delays(histogram: ReturnType<typeof monitorEventLoopDelay>) {
  const ms = (ns: number) => (ns / 1e6).toFixed(1);
  return {
    p50: ms(histogram.percentile(50)),
    p99: ms(histogram.percentile(99)),
    max: ms(histogram.max),
  };
}

/** The floor: this loop's delay with no server and no flood (timer resolution, the machine). */
async function idleLag(seconds: number) {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  histogram.disable();
  return { rate: 0, ...delays(histogram) };
}

async function lagDuringFlood(start: StartServer, seconds: number) {
  const server = await start({ host: '127.0.0.1', port: 0, log: () => {} });
  const flood = forkTs(new URL('./load/flood-child.ts', import.meta.url).pathname, [
    `https://127.0.0.1:${server.port}`,
    String(seconds),
    String(CONNECTIONS),
  ]);
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  const { requests } = await nextMessage<{ type: 'flooded'; requests: number }>(
    flood,
    hasType('flooded'),
  );
  histogram.disable();
  await server.close();
  return { rate: Math.round(requests / seconds), ...delays(histogram) };
}

export default async function run({ quick }: { quick: boolean }): Promise<void> {
  const seconds = quick ? 1 : 8;
  const modes: [string, StartServer][] = [
    ['server in the main process (before)', startServer],
    ['server in its own process (after)', serverInProcessOf({ spawn: forkNodeServerProcess })],
  ];
  console.log(`Main loop lag while ${CONNECTIONS} connections flood serverInfo for ${seconds} s`);
  console.log('| server | flood (req/s) | loop delay p50 | p99 | max |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  const rows: [string, () => ReturnType<typeof idleLag>][] = [
    ['no server, no flood (floor)', () => idleLag(seconds)],
    ...modes.map(([name, start]): [string, () => ReturnType<typeof idleLag>] => [
      name,
      () => lagDuringFlood(start, seconds),
    ]),
  ];
  for (const [name, measure] of rows) {
    const r = await measure();
    console.log(`| ${name} | ${r.rate || '-'} | ${r.p50} ms | ${r.p99} ms | ${r.max} ms |`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await run({ quick: process.argv.includes('--quick') });
}
