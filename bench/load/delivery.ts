import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection, type Endpoint } from '../harness/client';
import { LatencyRecorder, type LatencySummary } from '../harness/histogram';
import { LeanConnection } from '../harness/lean-connection';
import { pollOnce, pollRows, type Caller, type Member } from './member';
import { messageSeq, taggedMessage } from './payload';

export interface DeliveryParams {
  endpoint: Endpoint;
  sender: Member;
  receivers: Member[];
  /** `interval`: poll, sleep pollIntervalMs, repeat (the stock client). `push`: long-poll with `wait`. */
  mode: 'interval' | 'push';
  pollIntervalMs: number;
  waitSeconds: number;
  messages: number;
  sendEveryMs: number;
  messageBytes: number;
}

export interface DeliveryResult {
  latency: LatencySummary;
  expected: number;
  delivered: number;
  errors: number;
  firstError?: string;
}

/**
 * Delivery latency: from just before the sender's sendMsg leaves to the moment a receiver's
 * pollMsg answer carrying that message has been parsed. Sender and receivers share this
 * process's clock.
 */
export async function runDelivery(params: DeliveryParams): Promise<DeliveryResult> {
  const sentAt = new Map<number, number>();
  const latency = new LatencyRecorder();
  const expected = params.messages * params.receivers.length;
  let delivered = 0;
  let errors = 0;
  let firstError: string | undefined;
  let stopping = false;
  let allDelivered: () => void = () => undefined;
  const everythingDelivered = new Promise<void>((resolve) => (allDelivered = resolve));

  // Earlier runs in the same room left messages behind: start everyone after the newest.
  const newest = await newestMessageId(params.endpoint, params.sender);
  for (const member of params.receivers) member.last = newest;

  // Interval polling is the stock client's way: a new TLS connection for every poll.
  const connections = params.receivers.map((): Caller & { close(): void } =>
    params.mode === 'interval'
      ? new LeanConnection(params.endpoint, 'fresh')
      : new Connection(params.endpoint, {
          payloadAsString: false,
          timeoutMs: (params.waitSeconds + 10) * 1000,
        }),
  );
  const receiving = params.receivers.map(async (member, i) => {
    const connection = connections[i] as Caller;
    if (params.mode === 'interval') await sleep(Math.random() * params.pollIntervalMs);
    while (!stopping) {
      try {
        const { status, body, rows } = await pollOnce(
          connection,
          member,
          params.mode === 'push' ? params.waitSeconds : undefined,
        );
        const now = performance.now();
        if (!rows) throw new Error(`pollMsg answered HTTP ${status} ${JSON.stringify(body)}`);
        for (const [, msg, , from] of rows) {
          const seq = from === params.sender.user ? messageSeq(msg) : undefined;
          const start = seq === undefined ? undefined : sentAt.get(seq);
          if (start === undefined) continue;
          latency.record(now - start);
          if (++delivered === expected) allDelivered();
        }
      } catch (error) {
        if (stopping) break;
        errors++;
        firstError ??= String(error);
        await sleep(100);
      }
      if (params.mode === 'interval' && !stopping) await sleep(params.pollIntervalMs);
    }
  });

  // Let every receiver's first poll land (and, for push, be held) before the first send.
  await sleep(params.mode === 'push' ? 1_000 : params.pollIntervalMs + 500);
  const sender = new Connection(params.endpoint, { payloadAsString: params.mode === 'interval' });
  for (let seq = 0; seq < params.messages; seq++) {
    const msg = taggedMessage(seq, params.messageBytes);
    sentAt.set(seq, performance.now());
    try {
      await sender.expectOk('sendMsg', {
        roomName: params.sender.roomName,
        user: params.sender.user,
        sesskey: params.sender.sesskey,
        msg,
      });
    } catch (error) {
      errors++;
      firstError ??= String(error);
    }
    // Jitter so sends do not phase-lock with the receivers' poll interval.
    await sleep(params.sendEveryMs * (0.5 + Math.random()));
  }
  await Promise.race([everythingDelivered, sleep(params.pollIntervalMs * 2 + 5_000)]);
  stopping = true;
  sender.close();
  for (const connection of connections) connection.close();
  await Promise.all(receiving);
  return { latency: latency.summary(), expected, delivered, errors, firstError };
}

async function newestMessageId(endpoint: Endpoint, member: Member): Promise<number> {
  const connection = new Connection(endpoint);
  try {
    const { roomName, user, sesskey, last } = member;
    const rows =
      pollRows(
        (await connection.call('pollMsg', { roomName, user, sesskey, mylast: last })).body,
      ) ?? [];
    return Math.max(last, ...rows.map((row) => row[0]));
  } finally {
    connection.close();
  }
}
