import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HostingStartResult, HostingStatus } from '../../src-shared/ipc/contract';
import { request } from '../net/pinned-request';
import { startServer } from '../server/index';
import { getPage as get } from '../server/testing/raw-client';
import { generateCertificate } from '../server/transport/certificate';
import { Hosting } from './hosting';
import { KeptCertificate, type SecretCipher } from './kept-certificate';

const cipher: SecretCipher = {
  isEncryptionAvailable: () => true,
  encryptString: (plain) => Buffer.from(plain).reverse(),
  decryptString: (sealed) => Buffer.from(sealed).reverse().toString(),
};

function started(result: HostingStartResult): HostingStatus {
  if (!result.ok) throw new Error(`hosting failed: ${result.error.code} ${result.error.message}`);
  return result.status;
}

describe('Hosting', () => {
  let dir: string;
  let webDir: string;
  let hosting: Hosting;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'localchat-hosting-'));
    webDir = path.join(dir, 'renderer');
    await mkdir(webDir);
    await writeFile(
      path.join(webDir, 'index.html'),
      '<!doctype html><title>LocalChat page</title>',
    );
    hosting = new Hosting({
      startServer,
      generateCertificate: () => generateCertificate(['localhost'], ['127.0.0.1']),
      keptCertificate: new KeptCertificate(path.join(dir, 'kept.json'), cipher),
      webDir,
      log: () => {},
    });
  });
  afterEach(() => hosting.stop());
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('hosts on the chosen address, reports the URL and fingerprint participants pin, and stops', async () => {
    const status = started(await hosting.start({ address: '127.0.0.1', port: 0 }));
    expect(status.url).toBe(`https://127.0.0.1:${status.port}`);
    expect(status.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(status.webUrl).toBeUndefined();
    expect(hosting.status()).toEqual(status);

    const created = await request({
      url: status.url,
      action: 'createRoom',
      payload: { roomName: 'kitchen', owner: 'ana', pass: 'PASSWORD12345678' },
      fingerprint: status.fingerprint,
    });
    expect(created).toMatchObject({
      kind: 'response',
      status: 200,
      body: { status: 'ok', name: 'kitchen' },
    });

    await hosting.stop();
    expect(hosting.status()).toBeNull();
    const after = await request({
      url: status.url,
      action: 'pollMsg',
      payload: {},
      fingerprint: status.fingerprint,
    });
    expect(after.kind).toBe('unreachable');

    // A new session on the same port starts empty: the room went with the old server.
    const again = started(await hosting.start({ address: '127.0.0.1', port: status.port }));
    const join = await request({
      url: again.url,
      action: 'joinRoom',
      payload: { roomName: 'kitchen', user: 'ana', userpass: 'PASSWORD12345678' },
      fingerprint: again.fingerprint,
    });
    expect(join).toMatchObject({ kind: 'response', status: 400 });
    expect(again.fingerprint).not.toBe(status.fingerprint);
  });

  it('reports a port already in use on that address', async () => {
    const occupier = net.createServer();
    await new Promise<void>((resolve) => occupier.listen(0, '127.0.0.1', resolve));
    const port = (occupier.address() as net.AddressInfo).port;
    try {
      expect(await hosting.start({ address: '127.0.0.1', port })).toEqual({
        ok: false,
        error: {
          code: 'port-in-use',
          message: expect.stringContaining(`Port ${port} is already in use`),
        },
      });
      expect(hosting.status()).toBeNull();
    } finally {
      await new Promise((resolve) => occupier.close(resolve));
    }
  });

  it('reports an address that is not on this machine', async () => {
    // TEST-NET-1: never assigned to a real host. Only a bind is attempted; no traffic is sent.
    expect(await hosting.start({ address: '192.0.2.1', port: 0 })).toEqual({
      ok: false,
      error: {
        code: 'address-unavailable',
        message: expect.stringContaining('192.0.2.1 is no longer on this computer'),
      },
    });
  });

  it('refuses a second server while one is running', async () => {
    started(await hosting.start({ address: '127.0.0.1', port: 0 }));
    const second = await hosting.start({ address: '127.0.0.1', port: 0 });
    expect(second).toMatchObject({ ok: false, error: { code: 'already-hosting' } });
  });

  it('serves the browser page only under a generated secret path', async () => {
    const status = started(await hosting.start({ address: '127.0.0.1', port: 0, serveWeb: true }));
    expect(status.webUrl).toMatch(
      new RegExp(`^https://127\\.0\\.0\\.1:${status.port}/[A-Za-z0-9_-]{24}/$`),
    );
    expect(await get(status.webUrl!)).toEqual({
      status: 200,
      body: expect.stringContaining('LocalChat page'),
    });
    expect((await get(`${status.url}/`)).status).toBe(404);

    await hosting.stop();
    const other = started(await hosting.start({ address: '127.0.0.1', port: 0, serveWeb: true }));
    expect(new URL(other.webUrl!).pathname).not.toBe(new URL(status.webUrl!).pathname);
  });

  it('refuses to keep a certificate where the OS cannot encrypt its key', async () => {
    const noKeychain = new Hosting({
      startServer,
      generateCertificate: () => generateCertificate(['localhost'], ['127.0.0.1']),
      keptCertificate: new KeptCertificate(path.join(dir, 'never.json'), {
        ...cipher,
        isEncryptionAvailable: () => false,
      }),
      webDir,
      log: () => {},
    });
    expect(
      await noKeychain.start({ address: '127.0.0.1', port: 0, keepCertificate: true }),
    ).toMatchObject({ ok: false, error: { code: 'keychain-unavailable' } });
    expect(noKeychain.status()).toBeNull();
    expect(await noKeychain.certificateInfo()).toEqual({ kept: false, encryptionAvailable: false });
  });

  it('keeps the certificate across sessions when asked, and forgets it', async () => {
    expect(await hosting.certificateInfo()).toEqual({ kept: false, encryptionAvailable: true });
    const first = started(
      await hosting.start({ address: '127.0.0.1', port: 0, keepCertificate: true }),
    );
    expect(first.certificateKept).toBe(true);
    await hosting.stop();
    const second = started(
      await hosting.start({ address: '127.0.0.1', port: 0, keepCertificate: true }),
    );
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(await hosting.certificateInfo()).toEqual({
      kept: true,
      fingerprint: first.fingerprint,
      encryptionAvailable: true,
    });
    await hosting.stop();

    const unkept = started(await hosting.start({ address: '127.0.0.1', port: 0 }));
    expect(unkept.fingerprint).not.toBe(first.fingerprint);
    expect(unkept.certificateKept).toBe(false);
    await hosting.stop();

    await hosting.forgetCertificate();
    expect((await hosting.certificateInfo()).kept).toBe(false);
    const fresh = started(
      await hosting.start({ address: '127.0.0.1', port: 0, keepCertificate: true }),
    );
    expect(fresh.fingerprint).not.toBe(first.fingerprint);
  });
});
