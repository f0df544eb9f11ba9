import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection, type Endpoint } from '../harness/client';
import { LeanConnection, type ConnectionStyle } from '../harness/lean-connection';
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
  /**
   * Open loop instead: polls are due on a fixed schedule, `ratePerSecond` in all, spread evenly
   * over the members; each poll's latency runs from when it was due, so a stall delays every
   * poll due during it (no coordinated omission). A member whose last answer has not arrived
   * when its next poll is due sends that poll as soon as it does.
   */
  ratePerSecond?: number;
  /** Every poll asks from this message id on (`mylast`), so each answer carries the same rows. */
  replayFrom?: number;
  /** How each member connects (default keep-alive). */
  style?: ConnectionStyle;
  /**
   * One more member polling one poll at a time on new connections (stock-client style), measured
   * apart: what a new connection waits while the others keep the server busy.
   */
  probe?: { member: Member; pauseMs: number };
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
  /** Open loop: how late the load generator sent polls after they were due (its own lag). */
  sendLag?: LatencySummary;
  /**
   * Open loop: latency from when each poll actually left, without the load generator's own
   * lateness: the server's share of `latency` (and the network's, and reading the answer).
   */
  fromSend?: LatencySummary;
}

export interface PollersResult {
  steady: PhaseFigures;
  /** The probe's polls during the steady phase, each on a new connection. */
  probe?: LatencySummary & { errors: number };
  storm?: PhaseFigures & { joins: LatencySummary; joinErrors: number };
  firstError?: string;
}

type Phase = 'warmup' | 'steady' | 'storm' | 'done';

class PhaseCounter {
  readonly latency = new LatencyRecorder();
  readonly sendLag = new LatencyRecorder();
  readonly fromSend = new LatencyRecorder();
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
      ...(this.sendLag.summary().count > 0 ? { sendLag: this.sendLag.summary() } : {}),
      ...(this.fromSend.summary().count > 0 ? { fromSend: this.fromSend.summary() } : {}),
    };
  }
}

/**
 * Every member polls back-to-back (or paced, or on an open-loop schedule) on its own connection
 * (LeanConnection, so the load generator's CPU stays small beside the server's). A poll counts
 * toward the phase in which it started (open loop: in which it was due).
 */
export async function runPollers(params: PollersParams): Promise<PollersResult> {
  let phase: Phase = 'warmup' as Phase;
  const counters = { steady: new PhaseCounter(), storm: new PhaseCounter() };
  let firstError: string | undefined;
  const noteError = (counter: PhaseCounter | undefined, message: string) => {
    if (!counter) return;
    counter.errors++;
    firstError ??= message;
  };

  const connections = params.members.map(() => new LeanConnection(params.endpoint, params.style));
  const counterNow = () => (phase === 'steady' || phase === 'storm' ? counters[phase] : undefined);
  const pollOn = async (i: number, due: number, counter: PhaseCounter | undefined) => {
    const started = performance.now();
    if (params.replayFrom !== undefined) (params.members[i] as Member).last = params.replayFrom;
    try {
      const { status, body, rows } = await pollOnce(
        connections[i] as LeanConnection,
        params.members[i] as Member,
      );
      if (counter) {
        counter.requests++;
        const answered = performance.now();
        counter.latency.record(answered - due);
        if (due < started) counter.sendLag.record(started - due);
        if (params.ratePerSecond !== undefined) counter.fromSend.record(answered - started);
        if (!rows) noteError(counter, `pollMsg answered HTTP ${status} ${JSON.stringify(body)}`);
      }
    } catch (error) {
      noteError(counter, String(error));
      if (phase === 'warmup') await sleep(50);
    }
  };
  // A function, so TypeScript does not narrow `phase` across the awaits.
  const running = () => phase !== 'done';
  const rate = params.ratePerSecond;
  const loops =
    rate === undefined
      ? params.members.map(async (_, i) => {
          const pauseMs = params.pauseMs ?? 0;
          // Paced pollers start spread over one pause, as independent clients would.
          if (pauseMs > 0) await sleep(Math.random() * pauseMs);
          while (running()) {
            await pollOn(i, performance.now(), counterNow());
            if (pauseMs > 0) await sleep(pauseMs);
          }
        })
      : [openLoop(rate)];

  /**
   * One timer for all members (a timer or a spin per member would cost the load generator more
   * CPU than the polls, and on two cores that CPU is the server's): poll k is due at
   * start + k/rate and goes to member k mod n. Timers have millisecond steps, so a poll leaves
   * up to ~1 ms late, which counts in its latency and shows as send lag.
   */
  async function openLoop(perSecond: number): Promise<void> {
    const n = params.members.length;
    const gapMs = 1000 / perSecond;
    const backlog: { due: number; counter: PhaseCounter | undefined }[][] = params.members.map(
      () => [],
    );
    const busy = params.members.map(() => false);
    const inFlight = new Set<Promise<void>>();
    const send = (i: number, due: number, counter: PhaseCounter | undefined) => {
      busy[i] = true;
      const poll: Promise<void> = pollOn(i, due, counter).then(() => {
        inFlight.delete(poll);
        const next = backlog[i]?.shift();
        if (next && running()) send(i, next.due, next.counter);
        else busy[i] = false;
      });
      inFlight.add(poll);
    };
    const start = performance.now();
    let k = 0;
    while (running()) {
      // Every poll due by now leaves now; then wait for the next one (always yielding, so a
      // load generator that fell behind still reads its answers).
      for (const now = performance.now(); start + k * gapMs <= now; k++) {
        const i = k % n;
        // Counted in the phase it was due in, however late it leaves.
        const counter = counterNow();
        if (busy[i]) backlog[i]?.push({ due: start + k * gapMs, counter });
        else send(i, start + k * gapMs, counter);
      }
      await sleep(Math.max(1, Math.ceil(start + k * gapMs - performance.now())));
    }
    while (inFlight.size > 0) await Promise.race(inFlight);
  }

  const probe = params.probe;
  const probeLatency = new LatencyRecorder();
  let probeErrors = 0;
  const probing = probe
    ? (async () => {
        const connection = new LeanConnection(params.endpoint, 'fresh');
        while (phase !== 'done') {
          const measured = phase === 'steady';
          const started = performance.now();
          try {
            const { rows } = await pollOnce(connection, probe.member);
            if (!rows) throw new Error('probe poll failed');
            if (measured) probeLatency.record(performance.now() - started);
          } catch (error) {
            if (measured) probeErrors++;
            firstError ??= `probe: ${String(error)}`;
          }
          await sleep(probe.pauseMs);
        }
      })()
    : undefined;

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
  await Promise.all([...loops, probing]);
  for (const connection of connections) connection.close();
  return {
    steady: counters.steady.figures(),
    ...(probe ? { probe: { ...probeLatency.summary(), errors: probeErrors } } : {}),
    storm,
    firstError,
  };
}
