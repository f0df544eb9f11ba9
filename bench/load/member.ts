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
