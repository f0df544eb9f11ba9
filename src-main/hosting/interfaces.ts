import os from 'node:os';
import type { NetworkInterfaceInfo } from '../../src-shared/ipc/contract';

/**
 * Addresses a room can be hosted on, LAN addresses first and loopback (this computer only) last.
 * IPv6 link-local addresses are left out: they need a zone id (fe80::1%eth0) that browsers and
 * the stock client cannot put in a URL.
 */
export function listInterfaces(
  interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces(),
): NetworkInterfaceInfo[] {
  const result: NetworkInterfaceInfo[] = [];
  for (const [name, addresses] of Object.entries(interfaces)) {
    for (const a of addresses ?? []) {
      if (a.family === 'IPv6' && /^fe[89ab]/i.test(a.address)) continue;
      result.push({ name, address: a.address, family: a.family, internal: a.internal });
    }
  }
  const rank = (i: NetworkInterfaceInfo) => (i.internal ? 2 : 0) + (i.family === 'IPv6' ? 1 : 0);
  return result.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

/** The URL participants use; IPv6 addresses go in brackets. */
export function serverUrl(address: string, port: number, path = ''): string {
  const host = address.includes(':') ? `[${address}]` : address;
  return `https://${host}:${port}${path}`;
}
