import type { ServerReply } from '../../src-shared/ipc/contract';
import { parseRetryAfter } from '../../src-shared/protocol/retry-after';
import { pageGone } from './stalePage';
import {
  HostError,
  normaliseServerUrl,
  type Host,
  type ServerTarget,
  type Transport,
} from './transport';

const DEFAULT_TIMEOUT_MS = 15_000;

/** Browser page served by the room server: same-origin POSTs to the page's directory. */
export function createFetchTransport(
  server: ServerTarget,
  fetchImpl: typeof fetch = fetch,
): Transport {
  return {
    server,
    async send(action, payload, options) {
      let response: Response;
      try {
        response = await fetchImpl(server.url + '/', {
          method: 'POST',
          // JSON (not a beacon's text/plain) even when leaving on page hide: the server refuses
          // any other content type as a possible cross-site request.
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ action, payload }),
          credentials: 'omit',
          cache: 'no-store',
          // Lets the request outlive the page (leaving on reload or tab close).
          ...(options?.keepalive ? { keepalive: true } : {}),
          signal: AbortSignal.timeout(options?.timeoutMs ?? DEFAULT_TIMEOUT_MS),
        });
      } catch (error) {
        return {
          kind: 'unreachable',
          message: error instanceof Error ? error.message : String(error),
        };
      }
      const text = await response.text().catch(() => '');
      let body: unknown = null;
      if (text !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
      }
      const reply: ServerReply = {
        kind: 'response',
        status: response.status,
        body,
        fingerprint: '',
      };
      const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
      if (retryAfter !== undefined) reply.retryAfter = retryAfter;
      return reply;
    },
  };
}

/** The directory of the page, e.g. https://host:8090/secret for https://host:8090/secret/index.html. */
export function pageServerUrl(location: { origin: string; pathname: string }): string {
  const dir = location.pathname.replace(/[^/]*$/, '');
  return normaliseServerUrl(location.origin + dir);
}

export function createBrowserHost(location: { origin: string; pathname: string }): Host {
  const ownServer = pageServerUrl(location);
  return {
    kind: 'browser',
    ownServer,
    localServer: () => Promise.resolve({ url: ownServer }),
    pageGone: () => pageGone(`${ownServer}/`),
    connect(target) {
      if (normaliseServerUrl(target.url) !== ownServer) {
        throw new HostError(
          `This page can only talk to its own server (${ownServer}), but the invite names ${target.url}. ` +
            'Open the invite in LocalChat Desktop, or open that server’s page in your browser.',
        );
      }
      return createFetchTransport({ url: ownServer });
    },
  };
}
