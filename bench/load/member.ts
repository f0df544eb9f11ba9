import type { ActionInput, ActionName } from '../../src-shared/protocol';
import type { CallResult } from '../harness/client';

/** A joined room member as the load generator drives it. */
export interface Member {
  roomName: string;
  user: string;
  sesskey: string;
  /** Newest message id this member has seen: its next pollMsg's `mylast`. */
  last: number;
}

/** An invited user who has not joined yet. */
export interface Invitee {
  roomName: string;
  user: string;
  pass: string;
}

type Row = [number, string, number, string, string];

/** The rows of a pollMsg answer (empty for `unchanged`), or undefined for an answer the stock client would choke on. */
export function pollRows(body: unknown): Row[] | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { status, messages } = body as { status?: unknown; messages?: unknown };
  if (status === 'unchanged') return [];
  if (status === 'updated' && Array.isArray(messages)) return messages as Row[];
  return undefined;
}

/** Advances `member.last` past the rows it was just handed. */
export function advance(member: Member, rows: Row[]): void {
  for (const row of rows) if (row[0] > member.last) member.last = row[0];
}

/** Either of the load generator's connections (node:https or lean). */
export interface Caller {
  call<A extends ActionName>(action: A, payload: ActionInput<A>): Promise<CallResult>;
}

/**
 * One pollMsg for the member (held up to `wait` seconds if given), advancing its `last` past the
 * rows; `rows` is undefined for an answer the stock client would choke on.
 */
export async function pollOnce(
  connection: Caller,
  member: Member,
  wait?: number,
): Promise<CallResult & { rows?: Row[] }> {
  const payload = {
    roomName: member.roomName,
    user: member.user,
    sesskey: member.sesskey,
    mylast: member.last,
  };
  const { status, body } = await connection.call(
    'pollMsg',
    wait === undefined ? payload : { ...payload, wait },
  );
  const rows = status === 200 ? pollRows(body) : undefined;
  if (rows) advance(member, rows);
  return { status, body, rows };
}
