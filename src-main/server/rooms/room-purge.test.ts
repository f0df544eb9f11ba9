import https from 'node:https';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer, ServerOptions } from '../index';
import {
  createRoom,
  drain,
  join,
  openRoom,
  poll,
  readCiphertext,
  send,
  session,
  stockPassword,
  uniqueRoomName,
} from '../testing/member-fixture';
import { testAgent } from '../testing/raw-client';
import { call, startTestServer } from '../testing/server-fixture';

const TICK_MS = 40;
let agent: https.Agent;
let server: RunningServer | undefined;
let offsetMs = 0;
/** Reads of the server's clock: with no request in flight, only a purge run reads it. */
let clockReads = 0;

beforeAll(() => {
  agent = testAgent({ maxSockets: 4 });
});
afterAll(() => agent.destroy());
afterEach(async () => {
  await server?.close();
  server = undefined;
  offsetMs = 0;
});

async function start(options: ServerOptions): Promise<string> {
  ({ server } = await startTestServer({
    purgeIntervalMs: TICK_MS,
    clock: () => {
      clockReads += 1;
      return Date.now() + offsetMs;
    },
    ...options,
  }));
  return server.url;
}

/** Moves the server's clock and waits for a purge run that reads it (a run is synchronous). */
async function advance(ms: number): Promise<void> {
  offsetMs += ms;
  const seen = clockReads;
  while (clockReads === seen) await new Promise((r) => setTimeout(r, TICK_MS / 4));
}

describe('scheduled purge', () => {
  it('deletes messages older than messageMaxAgeMs and keeps newer ones', async () => {
    const url = await start({ messageMaxAgeMs: 60_000 });
    const { owner } = await openRoom(url, uniqueRoomName('purge'), 'olive', [], { agent });
    await send(url, owner, 'old', { agent });
    await advance(30_000);
    await send(url, owner, 'new', { agent });
    await advance(31_000);
    const rows = await drain(url, owner, 0, { agent });
    expect(rows.map((r) => readCiphertext(r[1]))).toEqual(['new']);
  });

  it('expires notices older than noticeMaxAgeMs: a late poll gets a bare 403', async () => {
    const url = await start({ noticeMaxAgeMs: 5_000 });
    const { owner, members } = await openRoom(
      url,
      uniqueRoomName('notice'),
      'olive',
      ['amy', 'bob'],
      { agent },
    );
    await call(url, 'kickUser', { ...session(owner), kick: 'amy' }, { agent });
    await advance(3_000);
    await call(url, 'kickUser', { ...session(owner), kick: 'bob' }, { agent });
    await advance(3_000);
    expect(await poll(url, members[0]!, 0, { agent })).toMatchObject({
      kind: 'refused',
      status: 403,
    });
    expect(await poll(url, members[1]!, 0, { agent })).toEqual({
      kind: 'errmessage',
      text: 'You have been kicked from the room',
    });
  });

  it('closes idle rooms as if by the owner: members polling get the notice, nothing is left', async () => {
    const url = await start({ idleRoomMs: 3_600_000 });
    const room = uniqueRoomName('idle');
    const busy = uniqueRoomName('busy');
    const { owner, members } = await openRoom(url, room, 'olive', ['amy'], { agent });
    await advance(1_800_000);
    const other = await openRoom(url, busy, 'olive', [], { agent });
    await advance(1_800_001);
    for (const m of [owner, members[0]!]) {
      expect(await poll(url, m, 0, { agent })).toEqual({
        kind: 'errmessage',
        text: 'The room has been closed because nobody used it for a long time',
      });
      expect(await poll(url, m, 0, { agent })).toMatchObject({ kind: 'refused', status: 403 });
    }
    const rejoin = await call(
      url,
      'joinRoom',
      { roomName: room, user: 'olive', userpass: owner.pass },
      { agent },
    );
    expect(rejoin.status).toBe(400);
    // The room is gone entirely: its name can be taken by someone else, who sees no old message.
    const pass = stockPassword();
    await createRoom(url, room, 'newowner', pass, { agent });
    const fresh = await join(url, room, 'newowner', pass, { agent });
    expect((await drain(url, fresh, 0, { agent })).map((r) => r[3])).toEqual(['SYSTEM']);
    // A room with recent activity stays open (its old messages were purged, so: unchanged).
    expect(await poll(url, other.owner, 0, { agent })).toEqual({ kind: 'unchanged' });
  });
});
