import type { LocalChatBridge, ServerRequest } from '../../src-shared/ipc/contract';
import {
  HostError,
  normaliseServerUrl,
  type Host,
  type ServerTarget,
  type Transport,
} from './transport';

/** Electron window: calls go through the main process, which can pin the certificate. */
export function createIpcTransport(
  server: ServerTarget,
  bridge: Pick<LocalChatBridge, 'request'>,
): Transport {
  return {
    server,
    async send(action, payload, options) {
      const request: ServerRequest = { url: server.url, action, payload };
      if (server.fingerprint) request.fingerprint = server.fingerprint;
      if (options?.timeoutMs !== undefined) request.timeoutMs = options.timeoutMs;
      try {
        return await bridge.request(request);
      } catch (error) {
        return {
          kind: 'unreachable',
          message: error instanceof Error ? error.message : String(error),
        };
      }
    },
  };
}

export function createElectronHost(bridge: LocalChatBridge): Host {
  return {
    kind: 'electron',
    async localServer() {
      const status = await bridge.invoke('hosting:status').catch(() => null);
      return status ? { url: status.url, fingerprint: status.fingerprint } : undefined;
    },
    hosting: {
      interfaces: () => bridge.invoke('hosting:interfaces'),
      start: (options) => bridge.invoke('hosting:start', options),
      stop: () => bridge.invoke('hosting:stop'),
      status: () => bridge.invoke('hosting:status'),
      certificate: () => bridge.invoke('hosting:certificate'),
      forgetCertificate: () => bridge.invoke('hosting:forget-certificate'),
    },
    openExternal: (url) => bridge.invoke('links:open-external', url),
    capture: {
      status: () => bridge.invoke('capture:status'),
      set: (on) => bridge.invoke('capture:set', on),
    },
    joinLinks: {
      takePending: () => bridge.invoke('links:take-pending'),
      subscribe: (listener) => bridge.on('link:join', ({ link }) => listener(link)),
    },
    connect(target) {
      let url: string;
      try {
        url = normaliseServerUrl(target.url);
      } catch {
        throw new HostError(
          `“${target.url}” is not a server address (expected https://host:port/path).`,
        );
      }
      if (!url.startsWith('https://'))
        throw new HostError('The server address must start with https://');
      return createIpcTransport({ ...target, url }, bridge);
    },
  };
}
