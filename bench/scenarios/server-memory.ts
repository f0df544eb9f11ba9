import { sampleStats, withProcesses } from '../harness/bench-processes';
import { populate, sameRooms } from '../harness/room-layout';
import type { ServerStats } from '../harness/server-process';
import { renderTable, type Cell } from '../harness/table';
import type { Member } from '../load/member';
import { megabytes, verdict, type Scenario, type ServerRunOptions } from './scenario';

const MINUTE = 60_000;
/** The server's defaults the compressed run scales down. */
const REAL = { messageMaxAgeMs: 10 * MINUTE, purgeIntervalMs: MINUTE };

interface Plan {
  label: string;
  rooms: number;
  members: number;
  /** Traffic time at the real rate. */
  simulatedMs: number;
  /** 1 is real time; 10 runs `simulatedMs` ten times faster at ten times the message rate. */
  timeScale: number;
}

/**
 * Figure 5: server RSS with many busy rooms, run twice. Compressed: ten simulated minutes run
 * `timeScale` times faster: message TTL, purge interval and run time shrink by the factor and the
 * message rate grows by it, so the server holds the same messages at its peak (rate x TTL),
 * receives the same total, and purges at the same point of each message's life as in real time;
 * but ten times the requests per second also make ten times the garbage per second, which
 * inflates V8's heap. Real rate: the real message and poll rate and the real TTL, in a shorter
 * window, so it holds only the messages of that window.
 */
export const serverMemory: Scenario = {
  name: 'memory',
  title: '5. Server memory with 100 busy rooms',
  async run({ quick, serverRun }) {
    const plans: Plan[] = quick
      ? [
          {
            label: 'compressed x60',
            rooms: 5,
            members: 5,
            simulatedMs: 10 * MINUTE,
            timeScale: 60,
          },
          { label: 'real rate', rooms: 5, members: 5, simulatedMs: 5_000, timeScale: 1 },
        ]
      : [
          {
            label: '10 min compressed x10',
            rooms: 100,
            members: 20,
            simulatedMs: 10 * MINUTE,
            timeScale: 10,
          },
          {
            label: '90 s at the real rate',
            rooms: 100,
            members: 20,
            simulatedMs: 90_000,
            timeScale: 1,
          },
        ];
    const rows: Cell[][] = [];
    const notes: string[] = [];
    let compressedOk = false;
    let realOk = false;
    for (const plan of plans) {
      const { moments, note, peak, errors } = await measurePlan(plan, serverRun);
      for (const [moment, at] of moments)
        rows.push([
          plan.label,
          moment,
          megabytes(at.rss),
          megabytes(at.heapTotal),
          megabytes(at.heapUsed),
        ]);
      notes.push(note);
      const ok = peak < 150 * 1024 ** 2 && errors === 0;
      if (plan.timeScale === 1) realOk = ok;
      else compressedOk = ok;
    }
    return [
      renderTable(['run', 'moment', 'RSS MB', 'V8 heap committed MB', 'V8 heap used MB'], rows),
      '',
      ...notes,
      `Target peak RSS < 150 MB: compressed ${verdict(compressedOk, quick)}, real rate ${verdict(realOk, quick)}.`,
    ].join('\n');
  },
};

async function measurePlan(plan: Plan, serverRun: ServerRunOptions) {
  const messagesPerSecondPerRoom = 1 * plan.timeScale;
  const messageBytes = 500;
  const server = {
    messageMaxAgeMs: REAL.messageMaxAgeMs / plan.timeScale,
    purgeIntervalMs: REAL.purgeIntervalMs / plan.timeScale,
  };
  const durationMs = plan.simulatedMs / plan.timeScale;
  return withProcesses(
    { ...serverRun, server, memoizePasswordHashes: true },
    async (proc, load) => {
      const idle = await proc.stats();
      // The first room's members get passwords of their own, so real argon2 runs (as in real use);
      // the other rooms share one password and skip the repeated hashing (argon2-memo.ts).
      const shapes = sameRooms(plan.rooms, { members: plan.members, invitees: 0 });
      shapes[0] = { members: plan.members, invitees: 0, uniquePasswords: true };
      const { members } = await populate(proc.endpoint, 'memory', shapes);
      const afterSetup = await proc.stats();
      const rooms: Member[][] = [];
      for (let i = 0; i < members.length; i += plan.members)
        rooms.push(members.slice(i, i + plan.members));

      const sampler = sampleStats(proc, 1_000);
      const traffic = await load.run('traffic', {
        endpoint: proc.endpoint,
        rooms,
        durationMs,
        messagesPerSecondPerRoom,
        messageBytes,
        pollIntervalMs: 1_000,
        socketsPerRoom: 4,
      });
      const samples = await sampler.stop();
      const end = await proc.stats();
      const live = await proc.stats({ gc: true });
      const peak = samples.reduce((a, b) => (b.rss > a.rss ? b : a), end);
      const cpu = ((end.cpuMs - afterSetup.cpuMs) / traffic.elapsedMs) * 100;
      const expectedSends = plan.rooms * messagesPerSecondPerRoom * (durationMs / 1000);
      const held = Math.min(durationMs, server.messageMaxAgeMs) / 1000;
      const moments: [string, ServerStats][] = [
        ['server started, empty', idle],
        [`${plan.rooms} rooms x ${plan.members} members joined`, afterSetup],
        ['peak during traffic', peak],
        ['end of traffic', end],
        ['end of traffic, after a full GC', live],
      ];
      const window =
        plan.timeScale === 1
          ? `${plan.label}: ${durationMs / 1000} s of traffic at the real rate, message TTL ${server.messageMaxAgeMs / 1000} s (the server holds the last ${Math.round(held)} s of messages, ${Math.round((held * 100) / (REAL.messageMaxAgeMs / 1000))}% of what 10 minutes hold)`
          : `${plan.label}: ${plan.simulatedMs / MINUTE} simulated minutes in ${durationMs / 1000} s: message TTL ${server.messageMaxAgeMs / 1000} s, purge every ${server.purgeIntervalMs / 1000} s`;
      const note = `${window}; ${messagesPerSecondPerRoom} messages/s per room of ${messageBytes} bytes (base64 on the wire). Sent ${traffic.sent.toLocaleString('en-US')} of ${expectedSends.toLocaleString('en-US')} messages; ${traffic.polls.toLocaleString('en-US')} polls (every member every 1 s, each room's members sharing 4 keep-alive sockets) delivered ${traffic.rowsReceived.toLocaleString('en-US')} rows; ${traffic.errors} errors${traffic.firstError ? ` (first: ${traffic.firstError})` : ''}. Server CPU ${Math.round(cpu)}% of one core.`;
      return { moments, note, peak: peak.rss, errors: traffic.errors };
    },
  );
}
