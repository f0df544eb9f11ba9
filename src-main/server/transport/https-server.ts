import { randomBytes } from 'node:crypto';
import https from 'node:https';
import type { RequestListener } from 'node:http';
import type { Socket } from 'node:net';
import { oneRequestPerConnection } from './pipelining';
import { answerInTurns } from './request-turns';

export interface HttpTimeouts {
  /** The TLS handshake and then the request's headers must each arrive within this. */
  headersMs: number;
  /** A whole request, body included. */
  requestMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveMs: number;
}

export const DEFAULT_TIMEOUTS: HttpTimeouts = {
  headersMs: 15_000,
  /** Long-polls hold requests up to LIMITS.maxPollWaitSeconds (30 s); a request may take longer. */
  requestMs: 45_000,
  keepAliveMs: 5_000,
};

/** A LAN chat needs few connections; the cap keeps a flood from exhausting file descriptors. */
const MAX_CONNECTIONS = 512;
/**
 * Open connections one remote address may hold, so that one machine cannot take all of
 * MAX_CONNECTIONS and lock everyone else out. A client needs one or two (a browser up to six per
 * host); 64 leaves room for several clients on one machine.
 */
export const CONNECTIONS_PER_ADDRESS = 64;

export interface ListeningServer {
  server: https.Server;
  port: number;
}

export interface ListenOptions {
  timeouts?: Partial<HttpTimeouts>;
  /** How often the TLS session ticket keys are replaced (default TICKET_KEY_MS). */
  ticketKeyMs?: number;
}

/**
 * Starts an HTTPS server. Rejects with the listen error itself (its `code`, e.g. EADDRINUSE or
 * EADDRNOTAVAIL, intact) so callers can say what went wrong.
 */
export function listenHttps(
  tls: { key: string; cert: string },
  host: string,
  port: number,
  app: RequestListener,
  options: ListenOptions = {},
): Promise<ListeningServer> {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const server = https.createServer(
    {
      key: tls.key,
      cert: tls.cert,
      // Left at its default (120 s), a client that never finishes the handshake holds a connection
      // long after one that never finishes its headers would have been dropped.
      handshakeTimeout: timeouts.headersMs,
      // Node checks header and request deadlines only on this sweep (default every 30 s), which
      // would let a 15 s header timeout last 45 s.
      connectionsCheckingInterval: Math.min(1_000, timeouts.headersMs / 4),
    },
    oneRequestPerConnection(answerInTurns(app)),
  );
  server.headersTimeout = timeouts.headersMs;
  server.requestTimeout = timeouts.requestMs;
  server.keepAliveTimeout = timeouts.keepAliveMs;
  server.maxConnections = MAX_CONNECTIONS;
  capConnectionsPerAddress(server, CONNECTIONS_PER_ADDRESS);
  rotateTicketKeys(server, options.ticketKeyMs ?? TICKET_KEY_MS);
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : port });
    });
  });
}

/**
 * A client that offers TLS session resumption (a browser, our own client) skips the certificate
 * on its next connection with a session ticket. Node's ticket keys are random per server and live
 * only in memory; they are replaced every hour so that a key read out of the process cannot
 * open sessions older than that. Tickets under the old key then get a full handshake.
 */
export const TICKET_KEY_MS = 3600_000;

function rotateTicketKeys(server: https.Server, everyMs: number): void {
  const timer = setInterval(() => server.setTicketKeys(randomBytes(48)), everyMs).unref();
  server.once('close', () => clearInterval(timer));
}

/**
 * Counts TCP connections per remote address as they arrive, before any TLS work is spent on
 * them, and destroys those beyond the cap.
 */
function capConnectionsPerAddress(server: https.Server, cap: number): void {
  const open = new Map<string, number>();
  // Ahead of the TLS server's own listener, so a refused socket costs no handshake.
  server.prependListener('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    if (address === undefined) return;
    const count = open.get(address) ?? 0;
    if (count >= cap) {
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}

export function closeHttps(server: https.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
