import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCertificate } from './certificate';
import { ipBytes, selfSignedCertificate } from './self-signed';

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('ipBytes', () => {
  it.each([
    ['127.0.0.1', '7f000001'],
    ['::1', '00000000000000000000000000000001'],
    ['::', '00000000000000000000000000000000'],
    ['fe80::1:2', 'fe800000000000000000000000010002'],
    ['2001:db8:0:0:1:0:0:1', '20010db8000000000001000000000001'],
    ['2001:db8::', '20010db8000000000000000000000000'],
    ['::ffff:192.0.2.1', '00000000000000000000ffffc0000201'],
  ])('%s', (ip, hex) => {
    expect(ipBytes(ip).toString('hex')).toBe(hex);
  });

  it('refuses what is not an address', () => {
    expect(() => ipBytes('localhost')).toThrow();
  });
});

describe('the self-signed certificate', () => {
  let certificate: Awaited<ReturnType<typeof generateCertificate>>;
  let server: tls.Server;
  let port: number;

  beforeAll(async () => {
    certificate = await generateCertificate(
      ['localhost', 'laptop.lan', 'bad name', 'café.lan'],
      ['127.0.0.1', '::1', '192.168.1.20', 'fe80::1234:5678'],
    );
    server = tls.createServer({ key: certificate.key, cert: certificate.cert }, (socket) =>
      socket.end('ok'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** A verifying TLS client that trusts exactly this certificate. */
  function handshake(servername: string | undefined, host: string) {
    return new Promise<{ authorized: boolean; error?: string }>((resolve) => {
      const socket = tls.connect({
        host: '127.0.0.1',
        port,
        ca: certificate.cert,
        servername,
        checkServerIdentity: (_name, cert) => tls.checkServerIdentity(host, cert) ?? undefined,
      });
      socket.once('secureConnect', () => {
        resolve({ authorized: socket.authorized });
        socket.destroy();
      });
      socket.once('error', (error) => resolve({ authorized: false, error: error.message }));
    });
  }

  it('verifies in a TLS handshake for each of its names and addresses', async () => {
    for (const host of ['localhost', 'laptop.lan', '127.0.0.1', '::1', '192.168.1.20']) {
      expect(await handshake('localhost', host), host).toEqual({ authorized: true });
    }
  });

  it('does not verify for a name or address it does not carry', async () => {
    for (const host of ['example.com', '192.168.1.21', 'bad name']) {
      const result = await handshake('localhost', host);
      expect(result.authorized, host).toBe(false);
      expect(result.error, host).toMatch(/altnames|not in the cert/i);
    }
  });

  it('is a v3 server certificate: EKU serverAuth, ASCII names only, valid now for 825 days', () => {
    const x509 = new X509Certificate(certificate.cert);
    expect(x509.ca).toBe(false);
    expect(x509.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(x509.subject).toBe('CN=localhost');
    expect(x509.issuer).toBe(x509.subject);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(x509.subjectAltName).toBe(
      'DNS:localhost, DNS:laptop.lan, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, IP Address:192.168.1.20, IP Address:FE80:0:0:0:0:0:1234:5678',
    );
    const from = new Date(x509.validFrom).getTime();
    const to = new Date(x509.validTo).getTime();
    expect(from).toBeLessThanOrEqual(Date.now());
    expect(Math.round((to - from) / 86_400_000)).toBe(825);
  });

  it('has a fresh random positive serial and key each time', () => {
    const a = new X509Certificate(
      selfSignedCertificate({
        commonName: 'x',
        dnsNames: [],
        ipAddresses: [],
        notBefore: new Date(),
        notAfter: new Date(Date.now() + 1000),
      }).cert,
    );
    const b = new X509Certificate(certificate.cert);
    expect(a.serialNumber).not.toBe(b.serialNumber);
    expect(a.serialNumber).toMatch(/^[0-7][0-9A-F]{31}$/);
    expect(a.publicKey.export({ format: 'der', type: 'spki' })).not.toEqual(
      b.publicKey.export({ format: 'der', type: 'spki' }),
    );
  });

  it('encodes dates after 2049 as GeneralizedTime', () => {
    const late = new X509Certificate(
      selfSignedCertificate({
        commonName: 'x',
        dnsNames: ['x'],
        ipAddresses: [],
        notBefore: new Date('2049-12-31T23:59:59Z'),
        notAfter: new Date('2051-01-02T03:04:05Z'),
      }).cert,
    );
    expect(new Date(late.validFrom).toISOString()).toBe('2049-12-31T23:59:59.000Z');
    expect(new Date(late.validTo).toISOString()).toBe('2051-01-02T03:04:05.000Z');
  });

  it.runIf(hasOpenssl)('parses cleanly in OpenSSL, key usage critical', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lc-cert-'));
    try {
      writeFileSync(path.join(dir, 'cert.pem'), certificate.cert);
      const text = execFileSync(
        'openssl',
        ['x509', '-in', path.join(dir, 'cert.pem'), '-noout', '-text'],
        {
          encoding: 'utf8',
        },
      );
      expect(text).toContain('Version: 3 (0x2)');
      expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature/);
      expect(text).toMatch(/X509v3 Extended Key Usage:\s+TLS Web Server Authentication/);
      expect(text).toContain('Signature Algorithm: ecdsa-with-SHA256');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
