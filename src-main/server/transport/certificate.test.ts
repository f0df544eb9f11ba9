import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startServer } from '../index';
import { startTestServer } from '../testing/server-fixture';
import { generateCertificate } from './certificate';

describe('generateCertificate', () => {
  it('makes a self-signed certificate naming the given hosts and addresses, with its SHA-256 fingerprint', async () => {
    const { key, cert, fingerprint } = await generateCertificate(
      ['localhost', 'laptop.lan'],
      ['127.0.0.1', '192.168.1.20', 'nonsense'],
    );
    const x509 = new X509Certificate(cert);
    expect(fingerprint).toBe(x509.fingerprint256);
    expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(x509.subjectAltName).toBe(
      'DNS:localhost, DNS:laptop.lan, IP Address:127.0.0.1, IP Address:192.168.1.20',
    );
    expect(x509.checkIP('192.168.1.20')).toBe('192.168.1.20');
    expect(key).toMatch(/BEGIN (EC )?PRIVATE KEY/);
    expect(x509.checkPrivateKey((await import('node:crypto')).createPrivateKey(key))).toBe(true);
  });
});

describe('startServer', () => {
  it('uses a given certificate and reports its fingerprint', async () => {
    const tls = await generateCertificate(['localhost'], ['127.0.0.1']);
    const { server } = await startTestServer({ tls: { key: tls.key, cert: tls.cert } });
    try {
      expect(server.fingerprint).toBe(tls.fingerprint);
      expect(server.certificatePem).toBe(tls.cert);
      expect(server.url).toBe(`https://127.0.0.1:${server.port}`);
      expect(server.webUrl).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it('rejects with EADDRINUSE when the port is taken and EADDRNOTAVAIL for a foreign address', async () => {
    const { server } = await startTestServer();
    try {
      await expect(
        startServer({ host: '127.0.0.1', port: server.port, log: () => undefined }),
      ).rejects.toMatchObject({
        code: 'EADDRINUSE',
      });
    } finally {
      await server.close();
    }
    // TEST-NET-1 (RFC 5737) is never a local address; binding fails before any packet is sent.
    await expect(
      startServer({ host: '192.0.2.1', port: 0, log: () => undefined }),
    ).rejects.toMatchObject({
      code: 'EADDRNOTAVAIL',
    });
  });
});
