import type https from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import { LIMITS, SYSTEM_USER, type MessageRow } from '../../../src-shared/protocol';
import type { RunningServer, ServerOptions } from '../index';
import {
  drain,
  invite,
  join,
  listMembers,
  type Member,
  openRoom,
  poll,
  session,
  stockPassword,
  uniqueRoomName,
} from '../testing/member-fixture';
import { api, testAgent, type ApiResponse } from '../testing/raw-client';
import { startTestServer, systemTexts } from '../testing/server-fixture';

/**
 * Message bytes, not only message counts, are bounded: per room (oldest dropped), per server
 * (new messages refused, nobody else's dropped), and per pollMsg answer (the rest follows on the
 * next poll).
 */

const running: { server: RunningServer; agent: https.Agent }[] = [];

async function start(options: ServerOptions = {}) {
  const { server } = await startTestServer(options);
  const agent = testAgent({ maxSockets: 4 });
  running.push({ server, agent });
  return { url: server.url, opts: { agent } };
}

afterEach(async () => {
  for (const { server, agent } of running.splice(0)) {
    agent.destroy();
    await server.close();
  }
});

/** A base64-shaped message of exactly `bytes` characters that starts with a readable tag. */
function sized(tag: string, bytes: number): string {
  return `${tag}+`.padEnd(bytes, 'A');
}

const tagOf = (row: MessageRow) => row[1].split('+')[0];
const userTags = (rows: MessageRow[]) => rows.filter((r) => r[3] !== SYSTEM_USER).map(tagOf);

function sendSized(
  url: string,
  m: Member,
  tag: string,
  bytes: number,
  opts: { agent: https.Agent },
  to?: string,
): Promise<ApiResponse> {
  const payload = { ...session(m), msg: sized(tag, bytes), ...(to ? { to } : {}) };
  return api(url, to ? 'sendDirectMsg' : 'sendMsg', payload, opts);
}

function expectServerFull(res: ApiResponse): void {
  expect(res.status, res.body).toBe(503);
  expect(res.body).toBe('');
  expect(res.headers['retry-after']).toBe('60');
}

describe('the per-room byte cap', () => {
  it("drops that room's oldest messages and leaves other rooms alone", async () => {
    const { url, opts } = await start({ limits: { messageBytesPerRoom: 100_000 } });
    const busy = await openRoom(url, uniqueRoomName('busy'), 'olive', [], opts);
    const quiet = await openRoom(url, uniqueRoomName('quiet'), 'quinn', [], opts);
    for (const tag of ['q0', 'q1']) await sendSized(url, quiet.owner, tag, 30_000, opts);
    for (let i = 0; i < 10; i++) {
      expect((await sendSized(url, busy.owner, `b${i}`, 20_000, opts)).status).toBe(200);
    }
    const kept = userTags(await drain(url, busy.owner, 0, opts));
    // 100,000 bytes hold exactly five; the older ones and the join notice went, oldest first.
    expect(kept).toEqual(['b5', 'b6', 'b7', 'b8', 'b9']);
    expect(userTags(await drain(url, quiet.owner, 0, opts))).toEqual(['q0', 'q1']);
  });
});

describe('the server-wide byte budget', () => {
  it('refuses new messages with 503 and Retry-After, loses nothing already held, and frees up when a room closes', async () => {
    const budget = 200_000;
    const { url, opts } = await start({ limits: { messageBytesPerServer: budget } });
    const a = await openRoom(url, uniqueRoomName('full-a'), 'olive', ['amy'], opts);
    const b = await openRoom(url, uniqueRoomName('full-b'), 'bert', ['bea'], opts);
    const amy = a.members[0]!;
    // Invited while there is room; joins once the server is full.
    const latePass = stockPassword();
    await invite(url, a.owner, 'late', latePass, opts);

    // Both rooms send until refused, then ever smaller messages fill the budget to the brim.
    const accepted = { a: [] as string[], b: [] as string[] };
    let refusals = 0;
    let n = 0;
    for (let size = 20_000; size >= 16; size = Math.floor(size / 2)) {
      for (;;) {
        n += 1;
        const [room, who] = n % 2 === 0 ? (['a', amy] as const) : (['b', b.owner] as const);
        const res = await sendSized(url, who, `${room}${n}`, size, opts);
        if (res.status !== 200) {
          expectServerFull(res);
          refusals += 1;
          break;
        }
        accepted[room].push(`${room}${n}`);
      }
    }
    const held = accepted.a.length + accepted.b.length;

    // Direct messages, joins and invites are refused too; nothing about them is stored.
    expectServerFull(await sendSized(url, a.owner, 'dm', 20_000, opts, 'amy'));
    expectServerFull(
      await api(
        url,
        'joinRoom',
        { roomName: a.owner.room, user: 'late', userpass: latePass },
        opts,
      ),
    );
    expectServerFull(
      await api(url, 'inviteUser', { ...session(a.owner), invite: 'newbie', pass: 'PASS' }, opts),
    );
    expect(await listMembers(url, a.owner, opts)).toEqual(['amy', 'olive']);
    expect(
      (
        await api(
          url,
          'joinRoom',
          { roomName: a.owner.room, user: 'newbie', userpass: 'PASS' },
          opts,
        )
      ).json,
    ).toEqual({ status: 'NOK' });

    // Every message held before the budget was reached is still there, in order, in both rooms.
    const rowsA = await drain(url, a.owner, 0, opts);
    expect(userTags(rowsA)).toEqual(accepted.a);
    expect(userTags(await drain(url, b.members[0]!, 0, opts))).toEqual(accepted.b);

    // Someone leaving is still announced: members must not lose track of who reads along.
    expect((await api(url, 'leaveRoom', session(amy), opts)).status).toBe(200);
    const after = await drain(url, a.owner, Math.max(...rowsA.map((r) => r[0])), opts);
    expect(await systemTexts(after, a.owner)).toEqual(['User "amy" left the room']);

    // Closing room b frees its bytes: room a talks again, and the late joiner gets in.
    expect((await api(url, 'closeRoom', session(b.owner), opts)).status).toBe(200);
    expect((await sendSized(url, a.owner, 'again', 20_000, opts)).status).toBe(200);
    await join(url, a.owner.room, 'late', latePass, opts);

    console.log(
      `server byte budget ${budget}: ${held} messages held across two rooms, ${refusals} refused ` +
        `with 503 (Retry-After 60) plus a DM, a join and an invite; all ${held} still delivered`,
    );
  });
});

describe('one pollMsg answer', () => {
  it('carries at most the answer cap, and a backlog larger than one answer arrives complete and in order', async () => {
    const { url, opts } = await start();
    const { owner, members } = await openRoom(
      url,
      uniqueRoomName('backlog'),
      'olive',
      ['amy'],
      opts,
    );
    const amy = members[0]!;
    const count = 40;
    const bytes = LIMITS.messageLength;
    for (let i = 0; i < count; i++) {
      expect((await sendSized(url, owner, `m${i}`, bytes, opts)).status).toBe(200);
    }

    const answers: MessageRow[][] = [];
    let mylast = amy.joinedLast;
    for (;;) {
      const result = await poll(url, amy, mylast, opts);
      if (result.kind === 'unchanged') break;
      if (result.kind !== 'rows') throw new Error(JSON.stringify(result));
      answers.push(result.rows);
      mylast = Math.max(...result.rows.map((r) => r[0]));
    }
    const sizes = answers.map((rows) => rows.reduce((sum, r) => sum + r[1].length, 0));
    for (const size of sizes) expect(size).toBeLessThanOrEqual(LIMITS.pollAnswerBytes);
    const received = answers.flat();
    const ids = received.map((r) => r[0]);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(new Set(ids).size).toBe(ids.length);
    expect(userTags(received)).toEqual(Array.from({ length: count }, (_, i) => `m${i}`));
    expect(answers.length).toBeGreaterThan(2);

    console.log(
      `poll answer cap: backlog of ${count} x ${bytes} bytes (${received.length} rows) arrived in ` +
        `${answers.length} answers of at most ${LIMITS.pollAnswerBytes} bytes (${sizes.join(', ')})`,
    );
  });

  it('always carries at least one row, even one larger than the cap', async () => {
    const { url, opts } = await start({ limits: { pollAnswerBytes: 10_000 } });
    const { owner, members } = await openRoom(url, uniqueRoomName('big'), 'olive', ['amy'], opts);
    const amy = members[0]!;
    // Past amy's own join notice, so the first row is the big one.
    const seen = await drain(url, amy, amy.joinedLast, opts);
    for (const [tag, size] of [
      ['big', 30_000],
      ['s1', 4_000],
      ['s2', 4_000],
      ['s3', 4_000],
    ] as const) {
      await sendSized(url, owner, tag, size, opts);
    }
    const first = await poll(url, amy, Math.max(...seen.map((r) => r[0])), opts);
    expect(first.kind === 'rows' && userTags(first.rows)).toEqual(['big']);
    const rest = await drain(url, amy, first.kind === 'rows' ? first.rows.at(-1)![0] : 0, opts);
    expect(userTags(rest)).toEqual(['s1', 's2', 's3']);
  });
});
