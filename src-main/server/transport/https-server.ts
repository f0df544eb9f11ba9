import https from 'node:https';
import type { RequestListener } from 'node:http';

/** Long-polls hold requests up to LIMITS.maxPollWaitSeconds (30 s); a request may take longer than that. */
const REQUEST_TIMEOUT_MS = 45_000;
const HEADERS_TIMEOUT_MS = 15_000;
const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** A LAN chat needs few connections; the cap keeps a flood from exhausting file descriptors. */
const MAX_CONNECTIONS = 512;

export interface ListeningServer {
  server: https.Server;
  port: number;
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
): Promise<ListeningServer> {
  const server = https.createServer({ key: tls.key, cert: tls.cert }, app);
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.maxConnections = MAX_CONNECTIONS;
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

export function closeHttps(server: https.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
