import { describe, expect, it } from 'vitest';
import { crc32 } from './checksum';
import {
  InviteError,
  decodeInvite,
  encodeInvite,
  fingerprintsEqual,
  inviteLink,
  isFingerprint,
  normaliseFingerprint,
  parseStockJoinLine,
  stockJoinLine,
  type Invite,
} from './index';

const FP =
  'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89';
const KEY = 'hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr06ymklOqbTmo';
const invite: Invite = {
  server: 'https://192.168.1.20:8090/secret/path',
  fingerprint: FP,
  room: 'lunch',
  roomPass: 'QX7RM2KD9WZ4TB1N',
  user: 'bob',
  userPass: 'A1B2C3D4E5F6G7H8',
};

/** A well-formed, correctly checksummed code around any body, as a forger could make one. */
function codeAround(body: string, version = 1): string {
  const bytes = new TextEncoder().encode(body);
  const b64 = btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
  const signed = `LC${version}.${b64}`;
  return `${signed}.${crc32(new TextEncoder().encode(signed)).toString(16).padStart(8, '0')}`;
}
const codeAroundJson = (value: unknown) => codeAround(JSON.stringify(value));

function rejection(run: () => unknown): InviteError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InviteError);
    return error as InviteError;
  }
  throw new Error('expected an InviteError');
}

describe('invite codes', () => {
  it('round-trip through code and link', () => {
    const code = encodeInvite(invite);
    expect(code).toMatch(/^LC1\.[A-Za-z0-9_-]+\.[0-9a-f]{8}$/);
    expect(decodeInvite(code)).toEqual(invite);
    expect(inviteLink(invite)).toBe(`localchat://join/${code}`);
    expect(decodeInvite(inviteLink(invite))).toEqual(invite);
  });

  it('round-trip without a fingerprint (trust on first use), with non-ASCII and odd characters', () => {
    const tofu: Invite = {
      server: 'https://laptop.local',
      room: 'café ☕',
      roomPass: 'p:a/s+s=',
      user: 'zoë',
      userPass: 'x y',
    };
    const decoded = decodeInvite(encodeInvite(tofu));
    expect(decoded).toEqual(tofu);
    expect('fingerprint' in decoded).toBe(false);
  });

  it('store the fingerprint in canonical form', () => {
    const lower = FP.toLowerCase().replace(/:/g, '');
    expect(decodeInvite(encodeInvite({ ...invite, fingerprint: lower })).fingerprint).toBe(FP);
  });

  it('tolerate surrounding and embedded whitespace, and a trailing slash on the link', () => {
    const code = encodeInvite(invite);
    expect(decodeInvite(`  \n${code.slice(0, 30)}\n${code.slice(30)}\t `)).toEqual(invite);
    expect(decodeInvite(`LocalChat://join/${code}/`)).toEqual(invite);
  });

  it('detect a change to any single character', () => {
    const code = encodeInvite(invite);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    for (let i = 0; i < code.length; i++) {
      for (const replacement of [
        alphabet[(alphabet.indexOf(code[i]!) + 1) % alphabet.length]!,
        'A',
        '0',
      ]) {
        if (replacement === code[i]) continue;
        const changed = code.slice(0, i) + replacement + code.slice(i + 1);
        expect(() => decodeInvite(changed), `position ${i} -> ${replacement}`).toThrow(InviteError);
      }
    }
  });

  it('detect a dropped or an added character', () => {
    const code = encodeInvite(invite);
    for (let i = 0; i < code.length; i++) {
      expect(() => decodeInvite(code.slice(0, i) + code.slice(i + 1)), `dropped ${i}`).toThrow(
        InviteError,
      );
      expect(() => decodeInvite(code.slice(0, i) + 'Q' + code.slice(i)), `added at ${i}`).toThrow(
        InviteError,
      );
    }
  });
});

describe('decodeInvite rejects', () => {
  it('empty input and foreign text', () => {
    expect(rejection(() => decodeInvite('   ')).message).toMatch(/empty/);
    expect(rejection(() => decodeInvite('hello there')).message).toMatch(/not a LocalChat invite/);
    expect(
      rejection(() => decodeInvite('https://example.org/join/LC1.abc.00000000')).message,
    ).toMatch(/not a LocalChat invite/);
  });

  it('a truncated code', () => {
    const code = encodeInvite(invite);
    expect(rejection(() => decodeInvite(code.slice(0, code.lastIndexOf('.')))).message).toMatch(
      /incomplete or damaged/,
    );
    expect(rejection(() => decodeInvite('LC1.')).message).toMatch(/incomplete or damaged/);
  });

  it('a checksum mismatch', () => {
    const code = encodeInvite(invite);
    const wrong = code.slice(0, -8) + (code.endsWith('00000000') ? '11111111' : '00000000');
    expect(rejection(() => decodeInvite(wrong)).message).toMatch(/checksum/);
  });

  it('another format version', () => {
    expect(
      rejection(() => decodeInvite(codeAroundJson(invite).replace('LC1.', 'LC2.'))).message,
    ).toMatch(/format LC2/);
    expect(rejection(() => decodeInvite(codeAround(JSON.stringify(invite), 2))).message).toMatch(
      /format LC2/,
    );
  });

  it('a checksummed body that is not a JSON object', () => {
    for (const body of [[1, 2], 'text', null, 42]) {
      expect(rejection(() => decodeInvite(codeAroundJson(body))).message).toMatch(/cannot be read/);
    }
    expect(rejection(() => decodeInvite(codeAround('not json'))).message).toMatch(/cannot be read/);
  });

  it.each([
    ['server', 'must be a URL', { server: 'not a url' }],
    ['server', 'https://', { server: 'http://192.168.1.20:8090' }],
    ['server', 'without credentials', { server: 'https://user:pw@host:8090' }],
    ['server', 'without credentials', { server: 'https://host:8090/?x=1' }],
    ['fingerprint', '64 hex digits', { fingerprint: 'AB:CD' }],
    ['fingerprint', '64 hex digits', { fingerprint: FP.replace('AB', 'XY') }],
    ['room', 'must not be empty', { room: '' }],
    ['room', 'control characters', { room: 'a\nb' }],
    ['user', 'reserved', { user: 'SYSTEM' }],
    ['userPass', 'at most 128', { userPass: 'x'.repeat(129) }],
  ])('an invalid %s (%s)', (field, reason, change) => {
    const message = rejection(() => decodeInvite(codeAroundJson({ ...invite, ...change }))).message;
    expect(message).toContain(field);
    expect(message).toContain(reason);
    expect(() => encodeInvite({ ...invite, ...change })).toThrow(InviteError);
  });

  it.each(['server', 'room', 'user', 'userPass'])('a missing %s', (field) => {
    const partial: Record<string, unknown> = { ...invite };
    delete partial[field];
    expect(rejection(() => decodeInvite(codeAroundJson(partial))).message).toBe(
      `The invite is missing its ${field}`,
    );
  });

  it('neither a room passphrase nor an inviter with a key, or both', () => {
    const { roomPass: _, ...keyless } = invite;
    const must = 'The invite must hold either the room passphrase or the inviter and its key';
    expect(rejection(() => decodeInvite(codeAroundJson(keyless))).message).toBe(must);
    expect(
      rejection(() => decodeInvite(codeAroundJson({ ...keyless, from: 'olive' }))).message,
    ).toBe(must);
    expect(
      rejection(() => decodeInvite(codeAroundJson({ ...invite, from: 'olive', fromKey: KEY })))
        .message,
    ).toBe(must);
    expect(
      rejection(() => decodeInvite(codeAroundJson({ ...keyless, from: 'olive', fromKey: 'x' })))
        .message,
    ).toBe("The invite's fromKey must be a member key");
  });

  it('reads a key-less invite: the inviter and its key instead of the room passphrase', () => {
    const { roomPass: _, ...keyless } = invite;
    const code = encodeInvite({ ...keyless, from: 'olive', fromKey: KEY });
    expect(decodeInvite(code)).toEqual({ ...keyless, from: 'olive', fromKey: KEY });
    expect(() => stockJoinLine(decodeInvite(code))).toThrow(/no room passphrase/);
  });

  it('a field of the wrong type', () => {
    expect(rejection(() => decodeInvite(codeAroundJson({ ...invite, room: 7 }))).message).toBe(
      "The invite's room must be text",
    );
  });

  it('unknown fields', () => {
    expect(rejection(() => decodeInvite(codeAroundJson({ ...invite, extra: 1 }))).message).toMatch(
      /unknown fields/,
    );
  });
});

describe('stock client join lines', () => {
  it('are written exactly as the stock client prints them', () => {
    expect(stockJoinLine(invite)).toBe('/join lunch QX7RM2KD9WZ4TB1N:A1B2C3D4E5F6G7H8 bob');
  });

  it('round-trip', () => {
    expect(parseStockJoinLine(stockJoinLine(invite))).toEqual({
      room: 'lunch',
      roomPass: 'QX7RM2KD9WZ4TB1N',
      userPass: 'A1B2C3D4E5F6G7H8',
      user: 'bob',
    });
  });

  it('split the credentials on the first colon', () => {
    expect(parseStockJoinLine('  /join room ROOM:PASS:WITH:COLONS alice \n')).toEqual({
      room: 'room',
      roomPass: 'ROOM',
      userPass: 'PASS:WITH:COLONS',
      user: 'alice',
    });
  });

  it.each([
    ['join room A:B user', /start with \/join/],
    ['/join room A:B', /found 2 parts/],
    ['/join room A:B user extra', /found 4 parts/],
    ['/join room AB user', /joined by ":"/],
    ['/join room :B user', /roomPass must not be empty/],
    ['/join room A: user', /userPass must not be empty/],
    ['', /start with \/join/],
  ])('reject %j', (line, reason) => {
    expect(rejection(() => parseStockJoinLine(line)).message).toMatch(reason);
  });

  it('refuse to write what the stock client would misread', () => {
    expect(rejection(() => stockJoinLine({ ...invite, room: 'two words' })).message).toMatch(
      /room containing spaces/,
    );
    expect(rejection(() => stockJoinLine({ ...invite, roomPass: 'a:b' })).message).toMatch(/":"/);
    expect(rejection(() => stockJoinLine({ ...invite, userPass: '' })).message).toMatch(/empty/);
  });
});

describe('fingerprints', () => {
  it('normalise every usual spelling to AB:CD:… uppercase', () => {
    expect(normaliseFingerprint(FP.toLowerCase())).toBe(FP);
    expect(normaliseFingerprint(FP.replace(/:/g, ''))).toBe(FP);
    expect(normaliseFingerprint(` ${FP.replace(/:/g, ' ')} `)).toBe(FP);
  });

  it('reject anything but 64 hex digits', () => {
    for (const bad of ['', 'AB', FP + ':00', FP.slice(0, -1), FP.replace('AB', 'GG')]) {
      expect(isFingerprint(bad)).toBe(false);
      expect(() => normaliseFingerprint(bad)).toThrow(InviteError);
    }
  });

  it('compare regardless of spelling', () => {
    expect(fingerprintsEqual(FP, FP.toLowerCase().replace(/:/g, ''))).toBe(true);
    expect(fingerprintsEqual(FP, FP.replace('AB', 'AC'))).toBe(false);
    expect(fingerprintsEqual('nonsense', 'nonsense')).toBe(false);
  });
});
