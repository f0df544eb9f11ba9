import { useEffect, useRef } from 'react';
import { useChat } from '../state/context';
import type { Confirmation } from './ConfirmDialog';
import { AdmissionToggle, WaitingList } from './Lobby';
import { MemberKeyLabel, SafetyCode } from './MemberKeys';
import { ScriptMix } from './ScriptMix';
import { useDialogFocus } from './useDialogFocus';

/** The participants: a side column on wide screens, a sheet opened from the header on narrow ones. */
export function MemberList({
  confirm,
  open,
  onClose,
}: {
  confirm(c: Confirmation): void;
  open: boolean;
  onClose(): void;
}) {
  const waiting = useChat((s) => s.waiting);
  // Who waits in the lobby is listed apart (WaitingList), not as in the room.
  const members = useChat((s) => s.members).filter((m) => !waiting.includes(m.user));
  const me = useChat((s) => s.session?.user);
  const owner = useChat((s) => s.session?.owner ?? false);
  const live = useChat((s) => s.session?.extensions.includes('members') ?? false);
  const setDraft = useChat((s) => s.setDraft);
  const kick = useChat((s) => s.kick);
  const ban = useChat((s) => s.ban);
  const sheet = useRef<HTMLElement>(null);
  // Open, it is a sheet over the conversation (narrow screens): a modal dialog until closed.
  const onKeyDown = useDialogFocus(sheet, onClose, open);
  useEffect(() => {
    if (!open) return;
    const outside = (e: PointerEvent) => {
      const target = e.target as Element;
      if (
        !sheet.current?.contains(target) &&
        !target.closest?.('.backdrop, [aria-controls="members"]')
      )
        onClose();
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open, onClose]);

  // A kicked or banned member's row goes, and with it the button that had focus: keep focus here.
  const focusInside = useRef(false);
  useEffect(() => {
    const active = document.activeElement;
    if (focusInside.current && (active === null || active === document.body))
      sheet.current?.querySelector<HTMLElement>(open ? '.sheet-close' : 'h2')?.focus();
  }, [members, open]);

  return (
    <aside
      ref={sheet}
      onFocus={() => (focusInside.current = true)}
      onBlur={(e) => {
        if (e.relatedTarget) focusInside.current = e.currentTarget.contains(e.relatedTarget);
      }}
      id="members"
      className={`members${open ? ' open' : ''}`}
      aria-labelledby="members-title"
      {...(open ? { role: 'dialog', 'aria-modal': true } : {})}
      onKeyDown={onKeyDown}
    >
      <div className="members-head">
        <h2 id="members-title" tabIndex={-1}>
          In the room ({members.length})
        </h2>
        <button type="button" className="sheet-close" onClick={onClose}>
          Close
        </button>
      </div>
      {!live && <p className="hint">Seen since you joined (this server cannot list members).</p>}
      <WaitingList />
      <SafetyCode />
      <AdmissionToggle />
      <ul>
        {members.map((m) => (
          <li key={m.user} className="member" data-user={m.user}>
            <span className="member-name" title={m.user}>
              <bdi>{m.user}</bdi>
              <ScriptMix name={m.user} />
              {m.user === me && <span className="badge">you</span>}
              {m.owner && <span className="badge owner">owner</span>}
            </span>
            <MemberKeyLabel user={m.user} />
            {m.user !== me && (
              <span className="member-actions">
                <button
                  type="button"
                  aria-label={`Direct message ${m.user}`}
                  onClick={() => {
                    onClose();
                    setDraft(`/msg ${m.user} `);
                  }}
                >
                  Direct message
                </button>
                {owner && (
                  <>
                    <button
                      type="button"
                      aria-label={`Kick ${m.user}`}
                      onClick={() =>
                        confirm({
                          title: `Kick ${m.user}?`,
                          text: `${m.user} will be signed out of the room, but keeps their name: they can come back from the window they used (with the terminal client, with their invite). An invite already used in LocalChat opens nothing elsewhere. To keep them out, ban them instead.`,
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
