import { withProcesses } from '../harness/bench-processes';
import { populate } from '../harness/room-layout';
import { renderTable } from '../harness/table';
import type { Member } from '../load/member';
import { ms, verdict, type Scenario } from './scenario';

/** Figure 3: sendMsg to the message in other members' hands, by 1-second polling and by long-poll. */
export const deliveryLatency: Scenario = {
  name: 'delivery',
  title: '3. Delivery latency',
  async run({ quick, serverRun }) {
    const roomSize = quick ? 10 : 50;
    const messageBytes = 500;
    const modes = [
      {
        mode: 'interval' as const,
        label: '1 s polling, new connection each (stock client)',
        messages: quick ? 4 : 20,
        sendEveryMs: 500,
      },
      {
        mode: 'push' as const,
        label: 'long-poll (`wait`)',
        messages: quick ? 10 : 100,
        sendEveryMs: 100,
      },
    ];
    return withProcesses({ ...serverRun, memoizePasswordHashes: true }, async (server, load) => {
      const { members } = await populate(server.endpoint, 'delivery', [
        { members: roomSize, invitees: 0 },
      ]);
      const [sender, ...receivers] = members as [Member, ...Member[]];
      const rows = [];
      let push: { p50: number; p99: number; ok: boolean } | undefined;
      for (const { mode, label, messages, sendEveryMs } of modes) {
        const result = await load.run('delivery', {
          endpoint: server.endpoint,
          sender,
          receivers,
          mode,
          pollIntervalMs: 1_000,
          waitSeconds: 25,
          messages,
          sendEveryMs,
          messageBytes,
        });
        const { latency } = result;
        rows.push([
          label,
          messages,
          `${result.delivered}/${result.expected}`,
          ms(latency.p50Ms),
          ms(latency.p99Ms),
          ms(latency.maxMs),
          result.errors,
        ]);
        if (result.firstError) rows.push([`first error: ${result.firstError}`]);
        if (mode === 'push')
          push = {
            p50: latency.p50Ms,
            p99: latency.p99Ms,
            ok: result.errors === 0 && result.delivered === result.expected,
          };
      }
      return [
        renderTable(
          ['delivery', 'messages', 'delivered', 'median ms', 'p99 ms', 'max ms', 'errors'],
          rows,
        ),
        '',
        `One room of ${roomSize} members: one sends ${messageBytes}-byte messages, the other ${receivers.length} receive (1 s polling: a new TLS connection per poll, as the stock client; long-poll: keep-alive). Latency runs from just before sendMsg leaves the sender to the parsed poll answer carrying it.`,
        `Target with push, median < 50 ms and p99 < 150 ms: ${verdict(!!push && push.ok && push.p50 < 50 && push.p99 < 150, quick)}.`,
      ].join('\n');
    });
  },
};
