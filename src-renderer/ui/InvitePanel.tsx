import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useChat } from '../state/context';
import { CopyButton } from './CopyButton';

/** Invite someone: generates their password and shows both invite forms. */
export function InvitePanel({ onClose }: { onClose(): void }) {
  const invite = useChat((s) => s.invite);
  const inviteUser = useChat((s) => s.inviteUser);
  const dismissInvite = useChat((s) => s.dismissInvite);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const nameId = useId();
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  function close() {
    dismissInvite();
    onClose();
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!name.trim()) return;
    setBusy(true);
    await inviteUser(name.trim());
    setBusy(false);
  }

  return (
    <div className="backdrop" onKeyDown={(e) => e.key === 'Escape' && close()}>
      <section
        className="dialog invite"
        role="dialog"
        aria-modal="true"
        aria-labelledby="invite-title"
      >
        <h2 id="invite-title">{invite ? `Invite for ${invite.invite.user}` : 'Invite someone'}</h2>
        {!invite && (
          <form onSubmit={(e) => void onSubmit(e)}>
            <div className="field">
              <label htmlFor={nameId}>Their name in the room</label>
              <input
                id={nameId}
                ref={first}
                value={name}
                onChange={(e) => setName(e.target.value)}
                autoComplete="off"
              />
            </div>
            <p className="hint">
              A password is generated for them. Problems show in the room below.
            </p>
            <div className="row end">
              <button type="button" onClick={close}>
                Cancel
              </button>
              <button type="submit" className="primary" disabled={busy || !name.trim()}>
                Create invite
              </button>
            </div>
          </form>
        )}
        {invite && (
          <>
            <p className="hint">
              Send this privately: it holds the room passphrase. Anyone with it can read the room.
            </p>
            <h3>LocalChat Desktop or browser</h3>
            <div className="field">
              <label htmlFor="invite-code">Invite code</label>
              <div className="row">
                <textarea id="invite-code" readOnly rows={3} value={invite.code} />
                <CopyButton text={invite.code} label="Copy invite code" fieldId="invite-code" />
              </div>
            </div>
            <div className="field">
              <label htmlFor="invite-link">Invite link</label>
              <div className="row">
                <input id="invite-link" readOnly value={invite.link} />
                <CopyButton text={invite.link} label="Copy invite link" fieldId="invite-link" />
              </div>
            </div>
            <h3>Stock terminal client</h3>
            <div className="field">
              <label htmlFor="invite-server">Server address</label>
              <div className="row">
                <input id="invite-server" readOnly value={invite.invite.server} />
                <CopyButton
                  text={invite.invite.server}
                  label="Copy server address"
                  fieldId="invite-server"
                />
              </div>
            </div>
            <div className="field">
              <label htmlFor="invite-join-line">Command to type</label>
              {'line' in invite.joinLine ? (
                <div className="row">
                  <input id="invite-join-line" readOnly value={invite.joinLine.line} />
                  <CopyButton
                    text={invite.joinLine.line}
                    label="Copy /join line"
                    fieldId="invite-join-line"
                  />
                </div>
              ) : (
                <p className="hint" role="note">
                  The stock client cannot join with this invite: {invite.joinLine.unavailable}
                </p>
              )}
            </div>
            {invite.invite.fingerprint && (
              <p className="hint">
                Certificate fingerprint:{' '}
                <code className="fingerprint">{invite.invite.fingerprint}</code>
              </p>
            )}
            <div className="row end">
              <button type="button" className="primary" onClick={close}>
                Done
              </button>
            </div>
          </>
        )}
      </section>
    </div>
  );
}
