import type https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MessageRow, SYSTEM_USER } from '../../../src-shared/protocol';
import { startServer } from '../index';
import {
  createRoom,
  drain,
  invite,
  join,
  type Member,
  poll,
  readCiphertext,
  send,
  stockPassword,
  uniqueRoomName,
} from '../testing/member-fixture';
import { testAgent } from '../testing/raw-client';

/**
 * No loss under load: every member of a busy room sends at once while long-polling, and every
 * member must receive every message exactly once, in id order.
 */

type Server = Awaited<ReturnType<typeof startServer>>;

const MEMBERS = 50;
const MESSAGES_EACH = 100;
const TOTAL = MEMBERS * MESSAGES_EACH;
/** Long-poll hold; short enough that a finished poller notices the end quickly. */
const WAIT_SECONDS = 2;
const POLL_PAUSE_MS = 250;

let server: Server;
let pollAgent: https.Agent;
let sendAgent: https.Agent;
let members: Member[];

beforeAll(async () => {
  // Each member sends its 100 at once: above the per-member send limit, which this test is not about.
  server = await startServer({ host: '127.0.0.1', port: 0, sendThrottle: { burst: 1_000 } });
  // One long-poll connection per member, and a few connections for the senders, as 50 real
  // clients on 50 machines would have; bounded so two cores are not drowned in TLS handshakes.
  pollAgent = testAgent({ maxSockets: MEMBERS });
  sendAgent = testAgent({ maxSockets: 8 });
  const room = uniqueRoomName('load');
  const ownerPass = stockPassword();
  await createRoom(server.url, room, 'user0', ownerPass, { agent: sendAgent });
  const owner = await join(server.url, room, 'user0', ownerPass, { agent: sendAgent });
  members = [owner];
  for (let i = 1; i < MEMBERS; i++) {
    const pass = stockPassword();
    await invite(server.url, owner, `user${i}`, pass, { agent: sendAgent });
    members.push(await join(server.url, room, `user${i}`, pass, { agent: sendAgent }));
  }
}, 120_000);

afterAll(async () => {
  pollAgent?.destroy();
  sendAgent?.destroy();
  await server?.close();
});

interface Received {
  rows: MessageRow[];
  polls: number;
  last: number;
  refusals: string[];
}

/** Long-polls until every user message has arrived (or the deadline passes). */
async function receiveAll(m: Member, start: number, deadline: number): Promise<Received> {
  const received: Received = { rows: [], polls: 0, last: start, refusals: [] };
  let userRows = 0;
  while (userRows < TOTAL && Date.now() < deadline) {
    const result = await poll(server.url, m, received.last, {
      agent: pollAgent,
      wait: WAIT_SECONDS,
    });
    if (result.kind === 'unchanged') continue;
    if (result.kind !== 'rows') {
      received.refusals.push(JSON.stringify(result));
      break;
    }
    received.rows.push(...result.rows);
    received.polls += 1;
    for (const row of result.rows) if (row[3] !== SYSTEM_USER) userRows += 1;
    received.last = Math.max(received.last, ...result.rows.map((r) => r[0]));
    // Poll again after a short pause, as real clients do: answers then carry batches, not single rows.
    await new Promise((resolve) => setTimeout(resolve, POLL_PAUSE_MS));
  }
  return received;
}

async function sendAll(m: Member): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < MESSAGES_EACH; i++)
    ids.push(await send(server.url, m, `${m.user}#${i}`, { agent: sendAgent }));
  return ids;
}

describe('load', () => {
  it(`${MEMBERS} members each sending ${MESSAGES_EACH} messages at once all receive every one exactly once, in order`, async () => {
    // Everyone starts from the newest id now, so only the burst below is expected.
    const start = Math.max(...members.map((m) => m.joinedLast));
    // Generous: the point is exactly-once delivery, not speed (npm run bench measures that).
    const deadline = Date.now() + 150_000;
    const receiving = members.map((m) => receiveAll(m, start, deadline));
    const started = Date.now();
    const sentIds = await Promise.all(members.map((m) => sendAll(m)));
    const results = await Promise.all(receiving);
    // Anything still arriving after a member counted them all would be a duplicate or a stray.
    for (const [index, r] of results.entries()) {
      r.rows.push(...(await drain(server.url, members[index]!, r.last, { agent: sendAgent })));
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);

    const expected = new Set(
      members.flatMap((m) => Array.from({ length: MESSAGES_EACH }, (_, i) => `${m.user}#${i}`)),
    );
    let sendIdsNotGrowing = 0;
    const unexpected: string[] = [];
    for (const ids of sentIds)
      for (let i = 1; i < ids.length; i++) if (ids[i]! <= ids[i - 1]!) sendIdsNotGrowing += 1;

    let missing = 0;
    let duplicates = 0;
    let outOfOrder = 0;
    for (const [index, { rows, refusals }] of results.entries()) {
      expect(refusals, `${members[index]!.user} was refused while polling`).toEqual([]);
      const tags = new Map<string, number>();
      for (let i = 0; i < rows.length; i++) {
        if (i > 0 && rows[i]![0] <= rows[i - 1]![0]) outOfOrder += 1;
        if (rows[i]![3] === SYSTEM_USER) continue;
        const tag = readCiphertext(rows[i]![1]);
        tags.set(tag, (tags.get(tag) ?? 0) + 1);
      }
      for (const tag of expected) if (!tags.has(tag)) missing += 1;
      for (const [tag, count] of tags) {
        if (count > 1) duplicates += count - 1;
        if (!expected.has(tag)) unexpected.push(tag);
      }
    }
    console.log(
      `load: ${MEMBERS} members x ${TOTAL} messages delivered, ${missing} missing, ${duplicates} duplicates, ` +
        `${outOfOrder} out of order (${results.reduce((n, r) => n + r.polls, 0)} answered polls, ${seconds} s)`,
    );
    // Counted rather than asserted per row: 250,000 expect() calls would dominate the run.
    expect({ missing, duplicates, outOfOrder, sendIdsNotGrowing, unexpected }).toEqual({
      missing: 0,
      duplicates: 0,
      outOfOrder: 0,
      sendIdsNotGrowing: 0,
      unexpected: [],
    });
  }, 200_000);
});
