import { cpuShare, statsAround, withProcesses } from '../harness/bench-processes';
import { Connection } from '../harness/client';
import type { LoadProcess } from '../harness/load-process';
import { fullRooms, populate } from '../harness/room-layout';
import type { ServerProcess } from '../harness/server-process';
import { renderTable, type Cell } from '../harness/table';
import type { PollersParams, PollersResult } from '../load/pollers';
import type { Member } from '../load/member';
import { taggedMessage } from '../load/payload';
import { ms, verdict, type Scenario } from './scenario';

type Measured = PollersResult & { serverCpuUs?: number };
type Load = Omit<PollersParams, 'endpoint' | 'members' | 'warmupMs' | 'measureMs'>;

/** A probe's new connection polls this often while the others keep the server busy. */
const PROBE_PAUSE_MS = 100;
/** Messages in a large answer: a client back after a while, or joining a busy room. */
const LARGE_ANSWER_ROWS = 200;
const MESSAGE_BYTES = 500;
/**
 * A load generator busy this share of a core or more is the limit of its row: the row then
 * measures the generator (one Node process), not the server, and is flagged.
 */
const GENERATOR_LIMIT = 0.9;
const GENERATOR_FLAG = '†';

/**
 * Figure 1: pollMsg from many members, nothing new to read unless said. Back-to-back pollers
 * are a closed loop (by Little's law p50 ~ pollers / throughput); the open-loop rows offer a
 * fixed rate and time each poll from when it was due, which is what a user's latency is.
 */
export const pollThroughput: Scenario = {
  name: 'poll',
  title: '1. pollMsg throughput and latency',
  async run({ quick, serverRun }) {
    const sizes = quick ? [10, 30] : [50, 200, 500];
    const busy = quick ? 30 : 200;
    const freshPollers = quick ? 5 : 20;
    const openRates = quick ? [200, 600] : [1_000, 3_000];
    const window = { warmupMs: quick ? 500 : 2_000, measureMs: quick ? 1_500 : 10_000 };
    const rows: Cell[][] = [];
    const notes: string[] = [];
    let generatorBound = 0;
    const limitedKeys = new Set<string>();
    const results = new Map<string, Measured>();

    await withProcesses({ ...serverRun, memoizePasswordHashes: true }, async (server, load) => {
      // One extra room beyond the pollers': its members are the probe and the large answers.
      const population = await populate(server.endpoint, 'poll', [
        ...fullRooms(Math.max(...sizes)),
        { members: 1 + freshPollers, invitees: 0 },
      ]);
      const pollers = population.members.slice(0, Math.max(...sizes));
      const spare = population.members.slice(Math.max(...sizes));
      const run = async (key: string, label: string, members: Member[], spec: Load) => {
        const { result, row, limited } = await measure(server, load, members, window, spec);
        if (limited) {
          generatorBound += 1;
          limitedKeys.add(key);
        }
        results.set(key, result);
        rows.push([label, ...row]);
        return result;
      };
      for (const size of sizes) {
        const members = pollers.slice(0, size);
        const rooms = new Set(members.map((m) => m.roomName)).size;
        const label = `${size} in ${rooms} room${rooms > 1 ? 's' : ''}`;
        const probe =
          size === busy ? { member: spare[0] as Member, pauseMs: PROBE_PAUSE_MS } : undefined;
        const result = await run(`b2b${size}`, label, members, probe ? { probe } : {});
        if (result.probe) {
          const p = result.probe;
          rows.push([
            `+1 new connection per poll beside the ${size}`,
            Math.round(p.count / (window.measureMs / 1000)),
            ms(p.p50Ms),
            ms(p.p99Ms),
            ms(p.maxMs),
            p.errors,
            '-',
            '-',
            '-',
            '-',
            '-',
          ]);
        }
      }
      for (const rate of openRates)
        await run(
          `open${rate}`,
          `${busy}, open loop at ${rate.toLocaleString('en-US')}/s`,
          pollers.slice(0, busy),
          {
            ratePerSecond: rate,
          },
        );
      await run('stock', `${busy} every 1 s, new connection each`, pollers.slice(0, busy), {
        pauseMs: 1_000,
        style: 'fresh',
      });
      await run(
        'fresh',
        `${freshPollers} back-to-back, new connection each`,
        pollers.slice(0, freshPollers),
        {
          style: 'fresh',
        },
      );
      await run(
        'resumed',
        `${freshPollers} back-to-back, new connection, resumed session`,
        pollers.slice(0, freshPollers),
        {
          style: 'resumed',
        },
      );

      // Large answers: the spare room gets LARGE_ANSWER_ROWS messages, which every poll re-reads.
      const large = spare.slice(1, 1 + freshPollers);
      const from = await fillRoom(server, spare[0] as Member, LARGE_ANSWER_ROWS);
      await run(
        'large',
        `${large.length} back-to-back, ${LARGE_ANSWER_ROWS} messages each answer`,
        large,
        {
          replayFrom: from,
        },
      );
    });

    // The same loads against a server that does nothing but TLS and HTTP.
    await withProcesses({ ...serverRun, floor: true }, async (server, load) => {
      const members = Array.from({ length: busy }, (_, i) => ({
        roomName: 'floor',
        user: `member${i + 1}`,
        sesskey: `floor-${'x'.repeat(48)}`,
        last: 0,
      }));
      for (const [label, spec, count] of [
        [`${busy}, bare node:https floor`, {}, busy],
        [`${freshPollers}, new connection each, floor`, { style: 'fresh' }, freshPollers],
      ] as const) {
        const { row, limited } = await measure(server, load, members.slice(0, count), window, spec);
        if (limited) generatorBound += 1;
        rows.push([label, ...row]);
      }
    });

    if (generatorBound > 0)
      notes.push(
        `${GENERATOR_FLAG} ${generatorBound} row${generatorBound > 1 ? 's' : ''}: the load generator used ${Math.round(GENERATOR_LIMIT * 100)}% of a core or more, so the row measures the generator, not the server; its req/s is a floor of what the server does (check such a row with a leaner client, e.g. wrk).`,
      );
    const at = (key: string) => results.get(key)?.steady;
    const open1k = at(`open${openRates[0]}`);
    const fresh = results.get('fresh');
    const freshUs = fresh?.serverCpuUs ?? Infinity;
    const probe = results.get(`b2b${busy}`)?.probe;
    notes.push(
      `Measured ${window.measureMs / 1000} s after ${window.warmupMs / 1000} s of warm-up; each poller is a joined member with its own session, polling in a quiet room (answers are \`unchanged\`) unless the row says otherwise. Keep-alive unless the row says "new connection": then every poll opens a new TLS connection, sends \`Connection: close\` and resumes no session, as the stock client (urllib2) does; "resumed session" resumes the previous connection's TLS session. Open loop: polls are due on a fixed schedule spread over the ${busy} members, and latency runs from when a poll was due, so a stall counts against every poll due during it; "send lag p99" is how late the load generator itself sent them, and "p99 from send" times each poll from when it actually left (the server's share, without the load generator's lateness; the target is on p99 from when due). The "+1 new connection" row is one more member polling on a new connection every ${PROBE_PAUSE_MS} ms beside the back-to-back pollers (latency from connect to answer). CPU is a share of one core (2 cores = 200%); server µs/req is server CPU time per answered poll. A room holds at most 200 accounts, so 500 pollers need 3 rooms. The floor rows are the same loads against floor-child.ts: TLS and HTTP only.`,
      `Targets: >= 5,000 req/s with ${busy} pollers: ${verdict((at(`b2b${busy}`)?.requestsPerSecond ?? 0) >= 5_000, quick)}${limitedKeys.has(`b2b${busy}`) ? ` (${GENERATOR_FLAG} generator-bound: the server may do more)` : ''}. No errors at ${Math.max(...sizes)}: ${verdict(at(`b2b${Math.max(...sizes)}`)?.errors === 0, quick)}. Open-loop p99 < 5 ms at ${openRates[0]?.toLocaleString('en-US')}/s: ${verdict((open1k?.latency.p99Ms ?? Infinity) < 5, quick)}. Server CPU per poll on a new connection <= 700 µs: ${verdict(freshUs <= 700, quick)}. New connection's poll p50 < 20 ms beside ${busy} back-to-back pollers: ${verdict((probe?.p50Ms ?? Infinity) < 20 && probe?.errors === 0, quick)}.`,
    );
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
          'send lag p99 ms',
          'p99 from send ms',
        ],
        rows,
      ),
      '',
      ...notes,
    ].join('\n');
  },
};

/** Sends `count` messages into the member's room; resolves with the id just before the first. */
async function fillRoom(server: ServerProcess, sender: Member, count: number): Promise<number> {
  const connection = new Connection(server.endpoint);
  try {
    let first: number | undefined;
    for (let seq = 0; seq < count; seq++) {
      const body = await connection.expectOk('sendMsg', {
        roomName: sender.roomName,
        user: sender.user,
        sesskey: sender.sesskey,
        msg: taggedMessage(seq, MESSAGE_BYTES),
      });
      first ??= Number(body.msgid);
    }
    return (first ?? 1) - 1;
  } finally {
    connection.close();
  }
}

async function measure(
  server: ServerProcess,
  load: LoadProcess,
  members: Member[],
  window: { warmupMs: number; measureMs: number },
  spec: Load,
) {
  const [result, [before, after]] = await Promise.all([
    load.run('pollers', { endpoint: server.endpoint, members, ...window, ...spec }),
    statsAround(server, window.warmupMs, window.warmupMs + window.measureMs),
  ]);
  const figures = result.steady;
  const serverCpuMs = after.cpuMs - before.cpuMs;
  const serverCpuUs = figures.requests > 0 ? (serverCpuMs * 1000) / figures.requests : undefined;
  const measured: Measured = { ...result, serverCpuUs };
  const limited = figures.loadCpu >= GENERATOR_LIMIT;
  const row: Cell[] = [
    limited
      ? `${Math.round(figures.requestsPerSecond)} ${GENERATOR_FLAG}`
      : Math.round(figures.requestsPerSecond),
    ms(figures.latency.p50Ms),
    ms(figures.latency.p99Ms),
    ms(figures.latency.maxMs),
    result.firstError ? `${figures.errors} (${result.firstError})` : figures.errors,
    `${Math.round(cpuShare(before, after, window.measureMs) * 100)}%`,
    serverCpuUs === undefined ? '-' : Math.round(serverCpuUs),
    `${Math.round(figures.loadCpu * 100)}%`,
    figures.sendLag ? ms(figures.sendLag.p99Ms) : '-',
    figures.fromSend ? ms(figures.fromSend.p99Ms) : '-',
  ];
  return { result: measured, row, limited };
}
