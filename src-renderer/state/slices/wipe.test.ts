import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaptureProtection, ServerReply } from '../../../src-shared/ipc/contract';
import { NOTICE_BURNED, type BurnReport, type MessageRow } from '../../../src-shared/protocol';
import type { Cipher } from '../../client/cipher';
import type { Notifier } from '../../client/notifier';
import type { ClipboardAccess } from '../../client/roomClipboard';
import type { Host } from '../../client/transport';
import { createChatStore } from '../store';
import { reportSentences } from './wipe';

const SERVER = 'https://chat.test';
const ROOMPASS = 'ROOMPASS-SECRET-1';
const USERPASS = 'USERPASS-SECRET-2';
const SESSKEY = 'r1-SESSKEY-SECRET-3';
const SYSKEY = 'SYSKEY-SECRET-4';
const SECRET = 'the plan is at midnight';

/** Stand-in cipher: base64 of [passphrase, plaintext]; a wrong passphrase fails. */
const cipher: Cipher = {
  reset() {},
  encrypt: async (plaintext, passphrase) => btoa(JSON.stringify([passphrase, plaintext])),
  decrypt: async (jobs) =>
    jobs.map((job) => {
      const [pass, text] = JSON.parse(atob(job.data)) as [string, string];
      return pass === job.passphrase
        ? { id: job.id, ok: true as const, text }
        : { id: job.id, ok: false as const };
    }),
};

const sealed = (from: string, text: string) =>
  btoa(JSON.stringify([ROOMPASS, JSON.stringify({ user: from, text, verb: 'say' })]));

/** One room on a scripted server: polls answer the queued rows, then `burning` when set. */
function setup(capture?: Host['capture']) {
  const server = {
    rows: [] as MessageRow[],
    burning: false,
    notice: undefined as string | undefined,
    calls: [] as { action: string; payload: Record<string, unknown> }[],
    report: { status: 'ok', confirmed: ['amy'], cannotConfirm: ['kim'], didNotAnswer: [] },
  };
  let nextId = 10;
  const reply = (body: unknown, status = 200): ServerReply => ({
    kind: 'response',
    status,
    body,
    fingerprint: '',
  });
  const handle = async (action: string, payload: Record<string, unknown>) => {
    server.calls.push({ action, payload });
    switch (action) {
      case 'serverInfo':
        return reply({
          status: 'ok',
          server: 'x',
          version: '1',
          extensions: ['longpoll', 'burn', 'capture'],
        });
      case 'joinRoom':
        return reply({ status: 'ok', last: 0, session: SESSKEY, syskey: SYSKEY });
      case 'createRoom':
        return reply({ status: 'ok', roomid: 1, name: payload.roomName });
      case 'pollMsg': {
        if (server.notice) return reply({ status: 'errmessage', text: server.notice });
        if (server.burning)
          return reply({ status: 'unchanged', last: payload.mylast, burning: true });
        const rows = server.rows.filter((r) => r[0] > Number(payload.mylast));
        return reply(
          rows.length
            ? { status: 'updated', messages: rows }
            : { status: 'unchanged', last: payload.mylast },
        );
      }
      case 'sendMsg': {
        const id = nextId++;
        server.rows.push([id, String(payload.msg), 1_700_000_000, 'amy', '0']);
        return reply({ status: 'ok', msgid: id, last: id });
      }
      case 'burnRoom':
        return reply(server.report);
      case 'confirmWipe':
      case 'leaveRoom':
      case 'announceCapture':
        return reply({ status: 'ok' });
      default:
        return reply(null, 400);
    }
  };
  const host: Host = {
    kind: 'browser',
    ownServer: SERVER,
    localServer: async () => ({ url: SERVER }),
    connect: (target) => ({
      server: target,
      send: (action, payload) => handle(action, payload as Record<string, unknown>),
    }),
    ...(capture ? { capture } : {}),
  };
  const board = { text: '' };
  const clipboard: ClipboardAccess = {
    write: async (text) => void (board.text = text),
    clearIf: async (text) => {
      if (board.text === text) board.text = '';
    },
  };
  const closed = { count: 0 };
  const notifier: Notifier = {
    permission: () => 'granted',
    request: async () => 'granted',
    notify: () => {},
    closeFor: () => {},
    closeAll: () => void closed.count++,
  };
  const store = createChatStore({
    host,
    cipher,
    generatePassword: () => 'GENERATED0000000',
    notifier,
    clipboard,
  });
  const post = (from: string, text: string) =>
    server.rows.push([nextId++, sealed(from, text), 1_700_000_000, from, '0']);
  return { server, store, board, closed, post };
}

const join = (store: ReturnType<typeof setup>['store']) =>
  store.getState().join({
    server: { url: SERVER },
    room: 'r1',
    roomPass: ROOMPASS,
    user: 'amy',
    userPass: USERPASS,
  });

/** The whole state as it could leak: everything serialisable, every string in it. */
const serialised = (store: ReturnType<typeof setup>['store']) => JSON.stringify(store.getState());

const texts = (store: ReturnType<typeof setup>['store']) =>
  store.getState().lines.map((l) => ('text' in l ? l.text : l.kind));

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('burn: a member window', () => {
  it('wipes every text and key, closes notifications, clears the clipboard and confirms', async () => {
    const { server, store, board, closed, post } = setup();
    post('kim', SECRET);
    await join(store);
    await vi.advanceTimersByTimeAsync(10);
    expect(texts(store)).toContain(SECRET);
    store.getState().setDraft('half a thought');
    await store.getState().copyText(SECRET);
    expect(serialised(store)).toContain(ROOMPASS);

    server.burning = true;
    await vi.advanceTimersByTimeAsync(1_000);
    const state = serialised(store);
    for (const secret of [SECRET, 'half a thought', ROOMPASS, USERPASS, SESSKEY, SYSKEY, 'r1'])
      expect(state, secret).not.toContain(secret);
    expect(store.getState()).toMatchObject({
      phase: 'ended',
      ended: { title: 'This room was burned' },
      burn: { kind: 'burned' },
      lines: [],
    });
    expect(board.text).toBe('');
    expect(closed.count).toBeGreaterThan(0);
    const confirm = server.calls.find((c) => c.action === 'confirmWipe');
    expect(confirm?.payload).toEqual({ roomName: 'r1', user: 'amy', sesskey: SESSKEY });
    // Polling stopped: nothing more is asked of a burned room.
    const polls = server.calls.filter((c) => c.action === 'pollMsg').length;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.calls.filter((c) => c.action === 'pollMsg').length).toBe(polls);
  });

  it('wipes without confirming when only the closing notice arrives', async () => {
    const { server, store, post } = setup();
    post('kim', SECRET);
    await join(store);
    await vi.advanceTimersByTimeAsync(10);
    server.notice = NOTICE_BURNED;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(serialised(store)).not.toContain(SECRET);
    expect(store.getState().burn).toEqual({ kind: 'burned' });
    expect(server.calls.some((c) => c.action === 'confirmWipe')).toBe(false);
  });
});

describe('burn: the owner window', () => {
  it('is wiped before the report, which then replaces "burning"', async () => {
    const { server, store, post } = setup();
    post('kim', SECRET);
    await join(store);
    await vi.advanceTimersByTimeAsync(10);
    const burning = store.getState().burnRoom();
    expect(store.getState().burn).toEqual({ kind: 'burning' });
    expect(serialised(store)).not.toContain(SECRET);
    await burning;
    expect(store.getState().burn).toEqual({ kind: 'report', report: server.report });
    const state = serialised(store);
    for (const secret of [SECRET, ROOMPASS, USERPASS, SESSKEY, SYSKEY])
      expect(state).not.toContain(secret);
  });
});

describe('clear my screen', () => {
  it('forgets every line and decrypted text, keeps the draft unless asked; new messages still come', async () => {
    const { store, post } = setup();
    post('kim', SECRET);
    await join(store);
    await vi.advanceTimersByTimeAsync(10);
    await store.getState().submit('my own words');
    await vi.advanceTimersByTimeAsync(1_000);
    store.getState().setDraft('keep me');
    expect(serialised(store)).toContain(SECRET);

    store.getState().clearScreen();
    const state = serialised(store);
    expect(state).not.toContain(SECRET);
    expect(state).not.toContain('my own words');
    expect(store.getState()).toMatchObject({ phase: 'room', unread: 0, draft: 'keep me' });

    post('kim', 'after the clear');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(texts(store)).toEqual(['Screen cleared. New messages appear below.', 'after the clear']);

    store.getState().clearScreen({ draft: true });
    expect(store.getState().draft).toBe('');
    expect(serialised(store)).not.toContain('after the clear');
  });

  it('leave and wipe: the window is wiped at once, then the server is told', async () => {
    const { server, store, board, post } = setup();
    post('kim', SECRET);
    await join(store);
    await vi.advanceTimersByTimeAsync(10);
    await store.getState().copyText(SECRET);
    const leaving = store.getState().leaveAndWipe();
    expect(serialised(store)).not.toContain(SECRET);
    await leaving;
    expect(board.text).toBe('');
    expect(server.calls.at(-1)?.action).toBe('leaveRoom');
  });
});

describe('copied room text', () => {
  it('leaves the clipboard when the room is left the ordinary way, notifications too', async () => {
    const { store, board, closed } = setup();
    await join(store);
    await vi.advanceTimersByTimeAsync(10);
    await store.getState().copyText(SECRET);
    await store.getState().leave();
    await vi.advanceTimersByTimeAsync(0);
    expect(board.text).toBe('');
    expect(closed.count).toBe(1);
  });
});

describe('the wipe report in words', () => {
  it('says who confirmed, who cannot and who did not answer, names bidi-isolated', () => {
    expect(
      reportSentences({ status: 'ok', confirmed: [], cannotConfirm: ['kim'], didNotAnswer: [] })[1],
    ).toMatch(/^\u2068kim\u2069 uses/);
    const plain = (report: BurnReport) =>
      reportSentences(report).map((s) => s.replace(/[\u2068\u2069]/g, ''));
    expect(
      plain({
        status: 'ok',
        confirmed: ['a', 'b', 'c', 'd', 'e'],
        cannotConfirm: ['kim'],
        didNotAnswer: [],
      }),
    ).toEqual([
      '5 of 6 members confirmed.',
      'kim uses the terminal client and cannot confirm: their screen may still show the conversation.',
    ]);
    expect(
      plain({
        status: 'ok',
        confirmed: [],
        cannotConfirm: [],
        didNotAnswer: ['lee', 'max'],
      }),
    ).toEqual([
      '0 of 2 members confirmed.',
      'lee and max did not answer in time: their windows were closed or offline, and may still show the conversation when opened.',
    ]);
  });
});

describe('capture protection (desktop app)', () => {
  /** Main's control as the renderer sees it: on by default, off on request or for a screen reader. */
  function control(assistive = false) {
    let wanted = true;
    const state = (): CaptureProtection =>
      !wanted
        ? { state: 'off', reason: 'member' }
        : assistive
          ? { state: 'off', reason: 'assistive-technology' }
          : { state: 'on' };
    return {
      status: async () => state(),
      set: async (on: boolean) => {
        wanted = on;
        return state();
      },
    };
  }
  const announced = (server: ReturnType<typeof setup>['server']) =>
    server.calls.filter((c) => c.action === 'announceCapture').map((c) => c.payload.protected);

  it('tells the room nothing while protected, and each change of the member’s choice', async () => {
    const { server, store } = setup(control());
    await join(store);
    await vi.advanceTimersByTimeAsync(10);
    expect(store.getState().capture).toEqual({ state: 'on' });
    expect(announced(server)).toEqual([]);
    await store.getState().setCaptureProtection(false);
    expect(store.getState().capture).toEqual({ state: 'off', reason: 'member' });
    await store.getState().setCaptureProtection(true);
    expect(announced(server)).toEqual([false, true]);
  });

  it('says so at join when assistive technology keeps it off', async () => {
    const { server, store } = setup(control(true));
    await join(store);
    await vi.advanceTimersByTimeAsync(10);
    expect(announced(server)).toEqual([false]);
    await store.getState().setCaptureProtection(true);
    expect(texts(store).at(-1)).toMatch(/stays off while assistive technology/);
    expect(announced(server)).toEqual([false]);
  });
});
