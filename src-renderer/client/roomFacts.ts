import type { ClientKind } from '../../src-shared/crypto/memberKey';

/** What a member's client can protect: a published key names its kind; no key, the terminal client. */
export type MemberClient = ClientKind | 'terminal';

export interface RoomFact {
  /** Which property this is, for styling and tests. */
  kind: 'terminal' | 'browser' | 'all-app';
  text: string;
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The facts the room header states about how the room is protected, weakest first. One pure
 * function so that other facts (e.g. a member whose protection is off) join the same line.
 */
export function roomFacts(clients: Readonly<Record<string, MemberClient>>): RoomFact[] {
  const kinds = Object.values(clients);
  const terminal = kinds.filter((k) => k === 'terminal').length;
  const browser = kinds.filter((k) => k === 'browser').length;
  const facts: RoomFact[] = [];
  if (terminal > 0) {
    facts.push({
      kind: 'terminal',
      text: `${count(terminal, 'member uses', 'members use')} the terminal client: it does not check the server’s certificate, keeps text until it exits, and reads only room-key direct messages`,
    });
  }
  if (browser > 0) {
    facts.push({
      kind: 'browser',
      text: `${count(browser, 'member', 'members')} joined from a browser: they trust the page the host serves`,
    });
  }
  if (kinds.length > 0 && facts.length === 0) {
    facts.push({ kind: 'all-app', text: 'Every member uses the desktop app' });
  }
  return facts;
}
