import { describe, expect, it } from 'vitest';
import { kicksFoldedIntoBans } from './notices';

const sys = (id: number, text: string) => ({ kind: 'system', id, text });
const say = (id: number, text: string) => ({ kind: 'say', id, text });

describe('kick and ban notices', () => {
  it('folds the kick notice into the ban notice that follows it', () => {
    const lines = [
      sys(1, 'User olivia kicked bea from the room'),
      say(2, 'bye'),
      sys(3, 'User olivia banned bea from the room'),
    ];
    expect([...kicksFoldedIntoBans(lines)]).toEqual([1]);
  });

  it('folds the quoted notices our server writes, names with quotes inside included', () => {
    const lines = [
      sys(1, 'User "olivia" kicked "b\\" kicked \\"x" from the room'),
      sys(2, 'User "olivia" banned "b\\" kicked \\"x" from the room'),
    ];
    expect([...kicksFoldedIntoBans(lines)]).toEqual([1]);
  });

  it('keeps a plain kick, a kick of someone else and a ban too far away', () => {
    const lines = [
      sys(1, 'User olivia kicked kim from the room'),
      sys(2, 'User olivia kicked bea from the room'),
      sys(3, 'User olivia banned bea from the room'),
      sys(4, 'User olivia kicked cal from the room'),
      ...[5, 6, 7, 8, 9].map((id) => say(id, 'chatter')),
      sys(10, 'User olivia banned cal from the room'),
    ];
    expect([...kicksFoldedIntoBans(lines)]).toEqual([2]);
  });

  it('does not fold a message that only reads like a notice', () => {
    const lines = [
      say(1, 'User olivia kicked bea from the room'),
      sys(2, 'User olivia banned bea from the room'),
    ];
    expect(kicksFoldedIntoBans(lines).size).toBe(0);
  });
});
