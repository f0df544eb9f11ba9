import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection, type Endpoint } from '../harness/client';
import { LeanConnection } from '../harness/lean-connection';
import { LatencyRecorder, type LatencySummary } from '../harness/histogram';
import { pollOnce, type Invitee, type Member } from './member';

export interface PollersParams {
  endpoint: Endpoint;
  members: Member[];
  /** Connections open and polling before anything is measured (TLS handshakes, JIT warm-up). */
  warmupMs: number;
  measureMs: number;
  /** Pause after each answer: 0 polls back-to-back, 1000 is the stock client's rhythm. */
  pauseMs?: number;
  /** Invitees who all join at once after the measured window; polls during their joins are measured apart. */
  storm?: Invitee[];
}

export interface PhaseFigures {
  requests: number;
  errors: number;
  durationMs: number;
  requestsPerSecond: number;
  latency: LatencySummary;
  /** CPU the load generator itself used, as a share of one core. */
  loadCpu: number;
}

export interface PollersResult {
  steady: PhaseFigures;
  storm?: PhaseFigures & { joins: LatencySummary; joinErrors: number };
  firstError?: string;
}

type Phase = 'warmup' | 'steady' | 'storm' | 'done';

class PhaseCounter {
  readonly latency = new LatencyRecorder();
  requests = 0;
  errors = 0;
  startedAt = 0;
  endedAt = 0;
  private cpuAtStart = process.cpuUsage();
  private cpuUsed = 0;

  start(): void {
    this.startedAt = performance.now();
    this.cpuAtStart = process.cpuUsage();
  }

  end(): void {
    this.endedAt = performance.now();
    const cpu = process.cpuUsage(this.cpuAtStart);
    this.cpuUsed = (cpu.user + cpu.system) / 1000;
  }

  figures(): PhaseFigures {
    const durationMs = this.endedAt - this.startedAt;
    return {
      requests: this.requests,
      errors: this.errors,
      durationMs,
      requestsPerSecond: durationMs > 0 ? (this.requests * 1000) / durationMs : 0,
      latency: this.latency.summary(),
      loadCpu: durationMs > 0 ? this.cpuUsed / durationMs : 0,
    };
  }
}

/**
 * Every member polls back-to-back on its own keep-alive connection (LeanConnection, so the load
 * generator's CPU stays small beside the server's). A poll counts toward the
 * phase in which it started.
 */
export async function runPollers(params: PollersParams): Promise<PollersResult> {
  let phase: Phase = 'warmup';
  const counters = { steady: new PhaseCounter(), storm: new PhaseCounter() };
  let firstError: string | undefined;
  const noteError = (counter: PhaseCounter | undefined, message: string) => {
    if (!counter) return;
    counter.errors++;
    firstError ??= message;
  };

  const connections = params.members.map(() => new LeanConnection(params.endpoint));
  const loops = params.members.map(async (member, i) => {
    const connection = connections[i] as LeanConnection;
    const pauseMs = params.pauseMs ?? 0;
    // Paced pollers start spread over one pause, as independent clients would.
    if (pauseMs > 0) await sleep(Math.random() * pauseMs);
    while (phase !== 'done') {
      const counter = phase === 'warmup' ? undefined : counters[phase];
      const started = performance.now();
      try {
        const { status, body, rows } = await pollOnce(connection, member);
        if (counter) {
          counter.requests++;
          counter.latency.record(performance.now() - started);
          if (!rows) noteError(counter, `pollMsg answered HTTP ${status} ${JSON.stringify(body)}`);
        }
      } catch (error) {
        noteError(counter, String(error));
        if (phase === 'warmup') await sleep(50);
      }
      if (pauseMs > 0) await sleep(pauseMs);
    }
  });

  await sleep(params.warmupMs);
  phase = 'steady';
  counters.steady.start();
  await sleep(params.measureMs);
  counters.steady.end();

  let storm: PollersResult['storm'];
  if (params.storm) {
    phase = 'storm';
    counters.storm.start();
    const joins = new LatencyRecorder();
    let joinErrors = 0;
    await Promise.all(
      params.storm.map(async (invitee) => {
        const connection = new Connection(params.endpoint);
        const started = performance.now();
        try {
          const body = await connection.expectOk('joinRoom', {
            roomName: invitee.roomName,
            user: invitee.user,
            userpass: invitee.pass,
          });
          if (body.status !== 'ok') throw new Error(`joinRoom answered ${JSON.stringify(body)}`);
          joins.record(performance.now() - started);
        } catch (error) {
          joinErrors++;
          firstError ??= String(error);
        } finally {
          connection.close();
        }
      }),
    );
    counters.storm.end();
    storm = { ...counters.storm.figures(), joins: joins.summary(), joinErrors };
  }

  phase = 'done';
  await Promise.all(loops);
  for (const connection of connections) connection.close();
  return { steady: counters.steady.figures(), storm, firstError };
}
