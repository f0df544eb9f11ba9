import { useRef, useState, type FormEvent } from 'react';
import { useChat } from '../../state/context';
import './SessionBanners.css';

/** The server is not answering: what the user keeps, and what a host restart would take. */
function ReconnectingBar() {
  const retryInMs = useChat((s) => s.retryInMs);
  return (
    <div className="session-banner reconnecting-bar" role="status">
      <strong>Reconnecting…</strong> The server is not answering; next try within{' '}
      {Math.ceil((retryInMs ?? 1_000) / 1_000)} s. What is on screen stays here, and messages you
      send meanwhile wait here, marked with a clock, and go out by themselves, in order, once it
      answers. If the host stopped or restarted the server, the room and its messages are gone.
    </div>
  );
}

const RETRY_WORDS = {
  'still-wrong':
    'That passphrase does not open the messages either. Check it with whoever invited you, by a call or in person, not in this room.',
  'nothing-to-check': 'There is no message left to check a passphrase against.',
} as const;

/**
 * Others' messages fail to decrypt while SYSTEM's open: the room passphrase looks wrong. The user
 * can type it again here; it is tried on the messages already received, in this window only.
 */
function PassphrasePrompt() {
  const retryPassphrase = useChat((s) => s.retryPassphrase);
  const dismiss = useChat((s) => s.dismissPassphraseWarning);
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const input = useRef<HTMLInputElement>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const pass = value.trim();
    if (!pass || busy) return;
    setBusy(true);
    const outcome = await retryPassphrase(pass);
    setBusy(false);
    if (outcome !== 'opened') {
      setProblem(RETRY_WORDS[outcome]);
      input.current?.focus();
    }
  };

  return (
    <section className="session-banner passphrase-prompt" aria-labelledby="passphrase-title">
      <h2 id="passphrase-title">The room passphrase looks wrong</h2>
      <p>
        Messages from the server open, but no message from the other members does: the room
        passphrase you joined with is probably mistyped. Enter it again from your invite to read
        them; you stay in the room, and the passphrase never leaves this window. Until then, the
        others cannot read what you send either.
      </p>
      <p>
        If it still does not open them, check the passphrase with whoever invited you, by a call or
        in person, never by a message in this room: anyone here who offers you a passphrase could be
        trying to read what you send.
      </p>
      <form className="passphrase-form" onSubmit={(e) => void submit(e)}>
        <label htmlFor="passphrase-input">Room passphrase</label>
        <input
          id="passphrase-input"
          ref={input}
          type="text"
          autoComplete="off"
          spellCheck={false}
          value={value}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? 'passphrase-problem' : undefined}
          onChange={(e) => {
            setValue(e.target.value);
            setProblem(undefined);
          }}
        />
        <button type="submit" className="primary" disabled={busy || value.trim() === ''}>
          {busy ? 'Trying…' : 'Try it'}
        </button>
        <button type="button" onClick={dismiss}>
          Not now
        </button>
      </form>
      {problem && (
        <p id="passphrase-problem" className="passphrase-problem" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}

/** The prompt put aside: one line that brings it back, as long as the passphrase looks wrong. */
function PassphraseReminder() {
  const reopen = useChat((s) => s.reopenPassphraseWarning);
  return (
    <div className="session-banner passphrase-reminder">
      Other members’ messages do not decrypt.{' '}
      <button type="button" className="link-button" onClick={reopen}>
        Enter the room passphrase again
      </button>
    </div>
  );
}

/** Session state that needs the user's eye: the server away, a passphrase that looks wrong. */
export function SessionBanners() {
  const connection = useChat((s) => s.connection);
  const wrong = useChat((s) => s.passphraseWrong);
  const dismissed = useChat((s) => s.passphraseWarningDismissed);
  return (
    <>
      {connection === 'reconnecting' && <ReconnectingBar />}
      {/* Announced once as it appears; the prompt itself is a form, not a live region. */}
      <p className="visually-hidden" role="status">
        {wrong ? 'The room passphrase looks wrong.' : ''}
      </p>
      {wrong && (dismissed ? <PassphraseReminder /> : <PassphrasePrompt />)}
    </>
  );
}
