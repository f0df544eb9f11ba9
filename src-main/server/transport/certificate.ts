import { X509Certificate } from 'node:crypto';
import { networkInterfaces, hostname } from 'node:os';
import { isIP } from 'node:net';
import { selfSignedCertificate } from './self-signed';

export interface Certificate {
  key: string;
  cert: string;
  /** SHA-256 of the certificate, 'AB:CD:..', as X509Certificate.fingerprint256. */
  fingerprint: string;
}

const VALIDITY_DAYS = 825;
const DNS_NAME = /^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;

/** A self-signed EC P-256 certificate (fast to make) naming every given host name and address. */
export async function generateCertificate(
  hostnames: string[],
  ips: string[],
): Promise<Certificate> {
  const names = [...new Set(hostnames.filter((h) => h.length > 0))];
  const addresses = [...new Set(ips.filter((ip) => isIP(ip) !== 0))];
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + VALIDITY_DAYS * 24 * 3600 * 1000);
  const { cert, key } = selfSignedCertificate({
    commonName: names[0] ?? addresses[0] ?? 'localchat',
    // A dNSName is ASCII (IA5String); a name that is not one cannot be matched by a browser anyway.
    dnsNames: names.filter((name) => DNS_NAME.test(name)),
    ipAddresses: addresses,
    notBefore: notBeforeDate,
    notAfter: notAfterDate,
  });
  return { key, cert, fingerprint: fingerprintOf(cert) };
}

export function fingerprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

/** Names and addresses a client may use to reach `host`: all local ones when bound to a wildcard. */
export function namesForHost(host: string): { hostnames: string[]; ips: string[] } {
  const wildcard = host === '0.0.0.0' || host === '::';
  const ips = new Set<string>(['127.0.0.1', '::1']);
  const hostnames = new Set<string>(['localhost']);
  if (isIP(host)) ips.add(host);
  else hostnames.add(host);
  if (wildcard) {
    hostnames.add(hostname());
    for (const list of Object.values(networkInterfaces())) {
      for (const addr of list ?? []) ips.add(addr.address.split('%')[0] ?? addr.address);
    }
  }
  ips.delete('0.0.0.0');
  ips.delete('::');
  return { hostnames: [...hostnames], ips: [...ips] };
}
