import https from 'node:https';
import { describe, expect, it } from 'vitest';
import type { MessageRow } from '../../../src-shared/protocol';
import {
  drain,
  type Member,
  openRoom,
  poll,
  readCiphertext,
  send,
  session,
  uniqueRoomName,
} from '../testing/member-fixture';
import { rawPost } from '../testing/raw-client';
import { call, startTestServer, useTestServer } from '../testing/server-fixture';
import { LongPollRegistry } from './long-poll';

const fixture = useTestServer({}, 8);

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function settledRoom(
  names: string[],
): Promise<{ owner: Member; members: Member[]; last: number }> {
  const room = await openRoom(fixture.server.url, uniqueRoomName('lp'), 'olive', names, {
    agent: fixture.agent,
  });
  const rows = await drain(fixture.server.url, room.owner, 0, { agent: fixture.agent });
  const last = Math.max(0, ...rows.map((r) => r[0]));
  return { ...room, last };
}

describe('pollMsg with wait (long-poll extension)', () => {
  it('is woken by a new message for the poller', async () => {
    const { owner, members, last } = await settledRoom(['amy']);
    const amy = members[0]!;
    const held = call(
      fixture.server.url,
      'pollMsg',
      { ...session(amy), mylast: last, wait: 20 },
      { agent: fixture.agent },
    );
    await waitFor(() => fixture.server.heldPolls?.() === 1);
    await send(fixture.server.url, owner, 'wake up', { agent: fixture.agent });
    const res = await held;
    // Not woken, it would answer 'unchanged' after its 20 s.
    const rows = res.json?.messages as MessageRow[];
    expect(rows.map((r) => readCiphertext(r[1]))).toEqual(['wake up']);
  });

  it('times out with unchanged when nothing arrives', async () => {
    const { owner, last } = await settledRoom([]);
    const started = Date.now();
    const res = await call(
      fixture.server.url,
      'pollMsg',
      { ...session(owner), mylast: last, wait: 0.5 },
      { agent: fixture.agent },
    );
    expect(res.json).toEqual({ status: 'unchanged', last });
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
  });

  it('is not woken by a direct message to someone else', async () => {
    const { owner, members, last } = await settledRoom(['amy', 'bob']);
    const [amy] = members as [Member, Member];
    const held = call(
      fixture.server.url,
      'pollMsg',
      { ...session(owner), mylast: last, wait: 1 },
      { agent: fixture.agent },
    );
    await waitFor(() => fixture.server.heldPolls?.() === 1);
    await call(
      fixture.server.url,
      'sendDirectMsg',
      { ...session(amy), to: 'bob', msg: 'QUFB' },
      { agent: fixture.agent },
    );
    expect((await held).json).toEqual({ status: 'unchanged', last });
  });

  it('answers immediately when something is already waiting', async () => {
    const { owner } = await settledRoom([]);
    const res = await call(
      fixture.server.url,
      'pollMsg',
      { ...session(owner), mylast: 0, wait: 30 },
      { agent: fixture.agent },
    );
    expect(res.json?.status).toBe('updated');
  });

  it('a held poll of a kicked user answers the errmessage; the next poll is 403', async () => {
    const { owner, members, last } = await settledRoom(['amy']);
    const amy = members[0]!;
    const held = call(
      fixture.server.url,
      'pollMsg',
      { ...session(amy), mylast: last, wait: 20 },
      { agent: fixture.agent },
    );
    await waitFor(() => fixture.server.heldPolls?.() === 1);
    await call(
      fixture.server.url,
      'kickUser',
      { ...session(owner), kick: 'amy' },
      { agent: fixture.agent },
    );
    expect((await held).json).toEqual({
      status: 'errmessage',
      text: 'You have been kicked from the room',
    });
    expect(await poll(fixture.server.url, amy, 0, { agent: fixture.agent })).toMatchObject({
      kind: 'refused',
      status: 403,
    });
  });

  it('a held poll ends with the room closed notice when the owner closes the room', async () => {
    const { owner, members, last } = await settledRoom(['amy']);
    const held = call(
      fixture.server.url,
      'pollMsg',
      { ...session(members[0]!), mylast: last, wait: 20 },
      { agent: fixture.agent },
    );
    await waitFor(() => fixture.server.heldPolls?.() === 1);
    await call(fixture.server.url, 'closeRoom', session(owner), { agent: fixture.agent });
    expect((await held).json).toEqual({ status: 'errmessage', text: 'The room has been closed' });
  });

  it('a wait above 30 s is refused with 400', async () => {
    const { owner } = await settledRoom([]);
    const res = await call(
      fixture.server.url,
      'pollMsg',
      { ...session(owner), mylast: 0, wait: 31 },
      { agent: fixture.agent },
    );
    expect(res.status).toBe(400);
    expect(res.body).toBe('');
  });

  it('forgets the waiter when the client disconnects', async () => {
    const { owner, last } = await settledRoom([]);
    const body = JSON.stringify({
      action: 'pollMsg',
      payload: { ...session(owner), mylast: last, wait: 20 },
    });
    const controller = new AbortController();
    const req = https.request(fixture.server.url, {
      method: 'POST',
      rejectUnauthorized: false,
      agent: false,
      signal: controller.signal,
      headers: { 'Content-Type': 'application/json' },
    });
    req.on('error', () => undefined);
    req.end(body);
    await waitFor(() => fixture.server.heldPolls?.() === 1);
    controller.abort();
    await waitFor(() => fixture.server.heldPolls?.() === 0);
    const res = await rawPost(
      fixture.server.url,
      JSON.stringify({ action: 'serverInfo', payload: {} }),
      {
        agent: fixture.agent,
      },
    );
    expect(res.status).toBe(200);
  });
});

describe('closing the server', () => {
  it('answers held polls and resolves close promptly', async () => {
    const { server: own } = await startTestServer();
    const room = await openRoom(own.url, uniqueRoomName('lpclose'), 'olive', [], {
      agent: fixture.agent,
    });
    const last = Math.max(
      ...(await drain(own.url, room.owner, 0, { agent: fixture.agent })).map((r) => r[0]),
    );
    const held = call(
      own.url,
      'pollMsg',
      { ...session(room.owner), mylast: last, wait: 25 },
      { agent: fixture.agent },
    );
    await waitFor(() => own.heldPolls?.() === 1);
    await own.close();
    expect(own.heldPolls?.()).toBe(0);
    // Answered, not cut off with the connection (and long before its 25 s were up).
    expect((await held).json).toEqual({ status: 'unchanged', last });
  });
});

describe('LongPollRegistry', () => {
  it('unregisters on abort, on timeout and when woken', async () => {
    const registry = new LongPollRegistry();
    const abort = new AbortController();
    const aborted = registry.wait(1, 'amy', 60_000, abort.signal);
    const timedOut = registry.wait(1, 'bob', 10, new AbortController().signal);
    const woken = registry.wait(2, 'cid', 60_000, new AbortController().signal);
    expect(registry.waiting()).toBe(3);
    abort.abort();
    await aborted;
    await timedOut;
    expect(registry.waiting()).toBe(1);
    registry.wakeForMessage(2, 'someone', 'cid');
    await woken;
    expect(registry.waiting()).toBe(0);
  });

  it('wakes only the pollers a message is visible to', async () => {
    const registry = new LongPollRegistry();
    const woke: string[] = [];
    const stop = new AbortController();
    const amy = registry.wait(1, 'amy', 60_000, stop.signal).then(() => woke.push('amy'));
    const bob = registry.wait(1, 'bob', 60_000, stop.signal).then(() => woke.push('bob'));
    registry.wakeForMessage(1, 'amy', 'bob');
    // Waking settles the waiters' promises at once: amy's would have run by now.
    await bob;
    expect(woke).toEqual(['bob']);
    expect(registry.waiting()).toBe(1);
    stop.abort();
    await amy;
  });
});
