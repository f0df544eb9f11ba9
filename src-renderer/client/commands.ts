/** What the message box can ask for: the stock client's commands plus plain text. */
export type Command =
  | { kind: 'say'; text: string }
  | { kind: 'do'; text: string }
  | { kind: 'msg'; to: string; text: string }
  | { kind: 'join'; room: string; roomPass: string; userPass: string; user: string }
  | { kind: 'leave' }
  | { kind: 'create'; room: string; user?: string }
  | { kind: 'invite'; user: string }
  | { kind: 'kick'; user: string }
  | { kind: 'ban'; user: string }
  | { kind: 'close' }
  | { kind: 'help' };

export type ParseResult = { ok: true; command: Command } | { ok: false; error: string };

export const HELP_TEXT = [
  'Type a message and press Enter to send it to everyone in the room.',
  '/me TEXT — describe an action (“* alice waves”)',
  '/msg USER TEXT — send a direct message only USER can read',
  '/join ROOM ROOMPASS:USERPASS USER — join another room (leaves this one)',
  '/leave — leave the room',
  '/room create NAME [USER] — create a room and join it as its owner',
  '/room invite USER — invite someone (shows their invite)',
  '/kick USER, /ban USER, /room close — owner only',
  '/help — this list',
  'Keys: Enter sends; Shift+Enter starts a new line; Up/Down recall what you typed; Escape closes a dialog or menu; Tab moves between controls.',
  'Wipe keys: Ctrl+Shift+X clears your screen (you stay in the room); Ctrl+Shift+L leaves and wipes this window at once.',
];

const USAGE = {
  me: 'Usage: /me TEXT',
  msg: 'Usage: /msg USER TEXT',
  join: 'Usage: /join ROOM ROOMPASS:USERPASS USER',
  create: 'Usage: /room create NAME [USER]',
  invite: 'Usage: /room invite USER',
  kick: 'Usage: /kick USER',
  ban: 'Usage: /ban USER',
  room: 'Usage: /room create NAME [USER], /room invite USER or /room close',
} as const;

const fail = (error: string): ParseResult => ({ ok: false, error });
const ok = (command: Command): ParseResult => ({ ok: true, command });

/** Parses one line typed in the message box. Empty input is an error the UI simply ignores. */
export function parseCommand(input: string): ParseResult {
  const line = input.trim();
  if (line === '') return fail('Nothing to send');
  if (!line.startsWith('/')) return ok({ kind: 'say', text: line });
  // "//text" sends "/text" literally, so a message may start with a slash.
  if (line.startsWith('//')) return ok({ kind: 'say', text: line.slice(1) });

  const [head = '', ...rest] = line.split(/\s+/);
  const name = head.slice(1).toLowerCase();
  const restText = line.slice(head.length).trim();

  switch (name) {
    case 'me':
      return restText ? ok({ kind: 'do', text: restText }) : fail(USAGE.me);
    case 'msg': {
      const [to, ...words] = rest;
      const text = to ? restText.slice(to.length).trim() : '';
      return to && words.length > 0 && text ? ok({ kind: 'msg', to, text }) : fail(USAGE.msg);
    }
    case 'join': {
      if (rest.length !== 3) return fail(USAGE.join);
      const [room, secrets, user] = rest as [string, string, string];
      const colon = secrets.indexOf(':');
      if (colon <= 0 || colon === secrets.length - 1) return fail(USAGE.join);
      return ok({
        kind: 'join',
        room,
        roomPass: secrets.slice(0, colon),
        userPass: secrets.slice(colon + 1),
        user,
      });
    }
    case 'leave':
      return rest.length === 0 ? ok({ kind: 'leave' }) : fail('Usage: /leave');
    case 'help':
      return ok({ kind: 'help' });
    case 'kick':
    case 'ban':
      return rest.length === 1 ? ok({ kind: name, user: rest[0]! }) : fail(USAGE[name]);
    case 'room': {
      const [sub, ...args] = rest;
      switch (sub?.toLowerCase()) {
        case 'create':
          if (args.length === 1) return ok({ kind: 'create', room: args[0]! });
          if (args.length === 2) return ok({ kind: 'create', room: args[0]!, user: args[1]! });
          return fail(USAGE.create);
        case 'invite':
          return args.length === 1 ? ok({ kind: 'invite', user: args[0]! }) : fail(USAGE.invite);
        case 'close':
          return args.length === 0 ? ok({ kind: 'close' }) : fail('Usage: /room close');
        default:
          return fail(USAGE.room);
      }
    }
    default:
      return fail(`Unknown command ${head}. Type /help for the list.`);
  }
}
