import { useCallback, useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type { HostingStatus } from '../../src-shared/ipc/contract';
import { parseJoinInput, readJoinInput } from '../client/inviteInput';
import type { ServerTarget } from '../client/transport';
import { LifetimeField } from './clock/LifetimeField';
import { useChat, useHost } from '../state/context';
import { HostingPanel } from './HostingPanel';
import { InviteSummary } from './InviteSummary';
import './StartScreen.css';
import { RetryCountdown } from './session/RetryCountdown';

function Field(props: {
  label: string;
  value: string;
  onChange(value: string): void;
  type?: string;
  hint?: string;
}) {
  const id = useId();
  const hintId = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type={props.type ?? 'text'}
        value={props.value}
        autoComplete="off"
        spellCheck={false}
        aria-describedby={props.hint ? hintId : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {props.hint && (
        <p className="hint" id={hintId}>
          {props.hint}
        </p>
      )}
    </div>
  );
}

/** Which of the screen's buttons started the work under way: only that one says it is busy. */
type Pressed = 'create' | 'join' | 'manual';

const SERVER_EXAMPLE = 'For example https://192.168.1.5:8090';

export function StartScreen() {
  const host = useHost();
  const busy = useChat((s) => s.phase === 'busy');
  const error = useChat((s) => s.error);
  const ownServer = useChat((s) => s.ownServer);
  const join = useChat((s) => s.join);
  const createRoom = useChat((s) => s.createRoom);
  const clearError = useChat((s) => s.clearError);

  const [local, setLocal] = useState<ServerTarget | undefined>();
  const inviteText = useChat((s) => s.inviteDraft);
  const setInviteText = useChat((s) => s.setInviteDraft);
  const [inviteServer, setInviteServer] = useState('');
  const [inviteError, setInviteError] = useState<string>();
  const [createName, setCreateName] = useState('');
  const [createUser, setCreateUser] = useState('');
  const [createLifetime, setCreateLifetime] = useState<number>();
  const [createServer, setCreateServer] = useState('');
  const [manual, setManual] = useState({
    server: '',
    room: '',
    roomPass: '',
    user: '',
    userPass: '',
  });
  const [pressed, setPressed] = useState<Pressed>();
  const inviteId = useId();
  const inviteHintId = useId();
  const errorRef = useRef<HTMLDivElement>(null);

  // Electron: prefill with the room server this computer hosts.
  useEffect(() => {
    let live = true;
    void host.localServer().then((server) => {
      if (!live || !server) return;
      setLocal(server);
      setCreateServer((v) => v || server.url);
      setInviteServer((v) => v || server.url);
      setManual((m) => (m.server ? m : { ...m, server: server.url }));
    });
    return () => {
      live = false;
    };
  }, [host]);

  const onHosting = useCallback((status: HostingStatus | null) => {
    const server = status ? { url: status.url, fingerprint: status.fingerprint } : undefined;
    setLocal(server);
    if (!server) return;
    setCreateServer(server.url);
    setInviteServer((v) => v || server.url);
    setManual((m) => (m.server ? m : { ...m, server: server.url }));
  }, []);

  useEffect(() => {
    if (!busy) setPressed(undefined);
  }, [busy]);

  const shown = inviteError ?? error;
  useEffect(() => {
    if (shown) errorRef.current?.focus();
  }, [shown]);

  const isLocal = (url: string) =>
    local && url.replace(/\/+$/, '') === local.url.replace(/\/+$/, '');
  const target = (url: string): ServerTarget =>
    isLocal(url) && local?.fingerprint ? { url, fingerprint: local.fingerprint } : { url };

  const stockServerText = ownServer ?? inviteServer.trim();
  // Only what is needed to read the paste, so the summary follows the text as it changes.
  const stockServer = stockServerText ? target(stockServerText) : undefined;
  const stockUrl = stockServer?.url;
  const stockFingerprint = stockServer?.fingerprint;
  const reading = useMemo(() => {
    if (inviteText.trim() === '') return undefined;
    try {
      const server = stockUrl
        ? { url: stockUrl, ...(stockFingerprint ? { fingerprint: stockFingerprint } : {}) }
        : undefined;
      return { ok: readJoinInput(inviteText, server) } as const;
    } catch (err) {
      return { problem: err instanceof Error ? err.message : String(err) } as const;
    }
  }, [inviteText, stockUrl, stockFingerprint]);
  const ready = reading && 'ok' in reading ? reading.ok : undefined;
  // Opened from an invite link: what it is for comes first. Decided once, so the cards never
  // swap (and the field never loses focus) while someone types.
  const [landedWithInvite] = useState(() => ready !== undefined);

  function onJoinInvite(e: FormEvent) {
    e.preventDefault();
    clearError();
    setInviteError(undefined);
    try {
      const details = parseJoinInput(inviteText, stockServer);
      setPressed('join');
      void join(details);
    } catch (err) {
      setInviteError(err instanceof Error ? err.message : String(err));
    }
  }

  const [askFirst, setAskFirst] = useState(true);
  const askFirstId = useId();

  function onCreate(e: FormEvent) {
    e.preventDefault();
    setInviteError(undefined);
    const server = ownServer ?? createServer.trim();
    setPressed('create');
    void createRoom({
      room: createName.trim(),
      user: createUser.trim(),
      admission: askFirst,
      ...(server ? { server } : {}),
      ...(createLifetime !== undefined ? { messageLifetime: createLifetime } : {}),
    });
  }

  function onManual(e: FormEvent) {
    e.preventDefault();
    setInviteError(undefined);
    clearError();
    const server = ownServer ?? manual.server.trim();
    if (!server) {
      setInviteError('Enter the server address (https://host:port).');
      return;
    }
    setPressed('manual');
    void join({
      server: target(server),
      room: manual.room.trim(),
      roomPass: manual.roomPass,
      user: manual.user.trim(),
      userPass: manual.userPass,
    });
  }

  const needsServerField = host.kind === 'electron';
  const isStockLine = inviteText.trim().startsWith('/join');
  const label = (which: Pressed, idle: string, working: string) =>
    busy && pressed === which ? working : idle;

  const joinCard = (
    <section className="card join-card">
      <form
        onSubmit={onJoinInvite}
        aria-labelledby="join-invite-title"
        aria-busy={busy && pressed === 'join'}
      >
        <h2 id="join-invite-title">Join with an invite</h2>
        <div className="field">
          <label htmlFor={inviteId}>Invite</label>
          <textarea
            id={inviteId}
            rows={3}
            value={inviteText}
            autoFocus={!ready}
            spellCheck={false}
            aria-describedby={inviteHintId}
            aria-invalid={reading && 'problem' in reading ? true : undefined}
            onChange={(e) => {
              setInviteError(undefined);
              setInviteText(e.target.value);
            }}
            placeholder="Paste it here"
          />
          <div id={inviteHintId} aria-live="polite">
            {reading && 'problem' in reading ? (
              <p className="field-problem">{reading.problem}</p>
            ) : (
              !ready && (
                <p className="hint">
                  The link, invite code or <code>/join</code> line you were sent.
                </p>
              )
            )}
          </div>
        </div>
        {needsServerField && isStockLine && (
          <Field
            label="Server address"
            value={inviteServer}
            onChange={setInviteServer}
            hint={`A /join line does not name its server. ${SERVER_EXAMPLE}`}
          />
        )}
        {ready && <InviteSummary reading={ready} />}
        <button type="submit" className="primary wide" disabled={busy} autoFocus={!!ready?.details}>
          {label('join', 'Join', 'Joining…')}
        </button>
      </form>
      <details className="more-ways">
        <summary>More ways to join</summary>
        <form
          onSubmit={onManual}
          aria-labelledby="manual-title"
          aria-busy={busy && pressed === 'manual'}
        >
          <h3 id="manual-title">Join by details</h3>
          {needsServerField && (
            <Field
              label="Server address"
              value={manual.server}
              onChange={(server) => setManual({ ...manual, server })}
              hint={SERVER_EXAMPLE}
            />
          )}
          <Field
            label="Room"
            value={manual.room}
            onChange={(room) => setManual({ ...manual, room })}
          />
          <Field
            label="Room passphrase"
            type="password"
            value={manual.roomPass}
            onChange={(roomPass) => setManual({ ...manual, roomPass })}
          />
          <Field
            label="User name"
            value={manual.user}
            onChange={(user) => setManual({ ...manual, user })}
          />
          <Field
            label="Password"
            type="password"
            value={manual.userPass}
            onChange={(userPass) => setManual({ ...manual, userPass })}
          />
          <button type="submit" disabled={busy}>
            {label('manual', 'Join by details', 'Joining…')}
          </button>
        </form>
      </details>
    </section>
  );

  const createCard = (
    <form
      className="card"
      onSubmit={onCreate}
      aria-labelledby="create-title"
      aria-busy={busy && pressed === 'create'}
    >
      <h2 id="create-title">Start a room</h2>
      {needsServerField && (
        <Field
          label="Server address"
          value={createServer}
          onChange={setCreateServer}
          hint={
            local
              ? 'The server this computer hosts.'
              : `Start hosting above, or enter another server’s address. ${SERVER_EXAMPLE}`
          }
        />
      )}
      <Field label="Room name" value={createName} onChange={setCreateName} />
      <Field label="Your name" value={createUser} onChange={setCreateUser} />
      <LifetimeField value={createLifetime} onChange={setCreateLifetime} />
      <div className="check">
        <input
          id={askFirstId}
          type="checkbox"
          checked={askFirst}
          onChange={(e) => setAskFirst(e.target.checked)}
        />
        <label htmlFor={askFirstId}>Ask me before anyone joins</label>
      </div>
      <p className="hint">The room passphrase and your password are generated for you.</p>
      <button type="submit" className="primary wide" disabled={busy}>
        {label('create', 'Start a room', 'Starting…')}
      </button>
    </form>
  );

  return (
    <main className="screen start" aria-labelledby="start-title">
      <header className="start-header">
        <h1 id="start-title">LocalChat</h1>
        <p className="tagline">
          Off-the-record, end-to-end-encrypted rooms. Nothing is kept once you leave.
        </p>
        {ownServer && (
          <p className="server-line">
            Server: <code>{ownServer}</code>
          </p>
        )}
      </header>

      {shown && (
        <div className="error-banner" role="alert" tabIndex={-1} ref={errorRef}>
          {shown}
        </div>
      )}
      <RetryCountdown />

      {host.hosting && <HostingPanel hosting={host.hosting} onChange={onHosting} />}

      <div className="cards start-actions">
        {landedWithInvite ? joinCard : createCard}
        {landedWithInvite ? createCard : joinCard}
      </div>
    </main>
  );
}
