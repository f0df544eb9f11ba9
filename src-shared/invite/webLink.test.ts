import { describe, expect, it } from 'vitest';
import { crc32 } from './checksum';
import {
  InviteError,
  decodeInvite,
  encodeInvite,
  inviteWebLink,
  parseWebLink,
  reachOf,
  shortFingerprint,
  type Invite,
} from './index';

const FP =
  'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89';
const invite: Invite = {
  server: 'https://192.168.1.20:8090/Xy_9-abc',
  fingerprint: FP,
  room: 'lunch',
  roomPass: 'QX7RM2KD9WZ4TB1N',
  user: 'bob',
  userPass: 'A1B2C3D4E5F6G7H8',
};
const PAGE = 'https://192.168.1.20:8090/Xy_9-abc/';

/** What a forger can make: a correctly checksummed code around any JSON. */
function forgedCode(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  const body = btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
  const signed = `LC1.${body}`;
  return `${signed}.${crc32(new TextEncoder().encode(signed)).toString(16).padStart(8, '0')}`;
}

function rejection(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InviteError);
    return (error as Error).message;
  }
  throw new Error('expected an InviteError');
}

describe('https invite links', () => {
  it('carry the invite in the fragment of the page address, and round-trip', () => {
    const link = inviteWebLink(invite, PAGE);
    expect(link).toBe(`${PAGE}#join=${encodeInvite(invite)}`);
    // Nothing secret before the '#': that part is all the server ever sees.
    const sent = new URL(link);
    expect(sent.pathname + sent.search).toBe('/Xy_9-abc/');
    expect(parseWebLink(link)).toEqual({ invite, page: 'https://192.168.1.20:8090/Xy_9-abc' });
  });

  it('stay short enough for a QR code a phone reads easily', () => {
    // QR version 15 at level M holds 412 bytes, still easy for a phone camera; the colons of
    // the fingerprint are left out of the code to stay there.
    expect(inviteWebLink(invite, PAGE).length).toBeLessThan(360);
  });

  it('accept the page with index.html, without its trailing slash, and wrapped by a mail client', () => {
    const code = encodeInvite(invite);
    const withIndex = `${PAGE}index.html#join=${code}`;
    expect(parseWebLink(withIndex).page).toBe('https://192.168.1.20:8090/Xy_9-abc');
    const link = inviteWebLink(invite, PAGE.slice(0, -1));
    expect(link).toBe(`${PAGE}#join=${code}`);
    expect(parseWebLink(`${link.slice(0, 50)}\n${link.slice(50)}`).invite).toEqual(invite);
  });

  it('are only made for the page of the invite’s own server', () => {
    expect(rejection(() => inviteWebLink(invite, 'https://192.168.1.20:8090/other/'))).toMatch(
      /own server/,
    );
    expect(rejection(() => inviteWebLink(invite, 'http://192.168.1.20:8090/Xy_9-abc/'))).toMatch(
      /https/,
    );
  });

  it('report, rather than hide, a link whose page is not the invite’s server', () => {
    const elsewhere = `https://evil.example/#join=${encodeInvite(invite)}`;
    const read = parseWebLink(elsewhere);
    expect(read.page).toBe('https://evil.example');
    expect(read.invite.server).toBe(invite.server);
  });

  it('detect a changed character in the fragment', () => {
    const link = inviteWebLink(invite, PAGE);
    const start = link.indexOf('#join=') + '#join=LC1.'.length;
    for (let i = start; i < link.length; i += 7) {
      const swapped = link[i] === 'A' ? 'B' : 'A';
      const changed = link.slice(0, i) + swapped + link.slice(i + 1);
      expect(() => parseWebLink(changed), `position ${i}`).toThrow(InviteError);
    }
  });

  it.each([
    ['http://192.168.1.20:8090/#join=CODE', /starts with https/],
    ['https://192.168.1.20:8090/?next=evil#join=CODE', /extra parts/],
    ['https://user:pw@192.168.1.20:8090/#join=CODE', /extra parts/],
    ['https://192.168.1.20:8090/', /holds no invite/],
    ['https://192.168.1.20:8090/#other=CODE', /holds no invite/],
    ['https://192.168.1.20:8090/#join=CODE&then=<script>', /incomplete or damaged/],
    ['https://192.168.1.20:8090/#join=LC1.abc', /incomplete or damaged/],
    ['https://', /not a valid address/],
    [`https://h/#join=LC1.${'A'.repeat(5000)}.00000000`, /far too long/],
  ])('reject %s', (text, reason) => {
    const code = encodeInvite(invite);
    expect(rejection(() => parseWebLink(text.replace('CODE', code)))).toMatch(reason);
  });

  it.each([
    ['a look-alike host in another script', 'https://\u0430pple.com:8090'],
    ['upper case that hides nothing yet is not the parser’s form', 'https://LAPTOP.local:8090'],
    ['a backslash', 'https://192.168.1.20:8090\\@evil.example'],
    ['a dot segment', 'https://192.168.1.20:8090/a/../b'],
    ['a percent escape', 'https://192.168.1.20:8090/%2e%2e'],
    ['a javascript: scheme', 'javascript:alert(1)//'],
    ['a fragment', 'https://192.168.1.20:8090/#x'],
  ])('reject a forged invite whose server has %s', (_, server) => {
    const code = forgedCode({ ...invite, server });
    const message = rejection(() => parseWebLink(`${PAGE}#join=${code}`));
    expect(message).toContain('server');
  });

  it('reject forged fields beyond their caps and a malformed fingerprint', () => {
    for (const change of [
      { room: 'r'.repeat(65) },
      { user: 'u'.repeat(33) },
      { roomPass: 'p'.repeat(129) },
      { server: `https://h/${'a'.repeat(2100)}` },
      { fingerprint: 'AB:CD:EF' },
      { fingerprint: `${FP}<img src=x>` },
      { room: 'a\u202eb\n' },
    ]) {
      expect(
        () => decodeInvite(forgedCode({ ...invite, ...change })),
        JSON.stringify(change),
      ).toThrow(InviteError);
    }
  });

  it('accept the plain forms of IPv6 and named hosts', () => {
    for (const server of [
      'https://[2001:db8::5]:8090',
      'https://laptop.local',
      'https://h:8090/',
    ]) {
      expect(decodeInvite(encodeInvite({ ...invite, server })).server).toBe(server);
    }
  });
});

describe('short fingerprints', () => {
  it('are the first 8 octets in the AB:CD form certificate viewers show', () => {
    expect(shortFingerprint(FP.toLowerCase().replace(/:/g, ' '))).toBe('AB:CD:EF:01:23:45:67:89');
  });
  it('are never made from something that is not a fingerprint', () => {
    expect(() => shortFingerprint('AB:CD')).toThrow(InviteError);
  });
});

describe('reach of a server address', () => {
  it.each([
    ['https://127.0.0.1:8090', 'this-computer'],
    ['https://127.4.5.6', 'this-computer'],
    ['https://localhost:8090', 'this-computer'],
    ['https://[::1]:8090', 'this-computer'],
    ['https://[::ffff:127.0.0.1]:8090', 'this-computer'],
    ['https://0.0.0.0:8090', 'this-computer'],
    ['https://169.254.10.2:8090', 'link-local'],
    ['https://[fe80::1]:8090', 'link-local'],
    ['https://192.168.1.20:8090/abc', 'network'],
    ['https://laptop.local', 'network'],
  ])('%s is %s', (server, reach) => {
    expect(reachOf(server)).toBe(reach);
  });
});
