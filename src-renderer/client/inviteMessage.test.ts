import { describe, expect, it } from 'vitest';
import type { Invite } from '../../src-shared/invite';
import { inviteMessage } from './inviteMessage';

const invite: Invite = {
  server: 'https://h:8090',
  room: 'r1',
  roomPass: 'ROOMPASS',
  user: 'bob',
  userPass: 'BOBPASS',
};

describe('the invite message', () => {
  it('says truthfully that the browser keeps the link (and its room key) on disk', () => {
    const text = inviteMessage(invite, 'https://h/#x', 'web');
    expect(text).toMatch(/saves it in its history and session files on disk/);
    expect(text).not.toMatch(/removed from (the )?history/);
  });

  it('tells an app user only not to pass the link on', () => {
    expect(inviteMessage(invite, 'localchat://x', 'app')).toMatch(/please don’t pass it on\.$/);
  });
});
