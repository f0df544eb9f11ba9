import { describe, expect, it } from 'vitest';
import { createBrowserHost, createFetchTransport, pageServerUrl } from './fetchTransport';
import { parseRetryAfter } from '../../src-shared/protocol/retry-after';
import { HostError } from './transport';

describe('browser host', () => {
  it('talks to the directory the page was served from', () => {
    expect(pageServerUrl({ origin: 'https://10.0.0.2:8090', pathname: '/secret/' })).toBe(
      'https://10.0.0.2:8090/secret',
    );
    expect(pageServerUrl({ origin: 'https://10.0.0.2:8090', pathname: '/secret/index.html' })).toBe(
      'https://10.0.0.2:8090/secret',
    );
    expect(pageServerUrl({ origin: 'https://10.0.0.2:8090', pathname: '/' })).toBe(
      'https://10.0.0.2:8090',
    );
  });

  it('refuses an invite for another server with a clear reason', () => {
    const host = createBrowserHost({ origin: 'https://10.0.0.2:8090', pathname: '/secret/' });
    expect(host.connect({ url: 'https://10.0.0.2:8090/secret/' }).server.url).toBe(
      'https://10.0.0.2:8090/secret',
    );
    expect(() => host.connect({ url: 'https://10.0.0.9:8090/secret' })).toThrow(HostError);
    expect(() => host.connect({ url: 'https://10.0.0.9:8090/secret' })).toThrow(
      /can only talk to its own server/,
    );
  });

  it('POSTs {action,payload} JSON and reports network failures as unreachable', async () => {
    const seen: { url: string; body: string }[] = [];
    const ok = createFetchTransport({ url: 'https://h/p' }, async (url, init) => {
      seen.push({ url: String(url), body: String(init?.body) });
      return new Response('', { status: 403 });
    });
    await expect(ok.send('leaveRoom', { a: 1 })).resolves.toEqual({
      kind: 'response',
      status: 403,
      body: null,
      fingerprint: '',
    });
    expect(seen).toEqual([
      { url: 'https://h/p/', body: '{"action":"leaveRoom","payload":{"a":1}}' },
    ]);
    const down = createFetchTransport({ url: 'https://h' }, async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(down.send('serverInfo', {})).resolves.toEqual({
      kind: 'unreachable',
      message: 'Failed to fetch',
    });
  });

  it('exposes Retry-After and sends a keepalive JSON request when asked (leaving on page hide)', async () => {
    const inits: RequestInit[] = [];
    const t = createFetchTransport({ url: 'https://h' }, async (_url, init) => {
      inits.push(init!);
      return new Response('', { status: 429, headers: { 'Retry-After': '27' } });
    });
    await expect(t.send('joinRoom', {}, { keepalive: true })).resolves.toMatchObject({
      status: 429,
      retryAfter: 27,
    });
    expect(inits[0]).toMatchObject({
      keepalive: true,
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
    });
    await t.send('joinRoom', {});
    expect(inits[1]?.keepalive).toBeUndefined();
  });

  it('ignores a Retry-After that is not a plain number of seconds, and caps a huge one', () => {
    expect(parseRetryAfter('30')).toBe(30);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT')).toBeUndefined();
    expect(parseRetryAfter('-5')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('999999999')).toBe(3_600);
  });
});
