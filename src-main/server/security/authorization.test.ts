import { randomBytes } from 'node:crypto';
import type https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptText } from '../../../src-shared/crypto/message';
import { type MessageRow, SYSTEM_USER } from '../../../src-shared/protocol';
import { startServer } from '../index';
import {
  drain,
  expectRefused,
  fakeCiphertext,
  invite,
  join,
  listMembers,
  type Member,
  openRoom,
  poll,
  stockPassword,
  uniqueRoomName,
} from '../testing/member-fixture';
import { api, testAgent } from '../testing/raw-client';

/**
 * Every authenticated action against every kind of bad credential: each cell must be refused
 * with an empty body and leave the room's members and messages exactly as they were.
 */

type Server = Awaited<ReturnType<typeof startServer>>;

let server: Server;
let agent: https.Agent;
/** bob's session in a second room: valid, but not for the room under attack. */
let otherRoomBob: Member;

interface Scene {
  owner: Member;
  alice: Member;
  bob: Member;
  /** Kicked by the owner; the one-time kick notice already consumed. */
  kim: Member;
  /** Left the room by itself. */
  leo: Member;
}

async function buildScene(): Promise<Scene> {
  const url = server.url;
  const { owner, members } = await openRoom(
    url,
    uniqueRoomName('authz'),
    'olive',
    ['alice', 'bob', 'kim', 'leo'],
    {
      agent,
    },
  );
  const [alice, bob, kim, leo] = members as [Member, Member, Member, Member];
  expect((await api(url, 'kickUser', { ...creds(owner), kick: 'kim' }, { agent })).status).toBe(
    200,
  );
  expect(await poll(url, kim, 0, { agent })).toMatchObject({ kind: 'errmessage' });
  expect((await api(url, 'leaveRoom', creds(leo), { agent })).status).toBe(200);
  return { owner, alice, bob, kim, leo };
}

function creds(m: Member) {
  return { roomName: m.room, user: m.user, sesskey: m.sesskey };
}

/** A well-formed session key for the room that the server never issued. */
function forgedKey(room: string): string {
  return `${room}-${randomBytes(36).toString('base64url')}`;
}

interface Context {
  name: string;
  /** The credentials the attacker presents, in the room under attack. */
  credentials: (s: Scene) => Record<string, unknown>;
  status: 400 | 403;
}

// A missing field is a bad request (400) per protocol.md; every bad credential is a 403.
const CONTEXTS: Context[] = [
  { name: 'no session', status: 400, credentials: (s) => ({ roomName: s.bob.room, user: 'bob' }) },
  {
    name: 'a wrong session',
    status: 403,
    credentials: (s) => ({ roomName: s.bob.room, user: 'bob', sesskey: forgedKey(s.bob.room) }),
  },
  {
    name: "another user's session",
    status: 403,
    credentials: (s) => ({ roomName: s.bob.room, user: 'bob', sesskey: s.owner.sesskey }),
  },
  {
    name: "the owner's name with a member's session",
    status: 403,
    credentials: (s) => ({ roomName: s.bob.room, user: s.owner.user, sesskey: s.bob.sesskey }),
  },
  {
    name: "another room's session",
    status: 403,
    credentials: (s) => ({ roomName: s.bob.room, user: 'bob', sesskey: otherRoomBob.sesskey }),
  },
  { name: "a kicked user's old session", status: 403, credentials: (s) => creds(s.kim) },
  { name: "a left user's old session", status: 403, credentials: (s) => creds(s.leo) },
];

/** What each action adds to the credentials; targets are legit members so a success would show. */
const ACTIONS: Record<string, (s: Scene) => Record<string, unknown>> = {
  leaveRoom: () => ({}),
  closeRoom: () => ({}),
  pollMsg: () => ({ mylast: 0 }),
  sendMsg: () => ({ msg: fakeCiphertext('forged room message') }),
  sendDirectMsg: () => ({ msg: fakeCiphertext('forged direct message'), to: 'alice' }),
  inviteUser: () => ({ invite: 'intruder', pass: stockPassword() }),
  kickUser: () => ({ kick: 'alice' }),
  banUser: () => ({ kick: 'alice' }),
  listMembers: () => ({}),
  publishKey: () => ({ key: 'A'.repeat(43), client: 'browser' }),
  admitMember: () => ({ member: 'alice', admit: false }),
  setAdmission: () => ({ on: true }),
};

interface Snapshot {
  members: string[];
  ownerLast: number;
  aliceLast: number;
}

const lastId = (rows: MessageRow[], from: number) =>
  rows.reduce((max, r) => Math.max(max, r[0]), from);

async function snapshot(s: Scene): Promise<Snapshot> {
  const members = await listMembers(server.url, s.owner, { agent });
  const ownerLast = lastId(await drain(server.url, s.owner, 0, { agent }), 0);
  const aliceLast = lastId(await drain(server.url, s.alice, 0, { agent }), 0);
  return { members, ownerLast, aliceLast };
}

/** New rows other than SYSTEM warnings and alerts (which the protocol lets an attempt cause). */
async function newNonWarningRows(m: Member, from: number): Promise<MessageRow[]> {
  const rows = await drain(server.url, m, from, { agent });
  const kept: MessageRow[] = [];
  for (const row of rows) {
    if (row[3] === SYSTEM_USER) {
      const { verb } = JSON.parse(await decryptText(row[1], m.syskey)) as { verb: string };
      if (verb === 'syswarn' || verb === 'sysalert') continue;
    }
    kept.push(row);
  }
  return kept;
}

async function expectUnchanged(s: Scene, before: Snapshot): Promise<void> {
  expect(await listMembers(server.url, s.owner, { agent })).toEqual(before.members);
  expect(await newNonWarningRows(s.owner, before.ownerLast)).toEqual([]);
  expect(await newNonWarningRows(s.alice, before.aliceLast)).toEqual([]);
  // The legit members' sessions still work.
  expect((await poll(server.url, s.alice, before.aliceLast, { agent })).kind).not.toBe('refused');
  expect((await poll(server.url, s.bob, 0, { agent })).kind).not.toBe('refused');
}

beforeAll(async () => {
  // Every cell opens rooms of its own from one address: past the createRoom limit for people.
  server = await startServer({ host: '127.0.0.1', port: 0, createThrottle: { perAddress: 1000 } });
  agent = testAgent({ maxSockets: 4 });
  const otherRoom = uniqueRoomName('authz-other');
  const { owner } = await openRoom(server.url, otherRoom, 'bob', [], { agent });
  otherRoomBob = owner;
});

afterAll(async () => {
  agent?.destroy();
  await server?.close();
});

/**
 * Cells of one row share a scene while every attack is refused (a refused attack changes
 * nothing, which each cell checks); a cell that fails discards it, so the next cell starts from
 * a fresh one and a failure names only the cell that caused it.
 */
function sharedScene() {
  let current: Scene | undefined;
  return async (attack: (scene: Scene) => Promise<void>) => {
    const scene = (current ??= await buildScene());
    try {
      await attack(scene);
    } catch (error) {
      current = undefined;
      throw error;
    }
  };
}

describe.each(Object.keys(ACTIONS))('%s is refused', (action) => {
  const inScene = sharedScene();
  it.each(CONTEXTS)('with $name', (context) =>
    inScene(async (scene) => {
      const before = await snapshot(scene);
      const payload = { ...context.credentials(scene), ...ACTIONS[action]!(scene) };
      expectRefused(await api(server.url, action, payload, { agent }), context.status);
      // The stock client's payload-as-string form must be judged the same way.
      expectRefused(
        await api(server.url, action, payload, { agent, payloadAsString: true }),
        context.status,
      );
      await expectUnchanged(scene, before);
    }),
  );
});

describe('admin actions by a member who is not the owner', () => {
  const inScene = sharedScene();
  it.each([
    { action: 'kickUser', extra: { kick: 'alice' } },
    { action: 'banUser', extra: { kick: 'alice' } },
    { action: 'closeRoom', extra: {} },
  ])('$action with a valid session is 403', ({ action, extra }) =>
    inScene(async (scene) => {
      const before = await snapshot(scene);
      expectRefused(
        await api(server.url, action, { ...creds(scene.bob), ...extra }, { agent }),
        403,
      );
      await expectUnchanged(scene, before);
    }),
  );

  it('a refused ban leaves the target able to rejoin with the same password', async () => {
    const scene = await buildScene();
    expectRefused(
      await api(server.url, 'banUser', { ...creds(scene.bob), kick: 'alice' }, { agent }),
      403,
    );
    expect((await api(server.url, 'leaveRoom', creds(scene.alice), { agent })).status).toBe(200);
    const again = await join(server.url, scene.alice.room, 'alice', scene.alice.pass, { agent });
    expect(again.sesskey).not.toBe(scene.alice.sesskey);
    await invite(server.url, again, 'carol', stockPassword(), { agent });
  });
});
