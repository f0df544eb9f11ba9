import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerReply } from '../../../src-shared/ipc/contract';
import type { Cipher } from '../../client/cipher';
import type { Notifier } from '../../client/notifier';
import type { Host } from '../../client/transport';
import { createChatStore } from '../store';

/**
 * The client's side of the room clock, with a fake clock: every kind of line vanishes from the
 * store at its lifetime, with its text, its notification and its unread count.
 */
const SERVER = 'https://clock.test';
const SYSKEY = 'SYSKEY0000000000';
const LIFETIME_S = 30;

/** base64 of [passphrase, plaintext]: a wrong key fails like real OpenPGP, without S2K. */
const cipher: Cipher = {
  reset() {},
  async encrypt(plaintext, passphrase) {
    return btoa(JSON.stringify([passphrase, plaintext]));
  },
  async decrypt(jobs) {
    return jobs.map((job) => {
      const [pass, text] = JSON.parse(atob(job.data)) as [string, string];
      return pass === job.passphrase
        ? { id: job.id, ok: true as const, text }
        : { id: job.id, ok: false as const };
    });
  },
};

/** A one-room server that speaks just enough of the wire, with the roomclock extension. */
class ClockServer {
  nextId = 10;
  rows: [number, string, number, string, string][] = [];
  lifetime = LIFETIME_S;

  async post(msg: string, from: string, to = '0') {
    const id = this.nextId++;
    this.rows.push([id, msg, Date.now() / 1000, from, to]);
    return id;
  }

  async say(from: string, text: string, to?: string) {
    return this.post(
      await cipher.encrypt(JSON.stringify({ user: from, text, verb: 'say' }), 'ROOMPASS'),
      from,
      to,
    );
  }

  async system(text: string) {
    return this.post(
      await cipher.encrypt(JSON.stringify({ text, verb: 'sysinfo' }), SYSKEY),
      'SYSTEM',
    );
  }

  async handle(action: string, p: Record<string, unknown>): Promise<ServerReply> {
    const ok = (body: unknown): ServerReply => ({
      kind: 'response',
      status: 200,
      body,
      fingerprint: '',
    });
    switch (action) {
      case 'serverInfo':
        return ok({
          status: 'ok',
          server: 'fake',
          version: '1',
          extensions: ['roomclock'],
          clock: {
            messageLifetime: 600,
            noticeLifetime: 300,
            idleClose: 21_600,
            unjoinedClose: 300,
            purgeInterval: 5,
            now: Date.now() / 1000,
          },
          ...(p.sesskey
            ? { room: { messageLifetime: this.lifetime, idleClosesAt: Date.now() / 1000 + 21_600 } }
            : {}),
        });
      case 'joinRoom':
        return ok({ status: 'ok', last: this.nextId - 1, session: 'r1-bob-key', syskey: SYSKEY });
      case 'pollMsg': {
        const rows = this.rows.filter(
          (r) => r[0] > Number(p.mylast) && !(r[3] === 'bob' && r[4] !== '0'),
        );
        return ok(
          rows.length
            ? { status: 'updated', messages: rows }
            : { status: 'unchanged', last: p.mylast },
        );
      }
      case 'sendMsg':
      case 'sendDirectMsg': {
        const id = await this.post(String(p.msg), 'bob', action === 'sendMsg' ? '0' : String(p.to));
        return ok({ status: 'ok', msgid: id, last: id });
      }
      case 'listMembers':
        return ok({
          status: 'ok',
          members: [
            { user: 'alice', owner: true },
            { user: 'bob', owner: false },
          ],
        });
      case 'leaveRoom':
        return ok({ status: 'ok' });
      default:
        return { kind: 'response', status: 400, body: null, fingerprint: '' };
    }
  }
}

function setup() {
  const server = new ClockServer();
  const host: Host = {
    kind: 'browser',
    ownServer: SERVER,
    localServer: async () => ({ url: SERVER }),
    connect: (target) => ({
      server: target,
      send: (action, payload) => server.handle(action, payload as Record<string, unknown>),
    }),
  };
  const shown: { body: string; ids: readonly number[] }[] = [];
  const closed: number[][] = [];
  let closedAll = 0;
  const notifier: Notifier = {
    permission: () => 'granted',
    request: async () => 'granted',
    notify: (_title, body, ids = []) => void shown.push({ body, ids }),
    closeFor: (ids) => void closed.push([...ids]),
    closeAll: () => void closedAll++,
  };
  let n = 0;
  const store = createChatStore({ host, cipher, notifier, generatePassword: () => `PASS${++n}` });
  return { server, store, shown, closed, closedAll: () => closedAll };
}

const settle = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-12-08T10:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the room clock in the store', () => {
  it('removes a message, a DM, our own message and a SYSTEM notice at their lifetime', async () => {
    const { server, store, shown, closed, closedAll } = setup();
    await store.getState().join({
      server: { url: SERVER },
      room: 'r1',
      roomPass: 'ROOMPASS',
      user: 'bob',
      userPass: 'BOBPASS',
    });
    await settle(100);
    expect(store.getState().roomClock?.lifetimeMs).toBe(LIFETIME_S * 1000);
    store.getState().setFocused(false);
    await server.say('alice', 'secret-room-line');
    await server.say('alice', 'secret-direct-line', 'bob');
    await server.system('User carol joined the room');
    await store.getState().submit('secret-own-line');
    store.getState().setDraft('my unsent draft');
    await settle(1_500);
    const bodyOf = () => JSON.stringify(store.getState());
    for (const secret of [
      'secret-room-line',
      'secret-direct-line',
      'secret-own-line',
      'User carol joined',
    ])
      expect(bodyOf()).toContain(secret);
    expect(store.getState().unread).toBe(2);
    // Each message is shown (and notified) as soon as it opens, never batched behind another.
    expect(shown.map((s) => s.body)).toEqual([
      'New message in your room',
      'New message in your room',
    ]);

    // All four were made within the first 1.5 s: 30 s later, within a second, all are gone.
    await settle(LIFETIME_S * 1000 - 1_500 + 1_000);
    const state = store.getState();
    expect(state.lines).toEqual([]);
    for (const secret of [
      'secret-room-line',
      'secret-direct-line',
      'secret-own-line',
      'User carol joined',
    ])
      expect(bodyOf()).not.toContain(secret);
    expect(state.unread).toBe(0);
    expect(state.draft).toBe('my unsent draft');
    expect(closed.flat()).toEqual(expect.arrayContaining([...shown[0]!.ids]));

    const closedBefore = closedAll();
    await store.getState().leave();
    expect(closedAll()).toBe(closedBefore + 1);
  });

  it('keeps a line until its lifetime, then removes it within a second', async () => {
    const { server, store } = setup();
    await store.getState().join({
      server: { url: SERVER },
      room: 'r1',
      roomPass: 'ROOMPASS',
      user: 'bob',
      userPass: 'BOBPASS',
    });
    await settle(100);
    await server.say('alice', 'first');
    await settle(1_000);
    const made = server.rows.at(-1)![2] * 1000;
    await server.say('alice', 'second');
    await settle(made + LIFETIME_S * 1000 - Date.now() - 10);
    expect(store.getState().lines.map((l) => ('text' in l ? l.text : ''))).toContain('first');
    await settle(1_000);
    const left = store.getState().lines.map((l) => ('text' in l ? l.text : ''));
    expect(left).not.toContain('first');
    expect(left).toContain('second');
  });

  it('keeps unread counts on messages that still exist', async () => {
    const { server, store } = setup();
    await store.getState().join({
      server: { url: SERVER },
      room: 'r1',
      roomPass: 'ROOMPASS',
      user: 'bob',
      userPass: 'BOBPASS',
    });
    await settle(100);
    store.getState().setFocused(false);
    await server.say('alice', 'one');
    await settle(1_000);
    await server.say('alice', 'two');
    await server.say('alice', 'three');
    await settle(1_000);
    expect(store.getState().unread).toBe(3);
    await settle(LIFETIME_S * 1000 - 1_500);
    expect(store.getState().unread).toBe(2);
    await settle(1_000);
    expect(store.getState().unread).toBe(0);
  });

  it('asks for the clock again when SYSTEM announces a new lifetime', async () => {
    const { server, store } = setup();
    await store.getState().join({
      server: { url: SERVER },
      room: 'r1',
      roomPass: 'ROOMPASS',
      user: 'bob',
      userPass: 'BOBPASS',
    });
    await settle(100);
    server.lifetime = 60;
    await server.system('User alice set messages to vanish after 1 minute');
    await settle(1_500);
    expect(store.getState().roomClock?.lifetimeMs).toBe(60_000);
  });
});
