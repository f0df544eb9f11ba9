import { describe, expect, it } from 'vitest';
import { heldRuns } from './heldRuns';

const held = (id: number, from: string) => ({ kind: 'held', id, from });
const said = (id: number, from: string) => ({ kind: 'say', id, from });

describe('runs of held messages', () => {
  it('folds consecutive held lines of one sender into the first, with the count', () => {
    const { counts, folded } = heldRuns([
      held(1, 'mallory'),
      held(2, 'mallory'),
      held(3, 'mallory'),
      held(4, 'eve'),
      said(5, 'alice'),
      held(6, 'mallory'),
    ]);
    expect([...counts]).toEqual([
      [1, 3],
      [4, 1],
      [6, 1],
    ]);
    expect([...folded]).toEqual([2, 3]);
  });
});
