import { setTimeout as sleep } from 'node:timers/promises';
import { Connection, type Endpoint } from '../harness/client';
import { pollOnce, type Member } from './member';
import { taggedMessage } from './payload';

export interface TrafficParams {
  endpoint: Endpoint;
  /** Each room's members; the first one also sends the room's messages. */
  rooms: Member[][];
  durationMs: number;
  messagesPerSecondPerRoom: number;
  messageBytes: number;
  pollIntervalMs: number;
  /** Keep-alive sockets each room's members share (the server accepts 512 connections in all). */
  socketsPerRoom: number;
}

export interface TrafficResult {
  sent: number;
  polls: number;
  rowsReceived: number;
  errors: number;
  elapsedMs: number;
  firstError?: string;
}

/** Steady chat traffic: every room gets messages at a fixed rate, every member polls like the stock client. */
export async function runTraffic(params: TrafficParams): Promise<TrafficResult> {
  const result: TrafficResult = { sent: 0, polls: 0, rowsReceived: 0, errors: 0, elapsedMs: 0 };
  const fail = (error: unknown) => {
    result.errors++;
    result.firstError ??= String(error);
  };
  const started = Date.now();
  const deadline = started + params.durationMs;
  const connections = params.rooms.map(
    () => new Connection(params.endpoint, { maxSockets: params.socketsPerRoom }),
  );

  const polling = params.rooms.flatMap((members, room) =>
    members.map(async (member) => {
      const connection = connections[room] as Connection;
      await sleep(Math.random() * params.pollIntervalMs);
      while (Date.now() < deadline) {
        try {
          const { status, rows } = await pollOnce(connection, member);
          if (!rows) throw new Error(`pollMsg answered HTTP ${status}`);
          result.polls++;
          result.rowsReceived += rows.length;
        } catch (error) {
          fail(error);
        }
        await sleep(params.pollIntervalMs);
      }
    }),
  );

  const everyMs = 1000 / params.messagesPerSecondPerRoom;
  const sending = params.rooms.map(async (members, room) => {
    const sender = members[0];
    if (!sender) return;
    const connection = connections[room] as Connection;
    // Spread the rooms' sends evenly instead of firing them in bursts.
    await sleep(Math.random() * everyMs);
    let due = Date.now();
    while (due < deadline) {
      try {
        const msg = taggedMessage(result.sent, params.messageBytes);
        await connection.expectOk('sendMsg', {
          roomName: sender.roomName,
          user: sender.user,
          sesskey: sender.sesskey,
          msg,
        });
        result.sent++;
      } catch (error) {
        fail(error);
      }
      due += everyMs;
      await sleep(Math.max(0, due - Date.now()));
    }
  });

  await Promise.all([...polling, ...sending]);
  result.elapsedMs = Date.now() - started;
  for (const connection of connections) connection.close();
  return result;
}
