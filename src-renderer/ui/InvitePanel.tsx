import { useEffect, useId, useRef, useState } from 'react';
import type { InviteView } from '../state/store';
import { useChat, useHost } from '../state/context';
import { CopyButton } from './CopyButton';
import { QrCode } from './QrCode';
import { useDialogFocus } from './useDialogFocus';
import { useInviteName } from './useInviteName';
import './InvitePanel.css';

/** Invites already put on the clipboard once: creating copies, showing again does not. */
const copiedOnce = new WeakSet<InviteView>();

/** Invite someone: generates their password and shows the one message to send them. */
export function InvitePanel({ onClose }: { onClose(): void }) {
  const invite = useChat((s) => s.invite);
  const invites = useChat((s) => s.invites);
  const showInvite = useChat((s) => s.showInvite);
  const dismissInvite = useChat((s) => s.dismissInvite);
  const copyText = useChat((s) => s.copyText);
  const { name, setName, busy, submit } = useInviteName();
  const [copied, setCopied] = useState<'copied' | 'failed'>();
  const nameId = useId();
  const dialog = useRef<HTMLElement>(null);
  const copyRef = useRef<HTMLDivElement>(null);

  function close() {
    dismissInvite();
    onClose();
  }
  const onKeyDown = useDialogFocus(dialog, close);

  // A new invite goes on the clipboard at once: creating it is the owner's one action.
  useEffect(() => {
    setCopied(undefined);
    if (!invite) return;
    copyRef.current?.querySelector('button')?.focus();
    if (copiedOnce.has(invite) || invite !== invites[0]) return;
    copiedOnce.add(invite);
    void copyText(invite.message).then((ok) => setCopied(ok ? 'copied' : 'failed'));
  }, [invite, invites, copyText]);

  return (
    <div className="backdrop" onKeyDown={onKeyDown}>
      <section
        ref={dialog}
        className="dialog invite"
        role="dialog"
        aria-modal="true"
        aria-labelledby="invite-title"
      >
        <h2 id="invite-title">
          {invite ? (
            <>
              Invite for <bdi>{invite.invite.user}</bdi>
            </>
          ) : (
            'Invite someone'
          )}
        </h2>
        {!invite && (
          <>
            <form onSubmit={(e) => void submit(e)}>
              <div className="field">
                <label htmlFor={nameId}>Their name in the room</label>
                <input
                  id={nameId}
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                  autoComplete="off"
                />
              </div>
              <p className="hint">
                A password is generated for them, and the message to send them is copied for you.
                Problems show in the room below.
              </p>
              <div className="row end">
                <button type="button" onClick={close}>
                  Cancel
                </button>
                <button type="submit" className="primary" disabled={busy || !name.trim()}>
                  {busy ? 'Creating…' : 'Create invite'}
                </button>
              </div>
            </form>
            {invites.length > 0 && <EarlierInvites invites={invites} show={showInvite} />}
          </>
        )}
        {invite && <InviteDetails view={invite} copied={copied} copyRef={copyRef} onDone={close} />}
      </section>
    </div>
  );
}

function EarlierInvites({ invites, show }: { invites: InviteView[]; show(user: string): void }) {
  return (
    <section className="earlier-invites" aria-labelledby="earlier-invites-title">
      <h3 id="earlier-invites-title">Invites you made</h3>
      <p className="hint">
        Kept in this window only, until you leave. Each works until that person first joins with
        LocalChat or a browser, which then replaces their password.
      </p>
      <ul>
        {invites.map((view) => (
          <li key={view.invite.user}>
            <bdi>{view.invite.user}</bdi>
            <button
              type="button"
              aria-label={`Show the invite for ${view.invite.user} again`}
              onClick={() => show(view.invite.user)}
            >
              Show again
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function InviteDetails({
  view,
  copied,
  copyRef,
  onDone,
}: {
  view: InviteView;
  copied: 'copied' | 'failed' | undefined;
  copyRef: React.RefObject<HTMLDivElement | null>;
  onDone(): void;
}) {
  const host = useHost();
  const user = view.invite.user;
  return (
    <>
      {view.reach !== 'network' && <ReachWarning view={view} hosting={!!host.hosting} />}
      <div className="field">
        <label htmlFor="invite-message">Message to send</label>
        <textarea
          id="invite-message"
          readOnly
          rows={6}
          value={view.message}
          className="invite-message"
        />
      </div>
      <div className="row copy-row" ref={copyRef}>
        <CopyButton text={view.message} label="Copy message" fieldId="invite-message" primary />
        <p className="hint" role="status">
          {copied === 'copied' && `Copied. Paste it into a private chat with ${user}.`}
          {copied === 'failed' && 'Copy it with the button, then paste it into a private chat.'}
        </p>
      </div>
      <p className="hint">
        {view.invite.roomPass === undefined
          ? `It holds no room key, only a password that works until ${user} first joins. Stay in the room until then: your window hands ${user} the room key, sealed so only ${user} can open it.`
          : `It holds the room passphrase: send it privately. It works until ${user} first joins with LocalChat or a browser, which then replaces their password.`}
      </p>
      <div className="invite-qr">
        <QrCode text={view.link} label={`QR code of the invite link for ${user}`} />
        <p className="hint">
          Or let {user} scan this with a phone: it holds the same link.
          {view.invite.fingerprint && (
            <>
              {' '}
              Full certificate fingerprint (SHA-256):{' '}
              <code className="fingerprint">{view.invite.fingerprint}</code>
            </>
          )}
        </p>
      </div>
      <details className="terminal-invite">
        <summary>For the LocalChat terminal client</summary>
        <CopyField
          id="invite-server"
          label="Server address"
          copyLabel="Copy server address"
          value={view.stockServer}
        />
        {'line' in view.joinLine ? (
          <>
            <p className="hint" role="note">
              This line contains the room key: send it only to someone who uses the terminal client,
              over a channel you trust, and never where it is stored for long.
            </p>
            <CopyField
              id="invite-join-line"
              label="Command to type"
              copyLabel="Copy /join line"
              value={view.joinLine.line}
            />
          </>
        ) : (
          <p className="hint" role="note">
            The terminal client cannot join with this invite: {view.joinLine.unavailable}
          </p>
        )}
      </details>
      <div className="row end">
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
    </>
  );
}

/** Nobody else can reach a loopback or link-local address: say so, and how to host on the LAN. */
function ReachWarning({ view, hosting }: { view: InviteView; hosting: boolean }) {
  const address = new URL(view.stockServer).host;
  const how = hosting
    ? 'To invite someone on your network, stop hosting and start again on your Wi-Fi or Ethernet interface (an address such as 192.168.x.x).'
    : 'To invite someone on your network, the server must listen on a network address: start it with npm run serve -- --host 0.0.0.0 (or this computer’s LAN address).';
  return (
    <p className="reach-warning" role="note">
      <strong>
        {view.reach === 'this-computer'
          ? `${address} is this computer only: nobody else can reach it.`
          : `${address} is a link-local address: only a computer on the same cable or ad-hoc network can reach it.`}
      </strong>{' '}
      {how}
    </p>
  );
}

/** A read-only, labelled field with its Copy button. */
function CopyField({
  id,
  label,
  copyLabel,
  value,
}: {
  id: string;
  label: string;
  copyLabel: string;
  value: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="row">
        <input id={id} readOnly value={value} />
        <CopyButton text={value} label={copyLabel} fieldId={id} />
      </div>
    </div>
  );
}
