import { useChat } from '../state/context';
import './MemberKeys.css';

/** A newcomer's screen while the room's owner has not let them in yet (admission). */
export function Lobby() {
  const session = useChat((s) => s.session);
  const words = useChat((s) => s.lobbyWords);
  const leave = useChat((s) => s.leave);
  if (!session) return null;
  const from = session.keyFrom?.user;
  return (
    <main className="screen lobby" aria-labelledby="lobby-title">
      <section className="card lobby-card">
        <h1 id="lobby-title">
          {session.waiting ? 'Waiting to join' : 'Waiting for the key of'} <bdi>{session.room}</bdi>
        </h1>
        {session.waiting ? (
          <p role="status">
            The room’s owner lets each newcomer in. You see nothing of the room until then.
          </p>
        ) : (
          <p role="status">
            Waiting for a member to hand you the room key (<bdi>{from}</bdi>, who invited you).
          </p>
        )}
        {session.awaitingKey && !session.waiting ? (
          <p className="hint">
            Your invite holds no room key: <bdi>{from}</bdi> hands it to you now that you are in,
            sealed so that only you can open it. If it never comes, ask <bdi>{from}</bdi> to stay in
            the room or for a new invite.
          </p>
        ) : words ? (
          <>
            <p>Compare these words with the owner, aloud or over a channel you trust:</p>
            <p className="code-words" data-testid="lobby-words">
              {words.join(' ')}
            </p>
            <p className="hint">
              If the owner sees other words, you are talking to another server or hold another room
              key: leave.
            </p>
          </>
        ) : (
          <p className="hint">Making your key…</p>
        )}
        <button type="button" onClick={() => void leave()}>
          Leave
        </button>
      </section>
    </main>
  );
}

/** The owner's prompt for each newcomer in the lobby; what other members see of them. */
export function WaitingList() {
  const waiting = useChat((s) => s.waiting);
  const words = useChat((s) => s.waitingWords);
  const owner = useChat((s) => s.session?.owner ?? false);
  const decide = useChat((s) => s.decideAdmission);
  if (waiting.length === 0) return null;
  return (
    <section className="waiting" aria-labelledby="waiting-title">
      <h3 id="waiting-title">Waiting to join ({waiting.length})</h3>
      <ul>
        {waiting.map((user) => (
          <li key={user} className="waiting-member" data-waiting={user}>
            <p>
              <bdi>{user}</bdi> is waiting to join.
            </p>
            {owner &&
              (words[user] ? (
                <p>
                  Compare these words with <bdi>{user}</bdi>:{' '}
                  <strong className="code-words">{words[user]}</strong>
                </p>
              ) : (
                <p className="hint">
                  <bdi>{user}</bdi> uses the terminal client: no words to compare; admit only if you
                  expect them now.
                </p>
              ))}
            {owner && (
              <span className="member-actions">
                <button
                  type="button"
                  className="primary"
                  aria-label={`Admit ${user}`}
                  onClick={() => void decide(user, true)}
                >
                  Admit
                </button>
                <button
                  type="button"
                  className="danger-text"
                  aria-label={`Refuse ${user}`}
                  onClick={() => void decide(user, false)}
                >
                  Refuse
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The owner's switch for asking before each join. */
export function AdmissionToggle() {
  const owner = useChat((s) => s.session?.owner ?? false);
  const speaks = useChat((s) => s.session?.extensions.includes('admission') ?? false);
  const on = useChat((s) => s.admission);
  const set = useChat((s) => s.setAdmission);
  // Whether the room asks is known from the first listing on.
  const listed = useChat((s) => s.safetyCode !== undefined);
  if (!owner || !speaks || !listed) return null;
  return (
    <div className="check admission-toggle">
      <input
        id="admission-toggle"
        type="checkbox"
        checked={on}
        onChange={(e) => void set(e.target.checked)}
      />
      <label htmlFor="admission-toggle">Ask me before anyone joins</label>
    </div>
  );
}
