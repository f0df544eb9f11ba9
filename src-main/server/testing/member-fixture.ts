import { randomInt } from 'node:crypto';
import { expect } from 'vitest';
import type { MessageRow } from '../../../src-shared/protocol';
import { api, type ApiResponse, type RawOptions } from './raw-client';

/** A joined participant as a client remembers it. */
export interface Member {
  room: string;
  user: string;
  pass: string;
  sesskey: string;
  syskey: string;
  /** `last` from the join answer. */
  joinedLast: number;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** 16 characters of A-Z0-9, as the stock client generates. */
export function stockPassword(): string {
  let out = '';
  for (let i = 0; i < 16; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

let roomCounter = 0;
/** A room name unique within this test process. */
export function uniqueRoomName(prefix: string): string {
  roomCounter += 1;
  return `${prefix}${roomCounter}-${randomInt(1e9)}`;
}

/** Opaque base64 "ciphertext": the server never decrypts, so tagged plain bytes are enough. */
export function fakeCiphertext(tag: string): string {
  return Buffer.from(tag, 'utf8').toString('base64');
}

export function readCiphertext(msg: string): string {
  return Buffer.from(msg, 'base64').toString('utf8');
}

export function session(m: Member): { roomName: string; user: string; sesskey: string } {
  return { roomName: m.room, user: m.user, sesskey: m.sesskey };
}

function expectOk(res: ApiResponse, what: string): Record<string, unknown> {
  if (res.status !== 200 || res.json?.status !== 'ok') {
    throw new Error(`${what}: expected 200 ok, got ${res.status} ${res.body}`);
  }
  return res.json;
}

export async function createRoom(
  url: string,
  room: string,
  owner: string,
  pass: string,
  opts: RawOptions = {},
) {
  return expectOk(
    await api(url, 'createRoom', { roomName: room, owner, pass }, opts),
    `createRoom ${room}`,
  );
}

export async function join(
  url: string,
  room: string,
  user: string,
  pass: string,
  opts: RawOptions = {},
): Promise<Member> {
  const json = expectOk(
    await api(url, 'joinRoom', { roomName: room, user, userpass: pass }, opts),
    `join ${user}@${room}`,
  );
  return {
    room,
    user,
    pass,
    sesskey: String(json.session),
    syskey: String(json.syskey),
    joinedLast: Number(json.last),
  };
}

export async function invite(
  url: string,
  by: Member,
  user: string,
  pass: string,
  opts: RawOptions = {},
): Promise<void> {
  expectOk(
    await api(url, 'inviteUser', { ...session(by), invite: user, pass }, opts),
    `invite ${user}`,
  );
}

/** Creates a room with an owner and the named members, everyone joined. */
export async function openRoom(
  url: string,
  room: string,
  ownerName: string,
  memberNames: readonly string[],
  opts: RawOptions = {},
): Promise<{ owner: Member; members: Member[] }> {
  const ownerPass = stockPassword();
  await createRoom(url, room, ownerName, ownerPass, opts);
  const owner = await join(url, room, ownerName, ownerPass, opts);
  const members: Member[] = [];
  for (const name of memberNames) {
    const pass = stockPassword();
    await invite(url, owner, name, pass, opts);
    members.push(await join(url, room, name, pass, opts));
  }
  return { owner, members };
}

export type PollResult =
  | { kind: 'rows'; rows: MessageRow[] }
  | { kind: 'unchanged' }
  | { kind: 'errmessage'; text: string }
  | { kind: 'refused'; status: number; body: string };

export async function poll(
  url: string,
  m: Member,
  mylast: number,
  opts: RawOptions & { wait?: number } = {},
): Promise<PollResult> {
  const payload: Record<string, unknown> = { ...session(m), mylast };
  if (opts.wait !== undefined) payload.wait = opts.wait;
  const res = await api(url, 'pollMsg', payload, opts);
  if (res.status !== 200 || !res.json)
    return { kind: 'refused', status: res.status, body: res.body };
  if (res.json.status === 'updated')
    return { kind: 'rows', rows: res.json.messages as MessageRow[] };
  if (res.json.status === 'unchanged') return { kind: 'unchanged' };
  if (res.json.status === 'errmessage') return { kind: 'errmessage', text: String(res.json.text) };
  throw new Error(`pollMsg: unexpected answer ${res.body}`);
}

/** Every row newer than `mylast` visible to `m`, polling until the server says unchanged. */
export async function drain(
  url: string,
  m: Member,
  mylast: number,
  opts: RawOptions = {},
): Promise<MessageRow[]> {
  const all: MessageRow[] = [];
  let last = mylast;
  for (;;) {
    const result = await poll(url, m, last, opts);
    if (result.kind === 'unchanged') return all;
    if (result.kind !== 'rows') throw new Error(`drain ${m.user}: ${JSON.stringify(result)}`);
    if (result.rows.length === 0) return all;
    all.push(...result.rows);
    const newest = Math.max(...result.rows.map((r) => r.at(0) as number));
    // A server that answers rows not newer than mylast would keep a client polling forever.
    if (newest <= last) throw new Error(`drain ${m.user}: rows not newer than ${last}`);
    last = newest;
  }
}

export async function send(
  url: string,
  m: Member,
  text: string,
  opts: RawOptions = {},
): Promise<number> {
  const json = expectOk(
    await api(url, 'sendMsg', { ...session(m), msg: fakeCiphertext(text) }, opts),
    `send ${m.user}`,
  );
  return Number(json.msgid);
}

export async function listMembers(
  url: string,
  m: Member,
  opts: RawOptions = {},
): Promise<string[]> {
  const json = expectOk(await api(url, 'listMembers', session(m), opts), `listMembers ${m.user}`);
  return (json.members as { user: string }[]).map((x) => x.user).sort();
}

/** A refused call must be 400/403 with an empty body: nothing about the room may leak. */
export function expectRefused(res: ApiResponse, status: 400 | 403 | readonly number[]): void {
  const allowed = typeof status === 'number' ? [status] : status;
  expect(allowed, `status ${res.status}, body ${JSON.stringify(res.body)}`).toContain(res.status);
  expect(res.body).toBe('');
}
