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
            <CopyField
              id="invite-code"
              label="Invite code"
              copyLabel="Copy invite code"
              value={invite.code}
              rows={3}
            />
            <CopyField
              id="invite-link"
              label="Invite link"
              copyLabel="Copy invite link"
              value={invite.link}
            />
            <h3>Stock terminal client</h3>
            <CopyField
              id="invite-server"
              label="Server address"
              copyLabel="Copy server address"
              value={invite.invite.server}
            />
            {'line' in invite.joinLine ? (
              <CopyField
                id="invite-join-line"
                label="Command to type"
                copyLabel="Copy /join line"
                value={invite.joinLine.line}
              />
            ) : (
              <div className="field">
                <label htmlFor="invite-join-line">Command to type</label>
                <p className="hint" role="note">
                  The stock client cannot join with this invite: {invite.joinLine.unavailable}
                </p>
              </div>
            )}
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

/** A read-only, labelled field with its Copy button; `rows` makes it a textarea. */
function CopyField({
  id,
  label,
  copyLabel,
  value,
  rows,
}: {
  id: string;
  label: string;
  copyLabel: string;
  value: string;
  rows?: number;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="row">
        {rows ? (
          <textarea id={id} readOnly rows={rows} value={value} />
        ) : (
          <input id={id} readOnly value={value} />
        )}
        <CopyButton text={value} label={copyLabel} fieldId={id} />
      </div>
    </div>
  );
}
