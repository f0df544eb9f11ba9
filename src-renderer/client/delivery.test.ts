import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { failureReason } from './delivery';

describe('why a send failed', () => {
  it('says when a full server can be tried again, from its Retry-After', () => {
    expect(failureReason(new ApiError('server-busy', 'sendMsg', 'x', 503, 60), 'sendMsg')).toBe(
      'server full, try again in 1 min',
    );
    expect(failureReason(new ApiError('server-busy', 'sendMsg', 'x', 503), 'sendMsg')).toBe(
      'server full, try again in a minute',
    );
  });
});
