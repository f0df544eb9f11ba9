import type https from 'node:https';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../../src-shared/protocol';
import type { RunningServer, ServerOptions } from '../index';
import { RoomStore } from '../store/room-store';
import { Gpg } from '../testing/gpg';
import {
  drain,
  expectRefused,
  fakeCiphertext,
  openRoom,
  poll,
  readCiphertext,
  send,
  session,
  stockPassword,
  uniqueRoomName,
  type Member,
} from '../testing/member-fixture';
import { testAgent } from '../testing/raw-client';
import { call, startTestServer, systemTexts } from '../testing/server-fixture';
import { RoomClock } from './room-clock';
import { RoomPurge } from './room-purge';
import type { RoomService } from './room-service';

let agent: https.Agent;
let server: RunningServer | undefined;
let offsetMs = 0;
/** The servers' clock: real time moved on by `offsetMs`, so tests age messages without waiting. */
const clock = () => Date.now() + offsetMs;

beforeAll(() => {
  agent = testAgent({ maxSockets: 4 });
});
afterAll(() => agent.destroy());
afterEach(async () => {
  await server?.close();
  server = undefined;
  offsetMs = 0;
});

/** No purge runs during a test unless it asks: what polls answer is the poll's own doing. */
async function start(options: ServerOptions = {}): Promise<string> {
  ({ server } = await startTestServer({ purgeIntervalMs: 3_600_000, clock, ...options }));
  return server.url;
}

async function room(url: string, guests = ['bob']) {
  return openRoom(url, uniqueRoomName('clock'), 'alice', guests, { agent });
}

const setLifetime = (url: string, m: Member, messageLifetime: unknown) =>
  call(url, 'setRoomLifetime', { ...session(m), messageLifetime }, { agent });

async function roomLifetime(url: string, m: Member): Promise<number> {
  const res = await call(url, 'serverInfo', session(m), { agent });
  expect(res.status).toBe(200);
  return (res.json!.room as { messageLifetime: number }).messageLifetime;
}

describe('serverInfo announces the clock', () => {
  it('tells the server lifetimes to anyone and the room clock only to its members', async () => {
    const url = await start({
      messageMaxAgeMs: 300_000,
      noticeMaxAgeMs: 120_000,
      idleRoomMs: 3_600_000,
      unjoinedRoomMs: 240_000,
      purgeIntervalMs: 7_000,
    });
    const before = clock() / 1000;
    const anyone = await call(url, 'serverInfo', {}, { agent });
    expect(anyone.json).toMatchObject({
      extensions: expect.arrayContaining(['roomclock']),
      clock: {
        messageLifetime: 300,
        noticeLifetime: 120,
        idleClose: 3600,
        unjoinedClose: 240,
        purgeInterval: 7,
      },
    });
    expect(anyone.json!.room).toBeUndefined();
    const { now } = anyone.json!.clock as { now: number };
    expect(now).toBeGreaterThanOrEqual(before);

    const { owner, members } = await room(url);
    const res = await call(url, 'serverInfo', session(members[0]!), { agent });
    const info = res.json!.room as { messageLifetime: number; idleClosesAt: number };
    expect(info.messageLifetime).toBe(300);
    expect(info.idleClosesAt).toBeGreaterThanOrEqual(before + 3600);
    expect(info.idleClosesAt).toBeLessThanOrEqual(clock() / 1000 + 3600);

    const other = await room(url, []);
    // Another room's session, a stale key, half a session: refused, nothing told.
    expectRefused(
      await call(url, 'serverInfo', { ...session(other.owner), roomName: owner.room }, { agent }),
      403,
    );
    expectRefused(
      await call(
        url,
        'serverInfo',
        { ...session(owner), sesskey: `${owner.room}-${'A'.repeat(48)}` },
        { agent },
      ),
      403,
    );
    expectRefused(
      await call(url, 'serverInfo', { roomName: owner.room, user: 'alice' }, { agent }),
      400,
    );
  });

  it('refuses the room clock after the room is closed', async () => {
    const url = await start();
    const { owner, members } = await room(url);
    expect((await call(url, 'closeRoom', session(owner), { agent })).status).toBe(200);
    expectRefused(await call(url, 'serverInfo', session(members[0]!), { agent }), 403);
    expectRefused(await setLifetime(url, owner, 60), 403);
  });
});

describe('setRoomLifetime', () => {
  it('lets the owner shorten it, with a SYSTEM notice to the whole room', async () => {
    const url = await start();
    const { owner, members } = await room(url);
    const bob = members[0]!;
    const res = await setLifetime(url, owner, 60);
    expect(res.json).toEqual({ status: 'ok', messageLifetime: 60 });
    expect(await roomLifetime(url, bob)).toBe(60);
    const texts = await systemTexts(await drain(url, bob, bob.joinedLast, { agent }), bob);
    expect(texts).toContain('User "alice" set messages to vanish after 1 minute');
    // Setting the same value again is no change, and says nothing.
    await setLifetime(url, owner, 60);
    const all = await systemTexts(await drain(url, bob, 0, { agent }), bob);
    expect(all.filter((t) => t.includes('vanish'))).toEqual([
      'User "alice" set messages to vanish after 1 minute',
    ]);
  });

  it('refuses a non-owner with 403 and changes nothing', async () => {
    const url = await start();
    const { owner, members } = await room(url);
    const bob = members[0]!;
    expectRefused(await setLifetime(url, bob, 30), 403);
    expect(await roomLifetime(url, owner)).toBe(600);
    const texts = await systemTexts(await drain(url, owner, 0, { agent }), owner);
    expect(texts.some((t) => t.includes('set messages to vanish'))).toBe(false);
    expect(texts.at(-1)).toBe(
      'User "bob" tried to change how long messages last but is not the room owner',
    );
  });

  it('never above the server lifetime, never below 10 s, only whole seconds', async () => {
    const url = await start({ messageMaxAgeMs: 120_000 });
    const { owner } = await room(url, []);
    for (const bad of [121, 600, 9, 0, -30, 30.5, '60', null, 1e308])
      expectRefused(await setLifetime(url, owner, bad), 400);
    expect(await roomLifetime(url, owner)).toBe(120);
    expect((await setLifetime(url, owner, 120)).status).toBe(200);
    expect((await setLifetime(url, owner, 10)).status).toBe(200);
    expect(await roomLifetime(url, owner)).toBe(10);
  });

  it('is refused to a non-member', async () => {
    const url = await start();
    const { owner } = await room(url, []);
    const other = await room(url, []);
    expectRefused(await setLifetime(url, { ...other.owner, room: owner.room }, 30), 403);
    expect(await roomLifetime(url, owner)).toBe(600);
  });

  it('can be chosen at createRoom, within the same bounds', async () => {
    const url = await start({ messageMaxAgeMs: 300_000 });
    const create = (roomName: string, messageLifetime: unknown) =>
      call(
        url,
        'createRoom',
        { roomName, owner: 'alice', pass: stockPassword(), messageLifetime },
        { agent },
      );
    expectRefused(await create(uniqueRoomName('long'), 301), 400);
    expectRefused(await create(uniqueRoomName('short'), 5), 400);
    const name = uniqueRoomName('chosen');
    const pass = stockPassword();
    const created = await call(
      url,
      'createRoom',
      { roomName: name, owner: 'alice', pass, messageLifetime: 30 },
      { agent },
    );
    expect(created.status).toBe(200);
    const join = await call(
      url,
      'joinRoom',
      { roomName: name, user: 'alice', userpass: pass },
      { agent },
    );
    const alice = {
      room: name,
      user: 'alice',
      pass,
      sesskey: String(join.json!.session),
      syskey: '',
      joinedLast: 0,
    };
    expect(await roomLifetime(url, alice)).toBe(30);
  });
});

describe('the lifetime is enforced for stock-wire clients', () => {
  it('a poll from 0 or from an old id never returns a message older than the lifetime', async () => {
    const url = await start();
    const { owner, members } = await room(url);
    const bob = members[0]!;
    await setLifetime(url, owner, 30);
    const oldId = await send(url, owner, 'old', { agent });
    offsetMs += 20_000;
    const newerId = await send(url, owner, 'newer', { agent });
    offsetMs += 10_500;
    // The stock client's way: payload as a JSON string, mylast a number.
    for (const mylast of [0, oldId - 1, bob.joinedLast]) {
      const res = await call(
        url,
        'pollMsg',
        { ...session(bob), mylast },
        { agent, payloadAsString: true },
      );
      const rows = (res.json!.messages ?? []) as [number, string, number][];
      expect(rows.map((r) => readCiphertext(r[1]))).toEqual(['newer']);
      for (const row of rows) expect(clock() / 1000 - row[2]).toBeLessThan(30);
    }
    expect(newerId).toBeGreaterThan(oldId);
    offsetMs += 20_000;
    expect(await poll(url, bob, 0, { agent })).toEqual({ kind: 'unchanged' });
  });

  it('holds for direct messages and SYSTEM notices, and the server lifetime holds without a purge', async () => {
    const url = await start({ messageMaxAgeMs: 60_000 });
    const { owner, members } = await room(url);
    const bob = members[0]!;
    const dm = await call(
      url,
      'sendDirectMsg',
      { ...session(owner), to: 'bob', msg: fakeCiphertext('dm') },
      { agent },
    );
    expect(dm.status).toBe(200);
    offsetMs += 60_001;
    expect(await poll(url, bob, 0, { agent })).toEqual({ kind: 'unchanged' });
  });
});

describe('the purge', () => {
  it('removes a message from memory no later than its lifetime plus one purge interval', async () => {
    let now = 1_000_000;
    const store = new RoomStore({
      messagesPerRoom: LIMITS.messagesPerRoom,
      messageBytesPerRoom: LIMITS.messageBytesPerRoom,
      messageBytesPerServer: LIMITS.messageBytesPerServer,
    });
    const policy = {
      messageMaxAgeMs: 600_000,
      noticeMaxAgeMs: 300_000,
      idleRoomMs: 3_600_000,
      unjoinedRoomMs: 300_000,
      purgeIntervalMs: 5_000,
    };
    const roomClock = new RoomClock(store, policy, () => now);
    // Idle and unjoined rooms are not this test's business: the service is never reached.
    const purge = new RoomPurge(
      store,
      {} as RoomService,
      { ...policy, unjoinedRoomMs: 1e12 },
      () => now,
      roomClock,
    );
    const short = store.createRoom('short', 'alice', 'hash', now);
    const long = store.createRoom('long', 'alice', 'hash', now);
    roomClock.setLifetime(short, 30_000);
    const insert = (roomId: number) =>
      store.insertMessage({ roomId, msg: 'eA==', fromUser: 'alice', toUser: '0' }, now);
    insert(short);
    insert(long);
    // Ticks every purge interval, starting at an arbitrary phase.
    now += 3_000;
    let removedAt: number | undefined;
    for (let tick = 0; tick < 20 && removedAt === undefined; tick++) {
      purge.run();
      if (store.newestMessageId(short) === 0) removedAt = now;
      else now += policy.purgeIntervalMs;
    }
    expect(removedAt! - 1_000_000).toBeGreaterThanOrEqual(30_000);
    expect(removedAt! - 1_000_000).toBeLessThanOrEqual(30_000 + policy.purgeIntervalMs);
    expect(store.messageCount()).toBe(1);
    // A closed room's lifetime is forgotten at the next tick.
    store.deleteRoom(short);
    purge.run();
    expect(roomClock.lifetimeMs(short)).toBe(600_000);
    store.close();
  });

  it('runs every 5 s by default', async () => {
    const url = await start({ purgeIntervalMs: undefined });
    const res = await call(url, 'serverInfo', {}, { agent });
    expect((res.json!.clock as { purgeInterval: number }).purgeInterval).toBe(5);
  });
});

describe('SYSTEM notice interop', () => {
  let gpg: Gpg;
  beforeAll(() => {
    gpg = new Gpg();
  });
  afterAll(() => gpg.dispose());

  it('gpg reads the lifetime notice with the syskey, as the stock client does', async () => {
    const url = await start();
    const { owner, members } = await room(url);
    const bob = members[0]!;
    await setLifetime(url, owner, 300);
    const rows = await drain(url, bob, bob.joinedLast, { agent });
    const notice = rows.filter((r) => r[3] === 'SYSTEM' && r[4] === '0').at(-1)!;
    const plain = JSON.parse(await gpg.decrypt(notice[1], bob.syskey)) as unknown;
    expect(plain).toEqual({
      text: 'User "alice" set messages to vanish after 5 minutes',
      verb: 'sysinfo',
    });
  });
});
