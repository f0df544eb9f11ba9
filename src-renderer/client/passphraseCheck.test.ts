import { describe, expect, it } from 'vitest';
import type { MessageRow } from '../../src-shared/protocol';
import type { ChatLine } from './lines';
import {
  KEPT_CIPHERTEXTS,
  addEvidence,
  keepUndecryptable,
  noEvidence,
  passphraseLooksWrong,
} from './passphraseCheck';

const system = (id: number): ChatLine => ({
  kind: 'system',
  id,
  time: 0,
  level: 'sysinfo',
  text: 'x',
});
const said = (id: number, from: string): ChatLine => ({
  kind: 'say',
  id,
  time: 0,
  from,
  text: 'x',
});
const failed = (id: number, from: string): ChatLine => ({
  kind: 'undecryptable',
  id,
  time: 0,
  from,
});
const verdict = (lines: ChatLine[]) =>
  passphraseLooksWrong(addEvidence(noEvidence(), lines, 'bob'));

describe('wrong room passphrase detection', () => {
  it('suspects the passphrase when SYSTEM opens and no other member does, from two members', () => {
    expect(verdict([system(1), failed(2, 'alice'), failed(3, 'carol')])).toBe(true);
  });

  it('never blames the passphrase on one sender, however many messages they send', () => {
    // The attack: garbage right after someone joins made their page say the passphrase is wrong.
    const flood = Array.from({ length: 50 }, (_, i) => failed(i + 2, 'mallory'));
    expect(verdict([system(1), ...flood])).toBe(false);
  });

  it('needs a message from another member: SYSTEM alone proves nothing', () => {
    expect(verdict([system(1)])).toBe(false);
    expect(verdict([system(1), said(2, 'bob')])).toBe(false);
  });

  it('blames the message, not the passphrase, once another member’s message opened', () => {
    expect(verdict([system(1), said(2, 'alice'), failed(3, 'mallory'), failed(4, 'eve')])).toBe(
      false,
    );
    expect(verdict([system(1), failed(2, 'mallory'), failed(3, 'eve'), said(4, 'alice')])).toBe(
      false,
    );
  });

  it('does not blame the passphrase when SYSTEM fails too (a broken server or syskey)', () => {
    expect(verdict([failed(1, 'SYSTEM'), failed(2, 'alice'), failed(3, 'carol')])).toBe(false);
  });

  it('ignores our own messages, which use the same passphrase', () => {
    expect(verdict([system(1), failed(2, 'bob'), failed(3, 'alice')])).toBe(false);
  });

  it('accumulates over batches', () => {
    const first = addEvidence(noEvidence(), [system(1), failed(2, 'alice')], 'bob');
    expect(passphraseLooksWrong(first)).toBe(false);
    expect(passphraseLooksWrong(addEvidence(first, [failed(3, 'carol')], 'bob'))).toBe(true);
  });
});

describe('kept ciphertexts', () => {
  const row = (id: number, from: string, size = 8): MessageRow => [
    id,
    'A'.repeat(size),
    0,
    from,
    '0',
  ];

  it('keeps only other members’ undecryptable messages', () => {
    const kept: MessageRow[] = [];
    const rows = [row(1, 'SYSTEM'), row(2, 'alice'), row(3, 'alice'), row(4, 'bob')];
    keepUndecryptable(
      kept,
      rows,
      [failed(1, 'SYSTEM'), failed(2, 'alice'), said(3, 'alice'), failed(4, 'bob')],
      'bob',
    );
    expect(kept.map((r) => r[0])).toEqual([2]);
  });

  it('is bounded in count and in characters, dropping the oldest', () => {
    const kept: MessageRow[] = [];
    const many = Array.from({ length: KEPT_CIPHERTEXTS.rows + 10 }, (_, i) => row(i + 1, 'alice'));
    keepUndecryptable(
      kept,
      many,
      many.map((r) => failed(r[0], 'alice')),
      'bob',
    );
    expect(kept).toHaveLength(KEPT_CIPHERTEXTS.rows);
    expect(kept[0]![0]).toBe(11);

    const big: MessageRow[] = [];
    const huge = Array.from({ length: 40 }, (_, i) => row(i + 1, 'alice', 65_536));
    keepUndecryptable(
      big,
      huge,
      huge.map((r) => failed(r[0], 'alice')),
      'bob',
    );
    expect(big.reduce((n, r) => n + r[1].length, 0)).toBeLessThanOrEqual(KEPT_CIPHERTEXTS.chars);
    expect(big.at(-1)![0]).toBe(40);
  });
});
