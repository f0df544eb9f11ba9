import { describe, expect, it, vi } from 'vitest';
import type { ServerReply } from '../../../src-shared/ipc/contract';
import { APP_ORIGIN } from '../security/app-protocol';
import { isNavigationAllowed } from '../security/navigation';
import { IpcRejectedError, validatedHandler } from './validated-handler';

const fromApp = { senderFrame: { url: `${APP_ORIGIN}/index.html` } };
const trusted = (url: string) => isNavigationAllowed(url, APP_ORIGIN);
const reply: ServerReply = { kind: 'unreachable', message: 'x' };

describe('validatedHandler', () => {
  it('passes well-formed arguments through to the handler', async () => {
    const handler = vi.fn(async () => reply);
    const invoke = validatedHandler('server:request', handler, trusted);
    const req = {
      url: 'https://192.168.1.5:8090/p',
      action: 'pollMsg',
      payload: '{"a":1}',
      fingerprint: 'ab'.repeat(32),
    };
    await expect(invoke(fromApp, req)).resolves.toBe(reply);
    expect(handler).toHaveBeenCalledWith(req);
  });

  it.each([
    ['no argument', []],
    ['a string instead of the request', ['https://x']],
    ['a plain http URL', [{ url: 'http://192.168.1.5:8090', action: 'pollMsg', payload: {} }]],
    ['a file URL', [{ url: 'file:///etc/passwd', action: 'pollMsg', payload: {} }]],
    [
      'a malformed fingerprint',
      [{ url: 'https://h:1', action: 'pollMsg', payload: {}, fingerprint: 'AB:CD' }],
    ],
    ['an unknown field', [{ url: 'https://h:1', action: 'pollMsg', payload: {}, extra: 1 }]],
    ['an absurd timeout', [{ url: 'https://h:1', action: 'pollMsg', payload: {}, timeoutMs: 1e9 }]],
    ['an unserialisable payload', [{ url: 'https://h:1', action: 'pollMsg', payload: { n: 1n } }]],
    ['an extra argument', [{ url: 'https://h:1', action: 'pollMsg', payload: {} }, 'more']],
  ])('rejects %s without calling the handler', async (_why, args) => {
    const handler = vi.fn(async () => reply);
    const invoke = validatedHandler('server:request', handler, trusted);
    await expect(invoke(fromApp, ...args)).rejects.toBeInstanceOf(IpcRejectedError);
    expect(handler).not.toHaveBeenCalled();
  });

  it('validates hosting options', async () => {
    const handler = vi.fn(async () => ({
      ok: false as const,
      error: { code: 'failed' as const, message: '' },
    }));
    const invoke = validatedHandler('hosting:start', handler, trusted);
    await invoke(fromApp, { address: '192.168.1.5', port: 8090, serveWeb: true });
    await invoke(fromApp, { address: '::1' });
    await expect(invoke(fromApp, { address: 'example.com' })).rejects.toThrow(/address/);
    await expect(invoke(fromApp, { address: '0.0.0.0' })).rejects.toThrow(/wildcard/);
    await expect(invoke(fromApp, { address: '::' })).rejects.toThrow(/wildcard/);
    await expect(invoke(fromApp, { address: '127.0.0.1', port: 70000 })).rejects.toThrow(/port/);
    await expect(invoke(fromApp, { address: '127.0.0.1', port: '8090' })).rejects.toThrow(
      IpcRejectedError,
    );
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it('validates S2K work before main hashes anything', async () => {
    const handler = vi.fn(async () => [new Uint8Array(20)]);
    const invoke = validatedHandler('crypto:s2k-digests', handler, trusted);
    const gpgDefault = {
      hash: 'SHA-1',
      pattern: new Uint8Array(24),
      count: 65_011_712,
      contexts: 2,
    };
    await expect(invoke(fromApp, gpgDefault)).resolves.toHaveLength(1);
    for (const bad of [
      { ...gpgDefault, hash: 'MD5' },
      { ...gpgDefault, pattern: Array.from(new Uint8Array(24)) },
      { ...gpgDefault, pattern: new Uint8Array(0) },
      { ...gpgDefault, pattern: new Uint8Array(2_000) },
      { ...gpgDefault, count: 65_011_713 },
      { ...gpgDefault, count: 1.5 },
      { ...gpgDefault, count: 10 },
      { ...gpgDefault, contexts: 5 },
      { ...gpgDefault, extra: true },
    ])
      await expect(invoke(fromApp, bad)).rejects.toThrow(IpcRejectedError);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('refuses arguments on channels that take none', async () => {
    const handler = vi.fn(async () => null);
    const invoke = validatedHandler('hosting:status', handler, trusted);
    await expect(invoke(fromApp)).resolves.toBeNull();
    await expect(invoke(fromApp, 'x')).rejects.toThrow(IpcRejectedError);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('refuses callers that are not the app page', async () => {
    const handler = vi.fn(async () => null);
    const invoke = validatedHandler('hosting:status', handler, trusted);
    await expect(invoke({ senderFrame: { url: 'https://evil.example/' } })).rejects.toThrow(
      /not the LocalChat page/,
    );
    await expect(invoke({ senderFrame: null })).rejects.toThrow(IpcRejectedError);
    expect(handler).not.toHaveBeenCalled();
  });
});
