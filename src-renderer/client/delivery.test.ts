import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../src-shared/protocol';
import { ApiError } from './api';
import { dmTag, estimatedCiphertextChars, failureReason, fitsMessageLimit } from './delivery';

describe('send states', () => {
  it('estimates the encrypted size on the safe side and refuses what the server would', () => {
    expect(estimatedCiphertextChars('')).toBeGreaterThan(0);
    expect(fitsMessageLimit('x'.repeat(1_000))).toBe(true);
    expect(fitsMessageLimit('x'.repeat(LIMITS.messageLength))).toBe(false);
    // Characters are counted as the UTF-8 bytes they encrypt to.
    expect(estimatedCiphertextChars('é')).toBeGreaterThan(estimatedCiphertextChars('e'));
  });

  it('names the real reason a send failed', () => {
    const err = (kind: ConstructorParameters<typeof ApiError>[0], message = 'x') =>
      new ApiError(kind, 'sendMsg', message);
    expect(failureReason(err('unreachable', 'ECONNREFUSED'), 'sendMsg')).toBe('server unreachable');
    expect(failureReason(err('unreachable', 'The operation timed out'), 'sendMsg')).toBe(
      'timed out',
    );
    expect(failureReason(err('server-busy'), 'sendMsg')).toBe('server full, try again in a minute');
    expect(failureReason(err('forbidden'), 'sendMsg')).toBe('session ended');
    expect(failureReason(err('bad-request'), 'sendMsg')).toBe('refused as too long for the server');
    expect(failureReason(err('bad-request'), 'sendDirectMsg', 'zed')).toBe(
      '“zed” is not in the room',
    );
    expect(failureReason(new Error('boom'), 'sendMsg')).toBe('boom');
  });

  it('says when a full server can be tried again, from its Retry-After', () => {
    expect(failureReason(new ApiError('server-busy', 'sendMsg', 'x', 503, 60), 'sendMsg')).toBe(
      'server full, try again in 1 min',
    );
  });

  it('says "DM to" only of a direct message the server accepted', () => {
    const dm = { from: 'bob', to: 'alice', outgoing: true };
    expect(dmTag({ ...dm, delivery: { state: 'sent' } })).toEqual({
      prefix: 'DM to ',
      name: 'alice',
    });
    expect(dmTag({ ...dm, delivery: { state: 'sending' } })?.prefix).not.toMatch(/^DM to/);
    expect(
      dmTag({ ...dm, delivery: { state: 'failed', reason: 'server unreachable' } })?.prefix,
    ).toBe('Not delivered to ');
    expect(dmTag({ from: 'alice', to: 'bob' })).toEqual({ prefix: 'DM from ', name: 'alice' });
    expect(dmTag({ from: 'alice' })).toBeUndefined();
  });
});
