import { RoomFactsLine } from './RoomFacts';
import { useEffect, useRef, useState } from 'react';
import { useChat } from '../state/context';
import { Composer } from './Composer';
import { EmptyRoomInvite } from './EmptyRoomInvite';
import { ConfirmDialog, type Confirmation } from './ConfirmDialog';
import { InvitePanel } from './InvitePanel';
import { Lobby } from './Lobby';
import { MemberList } from './MemberList';
import { MessageList } from './MessageList';
import { NotificationToggle } from './session/NotificationToggle';
import { RoomClockLine } from './clock/RoomClockLine';
import { SessionBanners } from './session/SessionBanners';
import { useWipeKeys } from './wipe/useWipeKeys';
import { WipeMenuItems } from './wipe/WipeMenuItems';

/** Room actions that end something sit in a menu, each behind a confirmation. */
function RoomMenu({ confirm }: { confirm(c: Confirmation): void }) {
  const session = useChat((s) => s.session);
  const leave = useChat((s) => s.leave);
  const closeRoom = useChat((s) => s.closeRoom);
  const [open, setOpen] = useState(false);
  const menu = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector('button')?.focus();
    const outside = (e: PointerEvent) => {
      if (!menu.current?.contains(e.target as Node) && e.target !== toggle.current) setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);

  if (!session) return null;
  const pick = (c: Confirmation) => {
    setOpen(false);
    // The item disappears with the menu: the dialog gives focus back to the menu's button.
    toggle.current?.focus();
    confirm(c);
  };
  return (
    <div
      className="menu-wrap"
      onBlur={(e) => {
        // Tabbing away closes it; a click (Safari gives no focus to buttons) is left to its handler.
        if (e.relatedTarget && !e.currentTarget.contains(e.relatedTarget)) setOpen(false);
      }}
    >
      <button
        ref={toggle}
        type="button"
        className="menu-button"
        aria-expanded={open}
        aria-controls="room-menu"
        onClick={() => setOpen(!open)}
      >
        More<span aria-hidden="true"> ▾</span>
      </button>
      {open && (
        <div
          ref={menu}
          id="room-menu"
          className="menu"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              setOpen(false);
              toggle.current?.focus();
            }
          }}
        >
          <button
            type="button"
            onClick={() =>
              pick({
                title: `Leave ${session.room}?`,
                text: 'Your keys and the messages in this window are cleared. You can come back with your invite.',
                action: 'Leave',
                danger: false,
                run: () => void leave(),
              })
            }
          >
            Leave…
          </button>
          <WipeMenuItems pick={pick} />
          {session.owner && (
            <button
              type="button"
              className="danger-text"
              onClick={() =>
                pick({
                  title: `Close ${session.room}?`,
                  text: 'Everyone is removed and every message is deleted from the server. This cannot be undone.',
                  action: 'Close room',
                  run: () => void closeRoom(),
                })
              }
            >
              Close room…
            </button>
          )}
        </div>
      )}
    </div>
  );
}

/** Stands for the word "People" where the header has no room for it. */
function PeopleIcon() {
  return (
    <svg
      className="people-icon"
      viewBox="0 0 24 24"
      width="16"
      height="16"
      aria-hidden="true"
      focusable="false"
    >
      <circle cx="9" cy="8" r="3.5" fill="none" stroke="currentColor" strokeWidth="2" />
      <path
        d="M2.5 20a6.5 6.5 0 0 1 13 0M16 4.5a3.5 3.5 0 0 1 0 7M18 14a6 6 0 0 1 3.5 6"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
      />
    </svg>
  );
}

export function RoomScreen() {
  const session = useChat((s) => s.session);
  const invite = useChat((s) => s.invite);
  // Who waits in the lobby is not in the room yet.
  const memberCount = useChat((s) => s.members.filter((m) => !s.waiting.includes(m.user)).length);
  const [confirmation, setConfirmation] = useState<Confirmation>();
  const [inviting, setInviting] = useState(false);
  const [people, setPeople] = useState(false);
  useWipeKeys();

  if (!session) return null;
  if (session.waiting || session.awaitingKey) return <Lobby />;
  const alone = memberCount <= 1;
  return (
    <main className="screen room" aria-labelledby="room-title">
      <header className="room-header">
        <div className="room-title">
          <h1 id="room-title" title={session.room}>
            <bdi>{session.room}</bdi>
          </h1>
          <p
            className="whoami"
            title={`${session.user}${session.owner ? ' (owner)' : ''} on ${session.server.url}`}
          >
            You are <bdi className="me">{session.user}</bdi>
            {session.owner ? ' (owner)' : ''}{' '}
            <span className="server">on {session.server.url}</span>
          </p>
          <RoomClockLine />
          <RoomFactsLine />
        </div>
        <nav className="room-actions" aria-label="Room actions">
          <button type="button" className="primary" onClick={() => setInviting(true)}>
            Invite…
          </button>
          <button
            type="button"
            className="people-button"
            aria-expanded={people}
            aria-controls="members"
            onClick={() => setPeople(!people)}
          >
            <PeopleIcon />
            <span className="people-word">People </span>({memberCount})
          </button>
          <NotificationToggle />
          <RoomMenu confirm={setConfirmation} />
        </nav>
      </header>
      <SessionBanners />
      <div className="room-body">
        <div className="conversation">
          {alone && (
            <div className="empty-room">
              <EmptyRoomInvite />
            </div>
          )}
          <MessageList />
        </div>
        <MemberList confirm={setConfirmation} open={people} onClose={() => setPeople(false)} />
      </div>
      <Composer />
      {(inviting || invite) && <InvitePanel onClose={() => setInviting(false)} />}
      {confirmation && (
        <ConfirmDialog confirmation={confirmation} onClose={() => setConfirmation(undefined)} />
      )}
    </main>
  );
}
