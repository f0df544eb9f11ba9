import { describe, expect, it } from 'vitest';
import { encodeInvite, inviteLink, inviteWebLink, type Invite } from '../../src-shared/invite';
import { parseJoinInput, readJoinInput } from './inviteInput';

const invite: Invite = {
  server: 'https://192.168.1.20:8090/abc',
  fingerprint: 'AB'.repeat(32),
  room: 'lunch',
  roomPass: 'QX7RM2KD9WZ4TB1N',
  user: 'bob',
  userPass: 'A1B2C3D4E5F6G7H8',
};
const details = {
  server: { url: invite.server, fingerprint: 'AB:'.repeat(31) + 'AB' },
  room: 'lunch',
  roomPass: 'QX7RM2KD9WZ4TB1N',
  user: 'bob',
  userPass: 'A1B2C3D4E5F6G7H8',
};

describe('readJoinInput', () => {
  it('reads every form of one invite to the same details', () => {
    const forms = {
      code: encodeInvite(invite),
      'app-link': inviteLink(invite),
      'web-link': inviteWebLink(invite, 'https://192.168.1.20:8090/abc/'),
    } as const;
    for (const [form, text] of Object.entries(forms)) {
      const reading = readJoinInput(` ${text}\n`, undefined);
      expect(reading.form).toBe(form);
      expect(reading.details).toEqual(details);
    }
    expect(readJoinInput(forms['web-link'], undefined).linkPage).toBe(invite.server);
  });

  it('reads a /join line, with the server only when one is known', () => {
    const line = '/join lunch QX7RM2KD9WZ4TB1N:A1B2C3D4E5F6G7H8 bob';
    expect(readJoinInput(line, undefined)).toEqual({
      form: 'join-line',
      room: 'lunch',
      user: 'bob',
    });
    expect(readJoinInput(line, { url: 'https://h:8090' }).details?.server).toEqual({
      url: 'https://h:8090',
    });
    expect(() => parseJoinInput(line, undefined)).toThrow(/enter the server address/);
  });

  it('says in words what is wrong', () => {
    expect(() => readJoinInput('  ', undefined)).toThrow(/Paste the invite/);
    expect(() => readJoinInput('hello', undefined)).toThrow(/not a LocalChat invite/);
    expect(() => readJoinInput('https://h:8090/', undefined)).toThrow(/holds no invite/);
    expect(() => readJoinInput(`LC1.${'A'.repeat(1_000_000)}.00000000`, undefined)).toThrow(
      /far too long/,
    );
  });
});
