import {
  ROOM_WIDE,
  SYSTEM_USER,
  SYSTEM_VERBS,
  chatPlaintext,
  type MessageRow,
  type SystemVerb,
} from '../../src-shared/protocol';
import type { DecryptResult } from './cipher';
import type { Delivery } from './delivery';

/** One line of the room view, ready to render. */
export type ChatLine =
  | {
      kind: 'say' | 'do';
      id: number;
      /** Milliseconds since the epoch. */
      time: number;
      from: string;
      /** Recipient of a direct message; undefined when room-wide. */
      to?: string;
      /** Our own copy of a direct message we sent (the server never returns it). */
      outgoing?: boolean;
      /** A direct message sealed to the two members' keys, not the room key (privateDm.ts). */
      private?: true;
      text: string;
      /** Set on our own messages sent from this window. */
      delivery?: Delivery;
      /** The id this window gave its own message when typed: kept while `id` changes. */
      localKey?: number;
      /** Our message's idempotency key: every try of it sends the same (`sendkey` extension). */
      sendKey?: string;
    }
  | { kind: 'system'; id: number; time: number; level: SystemVerb; text: string }
  | { kind: 'undecryptable'; id: number; time: number; from: string; to?: string }
  /** Not decrypted yet: its sender spent their budget of costly messages (decryptScheduler). */
  | { kind: 'held'; id: number; time: number; from: string; to?: string };

function isSystemVerb(verb: unknown): verb is SystemVerb {
  return typeof verb === 'string' && (SYSTEM_VERBS as readonly string[]).includes(verb);
}

/** Turns a poll row and its decryption into a display line; a bad message never throws. */
export function decodeLine(row: MessageRow, result: DecryptResult | undefined): ChatLine {
  const [id, , ts, fromuser, touser] = row;
  const time = Math.round(ts * 1000);
  const to = touser === ROOM_WIDE ? undefined : touser;
  const undecryptable: ChatLine = {
    kind: 'undecryptable',
    id,
    time,
    from: fromuser,
    ...(to ? { to } : {}),
  };
  // A private DM is sealed to one recipient: on a room-wide row it would mislead about who read it.
  if (!result?.ok || (result.private && !to)) return undecryptable;
  let json: unknown;
  try {
    json = JSON.parse(result.text);
  } catch {
    return undecryptable;
  }
  if (fromuser === SYSTEM_USER) {
    const parsed = chatPlaintext.safeParse(json);
    if (!parsed.success) return undecryptable;
    const level = isSystemVerb(parsed.data.verb) ? parsed.data.verb : 'sysinfo';
    return { kind: 'system', id, time, level, text: parsed.data.text };
  }
  const parsed = chatPlaintext.safeParse(json);
  if (!parsed.success) return undecryptable;
  // The server-authenticated sender is shown, not the self-declared `user` inside the plaintext.
  return {
    kind: parsed.data.verb === 'do' ? 'do' : 'say',
    id,
    time,
    from: fromuser,
    ...(to ? { to } : {}),
    ...(result.private ? { private: true as const } : {}),
    text: parsed.data.text,
  };
}

/** Inserts lines keeping id order and dropping duplicates (a retried poll may repeat rows). */
export function mergeLines<T extends { id: number }>(
  existing: readonly T[],
  incoming: readonly T[],
): T[] {
  if (incoming.length === 0) return [...existing];
  const byId = new Map<number, T>();
  for (const line of existing) byId.set(line.id, line);
  for (const line of incoming) if (!byId.has(line.id)) byId.set(line.id, line);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/** The plaintext a user's message is encrypted from, exactly as the stock client writes it. */
export function chatPayload(user: string, text: string, verb: 'say' | 'do'): string {
  return JSON.stringify({ user, text, verb });
}
