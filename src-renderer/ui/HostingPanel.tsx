import { useEffect, useId, useState, type FormEvent } from 'react';
import type {
  HostingStatus,
  KeptCertificateInfo,
  NetworkInterfaceInfo,
} from '../../src-shared/ipc/contract';
import { DEFAULT_PORT } from '../../src-shared/protocol/default-port';
import type { Hosting } from '../client/transport';
import { CopyButton } from './CopyButton';

function label(i: NetworkInterfaceInfo): string {
  return `${i.name} — ${i.address}${i.internal ? ' (this computer only)' : ''}`;
}

/** LAN IPv4 first: what other people on the network can reach. */
function rank(i: NetworkInterfaceInfo): number {
  return (i.internal ? 2 : 0) + (i.family === 'IPv6' ? 1 : 0);
}

/** Desktop app only: run the room server on one of this computer's addresses. */
export function HostingPanel({
  hosting,
  onChange,
}: {
  hosting: Hosting;
  onChange(status: HostingStatus | null): void;
}) {
  const [interfaces, setInterfaces] = useState<NetworkInterfaceInfo[]>([]);
  const [address, setAddress] = useState('');
  const [port, setPort] = useState(String(DEFAULT_PORT));
  // On by default: then an invite is a link any browser opens, not only the app.
  const [serveWeb, setServeWeb] = useState(true);
  const [keep, setKeep] = useState(false);
  const [status, setStatus] = useState<HostingStatus | null>(null);
  const [certificate, setCertificate] = useState<KeptCertificateInfo>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const ids = { iface: useId(), port: useId(), web: useId(), keep: useId() };

  useEffect(() => {
    let live = true;
    void Promise.all([hosting.interfaces(), hosting.status(), hosting.certificate()]).then(
      ([list, current, cert]) => {
        if (!live) return;
        const sorted = [...list].sort((a, b) => rank(a) - rank(b));
        setInterfaces(sorted);
        setAddress((a) => a || current?.address || sorted[0]?.address || '');
        setStatus(current);
        setCertificate(cert);
        setKeep(cert.kept);
        onChange(current);
      },
    );
    return () => {
      live = false;
    };
  }, [hosting, onChange]);

  async function start(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    const portNumber = Number(port);
    if (!Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65_535) {
      setError('The port must be a number from 1 to 65535.');
      return;
    }
    setBusy(true);
    const result = await hosting.start({
      address,
      port: portNumber,
      serveWeb,
      keepCertificate: keep,
    });
    setBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setStatus(result.status);
    onChange(result.status);
    setCertificate(await hosting.certificate());
  }

  async function stop() {
    setBusy(true);
    await hosting.stop();
    setBusy(false);
    setStatus(null);
    onChange(null);
  }

  async function forget() {
    await hosting.forgetCertificate();
    setCertificate(await hosting.certificate());
    setKeep(false);
  }

  if (status) {
    return (
      <section className="card hosting" aria-labelledby="hosting-title">
        <h2 id="hosting-title">Hosting on this computer</h2>
        <p>
          Participants connect to <code>{status.url}</code>{' '}
          <CopyButton text={status.url} label="Copy server address" lasting />
        </p>
        <p className="hint">
          Certificate fingerprint: <code className="fingerprint">{status.fingerprint}</code>
          {status.certificateKept ? ' (kept across restarts)' : ' (new for this session)'}
        </p>
        {status.webUrl && (
          <p>
            Browser page: <code>{status.webUrl}</code>{' '}
            <CopyButton text={status.webUrl} label="Copy browser page link" lasting />
          </p>
        )}
        <p className="hint">
          Stopping ends every room on this server and deletes all their messages.
        </p>
        <button type="button" className="danger" disabled={busy} onClick={() => void stop()}>
          Stop hosting
        </button>
      </section>
    );
  }

  return (
    <form className="card hosting" onSubmit={(e) => void start(e)} aria-labelledby="hosting-title">
      <h2 id="hosting-title">Host a room server on this computer</h2>
      {error && (
        <p className="error-banner" role="alert">
          {error}
        </p>
      )}
      <div className="hosting-fields">
        <div className="field">
          <label htmlFor={ids.iface}>Network interface</label>
          <select id={ids.iface} value={address} onChange={(e) => setAddress(e.target.value)}>
            {interfaces.map((i) => (
              <option key={`${i.name}-${i.address}`} value={i.address}>
                {label(i)}
              </option>
            ))}
          </select>
        </div>
        <div className="field port">
          <label htmlFor={ids.port}>Port</label>
          <input
            id={ids.port}
            inputMode="numeric"
            value={port}
            onChange={(e) => setPort(e.target.value)}
          />
        </div>
      </div>
      <div className="check">
        <input
          id={ids.web}
          type="checkbox"
          checked={serveWeb}
          onChange={(e) => setServeWeb(e.target.checked)}
        />
        <label htmlFor={ids.web}>Also serve the browser page (under a secret path)</label>
      </div>
      {certificate?.encryptionAvailable && (
        <div className="check">
          <input
            id={ids.keep}
            type="checkbox"
            checked={keep}
            onChange={(e) => setKeep(e.target.checked)}
          />
          <label htmlFor={ids.keep}>
            Keep the certificate, so invites stay valid after a restart
          </label>
        </div>
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={busy || !address}>
          Start hosting
        </button>
        {certificate?.kept && (
          <button type="button" onClick={() => void forget()}>
            Forget kept certificate
          </button>
        )}
      </div>
    </form>
  );
}
