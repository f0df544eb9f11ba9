import { describe, expect, it } from 'vitest';
import { createBrowserHost, createFetchTransport, pageServerUrl } from './fetchTransport';
import { HostError } from './transport';

describe('browser host', () => {
  it('talks to the directory the page was served from', () => {
    expect(pageServerUrl({ origin: 'https://10.0.0.2:8090', pathname: '/secret/' })).toBe('https://10.0.0.2:8090/secret');
    expect(pageServerUrl({ origin: 'https://10.0.0.2:8090', pathname: '/secret/index.html' })).toBe('https://10.0.0.2:8090/secret');
    expect(pageServerUrl({ origin: 'https://10.0.0.2:8090', pathname: '/' })).toBe('https://10.0.0.2:8090');
  });

  it('refuses an invite for another server with a clear reason', () => {
    const host = createBrowserHost({ origin: 'https://10.0.0.2:8090', pathname: '/secret/' });
    expect(host.connect({ url: 'https://10.0.0.2:8090/secret/' }).server.url).toBe('https://10.0.0.2:8090/secret');
    expect(() => host.connect({ url: 'https://10.0.0.9:8090/secret' })).toThrow(HostError);
    expect(() => host.connect({ url: 'https://10.0.0.9:8090/secret' })).toThrow(/can only talk to its own server/);
  });

  it('POSTs {action,payload} JSON and reports network failures as unreachable', async () => {
    const seen: { url: string; body: string }[] = [];
    const ok = createFetchTransport({ url: 'https://h/p' }, async (url, init) => {
      seen.push({ url: String(url), body: String(init?.body) });
      return new Response('', { status: 403 });
    });
    await expect(ok.send('leaveRoom', { a: 1 })).resolves.toEqual({ kind: 'response', status: 403, body: null, fingerprint: '' });
    expect(seen).toEqual([{ url: 'https://h/p/', body: '{"action":"leaveRoom","payload":{"a":1}}' }]);
    const down = createFetchTransport({ url: 'https://h' }, async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(down.send('serverInfo', {})).resolves.toEqual({ kind: 'unreachable', message: 'Failed to fetch' });
  });
});
