import { describe, expect, it } from 'vitest';
import type { LocalChatBridge, ServerRequest } from '../../src-shared/ipc/contract';
import { createElectronHost } from './ipcTransport';
import { HostError } from './transport';

function fakeBridge() {
  const requests: ServerRequest[] = [];
  const invoked: string[] = [];
  const bridge: LocalChatBridge = {
    async request(req) {
      requests.push(req);
      return { kind: 'response', status: 200, body: { status: 'ok' }, fingerprint: 'AA:BB' };
    },
    invoke: (async (channel: string) => {
      invoked.push(channel);
      if (channel === 'hosting:status') {
        return {
          url: 'https://10.0.0.2:8090',
          address: '10.0.0.2',
          port: 8090,
          fingerprint: 'CC:DD',
          certificateKept: false,
        };
      }
      return [];
    }) as LocalChatBridge['invoke'],
    on: () => () => {},
  };
  return { bridge, requests, invoked };
}

describe('Electron host', () => {
  it('sends every call through main with the pinned fingerprint and timeout', async () => {
    const { bridge, requests } = fakeBridge();
    const transport = createElectronHost(bridge).connect({
      url: 'https://10.0.0.2:8090/secret/',
      fingerprint: 'CC:DD',
    });
    await transport.send('leaveRoom', { a: 1 }, { timeoutMs: 5000 });
    expect(requests).toEqual([
      {
        url: 'https://10.0.0.2:8090/secret',
        action: 'leaveRoom',
        payload: { a: 1 },
        fingerprint: 'CC:DD',
        timeoutMs: 5000,
      },
    ]);
  });

  it('refuses addresses that are not https URLs', () => {
    const host = createElectronHost(fakeBridge().bridge);
    expect(() => host.connect({ url: 'http://10.0.0.2:8090' })).toThrow(HostError);
    expect(() => host.connect({ url: 'not a url' })).toThrow(/is not a server address/);
  });

  it('reports a failing bridge as an unreachable server', async () => {
    const { bridge } = fakeBridge();
    bridge.request = async () => {
      throw new Error('IPC closed');
    };
    await expect(
      createElectronHost(bridge).connect({ url: 'https://h' }).send('serverInfo', {}),
    ).resolves.toEqual({
      kind: 'unreachable',
      message: 'IPC closed',
    });
  });

  it('offers the hosted server as the local one', async () => {
    const { bridge, invoked } = fakeBridge();
    await expect(createElectronHost(bridge).localServer()).resolves.toEqual({
      url: 'https://10.0.0.2:8090',
      fingerprint: 'CC:DD',
    });
    expect(invoked).toEqual(['hosting:status']);
  });
});
