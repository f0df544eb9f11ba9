import { describe, expect, it } from 'vitest';
import { parseWebLink, type Invite } from '../../../src-shared/invite';
import { makeInviteView } from './invite';

const FP = 'AB:CD:EF:01:23:45:67:89:' + 'AA:'.repeat(23) + 'AA';
const invite: Invite = {
  server: 'https://192.168.1.20:8090',
  fingerprint: FP,
  room: 'lunch',
  roomPass: 'QX7RM2KD9WZ4TB1N',
  user: 'bob',
  userPass: 'A1B2C3D4E5F6G7H8',
};

describe('makeInviteView', () => {
  it('sends the browser page link, naming the page’s server, when the server serves the page', () => {
    const view = makeInviteView(invite, 'https://192.168.1.20:8090/s3cr3t/');
    expect(view.linkKind).toBe('web');
    expect(view.link).toMatch(/^https:\/\/192\.168\.1\.20:8090\/s3cr3t\/#join=LC1\./);
    expect(parseWebLink(view.link).invite).toEqual({
      ...invite,
      server: 'https://192.168.1.20:8090/s3cr3t',
    });
    // The terminal client keeps the address it was given.
    expect(view.stockServer).toBe(invite.server);
    expect(view.joinLine).toEqual({ line: '/join lunch QX7RM2KD9WZ4TB1N:A1B2C3D4E5F6G7H8 bob' });
  });

  it('sends the localchat:// link otherwise', () => {
    const view = makeInviteView(invite, undefined);
    expect(view.linkKind).toBe('app');
    expect(view.link).toMatch(/^localchat:\/\/join\/LC1\./);
  });

  it('writes one message with the single link and the fingerprint’s first octets', () => {
    const { message, link } = makeInviteView(invite, 'https://192.168.1.20:8090/s3cr3t/');
    expect(message.split(/\s+/).filter((word) => /^(https|localchat):/.test(word))).toEqual([link]);
    expect(message).toContain('“lunch” as bob');
    expect(message).toContain('must begin with AB:CD:EF:01:23:45:67:89.');
    expect(message).not.toContain(FP);
  });

  it('knows a loopback address reaches nobody else', () => {
    expect(makeInviteView({ ...invite, server: 'https://127.0.0.1:8090' }, undefined).reach).toBe(
      'this-computer',
    );
    expect(makeInviteView(invite, undefined).reach).toBe('network');
  });
});
