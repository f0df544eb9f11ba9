import { useChat } from '../state/context';
import './MemberKeys.css';

/** A member's key fingerprint beside their name, or what it means that they have none. */
export function MemberKeyLabel({ user }: { user: string }) {
  const keys = useChat((s) => s.session?.extensions.includes('memberkeys') ?? false);
  const view = useChat((s) => s.memberKeys[user]);
  const changed = useChat((s) => s.changedKeys.includes(user));
  const acknowledge = useChat((s) => s.acknowledgeKey);
  // Until the first listing with keys arrives, nobody's key is known yet: say nothing.
  const listed = useChat((s) => s.safetyCode !== undefined);
  if (!keys || !listed) return null;
  return (
    <span className="member-key">
      {view ? (
        <>
          <span className="key-words" title={`${user}’s key fingerprint`}>
            <span className="visually-hidden">key </span>
            {view.words}
          </span>
          <span className="client-kind">{view.client === 'app' ? 'desktop app' : 'browser'}</span>
        </>
      ) : (
        <span className="key-words none">no key (terminal client)</span>
      )}
      {changed && (
        <>
          <span className="badge key-changed">new key</span>
          <button
            type="button"
            className="link-button"
            aria-label={`Accept ${user}’s new key`}
            onClick={() => acknowledge(user)}
          >
            Accept
          </button>
        </>
      )}
    </span>
  );
}

/** The room safety code: read aloud, it shows that everyone holds the same key, server and members. */
export function SafetyCode() {
  const code = useChat((s) => s.safetyCode);
  if (!code) return null;
  return (
    <section className="safety-code" aria-labelledby="safety-code-title">
      <h3 id="safety-code-title">Room safety code</h3>
      <p className="code-words" data-testid="safety-code">
        {code.join(' ')}
      </p>
      <p className="hint">
        Read it aloud: every member must see the same words. They change whenever someone joins or
        leaves.
      </p>
    </section>
  );
}
