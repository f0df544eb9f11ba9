import { useShallow } from 'zustand/react/shallow';
import { roomFacts, type MemberClient } from '../client/roomFacts';
import { useChat } from '../state/context';
import './RoomFacts.css';

/**
 * The header line saying what weakens the room (who uses the terminal client or a browser), or
 * that every member uses the desktop app. Shown once the first listing with keys has arrived.
 */
export function RoomFactsLine() {
  const clients = useChat(
    useShallow((s): Record<string, MemberClient> => {
      if (!s.session?.extensions.includes('memberkeys') || s.safetyCode === undefined) return {};
      return Object.fromEntries(
        s.members
          .filter((m) => !s.waiting.includes(m.user))
          .map((m) => [m.user, s.memberKeys[m.user]?.client ?? 'terminal']),
      );
    }),
  );
  const facts = roomFacts(clients);
  if (facts.length === 0) return null;
  return (
    <p
      className="room-facts"
      aria-live="polite"
      data-testid="room-facts"
      title={facts.map((f) => f.text).join('; ')}
    >
      {facts.map((fact, i) => (
        <span key={fact.kind} className={`room-fact ${fact.kind}`} data-fact={fact.kind}>
          {i > 0 && '; '}
          {fact.text}
        </span>
      ))}
    </p>
  );
}
