import { useState } from 'react';
import { useChat } from '../state/context';
import { Composer } from './Composer';
import { ConfirmDialog, type Confirmation } from './ConfirmDialog';
import { InvitePanel } from './InvitePanel';
import { MemberList } from './MemberList';
import { MessageList } from './MessageList';

export function RoomScreen() {
  const session = useChat((s) => s.session);
  const connection = useChat((s) => s.connection);
  const retryInMs = useChat((s) => s.retryInMs);
  const invite = useChat((s) => s.invite);
  const leave = useChat((s) => s.leave);
  const closeRoom = useChat((s) => s.closeRoom);
  const [confirmation, setConfirmation] = useState<Confirmation>();
  const [inviting, setInviting] = useState(false);

  if (!session) return null;
  return (
    <main className="screen room" aria-labelledby="room-title">
      <header className="room-header">
        <div>
          <h1 id="room-title">{session.room}</h1>
          <p className="whoami">
            You are <b>{session.user}</b>
            {session.owner ? ' (owner)' : ''} on <code>{session.server.url}</code>
          </p>
        </div>
        <nav className="room-actions" aria-label="Room actions">
          <button type="button" onClick={() => setInviting(true)}>
            Invite…
          </button>
          <button type="button" onClick={() => void leave()}>
            Leave
          </button>
          {session.owner && (
            <button
              type="button"
              className="danger"
              onClick={() =>
                setConfirmation({
                  title: `Close ${session.room}?`,
                  text: 'Everyone is removed and every message is deleted from the server. This cannot be undone.',
                  action: 'Close room',
                  run: () => void closeRoom(),
                })
              }
            >
              Close room
            </button>
          )}
        </nav>
      </header>
      {connection === 'reconnecting' && (
        <div className="reconnecting" role="status">
          Reconnecting — the server is not answering. Next attempt within {Math.ceil((retryInMs ?? 1000) / 1000)} s. What
          you see stays in this window; if the host restarted, the room and its messages are gone.
        </div>
      )}
      <div className="room-body">
        <MessageList />
        <MemberList confirm={setConfirmation} />
      </div>
      <Composer />
      {(inviting || invite) && <InvitePanel onClose={() => setInviting(false)} />}
      {confirmation && <ConfirmDialog confirmation={confirmation} onClose={() => setConfirmation(undefined)} />}
    </main>
  );
}
