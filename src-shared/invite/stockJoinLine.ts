import { z } from 'zod';
import { password, roomName, userName } from '../protocol';
import { InviteError } from './errors';
import type { Invite } from './schema';

export interface StockJoin {
  room: string;
  roomPass: string;
  userPass: string;
  user: string;
}

const USAGE = 'A join line looks like: /join ROOM ROOMPASS:USERPASS USER';

/**
 * `/join ROOM ROOMPASS:USERPASS USER`, as the stock client prints and reads it. Its parser splits
 * on whitespace and the credentials on the first colon, so a name with whitespace or a room
 * passphrase with a colon cannot be written: InviteError rather than a line that joins wrongly.
 */
export function stockJoinLine(
  invite: Pick<Invite, 'room' | 'roomPass' | 'user' | 'userPass'>,
): string {
  if (invite.roomPass === undefined)
    throw new InviteError('This invite holds no room passphrase, which the stock client needs');
  const fields = {
    room: invite.room,
    'room passphrase': invite.roomPass,
    user: invite.user,
    'user password': invite.userPass,
  };
  for (const [name, value] of Object.entries(fields)) {
    if (/\s/.test(value))
      throw new InviteError(`The stock client cannot use a ${name} containing spaces`);
    if (value === '') throw new InviteError(`The ${name} is empty`);
  }
  if (invite.roomPass.includes(':'))
    throw new InviteError('The stock client cannot use a room passphrase containing ":"');
  return `/join ${invite.room} ${invite.roomPass}:${invite.userPass} ${invite.user}`;
}

const stockJoinSchema = z.object({
  room: roomName,
  roomPass: password,
  userPass: password,
  user: userName,
});

/** Reads a stock client invite line; throws InviteError with a readable message if malformed. */
export function parseStockJoinLine(line: string): StockJoin {
  const words = line.trim().split(/\s+/);
  if (words[0] !== '/join') throw new InviteError(`${USAGE} (it must start with /join)`);
  if (words.length !== 4)
    throw new InviteError(`${USAGE} (found ${words.length - 1} parts after /join, expected 3)`);
  const [, room, credentials, user] = words as [string, string, string, string];
  const colon = credentials.indexOf(':');
  if (colon < 0) throw new InviteError(`${USAGE} (the passwords must be joined by ":")`);
  const parsed = stockJoinSchema.safeParse({
    room,
    roomPass: credentials.slice(0, colon),
    userPass: credentials.slice(colon + 1),
    user,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InviteError(
      `${USAGE} (${issue ? `${issue.path.join('.')} ${issue.message}` : 'invalid'})`,
    );
  }
  return parsed.data;
}
