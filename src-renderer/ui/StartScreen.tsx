import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { HostingStatus } from '../../src-shared/ipc/contract';
import { parseJoinInput } from '../client/inviteInput';
import type { ServerTarget } from '../client/transport';
import { useChat, useHost } from '../state/context';
import { HostingPanel } from './HostingPanel';
import { RetryCountdown } from './session/RetryCountdown';

function Field(props: {
  label: string;
  value: string;
  onChange(value: string): void;
  type?: string;
  placeholder?: string;
  autoFocus?: boolean;
  hint?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type={props.type ?? 'text'}
        value={props.value}
        placeholder={props.placeholder}
        autoFocus={props.autoFocus}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {props.hint && <p className="hint">{props.hint}</p>}
    </div>
  );
}

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
  const [createServer, setCreateServer] = useState('');
  const [manual, setManual] = useState({ server: '', room: '', roomPass: '', user: '', userPass: '' });
  const inviteId = useId();
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

  const shown = inviteError ?? error;
  useEffect(() => {
    if (shown) errorRef.current?.focus();
  }, [shown]);

  const isLocal = (url: string) => local && url.replace(/\/+$/, '') === local.url.replace(/\/+$/, '');
  const target = (url: string): ServerTarget =>
    isLocal(url) && local?.fingerprint ? { url, fingerprint: local.fingerprint } : { url };

  function onJoinInvite(e: FormEvent) {
    e.preventDefault();
    clearError();
    setInviteError(undefined);
    const server = ownServer ?? inviteServer.trim();
    try {
      void join(parseJoinInput(inviteText, server ? target(server) : undefined));
    } catch (err) {
      setInviteError(err instanceof Error ? err.message : String(err));
    }
  }

  function onCreate(e: FormEvent) {
    e.preventDefault();
    setInviteError(undefined);
    const server = ownServer ?? createServer.trim();
    void createRoom({ room: createName.trim(), user: createUser.trim(), ...(server ? { server } : {}) });
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

  return (
    <main className="screen start" aria-labelledby="start-title">
      <header className="start-header">
        <h1 id="start-title">LocalChat</h1>
        <p className="tagline">Off-the-record, end-to-end-encrypted rooms. Nothing is kept once you leave.</p>
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

      <div className="cards">
        <form className="card" onSubmit={onJoinInvite} aria-labelledby="join-invite-title">
          <h2 id="join-invite-title">Join with an invite</h2>
          <div className="field">
            <label htmlFor={inviteId}>Invite code, localchat:// link or /join line</label>
            <textarea
              id={inviteId}
              rows={3}
              value={inviteText}
              autoFocus
              spellCheck={false}
              onChange={(e) => setInviteText(e.target.value)}
              placeholder="localchat://join/… or /join ROOM ROOMPASS:USERPASS USER"
            />
          </div>
          {needsServerField && isStockLine && (
            <Field label="Server address" value={inviteServer} onChange={setInviteServer} placeholder="https://192.168.1.5:8090" />
          )}
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Joining…' : 'Join room'}
          </button>
        </form>

        <form className="card" onSubmit={onCreate} aria-labelledby="create-title">
          <h2 id="create-title">Create a room</h2>
          {needsServerField && (
            <Field
              label="Server address"
              value={createServer}
              onChange={setCreateServer}
              placeholder="https://127.0.0.1:8090"
              hint={local ? undefined : 'Start hosting in LocalChat, or enter another server’s address.'}
            />
          )}
          <Field label="Room name" value={createName} onChange={setCreateName} placeholder="friday-plans" />
          <Field label="Your name" value={createUser} onChange={setCreateUser} placeholder="alice" />
          <p className="hint">The room passphrase and your password are generated for you.</p>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create and join'}
          </button>
        </form>

        <form className="card" onSubmit={onManual} aria-labelledby="manual-title">
          <h2 id="manual-title">Join by details</h2>
          {needsServerField && (
            <Field label="Server address" value={manual.server} onChange={(server) => setManual({ ...manual, server })} />
          )}
          <Field label="Room" value={manual.room} onChange={(room) => setManual({ ...manual, room })} />
          <Field
            label="Room passphrase"
            type="password"
            value={manual.roomPass}
            onChange={(roomPass) => setManual({ ...manual, roomPass })}
          />
          <Field label="User name" value={manual.user} onChange={(user) => setManual({ ...manual, user })} />
          <Field
            label="Password"
            type="password"
            value={manual.userPass}
            onChange={(userPass) => setManual({ ...manual, userPass })}
          />
          <button type="submit" className="primary" disabled={busy}>
            Join room
          </button>
        </form>
      </div>
    </main>
  );
}
