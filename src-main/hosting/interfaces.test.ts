import { describe, expect, it } from 'vitest';
import { listInterfaces, serverUrl } from './interfaces';

describe('listInterfaces', () => {
  it('lists every address of this machine by interface name, including loopback', () => {
    const list = listInterfaces();
    expect(list.length).toBeGreaterThan(0);
    for (const i of list) {
      expect(i).toEqual({
        name: expect.any(String),
        address: expect.any(String),
        family: expect.stringMatching(/^IPv[46]$/),
        internal: expect.any(Boolean),
      });
    }
    expect(list).toContainEqual(
      expect.objectContaining({ address: '127.0.0.1', family: 'IPv4', internal: true }),
    );
  });

  it('puts LAN IPv4 first, loopback last, and drops link-local IPv6', () => {
    const mac = '00:00:00:00:00:00';
    const list = listInterfaces({
      lo: [
        {
          address: '127.0.0.1',
          family: 'IPv4',
          internal: true,
          netmask: '255.0.0.0',
          mac,
          cidr: null,
        },
        {
          address: '::1',
          family: 'IPv6',
          internal: true,
          netmask: 'ffff::',
          mac,
          cidr: null,
          scopeid: 0,
        },
      ],
      wlan0: [
        {
          address: 'fe80::1',
          family: 'IPv6',
          internal: false,
          netmask: 'ffff::',
          mac,
          cidr: null,
          scopeid: 3,
        },
        {
          address: '2001:db8::5',
          family: 'IPv6',
          internal: false,
          netmask: 'ffff::',
          mac,
          cidr: null,
          scopeid: 0,
        },
        {
          address: '192.168.1.5',
          family: 'IPv4',
          internal: false,
          netmask: '255.255.255.0',
          mac,
          cidr: null,
        },
      ],
    });
    expect(list.map((i) => `${i.name} ${i.address}`)).toEqual([
      'wlan0 192.168.1.5',
      'wlan0 2001:db8::5',
      'lo 127.0.0.1',
      'lo ::1',
    ]);
  });
});

describe('serverUrl', () => {
  it('brackets IPv6 and keeps a path', () => {
    expect(serverUrl('192.168.1.5', 8090)).toBe('https://192.168.1.5:8090');
    expect(serverUrl('2001:db8::5', 8090, '/abc')).toBe('https://[2001:db8::5]:8090/abc');
  });
});
