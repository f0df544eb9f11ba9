import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { ServerReply, ServerRequest } from '../../src-shared/ipc/contract';
import { parseRetryAfter } from '../../src-shared/protocol/retry-after';
import { normalizeFingerprint } from './fingerprint';

const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * Keep-alive connections, one pool per pinned fingerprint (and one for calls without a pin): a
 * call reuses a connection whose certificate was already checked against the same pin, instead
 * of a new TLS handshake each time. Node's agent closes an idle socket a second before the
 * server's announced `Keep-Alive: timeout` runs out.
 */
const agents = new Map<string, https.Agent>();
/** The fingerprint each pooled socket showed when it connected; a socket is checked once. */
const checkedSockets = new WeakMap<TLSSocket, string>();

function agentFor(expected: string | undefined): https.Agent {
  const key = expected ?? '';
  let agent = agents.get(key);
  if (!agent) {
    // Self-signed by design; the fingerprint check in request() replaces CA validation. No TLS
    // session resumption: a resumed handshake shows no peer certificate to check.
    agent = new https.Agent({ keepAlive: true, rejectUnauthorized: false, maxCachedSessions: 0 });
    agents.set(key, agent);
  }
  return agent;
}
/** Far above any LocalChat answer (a full poll of a busy room); stops a hostile server filling memory. */
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/**
 * Calls a LocalChat server over HTTPS, pinning its certificate instead of trusting a CA: LocalChat
 * servers use self-signed certificates, and the invite carries the fingerprint. The request body is
 * written only after the TLS handshake has shown the expected certificate (on a new connection;
 * a reused one showed it when it connected), so a server with another certificate never sees the
 * payload (passwords, session keys). Without a fingerprint the call proceeds (trust on first use)
 * and the reply carries the fingerprint seen.
 */
export function request(req: ServerRequest): Promise<ServerReply> {
  let expected: string | undefined;
  let url: URL;
  try {
    expected = req.fingerprint === undefined ? undefined : normalizeFingerprint(req.fingerprint);
    url = new URL(req.url);
    if (url.protocol !== 'https:') throw new Error('only https:// servers are supported');
  } catch (err) {
    return Promise.resolve({
      kind: 'unreachable',
      message: `Invalid request: ${(err as Error).message}`,
    });
  }
  const body = JSON.stringify({ action: req.action, payload: req.payload });

  return new Promise<ServerReply>((resolve) => {
    let settled = false;
    const finish = (reply: ServerReply) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(reply);
    };

    const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const outgoing = https.request(url, {
      method: 'POST',
      agent: agentFor(expected),
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    });
    const timer = setTimeout(() => {
      outgoing.destroy();
      finish({
        kind: 'unreachable',
        message: `No answer from ${url.host} within ${timeoutMs / 1000} s`,
      });
    }, timeoutMs);

    let seen = '';
    outgoing.once('socket', (socket) => {
      const tls = socket as TLSSocket;
      const checked = checkedSockets.get(tls);
      if (checked !== undefined) {
        // From this pin's pool: its certificate matched when it connected.
        seen = checked;
        outgoing.end(body);
        return;
      }
      tls.once('secureConnect', () => {
        const cert = tls.getPeerCertificate();
        seen = cert?.fingerprint256 ? normalizeFingerprint(cert.fingerprint256) : '';
        if (expected !== undefined && seen !== expected) {
          // Destroyed, so it never joins the pool.
          outgoing.destroy();
          finish({ kind: 'certificate-mismatch', expected, actual: seen });
          return;
        }
        checkedSockets.set(tls, seen);
        outgoing.end(body);
      });
    });

    outgoing.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) {
          outgoing.destroy();
          finish({ kind: 'unreachable', message: `${url.host} sent an oversized answer` });
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        const retryAfter = parseRetryAfter(res.headers['retry-after']);
        finish({
          kind: 'response',
          status: res.statusCode ?? 0,
          body: parseBody(Buffer.concat(chunks)),
          fingerprint: seen,
          ...(retryAfter === undefined ? {} : { retryAfter }),
        });
      });
      res.on('error', (err) => finish({ kind: 'unreachable', message: describe(err, url) }));
    });
    outgoing.on('error', (err) => finish({ kind: 'unreachable', message: describe(err, url) }));
  });
}

/** LocalChat answers JSON or an empty body; anything else is reported as null, like an empty body. */
function parseBody(raw: Buffer): unknown {
  if (raw.length === 0) return null;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return null;
  }
}

function describe(err: NodeJS.ErrnoException, url: URL): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return `Nothing is listening at ${url.host}: the room may have been closed.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Cannot find ${url.hostname}.`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${url.host} cannot be reached from this network.`;
    case 'ECONNRESET':
      return `${url.host} closed the connection.`;
    default:
      return `Cannot reach ${url.host}: ${err.message}`;
  }
}
