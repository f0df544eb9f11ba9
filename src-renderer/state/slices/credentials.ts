import type { Session } from './session';

/** Who is asking, as every call after joinRoom says it (the stock protocol's session fields). */
export function credentialsOf(session: Pick<Session, 'room' | 'user' | 'sesskey'>): {
  roomName: string;
  user: string;
  sesskey: string;
} {
  return { roomName: session.room, user: session.user, sesskey: session.sesskey };
}
