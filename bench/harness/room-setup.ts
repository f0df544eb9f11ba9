import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ActionInput, ActionName } from '../../src-shared/protocol';
import type { Invitee, Member } from '../load/member';
import { Connection, type Endpoint } from './client';
import { mapLimit } from './map-limit';

export interface RoomPlan {
  roomName: string;
  /** Joined members, the owner first. */
  members: number;
  /** Users invited but left to join later (e.g. during a join storm). */
  invitees?: number;
  /** Give every member a password of its own instead of the shared one: real argon2 work. */
  uniquePasswords?: boolean;
}

export interface PreparedRoom {
  members: Member[];
  invitees: Invitee[];
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A password like the stock client generates: 16 characters of A-Z0-9. */
export function generatePassword(): string {
  return Array.from({ length: 16 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}

/**
 * Members of every room this process sets up share one password, so a server started with
 * memoizePasswordHashes hashes it once; invitees get their own, so their joins cost real argon2.
 */
const MEMBER_PASSWORD = generatePassword();

/**
 * Creates a room, invites and joins its members through the public API, and leaves every
 * member's `last` at the room's newest message so later polls start from a quiet room.
 */
export async function prepareRoom(
  endpoint: Endpoint,
  plan: RoomPlan,
  concurrency = 8,
): Promise<PreparedRoom> {
  const connection = new Connection(endpoint, { maxSockets: concurrency });
  try {
    const { roomName } = plan;
    const ownerName = 'owner';
    const memberPassword = () => (plan.uniquePasswords ? generatePassword() : MEMBER_PASSWORD);
    const ownerPass = memberPassword();
    await setupCall(connection, 'createRoom', { roomName, owner: ownerName, pass: ownerPass });
    const owner = await join(connection, { roomName, user: ownerName, pass: ownerPass });

    const invite = async (user: string, pass: string): Promise<Invitee> => {
      await setupCall(connection, 'inviteUser', {
        roomName,
        user: owner.user,
        sesskey: owner.sesskey,
        invite: user,
        pass,
      });
      return { roomName, user, pass };
    };
    const names = (prefix: string, count: number) =>
      Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
    const joiners = await mapLimit(names('member', plan.members - 1), concurrency, (user) =>
      invite(user, memberPassword()),
    );
    const others = await mapLimit(joiners, concurrency, (invitee) => join(connection, invitee));
    const invitees = await mapLimit(names('guest', plan.invitees ?? 0), concurrency, (user) =>
      invite(user, generatePassword()),
    );

    const members = [owner, ...others];
    const newest = Math.max(...members.map((m) => m.last), await newestId(connection, owner));
    for (const member of members) member.last = newest;
    return { members, invitees };
  } finally {
    connection.close();
  }
}

/** How often setup retries a call the server's hashing queue refused (503) before giving up. */
const SETUP_RETRIES = 40;

/**
 * A setup call. Setup sends eight hashing calls at once from one address, beyond what the
 * server's bounded hashing queue admits per address (hashing-queue.ts): a 503 is retried after a
 * pause, as a client would after Retry-After. Measured calls never retry.
 */
async function setupCall<A extends ActionName>(
  connection: Connection,
  action: A,
  payload: ActionInput<A>,
): Promise<Record<string, unknown>> {
  for (let attempt = 0; ; attempt++) {
    const { status, body } = await connection.call(action, payload);
    if (status === 200 && typeof body === 'object' && body !== null)
      return body as Record<string, unknown>;
    if (status !== 503 || attempt >= SETUP_RETRIES)
      throw new Error(`${action} answered HTTP ${status}`);
    await sleep(250);
  }
}

async function join(connection: Connection, invitee: Invitee): Promise<Member> {
  const body = await setupCall(connection, 'joinRoom', {
    roomName: invitee.roomName,
    user: invitee.user,
    userpass: invitee.pass,
  });
  if (body.status !== 'ok' || typeof body.session !== 'string' || typeof body.last !== 'number') {
    throw new Error(`joinRoom as ${invitee.user} answered ${JSON.stringify(body)}`);
  }
  return { roomName: invitee.roomName, user: invitee.user, sesskey: body.session, last: body.last };
}

async function newestId(connection: Connection, member: Member): Promise<number> {
  const body = await connection.expectOk('pollMsg', {
    roomName: member.roomName,
    user: member.user,
    sesskey: member.sesskey,
    mylast: 0,
  });
  const rows = Array.isArray(body.messages) ? (body.messages as [number][]) : [];
  return Math.max(0, ...rows.map((row) => row[0]));
}
