import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerReply } from '../../src-shared/ipc/contract';
import type { MessageRow } from '../../src-shared/protocol';
import type { Cipher } from '../client/cipher';
import { HELP_TEXT } from '../client/commands';
import { dmTag } from '../client/delivery';
import type { Notifier } from '../client/notifier';
import { HostError, type Host, type Transport } from '../client/transport';
import { createChatStore, type ChatStore, type RoomLine } from './store';

const SERVER = 'https://chat.test/secret';

/**
 * Stand-in cipher: base64 of the passphrase and plaintext, so wrong keys fail like real
 * OpenPGP without paying for S2K in unit tests.
 */
const fakeCipher: Cipher = {
  reset() {},
  async encrypt(plaintext, passphrase) {
    return btoa(JSON.stringify([passphrase, plaintext]));
  },
  async decrypt(jobs) {
    return jobs.map((job) => {
      try {
        const [pass, text] = JSON.parse(atob(job.data)) as [string, string];
        return pass === job.passphrase
          ? { id: job.id, ok: true as const, text }
          : { id: job.id, ok: false as const };
      } catch {
        return { id: job.id, ok: false as const };
      }
    });
  },
};

const SYSKEY = 'SYSKEY0000000000';

/** A small in-memory room server speaking the wire protocol's answers. */
class FakeServer {
  down = false;
  /** Presents another certificate than the pinned one (a restart without a kept one, or an attack). */
  otherCertificate = false;
  /** Holding as many message bytes as it may: new messages are refused with 503. */
  full = false;
  /** Sends refused with 429 Retry-After 2 (the per-member send limit) before one is taken. */
  throttledSends = 0;
  /** Refuses joins with 429, as a server whose login throttle has locked the name or address out. */
  lockedOut = false;
  extensions: string[] | null = ['longpoll', 'members'];
  /** serverInfo's instance id; a restart gives a new one. */
  instance: string | undefined = 'run-1';
  nextId = 100;
  rooms = new Map<string, { owner: string; users: Map<string, string>; present: Set<string> }>();
  messages: { id: number; room: string; msg: string; from: string; to: string }[] = [];
  sessions = new Map<string, { room: string; user: string }>();
  notices = new Map<string, string>();
  /** Accounts whose invite password was replaced with setPassword (once each). */
  ownPassword = new Set<string>();
  calls: { action: string; payload: Record<string, unknown>; keepalive?: boolean }[] = [];

  async system(room: string, text: string, verb = 'sysinfo') {
    this.post(
      room,
      await fakeCipher.encrypt(JSON.stringify({ text, verb }), SYSKEY),
      'SYSTEM',
      '0',
    );
  }

  post(room: string, msg: string, from: string, to: string) {
    const id = this.nextId++;
    this.messages.push({ id, room, msg, from, to });
    return id;
  }

  private reply(status: number, body: unknown = null, retryAfter?: number): ServerReply {
    return {
      kind: 'response',
      status,
      body,
      fingerprint: '',
      ...(retryAfter ? { retryAfter } : {}),
    };
  }

  /** A restarted server process: nothing of before survives, and the instance id changes. */
  restart() {
    this.rooms.clear();
    this.sessions.clear();
    this.notices.clear();
    this.messages = [];
    this.instance = 'run-2';
  }

  async handle(
    action: string,
    p: Record<string, unknown>,
    options?: { keepalive?: boolean },
  ): Promise<ServerReply> {
    this.calls.push({ action, payload: p, ...(options?.keepalive ? { keepalive: true } : {}) });
    if (this.down) return { kind: 'unreachable', message: 'ECONNREFUSED' };
    if (this.otherCertificate)
      return { kind: 'certificate-mismatch', expected: 'AA', actual: 'BB' };
    const room = this.rooms.get(String(p.roomName));
    const session = this.sessions.get(String(p.sesskey));
    const authed = room && session && session.room === p.roomName && session.user === p.user;
    switch (action) {
      case 'serverInfo':
        return this.extensions
          ? this.reply(200, {
              status: 'ok',
              server: 'fake',
              version: '1',
              extensions: this.extensions,
              ...(this.instance ? { instance: this.instance } : {}),
            })
          : this.reply(400);
      case 'createRoom': {
        if (room) return this.reply(400);
        this.rooms.set(String(p.roomName), {
          owner: String(p.owner),
          users: new Map([[String(p.owner), String(p.pass)]]),
          present: new Set(),
        });
        return this.reply(200, { status: 'ok', roomid: 1, name: p.roomName });
      }
      case 'joinRoom': {
        if (this.lockedOut) return this.reply(429, null, 30);
        if (!room) return this.reply(400);
        const pass = room.users.get(String(p.user));
        if (pass === undefined) return this.reply(200, { status: 'NOK' });
        if (pass !== p.userpass) return this.reply(403);
        let replaced = false;
        if (p.newpass !== undefined) {
          const account = `${String(p.roomName)}/${String(p.user)}`;
          replaced = p.user !== room.owner && !this.ownPassword.has(account);
          if (replaced) {
            this.ownPassword.add(account);
            room.users.set(String(p.user), String(p.newpass));
          }
        }
        const last = this.nextId - 1;
        room.present.add(String(p.user));
        await this.system(String(p.roomName), `User ${String(p.user)} joined the room`);
        const sesskey = `${String(p.roomName)}-${String(p.user)}-key`;
        this.sessions.set(sesskey, { room: String(p.roomName), user: String(p.user) });
        return this.reply(200, {
          status: 'ok',
          last,
          session: sesskey,
          syskey: SYSKEY,
          ...(p.newpass !== undefined ? { newpass: replaced ? 'set' : 'unchanged' } : {}),
        });
      }
      case 'pollMsg': {
        const notice = this.notices.get(String(p.sesskey));
        if (notice) {
          this.notices.delete(String(p.sesskey));
          return this.reply(200, { status: 'errmessage', text: notice });
        }
        if (!authed) return this.reply(403);
        const rows: MessageRow[] = this.messages
          .filter(
            (m) =>
              m.room === p.roomName && m.id > Number(p.mylast) && (m.to === '0' || m.to === p.user),
          )
          .map((m) => [m.id, m.msg, 1_700_000_000 + m.id, m.from, m.to]);
        return this.reply(
          200,
          rows.length
            ? { status: 'updated', messages: rows }
            : { status: 'unchanged', last: Number(p.mylast) },
        );
      }
      case 'sendMsg':
      case 'sendDirectMsg': {
        if (!authed) return this.reply(403);
        if (action === 'sendDirectMsg' && !room.present.has(String(p.to))) return this.reply(400);
        if (this.full) return this.reply(503);
        if (this.throttledSends > 0 && this.throttledSends--) return this.reply(429, null, 2);
        const id = this.post(
          String(p.roomName),
          String(p.msg),
          String(p.user),
          action === 'sendMsg' ? '0' : String(p.to),
        );
        return this.reply(200, { status: 'ok', msgid: id, last: id });
      }
      case 'inviteUser': {
        if (!authed) return this.reply(403);
        if (room.users.has(String(p.invite))) return this.reply(400);
        room.users.set(String(p.invite), String(p.pass));
        return this.reply(200, { status: 'ok' });
      }
      case 'kickUser': {
        if (!authed || session.user !== room.owner) return this.reply(403);
        room.present.delete(String(p.kick));
        for (const [key, s] of this.sessions) {
          if (s.user === p.kick && s.room === p.roomName) {
            this.sessions.delete(key);
            this.notices.set(key, 'You have been kicked from the room');
          }
        }
        await this.system(
          String(p.roomName),
          `User ${String(p.user)} kicked ${String(p.kick)} from the room`,
          'syswarn',
        );
        return this.reply(200, { status: 'ok' });
      }
      case 'leaveRoom': {
        if (!authed) return this.reply(403);
        room.present.delete(String(p.user));
        this.sessions.delete(String(p.sesskey));
        await this.system(String(p.roomName), `User ${String(p.user)} left the room`);
        return this.reply(200, { status: 'ok' });
      }
      case 'closeRoom': {
        if (!authed || session.user !== room.owner) return this.reply(403);
        this.rooms.delete(String(p.roomName));
        return this.reply(200, { status: 'ok' });
      }
      case 'setPassword': {
        if (!authed || session.user === room.owner) return this.reply(!authed ? 403 : 400);
        if (this.ownPassword.has(`${String(p.roomName)}/${String(p.user)}`)) return this.reply(400);
        this.ownPassword.add(`${String(p.roomName)}/${String(p.user)}`);
        room.users.set(String(p.user), String(p.newpass));
        return this.reply(200, { status: 'ok' });
      }
      case 'listMembers': {
        if (!authed) return this.reply(403);
        return this.reply(200, {
          status: 'ok',
          members: [...room.present].map((user) => ({ user, owner: user === room.owner })),
        });
      }
      default:
        return this.reply(400);
    }
  }

  /** Another member's message, as a second client would send it. */
  async say(
    room: string,
    from: string,
    text: string,
    verb = 'say',
    to = '0',
    roomPass = 'ROOMPASS',
  ) {
    return this.post(
      room,
      await fakeCipher.encrypt(JSON.stringify({ user: from, text, verb }), roomPass),
      from,
      to,
    );
  }
}

function setup(options: { extensions?: string[] | null; notifier?: Notifier } = {}) {
  const server = new FakeServer();
  if (options.extensions !== undefined) server.extensions = options.extensions;
  const host: Host = {
    kind: 'browser',
    ownServer: SERVER,
    localServer: async () => ({ url: SERVER }),
    connect(target): Transport {
      if (target.url !== SERVER) throw new HostError('This page can only talk to its own server');
      return {
        server: target,
        send: (action, payload, options) =>
          server.handle(action, payload as Record<string, unknown>, options),
      };
    },
  };
  const notified: string[] = [];
  const notifier: Notifier = {
    permission: () => 'granted',
    request: async () => 'granted',
    notify: (_title, body) => void notified.push(body),
    closeFor: () => {},
    closeAll: () => {},
  };
  let n = 0;
  const passwords = () => `PASS${String(++n).padStart(12, '0')}`;
  let resetCount = 0;
  // Calls through, so a test can spy on fakeCipher.
  const cipher: Cipher = {
    encrypt: (text, pass) => fakeCipher.encrypt(text, pass),
    decrypt: (jobs) => fakeCipher.decrypt(jobs),
    reset: () => void resetCount++,
  };
  const store = createChatStore({
    host,
    cipher,
    generatePassword: passwords,
    notifier: options.notifier ?? notifier,
  });
  return { server, store, notified, resets: () => resetCount };
}

/** Our own messages' delivery, when not plain "sent". */
const mark = (line: RoomLine) =>
  line.kind !== 'say' && line.kind !== 'do'
    ? ''
    : line.delivery?.state === 'failed'
      ? ` [failed: ${line.delivery.reason}]`
      : line.delivery?.state === 'sending'
        ? ' [sending]'
        : '';

const texts = (store: ChatStore) =>
  store.getState().lines.map((line: RoomLine) => {
    switch (line.kind) {
      case 'say':
        return line.to
          ? `${line.outgoing ? '->' : '<-'}${line.from}>${line.to}: ${line.text}${mark(line)}`
          : `${line.from}: ${line.text}${mark(line)}`;
      case 'do':
        return `* ${line.from} ${line.text}${mark(line)}`;
      case 'system':
        return `[${line.level}] ${line.text}`;
      case 'undecryptable':
        return `?? ${line.from}`;
      case 'held':
        return `.. ${line.from}`;
      case 'local':
        return `(${line.level}) ${line.text}`;
    }
  });

/** A promise that stays pending until release() is called. */
function gate() {
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  return { held, release };
}

/** Holds the server's answers to the calls `hold` picks until the returned function is called. */
function holdAnswers(server: FakeServer, hold: (action: string) => boolean) {
  const { held, release } = gate();
  const handle = server.handle.bind(server);
  server.handle = async (action, p, options) => {
    const reply = await handle(action, p, options);
    if (hold(action)) await held;
    return reply;
  };
  return release;
}

async function settle(ms = 0) {
  await vi.advanceTimersByTimeAsync(ms);
}

/** Prepares room r1 with alice (owner) and bob, invited with known passwords. */
function seedRoom(server: FakeServer) {
  server.rooms.set('r1', {
    owner: 'alice',
    users: new Map([
      ['alice', 'ALICEPASS'],
      ['bob', 'BOBPASS'],
    ]),
    present: new Set(['alice']),
  });
  server.sessions.set('r1-alice-key', { room: 'r1', user: 'alice' });
}

const bobJoin = {
  server: { url: SERVER },
  room: 'r1',
  roomPass: 'ROOMPASS',
  user: 'bob',
  userPass: 'BOBPASS',
};

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('chat store', () => {
  it('creates a room with generated passwords and joins it as owner', async () => {
    const { server, store } = setup();
    await store.getState().createRoom({ room: 'plans', user: 'alice' });
    await settle();
    const state = store.getState();
    expect(state.phase).toBe('room');
    expect(state.session).toMatchObject({
      room: 'plans',
      user: 'alice',
      owner: true,
      roomPass: 'PASS000000000001',
      userPass: 'PASS000000000002',
    });
    // Asking before each join is the default from the app and the page (admission).
    expect(server.calls.find((c) => c.action === 'createRoom')?.payload).toEqual({
      roomName: 'plans',
      owner: 'alice',
      pass: 'PASS000000000002',
      admission: true,
    });
    expect(texts(store)).toEqual(['[sysinfo] User alice joined the room']);
    expect(state.members).toEqual([{ user: 'alice', owner: true }]);
    await state.leave();
  });

  it('joins, long-polls, decrypts in id order and keeps a bad message from stopping the rest', async () => {
    const { server, store } = setup();
    seedRoom(server);
    await store.getState().join(bobJoin);
    await settle();
    expect(store.getState().session?.owner).toBe(false);
    await server.say('r1', 'alice', 'hello bob');
    server.post('r1', 'bm90IG91cnM=', 'alice', '0');
    await server.say('r1', 'alice', 'waves', 'do');
    await server.say('r1', 'alice', 'just for bob', 'say', 'bob');
    await settle(1_000);
    expect(texts(store)).toEqual([
      '[sysinfo] User bob joined the room',
      'alice: hello bob',
      '?? alice',
      '* alice waves',
      '<-alice>bob: just for bob',
    ]);
    const polls = server.calls.filter((c) => c.action === 'pollMsg');
    expect(polls[0]?.payload).toMatchObject({ mylast: 99, wait: 3 });
    expect(store.getState().members).toEqual([
      { user: 'alice', owner: true },
      { user: 'bob', owner: false },
    ]);
    await store.getState().leave();
  });

  it('polls once a second without sending wait when serverInfo is refused (old server)', async () => {
    const { server, store } = setup({ extensions: null });
    seedRoom(server);
    await store.getState().join(bobJoin);
    await settle(3_000);
    const polls = server.calls.filter((c) => c.action === 'pollMsg');
    expect(polls.length).toBeGreaterThanOrEqual(3);
    expect(polls.length).toBeLessThanOrEqual(4);
    expect(polls.every((c) => c.payload.wait === undefined)).toBe(true);
    expect(server.calls.some((c) => c.action === 'listMembers')).toBe(false);
    await store.getState().leave();
  });

  it('derives members from SYSTEM notices without the members extension', async () => {
    const { server, store } = setup({ extensions: ['longpoll'] });
    seedRoom(server);
    await store.getState().join(bobJoin);
    await settle();
    await server.system('r1', 'User carol joined the room');
    await server.system('r1', 'User dave joined the room');
    await server.system('r1', 'User alice kicked dave from the room', 'syswarn');
    await settle(1_000);
    expect(store.getState().members.map((m) => m.user)).toEqual(['bob', 'carol']);
    await store.getState().leave();
  });

  it('sends say, /me and DMs encrypted as the stock client expects, with a local copy of the DM', async () => {
    const { server, store } = setup();
    seedRoom(server);
    server.rooms.get('r1')!.present.add('alice');
    await store.getState().join(bobJoin);
    await settle();
    await store.getState().submit('hi all');
    await store.getState().submit('/me nods');
    await store.getState().submit('/msg alice secret');
    await store.getState().submit('/msg nobody hello');
    const sent = server.calls.filter((c) => c.action === 'sendMsg' || c.action === 'sendDirectMsg');
    const plaintexts = await fakeCipher.decrypt(
      sent.map((c, i) => ({ id: i, data: String(c.payload.msg), passphrase: 'ROOMPASS' })),
    );
    expect(plaintexts.map((r) => (r.ok ? JSON.parse(r.text) : null))).toEqual([
      { user: 'bob', text: 'hi all', verb: 'say' },
      { user: 'bob', text: 'nods', verb: 'do' },
      { user: 'bob', text: 'secret', verb: 'say' },
      { user: 'bob', text: 'hello', verb: 'say' },
    ]);
    expect(sent[2]?.payload.to).toBe('alice');
    await settle(1_000);
    expect(texts(store)).toEqual([
      '[sysinfo] User bob joined the room',
      'bob: hi all',
      '* bob nods',
      '->bob>alice: secret',
      '->bob>nobody: hello [failed: “nobody” is not in the room]',
    ]);
    expect(store.getState().history).toEqual([
      'hi all',
      '/me nods',
      '/msg alice secret',
      '/msg nobody hello',
    ]);
    await store.getState().leave();
  });

  it('tells the sender in words when a full server refuses a message, and sends again later', async () => {
    const { server, store } = setup();
    seedRoom(server);
    server.rooms.get('r1')!.present.add('alice');
    await store.getState().join(bobJoin);
    await settle();
    server.full = true;
    await store.getState().submit('hi all');
    await store.getState().submit('/msg alice psst');
    server.full = false;
    await store.getState().submit('hi again');
    await settle(1_000);
    const busy = 'server full, try again in a minute';
    expect(texts(store)).toEqual([
      '[sysinfo] User bob joined the room',
      `bob: hi all [failed: ${busy}]`,
      `->bob>alice: psst [failed: ${busy}]`,
      'bob: hi again',
    ]);
    await store.getState().leave();
  });

  it('waits out the send limit (429 Retry-After) and sends every message in order, dropping none', async () => {
    const { server, store } = setup();
    seedRoom(server);
    await store.getState().join(bobJoin);
    await settle();
    server.throttledSends = 2;
    const sends = Promise.all(['one', 'two', 'three'].map((t) => store.getState().submit(t)));
    await settle(1_000);
    expect(texts(store).slice(1)).toEqual([
      'bob: one [sending]',
      'bob: two [sending]',
      'bob: three [sending]',
      '(info) Sending more slowly: the server takes a few messages a second from each member. Yours wait and follow by themselves, in order (next try in 2 s).',
    ]);
    await settle(5_000);
    await sends;
    expect(texts(store).filter((t) => t.startsWith('bob:'))).toEqual([
      'bob: one',
      'bob: two',
      'bob: three',
    ]);
    expect(server.messages.filter((m) => m.from === 'bob')).toHaveLength(3);
    await store.getState().leave();
  });

  it('gives wrong password, unknown user, unknown room, a lockout and unreachable server their own messages', async () => {
    const { server, store } = setup();
    seedRoom(server);
    await store.getState().join({ ...bobJoin, userPass: 'WRONG' });
    expect(store.getState()).toMatchObject({
      phase: 'start',
      error: expect.stringMatching(/^Wrong password for “bob” in room “r1”\./),
    });
    await store.getState().join({ ...bobJoin, user: 'zed' });
    expect(store.getState().error).toBe(
      'There is no user “zed” in room “r1”. Ask the room for a new invite.',
    );
    await store.getState().join({ ...bobJoin, room: 'nope' });
    expect(store.getState().error).toBe(
      'There is no room “nope” on this server (it may have been closed).',
    );
    await store.getState().join({ ...bobJoin, server: { url: 'https://elsewhere.test' } });
    expect(store.getState().error).toMatch(/can only talk to its own server/);
    server.lockedOut = true;
    await store.getState().join(bobJoin);
    expect(store.getState().error).toMatch(
      /^Too many failed attempts to join with this name or from this computer, .*; it asks to wait 30 s\.$/,
    );
    expect(store.getState().retryAt).toBe(Date.now() + 30_000);
    server.lockedOut = false;
    server.down = true;
    await store.getState().join(bobJoin);
    expect(store.getState().error).toBe(
      `Cannot reach the server at ${SERVER}. Check the address and that the host is still running.`,
    );
    expect(store.getState().session).toBeUndefined();
  });

  it('shows reconnecting while the server is away and recovers with the messages', async () => {
    const { server, store } = setup();
    seedRoom(server);
    await store.getState().join(bobJoin);
    await settle();
    server.down = true;
    await settle(1_500);
    expect(store.getState().connection).toBe('reconnecting');
    server.down = false;
    await server.say('r1', 'alice', 'back again');
    await settle(5_000);
    expect(store.getState().connection).toBe('connected');
    expect(texts(store)).toContain('alice: back again');
    await store.getState().leave();
  });

  it('ends the session on a kick notice, shows its text and forgets every key and message', async () => {
    const { server, store } = setup();
    seedRoom(server);
    await store.getState().join(bobJoin);
    await settle();
    await server.handle('kickUser', {
      roomName: 'r1',
      user: 'alice',
      sesskey: 'r1-alice-key',
      kick: 'bob',
    });
    await settle(1_000);
    const state = store.getState();
    expect(state.phase).toBe('ended');
    expect(state.ended?.text).toMatch(/owner removed you/);
    expect(state.session).toBeUndefined();
    expect(state.lines).toEqual([]);
    expect(state.history).toEqual([]);
    const polls = server.calls.filter((c) => c.action === 'pollMsg').length;
    await settle(5_000);
    expect(server.calls.filter((c) => c.action === 'pollMsg').length).toBe(polls);
  });

  it('ends when the room disappears under it (403 on poll)', async () => {
    const { server, store } = setup();
    seedRoom(server);
    await store.getState().join(bobJoin);
    await settle();
    server.sessions.delete('r1-bob-key');
    await settle(1_000);
    expect(store.getState()).toMatchObject({ phase: 'ended', session: undefined });
    expect(store.getState().ended?.text).toBe(
      'The server no longer knows your session: the room was closed or you were removed.',
    );
  });

  it('still shows the app invite when the stock client cannot express the room name', async () => {
    const { server, store } = setup();
    await store.getState().createRoom({ room: 'our plans', user: 'alice' });
    await settle();
    await store.getState().submit('/room invite carol');
    const invite = store.getState().invite;
    expect(invite?.code).toMatch(/^LC1\./);
    expect(invite?.joinLine).toEqual({ unavailable: expect.stringMatching(/space/i) });
    expect(server.rooms.get('our plans')?.users.has('carol')).toBe(true);
  });

  it('says why SYSTEM, its look-alikes and 0 cannot be invited, without asking the server', async () => {
    const { server, store } = setup();
    await store.getState().createRoom({ room: 'names', user: 'alice' });
    await settle();
    for (const name of ['SYSTEM', 'ЅYSTEM', '0']) {
      await store.getState().submit(`/room invite ${name}`);
      expect(texts(store).at(-1)).toMatch(
        new RegExp(`^\\(error\\) “${name}” cannot be invited: .*SYSTEM speaks for the server`),
      );
    }
    expect(server.calls.filter((c) => c.action === 'inviteUser')).toEqual([]);
    expect(store.getState().invite).toBeUndefined();
  });

  it('lets the owner invite, kick and close; leave clears the store', async () => {
    const { server, store } = setup();
    await store.getState().createRoom({ room: 'plans', user: 'alice' });
    await settle();
    await store.getState().submit('/room invite carol');
    const invite = store.getState().invite;
    expect(invite?.invite).toMatchObject({
      server: SERVER,
      room: 'plans',
      roomPass: 'PASS000000000001',
      user: 'carol',
      userPass: 'PASS000000000003',
    });
    expect(invite?.joinLine).toEqual({
      line: '/join plans PASS000000000001:PASS000000000003 carol',
    });
    expect(server.rooms.get('plans')?.users.get('carol')).toBe('PASS000000000003');
    await store.getState().submit('/room invite carol');
    expect(texts(store).at(-1)).toBe(
      '(error) Could not invite “carol”: that name is already invited or not allowed.',
    );
    await store.getState().submit('/room close');
    expect(store.getState()).toMatchObject({
      phase: 'ended',
      session: undefined,
      invite: undefined,
      lines: [],
    });
    expect(server.rooms.has('plans')).toBe(false);
  });

  it('reports a non-owner kick as refused', async () => {
    const { server, store } = setup();
    seedRoom(server);
    await store.getState().join(bobJoin);
    await settle();
    await store.getState().submit('/kick alice');
    expect(texts(store).at(-1)).toBe("(error) Only the room's owner can kick people.");
    await store.getState().submit('/bogus');
    expect(texts(store).at(-1)).toBe('(error) Unknown command /bogus. Type /help for the list.');
    await store.getState().leave();
    expect(store.getState()).toMatchObject({
      phase: 'ended',
      session: undefined,
      lines: [],
      members: [],
    });
    expect(server.calls.at(-1)?.action).toBe('leaveRoom');
  });

  it('/join switches rooms on the same server, leaving the current one', async () => {
    const { server, store } = setup();
    seedRoom(server);
    server.rooms.set('r2', {
      owner: 'zoe',
      users: new Map([['bob', 'BOB2PASS']]),
      present: new Set(),
    });
    await store.getState().join(bobJoin);
    await settle();
    await store.getState().submit('/join r2 ROOM2PASS:BOB2PASS bob');
    await settle();
    expect(store.getState().session).toMatchObject({
      room: 'r2',
      roomPass: 'ROOM2PASS',
      user: 'bob',
    });
    expect(texts(store)).toEqual(['[sysinfo] User bob joined the room']);
    expect(server.rooms.get('r1')?.present.has('bob')).toBe(false);
    await store.getState().leave();
  });

  it('/room create from inside a room creates the new room on the same server and joins it as owner', async () => {
    const { server, store } = setup();
    seedRoom(server);
    await store.getState().join(bobJoin);
    await settle();
    await store.getState().submit('/room create side');
    await settle();
    expect(server.rooms.get('side')?.owner).toBe('bob');
    expect(store.getState().session).toMatchObject({ room: 'side', user: 'bob', owner: true });
    await store.getState().submit('/room create side');
    expect(texts(store).at(-1)).toBe(
      '(error) Could not create room “side”: the name is already in use or not allowed.',
    );
    await store.getState().leave();
  });

  it('drops the crypto layer’s cached keys when a session ends', async () => {
    const { server, store, resets } = setup();
    seedRoom(server);
    await store.getState().join(bobJoin);
    await settle();
    const before = resets();
    await store.getState().leave();
    expect(resets()).toBe(before + 1);
  });

  it('keeps an opened invite link for the start screen and forgets it once joined', async () => {
    const { server, store } = setup();
    seedRoom(server);
    store.getState().receiveJoinLink('localchat://join/CODE');
    expect(store.getState().inviteDraft).toBe('localchat://join/CODE');
    await store.getState().join({ ...bobJoin, userPass: 'WRONG' });
    expect(store.getState().inviteDraft).toBe('localchat://join/CODE');
    await store.getState().join(bobJoin);
    expect(store.getState().inviteDraft).toBe('');
    store.getState().receiveJoinLink('localchat://join/OTHER');
    expect(texts(store).at(-1)).toBe(
      '(info) An invite link was opened: leave this room to join with it.',
    );
    await store.getState().leave();
    expect(store.getState().inviteDraft).toBe('localchat://join/OTHER');
  });

  it('counts unread messages and notifies without message text while unfocused', async () => {
    const { server, store, notified } = setup();
    seedRoom(server);
    await store.getState().join(bobJoin);
    await settle();
    store.getState().setFocused(false);
    await server.say('r1', 'alice', 'are you there?');
    await settle(1_000);
    expect(store.getState().unread).toBe(1);
    expect(notified).toEqual(['New message in your room']);
    store.getState().setFocused(true);
    expect(store.getState().unread).toBe(0);
    await store.getState().leave();
  });
  it('shows a message as sending at once, then sent with its msgid, and once only after the poll', async () => {
    const { server, store } = setup();
    seedRoom(server);
    await store.getState().join(bobJoin);
    await settle();
    const sending = store.getState().submit('hello');
    expect(texts(store).at(-1)).toBe('bob: hello [sending]');
    await sending;
    const line = store.getState().lines.at(-1);
    expect(line).toMatchObject({ kind: 'say', text: 'hello', delivery: { state: 'sent' } });
    const msgid = server.messages.at(-1)!.id;
    expect(line?.id).toBe(msgid);
    await settle(1_000);
    expect(texts(store).filter((t) => t.startsWith('bob: hello'))).toEqual(['bob: hello']);
    expect(store.getState().lines.filter((l) => l.id === msgid)).toHaveLength(1);
    await store.getState().leave();
  });

  it('keeps one line when the poll brings the message back before sendMsg answers', async () => {
    const { server, store } = setup();
    seedRoom(server);
    await store.getState().join(bobJoin);
    await settle();
    // The answer to sendMsg is held until the poll has delivered the row.
    const release = holdAnswers(server, (action) => action === 'sendMsg');
    const sending = store.getState().submit('race');
    await settle(1_000);
    expect(texts(store).filter((t) => t.startsWith('bob: race'))).toHaveLength(2);
    release();
    await sending;
    expect(texts(store).filter((t) => t.startsWith('bob: race'))).toEqual(['bob: race']);
    expect(store.getState().lines.at(-1)).toMatchObject({ delivery: { state: 'sent' } });
    await store.getState().leave();
  });

  it('posts messages in the order typed, even when a later one is encrypted first', async () => {
    const { server, store } = setup();
    seedRoom(server);
    await store.getState().join(bobJoin);
    await settle();
    // The first message's encryption is held; the pool finishes the later ones before it.
    const { held, release } = gate();
    const encrypt = fakeCipher.encrypt.bind(fakeCipher);
    vi.spyOn(fakeCipher, 'encrypt').mockImplementation(async (text, pass) => {
      if (text.includes('first')) await held;
      return encrypt(text, pass);
    });
    const sends = ['first', 'second', 'third'].map((text) => store.getState().submit(text));
    await settle(100);
    expect(server.messages.filter((m) => m.from === 'bob')).toHaveLength(0);
    release();
    await Promise.all(sends);
    const posted = server.messages.filter((m) => m.from === 'bob');
    const decrypted = await fakeCipher.decrypt(
      posted.map((m) => ({ id: m.id, data: m.msg, passphrase: 'ROOMPASS' })),
    );
    expect(decrypted.map((r) => (r.ok ? JSON.parse(r.text).text : null))).toEqual([
      'first',
      'second',
      'third',
    ]);
    await settle(1_000);
    expect(texts(store).slice(-3)).toEqual(['bob: first', 'bob: second', 'bob: third']);
    await store.getState().leave();
  });

  it('keeps later messages still sending below the one the server just numbered', async () => {
    const { server, store } = setup();
    seedRoom(server);
    await store.getState().join(bobJoin);
    await settle();
    // The answer to the second sendMsg is held.
    let posts = 0;
    const release = holdAnswers(server, (action) => action === 'sendMsg' && ++posts === 2);
    const sends = ['one', 'two', 'three'].map((text) => store.getState().submit(text));
    await settle(100);
    const own = () => texts(store).filter((t) => t.startsWith('bob: '));
    // "one" is numbered; "two" waits for its answer, "three" for its turn.
    expect(own()).toEqual(['bob: one', 'bob: two [sending]', 'bob: three [sending]']);
    release();
    await Promise.all(sends);
    expect(own()).toEqual(['bob: one', 'bob: two', 'bob: three']);
    await store.getState().leave();
  });

  it('marks a send to an unreachable server failed, keeps the text, and Retry delivers it once', async () => {
    const { server, store } = setup();
    seedRoom(server);
    await store.getState().join(bobJoin);
    await settle();
    server.down = true;
    await store.getState().submit('/me tries');
    expect(texts(store).at(-1)).toBe('* bob tries [failed: server unreachable]');
    const failed = store.getState().lines.at(-1)!;
    server.down = false;
    await store.getState().retry(failed.id);
    await settle(5_000);
    expect(server.messages.filter((m) => m.from === 'bob')).toHaveLength(1);
    expect(texts(store).filter((t) => t.includes('tries'))).toEqual(['* bob tries']);
    await store.getState().leave();
  });

  it('moves a message sent again to the bottom, below what came after it', async () => {
    const { server, store } = setup();
    seedRoom(server);
    await store.getState().join(bobJoin);
    await settle();
    server.down = true;
    await store.getState().submit('early');
    server.down = false;
    await store.getState().submit('later');
    await store.getState().submit('/help');
    const failed = store.getState().lines.find((l) => l.kind === 'say' && l.text === 'early')!;
    const help = HELP_TEXT.map((line) => `(info) ${line}`);
    expect(texts(store).slice(-help.length - 2)).toEqual([
      'bob: early [failed: server unreachable]',
      'bob: later',
      ...help,
    ]);
    await store.getState().retry(failed.id);
    expect(texts(store).slice(-help.length - 2)).toEqual(['bob: later', ...help, 'bob: early']);
    await store.getState().leave();
  });

  it('names the real reason: session ended, refused as too long, timed out', async () => {
    const { server, store } = setup();
    seedRoom(server);
    await store.getState().join(bobJoin);
    await settle();
    const handle = server.handle.bind(server);
    let answer: ServerReply | undefined;
    server.handle = async (action, p) =>
      action === 'sendMsg' && answer ? answer : handle(action, p);
    answer = { kind: 'response', status: 403, body: null, fingerprint: '' };
    await store.getState().submit('one');
    answer = { kind: 'response', status: 400, body: null, fingerprint: '' };
    await store.getState().submit('two');
    answer = { kind: 'unreachable', message: 'The operation was aborted due to timeout' };
    await store.getState().submit('three');
    expect(texts(store).slice(-3)).toEqual([
      'bob: one [failed: session ended]',
      'bob: two [failed: refused as too long for the server]',
      'bob: three [failed: timed out]',
    ]);
    answer = undefined;
    store.getState().edit(store.getState().lines.at(-1)!.id);
    expect(store.getState().draft).toBe('three');
    expect(texts(store).some((t) => t.includes('three'))).toBe(false);
    await store.getState().leave();
  });

  it('never labels a DM the server did not accept as "DM to" (issue 10.8)', async () => {
    const { server, store } = setup();
    seedRoom(server);
    server.rooms.get('r1')!.present.add('alice');
    await store.getState().join(bobJoin);
    await settle();
    // "0" is the wire's room-wide marker: the server refuses it as a recipient (400).
    await store.getState().submit('/msg 0 for everyone?');
    const handle = server.handle.bind(server);
    server.handle = async (action, p) =>
      action === 'sendDirectMsg' && p.to === 'alice'
        ? { kind: 'response', status: 403, body: null, fingerprint: '' }
        : handle(action, p);
    await store.getState().submit('/msg alice refused');
    server.handle = handle;
    server.down = true;
    await store.getState().submit('/msg alice unreachable');
    server.down = false;
    await settle(1_000);
    const dms = store
      .getState()
      .lines.filter((l) => (l.kind === 'say' || l.kind === 'do') && l.to !== undefined);
    expect(dms).toHaveLength(3);
    for (const line of dms) {
      if (line.kind !== 'say') throw new Error('not a DM');
      expect(line.delivery?.state).toBe('failed');
      expect(dmTag(line)?.prefix).toBe('Not delivered to ');
    }
    // Nothing reached the room as a room-wide message either.
    expect(server.messages.some((m) => m.from === 'bob')).toBe(false);
    expect(texts(store).some((t) => t.startsWith('bob: '))).toBe(false);
    await store.getState().leave();
  });

  it('refuses text over the limit before sending anything', async () => {
    const { server, store } = setup();
    seedRoom(server);
    await store.getState().join(bobJoin);
    await settle();
    const before = server.calls.length;
    await store.getState().submit('x'.repeat(49_000));
    expect(server.calls.slice(before).some((c) => c.action === 'sendMsg')).toBe(false);
    expect(texts(store).at(-1)).toMatch(/^\(error\) Message not sent: it is too long/);
    await store.getState().submit('é'.repeat(20_000));
    expect(server.calls.slice(before).some((c) => c.action === 'sendMsg')).toBe(true);
    await store.getState().leave();
  });

  it('keeps the newest 5,000 lines and counts the dropped ones', async () => {
    const { server, store } = setup();
    seedRoom(server);
    await store.getState().join(bobJoin);
    await settle();
    for (let i = 1; i <= 5_100; i++) await server.say('r1', 'alice', `m${i}`);
    await settle(1_000);
    await settle(1_000);
    const { lines, dropped } = store.getState();
    expect(lines).toHaveLength(5_000);
    expect(dropped).toBe(101);
    expect(texts(store).at(-1)).toBe('alice: m5100');
    expect(texts(store)[0]).toBe('alice: m101');
    await store.getState().leave();
    expect(store.getState().dropped).toBe(0);
  });
});

describe('sessions that tell the truth', () => {
  it('ends with the restart wording when serverInfo shows another server instance', async () => {
    const { server, store } = setup();
    seedRoom(server);
    await store.getState().join(bobJoin);
    await settle();
    server.restart();
    await settle(1_000);
    expect(store.getState()).toMatchObject({ phase: 'ended', session: undefined });
    expect(store.getState().ended).toEqual({
      title: 'r1 no longer exists',
      text: expect.stringMatching(/^The server restarted; the room no longer exists\./),
    });
  });

  it('names both causes when the certificate changes mid-session, and sends nothing more', async () => {
    const { server, store } = setup();
    seedRoom(server);
    await store.getState().join(bobJoin);
    await settle();
    server.otherCertificate = true;
    await settle(1_000);
    const calls = server.calls.length;
    expect(store.getState().ended).toEqual({
      title: 'Connection not trusted',
      text: expect.stringMatching(
        /restarted its server without keeping its certificate.*or someone is intercepting/,
      ),
    });
    await settle(5_000);
    expect(server.calls.length).toBe(calls);
  });

  it('cannot rule out a restart when the server announces no instance', async () => {
    const { server, store } = setup();
    server.instance = undefined;
    seedRoom(server);
    await store.getState().join(bobJoin);
    await settle();
    server.sessions.delete('r1-bob-key');
    await settle(1_000);
    expect(store.getState().ended?.text).toMatch(
      /the room was closed, you were removed, or the server was restarted/,
    );
  });

  it('says the room passphrase looks wrong, and a corrected one opens the kept messages', async () => {
    const { server, store } = setup();
    seedRoom(server);
    await store.getState().join({ ...bobJoin, roomPass: 'TYPO' });
    await settle();
    expect(store.getState().passphraseWrong).toBe(false);
    await server.say('r1', 'alice', 'hello bob');
    await settle(1_000);
    expect(texts(store)).toEqual(['[sysinfo] User bob joined the room', '?? alice']);
    // One member's failures could be that member's garbage: it takes two.
    expect(store.getState().passphraseWrong).toBe(false);
    await server.say('r1', 'carol', 'hello from carol');
    await settle(1_000);
    expect(store.getState().passphraseWrong).toBe(true);

    const before = server.calls.length;
    await expect(store.getState().retryPassphrase('STILLWRONG')).resolves.toBe('still-wrong');
    expect(store.getState().passphraseWrong).toBe(true);
    await expect(store.getState().retryPassphrase('ROOMPASS')).resolves.toBe('opened');
    // Checked locally: the passphrase never went to the server.
    expect(
      server.calls
        .slice(before)
        .map((c) => c.action)
        .filter((a) => a !== 'pollMsg'),
    ).toEqual([]);
    expect(texts(store)).toEqual([
      '[sysinfo] User bob joined the room',
      'alice: hello bob',
      'carol: hello from carol',
    ]);
    expect(store.getState()).toMatchObject({
      passphraseWrong: false,
      session: { roomPass: 'ROOMPASS' },
    });

    await server.say('r1', 'alice', 'now it works');
    await store.getState().submit('thanks');
    await settle(1_000);
    expect(texts(store).slice(-2)).toEqual(['alice: now it works', 'bob: thanks']);
    await store.getState().leave();
  });

  it('tries a new passphrase on the newest message of a few senders first, then opens every kept message', async () => {
    const { server, store } = setup();
    seedRoom(server);
    await store.getState().join({ ...bobJoin, roomPass: 'TYPO' });
    await settle();
    for (let i = 1; i <= 5; i++) await server.say('r1', 'alice', `m${i}`);
    server.post('r1', 'bm90IGEgbWVzc2FnZQ==', 'mallory', '0');
    await settle(1_000);
    expect(store.getState().passphraseWrong).toBe(true);
    store.getState().dismissPassphraseWarning();
    expect(store.getState()).toMatchObject({
      passphraseWrong: true,
      passphraseWarningDismissed: true,
    });
    const tried: number[] = [];
    const decrypt = fakeCipher.decrypt.bind(fakeCipher);
    vi.spyOn(fakeCipher, 'decrypt').mockImplementation(async (jobs) => {
      tried.push(jobs.length);
      return decrypt(jobs);
    });
    await expect(store.getState().retryPassphrase('WRONG AGAIN')).resolves.toBe('still-wrong');
    // Alice's newest and mallory's garbage: one sender's messages can never be all the probes.
    expect(tried).toEqual([2]);
    await expect(store.getState().retryPassphrase('ROOMPASS')).resolves.toBe('opened');
    vi.restoreAllMocks();
    expect(texts(store).slice(1)).toEqual([
      'alice: m1',
      'alice: m2',
      'alice: m3',
      'alice: m4',
      'alice: m5',
      '?? mallory',
    ]);
    expect(store.getState()).toMatchObject({
      passphraseWrong: false,
      passphraseWarningDismissed: false,
    });
    await store.getState().leave();
  });

  it('shows a message as soon as it is decrypted, never behind another member’s slow ones', async () => {
    const { server, store } = setup();
    seedRoom(server);
    await store.getState().join(bobJoin);
    await settle();
    const decrypt = fakeCipher.decrypt.bind(fakeCipher);
    // Mallory's messages each take 10 s to open (a costly S2K each); everyone else's are quick.
    vi.spyOn(fakeCipher, 'decrypt').mockImplementation(async (jobs) => {
      if (jobs.some((job) => atob(job.data).includes('SLOW')))
        await new Promise((resolve) => setTimeout(resolve, 10_000));
      return decrypt(jobs);
    });
    for (let i = 0; i < 5; i++) await server.say('r1', 'mallory', `SLOW ${i}`);
    await server.say('r1', 'alice', 'are you there?');
    await settle(1_000);
    expect(texts(store)).toContain('alice: are you there?');
    expect(texts(store).filter((t) => t.startsWith('mallory'))).toEqual([]);
    await settle(60_000);
    expect(texts(store).filter((t) => t.startsWith('mallory'))).toHaveLength(5);
    vi.restoreAllMocks();
    await store.getState().leave();
  });

  it('never doubts the passphrase over one member’s garbage sent right after a join', async () => {
    const { server, store } = setup();
    seedRoom(server);
    await store.getState().join(bobJoin);
    await settle();
    for (let i = 0; i < 5; i++) server.post('r1', 'bm90IGEgbWVzc2FnZQ==', 'mallory', '0');
    await settle(1_000);
    expect(texts(store).slice(1)).toEqual(Array(5).fill('?? mallory'));
    expect(store.getState().passphraseWrong).toBe(false);
    await store.getState().leave();
  });

  it('does not judge a retyped passphrase on a message that ran over its time budget', async () => {
    const { server, store } = setup();
    seedRoom(server);
    await store.getState().join({ ...bobJoin, roomPass: 'TYPO' });
    await settle();
    await server.say('r1', 'alice', 'hello bob');
    await server.say('r1', 'carol', 'hello from carol');
    await settle(1_000);
    expect(store.getState().passphraseWrong).toBe(true);
    const decrypt = fakeCipher.decrypt.bind(fakeCipher);
    let overBudget = 2;
    // The machine is busy: the first tries run out of time, as a terminated worker answers.
    vi.spyOn(fakeCipher, 'decrypt').mockImplementation(async (jobs) =>
      overBudget-- > 0
        ? jobs.map((job) => ({ id: job.id, ok: false, retry: true }))
        : decrypt(jobs),
    );
    await expect(store.getState().retryPassphrase('ROOMPASS')).resolves.toBe('opened');
    vi.restoreAllMocks();
    expect(texts(store).slice(-2)).toEqual(['alice: hello bob', 'carol: hello from carol']);
    await store.getState().leave();
  });

  it('does not doubt a passphrase that opened another member’s message', async () => {
    const { server, store } = setup();
    seedRoom(server);
    await store.getState().join(bobJoin);
    await settle();
    await server.say('r1', 'alice', 'hi');
    server.post('r1', 'bm90IGEgbWVzc2FnZQ==', 'mallory', '0');
    await settle(1_000);
    expect(texts(store).slice(-2)).toEqual(['alice: hi', '?? mallory']);
    expect(store.getState().passphraseWrong).toBe(false);
    await store.getState().leave();
  });

  it('replaces the invite password with its own after the first join, and reuses it in this tab', async () => {
    const { server, store } = setup({ extensions: ['longpoll', 'members', 'setpassword'] });
    seedRoom(server);
    await store.getState().join(bobJoin);
    await settle();
    const set = server.calls.filter((c) => c.action === 'setPassword');
    expect(set).toHaveLength(1);
    const own = String(set[0]!.payload.newpass);
    expect(own).not.toBe('BOBPASS');
    expect(server.rooms.get('r1')!.users.get('bob')).toBe(own);
    expect(store.getState().session?.userPass).toBe(own);

    // The invite's password no longer opens the account...
    const stale = await server.handle('joinRoom', {
      roomName: 'r1',
      user: 'bob',
      userpass: 'BOBPASS',
    });
    expect(stale).toMatchObject({ status: 403 });
    // ...but this tab joins again with the same invite (e.g. /join) using its own.
    await store.getState().leave();
    await store.getState().join(bobJoin);
    await settle();
    expect(store.getState().phase).toBe('room');
    expect(server.calls.filter((c) => c.action === 'setPassword')).toHaveLength(1);
    await store.getState().leave();
  });

  it('sets its own password in the join itself where the server offers joinnewpass', async () => {
    const { server, store } = setup({
      extensions: ['longpoll', 'members', 'setpassword', 'joinnewpass'],
    });
    seedRoom(server);
    await store.getState().join(bobJoin);
    await settle();
    const joins = server.calls.filter((c) => c.action === 'joinRoom');
    const own = String(joins[0]!.payload.newpass);
    expect(own).toMatch(/^[A-Z0-9]{16,}$/);
    expect(server.rooms.get('r1')!.users.get('bob')).toBe(own);
    expect(store.getState().session?.userPass).toBe(own);
    expect(server.calls.some((c) => c.action === 'setPassword')).toBe(false);
    // Joining again with the same invite uses the own password, without asking to replace it.
    await store.getState().leave();
    await store.getState().join(bobJoin);
    await settle();
    expect(store.getState().phase).toBe('room');
    const again = server.calls.filter((c) => c.action === 'joinRoom')[1]!.payload;
    expect(again).toMatchObject({ userpass: own });
    expect(again.newpass).toBeUndefined();
    await store.getState().leave();
  });

  it('leaves the owner’s password and servers without the extension alone', async () => {
    const owner = setup({ extensions: ['longpoll', 'members', 'setpassword'] });
    await owner.store.getState().createRoom({ room: 'mine', user: 'alice' });
    await settle();
    expect(owner.server.calls.some((c) => c.action === 'setPassword')).toBe(false);
    const stock = setup();
    seedRoom(stock.server);
    await stock.store.getState().join(bobJoin);
    await settle();
    expect(stock.server.calls.some((c) => c.action === 'setPassword')).toBe(false);
    expect(stock.store.getState().session?.userPass).toBe('BOBPASS');
  });

  it('leaves with a keepalive request when the page goes away, and shows why', async () => {
    const { server, store } = setup();
    seedRoom(server);
    await store.getState().join(bobJoin);
    await settle();
    store.getState().leaveOnUnload();
    await settle();
    expect(server.calls.filter((c) => c.action === 'leaveRoom')).toEqual([
      {
        action: 'leaveRoom',
        payload: { roomName: 'r1', user: 'bob', sesskey: 'r1-bob-key' },
        keepalive: true,
      },
    ]);
    expect(server.rooms.get('r1')!.present.has('bob')).toBe(false);
    expect(store.getState()).toMatchObject({ phase: 'ended', session: undefined });
    expect(store.getState().ended?.text).toMatch(/reloaded or closed, which leaves the room/);
  });

  it('asks for notification permission only when the user turns them on', async () => {
    let permission: NotificationPermission = 'default';
    const asked: number[] = [];
    const shown: string[] = [];
    const notifier: Notifier = {
      permission: () => permission,
      request: async () => {
        asked.push(1);
        permission = 'granted';
        return permission;
      },
      notify: (_t, body) => void shown.push(body),
      closeFor: () => {},
      closeAll: () => {},
    };
    const { server, store } = setup({ notifier });
    seedRoom(server);
    await store.getState().join(bobJoin);
    await settle();
    expect(asked).toEqual([]);
    store.getState().setFocused(false);
    await server.say('r1', 'alice', 'one');
    await settle(1_000);
    expect(shown).toEqual([]);
    await store.getState().toggleNotifications();
    expect(asked).toEqual([1]);
    expect(store.getState()).toMatchObject({ notifications: 'granted', notificationsOn: true });
    await server.say('r1', 'alice', 'two');
    await settle(1_000);
    expect(shown).toEqual(['New message in your room']);
    await store.getState().toggleNotifications();
    expect(store.getState().notificationsOn).toBe(false);
    await store.getState().leave();
    expect(store.getState().notificationsOn).toBe(false);
  });
});

describe('sends while the server does not answer (sendkey)', () => {
  const delivery = (store: ChatStore, text: string) => {
    const line = store.getState().lines.find((l) => l.kind === 'say' && l.text === text);
    return line?.kind === 'say' ? line.delivery?.state : undefined;
  };

  it('waits (never failed), then sends by itself, in order, each try with one key', async () => {
    const { server, store } = setup({ extensions: ['longpoll', 'members', 'sendkey'] });
    seedRoom(server);
    await store.getState().join(bobJoin);
    await settle();
    server.down = true;
    void store.getState().submit('first');
    void store.getState().submit('second');
    await settle(30_000);
    expect(delivery(store, 'first')).toBe('waiting');
    expect(delivery(store, 'second')).toBe('waiting');
    expect(server.messages.some((m) => m.from === 'bob')).toBe(false);
    server.down = false;
    await settle(5_000);
    expect(delivery(store, 'first')).toBe('sent');
    expect(delivery(store, 'second')).toBe('sent');
    const sent = server.messages.filter((m) => m.from === 'bob').map((m) => atob(m.msg));
    expect(sent.map((m) => JSON.parse(JSON.parse(m)[1]).text)).toEqual(['first', 'second']);
    // Every try of "first" carried the same key, and "second" was never sent before it.
    const tries = server.calls.filter((c) => c.action === 'sendMsg');
    const keys = tries.map((c) => c.payload.sendkey);
    const firstKey = keys[0];
    expect(keys.filter((k) => k !== firstKey)).toHaveLength(1);
    expect(keys.at(-1)).not.toBe(firstKey);
    expect(tries.length).toBeGreaterThan(3);
    await store.getState().leave();
  });

  it('gives a waiting send up when the session ends', async () => {
    const { server, store } = setup({ extensions: ['longpoll', 'members', 'sendkey'] });
    seedRoom(server);
    await store.getState().join(bobJoin);
    await settle();
    server.full = true;
    void store.getState().submit('while full');
    await settle(10_000);
    expect(delivery(store, 'while full')).toBe('waiting');
    server.full = false;
    server.sessions.clear();
    await settle(10_000);
    expect(store.getState().phase).toBe('ended');
  });
});

describe('joining a server with a join window (joinwindow)', () => {
  it('polls from 0, so what was said just before the join shows, under a notice', async () => {
    const { server, store } = setup({ extensions: ['longpoll', 'members', 'joinwindow'] });
    seedRoom(server);
    await server.say('r1', 'alice', 'here is the plan');
    await store.getState().join(bobJoin);
    await settle();
    expect(texts(store).slice(0, 3)).toEqual([
      '(info) Messages sent more than 10 seconds before you joined are not shown.',
      'alice: here is the plan',
      '[sysinfo] User bob joined the room',
    ]);
    await store.getState().leave();
  });
});
