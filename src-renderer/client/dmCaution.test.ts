import { describe, expect, it } from 'vitest';
import { dmCaution, type DmRoom } from './dmCaution';

const room: DmRoom = {
  privateDms: true,
  listed: true,
  members: ['ana', 'bob', 'kim'],
  keyWords: { ana: 'tiger Pandora', bob: 'flatfoot asteroid' },
  changedKeys: [],
};

describe('dmCaution', () => {
  it('warns before a DM to a member without a key goes with the room key', () => {
    expect(dmCaution(room, 'kim', 'hi')).toMatchObject({
      kind: 'room-key',
      message: expect.stringMatching(
        /^kim uses the terminal client: this direct message can be read by anyone who holds the room key/,
      ) as string,
    });
  });

  it('shows a key change before sending, and nothing for a known key', () => {
    expect(dmCaution({ ...room, changedKeys: ['bob'] }, 'bob', 'hi')).toMatchObject({
      kind: 'key-changed',
      message: expect.stringContaining('“flatfoot asteroid”') as string,
    });
    expect(dmCaution(room, 'bob', 'hi')).toBeUndefined();
  });

  it('says nothing where no DM could be private, before the first listing, or to a stranger', () => {
    expect(dmCaution({ ...room, privateDms: false }, 'kim', 'hi')).toBeUndefined();
    expect(dmCaution({ ...room, listed: false }, 'kim', 'hi')).toBeUndefined();
    expect(dmCaution(room, 'nobody', 'hi')).toBeUndefined();
  });
});
