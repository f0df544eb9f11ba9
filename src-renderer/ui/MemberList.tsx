import { useChat } from '../state/context';
import type { Confirmation } from './ConfirmDialog';

export function MemberList({ confirm }: { confirm(c: Confirmation): void }) {
  const members = useChat((s) => s.members);
  const me = useChat((s) => s.session?.user);
  const owner = useChat((s) => s.session?.owner ?? false);
  const live = useChat((s) => s.session?.extensions.includes('members') ?? false);
  const setDraft = useChat((s) => s.setDraft);
  const kick = useChat((s) => s.kick);
  const ban = useChat((s) => s.ban);

  return (
    <aside className="members" aria-labelledby="members-title">
      <h2 id="members-title">In the room ({members.length})</h2>
      {!live && <p className="hint">Seen since you joined (this server cannot list members).</p>}
      <ul>
        {members.map((m) => (
          <li key={m.user} className="member" data-user={m.user}>
            <span className="member-name">
              {m.user}
              {m.user === me && <span className="badge">you</span>}
              {m.owner && <span className="badge owner">owner</span>}
            </span>
            {m.user !== me && (
              <span className="member-actions">
                <button type="button" aria-label={`Direct message ${m.user}`} onClick={() => setDraft(`/msg ${m.user} `)}>
                  DM
                </button>
                {owner && (
                  <>
                    <button
                      type="button"
                      aria-label={`Kick ${m.user}`}
                      onClick={() =>
                        confirm({
                          title: `Kick ${m.user}?`,
                          text: `${m.user} will be removed from the room. They can rejoin with their invite.`,
                          action: 'Kick',
                          run: () => void kick(m.user),
                        })
                      }
                    >
                      Kick
                    </button>
                    <button
                      type="button"
                      className="danger-text"
                      aria-label={`Ban ${m.user}`}
                      onClick={() =>
                        confirm({
                          title: `Ban ${m.user}?`,
                          text: `${m.user} will be removed and their account deleted: they cannot come back unless invited again.`,
                          action: 'Ban',
                          run: () => void ban(m.user),
                        })
                      }
                    >
                      Ban
                    </button>
                  </>
                )}
              </span>
            )}
          </li>
        ))}
      </ul>
    </aside>
  );
}
